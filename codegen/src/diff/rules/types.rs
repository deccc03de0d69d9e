//! Named types of both sides in, their changes out: types matched by Rust name or, when renamed,
//! by identical shape; for the same type, its deprecation, docs, discriminator, error variants,
//! aliased type, kind and other properties. Fields, enum values and oneOf variants have their
//! own rooms.

use std::collections::{HashMap, HashSet};

use crate::model::*;
use crate::source::child;

use super::reach::{flows_words, Dir};
use super::words::{describe, kind_name};
use super::{Cx, Rule};
use crate::diff::{raw, Class, Location, Side, Subject};

/// A type's shape with documentation left out, to recognise renamed types.
fn undocumented(kind: &TypeKind) -> TypeKind {
    let mut k = kind.clone();
    match &mut k {
        TypeKind::Struct { fields, .. } => {
            for f in fields {
                f.doc = None;
            }
        }
        TypeKind::Params { members, .. } => {
            for p in members {
                p.doc = None;
            }
        }
        TypeKind::ParamGroup { variants } => {
            for (_, p) in variants {
                p.doc = None;
            }
        }
        _ => {}
    }
    k
}

/// Types reported with their operation rather than on their own.
fn operation_owned(def: &TypeDef) -> bool {
    matches!(
        def.kind,
        TypeKind::Params { .. } | TypeKind::ParamGroup { .. }
    )
}

impl Cx<'_> {
    /// A BASE type gone from HEAD is renamed when exactly one new HEAD type (not yet taken) has
    /// its shape, documentation aside.
    pub(super) fn find_renames(&mut self) {
        let head_names: HashSet<&str> = self
            .head
            .api
            .types
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        let base_names: HashSet<&str> = self
            .base
            .api
            .types
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        let added: Vec<&TypeDef> = self
            .head
            .api
            .types
            .iter()
            .filter(|t| !base_names.contains(t.name.as_str()) && !operation_owned(t))
            .collect();
        let mut taken: HashSet<&str> = HashSet::new();
        for b in &self.base.api.types {
            if head_names.contains(b.name.as_str()) || operation_owned(b) {
                continue;
            }
            let shape = undocumented(&b.kind);
            let candidates: Vec<&&TypeDef> = added
                .iter()
                .filter(|h| !taken.contains(h.name.as_str()) && undocumented(&h.kind) == shape)
                .collect();
            if let [one] = candidates.as_slice() {
                taken.insert(one.name.as_str());
                self.renames.insert(b.name.clone(), one.name.clone());
            }
        }
    }

    pub(super) fn types(&mut self) {
        let reverse: HashMap<String, String> = self
            .renames
            .iter()
            .map(|(b, h)| (h.clone(), b.clone()))
            .collect();
        let base_types = &self.base.api.types;
        for h in &self.head.api.types {
            if operation_owned(h) {
                continue;
            }
            let base_name = reverse.get(&h.name).unwrap_or(&h.name);
            let Some(b) = base_types.iter().find(|t| &t.name == base_name) else {
                continue;
            };
            if operation_owned(b) {
                continue;
            }
            self.type_renamed(b, h);
            self.type_pair(b, h);
        }
    }

    fn type_renamed(&mut self, b: &TypeDef, h: &TypeDef) {
        if b.name != h.name {
            let loc = self.loc(Side::Head, Subject::Type(h.name.clone()), &h.pointer);
            self.push(Rule::TypeRenamed, Class::Breaking, loc, format!("The Rust type `{}` is renamed `{}` (same shape, same JSON): code that names it must change.", b.name, h.name));
        }
    }

    /// One type on both sides.
    fn type_pair(&mut self, b: &TypeDef, h: &TypeDef) {
        let subject = Subject::Type(h.name.clone());
        let dir = self.dir(&b.name, &h.name);
        let here = self.loc(Side::Head, subject.clone(), &h.pointer);
        self.schema_deprecated(b, h, &here);
        self.schema_docs_changed(b, h, &here);
        let enum_at = || child(&h.pointer, "enum");
        match (&b.kind, &h.kind) {
            (
                TypeKind::Struct {
                    fields: bf,
                    additional: ba,
                },
                TypeKind::Struct {
                    fields: hf,
                    additional: ha,
                },
            ) => {
                self.fields(b, h, bf, hf, dir, &subject);
                self.additional_properties_changed(ba, ha, dir, here);
            }
            (TypeKind::Enum { values: bv, .. }, TypeKind::Enum { values: hv, .. }) => {
                let wire = |v: &[EnumValue]| -> Vec<(String, String)> {
                    v.iter().map(|v| (v.wire.clone(), v.rust.clone())).collect()
                };
                let at = self.loc(Side::Head, subject.clone(), &enum_at());
                self.enum_values(&h.name, &wire(bv), &wire(hv), dir, at, true);
            }
            (TypeKind::IntEnum { values: bv, .. }, TypeKind::IntEnum { values: hv, .. }) => {
                let wire = |v: &[IntValue]| -> Vec<(String, String)> {
                    v.iter()
                        .map(|v| (v.value.to_string(), v.rust.clone()))
                        .collect()
                };
                let at = self.loc(Side::Head, subject.clone(), &enum_at());
                self.enum_values(&h.name, &wire(bv), &wire(hv), dir, at, false);
            }
            (
                TypeKind::OneOf {
                    tag: bt,
                    variants: bv,
                    rejected: br,
                },
                TypeKind::OneOf {
                    tag: ht,
                    variants: hv,
                    rejected: hr,
                },
            ) => {
                self.oneof_discriminator_changed(bt, ht, &here);
                self.error_variants_changed(br, hr, &here);
                self.variants(bv, hv, dir, here);
            }
            (TypeKind::Alias(bt), TypeKind::Alias(ht)) => self.alias_type_changed(bt, ht, here),
            (bk, hk) => self.type_shape_changed(bk, hk, here),
        }
    }

    fn schema_deprecated(&mut self, b: &TypeDef, h: &TypeDef, here: &Location) {
        let bd = raw::node(&self.base.raw, &b.pointer)
            .map(raw::deprecated)
            .unwrap_or(false);
        let hd = raw::node(&self.head.raw, &h.pointer)
            .map(raw::deprecated)
            .unwrap_or(false);
        if bd != hd {
            let msg = if hd {
                "The schema is deprecated."
            } else {
                "The schema is no longer deprecated."
            };
            self.push(
                Rule::SchemaDeprecated,
                Class::Informational,
                here.clone(),
                msg.into(),
            );
        }
    }

    fn schema_docs_changed(&mut self, b: &TypeDef, h: &TypeDef, here: &Location) {
        if b.doc != h.doc {
            self.push(
                Rule::SchemaDocsChanged,
                Class::Informational,
                here.clone(),
                "The schema's description changed.".into(),
            );
        }
    }

    fn oneof_discriminator_changed(
        &mut self,
        bt: &Option<String>,
        ht: &Option<String>,
        here: &Location,
    ) {
        if bt != ht {
            let show = |t: &Option<String>| {
                t.as_deref()
                    .map(|t| format!("`{t}`"))
                    .unwrap_or_else(|| "none".into())
            };
            self.push(
                Rule::OneofDiscriminatorChanged,
                Class::Breaking,
                here.clone(),
                format!(
                    "The discriminator changed from {} to {}.",
                    show(bt),
                    show(ht)
                ),
            );
        }
    }

    /// Compared as sets; reported in spec order.
    fn error_variants_changed(&mut self, br: &[String], hr: &[String], here: &Location) {
        let mut b_sorted = br.to_vec();
        b_sorted.sort();
        let mut h_sorted = hr.to_vec();
        h_sorted.sort();
        if b_sorted != h_sorted {
            self.push(Rule::ErrorVariantsChanged, Class::Breaking, here.clone(), format!("The alternatives reported as errors (`x-error-variants`) changed from [{}] to [{}].", br.join(", "), hr.join(", ")));
        }
    }

    fn alias_type_changed(&mut self, bt: &Ty, ht: &Ty, here: Location) {
        if !self.same(bt, ht) {
            self.push(
                Rule::AliasTypeChanged,
                Class::Breaking,
                here,
                format!(
                    "The schema changed from {} to {}.",
                    describe(bt),
                    describe(ht)
                ),
            );
        }
    }

    fn type_shape_changed(&mut self, bk: &TypeKind, hk: &TypeKind, here: Location) {
        if std::mem::discriminant(bk) != std::mem::discriminant(hk) {
            self.push(
                Rule::TypeShapeChanged,
                Class::Breaking,
                here,
                format!(
                    "The schema changed from {} to {}.",
                    kind_name(bk),
                    kind_name(hk)
                ),
            );
        }
    }

    fn additional_properties_changed(
        &mut self,
        b: &Option<Ty>,
        h: &Option<Ty>,
        dir: Dir,
        loc: Location,
    ) {
        let words = flows_words(dir);
        let (class, msg) = match (b, h) {
            (None, Some(t)) => (
                Class::NonBreaking,
                format!(
                    "The object now allows other properties ({}) {words}.",
                    describe(t)
                ),
            ),
            (Some(t), None) => (
                Class::Breaking,
                format!(
                    "The object no longer allows other properties ({}) {words}.",
                    describe(t)
                ),
            ),
            (Some(x), Some(y)) if !self.same(x, y) => (
                Class::Breaking,
                format!(
                    "The type of other properties changed from {} to {} {words}.",
                    describe(x),
                    describe(y)
                ),
            ),
            _ => return,
        };
        self.push(Rule::AdditionalPropertiesChanged, class, loc, msg);
    }
}
