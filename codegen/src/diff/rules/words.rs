//! Model values in, the plain words the messages use for them out: types as the spec would name
//! them, bodies, parameter places; and how a string-format change is classed.

use crate::model::*;

use crate::diff::Class;

/// A plain-language name for a type, as the spec would say it.
pub(super) fn describe(ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Secret => "string (secret)".into(),
        Ty::DateTime => "string (date-time)".into(),
        Ty::Date => "string (date)".into(),
        Ty::NaiveDateTime => "string (naive-date-time)".into(),
        Ty::EpochMillis => "integer (epoch-millis)".into(),
        Ty::Lenient(t) => format!("{} (lenient)", describe(t)),
        Ty::Bool => "boolean".into(),
        Ty::I32 => "integer (int32)".into(),
        Ty::I64 => "integer (int64)".into(),
        Ty::F32 => "number (float)".into(),
        Ty::F64 => "number (double)".into(),
        Ty::Json => "any JSON value".into(),
        Ty::Named(n) => format!("`{n}`"),
        Ty::Vec(t) => format!("array of {}", describe(t)),
        Ty::Map(t) => format!("map of {}", describe(t)),
        Ty::Row(m, Some(d)) => format!("row of `{m}` and `{d}`"),
        Ty::Row(m, None) => format!("row of `{m}`"),
        Ty::Envelope(t, _) => describe(t),
        #[allow(unreachable_patterns)]
        other => format!("{other:?}"),
    }
}

pub(super) fn describe_body(k: &BodyKind) -> String {
    match k {
        BodyKind::Json(t) => format!("JSON {}", describe(t)),
        BodyKind::Empty => "no body".into(),
        BodyKind::Text => "text".into(),
        BodyKind::Bytes => "binary data".into(),
        BodyKind::Stream => "streamed binary data".into(),
    }
}

pub(super) fn place(p: ParamIn) -> &'static str {
    match p {
        ParamIn::Path => "path",
        ParamIn::Query | ParamIn::Group => "query",
        ParamIn::Header => "header",
        ParamIn::Cookie => "cookie",
    }
}

pub(super) fn kind_name(k: &TypeKind) -> String {
    match k {
        TypeKind::Struct { .. } => "an object".into(),
        TypeKind::Enum { .. } => "a string enum".into(),
        TypeKind::IntEnum { .. } => "an integer enum".into(),
        TypeKind::OneOf { .. } => "a oneOf".into(),
        TypeKind::Alias(t) => describe(t),
        TypeKind::Newtype(t) => format!("a wrapper of {}", describe(t)),
        TypeKind::Params { .. } => "a parameter struct".into(),
        TypeKind::ParamGroup { .. } => "a parameter group".into(),
        #[allow(unreachable_patterns)]
        _ => "another kind of type".into(),
    }
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A string-format change (types equal): narrowing or changing what is accepted is breaking for
/// what callers send; dropping a format only relaxes it.
pub(super) fn format_change(b: &Option<String>, h: &Option<String>) -> (Class, String) {
    match (b, h) {
        (None, Some(x)) => (Class::Breaking, format!("now has format `{x}`")),
        (Some(x), None) => (Class::NonBreaking, format!("no longer has format `{x}`")),
        (Some(x), Some(y)) => (
            Class::Breaking,
            format!("format changed from `{x}` to `{y}`"),
        ),
        (None, None) => (Class::Informational, "format unchanged".into()),
    }
}
