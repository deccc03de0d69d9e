//! Request bodies to [`Body`]: JSON, form and raw bodies, and multipart parts.

use std::collections::HashMap;

use openapiv3::{ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use crate::lower::cx::{Cx, Types};
use crate::lower::params::param_type_ok;
use crate::lower::schema::{deref_schema, doc_of, lower_boxed, lower_schema, unescape};
use crate::model::{Body, BodyEncoding, Part, PartKind, Ty, TypeDef, TypeKind};
use crate::names::{is_keyword, pascal, snake};
use crate::source::child;

/// A form field: a scalar (no lists: `serde_urlencoded` cannot repeat a name), or any JSON
/// value (a string or number at run time).
/// Whether a form field of type `ty` can be written: a scalar or enum (`name=value`), any JSON
/// value, or a list, map or object of such fields, written in bracket notation by the runtime
/// (`card[number]=..`, `items[0][price]=..`). Files and streams cannot.
fn form_field_ok(ty: &Ty, types: &Types) -> bool {
    let mut seen = std::collections::HashSet::new();
    form_value_ok(ty, types, &mut seen)
}

fn form_value_ok<'t>(
    ty: &'t Ty,
    types: &'t Types,
    seen: &mut std::collections::HashSet<&'t str>,
) -> bool {
    match ty {
        Ty::Json => true,
        Ty::Vec(inner) | Ty::Map(inner) => form_value_ok(inner, types, seen),
        Ty::Named(n) => {
            if !seen.insert(n) {
                // Already being checked (a recursive type): its other uses decide.
                return true;
            }
            match types.kind(n) {
                Some(TypeKind::Struct { fields, additional }) => {
                    fields.iter().all(|f| form_value_ok(&f.ty, types, seen))
                        && additional
                            .as_ref()
                            .is_none_or(|t| form_value_ok(t, types, seen))
                }
                Some(TypeKind::Alias(t) | TypeKind::Newtype(t)) => form_value_ok(t, types, seen),
                _ => param_type_ok(ty, types),
            }
        }
        _ => param_type_ok(ty, types),
    }
}

/// A media type's essence (`type/subtype`), lower case, without parameters.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// How a request body of this content type is sent, if it can be: JSON, a form, multipart
/// form data, text (`text/*`), or the bytes given (any other single type or range, such as
/// `application/xml`, `image/png` or `video/*`). Other multipart types are not supported.
fn body_encoding(content_type: &str) -> Option<BodyEncoding> {
    let ct = essence(content_type);
    let (kind, subtype) = ct.split_once('/')?;
    if kind.is_empty() || subtype.is_empty() {
        None
    } else if is_json(&ct) || ct == "text/json" {
        Some(BodyEncoding::Json)
    } else if ct == "application/x-www-form-urlencoded" {
        Some(BodyEncoding::Form)
    } else if ct == "multipart/form-data" {
        Some(BodyEncoding::Multipart)
    } else if kind == "multipart" {
        None
    } else if kind == "text" {
        Some(BodyEncoding::Text)
    } else {
        Some(BodyEncoding::Bytes)
    }
}

/// Whether `media` can be sent as `#[endpoint]`'s `content_type`: one media type (not a
/// range), `type/subtype` of token characters with any parameters, in visible ASCII. The same
/// rule as the macro's `parse_media_type` (macros/src/parse/args.rs): a type this lets through
/// and the macro refuses would be a client that does not compile.
fn sendable_media(media: &str) -> bool {
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    let essence = media.split(';').next().unwrap_or("").trim();
    essence
        .split_once('/')
        .is_some_and(|(kind, subtype)| token(kind) && token(subtype))
        && media.bytes().all(|b| (0x20..0x7f).contains(&b))
}

pub(super) fn is_json(content_type: &str) -> bool {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    ct == "application/json" || ct.ends_with("+json") || ct == "*/*"
}

pub(super) fn lower_body(
    cx: &mut Cx<'_>,
    rb: &ReferenceOr<openapiv3::RequestBody>,
    pointer: &str,
    op_pascal: &str,
) -> Option<Body> {
    let rb = resolve_body(cx, rb, pointer)?;
    let Some((ct, media, encoding)) = pick_content(rb) else {
        let types: Vec<&str> = rb.content.keys().map(String::as_str).collect();
        cx.err_help(
            &child(pointer, "content"),
            if types.is_empty() {
                "request body has no content type".to_string()
            } else {
                format!(
                    "request body content type {} is not supported",
                    types.join(", ")
                )
            },
            "request bodies may be JSON, `application/x-www-form-urlencoded`, `multipart/form-data`, text (`text/*`) or any other single media type, sent as bytes",
        );
        return None;
    };
    let at = child(&child(pointer, "content"), ct);
    let mut unencoded_schema = false;
    let ty = match encoding {
        BodyEncoding::Multipart => lower_multipart(cx, media, &at, op_pascal)?,
        BodyEncoding::Text | BodyEncoding::Bytes => {
            unencoded_schema = warn_unencoded_schema(cx, media, &at, ct, encoding);
            if encoding == BodyEncoding::Text {
                Ty::String
            } else {
                Ty::Json
            }
        }
        BodyEncoding::Json | BodyEncoding::Form => match &media.schema {
            Some(s) => {
                lower_schema(cx, s, &child(&at, "schema"), &format!("{op_pascal}Request"))?.ty
            }
            None => Ty::Json,
        },
    };
    if encoding == BodyEncoding::Form && !form_ok(cx, &ty) {
        cx.err_help(
            &child(&at, "schema"),
            "an `application/x-www-form-urlencoded` body must be an object whose properties are scalars, enums, or lists, maps and objects of them",
            "describe the form as `type: object`; a file belongs in `multipart/form-data`",
        );
        return None;
    }
    let (media, alternatives) = declared_media(cx, rb, ct, encoding, &at);
    Some(Body {
        ty,
        required: rb.required,
        encoding,
        media,
        alternatives,
        unencoded_schema,
    })
}

/// A text or binary body is sent as the caller gives it. When its schema describes more than a
/// string (an XML document's object, say), that shape is not encoded for the caller: say so,
/// rather than drop it silently. Whether it did.
fn warn_unencoded_schema(
    cx: &mut Cx<'_>,
    media: &openapiv3::MediaType,
    at: &str,
    ct: &str,
    encoding: BodyEncoding,
) -> bool {
    // The schema is not lowered, so a reference that leads nowhere is not this body's to
    // report: it is then taken as unstructured.
    let mut schema = media.schema.as_ref();
    for _ in 0..32 {
        let Some(ReferenceOr::Reference { reference }) = schema else {
            break;
        };
        schema = reference
            .strip_prefix("#/components/schemas/")
            .and_then(|k| cx.doc.components.as_ref()?.schemas.get(&unescape(k)));
    }
    let structured = match schema {
        Some(ReferenceOr::Item(s)) => match &s.schema_kind {
            SchemaKind::Type(Type::String(_)) => false,
            SchemaKind::Any(any) => !any.properties.is_empty() || any.items.is_some(),
            _ => true,
        },
        _ => false,
    };
    if structured {
        let given = if encoding == BodyEncoding::Text {
            "text"
        } else {
            "bytes"
        };
        cx.warn(
            &child(at, "schema"),
            format!(
                "the `{}` body is sent as the {given} the caller gives: its schema is not encoded for them",
                ct.trim()
            ),
        );
    }
    structured
}

/// The request body object, following a `$ref` to `#/components/requestBodies`.
fn resolve_body<'a: 'r, 'r>(
    cx: &mut Cx<'a>,
    rb: &'r ReferenceOr<openapiv3::RequestBody>,
    pointer: &str,
) -> Option<&'r openapiv3::RequestBody> {
    match rb {
        ReferenceOr::Item(rb) => Some(rb),
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix("#/components/requestBodies/")
                .and_then(|k| cx.doc.components.as_ref()?.request_bodies.get(&unescape(k)));
            match found {
                Some(ReferenceOr::Item(rb)) => Some(rb),
                _ => {
                    cx.err_help(
                        &child(pointer, "$ref"),
                        format!("`$ref` target `{reference}` does not exist"),
                        "request bodies may refer to `#/components/requestBodies/<Name>`",
                    );
                    None
                }
            }
        }
    }
}

/// Several content types: the first supported encoding in the order JSON, form, multipart,
/// text, binary; within it the encoding's own media type first (`application/json`,
/// `text/plain`, `application/octet-stream`), then a single type, then a range, each in spec
/// order.
fn pick_content(
    rb: &openapiv3::RequestBody,
) -> Option<(&String, &openapiv3::MediaType, BodyEncoding)> {
    let rank = |ct: &str, encoding: BodyEncoding| {
        let ct = essence(ct);
        if ct == encoding.default_media() {
            0
        } else if ct.contains('*') {
            2
        } else {
            1
        }
    };
    [
        BodyEncoding::Json,
        BodyEncoding::Form,
        BodyEncoding::Multipart,
        BodyEncoding::Text,
        BodyEncoding::Bytes,
    ]
    .into_iter()
    .find_map(|want| {
        rb.content
            .iter()
            .filter(|(ct, _)| body_encoding(ct) == Some(want))
            .min_by_key(|(ct, _)| rank(ct, want))
            .map(|(ct, m)| (ct, m, want))
    })
}

/// The `Content-Type` to send for a body declared as `ct` (when not the encoding's own), and,
/// for a binary body, the other media types the operation takes, for the docs. A range (`image/*`) is not
/// sent: the encoding's own type is, unless the caller names one.
fn declared_media(
    cx: &mut Cx<'_>,
    rb: &openapiv3::RequestBody,
    ct: &str,
    encoding: BodyEncoding,
    at: &str,
) -> (Option<String>, Vec<String>) {
    let alternatives: Vec<String> = rb
        .content
        .keys()
        .filter(|k| body_encoding(k) == Some(encoding))
        .map(|k| k.trim().to_string())
        .collect();
    // Only a binary body's caller can pick another (`Upload::content_type`).
    let alternatives =
        if encoding == BodyEncoding::Bytes && (alternatives.len() > 1 || ct.contains('*')) {
            alternatives
        } else {
            Vec::new()
        };
    let ct = ct.trim();
    let own = essence(ct) == encoding.default_media()
        || matches!(encoding, BodyEncoding::Form | BodyEncoding::Multipart)
        || (encoding == BodyEncoding::Json && essence(ct) == "*/*");
    if own || ct.contains('*') {
        return (None, alternatives);
    }
    if !sendable_media(ct) {
        cx.warn(
            at,
            format!(
                "the media type {ct:?} cannot be sent as a Content-Type header; the body is sent as `{}`",
                encoding.default_media()
            ),
        );
        return (None, alternatives);
    }
    (Some(ct.to_string()), alternatives)
}

/// The multipart body being lowered: its media type object, the object schema of its
/// parts (with its pointer), and the name of the struct of parts.
struct Multipart<'m> {
    media: &'m openapiv3::MediaType,
    obj: &'m openapiv3::ObjectType,
    sptr: String,
    name: String,
}

/// The struct of parts of a `multipart/form-data` body: binary properties are file parts,
/// scalars (and lists of them) text parts, anything else a JSON part.
fn lower_multipart(
    cx: &mut Cx<'_>,
    media: &openapiv3::MediaType,
    at: &str,
    op_pascal: &str,
) -> Option<Ty> {
    let (schema, obj, sptr) = multipart_schema(cx, media, at)?;
    let name = cx.claim_auto(&format!("{op_pascal}Form"), at);
    let form = Multipart {
        media,
        obj,
        sptr,
        name,
    };
    let mut parts = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (wire, prop) in &obj.properties {
        parts.extend(multipart_part(cx, &form, wire, prop, &mut seen));
    }
    let Multipart { sptr, name, .. } = form;
    cx.push_type(TypeDef {
        name: name.clone(),
        doc: Some(
            schema.schema_data.description.clone().unwrap_or_else(|| {
                "The parts of a `multipart/form-data` request body.".to_string()
            }),
        ),
        pointer: sptr,
        kind: TypeKind::Multipart { parts },
    });
    Some(Ty::Named(name))
}

/// The object schema of a multipart body (its `$ref` followed), with at least one part.
fn multipart_schema<'a: 'm, 'm>(
    cx: &mut Cx<'a>,
    media: &'m openapiv3::MediaType,
    at: &str,
) -> Option<(&'m Schema, &'m openapiv3::ObjectType, String)> {
    let sp = child(at, "schema");
    let Some(schema) = &media.schema else {
        cx.err_help(
            at,
            "a `multipart/form-data` body needs a `schema`",
            "describe the parts as the properties of a `type: object` schema",
        );
        return None;
    };
    let (schema, sptr) = deref_schema(cx, schema, &sp)?;
    let SchemaKind::Type(Type::Object(obj)) = &schema.schema_kind else {
        cx.err_help(
            &sptr,
            "a `multipart/form-data` body must be an object whose properties are the parts",
            "describe the parts as the properties of a `type: object` schema",
        );
        return None;
    };
    if obj.properties.is_empty() {
        cx.err_help(
            &sptr,
            "a `multipart/form-data` body must have at least one property (part)",
            "describe the parts under `properties`",
        );
        return None;
    }
    Some((schema, obj, sptr))
}

/// One property of a multipart body to a part.
fn multipart_part(
    cx: &mut Cx<'_>,
    form: &Multipart<'_>,
    wire: &str,
    prop: &ReferenceOr<Box<Schema>>,
    seen: &mut HashMap<String, String>,
) -> Option<Part> {
    let pp = child(&child(&form.sptr, "properties"), wire);
    let Some(mut rust) = snake(wire) else {
        cx.err(
            &pp,
            format!("part name `{wire}` has no letters or digits to make a Rust field name from"),
        );
        return None;
    };
    if is_keyword(&rust) {
        rust.push('_');
    }
    if let Some(prev) = seen.insert(rust.clone(), wire.to_string()) {
        cx.err(
            &pp,
            format!("parts `{prev}` and `{wire}` both become the Rust field `{rust}`"),
        );
        return None;
    }
    let resolved: Option<&Schema> = match prop {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|k| cx.doc.components.as_ref()?.schemas.get(&unescape(k)))
            .and_then(|r| match r {
                ReferenceOr::Item(s) => Some(s),
                ReferenceOr::Reference { .. } => None,
            }),
    };
    let (ty, kind) = part_type(cx, form, wire, prop, &pp, resolved)?;
    Some(Part {
        rust,
        wire: wire.to_string(),
        ty,
        kind,
        required: form.obj.required.iter().any(|r| r == wire),
        doc: resolved.and_then(doc_of),
    })
}

/// A binary string is a file part, an array of them a files part; anything else is lowered
/// and sent as text when it can be, else as JSON (also when `encoding` says JSON).
fn part_type(
    cx: &mut Cx<'_>,
    form: &Multipart<'_>,
    wire: &str,
    prop: &ReferenceOr<Box<Schema>>,
    pp: &str,
    resolved: Option<&Schema>,
) -> Option<(Ty, PartKind)> {
    let binary = |s: &Schema| {
        matches!(
            &s.schema_kind,
            SchemaKind::Type(Type::String(st))
                if matches!(st.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
        )
    };
    let files = resolved.is_some_and(|s| match &s.schema_kind {
        SchemaKind::Type(Type::Array(a)) => matches!(
            a.items.as_ref(),
            Some(ReferenceOr::Item(item)) if binary(item)
        ),
        _ => false,
    });
    if resolved.is_some_and(binary) {
        return Some((Ty::Bytes, PartKind::File));
    }
    if files {
        return Some((Ty::Vec(Box::new(Ty::Bytes)), PartKind::Files));
    }
    let hint = format!("{}{}", form.name, pascal(wire).unwrap_or_default());
    let l = lower_boxed(cx, prop, pp, &hint)?;
    let json = form
        .media
        .encoding
        .get(wire)
        .and_then(|e| e.content_type.as_deref())
        .is_some_and(is_json);
    let text = param_type_ok(&l.ty, &cx.types);
    let kind = if text && !json {
        PartKind::Text
    } else {
        PartKind::Json
    };
    Some((l.ty, kind))
}

/// Whether a form body of type `ty` is a struct of fields `serde_urlencoded` can write.
fn form_ok(cx: &Cx<'_>, ty: &Ty) -> bool {
    let Ty::Named(n) = ty else {
        return matches!(ty, Ty::Map(inner) if param_type_ok(inner, &cx.types));
    };
    let Some(def) = cx.types.named(n) else {
        return false;
    };
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            fields.iter().all(|f| form_field_ok(&f.ty, &cx.types))
                && additional
                    .as_ref()
                    .is_none_or(|t| form_field_ok(t, &cx.types))
        }
        TypeKind::Alias(t) => form_ok(cx, t),
        _ => false,
    }
}
