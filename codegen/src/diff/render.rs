//! The markdown report: one summary line, then per vendor the changes grouped by class, then the
//! generated Rust API changes in a collapsible block.

use std::fmt::Write;

use super::{Class, Counts, Impact, Report, RustChange, RustChangeKind, Side, VendorReport};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn counts_text(c: &Counts) -> String {
    if c.total() == 0 {
        return "no changes".into();
    }
    format!(
        "{} breaking, {} non-breaking, {} informational",
        c.breaking, c.non_breaking, c.informational
    )
}

fn rust_counts(r: &[RustChange]) -> String {
    let breaking = r.iter().filter(|c| c.impact == Impact::Breaking).count();
    let additive = r.iter().filter(|c| c.impact == Impact::Additive).count();
    let patch = r.iter().filter(|c| c.impact == Impact::Patch).count();
    if r.is_empty() {
        return "unchanged".into();
    }
    let mut parts = vec![
        format!("{breaking} breaking"),
        format!("{additive} additive"),
    ];
    if patch > 0 {
        parts.push(format!("{patch} patch"));
    }
    parts.join(", ")
}

/// Renders the whole report.
pub(crate) fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let all_rust: Vec<RustChange> = r.vendors.iter().flat_map(|v| v.rust_api.clone()).collect();
    let _ = writeln!(
        out,
        "**Spec changes: {}** · Rust API: {} · recommended bump: **{}**",
        counts_text(&r.counts),
        rust_counts(&all_rust),
        r.bump.describe()
    );
    for v in &r.vendors {
        out.push('\n');
        vendor(&mut out, v);
    }
    out
}

fn vendor(out: &mut String, v: &VendorReport) {
    let files = match (&v.base, &v.head) {
        (Some(b), Some(h)) => format!("`{b}` → `{h}`"),
        (None, Some(h)) => format!("new: `{h}`"),
        (Some(b), None) => format!("removed: `{b}`"),
        (None, None) => String::new(),
    };
    let _ = writeln!(out, "### `{}`: {files}\n", v.module);
    let _ = writeln!(
        out,
        "{} · Rust API: {} · bump: {}",
        counts_text(&v.counts),
        rust_counts(&v.rust_api),
        v.bump.describe()
    );
    let rust_breaking = v.rust_api.iter().any(|c| c.impact == Impact::Breaking);
    if v.counts.breaking > 0 && !rust_breaking {
        let _ = writeln!(
            out,
            "\n> The breaking changes do not change the generated Rust API, so the recommended bump \
             is not major; releases built from the old spec stop working against the changed API. \
             Say so in the changelog."
        );
    }
    for class in [Class::Breaking, Class::NonBreaking, Class::Informational] {
        let list: Vec<_> = v.changes.iter().filter(|c| c.class == class).collect();
        if list.is_empty() {
            continue;
        }
        let title = match class {
            Class::Breaking => "Breaking",
            Class::NonBreaking => "Non-breaking",
            Class::Informational => "Informational",
        };
        let _ = writeln!(out, "\n#### {title} ({})\n", list.len());
        let _ = writeln!(out, "| Where | Change | Rule |\n|---|---|---|");
        for c in list {
            let side = match c.location.side {
                Side::Head => "",
                Side::Base => " (BASE)",
            };
            let _ = writeln!(
                out,
                "| {}<br>`{}:{}`{side} `{}` | {} | `{}` |",
                cell(&c.location.subject.to_string()),
                cell(&c.location.file),
                c.location.line,
                cell(&c.location.pointer),
                cell(&c.message),
                c.rule
            );
        }
    }
    if !v.rust_api.is_empty() {
        let _ = writeln!(
            out,
            "\n<details><summary>Generated Rust API: {}</summary>\n",
            rust_counts(&v.rust_api)
        );
        let _ = writeln!(out, "| Item | Change | Impact |\n|---|---|---|");
        for c in &v.rust_api {
            let what = match (c.change, &c.before, &c.after) {
                (RustChangeKind::Added, _, Some(a)) => format!("added: `{a}`"),
                (RustChangeKind::Removed, Some(b), _) => format!("removed: `{b}`"),
                (RustChangeKind::Changed, Some(b), Some(a)) if a != b => {
                    format!("`{b}` → `{a}`")
                }
                (_, _, Some(a)) => format!("`{a}`"),
                (_, Some(b), None) => format!("`{b}`"),
                (_, None, None) => String::new(),
            };
            let what = match &c.note {
                Some(n) => format!("{what}; {n}"),
                None => what,
            };
            let impact = match c.impact {
                Impact::Breaking => "breaking",
                Impact::Additive => "additive",
                Impact::Patch => "patch",
            };
            let _ = writeln!(out, "| `{}` | {} | {impact} |", cell(&c.item), cell(&what));
        }
        let _ = writeln!(out, "\n</details>");
    }
}
