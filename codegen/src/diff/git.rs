//! Reading the specs directory as it was at a git revision, with the `git` command-line tool.

use std::path::Path;
use std::process::Command;

/// A `*.yaml` file of the specs directory at a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileAtRev {
    /// File name inside the specs directory, e.g. `dxfeed.yaml`.
    pub file_name: String,
    /// Its content at the revision.
    pub text: String,
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(format!("`git {}` failed: {err}", args.join(" ")));
    }
    String::from_utf8(out.stdout)
        .map_err(|_| format!("`git {}` printed non-UTF-8 text", args.join(" ")))
}

/// The `*.yaml` specs in `specs_dir` as they were at `rev` (any revision git understands:
/// `origin/main`, `HEAD~1`, a commit id). A directory that did not exist then gives an empty
/// list; an unknown revision or a directory outside a git repository is an error.
pub fn specs_at(rev: &str, specs_dir: &Path) -> Result<Vec<FileAtRev>, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a git revision"));
    }
    let commit = format!("{rev}^{{commit}}");
    git(specs_dir, &["rev-parse", "--verify", "--quiet", &commit])
        .map_err(|_| format!("`{rev}` is not a known git revision"))?;
    let listing = git(specs_dir, &["ls-tree", "--name-only", rev, "--", "."])?;
    let mut out = Vec::new();
    for name in listing.lines() {
        if !name.ends_with(".yaml") || name.contains('/') {
            continue;
        }
        let text = git(specs_dir, &["show", &format!("{rev}:./{name}")])?;
        out.push(FileAtRev {
            file_name: name.to_string(),
            text,
        });
    }
    out.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    Ok(out)
}
