//! The parameters of one operation on both sides in, their changes out: parameters added,
//! removed, moved or renamed; and for the same parameter, its requiredness, type, format,
//! deprecation and docs.

use crate::load::yaml::Node as Value;

use crate::model::*;

use super::words::{capitalise, describe, format_change, place};
use super::{Cx, Rule};
use crate::diff::{raw, Class, Location, Side, Subject};

/// All parameters of an operation, with the parameter struct's and groups' members expanded.
fn all_params(op: &Operation, api: &Api) -> Vec<Param> {
    let mut list: Vec<Param> = op.params.clone();
    if let Some(ps) = &op.params_struct {
        if let Some(TypeDef {
            kind: TypeKind::Params { members, .. },
            ..
        }) = api.types.iter().find(|t| &t.name == ps)
        {
            list.extend(members.iter().cloned());
        }
    }
    let mut out = Vec::new();
    for p in list {
        match (&p.location, &p.ty) {
            (ParamIn::Group, Ty::Named(g)) => {
                if let Some(TypeDef {
                    kind: TypeKind::ParamGroup { variants },
                    ..
                }) = api.types.iter().find(|t| &t.name == g)
                {
                    out.extend(variants.iter().map(|(_, m)| m.clone()));
                }
            }
            _ => out.push(p),
        }
    }
    out
}

/// One parameter on both sides, with its spec node on each side and where HEAD has it.
struct ParamPair<'p> {
    b: &'p Param,
    h: &'p Param,
    b_raw: Option<&'p Value>,
    h_raw: Option<&'p Value>,
    loc: Location,
    /// `Query parameter `limit``, to start a sentence.
    what: String,
}

impl Cx<'_> {
    fn param_loc(&self, side: Side, op: &Operation, p: &Param, subject: &Subject) -> Location {
        let l = self.side(side);
        let pointer = raw::parameter(&l.raw, &op.pointer, &p.wire, p.location)
            .map(|(at, _)| at)
            .unwrap_or_else(|| op.pointer.clone());
        self.loc(side, subject.clone(), &pointer)
    }

    /// Matches parameters by name and place, then by name alone (moved), then by place, type and
    /// requiredness (renamed); what is left was removed or added.
    pub(super) fn params(&mut self, bo: &Operation, ho: &Operation, subject: &Subject) {
        let bp = all_params(bo, &self.base.api);
        let hp = all_params(ho, &self.head.api);
        let key = |p: &Param| (p.wire.clone(), place(p.location));
        let mut b_left: Vec<&Param> = Vec::new();
        for b in &bp {
            match hp.iter().find(|h| key(h) == key(b)) {
                Some(h) => self.param_pair(bo, ho, b, h, subject),
                None => b_left.push(b),
            }
        }
        let mut h_left: Vec<&Param> = hp
            .iter()
            .filter(|h| !bp.iter().any(|b| key(b) == key(h)))
            .collect();
        // Moved: the same name in another place.
        b_left.retain(|b| {
            let Some(i) = h_left.iter().position(|h| h.wire == b.wire) else {
                return true;
            };
            let h = h_left.remove(i);
            self.parameter_moved(ho, b, h, subject);
            false
        });
        // Renamed: another name in the same place, with the same type and requiredness.
        b_left.retain(|b| {
            let Some(i) = h_left.iter().position(|h| {
                place(h.location) == place(b.location)
                    && self.same(&b.ty, &h.ty)
                    && h.required == b.required
            }) else {
                return true;
            };
            let h = h_left.remove(i);
            self.parameter_renamed(ho, b, h, subject);
            false
        });
        for b in b_left {
            self.parameter_removed(bo, b, subject);
        }
        for h in h_left {
            self.parameter_added(ho, h, subject);
        }
    }

    fn parameter_moved(&mut self, ho: &Operation, b: &Param, h: &Param, subject: &Subject) {
        let loc = self.param_loc(Side::Head, ho, h, subject);
        self.push(
            Rule::ParameterMoved,
            Class::Breaking,
            loc,
            format!(
                "Parameter `{}` moved from the {} to the {}.",
                b.wire,
                place(b.location),
                place(h.location)
            ),
        );
    }

    fn parameter_renamed(&mut self, ho: &Operation, b: &Param, h: &Param, subject: &Subject) {
        let loc = self.param_loc(Side::Head, ho, h, subject);
        if h.location == ParamIn::Path {
            self.push(Rule::ParameterRenamed, Class::Informational, loc, format!("Path parameter `{}` is renamed `{}`; the URL is the same (the Rust argument is now `{}`).", b.wire, h.wire, h.rust));
        } else {
            self.push(
                Rule::ParameterRenamed,
                Class::Breaking,
                loc,
                format!(
                    "{} parameter `{}` is renamed `{}`: the server reads the new name.",
                    capitalise(place(h.location)),
                    b.wire,
                    h.wire
                ),
            );
        }
    }

    fn parameter_removed(&mut self, bo: &Operation, b: &Param, subject: &Subject) {
        let loc = self.param_loc(Side::Base, bo, b, subject);
        self.push(
            Rule::ParameterRemoved,
            Class::Breaking,
            loc,
            format!(
                "{} parameter `{}` is removed: callers that pass it must stop.",
                capitalise(place(b.location)),
                b.wire
            ),
        );
    }

    fn parameter_added(&mut self, ho: &Operation, h: &Param, subject: &Subject) {
        let loc = self.param_loc(Side::Head, ho, h, subject);
        let (class, msg) = if h.required {
            (
                Class::Breaking,
                format!(
                    "New required {} parameter `{}` ({}): every call must now pass it.",
                    place(h.location),
                    h.wire,
                    describe(&h.ty)
                ),
            )
        } else {
            (
                Class::NonBreaking,
                format!(
                    "New optional {} parameter `{}` ({}).",
                    place(h.location),
                    h.wire,
                    describe(&h.ty)
                ),
            )
        };
        self.push(Rule::ParameterAdded, class, loc, msg);
    }

    /// One parameter on both sides.
    fn param_pair(
        &mut self,
        bo: &Operation,
        ho: &Operation,
        b: &Param,
        h: &Param,
        subject: &Subject,
    ) {
        let (base, head) = (self.base, self.head);
        let p = ParamPair {
            b,
            h,
            b_raw: raw::parameter(&base.raw, &bo.pointer, &b.wire, b.location).map(|(_, v)| v),
            h_raw: raw::parameter(&head.raw, &ho.pointer, &h.wire, h.location).map(|(_, v)| v),
            loc: self.param_loc(Side::Head, ho, h, subject),
            what: format!("{} parameter `{}`", capitalise(place(h.location)), h.wire),
        };
        self.parameter_made_required(&p);
        self.parameter_made_optional(&p);
        self.parameter_type_changed(&p);
        self.parameter_format_changed(&p);
        self.parameter_deprecated(&p);
        self.parameter_docs_changed(&p);
    }

    fn parameter_made_required(&mut self, p: &ParamPair) {
        if !p.b.required && p.h.required {
            self.push(
                Rule::ParameterMadeRequired,
                Class::Breaking,
                p.loc.clone(),
                format!("{} is now required: every call must pass it.", p.what),
            );
        }
    }

    fn parameter_made_optional(&mut self, p: &ParamPair) {
        if p.b.required && !p.h.required {
            self.push(
                Rule::ParameterMadeOptional,
                Class::NonBreaking,
                p.loc.clone(),
                format!("{} is now optional.", p.what),
            );
        }
    }

    fn parameter_type_changed(&mut self, p: &ParamPair) {
        if !self.same(&p.b.ty, &p.h.ty) {
            self.push(
                Rule::ParameterTypeChanged,
                Class::Breaking,
                p.loc.clone(),
                format!(
                    "{} changed type from {} to {}.",
                    p.what,
                    describe(&p.b.ty),
                    describe(&p.h.ty)
                ),
            );
        }
    }

    /// Only for the same type: another type says more than another format.
    fn parameter_format_changed(&mut self, p: &ParamPair) {
        if !self.same(&p.b.ty, &p.h.ty) {
            return;
        }
        let bf = p
            .b_raw
            .and_then(raw::param_schema)
            .and_then(|s| raw::format(&self.base.raw, s));
        let hf = p
            .h_raw
            .and_then(raw::param_schema)
            .and_then(|s| raw::format(&self.head.raw, s));
        if bf != hf {
            let (class, msg) = format_change(&bf, &hf);
            self.push(
                Rule::ParameterFormatChanged,
                class,
                p.loc.clone(),
                format!("{}: {msg}.", p.what),
            );
        }
    }

    fn parameter_deprecated(&mut self, p: &ParamPair) {
        let bd = p.b_raw.map(raw::deprecated).unwrap_or(false);
        let hd = p.h_raw.map(raw::deprecated).unwrap_or(false);
        if bd != hd {
            let msg = if hd {
                "is deprecated"
            } else {
                "is no longer deprecated"
            };
            self.push(
                Rule::ParameterDeprecated,
                Class::Informational,
                p.loc.clone(),
                format!("{} {msg}.", p.what),
            );
        }
    }

    fn parameter_docs_changed(&mut self, p: &ParamPair) {
        if p.b.doc != p.h.doc {
            self.push(
                Rule::ParameterDocsChanged,
                Class::Informational,
                p.loc.clone(),
                format!(
                    "The description of {} parameter `{}` changed.",
                    place(p.h.location),
                    p.h.wire
                ),
            );
        }
    }
}
