//! The fields of one object type on both sides in, their changes out, once per direction the
//! type flows in: fields added, removed or renamed; and for the same field, its Rust name, type,
//! format, requiredness, nullability, aliases, deprecation and docs.

use crate::model::*;

use super::reach::{flows_words, Dir, Flow};
use super::words::{describe, format_change};
use super::{Cx, Rule};
use crate::diff::{raw, Class, Location, Side, Subject};

/// One field on both sides, with the types that hold it and where HEAD has it.
struct FieldPair<'p> {
    bt: &'p TypeDef,
    ht: &'p TypeDef,
    b: &'p Field,
    h: &'p Field,
    loc: Location,
}

impl Cx<'_> {
    fn field_loc(&self, side: Side, def: &TypeDef, wire: &str, subject: &Subject) -> Location {
        let l = self.side(side);
        let pointer = raw::property(&l.raw, &def.pointer, wire)
            .map(|(at, _)| at)
            .unwrap_or_else(|| def.pointer.clone());
        self.loc(side, subject.clone(), &pointer)
    }

    /// Matches fields by wire name, then by type, requiredness and nullability (renamed); what
    /// is left was removed or added.
    pub(super) fn fields(
        &mut self,
        bt: &TypeDef,
        ht: &TypeDef,
        bf: &[Field],
        hf: &[Field],
        dir: Dir,
        subject: &Subject,
    ) {
        let mut b_left: Vec<&Field> = Vec::new();
        for b in bf {
            match hf.iter().find(|h| h.wire == b.wire) {
                Some(h) => self.field_pair(bt, ht, b, h, dir, subject),
                None => b_left.push(b),
            }
        }
        let mut h_left: Vec<&Field> = hf
            .iter()
            .filter(|h| !bf.iter().any(|b| b.wire == h.wire))
            .collect();
        b_left.retain(|b| {
            let Some(i) = h_left.iter().position(|h| {
                self.same(&b.ty, &h.ty) && h.required == b.required && h.nullable == b.nullable
            }) else {
                return true;
            };
            let h = h_left.remove(i);
            let loc = self.field_loc(Side::Head, ht, &h.wire, subject);
            self.field_renamed(b, h, dir, loc);
            false
        });
        for b in b_left {
            let loc = self.field_loc(Side::Base, bt, &b.wire, subject);
            for flow in Flow::of(dir) {
                self.field_removed(flow, b, &loc);
            }
        }
        for h in h_left {
            let loc = self.field_loc(Side::Head, ht, &h.wire, subject);
            for flow in Flow::of(dir) {
                self.field_added(flow, h, &loc);
            }
        }
    }

    fn field_renamed(&mut self, b: &Field, h: &Field, dir: Dir, loc: Location) {
        let class = if dir == Dir::default() {
            Class::Informational
        } else {
            Class::Breaking
        };
        self.push(
            Rule::FieldRenamed,
            class,
            loc,
            format!(
                "Field `{}` is renamed `{}` (Rust field `{}`) {}.",
                b.wire,
                h.wire,
                h.rust,
                flows_words(dir)
            ),
        );
    }

    /// `request-field-removed`, `response-field-removed`, `field-removed`.
    fn field_removed(&mut self, flow: Flow, b: &Field, loc: &Location) {
        let (rule, class, msg) = match flow {
            Flow::Request => (
                Rule::RequestFieldRemoved,
                Class::Breaking,
                format!(
                    "Field `{}` is removed from requests: callers that set it must stop.",
                    b.wire
                ),
            ),
            Flow::Response => (
                Rule::ResponseFieldRemoved,
                Class::Breaking,
                format!(
                    "Field `{}` is removed from responses: callers that read it lose it.",
                    b.wire
                ),
            ),
            Flow::Unused => (
                Rule::FieldRemoved,
                Class::Informational,
                format!("Field `{}` is removed {}.", b.wire, flow.words()),
            ),
        };
        self.push(rule, class, loc.clone(), msg);
    }

    /// `request-field-added`, `response-field-added`, `field-added`.
    fn field_added(&mut self, flow: Flow, h: &Field, loc: &Location) {
        let (rule, class, msg) = match flow {
            Flow::Request if h.required => (
                Rule::RequestFieldAdded,
                Class::Breaking,
                format!(
                    "New required field `{}` ({}) in requests: callers must now send it.",
                    h.wire,
                    describe(&h.ty)
                ),
            ),
            Flow::Request => (
                Rule::RequestFieldAdded,
                Class::NonBreaking,
                format!(
                    "New optional field `{}` ({}) in requests.",
                    h.wire,
                    describe(&h.ty)
                ),
            ),
            Flow::Response => (
                Rule::ResponseFieldAdded,
                Class::NonBreaking,
                format!("New field `{}` ({}) in responses.", h.wire, describe(&h.ty)),
            ),
            Flow::Unused => (
                Rule::FieldAdded,
                Class::Informational,
                format!("New field `{}` {}.", h.wire, flow.words()),
            ),
        };
        self.push(rule, class, loc.clone(), msg);
    }

    /// One field on both sides: what depends on the direction is checked once per direction,
    /// all rules for one direction before the next.
    fn field_pair(
        &mut self,
        bt: &TypeDef,
        ht: &TypeDef,
        b: &Field,
        h: &Field,
        dir: Dir,
        subject: &Subject,
    ) {
        let loc = self.field_loc(Side::Head, ht, &h.wire, subject);
        let p = FieldPair { bt, ht, b, h, loc };
        self.field_rust_name_changed(&p);
        for flow in Flow::of(dir) {
            self.field_type_changed(&p, flow);
            self.field_format_changed(&p, flow);
            self.field_made_optional(&p, flow);
            self.field_made_required(&p, flow);
            self.field_made_nullable(&p, flow);
            self.field_made_non_nullable(&p, flow);
            self.field_aliases_changed(&p, flow);
        }
        self.field_deprecated(&p);
        self.field_docs_changed(&p);
    }

    fn field_rust_name_changed(&mut self, p: &FieldPair) {
        if p.b.rust != p.h.rust {
            self.push(
                Rule::FieldRustNameChanged,
                Class::Breaking,
                p.loc.clone(),
                format!(
                    "Field `{}` keeps its JSON name, but the Rust field `{}` is renamed `{}`.",
                    p.h.wire, p.b.rust, p.h.rust
                ),
            );
        }
    }

    /// `request-field-type-changed`, `response-field-type-changed`, `field-type-changed`.
    fn field_type_changed(&mut self, p: &FieldPair, flow: Flow) {
        if self.same(&p.b.ty, &p.h.ty) {
            return;
        }
        let (rule, class) = flow.pick(
            (Rule::RequestFieldTypeChanged, Class::Breaking),
            (Rule::ResponseFieldTypeChanged, Class::Breaking),
            Rule::FieldTypeChanged,
        );
        self.push(
            rule,
            class,
            p.loc.clone(),
            format!(
                "Field `{}` {} changed type from {} to {}.",
                p.h.wire,
                flow.words(),
                describe(&p.b.ty),
                describe(&p.h.ty)
            ),
        );
    }

    /// `request-field-format-changed`, `response-field-format-changed`, `field-format-changed`;
    /// only for the same type: another type says more than another format.
    fn field_format_changed(&mut self, p: &FieldPair, flow: Flow) {
        if !self.same(&p.b.ty, &p.h.ty) {
            return;
        }
        let bf = raw::property(&self.base.raw, &p.bt.pointer, &p.b.wire)
            .and_then(|(_, v)| raw::format(&self.base.raw, v));
        let hf = raw::property(&self.head.raw, &p.ht.pointer, &p.h.wire)
            .and_then(|(_, v)| raw::format(&self.head.raw, v));
        if bf == hf {
            return;
        }
        let (fclass, msg) = format_change(&bf, &hf);
        let (rule, class) = flow.pick(
            (Rule::RequestFieldFormatChanged, fclass),
            (Rule::ResponseFieldFormatChanged, Class::Informational),
            Rule::FieldFormatChanged,
        );
        let tail = if flow == Flow::Response {
            " (the client decodes it the same way)"
        } else {
            ""
        };
        self.push(
            rule,
            class,
            p.loc.clone(),
            format!("Field `{}` {}: {msg}{tail}.", p.h.wire, flow.words()),
        );
    }

    /// `request-field-made-optional`, `response-field-made-optional`, `field-made-optional`.
    fn field_made_optional(&mut self, p: &FieldPair, flow: Flow) {
        let change = FlagChange {
            rules: flow.pick(
                (Rule::RequestFieldMadeOptional, Class::NonBreaking),
                (Rule::ResponseFieldMadeOptional, Class::Breaking),
                Rule::FieldMadeOptional,
            ),
            now: "is now optional",
            why: (
                Flow::Response,
                ": it may be missing, and becomes an `Option`",
            ),
        };
        self.field_flag(p, flow, p.b.required && !p.h.required, change);
    }

    /// `request-field-made-required`, `response-field-made-required`, `field-made-required`.
    fn field_made_required(&mut self, p: &FieldPair, flow: Flow) {
        let change = FlagChange {
            rules: flow.pick(
                (Rule::RequestFieldMadeRequired, Class::Breaking),
                (Rule::ResponseFieldMadeRequired, Class::NonBreaking),
                Rule::FieldMadeRequired,
            ),
            now: "is now required",
            why: (Flow::Request, ": callers must now send it"),
        };
        self.field_flag(p, flow, !p.b.required && p.h.required, change);
    }

    /// `request-field-made-nullable`, `response-field-made-nullable`, `field-made-nullable`.
    fn field_made_nullable(&mut self, p: &FieldPair, flow: Flow) {
        let change = FlagChange {
            rules: flow.pick(
                (Rule::RequestFieldMadeNullable, Class::NonBreaking),
                (Rule::ResponseFieldMadeNullable, Class::Breaking),
                Rule::FieldMadeNullable,
            ),
            now: "is now nullable",
            why: (
                Flow::Response,
                ": it may be `null`, which clients generated before this change reject",
            ),
        };
        self.field_flag(p, flow, !p.b.nullable && p.h.nullable, change);
    }

    /// `request-field-made-non-nullable`, `response-field-made-non-nullable`,
    /// `field-made-non-nullable`.
    fn field_made_non_nullable(&mut self, p: &FieldPair, flow: Flow) {
        let change = FlagChange {
            rules: flow.pick(
                (Rule::RequestFieldMadeNonNullable, Class::Breaking),
                (Rule::ResponseFieldMadeNonNullable, Class::NonBreaking),
                Rule::FieldMadeNonNullable,
            ),
            now: "is no longer nullable",
            why: (Flow::Request, ": callers may no longer send `null`"),
        };
        self.field_flag(p, flow, p.b.nullable && !p.h.nullable, change);
    }

    /// Reports a field's `required` or `nullable` flag flipped (when `flipped`), with the reason
    /// it matters added in the one direction where it does.
    fn field_flag(&mut self, p: &FieldPair, flow: Flow, flipped: bool, change: FlagChange) {
        if !flipped {
            return;
        }
        let (rule, class) = change.rules;
        let (matters_in, why) = change.why;
        let tail = if flow == matters_in { why } else { "" };
        self.push(
            rule,
            class,
            p.loc.clone(),
            format!(
                "Field `{}` {} {}{tail}.",
                p.h.wire,
                flow.words(),
                change.now
            ),
        );
    }

    /// Aliases only matter when decoding, so only responses can break.
    fn field_aliases_changed(&mut self, p: &FieldPair, flow: Flow) {
        let (b, h) = (p.b, p.h);
        if b.aliases == h.aliases {
            return;
        }
        let gone = b.aliases.iter().any(|a| !h.aliases.contains(a));
        let class = match flow {
            Flow::Response if gone => Class::Breaking,
            Flow::Response => Class::NonBreaking,
            _ => Class::Informational,
        };
        self.push(Rule::FieldAliasesChanged, class, p.loc.clone(), format!("Field `{}` {}: the other names accepted when decoding (`x-aliases`) changed from [{}] to [{}].", h.wire, flow.words(), b.aliases.join(", "), h.aliases.join(", ")));
    }

    fn field_deprecated(&mut self, p: &FieldPair) {
        let bd = raw::property(&self.base.raw, &p.bt.pointer, &p.b.wire)
            .map(|(_, v)| raw::deprecated(v))
            .unwrap_or(false);
        let hd = raw::property(&self.head.raw, &p.ht.pointer, &p.h.wire)
            .map(|(_, v)| raw::deprecated(v))
            .unwrap_or(false);
        if bd != hd {
            let msg = if hd {
                "is deprecated"
            } else {
                "is no longer deprecated"
            };
            self.push(
                Rule::FieldDeprecated,
                Class::Informational,
                p.loc.clone(),
                format!("Field `{}` {msg}.", p.h.wire),
            );
        }
    }

    fn field_docs_changed(&mut self, p: &FieldPair) {
        if p.b.doc != p.h.doc {
            self.push(
                Rule::FieldDocsChanged,
                Class::Informational,
                p.loc.clone(),
                format!("The description of field `{}` changed.", p.h.wire),
            );
        }
    }
}

/// One of the four flag rules (`made-optional`, `made-required`, `made-nullable`,
/// `made-non-nullable`): its rule and class for the direction, what the field now is, and the
/// direction in which that matters with the words saying why.
struct FlagChange {
    rules: (Rule, Class),
    now: &'static str,
    why: (Flow, &'static str),
}
