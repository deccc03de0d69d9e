//! The context every lowering stage is handed: the source and document, the diagnostics so
//! far, and the type registry (the types made, who owns which Rust name), with the few helpers
//! that report an error or claim a type name.

use std::collections::HashMap;

use openapiv3::OpenAPI;

use crate::diag::Diagnostic;
use crate::model::{TypeDef, TypeKind, TypeLookup, Unwrap};
use crate::source::{child, SourceFile, SpecOrigin};

/// Type names the generated module defines itself (`MockServer` in its `mock` module, which
/// sees the module's types through a glob import that its own `MockServer` would shadow).
const RESERVED_TYPES: &[&str] = &[
    "Api",
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorBody",
    "ByteStream",
    "MockServer",
];

/// The names of Rust's prelude: the generated code and the `#[endpoint]`
/// expansion use some of them unqualified, and a type of the same name would shadow them and
/// break the generated module. A schema whose converted name is one of them gets the
/// `Schema` suffix (`Result` becomes `ResultSchema`); an `x-rust-name` naming one is refused.
const PRELUDE_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "ToString",
    "ToOwned",
    "Vec",
    "Box",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "Debug",
];

/// What the stages share while lowering one document. Each stage is a free function taking it;
/// what a stage hands the next (schemes, operations) is passed as a value, not kept here.
pub(super) struct Cx<'a> {
    pub(super) src: &'a SourceFile,
    pub(super) doc: &'a OpenAPI,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) types: Types,
    /// Rust type name -> pointer of the schema that took it.
    pub(super) type_owner: HashMap<String, String>,
    /// Component schema key -> Rust type name.
    pub(super) component_names: HashMap<String, String>,
    /// oneOf type name -> rejected variant names (from `x-error-variants`), with the pointer.
    pub(super) rejected: HashMap<String, (Vec<String>, String)>,
    /// (struct type, discriminator property) to remove from tagged oneOf variants.
    pub(super) drop_tag: Vec<(String, String)>,
    /// `x-unwrap` conversions.
    pub(super) unwraps: Vec<Unwrap>,
    /// Pointer -> the Rust type name picked for it when its natural name was taken.
    pub(super) auto_names: HashMap<String, String>,
    /// Pointer of an inline schema already defined as a type -> that type's name: a schema
    /// reached again (an inline schema of a `components/responses` entry, used by many
    /// operations) is the same type, not a second definition.
    pub(super) inline_types: HashMap<String, String>,
}

impl<'a> Cx<'a> {
    pub(super) fn new(src: &'a SourceFile, doc: &'a OpenAPI) -> Self {
        Cx {
            src,
            doc,
            diags: Vec::new(),
            types: Types::default(),
            type_owner: HashMap::new(),
            component_names: HashMap::new(),
            rejected: HashMap::new(),
            drop_tag: Vec::new(),
            unwraps: Vec::new(),
            auto_names: HashMap::new(),
            inline_types: HashMap::new(),
        }
    }

    pub(super) fn err(&mut self, pointer: &str, message: impl Into<String>) {
        let d = self.src.error(pointer, message);
        self.diags.push(d);
    }

    pub(super) fn err_help(
        &mut self,
        pointer: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = self.src.error(pointer, message).with_help(help);
        self.diags.push(d);
    }

    /// Claims a Rust type name for the schema at `pointer`.
    pub(super) fn claim_type(&mut self, name: &str, pointer: &str) -> bool {
        if RESERVED_TYPES.contains(&name) {
            self.err_help(
                pointer,
                format!("the Rust type name `{name}` is reserved for the generated client"),
                "set `x-rust-name` on this schema to another name",
            );
            return false;
        }
        if PRELUDE_TYPES.contains(&name) {
            self.err_help(
                pointer,
                format!("the Rust type name `{name}` would shadow Rust's own `{name}`, which the generated code uses"),
                "set `x-rust-name` on this schema to another name",
            );
            return false;
        }
        if !is_type_ident(name) {
            self.err_help(
                &child(pointer, "x-rust-name"),
                format!("`x-rust-name: {name}` is not a Rust type name"),
                "use letters, digits and `_`, starting with a letter, e.g. `MyThing`",
            );
            return false;
        }
        if let Some(owner) = self.type_owner.get(name) {
            if owner != pointer {
                let owner = owner.clone();
                self.err_help(
                    pointer,
                    format!("the Rust type name `{name}` is already taken by the schema at {owner}"),
                    "names collide after conversion to PascalCase; set `x-rust-name` on one of them, or move an inline schema into components.schemas",
                );
                return false;
            }
            return true;
        }
        self.type_owner
            .insert(name.to_string(), pointer.to_string());
        true
    }

    /// Claims a Rust type name the generator chose itself (not `x-rust-name`): when `base` is
    /// reserved for the generated client or taken by another schema, a free variant of it is
    /// used instead (`Error` becomes `ErrorSchema`, a second `MyType` becomes `MyType2`).
    pub(super) fn claim_auto(&mut self, base: &str, pointer: &str) -> String {
        if let Some(name) = self.auto_names.get(pointer) {
            return name.clone();
        }
        let free = |l: &Cx<'_>, n: &str| {
            !RESERVED_TYPES.contains(&n) && l.type_owner.get(n).is_none_or(|o| o == pointer)
        };
        let mut name = if RESERVED_TYPES.contains(&base) || PRELUDE_TYPES.contains(&base) {
            format!("{base}Schema")
        } else {
            base.to_string()
        };
        let stem = name.clone();
        let mut n = 2;
        while !free(self, &name) {
            name = format!("{stem}{n}");
            n += 1;
        }
        self.type_owner.insert(name.clone(), pointer.to_string());
        self.auto_names.insert(pointer.to_string(), name.clone());
        name
    }

    /// Whether the spec is someone else's ([`SpecOrigin::Published`]): collisions are renamed
    /// and defects that do not stop a client are warnings, not errors.
    pub(super) fn lenient(&self) -> bool {
        self.src.origin() == SpecOrigin::Published
    }

    /// Records a located warning (a published spec read leniently).
    pub(super) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let d = self.src.error(pointer, message);
        self.src.warn(d);
    }

    pub(super) fn push_type(&mut self, def: TypeDef) {
        self.types.push(def);
    }
}

/// The types made so far, in order, indexed by Rust name. Lowering looks a type up by name for
/// each parameter, body, response and page; a scan of the list each time made lowering
/// quadratic in the spec's size (10,000 operations: 0.9 s, 20,000: 3.4 s;
/// `cargo bench -p vendor-clients-codegen --bench scale`).
///
/// Reads and in-place changes go through the slice ([`Deref`](std::ops::Deref)); a type's name
/// must not be changed in place. Types are added with [`Types::push`] and removed with
/// [`Types::retain`], which keep the index.
#[derive(Default)]
pub(super) struct Types {
    defs: Vec<TypeDef>,
    /// Rust name -> index of the first type of that name in `defs`.
    at: HashMap<String, usize>,
}

impl Types {
    pub(super) fn push(&mut self, def: TypeDef) {
        self.at.entry(def.name.clone()).or_insert(self.defs.len());
        self.defs.push(def);
    }

    /// Keeps only the types `keep` says yes to.
    pub(super) fn retain(&mut self, keep: impl FnMut(&TypeDef) -> bool) {
        self.defs.retain(keep);
        self.at.clear();
        for (i, t) in self.defs.iter().enumerate() {
            self.at.entry(t.name.clone()).or_insert(i);
        }
    }

    /// The type named `name`, if any.
    pub(super) fn named(&self, name: &str) -> Option<&TypeDef> {
        self.at.get(name).map(|&i| &self.defs[i])
    }

    /// The type named `name`, to change in place (not its name).
    pub(super) fn named_mut(&mut self, name: &str) -> Option<&mut TypeDef> {
        self.at.get(name).map(|&i| &mut self.defs[i])
    }

    /// The shape of the type named `name`, if any.
    pub(super) fn kind(&self, name: &str) -> Option<&TypeKind> {
        self.named(name).map(|t| &t.kind)
    }

    pub(super) fn into_vec(self) -> Vec<TypeDef> {
        self.defs
    }
}

impl std::ops::Deref for Types {
    type Target = [TypeDef];
    fn deref(&self) -> &[TypeDef] {
        &self.defs
    }
}

impl std::ops::DerefMut for Types {
    fn deref_mut(&mut self) -> &mut [TypeDef] {
        &mut self.defs
    }
}

impl<'a> IntoIterator for &'a Types {
    type Item = &'a TypeDef;
    type IntoIter = std::slice::Iter<'a, TypeDef>;
    fn into_iter(self) -> Self::IntoIter {
        self.defs.iter()
    }
}

impl TypeLookup for Types {
    fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.named(name)
    }
}

/// Whether `name` can be written as a Rust type identifier (names from [`pascal`](crate::names::pascal) always can;
/// an `x-rust-name` is taken as written).
fn is_type_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::Types;
    use crate::model::{kind_named, Ty, TypeDef, TypeKind};

    fn def(name: &str, pointer: &str) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            pointer: pointer.into(),
            kind: TypeKind::Alias(Ty::String),
        }
    }

    #[test]
    fn the_index_finds_what_a_scan_finds_after_pushes_and_retains() {
        let mut types = Types::default();
        for (name, pointer) in [("A", "#/a"), ("B", "#/b"), ("A", "#/a2"), ("C", "#/c")] {
            types.push(def(name, pointer));
        }
        // The first of a name, as `iter().find` gives.
        assert_eq!(types.named("A").map(|t| t.pointer.as_str()), Some("#/a"));
        assert!(types.named("D").is_none());
        types.retain(|t| t.pointer != "#/a" && t.name != "B");
        // Indices moved: each name still finds its own type, removed ones none.
        assert_eq!(types.named("A").map(|t| t.pointer.as_str()), Some("#/a2"));
        assert_eq!(types.named("C").map(|t| t.pointer.as_str()), Some("#/c"));
        assert!(types.named("B").is_none());
        for t in types.iter() {
            assert_eq!(
                types.named(&t.name),
                types.iter().find(|u| u.name == t.name)
            );
            assert!(kind_named(&types, &t.name).is_some());
        }
        types.named_mut("C").expect("C").kind = TypeKind::Alias(Ty::Bool);
        assert_eq!(types.kind("C"), Some(&TypeKind::Alias(Ty::Bool)));
        assert_eq!(types.into_vec().len(), 2);
    }
}
