//! The rules: two lowered models (BASE and HEAD) in, the list of [`Change`]s between them out,
//! each classed by how it affects callers.
//!
//! Operations are matched by operationId, then by method and path (an operationId change); named
//! types by Rust name, then by identical shape (a rename); fields by wire name; parameters by
//! wire name and location. Whether a type is sent (reachable from parameters or request bodies),
//! received (reachable from responses) or both decides how a change to it is classed.
//!
//! Every rule the diff can report is in [`Rule`]'s table below, with the classes it reports and
//! what it finds; each room checks one part of the spec, one rule per function:
//!
//! - [`info`]: `info` and `servers`;
//! - [`security`]: security schemes, and which of them an operation accepts;
//! - [`operations`]: operations added, removed, renamed, moved;
//! - [`params`], [`bodies`], [`responses`]: what an operation takes and answers;
//! - [`types`], [`fields`], [`enums`]: named types, their fields, enum values and oneOf variants.
//!
//! [`reach`] decides which way each named type flows; [`words`] names things the way the
//! messages say them.

mod bodies;
mod enums;
mod fields;
mod info;
mod operations;
mod params;
mod reach;
mod responses;
mod security;
mod types;
mod words;

use std::collections::HashMap;

use crate::model::*;

use self::reach::{directions, Dir};
use super::{Change, Class, Loaded, Location, Side, Subject};

/// Builds [`Rule`] from one row per rule: the variant, the id reports show, the classes it can
/// report, and what it finds (which is also the variant's documentation).
macro_rules! rule_table {
    ($($rule:ident = $id:literal, [$($class:ident),+], $what:literal;)*) => {
        /// Every rule the diff can report (see the table in this module's source, in one place).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Rule {
            $(#[doc = $what] $rule,)*
        }

        // `ALL`, `classes` and `what` are the table's documentation; the tests read them.
        #[cfg_attr(not(test), allow(dead_code))]
        impl Rule {
            /// Every rule, in table order.
            pub(crate) const ALL: &'static [Rule] = &[$(Rule::$rule),*];

            /// The identifier shown in reports, e.g. `parameter-made-required`.
            pub(crate) fn id(self) -> &'static str {
                match self {
                    $(Rule::$rule => $id,)*
                }
            }

            /// The classes the rule can report.
            pub(crate) fn classes(self) -> &'static [Class] {
                match self {
                    $(Rule::$rule => &[$(Class::$class),+],)*
                }
            }

            /// What the rule finds, in one line.
            pub(crate) fn what(self) -> &'static str {
                match self {
                    $(Rule::$rule => $what,)*
                }
            }
        }
    };
}

// THE TABLE OF RULES. A rule that comes in a request / response / unused-schema family is checked
// once per direction the schema flows in (see `reach::Flow`); a schema that no operation uses
// only ever reports informational findings.
rule_table! {
    // The vendor as a whole (pushed by `diff_vendor`, not by `compare`).
    VendorAdded = "vendor-added", [NonBreaking], "A spec appears in specs/: a new module and cargo feature.";
    VendorRemoved = "vendor-removed", [Breaking], "A spec disappears from specs/, with its module and cargo feature.";

    // info.rs
    ApiInfoChanged = "api-info-changed", [Informational], "`info.title`, `info.version` or `info.description` changed.";
    DefaultServerChanged = "default-server-changed", [Breaking], "Another server became the first (default) one.";
    ServerRemoved = "server-removed", [Breaking], "A `servers` entry is gone.";
    ServerAdded = "server-added", [NonBreaking, Breaking], "A new `servers` entry; breaking when it becomes the first, default, server.";
    ServerUrlChanged = "server-url-changed", [Breaking], "The same server (by position) has another URL.";
    ServerDocsChanged = "server-docs-changed", [Informational], "The description of a server or of one of its variables changed.";
    ServerVariableAdded = "server-variable-added", [Breaking, NonBreaking], "A new server variable; breaking without a default (every client must set it).";
    ServerVariableRemoved = "server-variable-removed", [Breaking], "A server variable is gone, with its builder method.";
    ServerVariableDefaultChanged = "server-variable-default-changed", [NonBreaking, Breaking], "A server variable's default changed; non-breaking when there was none.";
    ServerVariableValuesChanged = "server-variable-values-changed", [NonBreaking, Breaking], "A server variable's allowed values changed; breaking when values are removed or a limit is added.";

    // security.rs
    SecuritySchemeAdded = "security-scheme-added", [NonBreaking], "A new security scheme, with a new builder method.";
    SecuritySchemeChanged = "security-scheme-changed", [Breaking], "A security scheme sends another kind of credential (bearer, basic, API key header/query, signer).";
    SecuritySchemeDocsChanged = "security-scheme-docs-changed", [Informational], "A security scheme's description changed.";
    SecuritySchemeRemoved = "security-scheme-removed", [Breaking], "A security scheme is gone, with its builder method.";
    OperationAuthChanged = "operation-auth-changed", [Breaking, NonBreaking], "The schemes an operation accepts changed; breaking when authentication becomes required or a scheme is no longer accepted.";

    // operations.rs
    OperationRemoved = "operation-removed", [Breaking], "An operation is gone, with its `Client` method.";
    OperationAdded = "operation-added", [NonBreaking], "A new operation: a new `Client` method.";
    OperationIdChanged = "operation-id-changed", [Breaking, Informational], "The same method and path under another operationId; breaking when it renames the Rust method.";
    RustMethodRenamed = "rust-method-renamed", [Breaking], "Same operationId, another Rust method name (`x-rust-name`).";
    OperationMethodChanged = "operation-method-changed", [Breaking], "Same operationId, another HTTP method.";
    OperationPathChanged = "operation-path-changed", [Breaking], "Same operationId, another path (renaming a placeholder alone is not a path change).";
    OperationDeprecated = "operation-deprecated", [Informational], "Deprecation added or removed (the method gets `#[deprecated]`).";
    OperationDocsChanged = "operation-docs-changed", [Informational], "An operation's summary or description changed.";

    // params.rs
    ParameterMoved = "parameter-moved", [Breaking], "Same parameter name, another place (query, path, header).";
    ParameterRenamed = "parameter-renamed", [Informational, Breaking], "Same place, type and requiredness, another name; informational for a path parameter (the URL is the same).";
    ParameterRemoved = "parameter-removed", [Breaking], "A parameter is gone.";
    ParameterAdded = "parameter-added", [Breaking, NonBreaking], "A new parameter (path, query, header, group member); breaking when required.";
    ParameterMadeRequired = "parameter-made-required", [Breaking], "An optional parameter became required.";
    ParameterMadeOptional = "parameter-made-optional", [NonBreaking], "A required parameter became optional.";
    ParameterTypeChanged = "parameter-type-changed", [Breaking], "A parameter's generated type changed (including formats the generator maps: date-time, int32...).";
    ParameterFormatChanged = "parameter-format-changed", [Breaking, NonBreaking], "A format that keeps the Rust type (email, uri...) changed; non-breaking when removed.";
    ParameterDeprecated = "parameter-deprecated", [Informational], "Deprecation of a parameter added or removed.";
    ParameterDocsChanged = "parameter-docs-changed", [Informational], "A parameter's description changed.";

    // bodies.rs
    RequestBodyAdded = "request-body-added", [Breaking, NonBreaking], "An operation takes a request body; breaking when required.";
    RequestBodyRemoved = "request-body-removed", [Breaking], "An operation's request body is gone.";
    RequestBodyMadeRequired = "request-body-made-required", [Breaking], "An optional request body became required.";
    RequestBodyMadeOptional = "request-body-made-optional", [NonBreaking], "A required request body became optional.";
    RequestBodyTypeChanged = "request-body-type-changed", [Breaking], "A request body's type changed.";

    // responses.rs
    SuccessStatusAdded = "success-status-added", [NonBreaking], "A new success response.";
    ErrorStatusAdded = "error-status-added", [NonBreaking], "A new error response: its body is now decoded.";
    StatusOutcomeChanged = "status-outcome-changed", [Breaking], "A status moved between success and error (`x-outcome`).";
    ResponseBodyChanged = "response-body-changed", [Breaking], "The body of a success status changed.";
    ErrorBodyChanged = "error-body-changed", [Breaking], "The body of an error status changed.";
    SuccessStatusRemoved = "success-status-removed", [Breaking], "A success response is gone: callers relying on it get an error.";
    ErrorStatusRemoved = "error-status-removed", [NonBreaking], "An error response is gone: its body is no longer decoded into the typed error.";
    ResponseMediaRegrouped = "response-media-regrouped", [Breaking], "A status is now answered per media type (`x-media-type-param`), or no longer; one finding for the status.";

    // types.rs
    TypeRenamed = "type-renamed", [Breaking], "Same shape, another Rust name.";
    SchemaDeprecated = "schema-deprecated", [Informational], "Deprecation of a schema added or removed.";
    SchemaDocsChanged = "schema-docs-changed", [Informational], "A schema's description changed.";
    OneofDiscriminatorChanged = "oneof-discriminator-changed", [Breaking], "A oneOf's discriminator changed.";
    ErrorVariantsChanged = "error-variants-changed", [Breaking], "The oneOf alternatives reported as errors (`x-error-variants`) changed.";
    AliasTypeChanged = "alias-type-changed", [Breaking], "The type a schema stands for changed.";
    TypeShapeChanged = "type-shape-changed", [Breaking], "A schema became another kind of type (e.g. an enum becomes an object).";
    AdditionalPropertiesChanged = "additional-properties-changed", [NonBreaking, Breaking], "Other properties of an object changed; non-breaking when allowed, breaking when disallowed or retyped.";

    // fields.rs
    FieldRenamed = "field-renamed", [Informational, Breaking], "One field gone, one with the same type, requiredness and nullability added; informational in an unused schema.";
    RequestFieldRemoved = "request-field-removed", [Breaking], "A field of a schema sent in requests is gone.";
    ResponseFieldRemoved = "response-field-removed", [Breaking], "A field of a schema received in responses is gone.";
    FieldRemoved = "field-removed", [Informational], "A field of an unused schema is gone.";
    RequestFieldAdded = "request-field-added", [Breaking, NonBreaking], "A new field in requests; breaking when required.";
    ResponseFieldAdded = "response-field-added", [NonBreaking], "A new field in responses.";
    FieldAdded = "field-added", [Informational], "A new field of an unused schema.";
    FieldRustNameChanged = "field-rust-name-changed", [Breaking], "Same JSON name, another Rust name (`x-rust-name`).";
    RequestFieldTypeChanged = "request-field-type-changed", [Breaking], "A field's type changed, in requests.";
    ResponseFieldTypeChanged = "response-field-type-changed", [Breaking], "A field's type changed, in responses.";
    FieldTypeChanged = "field-type-changed", [Informational], "A field's type changed, in an unused schema.";
    RequestFieldFormatChanged = "request-field-format-changed", [Breaking, NonBreaking], "A field's format changed, in requests (as `parameter-format-changed`).";
    ResponseFieldFormatChanged = "response-field-format-changed", [Informational], "A field's format changed, in responses: the client decodes both the same way.";
    FieldFormatChanged = "field-format-changed", [Informational], "A field's format changed, in an unused schema.";
    RequestFieldMadeOptional = "request-field-made-optional", [NonBreaking], "A field became optional, in requests.";
    ResponseFieldMadeOptional = "response-field-made-optional", [Breaking], "A field became optional, in responses: it may be missing.";
    FieldMadeOptional = "field-made-optional", [Informational], "A field became optional, in an unused schema.";
    RequestFieldMadeRequired = "request-field-made-required", [Breaking], "A field became required, in requests: callers must send it.";
    ResponseFieldMadeRequired = "response-field-made-required", [NonBreaking], "A field became required, in responses.";
    FieldMadeRequired = "field-made-required", [Informational], "A field became required, in an unused schema.";
    RequestFieldMadeNullable = "request-field-made-nullable", [NonBreaking], "A field became nullable, in requests.";
    ResponseFieldMadeNullable = "response-field-made-nullable", [Breaking], "A field became nullable, in responses: older clients reject `null`.";
    FieldMadeNullable = "field-made-nullable", [Informational], "A field became nullable, in an unused schema.";
    RequestFieldMadeNonNullable = "request-field-made-non-nullable", [Breaking], "A field is no longer nullable, in requests: callers may no longer send `null`.";
    ResponseFieldMadeNonNullable = "response-field-made-non-nullable", [NonBreaking], "A field is no longer nullable, in responses.";
    FieldMadeNonNullable = "field-made-non-nullable", [Informational], "A field is no longer nullable, in an unused schema.";
    FieldAliasesChanged = "field-aliases-changed", [Breaking, NonBreaking, Informational], "A field's `x-aliases` changed; breaking in responses when an alias is removed, non-breaking when added, else informational.";
    FieldDeprecated = "field-deprecated", [Informational], "Deprecation of a field added or removed.";
    FieldDocsChanged = "field-docs-changed", [Informational], "A field's description changed.";

    // enums.rs
    EnumVariantRenamed = "enum-variant-renamed", [Breaking], "An enum value keeps its value but its Rust variant is renamed (`x-enum-varnames`).";
    RequestEnumValueAdded = "request-enum-value-added", [NonBreaking], "A new enum value callers may send.";
    ResponseEnumValueAdded = "response-enum-value-added", [NonBreaking], "A new enum value in responses: older clients keep it as `Unknown`.";
    EnumValueAdded = "enum-value-added", [Informational], "A new enum value of an unused schema.";
    RequestEnumValueRemoved = "request-enum-value-removed", [Breaking], "An enum value callers sent is rejected.";
    ResponseEnumValueRemoved = "response-enum-value-removed", [NonBreaking], "An enum value the server no longer sends (the Rust variant goes away).";
    EnumValueRemoved = "enum-value-removed", [Informational], "An enum value of an unused schema is gone.";
    OneofVariantTypeChanged = "oneof-variant-type-changed", [Breaking], "A oneOf alternative's type changed.";
    RequestOneofVariantAdded = "request-oneof-variant-added", [NonBreaking], "A new oneOf alternative callers may send.";
    ResponseOneofVariantAdded = "response-oneof-variant-added", [Breaking], "A new oneOf alternative in responses: older clients fail to decode it.";
    OneofVariantAdded = "oneof-variant-added", [Informational], "A new oneOf alternative of an unused schema.";
    RequestOneofVariantRemoved = "request-oneof-variant-removed", [Breaking], "A oneOf alternative callers sent is no longer accepted.";
    ResponseOneofVariantRemoved = "response-oneof-variant-removed", [NonBreaking], "A oneOf alternative the server no longer sends.";
    OneofVariantRemoved = "oneof-variant-removed", [Informational], "A oneOf alternative of an unused schema is gone.";
}

/// Compares BASE with HEAD.
pub(crate) fn compare(base: &Loaded, head: &Loaded) -> Vec<Change> {
    let mut cx = Cx {
        base,
        head,
        renames: HashMap::new(),
        dir_base: directions(&base.api),
        dir_head: directions(&head.api),
        out: Vec::new(),
    };
    cx.find_renames();
    cx.info();
    cx.servers();
    cx.schemes();
    cx.operations();
    cx.types();
    cx.out
}

/// The comparison under way: both sides, what is known about them, and the findings so far.
struct Cx<'a> {
    base: &'a Loaded,
    head: &'a Loaded,
    /// BASE type name -> HEAD type name, for types renamed with the same shape.
    renames: HashMap<String, String>,
    dir_base: HashMap<String, Dir>,
    dir_head: HashMap<String, Dir>,
    out: Vec<Change>,
}

impl<'a> Cx<'a> {
    fn side(&self, side: Side) -> &'a Loaded {
        match side {
            Side::Head => self.head,
            Side::Base => self.base,
        }
    }

    fn loc(&self, side: Side, subject: Subject, pointer: &str) -> Location {
        let l = self.side(side);
        Location {
            subject,
            pointer: pointer.to_string(),
            side,
            file: l.src.name().to_string(),
            line: l.src.position(pointer).0,
        }
    }

    fn push(&mut self, rule: Rule, class: Class, location: Location, message: String) {
        self.out.push(Change {
            rule: rule.id(),
            class,
            location,
            message,
        });
    }

    /// Whether a BASE type and a HEAD type are the same, allowing for renamed named types.
    fn same(&self, b: &Ty, h: &Ty) -> bool {
        match (b, h) {
            (Ty::Named(x), Ty::Named(y)) => self.renames.get(x).unwrap_or(x) == y,
            (Ty::Vec(x), Ty::Vec(y))
            | (Ty::Map(x), Ty::Map(y))
            | (Ty::Lenient(x), Ty::Lenient(y)) => self.same(x, y),
            (Ty::Envelope(x, xm), Ty::Envelope(y, ym)) => {
                self.same(x, y) && self.renames.get(xm).unwrap_or(xm) == ym
            }
            _ => b == h,
        }
    }

    fn same_body(&self, b: &BodyKind, h: &BodyKind) -> bool {
        match (b, h) {
            (BodyKind::Json(x), BodyKind::Json(y)) => self.same(x, y),
            _ => b == h,
        }
    }

    fn dir(&self, base_name: &str, head_name: &str) -> Dir {
        let b = self.dir_base.get(base_name).copied().unwrap_or_default();
        let h = self.dir_head.get(head_name).copied().unwrap_or_default();
        Dir {
            req: b.req || h.req,
            resp: b.resp || h.resp,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::{Path, PathBuf};

    use super::Rule;
    use crate::diff::{diff_vendor, load, Change, Side, SpecText};

    fn spec(path: &Path) -> SpecText {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        SpecText {
            name: path.display().to_string(),
            text,
        }
    }

    /// Every pair of specs the diff tests compare, both ways round, and each spec against
    /// nothing (a new vendor) and nothing against it (a removed vendor).
    fn fixture_changes() -> Vec<Change> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
        let mut pairs = vec![(root.join("dxfeed/base.yaml"), root.join("dxfeed/head.yaml"))];
        let rules = root.join("rules");
        let dirs = std::fs::read_dir(&rules).unwrap_or_else(|e| panic!("{e}"));
        for entry in dirs {
            let head = entry
                .unwrap_or_else(|e| panic!("{e}"))
                .path()
                .join("head.yaml");
            if head.is_file() {
                pairs.push((rules.join("base.yaml"), head));
            }
        }
        let mut out = Vec::new();
        for (a, b) in pairs {
            let (a, b) = (spec(&a), spec(&b));
            for (base, head) in [(&a, &b), (&b, &a)] {
                let bl = load(base, "shop", Side::Base).unwrap_or_else(|e| panic!("{e}"));
                let hl = load(head, "shop", Side::Head).unwrap_or_else(|e| panic!("{e}"));
                out.extend(super::compare(&bl, &hl));
            }
            for (base, head) in [(Some(&a), None), (None, Some(&a))] {
                let v = diff_vendor("shop", base, head).unwrap_or_else(|e| panic!("{e}"));
                out.extend(v.changes);
            }
        }
        out
    }

    #[test]
    fn every_rule_reported_is_in_the_table_with_its_class() {
        let changes = fixture_changes();
        assert!(changes.len() > 100, "too few changes: {}", changes.len());
        for c in &changes {
            let rule = Rule::ALL.iter().find(|r| r.id() == c.rule);
            let Some(rule) = rule else {
                panic!("rule `{}` is not in the table ({})", c.rule, c.message);
            };
            assert!(
                rule.classes().contains(&c.class),
                "rule `{}` reported {:?}, the table says {:?}: {}",
                c.rule,
                c.class,
                rule.classes(),
                c.message
            );
        }
    }

    #[test]
    fn every_table_entry_is_documented() {
        let mut ids = HashSet::new();
        for rule in Rule::ALL {
            let id = rule.id();
            assert!(ids.insert(id), "`{id}` is in the table twice");
            assert!(
                !id.is_empty()
                    && id
                        .split('-')
                        .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
                "`{id}` is not a kebab-case id"
            );
            let what = rule.what();
            assert!(
                what.len() > 10 && what.ends_with('.'),
                "`{id}` needs a one-line description: {what:?}"
            );
            assert!(!what.contains('\n'), "`{id}`: the description is one line");
            let classes = rule.classes();
            let distinct: HashSet<_> = classes.iter().collect();
            assert!(
                !classes.is_empty() && distinct.len() == classes.len(),
                "`{id}`: classes {classes:?}"
            );
        }
    }
}
