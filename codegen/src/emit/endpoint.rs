//! One operation to the text of its `#[endpoint(...)]` attribute, one option per line.

use super::format::compact;
use super::operations::outcome_ctor;
use super::ty::ty;
use crate::model::*;
use crate::names::ident_text;

/// The `#[endpoint(...)]` attribute, laid out one option per line.
pub(super) fn endpoint_attr(op: &Operation, unwraps: &[Unwrap]) -> String {
    let mut lines = vec![format!("{} {:?},", op.method.as_str(), op.rust_path)];
    // The attribute takes the method's name (unraw) when no id is given.
    let method = ident_text(&op.rust);
    if method.strip_prefix("r#").unwrap_or(&method) != op.id {
        lines.push(format!("operation_id = {:?},", op.id));
    }
    if let Some(accept) = &op.accept {
        lines.push(format!("accept = {accept:?},"));
    }
    if op.sensitive {
        lines.push("sensitive,".to_string());
    }
    if !op.auth.is_empty() {
        lines.push(auth_option(&op.auth));
    }
    for (option, loc, renames_required) in [
        ("query", ParamIn::Query, false),
        ("headers", ParamIn::Header, true),
        ("cookies", ParamIn::Cookie, true),
    ] {
        let list = param_list(op, loc, renames_required);
        if !list.is_empty() {
            lines.push(format!("{option}({}),", list.join(", ")));
        }
    }
    if op.params_struct.is_some() {
        lines.push("params = params,".to_string());
    }
    if let Some(body) = &op.body {
        lines.push(body_option(body.encoding).to_string());
        if let Some(media) = &body.media {
            lines.push(format!("content_type = {media:?},"));
        }
    }
    // Arms read the same way (same body, no media type) are one arm with their statuses joined
    // by `|`: `err(4XX | 5XX => json(E))`, which the macro reads and matches exactly as two.
    let arms = |arms: &[Arm]| -> String {
        let mut merged: Vec<(Vec<String>, String)> = Vec::new();
        for a in arms {
            let (statuses, rest) = arm(op, a, unwraps);
            // (A media arm's rest starts with its media type, so it never equals another's.)
            match merged
                .iter_mut()
                .find(|(_, r)| a.media.is_none() && *r == rest)
            {
                Some((keys, _)) => keys.push(statuses),
                None => merged.push((vec![statuses], rest)),
            }
        }
        let arms: Vec<String> = merged
            .into_iter()
            .map(|(keys, rest)| format!("{} {rest}", keys.join(" | ")))
            .collect();
        arms.join(", ")
    };
    lines.push(format!("ok({}),", arms(&op.ok)));
    if !op.err.is_empty() {
        lines.push(format!("err({}),", arms(&op.err)));
    }
    let mut out = String::from("#[::vendor_clients::endpoint(\n");
    for l in lines {
        out.push_str("    ");
        out.push_str(&l);
        out.push('\n');
    }
    out.push_str(")]");
    out
}

/// `auth(...)`: the operation's security schemes.
fn auth_option(auth: &[String]) -> String {
    // Scheme names that are not identifiers (e.g. `a+b`, both schemes together) are strings.
    let names: Vec<String> = auth
        .iter()
        .map(|a| {
            let plain = a.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !a.starts_with(|c: char| c.is_ascii_digit())
                && !crate::names::is_keyword(a);
            if plain {
                a.clone()
            } else {
                format!("{a:?}")
            }
        })
        .collect();
    format!("auth({}),", names.join(", "))
}

/// The parameters sent in `loc`, each as its argument's name and, when it differs (or always,
/// with `renames_required`), its name on the wire, then its style options.
fn param_list(op: &Operation, loc: ParamIn, renames_required: bool) -> Vec<String> {
    op.params
        .iter()
        .filter(|p| p.location == loc)
        .map(|p| {
            let n = ident_text(&p.rust);
            let options = p.style.endpoint_options();
            if renames_required || p.wire != n {
                format!("{n} = {:?}{options}", p.wire)
            } else {
                format!("{n}{options}")
            }
        })
        .collect()
}

/// The `body` option for a request body sent with `encoding`.
fn body_option(encoding: BodyEncoding) -> &'static str {
    match encoding {
        BodyEncoding::Json => "body = body,",
        BodyEncoding::Form => "body(form) = body,",
        BodyEncoding::Text => "body(text) = body,",
        BodyEncoding::Bytes => "body(upload) = body,",
        BodyEncoding::Multipart => "body(multipart) = body,",
    }
}

/// One arm of `ok(...)` or `err(...)`: statuses, media type, how the body is read, and what
/// it becomes (`as Outcome::Variant`, or an unwrapping method).
/// An arm as its statuses and the rest (`=> kind`, or `"media" => kind`).
fn arm(op: &Operation, a: &Arm, unwraps: &[Unwrap]) -> (String, String) {
    let statuses = match &a.statuses {
        Statuses::Codes(c) => c.iter().map(u16::to_string).collect::<Vec<_>>().join(" | "),
        Statuses::Range(class) => format!("{class}XX"),
        Statuses::Default => "default".to_string(),
    };
    let mut kind = match &a.kind {
        BodyKind::Json(t) => format!("json({})", compact(&ty(t))),
        BodyKind::Empty => "empty".to_string(),
        BodyKind::Text => "text".to_string(),
        BodyKind::Bytes => "bytes".to_string(),
        BodyKind::Stream => "stream".to_string(),
    };
    if a.verdict {
        kind.push_str(" verdict");
    }
    match (
        &a.variant,
        &op.output,
        a.unwrap.and_then(|i| unwraps.get(i)),
    ) {
        (Some(v), Output::Enum { name, .. }, Some(_)) => {
            kind.push_str(&format!(" as {}::{}", ident_text(name), outcome_ctor(v)));
        }
        (Some(v), Output::Enum { name, .. }, None) => {
            kind.push_str(&format!(" as {}::{}", ident_text(name), ident_text(v)));
        }
        (_, _, Some(u)) => {
            kind.push_str(&format!(" as {}::{}", ident_text(&u.envelope), u.method));
        }
        _ => {}
    }
    match &a.media {
        Some(media) => (statuses, format!("{media:?} => {kind}")),
        None => (statuses, format!("=> {kind}")),
    }
}
