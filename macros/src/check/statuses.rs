//! Response arms against each other: turns the parsed `ok(...)` and `err(...)` arms into
//! checked ones (each status on one side, listed once per media type, media types only on
//! exact codes, `stream` and `verdict` only where they can work) and the list of statuses
//! whose arms differ by media type.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;

use super::{sided, MediaStatus};
use crate::parse::{Arm, Kind, StatusKey};

/// The `ok(...)` arms, required and not empty.
pub(super) fn ok_arms(ok: Option<Vec<Arm>>) -> syn::Result<Vec<Arm>> {
    let Some(ok_arms) = ok else {
        return Err(syn::Error::new(
            Span::call_site(),
            "missing `ok(...)`: declare the success statuses and their bodies, e.g. `ok(200 => json(Item))` or `ok(204 => empty)`",
        ));
    };
    if ok_arms.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            "`ok(...)` is empty: declare at least one success status, e.g. `ok(200 => json(Item))`",
        ));
    }
    Ok(ok_arms)
}

/// Each exact code on one side only; a media type only on exact codes.
pub(super) fn check_sides(ok: &[Arm], err: &[Arm]) -> syn::Result<()> {
    let mut side_of: HashMap<u16, bool> = HashMap::new();
    for (arm, is_ok) in sided(ok, err) {
        for key in &arm.statuses {
            match (key, &arm.media) {
                (StatusKey::Code(code, span), _)
                    if *side_of.entry(*code).or_insert(is_ok) != is_ok =>
                {
                    return Err(syn::Error::new(
                        *span,
                        format!("status {code} is in both `ok(...)` and `err(...)`; each status belongs to one side"),
                    ));
                }
                (StatusKey::Range(_, span) | StatusKey::Default(span), Some(_)) => {
                    return Err(syn::Error::new(
                        *span,
                        "a media type selects among the arms of exact status codes; use codes such as `200 \"text/csv\"`, not a range or `default`",
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Each status key at most once over ok and err (a code once per media type).
pub(super) fn check_unique(ok: &[Arm], err: &[Arm]) -> syn::Result<()> {
    let mut seen_codes: HashSet<(u16, Option<String>)> = HashSet::new();
    let mut seen_ranges: HashSet<u16> = HashSet::new();
    let mut seen_default = false;
    for (arm, _) in sided(ok, err) {
        for key in &arm.statuses {
            match key {
                StatusKey::Code(code, span) => {
                    let media = arm.media.as_ref().map(|m| m.value().to_ascii_lowercase());
                    if !seen_codes.insert((*code, media.clone())) {
                        return Err(syn::Error::new(
                            *span,
                            match media {
                                Some(m) => format!("status {code} with media type `{m}` is listed twice; each may appear in one arm only"),
                                None => format!("status {code} is listed twice; each status may appear in one arm only (arms for one status differ by media type: `{code} \"text/csv\" => ...`)"),
                            },
                        ));
                    }
                }
                StatusKey::Range(class, span) => {
                    if !seen_ranges.insert(*class) {
                        return Err(syn::Error::new(
                            *span,
                            format!("status range {class}XX is listed twice; each range may appear in one arm only"),
                        ));
                    }
                }
                StatusKey::Default(span) => {
                    if seen_default {
                        return Err(syn::Error::new(
                            *span,
                            "`default` is listed twice; it may appear in one arm only",
                        ));
                    }
                    seen_default = true;
                }
            }
        }
    }
    Ok(())
}

/// `verdict` and `stream` only in `ok(...)`; `stream` only on exact codes; `verdict` only
/// on `json(Type)`.
pub(super) fn check_kinds(ok: &[Arm], err: &[Arm]) -> syn::Result<()> {
    for arm in err {
        if let Some(v) = &arm.verdict {
            return Err(syn::Error::new(
                v.span(),
                "`verdict` only applies to `ok(...)` arms",
            ));
        }
    }
    if err.iter().any(|arm| matches!(arm.kind, Kind::Stream)) {
        return Err(syn::Error::new(
            Span::call_site(),
            "`stream` only applies to `ok(...)` arms: error bodies are read in full",
        ));
    }
    for arm in ok.iter().filter(|a| matches!(a.kind, Kind::Stream)) {
        for key in &arm.statuses {
            let span = match key {
                StatusKey::Code(..) => continue,
                StatusKey::Default(span) | StatusKey::Range(_, span) => span,
            };
            return Err(syn::Error::new(
                *span,
                "a `stream` arm needs explicit status codes, not `default` or a range",
            ));
        }
    }
    for arm in ok {
        if let (Some(v), false) = (&arm.verdict, matches!(arm.kind, Kind::Json(_))) {
            return Err(syn::Error::new(
                v.span(),
                "`verdict` needs a decoded body: use it with `json(Type)`",
            ));
        }
    }
    Ok(())
}

/// Statuses whose arms differ by media type, in the order they first appear.
pub(super) fn media_statuses(ok: &[Arm], err: &[Arm]) -> Vec<MediaStatus> {
    let mut statuses: Vec<MediaStatus> = Vec::new();
    for (arm, is_ok) in sided(ok, err).filter(|(a, _)| a.media.is_some()) {
        for key in &arm.statuses {
            if let StatusKey::Code(code, span) = key {
                if !statuses.iter().any(|s| s.code == *code) {
                    statuses.push(MediaStatus {
                        code: *code,
                        span: *span,
                        ok: is_ok,
                    });
                }
            }
        }
    }
    statuses
}

/// A status with media arms is streamed by media type, so its `stream` arm needs one too.
pub(super) fn check_streams_beside_media(ok: &[Arm], media: &[MediaStatus]) -> syn::Result<()> {
    for arm in ok.iter().filter(|a| a.media.is_none()) {
        if let (Kind::Stream, Some(status)) = (&arm.kind, media.iter().find(|s| arm.covers(s.code)))
        {
            let code = status.code;
            return Err(syn::Error::new(
                status.span,
                format!("the `stream` arm of status {code} needs a media type too, as its other arms have one (e.g. `{code} \"text/csv\" => stream`)"),
            ));
        }
    }
    Ok(())
}
