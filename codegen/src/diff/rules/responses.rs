//! The responses of one operation on both sides in, their changes out: statuses added or
//! removed, moved between success and error, with another body, or answered per media type.

use std::collections::BTreeSet;

use crate::model::*;
use crate::source::child;

use super::words::describe_body;
use super::{Cx, Rule};
use crate::diff::{Class, Location, Side, Subject};

/// One documented answer of an operation (see [`statuses`]).
struct Answer {
    /// `200`, `4XX`, `default`; with its media type when the status's arms differ by media type
    /// (`x-media-type-param`): `200 as text/xml`.
    label: String,
    /// The status alone.
    status: String,
    /// The media type that picks this arm, where one does.
    media: Option<String>,
    ok: bool,
    kind: BodyKind,
    /// Its node under the operation's `responses` (the media type's node for an arm a media
    /// type picks).
    at: String,
    /// The status's node under the operation's `responses`.
    status_at: String,
}

/// Every answer an operation documents: one per status, or per status and media type where the
/// media type chooses the arm.
fn statuses(op: &Operation) -> Vec<Answer> {
    let responses = child(&op.pointer, "responses");
    let mut out = Vec::new();
    for (ok, arms) in [(true, &op.ok), (false, &op.err)] {
        for arm in arms {
            let mut push = |status: String| {
                let (label, at) = match &arm.media {
                    Some(m) => (
                        format!("{status} as {m}"),
                        child(&child(&child(&responses, &status), "content"), m),
                    ),
                    None => (status.clone(), child(&responses, &status)),
                };
                out.push(Answer {
                    label,
                    status_at: child(&responses, &status),
                    status,
                    media: arm.media.clone(),
                    ok,
                    kind: arm.kind.clone(),
                    at,
                });
            };
            match &arm.statuses {
                Statuses::Codes(codes) => codes.iter().for_each(|c| push(c.to_string())),
                Statuses::Range(class) => push(format!("{class}XX")),
                Statuses::Default => push("default".into()),
            }
        }
    }
    out
}

impl Cx<'_> {
    /// Answers are matched by label (status, and media type where it picks the arm), after the
    /// statuses regrouped by media type are reported on their own.
    pub(super) fn responses(&mut self, bo: &Operation, ho: &Operation, subject: &Subject) {
        let bs = statuses(bo);
        let hs = statuses(ho);
        let regrouped = self.response_media_regrouped(&bs, &hs, subject);
        let skip = |a: &Answer| regrouped.contains(&a.status);
        for h in hs.iter().filter(|a| !skip(a)) {
            let loc = self.loc(Side::Head, subject.clone(), &h.at);
            match bs.iter().find(|b| b.label == h.label) {
                None => {
                    self.success_status_added(h, &loc);
                    self.error_status_added(h, &loc);
                }
                Some(b) => {
                    self.status_outcome_changed(b, h, &loc);
                    self.response_body_changed(b, h, &loc);
                    self.error_body_changed(b, h, &loc);
                }
            }
        }
        for b in bs.iter().filter(|a| !skip(a)) {
            if hs.iter().any(|h| h.label == b.label) {
                continue;
            }
            let loc = self.loc(Side::Base, subject.clone(), &b.at);
            self.success_status_removed(b, &loc);
            self.error_status_removed(b, &loc);
        }
    }

    fn success_status_added(&mut self, h: &Answer, loc: &Location) {
        if h.ok {
            self.push(
                Rule::SuccessStatusAdded,
                Class::NonBreaking,
                loc.clone(),
                format!(
                    "New success response {} ({}).",
                    h.label,
                    describe_body(&h.kind)
                ),
            );
        }
    }

    fn error_status_added(&mut self, h: &Answer, loc: &Location) {
        if !h.ok {
            self.push(
                Rule::ErrorStatusAdded,
                Class::NonBreaking,
                loc.clone(),
                format!(
                    "New error response {} ({}): its body is now decoded.",
                    h.label,
                    describe_body(&h.kind)
                ),
            );
        }
    }

    fn status_outcome_changed(&mut self, b: &Answer, h: &Answer, loc: &Location) {
        if b.ok != h.ok {
            let msg = if h.ok {
                "is now a success outcome instead of an error"
            } else {
                "is now an error instead of a success outcome"
            };
            self.push(
                Rule::StatusOutcomeChanged,
                Class::Breaking,
                loc.clone(),
                format!("Response {} {msg}.", h.label),
            );
        }
    }

    fn response_body_changed(&mut self, b: &Answer, h: &Answer, loc: &Location) {
        if b.ok && h.ok && !self.same_body(&b.kind, &h.kind) {
            self.push(
                Rule::ResponseBodyChanged,
                Class::Breaking,
                loc.clone(),
                format!(
                    "The success response {} changed from {} to {}.",
                    h.label,
                    describe_body(&b.kind),
                    describe_body(&h.kind)
                ),
            );
        }
    }

    fn error_body_changed(&mut self, b: &Answer, h: &Answer, loc: &Location) {
        if !b.ok && !h.ok && !self.same_body(&b.kind, &h.kind) {
            self.push(
                Rule::ErrorBodyChanged,
                Class::Breaking,
                loc.clone(),
                format!(
                    "The error response {} changed from {} to {}.",
                    h.label,
                    describe_body(&b.kind),
                    describe_body(&h.kind)
                ),
            );
        }
    }

    fn success_status_removed(&mut self, b: &Answer, loc: &Location) {
        if b.ok {
            self.push(Rule::SuccessStatusRemoved, Class::Breaking, loc.clone(), format!("Success response {} ({}) is removed: callers relying on it get an error instead.", b.label, describe_body(&b.kind)));
        }
    }

    fn error_status_removed(&mut self, b: &Answer, loc: &Location) {
        if !b.ok {
            self.push(Rule::ErrorStatusRemoved, Class::NonBreaking, loc.clone(), format!("Error response {} is no longer documented: its body is no longer decoded into a typed error.", b.label));
        }
    }

    /// Statuses whose answer became chosen by media type, or stopped being: one finding each,
    /// instead of the removal of one form and an addition per arm of the other. Returns those
    /// statuses, which the per-answer comparison then leaves alone.
    fn response_media_regrouped(
        &mut self,
        bs: &[Answer],
        hs: &[Answer],
        subject: &Subject,
    ) -> BTreeSet<String> {
        let mut done = BTreeSet::new();
        for h in hs {
            if done.contains(&h.status) {
                continue;
            }
            let same = |a: &&Answer| a.status == h.status && a.ok == h.ok;
            let before: Vec<&Answer> = bs.iter().filter(same).collect();
            let after: Vec<&Answer> = hs.iter().filter(same).collect();
            let split = |v: &[&Answer]| !v.is_empty() && v.iter().all(|a| a.media.is_some());
            let single = |v: &[&Answer]| v.len() == 1 && v[0].media.is_none();
            let arms = |v: &[&Answer]| {
                v.iter()
                    .map(|a| {
                        let media = a.media.as_deref().unwrap_or_default();
                        format!("{media}: {}", describe_body(&a.kind))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let what = if h.ok { "success" } else { "error" };
            let s = &h.status;
            let message = if single(&before) && split(&after) {
                format!(
                    "The {what} response {s} is now answered per media type, chosen by the request ({}), instead of as {}: the method returns one variant per media type.",
                    arms(&after),
                    describe_body(&before[0].kind)
                )
            } else if split(&before) && single(&after) {
                format!(
                    "The {what} response {s} is no longer answered per media type ({}): it is now {}.",
                    arms(&before),
                    describe_body(&after[0].kind)
                )
            } else {
                continue;
            };
            let loc = self.loc(Side::Head, subject.clone(), &h.status_at);
            self.push(Rule::ResponseMediaRegrouped, Class::Breaking, loc, message);
            done.insert(h.status.clone());
        }
        done
    }
}
