//! One operation to the text of its `#[endpoint(...)]` attribute, one option per line.

use super::format::compact;
use super::operations::outcome_ctor;
use super::ty::ty;
use crate::model::*;
use crate::names::ident_text;

/// The `#[endpoint(...)]` attribute, laid out one option per line.
pub(super) fn endpoint_attr(op: &Operation, unwraps: &[Unwrap]) -> String {
    let mut lines = vec![
        format!("{} {:?},", op.method.as_str(), op.rust_path),
        format!("operation_id = {:?},", op.id),
    ];
    if !op.auth.is_empty() {
        // Scheme names that are not identifiers (e.g. `a+b`, both schemes together) are strings.
        let names: Vec<String> = op
            .auth
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
        lines.push(format!("auth({}),", names.join(", ")));
    }
    let list = |loc: ParamIn, renames_required: bool| -> Vec<String> {
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
    };
    let query = list(ParamIn::Query, false);
    if !query.is_empty() {
        lines.push(format!("query({}),", query.join(", ")));
    }
    let headers = list(ParamIn::Header, true);
    if !headers.is_empty() {
        lines.push(format!("headers({}),", headers.join(", ")));
    }
    let cookies = list(ParamIn::Cookie, true);
    if !cookies.is_empty() {
        lines.push(format!("cookies({}),", cookies.join(", ")));
    }
    if op.params_struct.is_some() {
        lines.push("params = params,".to_string());
    }
    match op.body.as_ref().map(|b| b.encoding) {
        None => {}
        Some(BodyEncoding::Json) => lines.push("body = body,".to_string()),
        Some(BodyEncoding::Form) => lines.push("body(form) = body,".to_string()),
        Some(BodyEncoding::Text) => lines.push("body(text) = body,".to_string()),
        Some(BodyEncoding::Bytes) => lines.push("body(upload) = body,".to_string()),
        Some(BodyEncoding::Multipart) => lines.push("body(multipart) = body,".to_string()),
    }
    let arm = |a: &Arm| -> String {
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
            Some(media) => format!("{statuses} {media:?} => {kind}"),
            None => format!("{statuses} => {kind}"),
        }
    };
    lines.push(format!(
        "ok({}),",
        op.ok.iter().map(arm).collect::<Vec<_>>().join(", ")
    ));
    if !op.err.is_empty() {
        lines.push(format!(
            "err({}),",
            op.err.iter().map(arm).collect::<Vec<_>>().join(", ")
        ));
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
