//! Comparing two versions of a vendor spec: what changes for callers of the generated client,
//! what changes in the generated Rust API, and which semver bump that calls for.
//!
//! Both versions are loaded and lowered exactly as `generate` does, and the two
//! [`model::Api`](crate::model::Api) values are compared, so formatting, key order and `$ref`
//! layout that describe the same API report nothing. Details the model does not keep (schema and
//! parameter deprecation, string formats such as `email` or `uri`, the JSON pointer of a field or
//! parameter) are read from the spec text itself.
//!
//! ```text
//! base text --load/lower--> Api ┐
//!                               ├─ rules ───> Vec<Change>      (class for callers)
//! head text --load/lower--> Api ┘  rust_api ─> Vec<RustChange> (semver for the crate)
//! ```
//!
//! [`Report::to_markdown`] renders a pull-request comment, [`Report::to_json`] a document for
//! tools.

mod raw;
mod render;
mod rules;
mod rust_api;

pub mod git;

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::model::Api;
use crate::source::SourceFile;

/// How a change affects callers of the generated client. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Documentation or metadata only; nothing a caller sends or receives changes.
    Informational,
    /// Existing callers keep working; something new becomes possible.
    NonBreaking,
    /// Existing callers may fail: a request they send can be rejected, a response they decode can
    /// fail or lose data, or something they call or name is gone.
    Breaking,
}

impl Class {
    /// The name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Informational => "informational",
            Class::NonBreaking => "non-breaking",
            Class::Breaking => "breaking",
        }
    }
}

/// Which spec a location refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The new version (the usual case).
    Head,
    /// The old version: for things that no longer exist in HEAD.
    Base,
}

/// What a change is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "kebab-case")]
pub enum Subject {
    /// The vendor as a whole (a spec added or removed).
    Vendor(String),
    /// `info`.
    Info,
    /// A `servers` entry (its URL).
    Server(String),
    /// A security scheme (its name).
    Security(String),
    /// An operation (its operationId in HEAD, or in BASE when it was removed).
    Operation(String),
    /// A named type (its Rust name in HEAD, or in BASE when it was removed).
    Type(String),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Vendor(v) => write!(f, "vendor `{v}`"),
            Subject::Info => f.write_str("API info"),
            Subject::Server(u) => write!(f, "server `{u}`"),
            Subject::Security(s) => write!(f, "security scheme `{s}`"),
            Subject::Operation(o) => write!(f, "operation `{o}`"),
            Subject::Type(t) => write!(f, "schema `{t}`"),
        }
    }
}

/// Where a change is: a JSON pointer and its line, in HEAD (or in BASE when the thing is gone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The operation, schema, server... the change is about.
    pub subject: Subject,
    /// JSON pointer of the node, e.g. `#/paths/~1accounts/post/parameters/0`.
    pub pointer: String,
    /// Which spec the pointer and line refer to.
    pub side: Side,
    /// The spec file's name, as given.
    pub file: String,
    /// 1-based line of the node (or of its nearest ancestor present in the file).
    pub line: usize,
}

/// One change between BASE and HEAD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Identifier of the rule that found it (see the README's rule table), e.g.
    /// `parameter-made-required`.
    pub rule: &'static str,
    /// How it affects callers.
    pub class: Class,
    /// Where it is.
    pub location: Location,
    /// What changed, in one or two plain sentences.
    pub message: String,
}

/// How a change of the generated Rust API affects code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Only documentation or attributes that never break a build.
    Patch,
    /// Something new; existing code still compiles.
    Additive,
    /// Existing code may stop compiling.
    Breaking,
}

/// What happened to one item of the generated Rust API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RustChangeKind {
    /// The item is new.
    Added,
    /// The item is gone.
    Removed,
    /// The item's signature changed.
    Changed,
}

/// One item of the generated Rust API that was added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RustChange {
    /// Path of the item inside the vendor module, e.g. `Client::create_account`,
    /// `Account::email`, `SubscriptionStatus::Cancelled`.
    pub item: String,
    /// Added, removed or changed.
    pub change: RustChangeKind,
    /// The item's signature in BASE.
    pub before: Option<String>,
    /// The item's signature in HEAD.
    pub after: Option<String>,
    /// Effect on code using the crate.
    pub impact: Impact,
    /// Why the impact is what it is, when it is not obvious.
    pub note: Option<String>,
}

/// The semver bump a set of changes calls for, under the project's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Documentation, behaviour fixes, informational spec changes.
    Patch,
    /// Additions to the Rust API.
    Minor,
    /// A breaking change to the Rust API.
    Major,
}

impl Bump {
    /// The recommendation as reviewers read it, including what it means before 1.0.
    pub fn describe(self) -> &'static str {
        match self {
            Bump::None => "none (no change)",
            Bump::Patch => "patch",
            Bump::Minor => "minor (0.x: patch)",
            Bump::Major => "major (0.x: minor)",
        }
    }
}

/// Counts of changes by class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Breaking changes.
    pub breaking: usize,
    /// Non-breaking changes.
    pub non_breaking: usize,
    /// Informational changes.
    pub informational: usize,
}

impl Counts {
    fn of<'c>(changes: impl IntoIterator<Item = &'c Change>) -> Self {
        let mut c = Counts::default();
        for ch in changes {
            match ch.class {
                Class::Breaking => c.breaking += 1,
                Class::NonBreaking => c.non_breaking += 1,
                Class::Informational => c.informational += 1,
            }
        }
        c
    }

    fn add(self, other: Counts) -> Counts {
        Counts {
            breaking: self.breaking + other.breaking,
            non_breaking: self.non_breaking + other.non_breaking,
            informational: self.informational + other.informational,
        }
    }

    /// Total number of changes.
    pub fn total(&self) -> usize {
        self.breaking + self.non_breaking + self.informational
    }
}

/// The comparison of one vendor's spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorReport {
    /// Vendor module name.
    pub module: String,
    /// BASE file name (`None`: the vendor is new).
    pub base: Option<String>,
    /// HEAD file name (`None`: the vendor was removed).
    pub head: Option<String>,
    /// Counts by class.
    pub counts: Counts,
    /// Recommended bump for this vendor's changes.
    pub bump: Bump,
    /// Changes for callers, breaking first, then in document order.
    pub changes: Vec<Change>,
    /// Changes of the generated Rust API, sorted by item.
    pub rust_api: Vec<RustChange>,
}

/// The comparison of one or more vendors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Counts over all vendors.
    pub counts: Counts,
    /// Recommended bump for the library: the largest over the vendors.
    pub bump: Bump,
    /// One entry per vendor compared, in module order.
    pub vendors: Vec<VendorReport>,
}

impl Report {
    /// Combines per-vendor reports.
    pub fn new(mut vendors: Vec<VendorReport>) -> Self {
        vendors.sort_by(|a, b| a.module.cmp(&b.module));
        let counts = vendors
            .iter()
            .fold(Counts::default(), |acc, v| acc.add(v.counts));
        let bump = vendors.iter().map(|v| v.bump).max().unwrap_or(Bump::None);
        Report {
            counts,
            bump,
            vendors,
        }
    }

    /// The most severe class found, if any change was found.
    pub fn worst(&self) -> Option<Class> {
        self.vendors
            .iter()
            .flat_map(|v| v.changes.iter().map(|c| c.class))
            .max()
    }

    /// Markdown for a pull-request comment: a summary line with counts, then the changes grouped
    /// by vendor and class, then the Rust API changes.
    pub fn to_markdown(&self) -> String {
        render::markdown(self)
    }

    /// Pretty-printed JSON of the whole report.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|e| {
            // Serializing these plain structs cannot fail; keep the output valid JSON anyway.
            format!("{{\"error\": {:?}}}", e.to_string())
        });
        s.push('\n');
        s
    }
}

/// A spec's text and the name it is reported under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecText {
    /// File name shown in locations, e.g. `specs/dxfeed.yaml`.
    pub name: String,
    /// The YAML text.
    pub text: String,
}

/// A spec that failed to load or lower.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffError {
    /// Which version failed.
    pub side: Side,
    /// The located problems.
    pub diagnostics: Diagnostics,
}

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let side = match self.side {
            Side::Head => "HEAD",
            Side::Base => "BASE",
        };
        writeln!(f, "the {side} spec cannot be generated:")?;
        write!(f, "{}", self.diagnostics)
    }
}

impl std::error::Error for DiffError {}

/// A spec loaded and lowered, with the raw YAML kept for what the model does not say.
pub(crate) struct Loaded {
    pub(crate) src: SourceFile,
    pub(crate) api: Api,
    pub(crate) raw: crate::load::yaml::Node,
}

fn load(spec: &SpecText, module: &str, side: Side) -> Result<Loaded, DiffError> {
    let src = SourceFile::new(spec.name.clone(), spec.text.clone());
    let fail = |diagnostics| DiffError { side, diagnostics };
    let doc = crate::load::load(&src).map_err(fail)?;
    let api = crate::lower::lower(&src, &doc, module).map_err(fail)?;
    // `load` has parsed this text and left the tree in `src`: a copy, not a second parse.
    let raw = src.tree().cloned().unwrap_or(crate::load::yaml::Node::NULL);
    Ok(Loaded { src, api, raw })
}

/// Compares two versions of one vendor's spec. `None` on one side means the vendor is new
/// (no BASE) or removed (no HEAD).
pub fn diff_vendor(
    module: &str,
    base: Option<&SpecText>,
    head: Option<&SpecText>,
) -> Result<VendorReport, DiffError> {
    let base_l = base.map(|s| load(s, module, Side::Base)).transpose()?;
    let head_l = head.map(|s| load(s, module, Side::Head)).transpose()?;
    let (mut changes, rust_api) = match (&base_l, &head_l) {
        (Some(b), Some(h)) => (rules::compare(b, h), rust_api::compare(&b.api, &h.api)),
        (None, Some(h)) => (
            vec![whole_vendor(h, module, Side::Head)],
            rust_api::whole_module(module, RustChangeKind::Added),
        ),
        (Some(b), None) => (
            vec![whole_vendor(b, module, Side::Base)],
            rust_api::whole_module(module, RustChangeKind::Removed),
        ),
        (None, None) => (Vec::new(), Vec::new()),
    };
    // Breaking first; within a class, keep the order the rules found them (document order).
    changes.sort_by_key(|c| std::cmp::Reverse(c.class));
    let counts = Counts::of(&changes);
    let bump = bump_for(&changes, &rust_api);
    Ok(VendorReport {
        module: module.to_string(),
        base: base.map(|s| s.name.clone()),
        head: head.map(|s| s.name.clone()),
        counts,
        bump,
        changes,
        rust_api,
    })
}

fn whole_vendor(l: &Loaded, module: &str, side: Side) -> Change {
    let (rule, class, message) = match side {
        Side::Head => (
            "vendor-added",
            Class::NonBreaking,
            format!(
                "New vendor `{module}` ({}, {} operations): a new module and cargo feature.",
                l.api.title,
                l.api.operations.len()
            ),
        ),
        Side::Base => (
            "vendor-removed",
            Class::Breaking,
            format!(
                "Vendor `{module}` ({}) is removed, with its module and cargo feature.",
                l.api.title
            ),
        ),
    };
    Change {
        rule,
        class,
        location: Location {
            subject: Subject::Vendor(module.to_string()),
            pointer: "#".into(),
            side,
            file: l.src.name().to_string(),
            line: 1,
        },
        message,
    }
}

/// The project's semver rules: a breaking change to the generated Rust API is major, an addition
/// minor, anything else that changed (docs, behaviour, informational spec changes) patch.
fn bump_for(changes: &[Change], rust: &[RustChange]) -> Bump {
    let from_rust = rust
        .iter()
        .map(|r| match r.impact {
            Impact::Breaking => Bump::Major,
            Impact::Additive => Bump::Minor,
            Impact::Patch => Bump::Patch,
        })
        .max()
        .unwrap_or(Bump::None);
    if from_rust == Bump::None && !changes.is_empty() {
        Bump::Patch
    } else {
        from_rust
    }
}
