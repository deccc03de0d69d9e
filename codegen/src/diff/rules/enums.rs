//! The values of one enum, or the alternatives of one oneOf, on both sides in, their changes
//! out, once per direction the type flows in: values and alternatives added or removed, enum
//! variants renamed, alternatives of another type.

use crate::model::*;

use super::reach::{Dir, Flow};
use super::words::describe;
use super::{Cx, Rule};
use crate::diff::{Class, Location};

/// The enum being compared: its HEAD name, where HEAD has its values, and how values are
/// written (strings in backquotes, integers bare).
struct EnumAt<'e> {
    name: &'e str,
    loc: Location,
    strings: bool,
}

impl EnumAt<'_> {
    fn show(&self, w: &str) -> String {
        if self.strings {
            format!("`{w}`")
        } else {
            w.to_string()
        }
    }
}

/// A oneOf alternative is known by its tag value, or else by its Rust variant name.
fn variant_key(v: &Variant) -> String {
    v.tag_value.clone().unwrap_or_else(|| v.rust.clone())
}

impl Cx<'_> {
    /// String or integer enum values: `(wire, rust variant)`.
    pub(super) fn enum_values(
        &mut self,
        name: &str,
        b: &[(String, String)],
        h: &[(String, String)],
        dir: Dir,
        loc: Location,
        strings: bool,
    ) {
        let e = EnumAt { name, loc, strings };
        for (w, r) in h {
            match b.iter().find(|(x, _)| x == w) {
                Some((_, br)) => self.enum_variant_renamed(&e, w, br, r),
                None => {
                    for flow in Flow::of(dir) {
                        self.enum_value_added(&e, flow, w, r);
                    }
                }
            }
        }
        for (w, r) in b {
            if h.iter().any(|(x, _)| x == w) {
                continue;
            }
            for flow in Flow::of(dir) {
                self.enum_value_removed(&e, flow, w, r);
            }
        }
    }

    fn enum_variant_renamed(&mut self, e: &EnumAt, w: &str, br: &str, r: &str) {
        if br != r {
            let name = e.name;
            self.push(Rule::EnumVariantRenamed, Class::Breaking, e.loc.clone(), format!("Value {} keeps its value, but the Rust variant `{name}::{br}` is renamed `{name}::{r}`.", e.show(w)));
        }
    }

    /// `request-enum-value-added`, `response-enum-value-added`, `enum-value-added`.
    fn enum_value_added(&mut self, e: &EnumAt, flow: Flow, w: &str, r: &str) {
        let name = e.name;
        let (rule, class, msg) = match flow {
            Flow::Request => (Rule::RequestEnumValueAdded, Class::NonBreaking, format!("New value {} accepted in requests.", e.show(w))),
            Flow::Response => (Rule::ResponseEnumValueAdded, Class::NonBreaking, format!("New value {} may arrive in responses. Clients generated before this change keep it as `{name}::Unknown`; regenerated ones decode it as `{name}::{r}`.", e.show(w))),
            Flow::Unused => (Rule::EnumValueAdded, Class::Informational, format!("New value {} {}.", e.show(w), flow.words())),
        };
        self.push(rule, class, e.loc.clone(), msg);
    }

    /// `request-enum-value-removed`, `response-enum-value-removed`, `enum-value-removed`.
    fn enum_value_removed(&mut self, e: &EnumAt, flow: Flow, w: &str, r: &str) {
        let name = e.name;
        let (rule, class, msg) = match flow {
            Flow::Request => (Rule::RequestEnumValueRemoved, Class::Breaking, format!("Value {} is no longer accepted in requests: callers that send it are rejected (the variant `{name}::{r}` is removed).", e.show(w))),
            Flow::Response => (Rule::ResponseEnumValueRemoved, Class::NonBreaking, format!("Value {} is no longer sent in responses; the variant `{name}::{r}` is removed.", e.show(w))),
            Flow::Unused => (Rule::EnumValueRemoved, Class::Informational, format!("Value {} is removed {}.", e.show(w), flow.words())),
        };
        self.push(rule, class, e.loc.clone(), msg);
    }

    /// oneOf alternatives, matched by [`variant_key`].
    pub(super) fn variants(&mut self, b: &[Variant], h: &[Variant], dir: Dir, loc: Location) {
        for hv in h {
            match b.iter().find(|bv| variant_key(bv) == variant_key(hv)) {
                Some(bv) => self.oneof_variant_type_changed(bv, hv, &loc),
                None => {
                    for flow in Flow::of(dir) {
                        self.oneof_variant_added(flow, hv, &loc);
                    }
                }
            }
        }
        for bv in b {
            if h.iter().any(|hv| variant_key(hv) == variant_key(bv)) {
                continue;
            }
            for flow in Flow::of(dir) {
                self.oneof_variant_removed(flow, bv, &loc);
            }
        }
    }

    fn oneof_variant_type_changed(&mut self, bv: &Variant, hv: &Variant, loc: &Location) {
        if !self.same(&bv.ty, &hv.ty) {
            self.push(
                Rule::OneofVariantTypeChanged,
                Class::Breaking,
                loc.clone(),
                format!(
                    "Alternative `{}` changed from {} to {}.",
                    variant_key(hv),
                    describe(&bv.ty),
                    describe(&hv.ty)
                ),
            );
        }
    }

    /// `request-oneof-variant-added`, `response-oneof-variant-added`, `oneof-variant-added`.
    fn oneof_variant_added(&mut self, flow: Flow, hv: &Variant, loc: &Location) {
        let key = variant_key(hv);
        let (rule, class, msg) = match flow {
            Flow::Request => (Rule::RequestOneofVariantAdded, Class::NonBreaking, format!("New alternative `{key}` ({}) accepted in requests.", describe(&hv.ty))),
            Flow::Response => (Rule::ResponseOneofVariantAdded, Class::Breaking, format!("New alternative `{key}` ({}) may arrive in responses: clients generated before this change fail to decode it.", describe(&hv.ty))),
            Flow::Unused => (Rule::OneofVariantAdded, Class::Informational, format!("New alternative `{key}` {}.", flow.words())),
        };
        self.push(rule, class, loc.clone(), msg);
    }

    /// `request-oneof-variant-removed`, `response-oneof-variant-removed`,
    /// `oneof-variant-removed`.
    fn oneof_variant_removed(&mut self, flow: Flow, bv: &Variant, loc: &Location) {
        let key = variant_key(bv);
        let (rule, class, msg) = match flow {
            Flow::Request => (
                Rule::RequestOneofVariantRemoved,
                Class::Breaking,
                format!("Alternative `{key}` is no longer accepted in requests."),
            ),
            Flow::Response => (
                Rule::ResponseOneofVariantRemoved,
                Class::NonBreaking,
                format!("Alternative `{key}` is no longer sent in responses."),
            ),
            Flow::Unused => (
                Rule::OneofVariantRemoved,
                Class::Informational,
                format!("Alternative `{key}` is removed {}.", flow.words()),
            ),
        };
        self.push(rule, class, loc.clone(), msg);
    }
}
