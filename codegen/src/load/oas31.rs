//! OpenAPI 3.1 read as 3.0: the document tree is rewritten in place, before it is typed, into
//! the OpenAPI 3.0 model the rest of the generator reads (`openapiv3` stops at 3.0).
//!
//! What has a 3.0 spelling is rewritten to it without loss: `type: [T, "null"]` becomes `type: T`
//! with `nullable: true`, `const: v` becomes `enum: [v]`, a numeric `exclusiveMinimum` becomes
//! `minimum` with `exclusiveMinimum: true`, `contentEncoding: base64` becomes `format: byte` and
//! a binary `contentMediaType` `format: binary`, a schema's `examples` list its `example`, and a
//! `$ref` with siblings that matter an `allOf` of the reference and the siblings. What has none
//! (webhooks, `prefixItems`, a `type` list of several types, ...) is read as the nearest 3.0
//! construct, and each such spot is a located [`Note`], reported as a warning.
//!
//! Why normalising rather than a 3.1 document model: docs/SPECS.md, "OpenAPI 3.1 and Swagger 2.0".

use super::yaml::{Key, Mapping, Node, Number, Pos, Value};
use crate::source::child;

/// One spot of the document that was read as something other than what it says, with where it
/// is written and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    pub(crate) pointer: String,
    pub(crate) pos: Pos,
    pub(crate) message: String,
}

/// Collects notes while a document is rewritten, and the errors found on the way (what our own
/// specs may not do and a published spec is forgiven).
#[derive(Default)]
pub(crate) struct Notes(pub(crate) Vec<Note>, pub(crate) Vec<Note>);

impl Notes {
    pub(crate) fn add(&mut self, pointer: &str, pos: Pos, message: impl Into<String>) {
        self.0.push(Note {
            pointer: pointer.to_string(),
            pos,
            message: message.into(),
        });
    }
}

/// A string node at `pos`.
pub(crate) fn string(s: &str, pos: Pos) -> Node {
    node(Value::String(s.to_string()), pos)
}

/// A node at `pos`.
pub(crate) fn node(value: Value, pos: Pos) -> Node {
    Node {
        value,
        pos,
        alias: false,
    }
}

/// The string key `k`.
pub(crate) fn key(k: &str) -> Value {
    Value::String(k.to_string())
}

/// Rewrites an OpenAPI 3.1 document (`root`) into OpenAPI 3.0.3.
///
/// With `lenient` (a published spec), integer bounds no Rust integer holds are dropped, each
/// with a note (else the document model refuses them where they are written).
pub(crate) fn normalise(root: &mut Node, notes: &mut Notes, lenient: bool) {
    let pos = root.pos;
    let Value::Mapping(top) = &mut root.value else {
        return;
    };
    if let Some(v) = top.get_mut(&Key("openapi")) {
        v.value = Value::String("3.0.3".into());
    }
    if let Some(d) = top.swap_remove(&Key("jsonSchemaDialect")) {
        let default = "https://spec.openapis.org/oas/3.1/dialect/base";
        if d.value.as_str() != Some(default) {
            notes.add(
                "#/jsonSchemaDialect",
                d.pos,
                "`jsonSchemaDialect` is not the OpenAPI default: schemas are read as the OpenAPI dialect",
            );
        }
    }
    if let Some(w) = top.swap_remove(&Key("webhooks")) {
        let names: Vec<String> = match &w.value {
            Value::Mapping(m) => m.keys().filter_map(|k| k.token()).collect(),
            _ => Vec::new(),
        };
        notes.add(
            "#/webhooks",
            w.pos,
            format!(
                "webhooks ({}) are loaded but not generated: a client sends requests, webhooks are received",
                names.join(", ")
            ),
        );
    }
    if !top.contains_key(&Key("paths")) {
        top.insert(key("paths"), node(Value::Mapping(Mapping::new()), pos));
    }
    if let Some(info) = top.get_mut(&Key("info")) {
        // 3.1 additions the 3.0 model has no place for; both are documentation only.
        if let Value::Mapping(info) = &mut info.value {
            info.swap_remove(&Key("summary"));
            if let Some(l) = info.get_mut(&Key("license")) {
                if let Value::Mapping(l) = &mut l.value {
                    l.swap_remove(&Key("identifier"));
                }
            }
        }
    }
    let mut dropped_schemes = Vec::new();
    if let Some(c) = top.get_mut(&Key("components")) {
        if let Value::Mapping(c) = &mut c.value {
            if let Some(Value::Mapping(schemes)) =
                c.get_mut(&Key("securitySchemes")).map(|n| &mut n.value)
            {
                schemes.retain(|name, scheme| {
                    let mtls = scheme.value.get("type").and_then(|t| t.value.as_str())
                        == Some("mutualTLS");
                    if mtls {
                        let name = name.token().unwrap_or_default();
                        notes.add(
                            &child("#/components/securitySchemes", &name),
                            scheme.pos,
                            "a `mutualTLS` scheme is a client certificate, which the client's HTTP connection carries and not a request: dropped, and every security alternative that needs it",
                        );
                        dropped_schemes.push(name);
                    }
                    !mtls
                });
            }
            if let Some(p) = c.swap_remove(&Key("pathItems")) {
                notes.add(
                    "#/components/pathItems",
                    p.pos,
                    "`components/pathItems` (OpenAPI 3.1) is not read: only paths generate operations",
                );
            }
        }
    }
    if !dropped_schemes.is_empty() {
        drop_requirements(root, &dropped_schemes);
    }
    hoist_defs(root, notes);
    resolve_ids(root, notes);
    walk_document(root, notes, true, lenient);
}

/// The `$defs` of a component schema become component schemas of their own (named after the
/// definition, or `<Schema>_<definition>` when that is taken), and references to them are
/// rewritten: the generator names and resolves component schemas only.
fn hoist_defs(root: &mut Node, notes: &mut Notes) {
    let Some(schemas) = entry(root, "components").and_then(|c| entry(c, "schemas")) else {
        return;
    };
    let Value::Mapping(schemas) = &mut schemas.value else {
        return;
    };
    let mut moved: Vec<(String, String, Node)> = Vec::new();
    for (k, v) in schemas.iter_mut() {
        let Some(owner) = k.token() else { continue };
        let Value::Mapping(m) = &mut v.value else {
            continue;
        };
        let Some(Value::Mapping(defs)) = m.shift_remove(&Key("$defs")).map(|d| d.value) else {
            continue;
        };
        for (name, def) in defs {
            if let Some(name) = name.token() {
                moved.push((owner.clone(), name, def));
            }
        }
    }
    let mut renames: Vec<(String, String)> = Vec::new();
    for (owner, name, def) in moved {
        let new = if schemas.contains_key(&Key(&name)) {
            format!("{owner}_{name}")
        } else {
            name.clone()
        };
        let from = format!(
            "#/components/schemas/{}/$defs/{}",
            crate::source::escape_token(&owner),
            crate::source::escape_token(&name)
        );
        let to = child("#/components/schemas", &new);
        notes.add(
            &child(
                &child(&child("#/components/schemas", &owner), "$defs"),
                &name,
            ),
            def.pos,
            format!("`$defs/{name}` of `{owner}` is read as the component schema `{new}`"),
        );
        schemas.insert(key(&new), def);
        renames.push((from, to));
    }
    if !renames.is_empty() {
        rename_refs(root, &renames);
    }
}

/// Every `$ref` equal to a `from` of `renames` (or below it) rewritten to its `to`.
fn rename_refs(n: &mut Node, renames: &[(String, String)]) {
    match &mut n.value {
        Value::Mapping(m) => {
            for (k, v) in m.iter_mut() {
                if k.as_str() == Some("$ref") {
                    if let Value::String(r) = &mut v.value {
                        if let Some((from, to)) = renames
                            .iter()
                            .find(|(from, _)| r == from || r.starts_with(&format!("{from}/")))
                        {
                            *r = format!("{to}{}", &r[from.len()..]);
                        }
                    }
                } else if !is_data_key(k) {
                    rename_refs(v, renames);
                }
            }
        }
        Value::Sequence(items) => {
            for v in items {
                rename_refs(v, renames);
            }
        }
        _ => {}
    }
}

/// Skips the values of these keys when looking for `$id`s and `$ref`s: they are data.
/// (`default` and `examples` are not skipped: they are also a response code and the examples
/// of a media type, which may hold references.)
fn is_data_key(k: &Value) -> bool {
    matches!(k.as_str(), Some("example" | "enum" | "const"))
}

/// `$ref`s to a schema's `$id` (or to `$id#anchor`) rewritten as local references: to the
/// component itself when the target is a component schema, else (a schema inside one) a copy
/// of the target in place of the reference.
fn resolve_ids(root: &mut Node, notes: &mut Notes) {
    let mut ids: Vec<(String, String, Node)> = Vec::new();
    collect_ids(root, "#", None, &mut ids);
    if ids.is_empty() {
        return;
    }
    rewrite_refs(root, "#", &ids, notes);
}

fn collect_ids(n: &Node, at: &str, base: Option<&str>, out: &mut Vec<(String, String, Node)>) {
    match &n.value {
        Value::Mapping(m) => {
            let id = m.get(&Key("$id")).and_then(|v| v.value.as_str());
            if let Some(id) = id {
                out.push((id.to_string(), at.to_string(), n.clone()));
            }
            let base = id.or(base);
            if let (Some(b), Some(a)) =
                (base, m.get(&Key("$anchor")).and_then(|v| v.value.as_str()))
            {
                out.push((format!("{b}#{a}"), at.to_string(), n.clone()));
            }
            for (k, v) in m {
                if is_data_key(k) {
                    continue;
                }
                if let Some(t) = k.token() {
                    collect_ids(v, &child(at, t), base, out);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_ids(v, &child(at, i.to_string()), base, out);
            }
        }
        _ => {}
    }
}

fn rewrite_refs(n: &mut Node, at: &str, ids: &[(String, String, Node)], notes: &mut Notes) {
    match &mut n.value {
        Value::Mapping(m) => {
            let target = m
                .get(&Key("$ref"))
                .and_then(|r| r.value.as_str())
                .and_then(|r| ids.iter().find(|(id, _, _)| id == r));
            if let Some((id, pointer, target)) = target {
                let is_component = pointer
                    .strip_prefix("#/components/schemas/")
                    .is_some_and(|rest| !rest.contains('/'));
                let rpos = m.get(&Key("$ref")).map_or(n.pos, |r| r.pos);
                if is_component {
                    m.insert(key("$ref"), string(pointer, rpos));
                } else {
                    notes.add(
                        &child(at, "$ref"),
                        rpos,
                        format!("`$ref: {id}` names a schema inside another ({pointer}): a copy of it is used here"),
                    );
                    let mut copy = target.clone();
                    if let Value::Mapping(c) = &mut copy.value {
                        c.swap_remove(&Key("$anchor"));
                        c.swap_remove(&Key("$id"));
                    }
                    m.swap_remove(&Key("$ref"));
                    if let Value::Mapping(c) = copy.value {
                        for (k, v) in c {
                            m.entry(k).or_insert(v);
                        }
                    }
                }
            }
            for (k, v) in m.iter_mut() {
                if is_data_key(k) {
                    continue;
                }
                if let Some(t) = k.token() {
                    rewrite_refs(v, &child(at, t), ids, notes);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                rewrite_refs(v, &child(at, i.to_string()), ids, notes);
            }
        }
        _ => {}
    }
}

/// Removes the security alternatives (of the document and of each operation) that name one of
/// `schemes`.
fn drop_requirements(root: &mut Node, schemes: &[String]) {
    let drop = |list: &mut Node| {
        if let Value::Sequence(alts) = &mut list.value {
            alts.retain(|alt| match &alt.value {
                Value::Mapping(m) => !m
                    .keys()
                    .filter_map(Value::as_str)
                    .any(|k| schemes.iter().any(|s| s == k)),
                _ => true,
            });
        }
    };
    if let Some(s) = entry(root, "security") {
        drop(s);
    }
    let Some(Value::Mapping(paths)) = entry(root, "paths").map(|p| &mut p.value) else {
        return;
    };
    for item in paths.values_mut() {
        for m in METHODS {
            if let Some(s) = entry(item, m).and_then(|op| entry(op, "security")) {
                drop(s);
            }
        }
    }
}

/// What a published spec commonly gets wrong that has an obvious reading, each with a note:
/// a missing `info.version` (read as empty).
pub(crate) fn lenient_fixups(root: &mut Node, notes: &mut Notes) {
    let Some(info) = entry(root, "info") else {
        return;
    };
    let pos = info.pos;
    if let Value::Mapping(m) = &mut info.value {
        if !m.contains_key(&Key("version")) {
            notes.add(
                "#/info",
                pos,
                "`info` has no `version` (OpenAPI requires one): read as an empty version",
            );
            m.insert(key("version"), string("", pos));
        }
    }
}

/// Rewrites only the 3.1 `type` lists of an OpenAPI 3.0 document (published 3.0 specs use them),
/// each with a note; with `lenient` (a published spec), also drops the integer bounds no Rust
/// integer holds.
pub(crate) fn type_lists_in_30(root: &mut Node, notes: &mut Notes, lenient: bool) {
    walk_document(root, notes, false, lenient);
}

/// Every schema of the document, wherever one can be written, through [`Walk::schema`].
fn walk_document(root: &mut Node, notes: &mut Notes, full: bool, lenient: bool) {
    let mut cx = Walk {
        notes,
        full,
        lenient,
    };
    let Value::Mapping(top) = &mut root.value else {
        return;
    };
    if let Some(paths) = top.get_mut(&Key("paths")) {
        for_entries(paths, "#/paths", |item, at| cx.path_item(item, at));
    }
    if let Some(c) = top.get_mut(&Key("components")) {
        let Value::Mapping(c) = &mut c.value else {
            return;
        };
        if let Some(s) = c.get_mut(&Key("schemas")) {
            for_entries(s, "#/components/schemas", |s, at| cx.schema(s, at));
        }
        if let Some(s) = c.get_mut(&Key("parameters")) {
            for_entries(s, "#/components/parameters", |p, at| cx.parameter(p, at));
        }
        if let Some(s) = c.get_mut(&Key("headers")) {
            for_entries(s, "#/components/headers", |p, at| cx.parameter(p, at));
        }
        if let Some(s) = c.get_mut(&Key("responses")) {
            for_entries(s, "#/components/responses", |r, at| cx.response(r, at));
        }
        if let Some(s) = c.get_mut(&Key("requestBodies")) {
            for_entries(s, "#/components/requestBodies", |b, at| cx.content(b, at));
        }
    }
}

/// `f` on each entry of a mapping (or item of a sequence), with its pointer.
fn for_entries(holder: &mut Node, at: &str, mut f: impl FnMut(&mut Node, &str)) {
    match &mut holder.value {
        Value::Mapping(m) => {
            for (k, v) in m.iter_mut() {
                if let Some(t) = k.token() {
                    f(v, &child(at, t));
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                f(v, &child(at, i.to_string()));
            }
        }
        _ => {}
    }
}

fn entry<'n>(n: &'n mut Node, k: &str) -> Option<&'n mut Node> {
    match &mut n.value {
        Value::Mapping(m) => m.get_mut(&Key(k)),
        _ => None,
    }
}

struct Walk<'n> {
    notes: &'n mut Notes,
    /// The whole of 3.1, or (a 3.0 document) only `type` lists.
    full: bool,
    /// A published spec: integer bounds beyond 64 bits are dropped with a note (else they are
    /// errors).
    lenient: bool,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Annotations a `$ref`'s siblings may carry that change nothing in the generated code but its
/// docs; 3.1 allows them beside a `$ref`, 3.0 ignores them.
const ANNOTATIONS: [&str; 8] = [
    "description",
    "summary",
    "title",
    "examples",
    "example",
    "$comment",
    "deprecated",
    "externalDocs",
];

impl Walk<'_> {
    fn path_item(&mut self, item: &mut Node, at: &str) {
        if let Some(p) = entry(item, "parameters") {
            for_entries(p, &child(at, "parameters"), |p, at| self.parameter(p, at));
        }
        for m in METHODS {
            let Some(op) = entry(item, m) else { continue };
            let at = child(at, m);
            if let Some(p) = entry(op, "parameters") {
                for_entries(p, &child(&at, "parameters"), |p, at| self.parameter(p, at));
            }
            if let Some(b) = entry(op, "requestBody") {
                self.content(b, &child(&at, "requestBody"));
            }
            if let Some(r) = entry(op, "responses") {
                for_entries(r, &child(&at, "responses"), |r, at| self.response(r, at));
            }
        }
    }

    /// `examples` written as a list (a schema's spelling) where OpenAPI wants a map of Example
    /// objects (a parameter, a media type): read as its first `example`, with a note.
    fn example_list(&mut self, holder: &mut Node, at: &str) {
        let Value::Mapping(m) = &mut holder.value else {
            return;
        };
        let Some(e) = m.get(&Key("examples")) else {
            return;
        };
        let Value::Sequence(items) = &e.value else {
            return;
        };
        let (first, pos) = (items.first().cloned(), e.pos);
        m.swap_remove(&Key("examples"));
        self.notes.add(
            &child(at, "examples"),
            pos,
            "`examples` here is a map of Example objects, not a list: read as `example`, the first item",
        );
        if let Some(first) = first {
            m.entry(key("example")).or_insert(first);
        }
    }

    fn parameter(&mut self, p: &mut Node, at: &str) {
        self.example_list(p, at);
        if let Some(s) = entry(p, "schema").filter(|_| self.lenient) {
            let spos = s.pos;
            if let Value::Mapping(m) = &mut s.value {
                let ty = m
                    .get(&Key("type"))
                    .and_then(|t| t.value.as_str())
                    .map(str::to_owned);
                // A list parameter without `items`, or with `items: {}` (any value): its
                // values are strings on the wire.
                let items = match m.get(&Key("items")).map(|i| &i.value) {
                    None => Some("without `items`"),
                    Some(Value::Mapping(i)) if i.is_empty() => {
                        Some("whose `items` may be any value")
                    }
                    Some(_) => None,
                };
                if let (Some("array"), Some(what)) = (ty.as_deref(), items) {
                    self.notes.add(
                        &child(at, "schema"),
                        spos,
                        format!("a list parameter {what}: read as a list of strings"),
                    );
                    let mut items = Mapping::new();
                    items.insert(key("type"), string("string", spos));
                    m.insert(key("items"), node(Value::Mapping(items), spos));
                }
                self.boolean_enum(m, ty.as_deref(), &child(at, "schema"), spos);
            }
        }
        if let Some(s) = entry(p, "schema") {
            self.schema(s, &child(at, "schema"));
        }
        self.content(p, at);
    }

    /// A parameter's `enum` of booleans (`enum: [true, false]`): without a type, or with
    /// `type: boolean`, a boolean; with `type: string`, the strings `true` and `false`.
    fn boolean_enum(&mut self, m: &mut Mapping, ty: Option<&str>, at: &str, pos: Pos) {
        let Some(Value::Sequence(values)) = m.get(&Key("enum")).map(|e| &e.value) else {
            return;
        };
        if values.is_empty() || !values.iter().all(|v| matches!(v.value, Value::Bool(_))) {
            return;
        }
        match ty {
            None | Some("boolean") => {
                m.swap_remove(&Key("enum"));
                m.insert(key("type"), string("boolean", pos));
                self.notes.add(
                    at,
                    pos,
                    "a parameter whose `enum` lists booleans: read as a boolean",
                );
            }
            Some("string") => {
                let texts: Vec<Node> = values
                    .iter()
                    .map(|v| match v.value {
                        Value::Bool(b) => string(if b { "true" } else { "false" }, v.pos),
                        _ => v.clone(),
                    })
                    .collect();
                m.insert(key("enum"), node(Value::Sequence(texts), pos));
                self.notes.add(
                    at,
                    pos,
                    "a string parameter whose `enum` lists booleans: read as the strings `true` and `false`",
                );
            }
            Some(_) => {}
        }
    }

    fn response(&mut self, r: &mut Node, at: &str) {
        if let Some(h) = entry(r, "headers") {
            for_entries(h, &child(at, "headers"), |h, at| self.parameter(h, at));
        }
        self.content(r, at);
    }

    fn content(&mut self, holder: &mut Node, at: &str) {
        if let Some(c) = entry(holder, "content") {
            for_entries(c, &child(at, "content"), |m, at| {
                self.example_list(m, at);
                if let Some(s) = entry(m, "schema") {
                    self.schema(s, &child(at, "schema"));
                }
            });
        }
    }

    /// One schema and every schema inside it.
    fn schema(&mut self, s: &mut Node, at: &str) {
        let pos = s.pos;
        match &s.value {
            Value::Mapping(_) => {}
            // JSON Schema's `true`: any value (3.1).
            Value::Bool(true) if self.full => s.value = Value::Mapping(Mapping::new()),
            // Not a schema at all (`voucher_codes: []`): a published spec's slip.
            Value::Sequence(_) | Value::Null | Value::String(_) | Value::Number(_)
                if self.lenient =>
            {
                self.notes.add(
                    at,
                    pos,
                    "this schema is not a mapping: read as any JSON value",
                );
                s.value = Value::Mapping(Mapping::new());
            }
            _ => {}
        }
        let Value::Mapping(m) = &mut s.value else {
            return;
        };
        self.type_list(m, at, pos);
        if self.lenient {
            self.required_flags(m, at);
        }
        if self.full {
            self.keywords(m, at, pos);
        }
        self.integer_bounds(m, at);
        if self.lenient && single_all_of(m) {
            self.notes.add(
                &child(at, "allOf"),
                pos,
                "`allOf` of parts that are not objects: read as one schema, their constraints merged (the first part's where two disagree)",
            );
        }
        for k in ["properties", "patternProperties", "$defs", "definitions"] {
            if let Some(p) = m.get_mut(&Key(k)) {
                for_entries(p, &child(at, k), |s, at| self.schema(s, at));
            }
        }
        for k in ["allOf", "oneOf", "anyOf", "prefixItems"] {
            if let Some(p) = m.get_mut(&Key(k)) {
                for_entries(p, &child(at, k), |s, at| self.schema(s, at));
            }
        }
        for k in ["items", "additionalProperties", "not"] {
            if let Some(inner) = m.get_mut(&Key(k)) {
                if matches!(inner.value, Value::Mapping(_)) {
                    self.schema(inner, &child(at, k));
                }
            }
        }
    }

    /// Swagger 1's habit, in a published spec: `required: true` on a property's schema (a
    /// schema's `required` lists property names). The properties so flagged are added to this
    /// object's `required`; this schema's own flag (read by its parent, if it is a property) is
    /// dropped, with a note.
    fn required_flags(&mut self, m: &mut Mapping, at: &str) {
        if let Some(flag) = m.get(&Key("required")) {
            if let Value::Bool(b) = flag.value {
                let fpos = flag.pos;
                let property = at.rsplit('/').nth(1) == Some("properties");
                self.notes.add(
                    &child(at, "required"),
                    fpos,
                    if b && property {
                        "`required: true` on a property's schema: read as the property listed in the object's `required`".to_string()
                    } else {
                        format!("`required: {b}` on a schema (whose `required` lists property names): ignored")
                    },
                );
                m.shift_remove(&Key("required"));
            }
        }
        let Some(Value::Mapping(props)) = m.get(&Key("properties")).map(|p| &p.value) else {
            return;
        };
        let flagged: Vec<(String, Pos)> = props
            .iter()
            .filter_map(|(name, p)| {
                let Value::Mapping(pm) = &p.value else {
                    return None;
                };
                let flag = pm.get(&Key("required"))?;
                let name = name.as_str()?.to_string();
                matches!(flag.value, Value::Bool(true)).then_some((name, flag.pos))
            })
            .collect();
        if flagged.is_empty() {
            return;
        }
        let list = m
            .entry(key("required"))
            .or_insert_with(|| node(Value::Sequence(Vec::new()), flagged[0].1));
        if let Value::Sequence(items) = &mut list.value {
            for (name, fpos) in flagged {
                if !items
                    .iter()
                    .any(|i| i.value.as_str() == Some(name.as_str()))
                {
                    items.push(string(&name, fpos));
                }
            }
        }
    }

    /// `type: [T, "null"]` as `type: T, nullable: true`; a list of several types as no `type`
    /// (any JSON value), with a note.
    fn type_list(&mut self, m: &mut Mapping, at: &str, pos: Pos) {
        let Some(t) = m.get(&Key("type")) else {
            return;
        };
        let types: Vec<Option<String>> = match &t.value {
            Value::Sequence(items) => items
                .iter()
                .map(|n| n.value.as_str().map(str::to_string))
                .collect(),
            Value::String(s) if s == "null" => vec![Some("null".into())],
            _ => return,
        };
        let tpos = t.pos;
        let nullable = types.iter().any(|t| t.as_deref() == Some("null"));
        let rest: Vec<&String> = types
            .iter()
            .flatten()
            .filter(|t| t.as_str() != "null")
            .collect();
        let at_type = child(at, "type");
        if !self.full {
            self.notes.add(
                &at_type,
                tpos,
                "a list of types is OpenAPI 3.1, not 3.0: read as OpenAPI 3.1 reads it",
            );
        }
        match rest.as_slice() {
            [one] => {
                let one = one.to_string();
                m.insert(key("type"), string(&one, tpos));
            }
            [] => {
                // Only `null`: a value that is always null, read as an optional any value.
                m.swap_remove(&Key("type"));
                if types.len() == 1 && nullable {
                    self.notes.add(
                        &at_type,
                        tpos,
                        "`type: null` has no OpenAPI 3.0 spelling: read as a nullable value of any type",
                    );
                }
            }
            several => {
                let list: Vec<&str> = several.iter().map(|s| s.as_str()).collect();
                m.swap_remove(&Key("type"));
                self.notes.add(
                    &at_type,
                    tpos,
                    format!(
                        "a value of several types ({}) is read as any JSON value",
                        list.join(", ")
                    ),
                );
            }
        }
        if nullable {
            m.insert(key("nullable"), node(Value::Bool(true), pos));
        }
    }

    /// An integer schema's `minimum`/`maximum` that is not a 64-bit signed integer (a bound of
    /// an unsigned 64-bit id, `1e20`, `0.5`): dropped with a note, since the field is an `i64`.
    fn integer_bounds(&mut self, m: &mut Mapping, at: &str) {
        if m.get(&Key("type")).and_then(|t| t.value.as_str()) != Some("integer") {
            return;
        }
        for kw in ["minimum", "maximum"] {
            let Some(n) = m.get(&Key(kw)) else { continue };
            let fits = match n.value {
                Value::Number(Number::NegInt(_)) => true,
                Value::Number(Number::PosInt(x)) => i64::try_from(x).is_ok(),
                _ => false,
            };
            if !fits && !self.lenient {
                let shown = n.value.token().unwrap_or_default();
                self.notes.1.push(Note {
                    pointer: child(at, kw),
                    pos: n.pos,
                    message: format!("`{kw}: {shown}` of an integer is not a 64-bit integer"),
                });
            } else if !fits {
                let (p, shown) = (n.pos, n.value.token().unwrap_or_default());
                self.notes.add(
                    &child(at, kw),
                    p,
                    format!("`{kw}: {shown}` is not a 64-bit integer, which the field is: the bound is not kept"),
                );
                m.swap_remove(&Key(kw));
            }
        }
    }

    /// The 3.1 keywords with a 3.0 spelling, and the notes for those without.
    fn keywords(&mut self, m: &mut Mapping, at: &str, pos: Pos) {
        if let Some(c) = m.swap_remove(&Key("const")) {
            if !m.contains_key(&Key("enum")) {
                let p = c.pos;
                m.insert(key("enum"), node(Value::Sequence(vec![c]), p));
            }
        }
        if let Some(e) = m.get(&Key("examples")) {
            if let Value::Sequence(items) = &e.value {
                let first = items.first().cloned();
                m.swap_remove(&Key("examples"));
                if let Some(first) = first {
                    if !m.contains_key(&Key("example")) {
                        m.insert(key("example"), first);
                    }
                }
            }
        }
        for (kw, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            let Some(n) = m.get(&Key(kw)) else { continue };
            if let Value::Number(x) = n.value {
                let p = n.pos;
                let tighter = match m.get(&Key(bound)).map(|b| &b.value) {
                    Some(Value::Number(b)) => {
                        let (x, b) = (as_f64(x), as_f64(*b));
                        if bound == "minimum" {
                            x >= b
                        } else {
                            x <= b
                        }
                    }
                    _ => true,
                };
                if tighter {
                    m.insert(key(bound), node(Value::Number(x), p));
                    m.insert(key(kw), node(Value::Bool(true), p));
                } else {
                    m.swap_remove(&Key(kw));
                }
            }
        }
        if let Some(enc) = m.swap_remove(&Key("contentEncoding")) {
            let format = match enc.value.as_str() {
                Some("base64") => Some("byte"),
                Some("binary" | "8bit") => Some("binary"),
                _ => None,
            };
            match format {
                Some(f) => {
                    m.insert(key("format"), string(f, enc.pos));
                }
                None => self.notes.add(
                    &child(at, "contentEncoding"),
                    enc.pos,
                    "this `contentEncoding` has no OpenAPI 3.0 format: the value is read as a plain string",
                ),
            }
        }
        if let Some(media) = m.swap_remove(&Key("contentMediaType")) {
            // A string of some media type without an encoding is its raw bytes (a file).
            let text = media
                .value
                .as_str()
                .is_some_and(|t| t.starts_with("text/") || t.ends_with("json"));
            if !text && !m.contains_key(&Key("format")) {
                m.insert(key("format"), string("binary", media.pos));
                if !m.contains_key(&Key("type")) {
                    m.insert(key("type"), string("string", media.pos));
                }
            }
        }
        if let Some(p) = m.swap_remove(&Key("prefixItems")) {
            self.notes.add(
                &child(at, "prefixItems"),
                p.pos,
                "a tuple (`prefixItems`) has no Rust type here: read as an array of any JSON values",
            );
        }
        if let Some(r) = m.get(&Key("$ref")) {
            if r.value.as_str().is_none() {
                let p = r.pos;
                m.swap_remove(&Key("$ref"));
                self.notes.add(
                    &child(at, "$ref"),
                    p,
                    "this `$ref` has no string value (an unquoted `#` starts a YAML comment): ignored, so the schema is read as any JSON value",
                );
            } else {
                self.ref_siblings(m, r.clone(), at, pos);
            }
        }
    }

    /// A 3.1 `$ref` with siblings: annotations are dropped (3.0 ignores them), anything else
    /// is kept as `allOf: [{$ref}]` beside the siblings.
    fn ref_siblings(&mut self, m: &mut Mapping, r: Node, at: &str, pos: Pos) {
        let meaningful = m.keys().filter_map(Value::as_str).any(|k| {
            k != "$ref" && k != "nullable" && !ANNOTATIONS.contains(&k) && !k.starts_with("x-")
        });
        let nullable = matches!(
            m.get(&Key("nullable")).map(|n| &n.value),
            Some(Value::Bool(true))
        );
        if !meaningful && !nullable {
            return;
        }
        m.swap_remove(&Key("$ref"));
        let mut part = Mapping::new();
        part.insert(key("$ref"), r);
        let mut list = vec![node(Value::Mapping(part), pos)];
        if let Some(Value::Sequence(more)) = m.swap_remove(&Key("allOf")).map(|n| n.value) {
            list.extend(more);
        }
        m.insert(key("allOf"), node(Value::Sequence(list), pos));
        let _ = at;
    }
}

fn as_f64(n: Number) -> f64 {
    match n {
        Number::PosInt(n) => n as f64,
        Number::NegInt(n) => n as f64,
        Number::Float(f) => f,
    }
}

/// `allOf` whose parts are one schema and annotations (`[{$ref: ...}, {description: ...}]`,
/// or one inline part), beside no other schema keyword: that schema with the annotations, which
/// the generator reads whatever the schema is (a string, a list), where an `allOf` must be of
/// objects. A part that is a component `$ref` is left to the generator, which reads it so.
///
/// Whether parts that are not objects were merged (which is reported; one schema with
/// annotations is what `allOf` says, and is not).
fn single_all_of(m: &mut Mapping) -> bool {
    let docs_only = |p: &Mapping| {
        p.keys()
            .filter_map(Value::as_str)
            .all(|k| ANNOTATIONS.contains(&k) || k == "nullable" || k.starts_with("x-"))
    };
    let Some(Value::Sequence(items)) = m.get(&Key("allOf")).map(|n| &n.value) else {
        return false;
    };
    let mut substantive = 0;
    for part in items {
        match &part.value {
            Value::Mapping(p) if p.contains_key(&Key("$ref")) => return false,
            Value::Mapping(p) if docs_only(p) => {}
            Value::Mapping(_) => substantive += 1,
            _ => return false,
        }
    }
    let others_docs = m.keys().filter_map(Value::as_str).all(|k| {
        k == "allOf" || ANNOTATIONS.contains(&k) || k == "nullable" || k.starts_with("x-")
    });
    let not_objects = items.iter().any(|p| {
        p.value.get("items").is_some()
            || p.value
                .get("type")
                .and_then(|t| t.value.as_str())
                .is_some_and(|t| t != "object")
    });
    if !others_docs || (substantive > 1 && !not_objects) {
        return false;
    }
    // Several parts that are not objects (`[{type: array, items: ...}, {items: ...}]`): their
    // constraints merged key by key, the first part's value kept where two disagree.
    if let Some(Value::Sequence(items)) = m.swap_remove(&Key("allOf")).map(|n| n.value) {
        for part in items {
            if let Value::Mapping(part) = part.value {
                merge_into(m, part);
            }
        }
    }
    substantive > 1
}

/// `from`'s entries added to `into`, mappings merged entry by entry, `into` kept on conflict.
fn merge_into(into: &mut Mapping, from: Mapping) {
    for (k, v) in from {
        match into.get_mut(&k) {
            Some(existing) => {
                if let (Value::Mapping(a), Value::Mapping(b)) = (&mut existing.value, v.value) {
                    merge_into(a, b);
                }
            }
            None => {
                into.insert(k, v);
            }
        }
    }
}
