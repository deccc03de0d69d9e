//! `components.securitySchemes` to [`Scheme`]s, each operation's `security` to the schemes it
//! accepts, and the access modes of the types the operations use.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, SecurityScheme, Type};

use crate::lower::cx::Cx;
use crate::lower::schema::{rust_name_ext, unescape};
use crate::lower::SIGNERS;
use crate::model::{BodyKind, Operation, Scheme, SchemeKind, Ty, TypeDef, TypeKind};
use crate::names::snake;
use crate::source::child;

/// The named types `ty` contains, added to `out`. `types` is looked up by name through an
/// index, and the walk keeps its own stack: a chain of 100,000 schemas neither takes quadratic
/// time nor overflows the stack.
fn reach(ty: &Ty, types: &HashMap<&str, &TypeDef>, out: &mut HashSet<String>) {
    let mut stack = vec![ty];
    while let Some(ty) = stack.pop() {
        match ty {
            Ty::Vec(t) | Ty::Map(t) | Ty::Lenient(t) => stack.push(t),
            Ty::Envelope(t, meta) => {
                stack.push(t);
                if out.insert(meta.clone()) {
                    push_parts(types.get(meta.as_str()).map(|d| &d.kind), &mut stack);
                }
            }
            Ty::Named(n) if out.insert(n.clone()) => {
                push_parts(types.get(n.as_str()).map(|d| &d.kind), &mut stack);
            }
            _ => {}
        }
    }
}

/// Marks the operations a response of which can hold a secret ([`Ty::Secret`], from
/// `x-sensitive` or `format: password`, at any depth): their errors leave the body out of the
/// snippet, so a token in an answer that fails to decode on another field is not printed.
pub(super) fn mark_sensitive(cx: &Cx<'_>, ops: &mut [Operation]) {
    let holding = types_holding_secrets(&cx.types);
    for op in ops.iter_mut() {
        op.sensitive = op.ok.iter().chain(&op.err).any(|arm| match &arm.kind {
            BodyKind::Json(t) => {
                let mut names = Vec::new();
                t.named_types(&mut names);
                contains_secret(t) || names.iter().any(|n| holding.contains(n))
            }
            _ => false,
        });
    }
}

/// The names of the types that hold a secret, directly or through other types: those with one
/// among their own parts, then every type that names one of them (a walk over the reversed
/// references, linear in the types).
fn types_holding_secrets(types: &[TypeDef]) -> HashSet<&str> {
    let mut named_by: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut holding: HashSet<&str> = HashSet::new();
    let mut todo = Vec::new();
    for t in types {
        let mut parts = Vec::new();
        push_parts(Some(&t.kind), &mut parts);
        if parts.iter().any(|p| contains_secret(p)) && holding.insert(t.name.as_str()) {
            todo.push(t.name.as_str());
        }
        let mut names = Vec::new();
        for p in parts {
            p.named_types(&mut names);
        }
        for n in names {
            named_by.entry(n).or_default().push(t.name.as_str());
        }
    }
    while let Some(n) = todo.pop() {
        for &user in named_by.get(n).map(Vec::as_slice).unwrap_or_default() {
            if holding.insert(user) {
                todo.push(user);
            }
        }
    }
    holding
}

/// Whether `ty` is or wraps a secret, not looking into named types.
fn contains_secret(ty: &Ty) -> bool {
    match ty {
        Ty::Secret => true,
        Ty::Vec(t) | Ty::Map(t) | Ty::Lenient(t) | Ty::Envelope(t, _) => contains_secret(t),
        _ => false,
    }
}

/// The types a definition of `kind` holds, onto `stack` (for [`reach`]).
fn push_parts<'a>(kind: Option<&'a TypeKind>, stack: &mut Vec<&'a Ty>) {
    match kind {
        Some(TypeKind::Struct { fields, additional }) => {
            stack.extend(fields.iter().map(|f| &f.ty));
            stack.extend(additional.iter());
        }
        Some(TypeKind::OneOf { variants, .. }) => stack.extend(variants.iter().map(|v| &v.ty)),
        Some(TypeKind::Alias(t) | TypeKind::Newtype(t)) => stack.push(t),
        Some(TypeKind::Multipart { parts }) => stack.extend(parts.iter().map(|p| &p.ty)),
        _ => {}
    }
}

pub(super) fn lower_schemes(cx: &mut Cx<'_>) -> Vec<Scheme> {
    let mut out: Vec<Scheme> = Vec::new();
    let Some(components) = &cx.doc.components else {
        return out;
    };
    for (name, scheme) in &components.security_schemes {
        let pointer = child("#/components/securitySchemes", name);
        let ReferenceOr::Item(scheme) = scheme else {
            cx.err(
                &pointer,
                "references to security schemes are not supported; define the scheme here",
            );
            continue;
        };
        let Some(kind) = scheme_kind(cx, scheme, &pointer) else {
            continue;
        };
        let description = match scheme {
            SecurityScheme::APIKey { description, .. }
            | SecurityScheme::HTTP { description, .. }
            | SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => description.clone(),
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
            cx.err(
                &pointer,
                format!("security scheme name `{name}` cannot become a builder method name"),
            );
            continue;
        };
        if let Some(prev) = out.iter().find(|s| s.setter == setter) {
            let prev = prev.name.clone();
            cx.err_help(
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

/// How the credential of a scheme is sent; `None` (reported) for what the runtime cannot send.
fn scheme_kind(cx: &mut Cx<'_>, scheme: &SecurityScheme, pointer: &str) -> Option<SchemeKind> {
    match scheme {
        SecurityScheme::HTTP {
            scheme, extensions, ..
        } => http_scheme(cx, scheme, extensions, pointer),
        SecurityScheme::APIKey { extensions, .. } if extensions.contains_key("x-signer") => {
            let signer = extensions
                .get("x-signer")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            if !SIGNERS.contains(&signer) {
                cx.err_help(
                    &child(pointer, "x-signer"),
                    format!("unknown signer `{signer}`"),
                    format!("the runtime has these signers: {}", SIGNERS.join(", ")),
                );
                return None;
            }
            Some(SchemeKind::Signer(signer.to_string()))
        }
        SecurityScheme::APIKey {
            location,
            name: key,
            ..
        } => match location {
            openapiv3::APIKeyLocation::Header => {
                if let Some(bad) = crate::lower::params::not_a_token(key) {
                    cx.err_help(
                        &child(pointer, "name"),
                        format!("header name {key:?} contains {bad}, so no request could send it"),
                        "a header name is an HTTP token: letters, digits and ``!#$%&'*+-.^_`|~``",
                    );
                    return None;
                }
                Some(SchemeKind::ApiKeyHeader(key.clone()))
            }
            openapiv3::APIKeyLocation::Query => Some(SchemeKind::ApiKeyQuery(key.clone())),
            openapiv3::APIKeyLocation::Cookie => {
                cx.err_help(
                    &child(pointer, "in"),
                    "API keys in cookies are not supported",
                    "send the key in a header or the query",
                );
                None
            }
        },
        // A token obtained elsewhere is sent as a bearer token.
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
            Some(SchemeKind::Bearer)
        }
    }
}

/// `type: http`: bearer, or basic (with `x-basic-username`, a fixed user name).
fn http_scheme(
    cx: &mut Cx<'_>,
    scheme: &str,
    extensions: &IndexMap<String, serde_json::Value>,
    pointer: &str,
) -> Option<SchemeKind> {
    match scheme.to_ascii_lowercase().as_str() {
        "bearer" => Some(SchemeKind::Bearer),
        "basic" => match extensions.get("x-basic-username") {
            None => Some(SchemeKind::Basic),
            Some(serde_json::Value::String(user)) if !user.contains(':') => {
                Some(SchemeKind::BasicFixedUser(user.clone()))
            }
            Some(_) => {
                cx.err_help(
                    &child(pointer, "x-basic-username"),
                    "`x-basic-username` must be a string without `:`",
                    "write the fixed user name, e.g. `x-basic-username: \"\"` for an empty one",
                );
                None
            }
        },
        other => {
            cx.err_help(
                &child(pointer, "scheme"),
                format!("HTTP auth scheme `{other}` is not supported"),
                "use `bearer` or `basic`",
            );
            None
        }
    }
}

/// The schemes an operation is signed with, as `+`-joined alternatives.
///
/// Its HTTP-level `security` (or the document's) gives the alternatives; a signer's credential
/// that travels in the JSON request body is declared where it travels, by `x-signed-by` on the
/// body property (OpenAPI has no body credentials), and the operation is signed by that scheme
/// in every alternative. Such an operation must not also declare the scheme at the HTTP level
/// (that would say the credential is a query parameter or header) unless a parameter of the
/// operation really carries it (`x-signed-by` on a parameter).
pub(super) fn lower_security(
    cx: &mut Cx<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
    schemes: &[Scheme],
    params: &[(String, &openapiv3::Parameter)],
) -> Vec<String> {
    let declared = match &op.security {
        Some(s) => Some((s, child(pointer, "security"))),
        None => cx
            .doc
            .security
            .as_ref()
            .map(|s| (s, "#/security".to_string())),
    };
    let mut out = match &declared {
        Some((reqs, at)) => http_security(cx, reqs, at, schemes),
        None => Vec::new(),
    };
    let doc = cx.doc;
    for (name, at_prop) in body_signers(doc, op, pointer) {
        if !matches!(
            schemes.iter().find(|s| s.name == name),
            Some(Scheme {
                kind: SchemeKind::Signer(_),
                ..
            })
        ) {
            cx.err_help(
                &at_prop,
                format!("`{name}` is not a security scheme with `x-signer`"),
                "name a scheme of components.securitySchemes that has `x-signer`",
            );
            continue;
        }
        let in_params = params.iter().any(|(_, p)| {
            p.parameter_data_ref()
                .extensions
                .get("x-signed-by")
                .and_then(|v| v.as_str())
                == Some(name.as_str())
        });
        if let Some((reqs, at)) = &declared {
            if !in_params && reqs.iter().any(|r| r.contains_key(&name)) {
                let message = format!(
                    "`{name}` is declared as an HTTP credential here, but the operation `{}` sends it in its JSON body (`x-signed-by` at {at_prop})",
                    op.operation_id.as_deref().unwrap_or_default()
                );
                cx.err_help(
                    at,
                    message,
                    "give the operation `security: []` (or drop the scheme from this list): the body property's `x-signed-by` is what makes the client sign it",
                );
                continue;
            }
        }
        if out.is_empty() {
            out.push(name);
        } else {
            for alt in &mut out {
                if !alt.split('+').any(|n| n == name) {
                    alt.push('+');
                    alt.push_str(&name);
                }
            }
        }
    }
    out
}

/// The alternatives of a `security` list, each a `+`-joined list of scheme names.
fn http_security(
    cx: &mut Cx<'_>,
    reqs: &[openapiv3::SecurityRequirement],
    at: &str,
    schemes: &[Scheme],
) -> Vec<String> {
    let mut out = Vec::new();
    for (i, req) in reqs.iter().enumerate() {
        let rp = child(at, i.to_string());
        if req.is_empty() {
            // `{}` makes authentication optional: send credentials when the client has them.
            continue;
        }
        let mut names = Vec::new();
        let undefined: Vec<&String> = req
            .keys()
            .filter(|name| !schemes.iter().any(|s| &s.name == *name))
            .collect();
        if !undefined.is_empty() && cx.lenient() {
            // A published spec's defect: this alternative cannot be met, the others still can.
            let list: Vec<String> = undefined.iter().map(|n| format!("`{n}`")).collect();
            cx.warn(
                &rp,
                format!(
                    "security scheme {} is not defined: this security alternative is ignored",
                    list.join(", ")
                ),
            );
            continue;
        }
        for name in req.keys() {
            if !schemes.iter().any(|s| &s.name == name) {
                cx.err_help(
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

/// The signer schemes an operation's request body names with `x-signed-by` on a property (at
/// any depth, through `$ref`s), each once, with the pointer of its first `x-signed-by`.
/// References that do not resolve are skipped: lowering the body reports them.
fn body_signers<'d>(
    doc: &'d openapiv3::OpenAPI,
    op: &'d openapiv3::Operation,
    pointer: &str,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let Some(rb) = &op.request_body else {
        return out;
    };
    let components = doc.components.as_ref();
    let (rb, at) = match rb {
        ReferenceOr::Item(rb) => (rb, child(pointer, "requestBody")),
        ReferenceOr::Reference { reference } => {
            let Some(key) = reference.strip_prefix("#/components/requestBodies/") else {
                return out;
            };
            let key = unescape(key);
            match components.and_then(|c| c.request_bodies.get(&key)) {
                Some(ReferenceOr::Item(rb)) => (rb, child("#/components/requestBodies", &key)),
                _ => return out,
            }
        }
    };
    let mut walk = Walk {
        components,
        seen: HashSet::new(),
        stack: Vec::new(),
    };
    for (ct, media) in &rb.content {
        if let Some(schema) = &media.schema {
            let at = child(&child(&child(&at, "content"), ct), "schema");
            walk.schema(schema, at);
        }
    }
    while let Some((s, at)) = walk.stack.pop() {
        if let Some(by) = s.schema_data.extensions.get("x-signed-by") {
            let by = by.as_str().unwrap_or_default().to_string();
            if !out.iter().any(|(n, _)| *n == by) {
                out.push((by, child(&at, "x-signed-by")));
            }
        }
        let (props, items, additional, alternatives) = match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (
                Some(&o.properties),
                None,
                o.additional_properties.as_ref(),
                vec![],
            ),
            SchemaKind::Type(Type::Array(a)) => (None, a.items.as_ref(), None, vec![]),
            SchemaKind::OneOf { one_of } => (None, None, None, vec![("oneOf", one_of)]),
            SchemaKind::AnyOf { any_of } => (None, None, None, vec![("anyOf", any_of)]),
            SchemaKind::AllOf { all_of } => (None, None, None, vec![("allOf", all_of)]),
            SchemaKind::Any(a) => (
                Some(&a.properties),
                a.items.as_ref(),
                a.additional_properties.as_ref(),
                vec![
                    ("oneOf", &a.one_of),
                    ("anyOf", &a.any_of),
                    ("allOf", &a.all_of),
                ],
            ),
            _ => (None, None, None, vec![]),
        };
        for (name, p) in props.into_iter().flatten() {
            walk.boxed(p, child(&child(&at, "properties"), name));
        }
        if let Some(items) = items {
            walk.boxed(items, child(&at, "items"));
        }
        if let Some(openapiv3::AdditionalProperties::Schema(ap)) = additional {
            walk.schema(ap, child(&at, "additionalProperties"));
        }
        for (key, list) in alternatives {
            for (i, alt) in list.iter().enumerate() {
                walk.schema(alt, child(&child(&at, key), i.to_string()));
            }
        }
    }
    out
}

/// The walk of [`body_signers`]: schemas still to visit, with their pointers, and the
/// components already reached (each visited once, so cycles end).
struct Walk<'d> {
    components: Option<&'d openapiv3::Components>,
    seen: HashSet<String>,
    stack: Vec<(&'d Schema, String)>,
}

impl<'d> Walk<'d> {
    fn schema(&mut self, r: &'d ReferenceOr<Schema>, at: String) {
        match r {
            ReferenceOr::Item(s) => self.stack.push((s, at)),
            ReferenceOr::Reference { reference } => self.reference(reference),
        }
    }

    fn boxed(&mut self, r: &'d ReferenceOr<Box<Schema>>, at: String) {
        match r {
            ReferenceOr::Item(s) => self.stack.push((s, at)),
            ReferenceOr::Reference { reference } => self.reference(reference),
        }
    }

    /// A `#/components/schemas/X` reference, followed through chains of references.
    fn reference(&mut self, mut reference: &'d str) {
        loop {
            let Some(key) = reference.strip_prefix("#/components/schemas/") else {
                return;
            };
            let key = unescape(key);
            if !self.seen.insert(key.clone()) {
                return;
            }
            match self.components.and_then(|c| c.schemas.get(&key)) {
                Some(ReferenceOr::Item(s)) => {
                    return self.stack.push((s, child("#/components/schemas", &key)));
                }
                Some(ReferenceOr::Reference { reference: next }) => reference = next,
                None => return,
            }
        }
    }
}

/// `readOnly` and `writeOnly` properties: a required read-only property of a type sent in
/// requests becomes optional (the caller need not fill it; it is never serialized), and a
/// required write-only property of a type received in responses becomes optional (the
/// server leaves it out).
pub(super) fn access_modes(cx: &mut Cx<'_>, ops: &[Operation]) {
    let mut sent = HashSet::new();
    let mut received = HashSet::new();
    // The first definition of a name, as a search from the start would find it.
    let mut index: HashMap<&str, &TypeDef> = HashMap::with_capacity(cx.types.len());
    for t in &cx.types {
        index.entry(t.name.as_str()).or_insert(t);
    }
    for op in ops {
        if let Some(b) = &op.body {
            reach(&b.ty, &index, &mut sent);
        }
        for arm in op.ok.iter().chain(&op.err) {
            if let BodyKind::Json(t) = &arm.kind {
                reach(t, &index, &mut received);
            }
        }
    }
    for def in cx.types.iter_mut() {
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
