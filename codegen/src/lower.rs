//! Stage 2: `openapiv3::OpenAPI` to the resolved [`model`](crate::model).
//!
//! Resolves `$ref`s, merges `allOf`, names inline schemas after where they appear, picks Rust
//! names and checks they are unique, and rejects what the generated client could not express.
//! Every rejection is a located [`Diagnostic`]; lowering goes on after one where it can, so a
//! spec with several problems reports them all at once.

use std::collections::{BTreeMap, HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr,
    Schema, SchemaKind, SecurityScheme, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::names::{is_keyword, pascal, snake};
use crate::source::{child, SourceFile};

/// Builder methods every generated client builder already has; generated setters must not clash.
pub const RESERVED_SETTERS: &[&str] = &[
    "new",
    "build",
    "build_core",
    "base_url",
    "server_index",
    "server_variable",
    "credential",
    "timeout",
    "connect_timeout",
    "user_agent",
    "http_client",
    "max_response_bytes",
    "default_header",
];

/// The values of a schema's `type` in OpenAPI 3.0.
const JSON_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

/// Signers the runtime implements (`x-signer`), see `vendor_clients::signers`.
pub const SIGNERS: &[&str] = &["mention-me-token"];

/// Type names the generated module defines itself.
const RESERVED_TYPES: &[&str] = &[
    "Api",
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorBody",
    "ByteStream",
];

/// Standard-library names the generated code uses unqualified; a type of the same name would
/// shadow them and break the generated module.
const PRELUDE_TYPES: &[&str] = &["Option", "Result", "String", "Vec", "Box", "From"];

/// Lowers a loaded document. `module` is the vendor's module name.
pub fn lower(src: &SourceFile, doc: &OpenAPI, module: &str) -> Result<Api, Diagnostics> {
    let mut l = Lowerer {
        src,
        doc,
        diags: Vec::new(),
        types: Vec::new(),
        type_owner: HashMap::new(),
        component_names: HashMap::new(),
        rejected: HashMap::new(),
        drop_tag: Vec::new(),
        unwraps: Vec::new(),
        auto_names: HashMap::new(),
    };
    l.name_components();
    l.lower_components();
    let schemes = l.lower_schemes();
    let servers = l.lower_servers(&schemes);
    let operations = l.lower_operations(&schemes);
    l.apply_tags_and_verdicts();
    l.access_modes(&operations);
    l.box_recursive();
    l.check_cycles();
    let error_bodies = collect_error_bodies(&operations, &l.types);
    if !l.diags.is_empty() {
        return Err(Diagnostics(l.diags));
    }
    Ok(Api {
        module: module.to_string(),
        source: src.name().to_string(),
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers,
        schemes,
        types: l.types,
        operations,
        error_bodies,
        unwraps: l.unwraps,
    })
}

struct Lowerer<'a> {
    src: &'a SourceFile,
    doc: &'a OpenAPI,
    diags: Vec<Diagnostic>,
    types: Vec<TypeDef>,
    /// Rust type name -> pointer of the schema that took it.
    type_owner: HashMap<String, String>,
    /// Component schema key -> Rust type name.
    component_names: HashMap<String, String>,
    /// oneOf type name -> rejected variant names (from `x-error-variants`), with the pointer.
    rejected: HashMap<String, (Vec<String>, String)>,
    /// (struct type, discriminator property) to remove from tagged oneOf variants.
    drop_tag: Vec<(String, String)>,
    /// `x-unwrap` conversions.
    unwraps: Vec<Unwrap>,
    /// Pointer -> the Rust type name picked for it when its natural name was taken.
    auto_names: HashMap<String, String>,
}

/// Nullability travels beside the type: it belongs to the field, not to the Rust type.
struct Lowered {
    ty: Ty,
    nullable: bool,
}

impl<'a> Lowerer<'a> {
    fn err(&mut self, pointer: &str, message: impl Into<String>) {
        let d = self.src.error(pointer, message);
        self.diags.push(d);
    }

    fn err_help(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        let d = self.src.error(pointer, message).with_help(help);
        self.diags.push(d);
    }

    /// Claims a Rust type name for the schema at `pointer`.
    fn claim_type(&mut self, name: &str, pointer: &str) -> bool {
        if RESERVED_TYPES.contains(&name) {
            self.err_help(
                pointer,
                format!("the Rust type name `{name}` is reserved for the generated client"),
                "set `x-rust-name` on this schema to another name",
            );
            return false;
        }
        if PRELUDE_TYPES.contains(&name) {
            self.err_help(
                pointer,
                format!("the Rust type name `{name}` would shadow Rust's own `{name}`, which the generated code uses"),
                "set `x-rust-name` on this schema to another name",
            );
            return false;
        }
        if !is_type_ident(name) {
            self.err_help(
                &child(pointer, "x-rust-name"),
                format!("`x-rust-name: {name}` is not a Rust type name"),
                "use letters, digits and `_`, starting with a letter, e.g. `MyThing`",
            );
            return false;
        }
        if let Some(owner) = self.type_owner.get(name) {
            if owner != pointer {
                let owner = owner.clone();
                self.err_help(
                    pointer,
                    format!("the Rust type name `{name}` is already taken by the schema at {owner}"),
                    "names collide after conversion to PascalCase; set `x-rust-name` on one of them, or move an inline schema into components.schemas",
                );
                return false;
            }
            return true;
        }
        self.type_owner
            .insert(name.to_string(), pointer.to_string());
        true
    }

    /// Claims a Rust type name the generator chose itself (not `x-rust-name`): when `base` is
    /// reserved for the generated client or taken by another schema, a free variant of it is
    /// used instead (`Error` becomes `ErrorSchema`, a second `MyType` becomes `MyType2`).
    fn claim_auto(&mut self, base: &str, pointer: &str) -> String {
        if let Some(name) = self.auto_names.get(pointer) {
            return name.clone();
        }
        let free = |l: &Self, n: &str| {
            !RESERVED_TYPES.contains(&n) && l.type_owner.get(n).map_or(true, |o| o == pointer)
        };
        let mut name = if RESERVED_TYPES.contains(&base) {
            format!("{base}Schema")
        } else {
            base.to_string()
        };
        let stem = name.clone();
        let mut n = 2;
        while !free(self, &name) {
            name = format!("{stem}{n}");
            n += 1;
        }
        self.type_owner.insert(name.clone(), pointer.to_string());
        self.auto_names.insert(pointer.to_string(), name.clone());
        name
    }

    fn name_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        for (key, schema) in &components.schemas {
            let pointer = child("#/components/schemas", key);
            let explicit = match schema {
                ReferenceOr::Item(s) => rust_name_ext(&s.schema_data.extensions),
                ReferenceOr::Reference { .. } => None,
            };
            if let Some(name) = explicit {
                if self.claim_type(&name, &pointer) {
                    self.component_names.insert(key.clone(), name);
                }
                continue;
            }
            let name = match pascal(key) {
                Some(n) => n,
                None => {
                    self.err(&pointer, format!("schema name `{key}` has no letters or digits to make a Rust type name from"));
                    continue;
                }
            };
            let name = self.claim_auto(&name, &pointer);
            self.component_names.insert(key.clone(), name);
        }
    }

    fn lower_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        for (key, schema) in &components.schemas {
            let Some(name) = self.component_names.get(key).cloned() else {
                continue;
            };
            let pointer = child("#/components/schemas", key);
            match schema {
                ReferenceOr::Reference { reference } => {
                    if let Some(target) = self.resolve_schema_ref(reference, &pointer) {
                        self.push_type(TypeDef {
                            name,
                            doc: None,
                            pointer,
                            kind: TypeKind::Alias(target.ty),
                        });
                    }
                }
                ReferenceOr::Item(s) => {
                    if let Some(kind) = self.define(s, &pointer, &name) {
                        self.push_type(TypeDef {
                            name,
                            doc: doc_of(s),
                            pointer,
                            kind,
                        });
                    }
                }
            }
        }
    }

    fn push_type(&mut self, def: TypeDef) {
        self.types.push(def);
    }

    /// The Rust type for `#/components/schemas/X`.
    fn resolve_schema_ref(&mut self, reference: &str, pointer: &str) -> Option<Lowered> {
        let Some(key) = reference.strip_prefix("#/components/schemas/") else {
            self.err_help(
                &child(pointer, "$ref"),
                format!("unsupported reference `{reference}`"),
                "schemas may only refer to `#/components/schemas/<Name>` in the same file",
            );
            return None;
        };
        let key = unescape(key);
        let Some(target) = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(&key))
        else {
            self.err_help(
                &child(pointer, "$ref"),
                format!("`$ref` target `{reference}` does not exist"),
                format!("define `{key}` under components.schemas, or fix the name"),
            );
            return None;
        };
        let name = self.component_names.get(&key)?.clone();
        let (nullable, lenient) = match target {
            ReferenceOr::Item(s) => (s.schema_data.nullable, is_lenient(s)),
            ReferenceOr::Reference { .. } => (false, false),
        };
        // A lenient component is lenient wherever it is used.
        let ty = if lenient {
            Ty::Lenient(Box::new(Ty::Named(name)))
        } else {
            Ty::Named(name)
        };
        Some(Lowered { ty, nullable })
    }

    /// The schema a `$ref` names, following chains of references.
    fn deref_schema<'s>(
        &mut self,
        mut r: &'s ReferenceOr<Schema>,
        pointer: &str,
    ) -> Option<(&'s Schema, String)>
    where
        'a: 's,
    {
        let mut seen = HashSet::new();
        loop {
            match r {
                ReferenceOr::Item(s) => return Some((s, pointer.to_string())),
                ReferenceOr::Reference { reference } => {
                    let key = match reference.strip_prefix("#/components/schemas/") {
                        Some(k) => unescape(k),
                        None => {
                            self.err(
                                &child(pointer, "$ref"),
                                format!("unsupported reference `{reference}`"),
                            );
                            return None;
                        }
                    };
                    if !seen.insert(key.clone()) {
                        self.err(
                            &child(pointer, "$ref"),
                            format!("`$ref` cycle through `{reference}`"),
                        );
                        return None;
                    }
                    match self
                        .doc
                        .components
                        .as_ref()
                        .and_then(|c| c.schemas.get(&key))
                    {
                        Some(next) => r = next,
                        None => {
                            self.err_help(
                                &child(pointer, "$ref"),
                                format!("`$ref` target `{reference}` does not exist"),
                                format!("define `{key}` under components.schemas, or fix the name"),
                            );
                            return None;
                        }
                    }
                }
            }
        }
    }

    /// Lowers a schema used in place (field, item, parameter, body); inline objects, enums and
    /// unions become named types called `hint`.
    fn lower_schema(
        &mut self,
        r: &ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
    ) -> Option<Lowered> {
        match r {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer),
            ReferenceOr::Item(s) => self.lower_inline(s, pointer, hint),
        }
    }

    fn lower_boxed(
        &mut self,
        r: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
    ) -> Option<Lowered> {
        match r {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer),
            ReferenceOr::Item(s) => self.lower_inline(s, pointer, hint),
        }
    }

    fn lower_inline(&mut self, s: &Schema, pointer: &str, hint: &str) -> Option<Lowered> {
        let nullable = s.schema_data.nullable;
        if let Some(ty) = self.scalar(s, pointer, hint) {
            return Some(Lowered { ty, nullable });
        }
        // Needs a named type.
        let name = match rust_name_ext(&s.schema_data.extensions) {
            Some(explicit) => {
                if !self.claim_type(&explicit, pointer) {
                    return None;
                }
                explicit
            }
            None => self.claim_auto(hint, pointer),
        };
        let kind = self.define(s, pointer, &name)?;
        self.push_type(TypeDef {
            name: name.clone(),
            doc: doc_of(s),
            pointer: pointer.to_string(),
            kind,
        });
        Some(Lowered {
            ty: Ty::Named(name),
            nullable,
        })
    }

    /// Types that need no definition of their own; `None` if the schema needs a named type.
    fn scalar(&mut self, s: &Schema, pointer: &str, hint: &str) -> Option<Ty> {
        if let SchemaKind::Any(any) = &s.schema_kind {
            if let Some(t) = any.typ.as_deref().filter(|t| !JSON_TYPES.contains(t)) {
                self.err_help(
                    &child(pointer, "type"),
                    format!("`type: {t}` is not a type OpenAPI 3.0 knows"),
                    format!("use one of {}", JSON_TYPES.join(", ")),
                );
                return Some(Ty::Json);
            }
        }
        let ty = self.scalar_plain(s, pointer, hint)?;
        Some(if is_lenient(s) {
            self.lenient(ty, pointer)
        } else {
            ty
        })
    }

    /// `x-lenient` wraps the types that have other wire forms; elsewhere it is a mistake.
    fn lenient(&mut self, ty: Ty, pointer: &str) -> Ty {
        match ty {
            Ty::I32
            | Ty::I64
            | Ty::F32
            | Ty::F64
            | Ty::Bool
            | Ty::String
            | Ty::EpochSeconds
            | Ty::Map(_)
            | Ty::Named(_) => Ty::Lenient(Box::new(ty)),
            other => {
                self.err_help(
                    &child(pointer, "x-lenient"),
                    "`x-lenient` applies to plain strings, numbers, integers (also epoch-seconds), booleans and objects",
                    "remove it here",
                );
                other
            }
        }
    }

    fn scalar_plain(&mut self, s: &Schema, pointer: &str, hint: &str) -> Option<Ty> {
        let sensitive = s
            .schema_data
            .extensions
            .get("x-sensitive")
            .and_then(|v| v.as_bool())
            == Some(true);
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                if !st.enumeration.is_empty() {
                    return None;
                }
                if sensitive {
                    return Some(Ty::Secret);
                }
                Some(match &st.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ty::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Ty::Date,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Ty::Secret,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "naive-date-time" => {
                        Ty::NaiveDateTime
                    }
                    _ => Ty::String,
                })
            }
            SchemaKind::Type(Type::Integer(it)) => {
                if !it.enumeration.is_empty()
                    && s.schema_data.extensions.contains_key("x-enum-varnames")
                {
                    return None;
                }
                Some(match &it.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Ty::I32,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "epoch-millis" => Ty::EpochMillis,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "epoch-seconds" => Ty::EpochSeconds,
                    _ => Ty::I64,
                })
            }
            SchemaKind::Type(Type::Number(nt)) => Some(match &nt.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => Ty::F32,
                _ => Ty::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Some(Ty::Bool),
            // `allOf: [$ref]` with a description or `nullable` beside it (the OpenAPI 3.0 way to
            // annotate a reference) is the referenced type itself.
            SchemaKind::AllOf { all_of }
                if all_of.len() == 1 && matches!(all_of[0], ReferenceOr::Reference { .. }) =>
            {
                let at = child(&child(pointer, "allOf"), "0");
                match &all_of[0] {
                    ReferenceOr::Reference { reference } => {
                        self.resolve_schema_ref(reference, &at).map(|l| l.ty)
                    }
                    ReferenceOr::Item(_) => None,
                }
            }
            // `allOf: [{description: ...}, $ref]`: parts that only annotate add nothing.
            SchemaKind::AllOf { all_of }
                if all_of.len() > 1
                    && all_of.iter().filter(|p| !annotation_only(p)).count() == 1
                    && all_of
                        .iter()
                        .any(|p| matches!(p, ReferenceOr::Reference { .. })) =>
            {
                let (i, part) = all_of
                    .iter()
                    .enumerate()
                    .find(|(_, p)| !annotation_only(p))?;
                match part {
                    ReferenceOr::Reference { reference } => {
                        let at = child(&child(pointer, "allOf"), i.to_string());
                        self.resolve_schema_ref(reference, &at).map(|l| l.ty)
                    }
                    ReferenceOr::Item(_) => None,
                }
            }
            // `allOf` with one inline part is that part.
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => match &all_of[0] {
                ReferenceOr::Item(part) => {
                    let at = child(&child(pointer, "allOf"), "0");
                    self.scalar(part, &at, hint)
                }
                ReferenceOr::Reference { .. } => None,
            },
            SchemaKind::Type(Type::Array(at)) => {
                let item = match &at.items {
                    Some(items) => {
                        let item_hint = format!("{hint}Item");
                        self.lower_boxed(items, &child(pointer, "items"), &item_hint)
                            .map(|l| l.ty)
                            .unwrap_or(Ty::Json)
                    }
                    None => Ty::Json,
                };
                Some(Ty::Vec(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(ot)) if ot.properties.is_empty() => {
                if let Some(row) = self.x_row(s, pointer) {
                    return Some(row.unwrap_or(Ty::Json));
                }
                Some(Ty::Map(Box::new(
                    self.additional(&ot.additional_properties, pointer, hint)
                        .unwrap_or(Ty::Json),
                )))
            }
            // A scalar `type` with keywords of another type beside it (`type: string` with
            // `minimum`) is read loosely by openapiv3; the `type` decides.
            SchemaKind::Any(any)
                if any.properties.is_empty()
                    && any.one_of.is_empty()
                    && any.all_of.is_empty()
                    && any.any_of.is_empty()
                    && any.enumeration.is_empty()
                    && matches!(
                        any.typ.as_deref(),
                        Some("string" | "integer" | "number" | "boolean")
                    ) =>
            {
                Some(match (any.typ.as_deref(), any.format.as_deref()) {
                    (Some("string"), _) if sensitive => Ty::Secret,
                    (Some("string"), Some("date-time")) => Ty::DateTime,
                    (Some("string"), Some("date")) => Ty::Date,
                    (Some("string"), Some("password")) => Ty::Secret,
                    (Some("string"), _) => Ty::String,
                    (Some("integer"), Some("int32")) => Ty::I32,
                    (Some("integer"), _) => Ty::I64,
                    (Some("number"), Some("float")) => Ty::F32,
                    (Some("number"), _) => Ty::F64,
                    _ => Ty::Bool,
                })
            }
            SchemaKind::Any(any) => {
                if any.properties.is_empty()
                    && any.one_of.is_empty()
                    && any.all_of.is_empty()
                    && any.any_of.is_empty()
                    && any.enumeration.is_empty()
                {
                    if any.additional_properties.is_some() || any.typ.as_deref() == Some("object") {
                        if let Some(row) = self.x_row(s, pointer) {
                            return Some(row.unwrap_or(Ty::Json));
                        }
                        Some(Ty::Map(Box::new(
                            self.additional(&any.additional_properties, pointer, hint)
                                .unwrap_or(Ty::Json),
                        )))
                    } else {
                        Some(Ty::Json)
                    }
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// `x-row: {metrics: {$ref}, dimensions: {$ref}}` on an object: its keys (beyond the named
    /// properties) are metric and dimension names, read through `vendor_clients::Row`. `None`
    /// without the extension; `Some(None)` when it is malformed (reported).
    fn x_row(&mut self, s: &Schema, pointer: &str) -> Option<Option<Ty>> {
        let v = s.schema_data.extensions.get("x-row")?;
        let at = child(pointer, "x-row");
        let help = "write `x-row: {metrics: {$ref: '#/components/schemas/Metric'}, dimensions: {$ref: '#/components/schemas/Dimension'}}` (`dimensions` optional), each a string enum";
        let Some(obj) = v.as_object() else {
            self.err_help(&at, "`x-row` must be an object", help);
            return Some(None);
        };
        if let Some(k) = obj.keys().find(|k| *k != "metrics" && *k != "dimensions") {
            self.err_help(&at, format!("`x-row` has no `{k}`"), help);
            return Some(None);
        }
        let mut names = Vec::new();
        for key in ["metrics", "dimensions"] {
            let Some(entry) = obj.get(key) else {
                if key == "metrics" {
                    self.err_help(&at, "`x-row` needs `metrics`", help);
                    return Some(None);
                }
                names.push(None);
                continue;
            };
            let here = child(&at, key);
            let Some(reference) = entry.get("$ref").and_then(|r| r.as_str()) else {
                self.err_help(&here, format!("`x-row.{key}` must be a `$ref`"), help);
                return Some(None);
            };
            let is_enum = reference
                .strip_prefix("#/components/schemas/")
                .and_then(|k| self.doc.components.as_ref()?.schemas.get(&unescape(k)))
                .is_some_and(|t| match t {
                    ReferenceOr::Item(t) => matches!(
                        &t.schema_kind,
                        SchemaKind::Type(Type::String(st)) if !st.enumeration.is_empty()
                    ),
                    ReferenceOr::Reference { .. } => false,
                });
            match self.resolve_schema_ref(reference, &here) {
                Some(Lowered {
                    ty: Ty::Named(n), ..
                }) if is_enum => names.push(Some(n)),
                Some(_) => {
                    self.err_help(
                        &here,
                        format!("`x-row.{key}` must name a string enum (the names of the keys)"),
                        help,
                    );
                    return Some(None);
                }
                None => return Some(None),
            }
        }
        let dimensions = names.pop().flatten();
        let metrics = names.pop().flatten()?;
        Some(Some(Ty::Row(metrics, dimensions)))
    }

    fn additional(
        &mut self,
        ap: &Option<AdditionalProperties>,
        pointer: &str,
        hint: &str,
    ) -> Option<Ty> {
        match ap {
            Some(AdditionalProperties::Schema(s)) => {
                let value_hint = format!("{hint}Value");
                self.lower_schema(s, &child(pointer, "additionalProperties"), &value_hint)
                    .map(|l| l.ty)
            }
            Some(AdditionalProperties::Any(true)) | None => Some(Ty::Json),
            Some(AdditionalProperties::Any(false)) => None,
        }
    }

    /// Defines the named type `name` for schema `s`.
    fn define(&mut self, s: &Schema, pointer: &str, name: &str) -> Option<TypeKind> {
        if let Some(ty) = self.scalar(s, pointer, name) {
            return Some(TypeKind::Alias(ty));
        }
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => self.string_enum(&st.enumeration, pointer),
            SchemaKind::Type(Type::Integer(it)) => {
                let values: Vec<i64> = it.enumeration.iter().flatten().copied().collect();
                self.int_enum(&values, &s.schema_data.extensions, pointer)
            }
            SchemaKind::Type(Type::Object(ot)) => {
                let fields = self.fields(&ot.properties, &ot.required, pointer, name);
                let additional = match (self.x_row(s, pointer), &ot.additional_properties) {
                    (Some(row), _) => row,
                    (None, Some(AdditionalProperties::Any(false)) | None) => None,
                    (None, ap) => self.additional(ap, pointer, name),
                };
                Some(TypeKind::Struct { fields, additional })
            }
            SchemaKind::OneOf { one_of } => self.one_of(one_of, s, pointer, name, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.one_of(any_of, s, pointer, name, "anyOf"),
            SchemaKind::AllOf { all_of }
                if all_of.len() == 1 && matches!(all_of[0], ReferenceOr::Item(_)) =>
            {
                match &all_of[0] {
                    ReferenceOr::Item(part) => {
                        self.define(part, &child(&child(pointer, "allOf"), "0"), name)
                    }
                    ReferenceOr::Reference { .. } => None,
                }
            }
            SchemaKind::AllOf { all_of } => self.all_of(all_of, pointer, name),
            SchemaKind::Not { .. } => {
                self.err_help(
                    pointer,
                    "`not` schemas are not supported",
                    "describe the allowed shape instead",
                );
                None
            }
            SchemaKind::Any(any) => {
                if !any.one_of.is_empty() {
                    self.one_of(&any.one_of, s, pointer, name, "oneOf")
                } else if !any.any_of.is_empty() {
                    self.one_of(&any.any_of, s, pointer, name, "anyOf")
                } else if !any.all_of.is_empty() {
                    self.all_of(&any.all_of, pointer, name)
                } else if !any.properties.is_empty() {
                    let fields = self.fields(&any.properties, &any.required, pointer, name);
                    let additional = match (self.x_row(s, pointer), &any.additional_properties) {
                        (Some(row), _) => row,
                        (None, Some(AdditionalProperties::Any(false)) | None) => None,
                        (None, ap) => self.additional(ap, pointer, name),
                    };
                    Some(TypeKind::Struct { fields, additional })
                } else if !any.enumeration.is_empty() {
                    let values: Vec<Option<String>> = any
                        .enumeration
                        .iter()
                        .map(|v| v.as_str().map(str::to_string))
                        .collect();
                    if values.iter().all(Option::is_some) {
                        self.string_enum(&values, pointer)
                    } else {
                        Some(TypeKind::Alias(Ty::Json))
                    }
                } else {
                    Some(TypeKind::Alias(Ty::Json))
                }
            }
            SchemaKind::Type(_) => Some(TypeKind::Alias(Ty::Json)),
        }
    }

    fn string_enum(&mut self, values: &[Option<String>], pointer: &str) -> Option<TypeKind> {
        let mut out: Vec<EnumValue> = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (i, v) in values.iter().enumerate() {
            let Some(wire) = v else { continue }; // `null` in an enum: nullability, not a value
            let at = child(&child(pointer, "enum"), i.to_string());
            let rust = if wire.is_empty() {
                Some("Empty".to_string())
            } else {
                pascal(wire)
            };
            let Some(rust) = rust else {
                self.err_help(&at, format!("enum value `{wire}` has no letters or digits to make a Rust variant name from"), "rename the value, or model this field as a plain string");
                continue;
            };
            if let Some(prev) = seen.get(&rust) {
                if prev == wire {
                    self.err(&at, format!("enum value `{wire}` is listed twice"));
                } else {
                    let prev = prev.clone();
                    self.err_help(&at, format!("enum values `{prev}` and `{wire}` both become the Rust variant `{rust}`"), "model this field as a plain string, or remove one of the values");
                }
                continue;
            }
            seen.insert(rust.clone(), wire.clone());
            out.push(EnumValue {
                rust,
                wire: wire.clone(),
            });
        }
        let unknown = if seen.contains_key("Unknown") {
            "UnknownValue"
        } else {
            "Unknown"
        };
        Some(TypeKind::Enum {
            values: out,
            unknown: unknown.to_string(),
        })
    }

    fn int_enum(
        &mut self,
        values: &[i64],
        ext: &IndexMap<String, serde_json::Value>,
        pointer: &str,
    ) -> Option<TypeKind> {
        let at = child(pointer, "x-enum-varnames");
        let names: Option<Vec<String>> = ext.get("x-enum-varnames").and_then(|v| {
            v.as_array()?
                .iter()
                .map(|n| n.as_str().map(str::to_string))
                .collect()
        });
        let Some(names) = names else {
            self.err(&at, "`x-enum-varnames` must be a list of names");
            return None;
        };
        if names.len() != values.len() {
            self.err_help(
                &at,
                format!(
                    "`x-enum-varnames` has {} names for {} enum values",
                    names.len(),
                    values.len()
                ),
                "give exactly one name per value, in the same order",
            );
            return None;
        }
        let mut out: Vec<(String, i64)> = Vec::new();
        for (i, (name, value)) in names.iter().zip(values).enumerate() {
            let Some(rust) = pascal(name) else {
                self.err(
                    &child(&at, i.to_string()),
                    format!("`{name}` cannot become a Rust variant name"),
                );
                continue;
            };
            if out.iter().any(|(r, _)| r == &rust) {
                self.err(
                    &child(&at, i.to_string()),
                    format!("two values both become the Rust variant `{rust}`"),
                );
                continue;
            }
            if out.iter().any(|(_, v)| v == value) {
                self.err(
                    &child(&child(pointer, "enum"), i.to_string()),
                    format!("enum value {value} is listed twice"),
                );
                continue;
            }
            out.push((rust, *value));
        }
        let unknown = if out.iter().any(|(r, _)| r == "Unknown") {
            "UnknownValue"
        } else {
            "Unknown"
        };
        Some(TypeKind::IntEnum {
            values: out,
            unknown: unknown.to_string(),
        })
    }

    fn fields(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        pointer: &str,
        owner: &str,
    ) -> Vec<Field> {
        let mut fields = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (wire, schema) in properties {
            let at = child(&child(pointer, "properties"), wire);
            let explicit = match schema {
                ReferenceOr::Item(s) => {
                    rust_name_ext(&s.schema_data.extensions).and_then(|n| snake(&n))
                }
                ReferenceOr::Reference { .. } => None,
            };
            let Some(rust) = explicit.or_else(|| snake(wire)) else {
                self.err_help(&at, format!("property name `{wire}` has no letters or digits to make a Rust field name from"), "set `x-rust-name` on the property");
                continue;
            };
            if let Some(prev) = seen.get(&rust) {
                let prev = prev.clone();
                self.err_help(
                    &at,
                    format!("properties `{prev}` and `{wire}` both become the Rust field `{rust}`"),
                    "set `x-rust-name` on one of them",
                );
                continue;
            }
            if owner_field_conflict(&rust) {
                self.err_help(&at, format!("property `{wire}` becomes the Rust field `{rust}`, which the generated type uses itself"), "set `x-rust-name` on the property");
                continue;
            }
            seen.insert(rust.clone(), wire.clone());
            let hint = format!("{owner}{}", pascal(wire).unwrap_or_default());
            let Some(l) = self.lower_boxed(schema, &at, &hint) else {
                continue;
            };
            let doc = match schema {
                ReferenceOr::Item(s) => doc_of(s),
                // A property that is a `$ref` is documented by the schema it names.
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|k| self.doc.components.as_ref()?.schemas.get(&unescape(k)))
                    .and_then(|t| match t {
                        ReferenceOr::Item(t) => doc_of(t),
                        ReferenceOr::Reference { .. } => None,
                    }),
            };
            let aliases = match schema {
                ReferenceOr::Item(s) => match s.schema_data.extensions.get("x-aliases") {
                    None => Vec::new(),
                    Some(v) => match v.as_array().and_then(|a| {
                        a.iter()
                            .map(|x| x.as_str().map(str::to_string))
                            .collect::<Option<Vec<_>>>()
                    }) {
                        Some(list) => list,
                        None => {
                            self.err(
                                &child(&at, "x-aliases"),
                                "`x-aliases` must be a list of property names",
                            );
                            Vec::new()
                        }
                    },
                },
                ReferenceOr::Reference { .. } => Vec::new(),
            };
            for a in &aliases {
                if properties.contains_key(a) {
                    self.err(
                        &child(&at, "x-aliases"),
                        format!("alias `{a}` is also a property of this object"),
                    );
                }
            }
            let (read_only, write_only, default) = match schema {
                ReferenceOr::Item(s) => (
                    s.schema_data.read_only,
                    s.schema_data.write_only,
                    s.schema_data.default.clone(),
                ),
                ReferenceOr::Reference { .. } => (false, false, None),
            };
            let is_required = required.contains(wire);
            let (default, doc) = match default {
                Some(d) if !is_required && !l.nullable => {
                    if default_fits(&l.ty, &d, &self.types, 0) {
                        (Some(d.to_string()), doc)
                    } else {
                        // Not lost silently: the field's documentation says what the spec gave.
                        let note = format!("The spec's default `{d}` is not a value of this type, so it is not applied: an absent property is `None`.");
                        let doc = match doc {
                            Some(text) => format!("{}\n\n{note}", text.trim_end()),
                            None => note,
                        };
                        (None, Some(doc))
                    }
                }
                _ => (None, doc),
            };
            fields.push(Field {
                rust,
                wire: wire.clone(),
                ty: l.ty,
                required: is_required,
                nullable: l.nullable,
                doc,
                aliases,
                boxed: false,
                read_only,
                write_only,
                default,
            });
        }
        // `required` may name a property the object does not describe: it must be present, with
        // any value (JSON Schema), so it becomes a field holding any JSON value.
        for (i, r) in required.iter().enumerate() {
            if properties.contains_key(r) {
                continue;
            }
            let at = child(&child(pointer, "required"), i.to_string());
            let Some(rust) = snake(r) else {
                self.err_help(&at, format!("required property `{r}` has no letters or digits to make a Rust field name from"), "describe it under `properties` with `x-rust-name`");
                continue;
            };
            if let Some(prev) = seen.get(&rust) {
                let prev = prev.clone();
                self.err_help(
                    &at,
                    format!("properties `{prev}` and `{r}` both become the Rust field `{rust}`"),
                    "describe it under `properties` with `x-rust-name`",
                );
                continue;
            }
            seen.insert(rust.clone(), r.clone());
            fields.push(Field {
                rust,
                wire: r.clone(),
                ty: Ty::Json,
                required: true,
                nullable: false,
                doc: Some(format!(
                    "`{r}`: listed as required without a schema, so any JSON value."
                )),
                aliases: Vec::new(),
                boxed: false,
                read_only: false,
                write_only: false,
                default: None,
            });
        }
        fields
    }

    fn one_of(
        &mut self,
        items: &[ReferenceOr<Schema>],
        s: &Schema,
        pointer: &str,
        name: &str,
        key: &str,
    ) -> Option<TypeKind> {
        if items.is_empty() {
            self.err(pointer, format!("`{key}` has no alternatives"));
            return None;
        }
        let disc = s.schema_data.discriminator.as_ref();
        if disc.is_none() {
            if let Some(values) = self.string_alternatives(items, pointer, key) {
                // A union of string enums (or constants) is one string enum.
                return self.string_enum(&values, pointer);
            }
        }
        // Without `discriminator`, alternatives that are objects each fixing the same required
        // property to a different single value are internally tagged by that property.
        let implicit = if disc.is_none() {
            self.implicit_tag(items, pointer, key)
        } else {
            None
        };
        let tag = disc
            .map(|d| d.property_name.clone())
            .or_else(|| implicit.as_ref().map(|(p, _)| p.clone()));
        let mut mapping: HashMap<String, String> = HashMap::new();
        if let Some(d) = disc {
            for (value, target) in &d.mapping {
                let key = target
                    .strip_prefix("#/components/schemas/")
                    .map(unescape)
                    .unwrap_or_else(|| target.clone());
                mapping.insert(key, value.clone());
            }
        }
        let mut variants = Vec::new();
        let mut seen = HashSet::new();
        for (i, item) in items.iter().enumerate() {
            let at = child(&child(pointer, key), i.to_string());
            let implicit_value = implicit.as_ref().map(|(_, values)| values[i].clone());
            let title = match item {
                ReferenceOr::Item(s) => s.schema_data.title.as_deref().and_then(pascal),
                ReferenceOr::Reference { .. } => None,
            };
            let hint = match (&implicit_value, &title) {
                (Some(v), _) => format!(
                    "{name}{}",
                    pascal(v).unwrap_or_else(|| format!("Variant{}", i + 1))
                ),
                (None, Some(t)) => format!("{name}{t}"),
                (None, None) => format!("{name}Variant{}", i + 1),
            };
            let Some(l) = self.lower_schema(item, &at, &hint) else {
                continue;
            };
            let schema_key = match item {
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/schemas/")
                    .map(unescape),
                ReferenceOr::Item(_) => None,
            };
            let tag_value = match (&tag, &schema_key) {
                _ if implicit_value.is_some() => implicit_value,
                (Some(_), Some(k)) => Some(mapping.get(k).cloned().unwrap_or_else(|| k.clone())),
                (Some(t), None) => {
                    self.err_help(&at, format!("a `{key}` with discriminator `{t}` needs each alternative to be a `$ref` to a named schema"), "move the inline alternative into components.schemas");
                    continue;
                }
                (None, _) => None,
            };
            let rust = match (&tag_value, &l.ty) {
                (Some(v), _) => pascal(v),
                (None, _) if title.is_some() => title,
                (None, Ty::Named(n)) => Some(
                    n.strip_prefix(name)
                        .filter(|r| pascal(r).as_deref() == Some(*r))
                        .unwrap_or(n)
                        .to_string(),
                ),
                (None, ty) => Some(ty_variant_name(ty)),
            };
            let Some(rust) = rust else {
                self.err(&at, "cannot make a Rust variant name for this alternative");
                continue;
            };
            if !seen.insert(rust.clone()) {
                self.err_help(
                    &at,
                    format!("two alternatives both become the Rust variant `{rust}`"),
                    "give the alternatives distinct schema names or discriminator values",
                );
                continue;
            }
            if let (Some(t), Ty::Named(n)) = (&tag, &l.ty) {
                self.drop_tag.push((n.clone(), t.clone()));
            }
            variants.push(Variant {
                rust,
                ty: l.ty,
                tag_value,
                boxed: false,
            });
        }
        Some(TypeKind::OneOf {
            tag,
            variants,
            rejected: Vec::new(),
        })
    }

    /// The values of a `oneOf`/`anyOf` whose alternatives are all string enums.
    fn string_alternatives(
        &mut self,
        items: &[ReferenceOr<Schema>],
        pointer: &str,
        key: &str,
    ) -> Option<Vec<Option<String>>> {
        let _ = (pointer, key);
        let mut values = Vec::new();
        for item in items {
            let ReferenceOr::Item(s) = item else {
                return None;
            };
            let SchemaKind::Type(Type::String(st)) = &s.schema_kind else {
                return None;
            };
            if st.enumeration.is_empty() || is_lenient(s) {
                return None;
            }
            values.extend(st.enumeration.iter().cloned());
        }
        // The same value twice would be one variant: then this is not a plain enum.
        let mut seen = HashSet::new();
        values
            .iter()
            .flatten()
            .all(|v| seen.insert(v.clone()))
            .then_some(values)
    }

    /// The property and per-alternative values of a `oneOf` tagged without `discriminator`:
    /// every alternative an object (inline or `$ref`) with the same required string property
    /// fixed to one value (`enum` of one), the values all different.
    fn implicit_tag(
        &mut self,
        items: &[ReferenceOr<Schema>],
        pointer: &str,
        key: &str,
    ) -> Option<(String, Vec<String>)> {
        if items.is_empty() {
            return None;
        }
        let mut per_item: Vec<Vec<(String, String)>> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = child(&child(pointer, key), i.to_string());
            let n = self.diags.len();
            let resolved = self.deref_schema(item, &at);
            // A broken reference is reported where the alternative is lowered.
            self.diags.truncate(n);
            let (schema, _) = resolved?;
            let (props, required) = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
                SchemaKind::Any(a) if a.all_of.is_empty() && a.one_of.is_empty() => {
                    (&a.properties, &a.required)
                }
                _ => return None,
            };
            let mut consts = Vec::new();
            for (p, ps) in props {
                if !required.contains(p) {
                    continue;
                }
                let ReferenceOr::Item(ps) = ps else { continue };
                if let SchemaKind::Type(Type::String(st)) = &ps.schema_kind {
                    if let [Some(v)] = st.enumeration.as_slice() {
                        consts.push((p.clone(), v.clone()));
                    }
                }
            }
            per_item.push(consts);
        }
        let first = per_item.first()?;
        for (prop, _) in first {
            let values: Option<Vec<String>> = per_item
                .iter()
                .map(|c| c.iter().find(|(p, _)| p == prop).map(|(_, v)| v.clone()))
                .collect();
            if let Some(values) = values {
                let distinct: HashSet<&String> = values.iter().collect();
                let names: HashSet<Option<String>> = values.iter().map(|v| pascal(v)).collect();
                if distinct.len() == values.len()
                    && names.len() == values.len()
                    && !names.contains(&None)
                {
                    return Some((prop.clone(), values));
                }
            }
        }
        None
    }

    fn all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        pointer: &str,
        name: &str,
    ) -> Option<TypeKind> {
        let mut props: IndexMap<String, ReferenceOr<Box<Schema>>> = IndexMap::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional = None;
        self.collect_all_of(
            parts,
            pointer,
            &mut props,
            &mut required,
            &mut additional,
            &mut HashSet::new(),
        )?;
        let fields = self.fields(&props, &required, pointer, name);
        let additional = match &additional {
            Some(AdditionalProperties::Any(false)) | None => None,
            ap => self.additional(ap, pointer, name),
        };
        Some(TypeKind::Struct { fields, additional })
    }

    fn collect_all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        pointer: &str,
        props: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &mut Vec<String>,
        additional: &mut Option<AdditionalProperties>,
        visiting: &mut HashSet<String>,
    ) -> Option<()> {
        for (i, part) in parts.iter().enumerate() {
            let at = child(&child(pointer, "allOf"), i.to_string());
            if annotation_only(part) {
                continue;
            }
            if let ReferenceOr::Reference { reference } = part {
                if !visiting.insert(reference.clone()) {
                    self.err(
                        &child(&at, "$ref"),
                        format!("`allOf` includes `{reference}` inside itself"),
                    );
                    return None;
                }
            }
            let (schema, _) = self.deref_schema(part, &at)?;
            // Where the part's own nodes are in the file: the referenced schema for a `$ref`.
            let src_at = match part {
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/schemas/")
                    .map(|k| child("#/components/schemas", unescape(k)))
                    .unwrap_or_else(|| at.clone()),
                ReferenceOr::Item(_) => at.clone(),
            };
            let (p, r, a, nested): (_, _, _, Option<&Vec<ReferenceOr<Schema>>>) = match &schema
                .schema_kind
            {
                SchemaKind::Type(Type::Object(ot)) => (
                    &ot.properties,
                    &ot.required,
                    &ot.additional_properties,
                    None,
                ),
                SchemaKind::AllOf { all_of } => (&EMPTY_PROPS, &EMPTY_REQ, &None, Some(all_of)),
                SchemaKind::Any(any) if !any.all_of.is_empty() || !any.properties.is_empty() => (
                    &any.properties,
                    &any.required,
                    &any.additional_properties,
                    if any.all_of.is_empty() {
                        None
                    } else {
                        Some(&any.all_of)
                    },
                ),
                _ => {
                    self.err_help(&at, "`allOf` parts must be objects (or other `allOf`s) to be merged into one struct", "use `oneOf` for alternatives, or make each part an object");
                    return None;
                }
            };
            if let Some(nested) = nested {
                self.collect_all_of(nested, &src_at, props, required, additional, visiting)?;
            }
            for (k, v) in p {
                if let Some(prev) = props.get(k) {
                    if prev != v {
                        self.err_help(
                            &child(&child(&src_at, "properties"), k),
                            format!("`allOf` parts disagree on the schema of property `{k}`"),
                            "make the parts agree, or keep the property in one part only",
                        );
                        continue;
                    }
                }
                props.insert(k.clone(), v.clone());
            }
            for r in r {
                if !required.contains(r) {
                    required.push(r.clone());
                }
            }
            if a.is_some() {
                *additional = a.clone();
            }
            if let ReferenceOr::Reference { reference } = part {
                visiting.remove(reference);
            }
        }
        Some(())
    }

    fn lower_schemes(&mut self) -> Vec<Scheme> {
        let mut out: Vec<Scheme> = Vec::new();
        let Some(components) = &self.doc.components else {
            return out;
        };
        for (name, scheme) in &components.security_schemes {
            let pointer = child("#/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                self.err(
                    &pointer,
                    "references to security schemes are not supported; define the scheme here",
                );
                continue;
            };
            let (kind, description) = match scheme {
                SecurityScheme::HTTP {
                    scheme,
                    description,
                    extensions,
                    ..
                } => match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => (SchemeKind::Bearer, description.clone()),
                    "basic" => match extensions.get("x-basic-username") {
                        None => (SchemeKind::Basic, description.clone()),
                        Some(serde_json::Value::String(user)) if !user.contains(':') => (
                            SchemeKind::BasicFixedUser(user.clone()),
                            description.clone(),
                        ),
                        Some(_) => {
                            self.err_help(
                                &child(&pointer, "x-basic-username"),
                                "`x-basic-username` must be a string without `:`",
                                "write the fixed user name, e.g. `x-basic-username: \"\"` for an empty one",
                            );
                            continue;
                        }
                    },
                    other => {
                        self.err_help(
                            &child(&pointer, "scheme"),
                            format!("HTTP auth scheme `{other}` is not supported"),
                            "use `bearer` or `basic`",
                        );
                        continue;
                    }
                },
                SecurityScheme::APIKey {
                    extensions,
                    description,
                    ..
                } if extensions.contains_key("x-signer") => {
                    let signer = extensions
                        .get("x-signer")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default();
                    if !SIGNERS.contains(&signer) {
                        self.err_help(
                            &child(&pointer, "x-signer"),
                            format!("unknown signer `{signer}`"),
                            format!("the runtime has these signers: {}", SIGNERS.join(", ")),
                        );
                        continue;
                    }
                    (SchemeKind::Signer(signer.to_string()), description.clone())
                }
                SecurityScheme::APIKey {
                    location,
                    name: key,
                    description,
                    ..
                } => match location {
                    openapiv3::APIKeyLocation::Header => {
                        (SchemeKind::ApiKeyHeader(key.clone()), description.clone())
                    }
                    openapiv3::APIKeyLocation::Query => {
                        (SchemeKind::ApiKeyQuery(key.clone()), description.clone())
                    }
                    openapiv3::APIKeyLocation::Cookie => {
                        self.err_help(
                            &child(&pointer, "in"),
                            "API keys in cookies are not supported",
                            "send the key in a header or the query",
                        );
                        continue;
                    }
                },
                // A token obtained elsewhere is sent as a bearer token.
                SecurityScheme::OAuth2 { description, .. }
                | SecurityScheme::OpenIDConnect { description, .. } => {
                    (SchemeKind::Bearer, description.clone())
                }
            };
            let ext = match scheme {
                SecurityScheme::APIKey { extensions, .. }
                | SecurityScheme::HTTP { extensions, .. }
                | SecurityScheme::OAuth2 { extensions, .. }
                | SecurityScheme::OpenIDConnect { extensions, .. } => extensions,
            };
            let Some(setter) = rust_name_ext(ext)
                .and_then(|n| snake(&n))
                .or_else(|| snake(name))
            else {
                self.err(
                    &pointer,
                    format!("security scheme name `{name}` cannot become a builder method name"),
                );
                continue;
            };
            if let Some(prev) = out.iter().find(|s| s.setter == setter) {
                let prev = prev.name.clone();
                self.err_help(
                    &pointer,
                    format!("security schemes `{prev}` and `{name}` both become the builder method `{setter}`"),
                    "rename one of them, or set `x-rust-name` on one of them",
                );
                continue;
            }
            out.push(Scheme {
                name: name.clone(),
                setter,
                kind,
                description: description.unwrap_or_default(),
            });
        }
        out
    }

    fn lower_servers(&mut self, schemes: &[Scheme]) -> Vec<Server> {
        let mut out = Vec::new();
        let mut setters: HashMap<String, String> = schemes
            .iter()
            .map(|s| (s.setter.clone(), format!("security scheme `{}`", s.name)))
            .collect();
        for s in schemes {
            if RESERVED_SETTERS.contains(&s.setter.as_str()) {
                self.err_help(&child("#/components/securitySchemes", &s.name), format!("security scheme `{}` would get the builder method `{}`, which the builder already has", s.name, s.setter), "rename the scheme");
            }
        }
        for (i, server) in self.doc.servers.iter().enumerate() {
            let pointer = child("#/servers", i.to_string());
            let mut variables = Vec::new();
            for (name, var) in server.variables.iter().flatten() {
                let at = child(&child(&pointer, "variables"), name);
                if !server.url.contains(&format!("{{{name}}}")) {
                    self.err(
                        &at,
                        format!(
                            "server variable `{name}` is not used in the URL `{}`",
                            server.url
                        ),
                    );
                }
                let Some(setter) = snake(name) else {
                    self.err(
                        &at,
                        format!("server variable `{name}` cannot become a builder method name"),
                    );
                    continue;
                };
                if RESERVED_SETTERS.contains(&setter.as_str()) {
                    self.err_help(&at, format!("server variable `{name}` would get the builder method `{setter}`, which the builder already has"), "rename the variable");
                    continue;
                }
                if let Some(prev) = setters.get(&setter) {
                    if !prev.starts_with("server variable")
                        || prev != &format!("server variable `{name}`")
                    {
                        let prev = prev.clone();
                        self.err(&at, format!("server variable `{name}` and {prev} both become the builder method `{setter}`"));
                        continue;
                    }
                }
                setters.insert(setter.clone(), format!("server variable `{name}`"));
                if !var.enumeration.is_empty()
                    && !var.default.is_empty()
                    && !var.enumeration.contains(&var.default)
                {
                    self.err(
                        &child(&at, "default"),
                        format!(
                            "server variable `{name}` has the default `{}`, which is not one of its allowed values ({})",
                            var.default,
                            var.enumeration.join(", ")
                        ),
                    );
                }
                variables.push(ServerVariable {
                    name: name.clone(),
                    setter,
                    default: var.default.clone(),
                    allowed: var.enumeration.clone(),
                    description: var.description.clone().unwrap_or_default(),
                });
            }
            match template_names(&server.url) {
                Ok(names) => {
                    for n in names {
                        if !variables.iter().any(|v| v.name == n) {
                            self.err_help(
                                &child(&pointer, "url"),
                                format!("server URL uses `{{{n}}}` but declares no variable `{n}`"),
                                format!("add `{n}` under this server's `variables`"),
                            );
                        }
                    }
                }
                Err(msg) => self.err(
                    &child(&pointer, "url"),
                    format!("malformed server URL `{}`: {msg}", server.url),
                ),
            }
            out.push(Server {
                url: server.url.clone(),
                description: server.description.clone().unwrap_or_default(),
                variables,
            });
        }
        out
    }

    fn lower_operations(&mut self, schemes: &[Scheme]) -> Vec<Operation> {
        let mut ops = Vec::new();
        let mut ids: HashMap<String, String> = HashMap::new();
        let mut rust_names: HashMap<String, String> = HashMap::new();
        if self.doc.paths.paths.is_empty() {
            self.err_help(
                "#/paths",
                "the spec has no paths",
                "add at least one operation under `paths`",
            );
        }
        for (path, item) in &self.doc.paths.paths {
            let path_ptr = child("#/paths", path);
            let ReferenceOr::Item(item) = item else {
                self.err(
                    &path_ptr,
                    "path item references are not supported; write the path item here",
                );
                continue;
            };
            // (A path without a leading `/` never gets here: load.rs refuses it, because
            // openapiv3 would drop it silently.)
            let methods = [
                (Method::Get, &item.get),
                (Method::Put, &item.put),
                (Method::Post, &item.post),
                (Method::Delete, &item.delete),
                (Method::Options, &item.options),
                (Method::Head, &item.head),
                (Method::Patch, &item.patch),
                (Method::Trace, &item.trace),
            ];
            if methods.iter().all(|(_, o)| o.is_none()) {
                self.err_help(
                    &path_ptr,
                    format!("path `{path}` has no operations"),
                    "add an operation (get, post, ...) or remove the path",
                );
            }
            for (method, op) in methods {
                let Some(op) = op else { continue };
                let pointer = child(&path_ptr, method.as_str().to_ascii_lowercase());
                // Without an operationId the method is named after the method and path
                // (`GET /pets/{id}` is `get_pets_id`); `x-rust-name` can name it instead.
                let id = match op.operation_id.clone() {
                    Some(id) => id,
                    None => match snake(&format!("{} {path}", method.as_str())) {
                        Some(name) => name,
                        None => {
                            self.err_help(
                                &pointer,
                                format!("{} {path} has no operationId", method.as_str()),
                                "add `operationId: someName`; it names the Rust method",
                            );
                            continue;
                        }
                    },
                };
                if let Some(prev) = ids.get(&id) {
                    let prev = prev.clone();
                    self.err(
                        &child(&pointer, "operationId"),
                        format!("operationId `{id}` is already used by {prev}"),
                    );
                    continue;
                }
                ids.insert(id.clone(), format!("{} {path}", method.as_str()));
                let explicit = rust_name_ext(&op.extensions).and_then(|n| snake(&n));
                let Some(rust) = explicit.or_else(|| snake(&id)) else {
                    self.err(
                        &child(&pointer, "operationId"),
                        format!("operationId `{id}` cannot become a Rust method name"),
                    );
                    continue;
                };
                let rust = if is_keyword(&rust) || rust == "builder" {
                    format!("{rust}_")
                } else {
                    rust
                };
                if let Some(prev) = rust_names.get(&rust) {
                    let prev = prev.clone();
                    self.err_help(
                        &child(&pointer, "operationId"),
                        format!(
                            "operationId `{id}` and `{prev}` both become the Rust method `{rust}`"
                        ),
                        "rename one of them, or set `x-rust-name` on the operation",
                    );
                    continue;
                }
                rust_names.insert(rust.clone(), id.clone());
                if let Some(o) = self.lower_operation(
                    OpCtx {
                        path,
                        item,
                        op,
                        method,
                        id,
                        rust,
                        pointer,
                    },
                    schemes,
                ) {
                    ops.push(o);
                }
            }
        }
        // A paginated operation also gets `<method>_stream`, which must not be another
        // operation's method.
        // (One whose answer's media type is chosen also has a private `<method>_json_page`.)
        for op in ops.iter().filter(|o| o.pagination.is_some()) {
            let mut extra = vec![(format!("{}_stream", op.rust), "item stream")];
            if op.json_page.is_some() {
                extra.push((format!("{}_json_page", op.rust), "JSON page method"));
            }
            for (name, what) in extra {
                if let Some(other) = ops.iter().find(|o| o.rust == name) {
                    self.err_help(
                        &child(&other.pointer, "operationId"),
                        format!(
                            "operationId `{}` becomes the Rust method `{name}`, which is the {what} of the paginated operation `{}`",
                            other.id, op.id
                        ),
                        "rename one of them, or set `x-rust-name` on one of the operations",
                    );
                }
            }
        }
        ops
    }

    fn lower_operation(&mut self, cx: OpCtx<'_>, schemes: &[Scheme]) -> Option<Operation> {
        let OpCtx {
            path,
            item,
            op,
            method,
            id,
            rust,
            pointer,
        } = cx;
        let op_pascal = pascal(&id).unwrap_or_else(|| "Operation".into());
        let before = self.diags.len();

        // Parameters: the path item's, overridden by the operation's with the same name and place.
        let mut raw: Vec<(String, &Parameter)> = Vec::new();
        for (base, list) in [
            (
                child(&path_ptr_of(&pointer), "parameters"),
                &item.parameters,
            ),
            (child(&pointer, "parameters"), &op.parameters),
        ] {
            for (i, p) in list.iter().enumerate() {
                let at = child(&base, i.to_string());
                let Some(p) = self.resolve_param(p, &at) else {
                    continue;
                };
                let key = (p.parameter_data_ref().name.clone(), location_name(p));
                raw.retain(|(_, q)| (q.parameter_data_ref().name.clone(), location_name(q)) != key);
                raw.push((at, p));
            }
        }
        let template = match template_names(path) {
            Ok(t) => t,
            Err(msg) => {
                self.err(
                    &path_ptr_of(&pointer),
                    format!("malformed path template `{path}`: {msg}"),
                );
                return None;
            }
        };
        let mut params: Vec<Param> = Vec::new();
        let mut rust_seen: HashMap<String, String> = HashMap::new();
        for (at, p) in &raw {
            let data = p.parameter_data_ref();
            let location = match p {
                Parameter::Path { style, .. } => {
                    if !matches!(style, openapiv3::PathStyle::Simple) {
                        self.err_help(
                            &child(at, "style"),
                            "only the `simple` style is supported for path parameters",
                            "remove `style`",
                        );
                        continue;
                    }
                    if !data.required {
                        self.err_help(
                            at,
                            format!("path parameter `{}` must be `required: true`", data.name),
                            "OpenAPI requires path parameters to be required",
                        );
                        continue;
                    }
                    ParamIn::Path
                }
                Parameter::Query { .. } => ParamIn::Query,
                Parameter::Header { .. } => ParamIn::Header,
                Parameter::Cookie { .. } => ParamIn::Cookie,
            };
            if let Some(by) = data.extensions.get("x-signed-by") {
                let by = by.as_str().unwrap_or_default();
                match schemes.iter().find(|s| s.name == by) {
                    Some(Scheme {
                        kind: SchemeKind::Signer(_),
                        ..
                    }) if location != ParamIn::Path => continue,
                    Some(Scheme {
                        kind: SchemeKind::Signer(_),
                        ..
                    }) => {
                        self.err(
                            &child(at, "x-signed-by"),
                            "a path parameter cannot be filled by a signer",
                        );
                        continue;
                    }
                    _ => {
                        self.err_help(
                            &child(at, "x-signed-by"),
                            format!("`{by}` is not a security scheme with `x-signer`"),
                            "name a scheme of components.securitySchemes that has `x-signer`",
                        );
                        continue;
                    }
                }
            }
            if location == ParamIn::Path && !template.contains(&data.name) {
                self.err_help(
                    at,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`",
                        data.name
                    ),
                    format!(
                        "add `{{{}}}` to the path, or remove the parameter",
                        data.name
                    ),
                );
                continue;
            }
            let Some(mut prust) = snake(&data.name) else {
                self.err(
                    at,
                    format!(
                        "parameter name `{}` cannot become a Rust parameter name",
                        data.name
                    ),
                );
                continue;
            };
            if is_keyword(&prust) || prust == "body" {
                prust.push('_');
            }
            if let Some(prev) = rust_seen.get(&prust) {
                let prev = prev.clone();
                self.err_help(
                    at,
                    format!(
                        "parameters `{prev}` and `{}` both become the Rust parameter `{prust}`",
                        data.name
                    ),
                    "rename one of them",
                );
                continue;
            }
            rust_seen.insert(prust.clone(), data.name.clone());
            let hint = format!("{op_pascal}{}", pascal(&data.name).unwrap_or_default());
            let (ty, json) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    match self.lower_schema(s, &child(at, "schema"), &hint) {
                        Some(l) => (l.ty, false),
                        None => continue,
                    }
                }
                ParameterSchemaOrContent::Content(content) => {
                    let cp = child(at, "content");
                    let Some((ct, media)) = content.iter().find(|(ct, _)| is_json(ct)) else {
                        let types: Vec<&str> = content.keys().map(String::as_str).collect();
                        self.err_help(
                            &cp,
                            format!(
                                "parameter `{}` has content type {}, which is not supported",
                                data.name,
                                types.join(", ")
                            ),
                            "use `application/json` (sent as JSON text) or a `schema`",
                        );
                        continue;
                    };
                    if !matches!(location, ParamIn::Query | ParamIn::Header) {
                        self.err_help(
                            &cp,
                            format!(
                                "parameter `{}` is a {} parameter with `content`; only query and header parameters can be sent as JSON text",
                                data.name,
                                location_name(p)
                            ),
                            "give the parameter a `schema`",
                        );
                        continue;
                    }
                    let ty = match &media.schema {
                        Some(s) => {
                            match self.lower_schema(s, &child(&child(&cp, ct), "schema"), &hint) {
                                Some(l) => l.ty,
                                None => continue,
                            }
                        }
                        None => Ty::Json,
                    };
                    (ty, true)
                }
            };
            // `oneOf: [T, array of T]` in the query is a list: one value or several, each sent
            // as `name=value`, exactly what `Vec<T>` sends.
            let ty = match (&ty, location) {
                (Ty::Named(n), ParamIn::Query) if !json => {
                    one_or_many(n, &self.types).unwrap_or(ty)
                }
                _ => ty,
            };
            let style = if json {
                ParamStyle::Json
            } else if let Parameter::Query { style, .. } = p {
                match self.query_style(style, data.explode, &ty, at, &data.name) {
                    Some(s) => s,
                    None => continue,
                }
            } else {
                ParamStyle::Plain
            };
            if style == ParamStyle::Plain && !param_type_ok(&ty, &self.types) {
                self.err_help(
                    &child(at, "schema"),
                    format!(
                        "parameter `{}` has a type that cannot be sent as a {} parameter",
                        data.name,
                        location_name(p)
                    ),
                    "use a string, number, boolean, string enum, or (for query) an array or object of those; other values can be sent as JSON text with `content: application/json`",
                );
                continue;
            }
            params.push(Param {
                rust: prust,
                wire: data.name.clone(),
                location,
                ty,
                required: data.required,
                doc: data.description.clone(),
                style,
            });
        }
        for name in &template {
            if !params
                .iter()
                .any(|p| p.location == ParamIn::Path && &p.wire == name)
                && !raw.iter().any(|(_, p)| {
                    matches!(p, Parameter::Path { .. }) && &p.parameter_data_ref().name == name
                })
            {
                self.err_help(&path_ptr_of(&pointer), format!("path `{path}` uses `{{{name}}}` but {} {path} declares no path parameter `{name}`", method.as_str()), format!("add a parameter with `name: {name}` and `in: path`"));
            }
        }
        // Path parameters first, in template order.
        params.sort_by_key(|p| match p.location {
            ParamIn::Path => template.iter().position(|n| n == &p.wire).unwrap_or(0),
            _ => usize::MAX,
        });
        let mut rust_path = path.clone();
        for p in params.iter().filter(|p| p.location == ParamIn::Path) {
            rust_path = rust_path.replace(&format!("{{{}}}", p.wire), &format!("{{{}}}", p.rust));
        }
        self.group_params(op, &pointer, &mut params);
        let params_struct = self.params_struct(&id, &op_pascal, &pointer, &mut params);

        let body = match &op.request_body {
            None => None,
            Some(rb) => self.lower_body(rb, &child(&pointer, "requestBody"), &op_pascal),
        };

        let Responses {
            ok,
            err,
            output,
            media_params,
        } = self.lower_responses(op, &pointer, &op_pascal)?;
        for (name, at) in media_params {
            if !raw.iter().any(|(_, p)| p.parameter_data_ref().name == name) {
                self.err_help(
                    &at,
                    format!("`x-media-type-param` names `{name}`, which is not a parameter of this operation"),
                    "name the path, query or header parameter whose value chooses the media type",
                );
            }
        }
        let auth = self.lower_security(op, &pointer, schemes);
        // Paging reads the JSON form of an answer whose media type the request chooses.
        let json_page = match &output {
            Output::Enum { .. }
                if op.extensions.contains_key("x-pagination")
                    && ok.iter().any(|a| a.media.is_some()) =>
            {
                let arms: Vec<Arm> = ok
                    .iter()
                    .filter(|a| a.media.is_some() && matches!(a.kind, BodyKind::Json(_)))
                    .map(|a| Arm {
                        variant: None,
                        ..a.clone()
                    })
                    .collect();
                let outs: Vec<OutTy> = arms
                    .iter()
                    .map(|a| self.success_ty(&a.kind, false, a.unwrap))
                    .collect();
                match outs.first() {
                    Some(first) if outs.iter().all(|o| o == first) => Some((arms, first.clone())),
                    _ => None,
                }
            }
            _ => None,
        };
        let pagination = match op.extensions.get("x-pagination") {
            None => None,
            Some(v) => self.lower_pagination(
                v,
                &child(&pointer, "x-pagination"),
                &match &json_page {
                    Some((_, out)) => Output::Single(out.clone()),
                    None => output.clone(),
                },
                params_struct.as_deref(),
            ),
        };
        if self.diags.len() > before {
            return None;
        }
        Some(Operation {
            id,
            rust,
            method,
            path: path.clone(),
            rust_path,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            params,
            params_struct,
            body,
            ok,
            err,
            auth,
            output,
            pagination,
            json_page,
            pointer,
        })
    }

    /// How a query parameter of type `ty` is written, from its `style` and `explode`; `None`
    /// (reported) when the type has no form in that style.
    fn query_style(
        &mut self,
        style: &QueryStyle,
        explode: Option<bool>,
        ty: &Ty,
        at: &str,
        name: &str,
    ) -> Option<ParamStyle> {
        let types = &self.types;
        let scalar = !matches!(ty, Ty::Vec(_)) && param_type_ok(ty, types);
        let list = matches!(ty, Ty::Vec(_)) && param_type_ok(ty, types);
        // `explode` defaults to true for `form` only (OpenAPI).
        let exploded = explode.unwrap_or(matches!(style, QueryStyle::Form));
        let (style_name, wanted) = match style {
            QueryStyle::Form if exploded => ("form", ParamStyle::Form),
            QueryStyle::Form => ("form", ParamStyle::FormUnexploded),
            QueryStyle::PipeDelimited if exploded => ("pipeDelimited", ParamStyle::Form),
            QueryStyle::PipeDelimited => ("pipeDelimited", ParamStyle::PipeDelimited),
            QueryStyle::SpaceDelimited if exploded => ("spaceDelimited", ParamStyle::Form),
            QueryStyle::SpaceDelimited => ("spaceDelimited", ParamStyle::SpaceDelimited),
            QueryStyle::DeepObject => ("deepObject", ParamStyle::DeepObject),
        };
        if wanted == ParamStyle::DeepObject {
            if object_param_ok(ty, types, true, 0) {
                return Some(ParamStyle::DeepObject);
            }
            self.err_help(
                &child(at, "style"),
                format!("query parameter `{name}` has `style: deepObject` but is not an object of scalar, list or object properties"),
                "use `deepObject` for objects (a list inside holds scalars: `name[key][]=item`); for a scalar or a list, remove `style`",
            );
            return None;
        }
        if scalar {
            return Some(ParamStyle::Plain);
        }
        if list {
            return Some(if wanted == ParamStyle::Form {
                ParamStyle::Plain
            } else {
                wanted
            });
        }
        // Objects: each property a pair (exploded form), or joined (`R,100,G,200`).
        if object_param_ok(ty, types, false, 0) {
            return Some(wanted);
        }
        if wanted == ParamStyle::Form
            && matches!(ty, Ty::Named(_) | Ty::Map(_))
            && object_param_ok(ty, types, true, 0)
        {
            self.err_help(
                &child(at, "schema"),
                format!("query parameter `{name}` is an object with object or list properties, which the `{style_name}` style cannot write"),
                "use `style: deepObject`, or flatten the object",
            );
            return None;
        }
        self.err_help(
            &child(at, "schema"),
            format!("query parameter `{name}` has a type that cannot be sent in the `{style_name}` style"),
            "use a string, number, boolean, string enum, an array of those, or an object of those",
        );
        None
    }

    /// Replaces the members of each `x-param-groups` entry by one parameter of a generated enum.
    fn group_params(&mut self, op: &openapiv3::Operation, pointer: &str, params: &mut Vec<Param>) {
        let Some(groups) = op.extensions.get("x-param-groups") else {
            return;
        };
        let at = child(pointer, "x-param-groups");
        let Some(groups) = groups.as_array() else {
            self.err_help(
                &at,
                "`x-param-groups` must be a list",
                "write `- {name: EnumName, one-of: [param, ...]}`",
            );
            return;
        };
        for (i, g) in groups.iter().enumerate() {
            let gp = child(&at, i.to_string());
            let name = g.get("name").and_then(|v| v.as_str()).and_then(pascal);
            let members: Option<Vec<String>> = g
                .get("one-of")
                .or_else(|| g.get("oneOf"))
                .and_then(|v| v.as_array())
                .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect());
            let (Some(name), Some(members)) = (name, members) else {
                self.err_help(
                    &gp,
                    "a parameter group needs `name` and `one-of`",
                    "write `{name: EnumName, one-of: [param, ...]}`",
                );
                continue;
            };
            if members.len() < 2 {
                self.err(
                    &child(&gp, "one-of"),
                    "a parameter group needs at least two parameters",
                );
                continue;
            }
            let required = g.get("required").and_then(|v| v.as_bool()).unwrap_or(true);
            let mut variants = Vec::new();
            for m in &members {
                let Some(pos) = params
                    .iter()
                    .position(|p| &p.wire == m && p.location == ParamIn::Query)
                else {
                    self.err_help(
                        &child(&gp, "one-of"),
                        format!("`{m}` is not a query parameter of this operation"),
                        "list the names of declared query parameters",
                    );
                    continue;
                };
                let p = params.remove(pos);
                if p.style != ParamStyle::Plain {
                    self.err_help(
                        &child(&gp, "one-of"),
                        format!("`{m}` has a `style`, `explode: false` or `content`, which a parameter group cannot send"),
                        "group only plain scalar or list parameters",
                    );
                }
                if p.required {
                    self.err_help(
                        &child(&gp, "one-of"),
                        format!("`{m}` is required, so it cannot be one of a group"),
                        "declare the grouped parameters with `required: false`",
                    );
                }
                let variant = pascal(&p.wire).unwrap_or_else(|| p.rust.clone());
                variants.push((variant, p));
            }
            if variants.len() != members.len() || !self.claim_type(&name, &gp) {
                continue;
            }
            let mut doc = format!(
                "Exactly one of the query parameters {}.",
                members
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if let Some(d) = g.get("description").and_then(|v| v.as_str()) {
                doc = format!("{}\n\n{doc}", d.trim());
            }
            self.push_type(TypeDef {
                name: name.clone(),
                doc: Some(doc.clone()),
                pointer: gp.clone(),
                kind: TypeKind::ParamGroup { variants },
            });
            let rust = snake(&name).unwrap_or_else(|| "group".into());
            params.push(Param {
                rust,
                wire: name.clone(),
                location: ParamIn::Group,
                ty: Ty::Named(name),
                required,
                doc: Some(doc),
                style: ParamStyle::Plain,
            });
        }
    }

    /// Moves the query, header and group parameters into a `<Operation>Params` struct when any
    /// of them is optional: a builder reads better than a row of `None`s.
    fn params_struct(
        &mut self,
        id: &str,
        op_pascal: &str,
        pointer: &str,
        params: &mut Vec<Param>,
    ) -> Option<String> {
        let movable = |p: &Param| p.location != ParamIn::Path;
        if !params
            .iter()
            .any(|p| movable(p) && (!p.required || p.location == ParamIn::Group))
        {
            return None;
        }
        let name = self.claim_auto(&format!("{op_pascal}Params"), &child(pointer, "parameters"));
        let members: Vec<Param> = params.iter().filter(|p| movable(p)).cloned().collect();
        params.retain(|p| !movable(p));
        let doc = format!("The query and header parameters of `{id}`: the required ones go to `new`, the optional ones are set with the builder methods.");
        self.push_type(TypeDef {
            name: name.clone(),
            doc: Some(doc),
            pointer: child(pointer, "parameters"),
            kind: TypeKind::Params {
                operation: id.to_string(),
                members,
            },
        });
        Some(name)
    }

    fn resolve_param<'p>(
        &mut self,
        p: &'p ReferenceOr<Parameter>,
        at: &str,
    ) -> Option<&'p Parameter>
    where
        'a: 'p,
    {
        match p {
            ReferenceOr::Item(p) => Some(p),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|k| self.doc.components.as_ref()?.parameters.get(&unescape(k)));
                match found {
                    Some(ReferenceOr::Item(p)) => Some(p),
                    _ => {
                        self.err_help(
                            &child(at, "$ref"),
                            format!("`$ref` target `{reference}` does not exist"),
                            "parameters may refer to `#/components/parameters/<Name>`",
                        );
                        None
                    }
                }
            }
        }
    }

    fn lower_body(
        &mut self,
        rb: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        op_pascal: &str,
    ) -> Option<Body> {
        let rb = match rb {
            ReferenceOr::Item(rb) => rb,
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|k| {
                        self.doc
                            .components
                            .as_ref()?
                            .request_bodies
                            .get(&unescape(k))
                    });
                match found {
                    Some(ReferenceOr::Item(rb)) => rb,
                    _ => {
                        self.err_help(
                            &child(pointer, "$ref"),
                            format!("`$ref` target `{reference}` does not exist"),
                            "request bodies may refer to `#/components/requestBodies/<Name>`",
                        );
                        return None;
                    }
                }
            }
        };
        // Several content types: the first supported one in the order JSON, form, text, binary.
        let pick = |want: BodyEncoding| {
            rb.content
                .iter()
                .find(|(ct, _)| body_encoding(ct) == Some(want))
        };
        let found = [
            BodyEncoding::Json,
            BodyEncoding::Form,
            BodyEncoding::Multipart,
            BodyEncoding::Text,
            BodyEncoding::Bytes,
        ]
        .into_iter()
        .find_map(|e| pick(e).map(|(ct, m)| (ct, m, e)));
        let Some((ct, media, encoding)) = found else {
            let types: Vec<&str> = rb.content.keys().map(String::as_str).collect();
            self.err_help(
                &child(pointer, "content"),
                if types.is_empty() {
                    "request body has no content type".to_string()
                } else {
                    format!(
                        "request body content type {} is not supported",
                        types.join(", ")
                    )
                },
                "request bodies may be JSON, `application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain` or `application/octet-stream`",
            );
            return None;
        };
        let at = child(&child(pointer, "content"), ct);
        let ty = match encoding {
            BodyEncoding::Multipart => self.lower_multipart(media, &at, op_pascal)?,
            BodyEncoding::Text => Ty::String,
            BodyEncoding::Bytes => Ty::Json,
            BodyEncoding::Json | BodyEncoding::Form => match &media.schema {
                Some(s) => {
                    self.lower_schema(s, &child(&at, "schema"), &format!("{op_pascal}Request"))?
                        .ty
                }
                None => Ty::Json,
            },
        };
        if encoding == BodyEncoding::Form && !self.form_ok(&ty) {
            self.err_help(
                &child(&at, "schema"),
                "an `application/x-www-form-urlencoded` body must be an object of scalar properties",
                "describe the form as `type: object` with string, number, boolean or enum properties",
            );
            return None;
        }
        Some(Body {
            ty,
            required: rb.required,
            encoding,
        })
    }

    /// The struct of parts of a `multipart/form-data` body: binary properties are file parts,
    /// scalars (and lists of them) text parts, anything else a JSON part.
    fn lower_multipart(
        &mut self,
        media: &openapiv3::MediaType,
        at: &str,
        op_pascal: &str,
    ) -> Option<Ty> {
        let sp = child(at, "schema");
        let Some(schema) = &media.schema else {
            self.err_help(
                at,
                "a `multipart/form-data` body needs a `schema`",
                "describe the parts as the properties of a `type: object` schema",
            );
            return None;
        };
        let (schema, sptr) = self.deref_schema(schema, &sp)?;
        let SchemaKind::Type(Type::Object(obj)) = &schema.schema_kind else {
            self.err_help(
                &sptr,
                "a `multipart/form-data` body must be an object whose properties are the parts",
                "describe the parts as the properties of a `type: object` schema",
            );
            return None;
        };
        if obj.properties.is_empty() {
            self.err_help(
                &sptr,
                "a `multipart/form-data` body must have at least one property (part)",
                "describe the parts under `properties`",
            );
            return None;
        }
        let name = self.claim_auto(&format!("{op_pascal}Form"), at);
        let mut parts = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (wire, prop) in &obj.properties {
            let pp = child(&child(&sptr, "properties"), wire);
            let Some(mut rust) = snake(wire) else {
                self.err(
                    &pp,
                    format!("part name `{wire}` has no letters or digits to make a Rust field name from"),
                );
                continue;
            };
            if is_keyword(&rust) {
                rust.push('_');
            }
            if let Some(prev) = seen.insert(rust.clone(), wire.clone()) {
                self.err(
                    &pp,
                    format!("parts `{prev}` and `{wire}` both become the Rust field `{rust}`"),
                );
                continue;
            }
            let binary = |s: &Schema| {
                matches!(
                    &s.schema_kind,
                    SchemaKind::Type(Type::String(st))
                        if matches!(st.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
                )
            };
            let resolved: Option<&Schema> = match prop {
                ReferenceOr::Item(s) => Some(s),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|k| self.doc.components.as_ref()?.schemas.get(&unescape(k)))
                    .and_then(|r| match r {
                        ReferenceOr::Item(s) => Some(s),
                        ReferenceOr::Reference { .. } => None,
                    }),
            };
            let files = resolved.is_some_and(|s| match &s.schema_kind {
                SchemaKind::Type(Type::Array(a)) => matches!(
                    a.items.as_ref(),
                    Some(ReferenceOr::Item(item)) if binary(item)
                ),
                _ => false,
            });
            let (ty, kind) = if resolved.is_some_and(binary) {
                (Ty::Bytes, PartKind::File)
            } else if files {
                (Ty::Vec(Box::new(Ty::Bytes)), PartKind::Files)
            } else {
                let hint = format!("{name}{}", pascal(wire).unwrap_or_default());
                let Some(l) = self.lower_boxed(prop, &pp, &hint) else {
                    continue;
                };
                let json = media
                    .encoding
                    .get(wire)
                    .and_then(|e| e.content_type.as_deref())
                    .is_some_and(is_json);
                let text = param_type_ok(&l.ty, &self.types);
                (
                    l.ty,
                    if text && !json {
                        PartKind::Text
                    } else {
                        PartKind::Json
                    },
                )
            };
            parts.push(Part {
                rust,
                wire: wire.clone(),
                ty,
                kind,
                required: obj.required.contains(wire),
                doc: resolved.and_then(doc_of),
            });
        }
        self.push_type(TypeDef {
            name: name.clone(),
            doc: Some(schema.schema_data.description.clone().unwrap_or_else(|| {
                "The parts of a `multipart/form-data` request body.".to_string()
            })),
            pointer: sptr,
            kind: TypeKind::Multipart { parts },
        });
        Some(Ty::Named(name))
    }

    fn lower_responses(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        op_pascal: &str,
    ) -> Option<Responses> {
        let rp = child(pointer, "responses");
        let before = self.diags.len();
        let mut ok: Vec<OkResponse> = Vec::new();
        let mut unwrap_of: HashMap<(u16, Option<String>), usize> = HashMap::new();
        let mut media_params: Vec<(String, String)> = Vec::new();
        let mut err: Vec<(Statuses, BodyKind)> = Vec::new();
        let mut range2: Option<BodyKind> = None;
        let mut ok_range: Option<BodyKind> = None;
        let success_count = op
            .responses
            .responses
            .keys()
            .filter(|s| matches!(s, StatusCode::Code(c) if (200..300).contains(c)))
            .count();
        for (status, resp) in &op.responses.responses {
            let at = child(&rp, status.to_string());
            let code = match status {
                StatusCode::Code(c) if (100..600).contains(c) => *c,
                StatusCode::Code(c) => {
                    self.err(
                        &at,
                        format!("status code {c} is not an HTTP status (100-599)"),
                    );
                    continue;
                }
                // `2XX`: a success arm for the 2xx codes no exact status matches.
                StatusCode::Range(2) => {
                    if let Some(info) =
                        self.lower_response(resp, &at, &format!("{op_pascal}Response"), false)
                    {
                        let ext = if info.kind == BodyKind::Stream {
                            Some("x-stream")
                        } else if info.unwrap.is_some() {
                            Some("x-unwrap")
                        } else if !info.rejected.is_empty() {
                            Some("x-error-variants")
                        } else if info.outcome.is_some() {
                            Some("x-outcome")
                        } else {
                            None
                        };
                        match ext {
                            Some(ext) => self.err_help(
                                &child(&info.ptr, ext),
                                format!("`{ext}` cannot be used on a `2XX` range"),
                                "list the exact success status codes",
                            ),
                            None => range2 = Some(info.kind),
                        }
                    }
                    continue;
                }
                // `4XX`, `5XX` (and 1XX, 3XX): an error arm for the codes no exact status matches.
                StatusCode::Range(r) if (1..=5).contains(r) => {
                    if let Some(info) =
                        self.lower_response(resp, &at, &format!("{op_pascal}Error{r}XX"), false)
                    {
                        err.push((Statuses::Range(*r), info.kind));
                    }
                    continue;
                }
                StatusCode::Range(r) => {
                    self.err(
                        &at,
                        format!("status range `{r}XX` is not an HTTP status class"),
                    );
                    continue;
                }
            };
            // With no 2xx documented, the documented 1xx and 3xx answers (a protocol switch, a
            // redirect) are what success looks like.
            let is_ok = (200..300).contains(&code) || (success_count == 0 && code < 400);
            let hint = if is_ok {
                if success_count > 1 {
                    format!("{op_pascal}Response{code}")
                } else {
                    format!("{op_pascal}Response")
                }
            } else {
                format!("{op_pascal}Error{code}")
            };
            let Some(RespInfo {
                kind,
                rejected,
                ptr: resp_ptr,
                outcome,
                unwrap,
                media,
            }) = self.lower_response(resp, &at, &hint, is_ok)
            else {
                continue;
            };
            if let Some(media) = media {
                // One success outcome per media type (`lower_response` refused the rest).
                for (ct, kind, variant) in media.arms {
                    if let (Some(path), BodyKind::Json(_)) = (&unwrap, &kind) {
                        let up = child(&resp_ptr, "x-unwrap");
                        if let Some(i) = self.unwrap_for(&kind, path, &up) {
                            unwrap_of.insert((code, Some(ct.clone())), i);
                        }
                    }
                    ok.push((code, kind, false, Some(variant), Some(ct)));
                }
                media_params.push((media.param, media.ptr));
                continue;
            }
            if let Some(path) = unwrap {
                let up = child(&resp_ptr, "x-unwrap");
                if !(is_ok || outcome.is_some()) {
                    self.err(&up, "`x-unwrap` only applies to success responses");
                } else if !rejected.is_empty() {
                    self.err(
                        &up,
                        "`x-unwrap` and `x-error-variants` cannot be combined on one response",
                    );
                } else if let Some(i) = self.unwrap_for(&kind, &path, &up) {
                    unwrap_of.insert((code, None), i);
                }
            }
            if kind == BodyKind::Stream && !is_ok {
                self.refuse_error_stream(&resp_ptr);
                continue;
            }
            if is_ok || outcome.is_some() {
                let verdict = !rejected.is_empty();
                if verdict {
                    self.mark_rejected(&kind, rejected, &resp_ptr);
                }
                ok.push((code, kind, verdict, outcome, None));
            } else {
                if !rejected.is_empty() {
                    self.err(
                        &child(&resp_ptr, "x-error-variants"),
                        "`x-error-variants` only applies to success (2xx) responses",
                    );
                }
                err.push((Statuses::Codes(vec![code]), kind));
            }
        }
        if let Some(resp) = &op.responses.default {
            let at = child(&rp, "default");
            if let Some(info) = self.lower_response(resp, &at, &format!("{op_pascal}Error"), false)
            {
                if info.outcome.is_some() {
                    self.err(
                        &child(&info.ptr, "x-outcome"),
                        "`x-outcome` cannot be used on the `default` response",
                    );
                }
                if info.kind == BodyKind::Stream {
                    self.refuse_error_stream(&info.ptr);
                } else {
                    err.push((Statuses::Default, info.kind));
                }
            }
        }
        if ok.is_empty() && (success_count > 0 || self.diags.len() > before) {
            // A success response was there but is broken (or uses a schema that was refused);
            // that was reported already.
            return None;
        }
        if ok.is_empty() {
            if let Some(kind) = range2.take() {
                // Only `2XX`: one success arm for the whole class.
                ok_range = Some(kind);
            }
        }
        // Group error arms that decode the same way.
        let group_errors = |err: Vec<(Statuses, BodyKind)>| {
            let mut err_arms: Vec<Arm> = Vec::new();
            for (statuses, kind) in err {
                match statuses {
                    Statuses::Codes(codes) => {
                        if let Some(arm) = err_arms
                            .iter_mut()
                            .find(|a| a.kind == kind && matches!(a.statuses, Statuses::Codes(_)))
                        {
                            if let Statuses::Codes(c) = &mut arm.statuses {
                                c.extend(codes);
                            }
                            continue;
                        }
                        err_arms.push(Arm {
                            statuses: Statuses::Codes(codes),
                            kind,
                            variant: None,
                            verdict: false,
                            unwrap: None,
                            media: None,
                        });
                    }
                    statuses => err_arms.push(Arm {
                        statuses,
                        kind,
                        variant: None,
                        verdict: false,
                        unwrap: None,
                        media: None,
                    }),
                }
            }
            err_arms
        };
        if ok.is_empty() {
            // No success documented: a `default` response describes the success (common in
            // generated specs), and an operation with no responses at all answers raw bytes.
            let fallback = match err.iter().position(|(s, _)| *s == Statuses::Default) {
                _ if ok_range.is_some() => ok_range.take(),
                Some(i) => Some(err.remove(i).1),
                None if op.responses.responses.is_empty() => Some(BodyKind::Bytes),
                // Only failures documented: success has no documented body.
                None if !err.is_empty() => Some(BodyKind::Empty),
                None => None,
            };
            if let Some(kind) = fallback {
                let output = Output::Single(self.out_ty(&kind, false));
                let arm = Arm {
                    statuses: Statuses::Range(2),
                    kind,
                    variant: None,
                    verdict: false,
                    unwrap: None,
                    media: None,
                };
                return Some(Responses {
                    ok: vec![arm],
                    err: group_errors(err),
                    output,
                    media_params,
                });
            }
        }
        if ok.is_empty() {
            self.err_help(
                &rp,
                "operation has no success (2xx or `x-outcome`) response",
                "document at least one 2xx response; use one without `content` for an empty answer",
            );
            return None;
        }
        let err_arms = group_errors(err);
        // One output shape, or an enum over success outcomes.
        let out_tys: Vec<OutTy> = ok
            .iter()
            .map(|(code, k, v, _, m)| {
                self.success_ty(k, *v, unwrap_of.get(&(*code, m.clone())).copied())
            })
            .collect();
        let single = ok.iter().all(|(_, _, _, o, _)| o.is_none())
            && out_tys.iter().all(|t| t == &out_tys[0]);
        let (ok_arms, output) = if single {
            let mut groups: Vec<Arm> = Vec::new();
            for (code, kind, verdict, _, _) in ok {
                let unwrap = unwrap_of.get(&(code, None)).copied();
                if let Some(arm) = groups
                    .iter_mut()
                    .find(|a| a.kind == kind && a.verdict == verdict && a.unwrap == unwrap)
                {
                    if let Statuses::Codes(c) = &mut arm.statuses {
                        c.push(code);
                    }
                } else {
                    groups.push(Arm {
                        statuses: Statuses::Codes(vec![code]),
                        kind,
                        variant: None,
                        verdict,
                        unwrap,
                        media: None,
                    });
                }
            }
            // `2XX` beside exact codes: the same body, so one more arm.
            if let Some(kind) = range2.take() {
                if groups
                    .iter()
                    .all(|a| a.kind == kind && !a.verdict && a.unwrap.is_none())
                {
                    groups.push(Arm {
                        statuses: Statuses::Range(2),
                        kind,
                        variant: None,
                        verdict: false,
                        unwrap: None,
                        media: None,
                    });
                } else {
                    self.err_help(
                        &child(&rp, "2XX"),
                        "a `2XX` range beside exact 2xx statuses must have the same body as they do",
                        "give `2XX` the same content as the exact statuses, or list the exact codes",
                    );
                    return None;
                }
            }
            (groups, Output::Single(out_tys[0].clone()))
        } else {
            if range2.is_some() {
                self.err_help(
                    &child(&rp, "2XX"),
                    "a `2XX` range cannot share an operation with several success outcomes",
                    "list the exact success status codes",
                );
                return None;
            }
            let name = self.claim_auto(&format!("{op_pascal}Response"), &rp);
            let mut arms: Vec<Arm> = Vec::new();
            let mut variants: Vec<(String, Option<Ty>, Vec<u16>)> = Vec::new();
            for ((code, kind, verdict, outcome, media), out) in ok.into_iter().zip(out_tys) {
                let vname = outcome.unwrap_or_else(|| status_variant(code));
                let payload = match out {
                    OutTy::Unit => None,
                    OutTy::Ty(t) => Some(t),
                    OutTy::Text => Some(Ty::String),
                    OutTy::Bytes => Some(Ty::Bytes),
                    // Handed over before the body is read: the endpoint's streaming path picks
                    // this outcome by status, and the other outcomes are read as usual.
                    OutTy::Stream => Some(Ty::Stream),
                };
                match variants.iter_mut().find(|(v, _, _)| v == &vname) {
                    Some((_, p, codes)) if *p == payload => codes.push(code),
                    Some(_) => {
                        self.err_help(
                            &child(&rp, code.to_string()),
                            format!("responses of the outcome `{vname}` have different bodies"),
                            "give them the same schema, or different `x-outcome` names",
                        );
                        return None;
                    }
                    None => variants.push((vname.clone(), payload, vec![code])),
                }
                let unwrap = unwrap_of.get(&(code, media.clone())).copied();
                match arms.iter_mut().find(|a| {
                    a.variant.as_deref() == Some(vname.as_str())
                        && a.kind == kind
                        && a.verdict == verdict
                        && a.unwrap == unwrap
                        && a.media.is_none()
                        && media.is_none()
                }) {
                    Some(arm) => {
                        if let Statuses::Codes(c) = &mut arm.statuses {
                            c.push(code);
                        }
                    }
                    None => arms.push(Arm {
                        statuses: Statuses::Codes(vec![code]),
                        kind,
                        variant: Some(vname),
                        verdict,
                        unwrap,
                        media,
                    }),
                }
            }
            (arms, Output::Enum { name, variants })
        };
        Some(Responses {
            ok: ok_arms,
            err: err_arms,
            output,
            media_params,
        })
    }

    /// `x-stream` on a failure: error bodies are read whole, to be decoded into the error.
    fn refuse_error_stream(&mut self, resp_ptr: &str) {
        self.err_help(
            &child(resp_ptr, "x-stream"),
            "`x-stream` only applies to success (2xx) responses",
            "an error body is read in full to decode it into the error; drop `x-stream` here",
        );
    }

    /// The conversion for `x-unwrap: path` on a body of `kind` (shared by every response that
    /// unwraps the same envelope the same way).
    fn unwrap_for(&mut self, kind: &BodyKind, path: &str, at: &str) -> Option<usize> {
        let BodyKind::Json(Ty::Named(envelope)) = kind else {
            self.err(
                at,
                "`x-unwrap` needs a JSON body whose schema is a named object",
            );
            return None;
        };
        let segments: Vec<&str> = path.split('/').collect();
        let Some(TypeKind::Struct { fields, .. }) = self
            .types
            .iter()
            .find(|t| &t.name == envelope)
            .map(|t| &t.kind)
        else {
            self.err(at, format!("`x-unwrap` needs `{envelope}` to be an object"));
            return None;
        };
        let Some(first) = fields.iter().find(|f| f.wire == segments[0]) else {
            self.err_help(
                at,
                format!("`{}` is not a property of `{envelope}`", segments[0]),
                "start the path with one of its properties",
            );
            return None;
        };
        let meta_fields: Vec<String> = fields
            .iter()
            .filter(|f| f.wire != segments[0])
            .map(|f| f.rust.clone())
            .collect();
        let meta_defs: Vec<Field> = fields
            .iter()
            .filter(|f| f.wire != segments[0])
            .cloned()
            .collect();
        let mut steps = vec![UnwrapStep::Field(first.rust.clone())];
        let optional_first = !first.required || first.nullable;
        let mut ty = if !optional_first || segments.len() == 1 {
            first.ty.clone()
        } else {
            self.err(
                at,
                format!(
                    "`x-unwrap` cannot go through `{}`, which may be missing or null",
                    first.wire
                ),
            );
            return None;
        };
        // Walk the rest of the path; `*` maps over array elements.
        let mut wrap_vecs = 0usize;
        for seg in &segments[1..] {
            if *seg == "*" {
                match ty {
                    Ty::Vec(inner) => {
                        ty = *inner;
                        wrap_vecs += 1;
                        steps.push(UnwrapStep::Each);
                    }
                    _ => {
                        self.err(at, format!("`*` in `{path}` needs an array there"));
                        return None;
                    }
                }
                continue;
            }
            let f = self.path_property(&ty, seg, path, at)?;
            if !f.required || f.nullable {
                self.err(
                    at,
                    format!("`x-unwrap` cannot go through `{seg}`, which may be missing or null"),
                );
                return None;
            }
            steps.push(UnwrapStep::Field(f.rust.clone()));
            ty = f.ty.clone();
        }
        for _ in 0..wrap_vecs {
            ty = Ty::Vec(Box::new(ty));
        }
        if optional_first {
            self.err(
                at,
                format!(
                    "`x-unwrap` needs `{}` to be required and not nullable",
                    segments[0]
                ),
            );
            return None;
        }
        let method = format!(
            "into_{}",
            segments
                .iter()
                .filter(|s| **s != "*")
                .filter_map(|s| snake(s))
                .collect::<Vec<_>>()
                .join("_")
        );
        if let Some(i) = self
            .unwraps
            .iter()
            .position(|u| &u.envelope == envelope && u.method == method)
        {
            return Some(i);
        }
        let meta = format!("{envelope}Meta");
        if self.unwraps.iter().any(|u| &u.envelope == envelope) {
            self.err(at, format!("`{envelope}` is already unwrapped along another path; one envelope unwraps one way"));
            return None;
        }
        if !self.claim_type(&meta, at) {
            return None;
        }
        self.push_type(TypeDef {
            name: meta.clone(),
            doc: Some(format!(
                "The rest of a `{envelope}` once `{path}` is taken out of it."
            )),
            pointer: at.to_string(),
            kind: TypeKind::Struct {
                fields: meta_defs,
                additional: None,
            },
        });
        self.unwraps.push(Unwrap {
            envelope: envelope.clone(),
            method,
            wire_path: path.to_string(),
            path: steps,
            value: ty,
            meta,
            meta_fields,
        });
        Some(self.unwraps.len() - 1)
    }

    /// `x-pagination` on an operation whose success value is `output`.
    fn lower_pagination(
        &mut self,
        v: &serde_json::Value,
        at: &str,
        output: &Output,
        params_struct: Option<&str>,
    ) -> Option<Pagination> {
        let get = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let Some(style) = get("style") else {
            self.err_help(
                at,
                "`x-pagination` needs a `style`",
                "use `style: offset` or `style: cursor`",
            );
            return None;
        };
        let Output::Single(OutTy::Ty(out)) = output else {
            self.err(
                at,
                "`x-pagination` needs an operation with one JSON success body",
            );
            return None;
        };
        // The parameter struct's member for a query parameter, by wire name.
        let members: Vec<Param> = match params_struct
            .and_then(|n| self.types.iter().find(|t| t.name == n))
            .map(|t| &t.kind)
        {
            Some(TypeKind::Params { members, .. }) => members.clone(),
            _ => Vec::new(),
        };
        let field = |lw: &mut Self, key: &str, required: bool| -> Option<Option<(String, Ty)>> {
            let Some(wire) = get(key) else {
                if required {
                    lw.err(
                        at,
                        format!("`x-pagination` needs `{key}` (the name of the query parameter)"),
                    );
                    return None;
                }
                return Some(None);
            };
            match members
                .iter()
                .find(|p| p.wire == wire && p.location == ParamIn::Query && !p.required)
            {
                Some(p) => Some(Some((p.rust.clone(), p.ty.clone()))),
                None => {
                    lw.err_help(
                        at,
                        format!(
                            "`{key}: {wire}` is not an optional query parameter of this operation"
                        ),
                        "declare it as a query parameter with `required: false`",
                    );
                    None
                }
            }
        };
        let Some(items_path) = get("items") else {
            self.err(
                at,
                "`x-pagination` needs `items` (the path of the item array)",
            );
            return None;
        };
        let (items, items_ty) = self.access(out, &items_path, at)?;
        let item = match items_ty {
            Ty::Vec(inner) => *inner,
            _ => {
                self.err(at, format!("`items: {items_path}` is not an array"));
                return None;
            }
        };
        let style = match style.as_str() {
            "offset" => {
                let limit = field(self, "limit", false)?;
                let offset = field(self, "offset", true)??;
                let total = match get("total") {
                    None => None,
                    Some(t) => {
                        let (acc, ty) = self.access(out, &t, at)?;
                        if !matches!(strip_lenient(&ty), Ty::I32 | Ty::I64) {
                            self.err(at, format!("`total: {t}` is not an integer"));
                            return None;
                        }
                        Some((acc, strip_lenient(&ty).clone()))
                    }
                };
                for (name, ty) in limit.iter().chain(std::iter::once(&offset)) {
                    if !matches!(ty, Ty::I32 | Ty::I64) {
                        self.err(
                            at,
                            format!("the paging parameter `{name}` must be an integer"),
                        );
                        return None;
                    }
                }
                PageStyle::Offset {
                    limit,
                    offset,
                    total,
                }
            }
            "cursor" => {
                let cursor = field(self, "cursor", true)??;
                let Some(next_path) = get("next") else {
                    self.err(
                        at,
                        "`style: cursor` needs `next` (the path of the next cursor)",
                    );
                    return None;
                };
                let (next, next_ty) = self.access(out, &next_path, at)?;
                if strip_lenient(&next_ty) != strip_lenient(&cursor.1) {
                    self.err(
                        at,
                        format!("`next: {next_path}` does not have the cursor parameter's type"),
                    );
                    return None;
                }
                PageStyle::Cursor { cursor, next }
            }
            "next-link" => {
                let Some(next_path) = get("next") else {
                    self.err(
                        at,
                        "`style: next-link` needs `next` (the path of the next page's link)",
                    );
                    return None;
                };
                let next = self.link_path(out, &next_path, at)?;
                PageStyle::NextLink { next }
            }
            other => {
                self.err_help(
                    at,
                    format!("paging style `{other}` is not supported"),
                    "use `offset`, `cursor` or `next-link`",
                );
                return None;
            }
        };
        Some(Pagination { style, items, item })
    }

    /// Where the string at `path` is in a success value of type `out`; unlike [`Self::access`],
    /// the path may go through properties that are missing or `null` (no link then).
    fn link_path(&mut self, out: &Ty, path: &str, at: &str) -> Option<LinkPath> {
        let segments: Vec<&str> = path.split('/').collect();
        if segments.iter().any(|s| *s == "*" || s.is_empty()) {
            self.err(
                at,
                format!(
                    "`next: {path}` must be a path of property names (no `*`, no empty segment)"
                ),
            );
            return None;
        }
        let (from, mut ty) = match out {
            Ty::Envelope(_, meta) => {
                let u = self.unwraps.iter().find(|u| &u.meta == meta)?;
                if segments[0] == u.wire_path.split('/').next().unwrap_or_default() {
                    self.err(
                        at,
                        format!(
                            "`next: {path}` is inside the unwrapped `{}`; the link must be beside it",
                            u.wire_path
                        ),
                    );
                    return None;
                }
                (AccessRoot::Meta, Ty::Named(meta.clone()))
            }
            other => (AccessRoot::Value, other.clone()),
        };
        let mut steps = Vec::new();
        for seg in &segments {
            let f = self.path_property(&ty, seg, path, at)?;
            let wrap = match (f.required, f.nullable) {
                (true, false) => FieldWrap::Plain,
                (false, true) => FieldWrap::Nullable,
                _ => FieldWrap::Option,
            };
            steps.push((f.rust.clone(), wrap));
            ty = f.ty.clone();
        }
        if ty != Ty::String {
            self.err(at, format!("`next: {path}` is not a string"));
            return None;
        }
        Some(LinkPath { from, steps })
    }

    /// The property `seg` of the object type `ty`, one step of the body path `path` (x-unwrap,
    /// a next link, a paging path); a located error when `ty` is no object or has no such
    /// property.
    fn path_property(&mut self, ty: &Ty, seg: &str, path: &str, at: &str) -> Option<Field> {
        let Ty::Named(n) = ty else {
            self.err(at, format!("`{seg}` in `{path}` needs an object there"));
            return None;
        };
        let Some(TypeKind::Struct { fields, .. }) = kind_named(&self.types, n) else {
            self.err(
                at,
                format!("`{seg}` in `{path}` needs `{n}` to be an object"),
            );
            return None;
        };
        match fields.iter().find(|f| f.wire == seg) {
            Some(f) => Some(f.clone()),
            None => {
                self.err(at, format!("`{seg}` is not a property of `{n}`"));
                None
            }
        }
    }

    /// Where `path` (a body path) is in a success value of type `out`.
    fn access(&mut self, out: &Ty, path: &str, at: &str) -> Option<(Access, Ty)> {
        let segments: Vec<&str> = path.split('/').collect();
        if let Ty::Envelope(value, meta) = out {
            let u = self.unwraps.iter().find(|u| &u.meta == meta)?;
            if u.wire_path == path {
                return Some((
                    Access {
                        from: AccessRoot::Value,
                        steps: Vec::new(),
                        optional: false,
                        lenient: false,
                        nullable: false,
                    },
                    (**value).clone(),
                ));
            }
        }
        if segments.contains(&"*") {
            self.err(at, format!("`{path}`: paging paths cannot contain `*`"));
            return None;
        }
        let (root, start_ty, segs): (AccessRoot, Ty, &[&str]) = match out {
            Ty::Envelope(value, meta) => {
                let u = self.unwraps.iter().find(|u| &u.meta == meta)?;
                if u.wire_path == path {
                    return Some((
                        Access {
                            from: AccessRoot::Value,
                            steps: Vec::new(),
                            optional: false,
                            lenient: false,
                            nullable: false,
                        },
                        (**value).clone(),
                    ));
                }
                if segments[0] == u.wire_path.split('/').next().unwrap_or_default() {
                    self.err(at, format!("`{path}` is inside the unwrapped `{}`; page over the unwrapped value itself", u.wire_path));
                    return None;
                }
                (AccessRoot::Meta, Ty::Named(meta.clone()), &segments[..])
            }
            other => (AccessRoot::Value, other.clone(), &segments[..]),
        };
        let mut ty = start_ty;
        let mut steps = Vec::new();
        let mut optional = false;
        let mut nullable = false;
        for seg in segs {
            if optional {
                self.err(
                    at,
                    format!("`{path}` goes through a property that may be missing"),
                );
                return None;
            }
            let f = self.path_property(strip_lenient(&ty), seg, path, at)?;
            optional = !f.required || f.nullable;
            nullable = !f.required && f.nullable;
            steps.push(UnwrapStep::Field(f.rust.clone()));
            ty = f.ty.clone();
        }
        let lenient = matches!(ty, Ty::Lenient(_));
        Some((
            Access {
                from: root,
                steps,
                optional,
                lenient,
                nullable,
            },
            ty,
        ))
    }

    /// What a success arm yields: a verdict arm yields the accepted variant's type.
    /// What a success arm hands the caller: the unwrapped `Envelope` when it has an `x-unwrap`
    /// (an index into `unwraps`), else [`Lowerer::out_ty`].
    fn success_ty(&self, kind: &BodyKind, verdict: bool, unwrap: Option<usize>) -> OutTy {
        match unwrap.and_then(|i| self.unwraps.get(i)) {
            Some(u) => OutTy::Ty(Ty::Envelope(Box::new(u.value.clone()), u.meta.clone())),
            None => self.out_ty(kind, verdict),
        }
    }

    fn out_ty(&self, kind: &BodyKind, verdict: bool) -> OutTy {
        match kind {
            BodyKind::Empty => OutTy::Unit,
            BodyKind::Text => OutTy::Text,
            BodyKind::Bytes => OutTy::Bytes,
            BodyKind::Stream => OutTy::Stream,
            BodyKind::Json(ty) if verdict => {
                OutTy::Ty(self.accepted_ty(ty).unwrap_or_else(|| ty.clone()))
            }
            BodyKind::Json(ty) => OutTy::Ty(ty.clone()),
        }
    }

    fn accepted_ty(&self, ty: &Ty) -> Option<Ty> {
        let Ty::Named(n) = ty else { return None };
        let (rejected, _) = self.rejected.get(n)?;
        let def = self.types.iter().find(|t| &t.name == n)?;
        let TypeKind::OneOf { variants, .. } = &def.kind else {
            return None;
        };
        let accepted: Vec<&Variant> = variants
            .iter()
            .filter(|v| !rejected.contains(&v.rust))
            .collect();
        match accepted.as_slice() {
            [one] => Some(one.ty.clone()),
            _ => None,
        }
    }

    fn mark_rejected(&mut self, kind: &BodyKind, names: Vec<String>, resp_ptr: &str) {
        let at = child(resp_ptr, "x-error-variants");
        let BodyKind::Json(Ty::Named(type_name)) = kind else {
            self.err(
                &at,
                "`x-error-variants` needs a JSON body whose schema is a `oneOf`",
            );
            return;
        };
        let Some(def) = self.types.iter().find(|t| &t.name == type_name) else {
            self.err(
                &at,
                "`x-error-variants` needs the body schema to be a named `oneOf`",
            );
            return;
        };
        let TypeKind::OneOf { variants, .. } = &def.kind else {
            self.err(
                &at,
                format!("`x-error-variants` needs the body schema `{type_name}` to be a `oneOf`"),
            );
            return;
        };
        let mut rust = Vec::new();
        for n in &names {
            let want = self.component_names.get(n).cloned();
            match variants
                .iter()
                .find(|v| Some(&v.ty) == want.as_ref().map(|w| Ty::Named(w.clone())).as_ref())
            {
                Some(v) => rust.push(v.rust.clone()),
                None => {
                    self.err_help(
                        &at,
                        format!("`{n}` is not one of the alternatives of `{type_name}`"),
                        "list schema names that appear in the `oneOf`",
                    );
                    return;
                }
            }
        }
        let accepted = variants.len() - rust.len();
        if accepted != 1 {
            self.err_help(&at, format!("`x-error-variants` must leave exactly one success alternative of `{type_name}`, it leaves {accepted}"), "list every failure alternative");
            return;
        }
        if let Some((prev, prev_at)) = self.rejected.get(type_name) {
            if prev != &rust {
                let prev_at = prev_at.clone();
                self.err(
                    &at,
                    format!("`{type_name}` has different `x-error-variants` at {prev_at}"),
                );
            }
            return;
        }
        self.rejected.insert(type_name.clone(), (rust, at));
    }

    /// Body kind, rejected variant schema names, and the pointer of the response object.
    /// One response. `success`: an exact 2xx status, whose `application/octet-stream` body is
    /// streamed unless the spec says `x-stream: false`.
    fn lower_response(
        &mut self,
        r: &ReferenceOr<openapiv3::Response>,
        at: &str,
        hint: &str,
        success: bool,
    ) -> Option<RespInfo> {
        let (resp, resp_ptr) = match r {
            ReferenceOr::Item(resp) => (resp, at.to_string()),
            ReferenceOr::Reference { reference } => {
                let key = reference
                    .strip_prefix("#/components/responses/")
                    .map(unescape);
                match key
                    .as_ref()
                    .and_then(|k| self.doc.components.as_ref()?.responses.get(k))
                {
                    Some(ReferenceOr::Item(resp)) => (
                        resp,
                        child("#/components/responses", key.as_deref().unwrap_or_default()),
                    ),
                    _ => {
                        self.err_help(
                            &child(at, "$ref"),
                            format!("`$ref` target `{reference}` does not exist"),
                            "responses may refer to `#/components/responses/<Name>`",
                        );
                        return None;
                    }
                }
            }
        };
        let rejected: Vec<String> = match resp.extensions.get("x-error-variants") {
            None => Vec::new(),
            Some(v) => match v.as_array().map(|a| {
                a.iter()
                    .map(|x| x.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
            }) {
                Some(Some(list)) if !list.is_empty() => list,
                _ => {
                    self.err(
                        &child(&resp_ptr, "x-error-variants"),
                        "`x-error-variants` must be a non-empty list of schema names",
                    );
                    return None;
                }
            },
        };
        let outcome = match resp.extensions.get("x-outcome") {
            None => None,
            Some(v) => match v.as_str().and_then(pascal) {
                Some(name) => Some(name),
                None => {
                    self.err(
                        &child(&resp_ptr, "x-outcome"),
                        "`x-outcome` must be a name (it becomes a Rust enum variant)",
                    );
                    return None;
                }
            },
        };
        let unwrap = match resp.extensions.get("x-unwrap") {
            None => None,
            Some(v) => match v.as_str() {
                Some(p) if !p.is_empty() => Some(p.to_string()),
                _ => {
                    self.err(
                        &child(&resp_ptr, "x-unwrap"),
                        "`x-unwrap` must be a path such as `results` or `networks/*/network`",
                    );
                    return None;
                }
            },
        };
        // `x-stream` as written (`None`: not said).
        let stream_ext = match resp.extensions.get("x-stream") {
            None => None,
            Some(serde_json::Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.err(
                    &child(&resp_ptr, "x-stream"),
                    "`x-stream` must be `true` or `false`",
                );
                return None;
            }
        };
        if let Some(v) = resp.extensions.get("x-media-type-param") {
            let at = child(&resp_ptr, "x-media-type-param");
            let param = match v.as_str() {
                Some(p) if !p.is_empty() => p.to_string(),
                _ => {
                    self.err_help(
                        &at,
                        "`x-media-type-param` must be the name of the parameter that chooses the response's media type",
                        "e.g. `x-media-type-param: format` for a `.{format}` path suffix",
                    );
                    return None;
                }
            };
            if !success {
                self.err_help(
                    &at,
                    "`x-media-type-param` only applies to exact success (2xx) statuses",
                    "error bodies are decoded as JSON whatever their media type; drop it here",
                );
                return None;
            }
            if !rejected.is_empty() {
                self.err(
                    &at,
                    "`x-media-type-param` cannot be combined with `x-error-variants`",
                );
                return None;
            }
            let arms =
                self.lower_media_arms(r, resp, &resp_ptr, hint, outcome.as_deref(), stream_ext)?;
            if unwrap.is_some() && !arms.iter().any(|(_, k, _)| matches!(k, BodyKind::Json(_))) {
                self.err(
                    &child(&resp_ptr, "x-unwrap"),
                    "`x-unwrap` applies to the JSON form of the response, and it has none",
                );
                return None;
            }
            return Some(RespInfo {
                kind: arms.first()?.1.clone(),
                rejected,
                ptr: resp_ptr.clone(),
                outcome,
                unwrap,
                media: Some(MediaArms {
                    arms,
                    param,
                    ptr: at,
                }),
            });
        }
        // A binary download is streamed by default: it can be large, and a `ByteStream` is
        // still one `collect()` away from the whole body.
        let binary_only = !resp.content.is_empty()
            && resp
                .content
                .keys()
                .all(|ct| ct.eq_ignore_ascii_case("application/octet-stream"));
        let stream =
            stream_ext.unwrap_or(success && binary_only && unwrap.is_none() && rejected.is_empty());
        if stream {
            let at = child(&resp_ptr, "x-stream");
            if resp.content.is_empty() || resp.content.keys().any(|ct| is_json(ct)) {
                self.err_help(
                    &at,
                    "`x-stream` needs a binary or text body (not JSON, not empty)",
                    "use it on a download such as `text/csv` or `application/octet-stream` with `format: binary`",
                );
                return None;
            }
            if unwrap.is_some() || !rejected.is_empty() {
                self.err(
                    &at,
                    "`x-stream` cannot be combined with `x-unwrap` or `x-error-variants`",
                );
                return None;
            }
        }
        let info = |kind| RespInfo {
            kind,
            rejected,
            ptr: resp_ptr.clone(),
            outcome,
            unwrap,
            media: None,
        };
        if stream {
            return Some(info(BodyKind::Stream));
        }
        if resp.content.is_empty() {
            return Some(info(BodyKind::Empty));
        }
        let kind = if let Some((ct, media)) = resp.content.iter().find(|(ct, _)| is_json(ct)) {
            let sp = child(&child(&child(&resp_ptr, "content"), ct), "schema");
            match &media.schema {
                Some(s) => {
                    let hint = response_hint(r, hint);
                    BodyKind::Json(self.lower_schema(s, &sp, &hint)?.ty)
                }
                None => BodyKind::Json(Ty::Json),
            }
        } else if resp.content.keys().all(|ct| ct.starts_with("text/")) {
            BodyKind::Text
        } else {
            BodyKind::Bytes
        };
        Some(info(kind))
    }

    /// One arm per media type of a response with `x-media-type-param`: JSON decoded into its
    /// schema, `application/octet-stream` streamed (unless `x-stream: false`), other media types
    /// read whole as text (`text/*`) or bytes, or streamed with `x-stream: true`. Each is an
    /// outcome: the media type object's `x-outcome`, else the response's `x-outcome` (if any)
    /// followed by a name for the media type (`Json`, `Xml`, `Csv`, ...).
    fn lower_media_arms(
        &mut self,
        r: &ReferenceOr<openapiv3::Response>,
        resp: &openapiv3::Response,
        resp_ptr: &str,
        hint: &str,
        outcome: Option<&str>,
        stream: Option<bool>,
    ) -> Option<Vec<(String, BodyKind, String)>> {
        let content_ptr = child(resp_ptr, "content");
        if resp.content.is_empty() {
            self.err_help(
                &child(resp_ptr, "x-media-type-param"),
                "`x-media-type-param` needs `content` listing the media types the parameter chooses between",
                "add each media type under `content`",
            );
            return None;
        }
        let before = self.diags.len();
        let mut arms: Vec<(String, BodyKind, String)> = Vec::new();
        for (ct, media) in &resp.content {
            let mp = child(&content_ptr, ct);
            let essence = ct
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let token = |t: &str| {
                !t.is_empty()
                    && t.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'+-.^_`|~".contains(&b))
            };
            let Some((top, sub)) = essence
                .split_once('/')
                .filter(|(t, s)| token(t) && (token(s) || *s == "*"))
            else {
                self.err_help(
                    &mp,
                    format!("`{ct}` is not a media type the response can be matched against"),
                    "write `type/subtype` (e.g. `text/csv`) or `type/*`",
                );
                continue;
            };
            if arms.iter().any(|(m, _, _)| *m == essence) {
                self.err(
                    &mp,
                    format!("media type `{essence}` is listed twice (parameters aside)"),
                );
                continue;
            }
            let variant = match media.extensions.get("x-outcome") {
                Some(v) => match v.as_str().and_then(pascal) {
                    Some(name) => name,
                    None => {
                        self.err(
                            &child(&mp, "x-outcome"),
                            "`x-outcome` must be a name (it becomes a Rust enum variant)",
                        );
                        continue;
                    }
                },
                None => format!("{}{}", outcome.unwrap_or_default(), media_variant(top, sub)),
            };
            let kind = if is_json(&essence) {
                match &media.schema {
                    Some(schema) => {
                        let hint = response_hint(r, hint);
                        let Some(lowered) = self.lower_schema(schema, &child(&mp, "schema"), &hint)
                        else {
                            continue;
                        };
                        BodyKind::Json(lowered.ty)
                    }
                    None => BodyKind::Json(Ty::Json),
                }
            } else if stream.unwrap_or(essence == "application/octet-stream") {
                BodyKind::Stream
            } else if top == "text" {
                BodyKind::Text
            } else {
                BodyKind::Bytes
            };
            arms.push((essence, kind, variant));
        }
        if self.diags.len() > before || arms.is_empty() {
            return None;
        }
        Some(arms)
    }

    fn lower_security(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        schemes: &[Scheme],
    ) -> Vec<String> {
        let (reqs, at) = match &op.security {
            Some(s) => (s, child(pointer, "security")),
            None => match &self.doc.security {
                Some(s) => (s, "#/security".to_string()),
                None => return Vec::new(),
            },
        };
        let mut out = Vec::new();
        for (i, req) in reqs.iter().enumerate() {
            let rp = child(&at, i.to_string());
            if req.is_empty() {
                // `{}` makes authentication optional: send credentials when the client has them.
                continue;
            }
            let mut names = Vec::new();
            for name in req.keys() {
                if !schemes.iter().any(|s| &s.name == name) {
                    self.err_help(
                        &rp,
                        format!("security scheme `{name}` is not defined"),
                        "define it under components.securitySchemes",
                    );
                    continue;
                }
                names.push(name.clone());
            }
            // Schemes listed together must all be sent: the runtime reads `a+b` as "a and b".
            let joined = names.join("+");
            if !names.is_empty() && !out.contains(&joined) {
                out.push(joined);
            }
        }
        out
    }

    /// `readOnly` and `writeOnly` properties: a required read-only property of a type sent in
    /// requests becomes optional (the caller need not fill it; it is never serialized), and a
    /// required write-only property of a type received in responses becomes optional (the
    /// server leaves it out).
    fn access_modes(&mut self, ops: &[Operation]) {
        let mut sent = HashSet::new();
        let mut received = HashSet::new();
        for op in ops {
            if let Some(b) = &op.body {
                reach(&b.ty, &self.types, &mut sent);
            }
            for arm in op.ok.iter().chain(&op.err) {
                if let BodyKind::Json(t) = &arm.kind {
                    reach(t, &self.types, &mut received);
                }
            }
        }
        for def in &mut self.types {
            let TypeKind::Struct { fields, .. } = &mut def.kind else {
                continue;
            };
            // A type in neither is treated as received (a component nothing uses yet).
            let in_request = sent.contains(&def.name);
            let in_response = received.contains(&def.name) || !in_request;
            for f in fields.iter_mut() {
                if !in_response {
                    // Only decoding uses a default, and this type is only ever sent.
                    f.default = None;
                }
                let note = if f.read_only && in_request {
                    f.required = false;
                    Some("Read-only: set by the server, never sent (skipped when serializing), so optional here.")
                } else if f.read_only {
                    Some("Read-only: set by the server.")
                } else if f.write_only && in_response {
                    f.required = false;
                    Some("Write-only: sent by the client, left out of responses, so optional here.")
                } else if f.write_only {
                    Some("Write-only: sent by the client, left out of responses.")
                } else {
                    None
                };
                if f.read_only && !in_request {
                    // Serialized as received: the type is never a request body.
                    f.read_only = false;
                }
                if let Some(note) = note {
                    f.doc = Some(match f.doc.take() {
                        Some(d) => format!("{}\n\n{note}", d.trim_end()),
                        None => note.to_string(),
                    });
                }
            }
        }
    }

    /// Removes discriminator properties from tagged variants, and records rejected variants.
    fn apply_tags_and_verdicts(&mut self) {
        for (ty, tag) in std::mem::take(&mut self.drop_tag) {
            let pointer = self
                .types
                .iter()
                .find(|t| t.name == ty)
                .map(|t| t.pointer.clone());
            match self.types.iter_mut().find(|t| t.name == ty) {
                Some(TypeDef {
                    kind: TypeKind::Struct { fields, .. },
                    pointer: struct_ptr,
                    ..
                }) => {
                    fields.retain(|f| f.wire != tag);
                    // An inline type defined for the dropped property (e.g. `status: {enum: [OK]}`)
                    // is no longer used by anything.
                    let prefix = child(&child(struct_ptr, "properties"), &tag);
                    let orphan = |t: &TypeDef| {
                        t.pointer == prefix || t.pointer.starts_with(&format!("{prefix}/"))
                    };
                    let gone: Vec<String> = self
                        .types
                        .iter()
                        .filter(|t| orphan(t))
                        .map(|t| t.name.clone())
                        .collect();
                    self.types.retain(|t| !orphan(t));
                    for name in gone {
                        self.type_owner.remove(&name);
                    }
                }
                Some(_) => {
                    let p = pointer.unwrap_or_default();
                    self.err_help(&p, format!("`{ty}` is an alternative of a `oneOf` with discriminator `{tag}`, so it must be an object"), "make it an object, or drop the discriminator");
                }
                None => {}
            }
        }
        let rejected = std::mem::take(&mut self.rejected);
        for (ty, (names, _)) in &rejected {
            if let Some(TypeDef {
                kind: TypeKind::OneOf { rejected: r, .. },
                ..
            }) = self.types.iter_mut().find(|t| &t.name == ty)
            {
                *r = names.clone();
            }
        }
        self.rejected = rejected;
    }

    /// Whether a form body of type `ty` is a struct of fields `serde_urlencoded` can write.
    fn form_ok(&self, ty: &Ty) -> bool {
        let Ty::Named(n) = ty else {
            return matches!(ty, Ty::Map(inner) if param_type_ok(inner, &self.types));
        };
        let Some(def) = self.types.iter().find(|t| &t.name == n) else {
            return false;
        };
        match &def.kind {
            TypeKind::Struct { fields, additional } => {
                fields.iter().all(|f| form_field_ok(&f.ty, &self.types))
                    && additional
                        .as_ref()
                        .map_or(true, |t| form_field_ok(t, &self.types))
            }
            TypeKind::Alias(t) => self.form_ok(t),
            _ => false,
        }
    }

    /// A type that contains itself by value (a tree, a linked list) holds the recursive fields
    /// and variants in a `Box`; cycles through aliases alone cannot be a Rust type and are
    /// reported by `check_cycles`.
    fn box_recursive(&mut self) {
        // One index for every question below (built per question, it was most of lowering).
        let by_name: HashMap<&str, &TypeDef> =
            self.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let reaches = |from: &str, target: &str| -> bool {
            let mut stack = vec![from];
            let mut seen = HashSet::new();
            while let Some(n) = stack.pop() {
                if n == target {
                    return true;
                }
                if !seen.insert(n) {
                    continue;
                }
                if let Some(def) = by_name.get(n) {
                    stack.extend(direct_deps(def));
                }
            }
            false
        };
        let mut boxes: Vec<(usize, usize)> = Vec::new();
        for (ti, t) in self.types.iter().enumerate() {
            let deps: Vec<Option<&Ty>> = match &t.kind {
                TypeKind::Struct { fields, .. } => fields.iter().map(|f| Some(&f.ty)).collect(),
                TypeKind::OneOf { variants, .. } => variants.iter().map(|v| Some(&v.ty)).collect(),
                _ => continue,
            };
            for (i, ty) in deps.into_iter().enumerate() {
                if let Some(Ty::Named(n)) = ty {
                    if reaches(n, &t.name) {
                        boxes.push((ti, i));
                    }
                }
            }
        }
        for (ti, i) in boxes {
            match &mut self.types[ti].kind {
                TypeKind::Struct { fields, .. } => fields[i].boxed = true,
                TypeKind::OneOf { variants, .. } => variants[i].boxed = true,
                _ => {}
            }
        }
    }

    /// A struct that contains itself by value cannot be a Rust type.
    fn check_cycles(&mut self) {
        let by_name: HashMap<&str, &TypeDef> =
            self.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut found = Vec::new();
        for t in &self.types {
            let mut stack = vec![t.name.as_str()];
            let mut seen = HashSet::new();
            // How each type was reached, to name the chain that leads back.
            let mut via: HashMap<&str, &str> = HashMap::new();
            while let Some(n) = stack.pop() {
                let Some(def) = by_name.get(n) else { continue };
                for dep in direct_deps(def) {
                    if dep == t.name {
                        let mut chain = vec![n];
                        while let Some(prev) = via.get(chain[chain.len() - 1]) {
                            chain.push(*prev);
                        }
                        chain.reverse();
                        if chain[0] != t.name {
                            chain.insert(0, &t.name);
                        }
                        let aliases = chain.iter().all(|c| {
                            matches!(by_name.get(c).map(|d| &d.kind), Some(TypeKind::Alias(_)))
                        });
                        chain.push(&t.name);
                        found.push((
                            t.pointer.clone(),
                            t.name.clone(),
                            chain.join(" -> "),
                            aliases,
                        ));
                        stack.clear();
                        break;
                    }
                    if seen.insert(dep) {
                        via.insert(dep, n);
                        stack.push(dep);
                    }
                }
            }
        }
        for (p, n, chain, aliases) in found {
            if aliases {
                self.err_help(&p, format!("`{n}` is only a `$ref` that leads back to itself ({chain}), so it never gets a definition"), "point one of these schemas at a real definition");
            } else {
                self.err_help(&p, format!("`{n}` contains itself ({chain}) without an array or map in between, which a Rust type cannot hold"), "put the recursive property inside an array, or break the cycle");
            }
        }
    }
}

/// What a response says, once resolved.
struct RespInfo {
    kind: BodyKind,
    /// Schema names listed in `x-error-variants`.
    rejected: Vec<String>,
    /// JSON pointer of the response object.
    ptr: String,
    /// `x-outcome`: a success outcome with this variant name.
    outcome: Option<String>,
    /// `x-unwrap`: the path of the value to return.
    unwrap: Option<String>,
    /// `x-media-type-param`: one arm per media type, picked by the response's `Content-Type`.
    media: Option<MediaArms>,
}

/// A success response while lowering: status, body, verdict, outcome name, media type
/// (`x-media-type-param`).
type OkResponse = (u16, BodyKind, bool, Option<String>, Option<String>);

/// The arms of a success response whose media type the request chooses (`x-media-type-param`).
struct MediaArms {
    /// Media type (lower case, without parameters), body, outcome variant.
    arms: Vec<(String, BodyKind, String)>,
    /// The parameter named as choosing it, and the pointer of the extension.
    param: String,
    ptr: String,
}

/// What [`Lowerer::lower_responses`] makes of an operation's responses.
struct Responses {
    ok: Vec<Arm>,
    err: Vec<Arm>,
    output: Output,
    /// `x-media-type-param` values with their pointers, to check against the parameters.
    media_params: Vec<(String, String)>,
}

struct OpCtx<'o> {
    path: &'o String,
    item: &'o openapiv3::PathItem,
    op: &'o openapiv3::Operation,
    method: Method,
    id: String,
    rust: String,
    pointer: String,
}

static EMPTY_PROPS: std::sync::LazyLock<IndexMap<String, ReferenceOr<Box<Schema>>>> =
    std::sync::LazyLock::new(IndexMap::new);
static EMPTY_REQ: Vec<String> = Vec::new();

/// Types a struct holds by value (not through Vec or Map).
fn direct_deps(def: &TypeDef) -> Vec<&str> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct { fields, .. } => {
            for f in fields.iter().filter(|f| !f.boxed) {
                if let Ty::Named(n) = &f.ty {
                    out.push(n.as_str());
                }
            }
        }
        TypeKind::OneOf { variants, .. } => {
            for v in variants.iter().filter(|v| !v.boxed) {
                if let Ty::Named(n) = &v.ty {
                    out.push(n.as_str());
                }
            }
        }
        TypeKind::Alias(Ty::Named(n)) => out.push(n.as_str()),
        _ => {}
    }
    out
}

/// Whether `name` can be written as a Rust type identifier (names from [`pascal`] always can;
/// an `x-rust-name` is taken as written).
fn is_type_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn owner_field_conflict(_rust: &str) -> bool {
    false
}

fn path_ptr_of(op_pointer: &str) -> String {
    match op_pointer.rfind('/') {
        Some(i) => op_pointer[..i].to_string(),
        None => op_pointer.to_string(),
    }
}

fn location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// A form field: a scalar (no lists: `serde_urlencoded` cannot repeat a name), or any JSON
/// value (a string or number at run time).
fn form_field_ok(ty: &Ty, types: &[TypeDef]) -> bool {
    !matches!(ty, Ty::Vec(_)) && (matches!(ty, Ty::Json) || param_type_ok(ty, types))
}

/// `T` when the named type is an untagged union of exactly `T` and `Vec<T>`, as `Vec<T>`.
fn one_or_many(name: &str, types: &[TypeDef]) -> Option<Ty> {
    let def = types.iter().find(|t| t.name == name)?;
    let TypeKind::OneOf {
        tag: None,
        variants,
        ..
    } = &def.kind
    else {
        return None;
    };
    match variants.as_slice() {
        [a, b] => match (&a.ty, &b.ty) {
            (t, Ty::Vec(inner)) | (Ty::Vec(inner), t) if **inner == *t => {
                Some(Ty::Vec(inner.clone()))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The named types `ty` contains, added to `out`.
fn reach(ty: &Ty, types: &[TypeDef], out: &mut HashSet<String>) {
    match ty {
        Ty::Vec(t) | Ty::Map(t) | Ty::Lenient(t) => reach(t, types, out),
        Ty::Envelope(t, meta) => {
            reach(t, types, out);
            reach(&Ty::Named(meta.clone()), types, out);
        }
        Ty::Named(n) => {
            if !out.insert(n.clone()) {
                return;
            }
            match kind_named(types, n) {
                Some(TypeKind::Struct { fields, additional }) => {
                    for f in fields {
                        reach(&f.ty, types, out);
                    }
                    if let Some(a) = additional {
                        reach(a, types, out);
                    }
                }
                Some(TypeKind::OneOf { variants, .. }) => {
                    for v in variants {
                        reach(&v.ty, types, out);
                    }
                }
                Some(TypeKind::Alias(t)) => reach(t, types, out),
                Some(TypeKind::Multipart { parts }) => {
                    for p in parts {
                        reach(&p.ty, types, out);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// Whether a schema's `default` value is one of the field's type (other defaults are ignored).
fn default_fits(ty: &Ty, value: &serde_json::Value, types: &[TypeDef], depth: usize) -> bool {
    use serde_json::Value;
    if depth > 8 {
        return false;
    }
    match (ty, value) {
        (Ty::String, Value::String(_)) | (Ty::Bool, Value::Bool(_)) => true,
        (Ty::I32, Value::Number(n)) => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        (Ty::I64, Value::Number(n)) => n.is_i64(),
        (Ty::F32 | Ty::F64, Value::Number(_)) => true,
        (Ty::Vec(t), Value::Array(items)) => {
            items.iter().all(|i| default_fits(t, i, types, depth + 1))
        }
        (Ty::Named(n), v) => match kind_named(types, n) {
            Some(TypeKind::Enum { .. }) => v.is_string(),
            Some(TypeKind::IntEnum { .. }) => v.is_i64(),
            Some(TypeKind::Alias(t)) => default_fits(t, v, types, depth + 1),
            _ => false,
        },
        _ => false,
    }
}

/// An object a query style can write: a struct or map whose properties are scalars (and, for
/// `deep`, lists of scalars, as `filter[a][]`, and objects of the same kind, as `filter[a][b]`).
fn object_param_ok(ty: &Ty, types: &[TypeDef], deep: bool, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    // deepObject writes a list of scalars inside as `name[key][]=item`.
    let prop_ok = |t: &Ty| {
        ((deep || !matches!(t, Ty::Vec(_))) && param_type_ok(t, types))
            || (deep && object_param_ok(t, types, true, depth + 1))
    };
    match ty {
        Ty::Map(inner) => prop_ok(inner),
        Ty::Named(n) => match kind_named(types, n) {
            Some(TypeKind::Struct { fields, additional }) => {
                !fields.is_empty()
                    && fields.iter().all(|f| !f.boxed && prop_ok(&f.ty))
                    && additional.as_ref().map_or(true, prop_ok)
            }
            Some(TypeKind::Alias(t)) => object_param_ok(t, types, deep, depth + 1),
            _ => false,
        },
        _ => false,
    }
}

/// A parameter type: a scalar, a list of scalars, or an untagged union of scalars.
fn param_type_ok(ty: &Ty, types: &[TypeDef]) -> bool {
    if let Ty::Named(n) = ty {
        if let Some(TypeKind::OneOf {
            tag: None,
            variants,
            ..
        }) = kind_named(types, n)
        {
            return variants
                .iter()
                .all(|v| !v.boxed && !matches!(v.ty, Ty::Vec(_)) && param_scalar_ok(&v.ty, types));
        }
    }
    param_scalar_ok(ty, types)
}

fn param_scalar_ok(ty: &Ty, types: &[TypeDef]) -> bool {
    match ty {
        Ty::Vec(inner) => !matches!(**inner, Ty::Vec(_)) && is_scalar_param(inner, types),
        other => is_scalar_param(other, types),
    }
}

/// How a request body of this content type is sent, if it can be.
fn body_encoding(content_type: &str) -> Option<BodyEncoding> {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if is_json(&ct) {
        Some(BodyEncoding::Json)
    } else if ct == "application/x-www-form-urlencoded" {
        Some(BodyEncoding::Form)
    } else if ct == "multipart/form-data" {
        Some(BodyEncoding::Multipart)
    } else if ct == "text/plain" {
        Some(BodyEncoding::Text)
    } else if ct == "application/octet-stream" {
        Some(BodyEncoding::Bytes)
    } else {
        None
    }
}

fn is_json(content_type: &str) -> bool {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    ct == "application/json" || ct.ends_with("+json") || ct == "*/*"
}

/// The name a response's inline body type is given: a shared response (`$ref`) is named after
/// itself, not after the first operation that uses it; otherwise `hint`.
fn response_hint(r: &ReferenceOr<openapiv3::Response>, hint: &str) -> String {
    match r {
        ReferenceOr::Reference { reference } => {
            pascal(reference.rsplit('/').next().unwrap_or(hint)).unwrap_or_else(|| hint.to_string())
        }
        ReferenceOr::Item(_) => hint.to_string(),
    }
}

/// The outcome name of a media type (`text/csv` is `Csv`).
fn media_variant(top: &str, sub: &str) -> String {
    let sub = sub.rsplit('+').next().unwrap_or(sub);
    match (top, sub) {
        (_, "json") => "Json".into(),
        (_, "xml") => "Xml".into(),
        ("text", "plain") => "Text".into(),
        ("application", "octet-stream") => "Binary".into(),
        (top, "*") => pascal(top).unwrap_or_else(|| "Any".into()),
        (_, sub) => pascal(sub).unwrap_or_else(|| "Other".into()),
    }
}

fn status_variant(code: u16) -> String {
    match code {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        206 => "PartialContent".into(),
        c => format!("Status{c}"),
    }
}

fn ty_variant_name(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Secret => "Secret".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::NaiveDateTime => "NaiveDateTime".into(),
        Ty::EpochMillis => "EpochMillis".into(),
        Ty::EpochSeconds => "EpochSeconds".into(),
        Ty::Lenient(inner) => ty_variant_name(inner),
        Ty::Bool => "Bool".into(),
        Ty::I32 | Ty::I64 => "Integer".into(),
        Ty::F32 | Ty::F64 => "Number".into(),
        Ty::Json => "Json".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Stream => "Stream".into(),
        Ty::Named(n) => n.clone(),
        Ty::Vec(_) => "List".into(),
        Ty::Map(_) => "Map".into(),
        Ty::Row(..) => "Row".into(),
        Ty::Envelope(inner, _) => ty_variant_name(inner),
    }
}

/// The type under a `Lenient` wrapper.
fn strip_lenient(t: &Ty) -> &Ty {
    match t {
        Ty::Lenient(inner) => inner,
        other => other,
    }
}

fn is_lenient(s: &Schema) -> bool {
    s.schema_data
        .extensions
        .get("x-lenient")
        .and_then(|v| v.as_bool())
        == Some(true)
}

/// A schema that only documents (`description`, `title`, examples): no type, no constraint.
fn annotation_only(r: &ReferenceOr<Schema>) -> bool {
    match r {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Any(a) => *a == openapiv3::AnySchema::default(),
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

fn doc_of(s: &Schema) -> Option<String> {
    s.schema_data
        .description
        .clone()
        .or_else(|| s.schema_data.title.clone())
}

fn rust_name_ext(ext: &IndexMap<String, serde_json::Value>) -> Option<String> {
    ext.get("x-rust-name")
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Decodes a JSON pointer token (RFC 6901).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The `{name}` placeholders of a path or URL template, in order.
pub fn template_names(template: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err("`}` without a matching `{`".into());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("`{` without a matching `}`")?;
        let name = &after[..close];
        if name.is_empty() {
            return Err("empty `{}` placeholder".into());
        }
        if name.contains('{') {
            return Err("nested `{`".into());
        }
        if names.iter().any(|n| n == name) {
            return Err(format!("placeholder `{{{name}}}` appears twice"));
        }
        names.push(name.to_string());
        rest = &after[close + 1..];
    }
    Ok(names)
}

/// The types that error bodies decode into, deduplicated, in order.
fn collect_error_bodies(ops: &[Operation], types: &[TypeDef]) -> Vec<Ty> {
    let mut out: Vec<Ty> = Vec::new();
    let mut push = |t: Ty| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    let rejected_of = |n: &str| -> Option<Ty> {
        let def = types.iter().find(|t| t.name == n)?;
        let TypeKind::OneOf {
            variants, rejected, ..
        } = &def.kind
        else {
            return None;
        };
        let r: Vec<&Variant> = variants
            .iter()
            .filter(|v| rejected.contains(&v.rust))
            .collect();
        match r.as_slice() {
            [one] => Some(one.ty.clone()),
            _ => Some(Ty::Named(n.to_string())),
        }
    };
    for op in ops {
        for arm in &op.ok {
            if let (true, BodyKind::Json(Ty::Named(n))) = (arm.verdict, &arm.kind) {
                if let Some(t) = rejected_of(n) {
                    push(t);
                }
            }
        }
        for arm in &op.err {
            if let BodyKind::Json(t) = &arm.kind {
                push(t.clone());
            }
        }
    }
    let _ = BTreeMap::<(), ()>::new;
    out
}

#[cfg(test)]
mod tests {
    use super::template_names;

    #[test]
    fn template_placeholders() {
        assert_eq!(template_names("/a/{b}/c.{d}").unwrap(), vec!["b", "d"]);
        assert!(template_names("/a/{b").is_err());
        assert!(template_names("/a/{}").is_err());
        assert!(template_names("/a/b}").is_err());
        assert!(template_names("/a/{b}/{b}").is_err());
    }
}
