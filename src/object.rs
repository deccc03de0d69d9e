//! What `#[derive(vendor_clients::Object)]` expands to: the derive reads the struct's fields and
//! their `#[serde(...)]` attributes and hands a list of them to [`__object_impls!`](crate::__object_impls),
//! which writes a `Deserialize` and a `Serialize` impl of one call each. Reading is [`object`]:
//! one generic visitor that stores each known key's value in the struct's [`Slots`] (an `Option`
//! per field, in tuples of up to sixteen) and gives the values to a closure that builds the
//! struct; writing is [`write`], over a tuple of references to the fields ([`Fields`]). serde's
//! derive writes a field enum with three visitors, a sequence visitor and a map visitor per
//! struct, and even a `match` of the keys with a line per field to store and to finish each
//! value costs every build: for the hundreds of structs of a generated client that is most of
//! what the compiler reads. Here a struct's own code is the type of its slots and an expression
//! per field; the loops are generic, so a `cargo check` never instantiates them. Not a public
//! API: the derive's expansion is its only caller.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The values read for a struct: one slot per field ([`Required<T>`] for a field without default,
/// [`Defaulted<T>`] for `#[serde(default)]`, [`Deferred<T>`] for `#[serde(default = "path")]`),
/// or a tuple of up to sixteen `Slots` (a struct of more fields nests tuples). A field is known by
/// its index, counted over the leaves in order.
pub trait Slots<'de>: Sized {
    /// What the slots give once read: the field's value for a leaf, a tuple of those for a tuple.
    type Values;
    /// Nothing read yet.
    const NONE: Self;
    /// How many fields: 1 for a leaf.
    const LEN: usize;
    /// Reads the value of field `index` into its slot; `name` is the field's wire name, for
    /// errors. A value given twice is an error, as with serde's derive.
    fn set<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        name: &'static str,
    ) -> Result<(), A::Error>;
    /// Reads the value of the field whose wire name is `key` into its slot, if there is one:
    /// whether there is. `names` are the wire names of the fields from this one's first on.
    fn set_key<A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        names: &[&'static str],
    ) -> Result<bool, A::Error>;
    /// The values, each absent one filled as its slot says (see [`Slots`]).
    fn finish<E: de::Error>(self, names: &[&'static str]) -> Result<Self::Values, E>;
}

/// The slot of a field without default: as read, or, when absent, what `T` makes of nothing.
pub struct Required<T>(Option<T>);

/// The slot of a field with `#[serde(default)]`: `T::default()` when absent.
pub struct Defaulted<T>(Option<T>);

/// The slot of a field with `#[serde(default = "path")]`: gives an `Option<T>`, which the
/// struct's code fills with `path()` when absent.
pub struct Deferred<T>(Option<T>);

/// The first of `names`, the wire name of the field of a leaf slot.
fn first(names: &[&'static str]) -> &'static str {
    names.first().copied().unwrap_or_default()
}

/// `names` past the first `len`.
fn past<'n>(names: &'n [&'static str], len: usize) -> &'n [&'static str] {
    names.get(len..).unwrap_or_default()
}

/// `Slots` for the slots of one field (each an `Option` of what is read), given as the slot's
/// type, its bounds past `Deserialize`, what it gives, and how it gives that from the value
/// read, if any, and the field's wire name.
macro_rules! leaf_slots {
    ($($leaf:ident [$($bound:tt)*] $values:ty, |$read:ident, $name:pat_param| $value:expr;)+) => {$(
        impl<'de, T: de::Deserialize<'de> $($bound)*> Slots<'de> for $leaf<T> {
            type Values = $values;
            const NONE: Self = $leaf(None);
            const LEN: usize = 1;

            #[inline]
            fn set<A: MapAccess<'de>>(
                &mut self,
                _: usize,
                map: &mut A,
                name: &'static str,
            ) -> Result<(), A::Error> {
                set(&mut self.0, map, name)
            }

            #[inline]
            fn set_key<A: MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
                names: &[&'static str],
            ) -> Result<bool, A::Error> {
                let name = first(names);
                // The length and the first byte before the text: a call to compare text for
                // about one field per key.
                if name.len() == key.len()
                    && name.as_bytes().first() == key.as_bytes().first()
                    && name == key
                {
                    set(&mut self.0, map, name)?;
                    return Ok(true);
                }
                Ok(false)
            }

            #[inline]
            fn finish<E: de::Error>(self, names: &[&'static str]) -> Result<$values, E> {
                let ($read, $name) = (self.0, first(names));
                $value
            }
        }
    )+};
}

leaf_slots! {
    // As read, or, when absent, what `T` makes of nothing: `None` for an `Option`, an error
    // "missing field" for anything else, as with serde's derive.
    Required [] T, |read, name| match read {
        Some(value) => Ok(value),
        None => T::deserialize(Missing::<E>(name, PhantomData)),
    };
    Defaulted [+ Default] T, |read, _| Ok(read.unwrap_or_default());
    Deferred [] Option<T>, |read, _| Ok(read);
}

/// A struct without fields.
impl<'de> Slots<'de> for () {
    type Values = ();
    const NONE: Self = ();
    const LEN: usize = 0;

    fn set<A: MapAccess<'de>>(
        &mut self,
        _: usize,
        map: &mut A,
        _: &'static str,
    ) -> Result<(), A::Error> {
        skip_value(map)
    }

    fn set_key<A: MapAccess<'de>>(
        &mut self,
        _: &str,
        _: &mut A,
        _: &[&'static str],
    ) -> Result<bool, A::Error> {
        Ok(false)
    }

    fn finish<E: de::Error>(self, _: &[&'static str]) -> Result<(), E> {
        Ok(())
    }
}

/// `Slots` for the tuples of one to sixteen `Slots`, each given as `index Type`.
macro_rules! tuple_slots {
    ($($n:tt $t:ident)+) => {
        impl<'de, $($t: Slots<'de>),+> Slots<'de> for ($($t,)+) {
            type Values = ($($t::Values,)+);
            const NONE: Self = ($($t::NONE,)+);
            const LEN: usize = 0 $(+ $t::LEN)+;

            #[allow(unused_assignments)]
            #[inline]
            fn set<A: MapAccess<'de>>(
                &mut self,
                mut index: usize,
                map: &mut A,
                name: &'static str,
            ) -> Result<(), A::Error> {
                $(
                    if index < $t::LEN {
                        return self.$n.set(index, map, name);
                    }
                    index -= $t::LEN;
                )+
                skip_value(map)
            }

            #[allow(unused_assignments)]
            #[inline]
            fn set_key<A: MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
                mut names: &[&'static str],
            ) -> Result<bool, A::Error> {
                $(
                    if self.$n.set_key(key, map, names)? {
                        return Ok(true);
                    }
                    names = past(names, $t::LEN);
                )+
                Ok(false)
            }

            #[allow(unused_assignments)]
            #[inline]
            fn finish<E: de::Error>(self, mut names: &[&'static str]) -> Result<Self::Values, E> {
                Ok(($({
                    let value = self.$n.finish(names)?;
                    names = past(names, $t::LEN);
                    value
                },)+))
            }
        }
    };
}

/// Reads a `T` (named `name`) from an object: the value of a key among `fields` (the wire names,
/// in the order of the slots) or `aliases` (`(key, index)`) into the slot of that field, any
/// other key skipped; then `build` makes the struct of the values.
pub fn object<'de, S, T, D, F>(
    deserializer: D,
    name: &'static str,
    fields: &'static [&'static str],
    aliases: &'static [(&'static str, usize)],
    build: F,
) -> Result<T, D::Error>
where
    S: Slots<'de>,
    D: Deserializer<'de>,
    F: FnOnce(S::Values) -> T,
{
    deserializer.deserialize_struct(
        name,
        fields,
        ObjectVisitor {
            name,
            fields,
            aliases,
            build,
            slots: PhantomData::<S>,
        },
    )
}

struct ObjectVisitor<S, F> {
    name: &'static str,
    fields: &'static [&'static str],
    aliases: &'static [(&'static str, usize)],
    build: F,
    slots: PhantomData<S>,
}

impl<'de, S: Slots<'de>, T, F: FnOnce(S::Values) -> T> Visitor<'de> for ObjectVisitor<S, F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = S::NONE;
        // Where a key the input does not lend is copied: short ones to the stack, others to a
        // string reused for the object's keys.
        let (mut short, mut long) = ([0; SHORT], String::new());
        while let Some(key) = map.next_key_seed(KeySeed {
            short: &mut short,
            long: &mut long,
        })? {
            if slots.set_key(key, &mut map, self.fields)? {
                continue;
            }
            match self.aliases.iter().find(|(alias, _)| *alias == key) {
                Some(&(_, index)) => {
                    let name = self.fields.get(index).copied().unwrap_or_default();
                    slots.set(index, &mut map, name)?;
                }
                None => skip_value(&mut map)?,
            }
        }
        Ok((self.build)(slots.finish(self.fields)?))
    }
}

/// Keys up to this many bytes are copied to the stack when the input lends none.
const SHORT: usize = 32;

/// Reads a key: borrowed from the input when it can be, else copied to `short` or `long`. A key
/// that is not UTF-8 reads as U+FFFD, which names no field. (The key is a `&str`, which the
/// caller gets back in registers: a key type of its own with an inline buffer was returned
/// through memory and read back in pieces the processor could not forward, which cost about a
/// sixth of the time to decode an object.)
struct KeySeed<'a> {
    short: &'a mut [u8; SHORT],
    long: &'a mut String,
}

impl<'de: 'a, 'a> de::DeserializeSeed<'de> for KeySeed<'a> {
    type Value = &'a str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<&'a str, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for KeySeed<'a> {
    type Value = &'a str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<&'a str, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<&'a str, E> {
        match self.short.get_mut(..v.len()) {
            Some(short) => {
                short.copy_from_slice(v.as_bytes());
                // A whole `str` was copied: always UTF-8.
                Ok(std::str::from_utf8(short).unwrap_or("\u{fffd}"))
            }
            None => {
                self.long.clear();
                self.long.push_str(v);
                Ok(self.long.as_str())
            }
        }
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<&'a str, E> {
        *self.long = v;
        Ok(self.long.as_str())
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<&'a str, E> {
        Ok(std::str::from_utf8(v).unwrap_or("\u{fffd}"))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<&'a str, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.visit_str(s),
            Err(_) => Ok("\u{fffd}"),
        }
    }
}

/// Stores the next value in `slot`; a key given twice is an error, as with serde's derive.
fn set<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a key the struct does not have.
fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The deserializer of an absent field: `None` to an `Option`, "missing field" to the rest.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A struct's fields as written: a reference per field (`&T`, [`Never`] or [`Unless`]), or a
/// tuple of up to sixteen `Fields`.
pub trait Fields {
    /// How many fields: 1 for one.
    const LEN: usize;
    /// How many are written.
    fn count(&self) -> usize;
    /// Writes them, `names` the wire names of the fields from this one's first on.
    fn write<S: SerializeStruct>(
        &self,
        state: &mut S,
        names: &[&'static str],
    ) -> Result<(), S::Error>;
}

/// A field never written (`#[serde(skip_serializing)]`): the serializer is told it is left out.
pub struct Never<'a, T: ?Sized>(pub &'a T);

/// A field written unless `skip(&field)` (`#[serde(skip_serializing_if = "skip")]`), else left
/// out as [`Never`].
pub struct Unless<'a, T: ?Sized, F>(pub &'a T, pub F);

/// `Fields` for a field, given as the impl's generics, the type, and how many it writes (0 or 1)
/// and how it writes it, from itself, the serializer's state and its wire name.
macro_rules! leaf_fields {
    ($([$($generics:tt)*] $leaf:ty, count |$counted:pat_param| $count:expr,
       write |$field:pat_param, $state:ident, $name:ident| $write:expr;)+) => {$(
        impl<$($generics)*> Fields for $leaf {
            const LEN: usize = 1;

            #[inline]
            fn count(&self) -> usize {
                let $counted = self;
                $count
            }

            #[inline]
            fn write<S: SerializeStruct>(
                &self,
                $state: &mut S,
                names: &[&'static str],
            ) -> Result<(), S::Error> {
                let ($field, $name) = (self, first(names));
                $write
            }
        }
    )+};
}

leaf_fields! {
    // A field always written.
    [T: Serialize + ?Sized] &T, count |_| 1,
        write |field, state, name| state.serialize_field(name, *field);
    [T: ?Sized] Never<'_, T>, count |_| 0, write |_, state, name| state.skip_field(name);
    [T: Serialize + ?Sized, F: Fn(&T) -> bool] Unless<'_, T, F>,
        count |Unless(value, skip)| usize::from(!skip(value)),
        write |Unless(value, skip), state, name| if skip(value) {
            state.skip_field(name)
        } else {
            state.serialize_field(name, *value)
        };
}

/// A struct without fields.
impl Fields for () {
    const LEN: usize = 0;

    fn count(&self) -> usize {
        0
    }

    fn write<S: SerializeStruct>(&self, _: &mut S, _: &[&'static str]) -> Result<(), S::Error> {
        Ok(())
    }
}

/// `Fields` for the tuples of one to sixteen `Fields`, each given as `index Type`.
macro_rules! tuple_fields {
    ($($n:tt $t:ident)+) => {
        impl<$($t: Fields),+> Fields for ($($t,)+) {
            const LEN: usize = 0 $(+ $t::LEN)+;

            #[inline]
            fn count(&self) -> usize {
                0 $(+ self.$n.count())+
            }

            #[allow(unused_assignments)]
            fn write<S: SerializeStruct>(&self, state: &mut S, mut names: &[&'static str]) -> Result<(), S::Error> {
                $(
                    self.$n.write(state, names)?;
                    names = past(names, $t::LEN);
                )+
                Ok(())
            }
        }
    };
}

/// `tuple_slots!` and `tuple_fields!` for each length up to that of the list.
macro_rules! tuples {
    ([$($done:tt)*]) => {};
    ([$($done:tt)*] $n:tt $t:ident $($rest:tt)*) => {
        tuple_slots!($($done)* $n $t);
        tuple_fields!($($done)* $n $t);
        tuples!([$($done)* $n $t] $($rest)*);
    };
}

tuples!([] 0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6 7 T7 8 T8 9 T9 10 T10 11 T11 12 T12 13 T13 14 T14 15 T15);

/// Writes a struct named `name`: its `fields`, with the wire names `names`.
#[inline]
pub fn write<S: Serializer, F: Fields>(
    serializer: S,
    name: &'static str,
    names: &'static [&'static str],
    fields: F,
) -> Result<S::Ok, S::Error> {
    let mut state = serializer.serialize_struct(name, fields.count())?;
    fields.write(&mut state, names)?;
    state.end()
}

/// The impls `#[derive(Object)]` writes, from what the derive reads from the struct: its name,
/// its text, the type of its [`Slots`] (`[(..)]`), its aliases (`[("key" index)..]`), the number
/// of fields always written, those written unless `skip` (`[(field skip)..]`) and, with
/// `#[object(partial_eq)]`, the fields compared (`partial_eq [field..]`); then per field
/// `field "wire" [at..] (default)? written (skip_if)?;`, where `at` is the path to its value in
/// the slots' values (`[3]`, or `[1 3]` where tuples nest), `default` the function of a field with
/// `#[serde(default = "path")]`, and `written` is `always`, `never` or `unless`. Written here
/// rather than by the derive, token by token: a declarative macro is expanded by the compiler
/// itself, which costs a generated client of hundreds of structs less than building the same
/// code in a proc macro does. The reading itself is generic, in [`object`]: a struct's own code
/// is the type of its slots and one expression per field.
///
/// The methods' type parameters are `__D` and `__S`, and the struct is built as `Self`: a
/// generic parameter named like a type the struct names (a schema called `D`) would shadow it.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_impls {
    // A struct without fields: the values read are `()` (a closure taking them by name would
    // not use the name).
    ($name:ident $text:literal [()] [] $($partial_eq:ident [])?;) => {
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                $crate::__object::object::<(), _, _, _>(deserializer, $text, &[], &[], |()| Self {})
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<__S: $crate::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                $crate::__object::write(serializer, $text, &[], ())
            }
        }

        $(impl ::core::cmp::PartialEq for $name {
            #[inline]
            fn eq(&self, _: &Self) -> bool {
                $crate::__object_impls!(@true $partial_eq)
            }
        })?
    };
    (@true $($x:tt)*) => {
        true
    };
    ($name:ident $text:literal [$($slots:tt)+] [$(($alias:literal $index:literal))*]
     $(partial_eq [$($eq:ident)*])?;
     $([$($field:ident $wire:literal [$($at:tt)+] $(($default:path))? $($wrap:ident $(($skip:path))?)?;)*])*) => {
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                $crate::__object::object::<$($slots)+, _, _, _>(
                    deserializer,
                    $text,
                    &[$($($wire,)*)*],
                    &[$(($alias, $index)),*],
                    |v| Self { $($($field: v $(.$at)+ $(.unwrap_or_else($default))?,)*)* },
                )
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<__S: $crate::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                $crate::__object::write(
                    serializer,
                    $text,
                    &[$($($wire,)*)*],
                    ($(($($($crate::__object::$wrap)?(&self.$field $($(, $skip)?)?),)*),)*),
                )
            }
        }

        $(impl ::core::cmp::PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                let _ = other;
                true $(&& self.$eq == other.$eq)*
            }
        })?
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the derive writes for
    /// `struct P { #[serde(alias = "nm")] name: String, age: Option<u8>, #[serde(default)] tags: Vec<String> }`.
    #[derive(Debug, PartialEq)]
    struct P {
        name: String,
        age: Option<u8>,
        tags: Vec<String>,
    }

    impl<'de> de::Deserialize<'de> for P {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            object::<
                ((
                    Required<String>,
                    Required<Option<u8>>,
                    Defaulted<Vec<String>>,
                ),),
                _,
                _,
                _,
            >(d, "P", &["name", "age", "tags"], &[("nm", 0)], |v| P {
                name: v.0 .0,
                age: v.0 .1,
                tags: v.0 .2,
            })
        }
    }

    fn read(json: &str) -> Result<P, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn keys_and_aliases_fill_their_fields_and_unknown_keys_are_skipped() {
        assert_eq!(
            read(r#"{"nm": "a", "x": {"deep": [1]}, "age": 3, "tags": ["t"]}"#),
            Ok(P {
                name: "a".into(),
                age: Some(3),
                tags: vec!["t".into()]
            })
        );
    }

    #[test]
    fn an_absent_option_is_none_a_default_is_default_a_required_one_is_missing() {
        assert_eq!(
            read(r#"{"name": "a"}"#),
            Ok(P {
                name: "a".into(),
                age: None,
                tags: vec![]
            })
        );
        assert_eq!(
            read(r#"{"age": 1}"#),
            Err("missing field `name` at line 1 column 10".into())
        );
    }

    #[test]
    fn a_key_twice_a_wrong_value_and_a_non_object_are_errors() {
        assert_eq!(
            read(r#"{"name": "a", "nm": "b"}"#),
            Err("duplicate field `name` at line 1 column 18".into())
        );
        assert_eq!(
            read(r#"{"tags": [], "name": "a", "tags": []}"#),
            Err("duplicate field `tags` at line 1 column 32".into())
        );
        let wrong = read(r#"{"name": "a", "age": "x"}"#).unwrap_err();
        assert!(
            wrong.starts_with("invalid type: string \"x\", expected u8"),
            "{wrong}"
        );
        let list = read("[1]").unwrap_err();
        assert!(
            list.starts_with("invalid type: sequence, expected struct P"),
            "{list}"
        );
    }

    #[test]
    fn keys_are_matched_whether_borrowed_copied_or_owned() {
        // Escaped keys reach the visitor as transient text: short ones are copied to the stack,
        // long ones owned; a reader lends nothing, so every key is copied.
        let long = format!("\\u006e{}", "m".repeat(60));
        let json = format!(r#"{{"\u006em": "a", "{long}": 1, "age": 3}}"#);
        assert_eq!(
            read(&json),
            Ok(P {
                name: "a".into(),
                age: Some(3),
                tags: vec![]
            })
        );
        let from_reader: P =
            serde_json::from_reader(&br#"{"name": "b", "tags": ["x"]}"#[..]).unwrap();
        assert_eq!(from_reader.name, "b");
        assert_eq!(from_reader.tags, vec!["x".to_string()]);
        // Copied to the stack up to `SHORT` bytes, to the reused string past that; a string
        // handed over is kept; bytes that are not UTF-8 name no field.
        fn key(
            visit: impl for<'a> FnOnce(KeySeed<'a>) -> Result<&'a str, de::value::Error>,
        ) -> (Option<String>, String) {
            let (mut short, mut long) = ([0; SHORT], String::new());
            let seed = KeySeed {
                short: &mut short,
                long: &mut long,
            };
            let key = visit(seed).map(str::to_owned).ok();
            (key, long)
        }
        assert_eq!(
            key(|s| s.visit_str("name")),
            (Some("name".into()), "".into())
        );
        let at_most = "k".repeat(SHORT);
        assert_eq!(
            key(|s| s.visit_str(&at_most)),
            (Some(at_most.clone()), "".into())
        );
        let past = "k".repeat(SHORT + 1);
        assert_eq!(
            key(|s| s.visit_str(&past)),
            (Some(past.clone()), past.clone())
        );
        assert_eq!(
            key(|s| s.visit_string("owned".into())),
            (Some("owned".into()), "owned".into())
        );
        assert_eq!(
            key(|s| s.visit_bytes(&[0xff, 0xfe])).0.as_deref(),
            Some("\u{fffd}")
        );
        assert_eq!(key(|s| s.visit_bytes(b"tags")).0.as_deref(), Some("tags"));
    }

    /// What `__object_impls!` writes, for each way a field can be absent or left out.
    #[derive(Debug, PartialEq)]
    struct Q {
        name: String,
        tags: Vec<String>,
        kind: String,
        secret: Option<String>,
        note: Option<String>,
    }

    fn kind() -> String {
        "plain".into()
    }

    crate::__object_impls! { Q "Q"
        [((Required<String>, Defaulted<Vec<String>>, Deferred<String>, Required<Option<String>>, Required<Option<String>>,),)]
        [("nm" 0)];
        [
            name "n" [0 0];
            tags "tags" [0 1];
            kind "kind" [0 2] (kind);
            secret "secret" [0 3] Never;
            note "note" [0 4] Unless(Option::is_none);
        ]
    }

    #[test]
    fn the_impls_macro_reads_and_writes_each_field_as_its_row_says() {
        let q: Q = serde_json::from_str(r#"{"nm": "a", "secret": "s", "x": 1}"#).unwrap();
        assert_eq!(
            q,
            Q {
                name: "a".into(),
                tags: vec![],
                kind: "plain".into(),
                secret: Some("s".into()),
                note: None,
            }
        );
        // `secret` is never written, `note` only when set.
        assert_eq!(
            serde_json::to_string(&q).unwrap(),
            r#"{"n":"a","tags":[],"kind":"plain"}"#
        );
        let noted = Q {
            note: Some("hi".into()),
            ..q
        };
        assert_eq!(
            serde_json::to_string(&noted).unwrap(),
            r#"{"n":"a","tags":[],"kind":"plain","note":"hi"}"#
        );
        let missing = serde_json::from_str::<Q>(r#"{"tags": []}"#).unwrap_err();
        assert_eq!(missing.to_string(), "missing field `n` at line 1 column 12");
        let twice = serde_json::from_str::<Q>(r#"{"n": "a", "nm": "b"}"#).unwrap_err();
        assert!(
            twice.to_string().starts_with("duplicate field `n`"),
            "{twice}"
        );
    }

    /// A field that cannot be written: JSON keys must be strings.
    struct Bad {
        a: String,
        bad: std::collections::BTreeMap<Vec<u8>, i32>,
        c: String,
    }

    crate::__object_impls! { Bad "Bad"
        [((Required<String>, Required<std::collections::BTreeMap<Vec<u8>, i32>>, Required<String>,),)] []
        partial_eq [a bad c];
        [a "a" [0 0]; bad "bad" [0 1]; c "c" [0 2];]
    }

    #[test]
    fn the_first_error_writing_a_field_is_the_error_of_the_struct() {
        let bad = Bad {
            a: "a".into(),
            bad: [(vec![1], 1)].into_iter().collect(),
            c: "c".into(),
        };
        let e = serde_json::to_string(&bad).unwrap_err();
        assert_eq!(e.to_string(), "key must be a string");
        let fine = Bad {
            bad: Default::default(),
            ..bad
        };
        assert_eq!(
            serde_json::to_string(&fine).unwrap(),
            r#"{"a":"a","bad":{},"c":"c"}"#
        );
    }

    /// A struct without fields: its impls use what they declare (no lint to allow).
    #[derive(Debug)]
    struct Empty {}

    crate::__object_impls! { Empty "Empty" [()] [] partial_eq []; }

    #[test]
    fn a_struct_without_fields_reads_any_object_and_writes_an_empty_one() {
        let e: Empty = serde_json::from_str(r#"{"x": [1, {"y": 2}]}"#).unwrap();
        assert_eq!(serde_json::to_string(&e).unwrap(), "{}");
        assert!(e == Empty {});
    }

    #[test]
    fn partial_eq_compares_every_field_listed() {
        let bad = |c: &str| Bad {
            a: "a".into(),
            bad: Default::default(),
            c: c.into(),
        };
        assert!(bad("c") == bad("c"));
        assert!(bad("c") != bad("d"));
    }

    #[test]
    fn the_path_of_a_failing_value_is_tracked() {
        let mut de = serde_json::Deserializer::from_str(r#"{"name": "a", "age": 300}"#);
        let e = serde_path_to_error::deserialize::<_, P>(&mut de).unwrap_err();
        assert_eq!(e.path().to_string(), "age");
    }

    fn wide_default() -> Option<u32> {
        Some(333)
    }

    /// Forty fields: three chunks of slots, nested tuples in both directions.
    #[derive(Debug, PartialEq, crate::Object)]
    struct Wide {
        f0: u32,
        f1: u32,
        f2: u32,
        f3: u32,
        f4: u32,
        f5: u32,
        f6: u32,
        f7: u32,
        f8: u32,
        f9: u32,
        f10: u32,
        f11: u32,
        f12: u32,
        f13: u32,
        f14: u32,
        f15: u32,
        f16: u32,
        #[serde(rename = "F17", alias = "seventeen")]
        f17: u32,
        f18: u32,
        f19: u32,
        #[serde(default)]
        f20: Vec<u32>,
        f21: u32,
        f22: u32,
        f23: u32,
        f24: u32,
        f25: u32,
        f26: u32,
        f27: u32,
        f28: u32,
        f29: u32,
        f30: u32,
        f31: u32,
        f32: u32,
        #[serde(default = "wide_default", skip_serializing_if = "Option::is_none")]
        f33: Option<u32>,
        f34: u32,
        f35: u32,
        f36: u32,
        f37: u32,
        #[serde(skip_serializing)]
        f38: Option<u32>,
        f39: u32,
    }

    fn wide_json(skip: &[usize]) -> String {
        let mut entries = Vec::new();
        for i in (0..40).filter(|i| !skip.contains(i)) {
            match i {
                17 => entries.push(r#""F17": 17"#.to_string()),
                20 => entries.push(r#""f20": [20]"#.to_string()),
                _ => entries.push(format!(r#""f{i}": {i}"#)),
            }
        }
        format!("{{{}}}", entries.join(", "))
    }

    #[test]
    fn a_struct_of_more_than_sixteen_fields_reads_and_writes_each_in_its_chunk() {
        let wide: Wide = serde_json::from_str(&wide_json(&[])).unwrap();
        assert_eq!((wide.f0, wide.f15, wide.f16, wide.f17), (0, 15, 16, 17));
        assert_eq!((wide.f31, wide.f32, wide.f39), (31, 32, 39));
        assert_eq!(
            (wide.f20.clone(), wide.f33, wide.f38),
            (vec![20], Some(33), Some(38))
        );
        // Absent: the default, the function's value, or the error naming the field of a later
        // chunk; an alias in a later chunk; a key twice.
        let sparse: Wide = serde_json::from_str(&wide_json(&[20, 33, 38])).unwrap();
        assert_eq!(
            (&sparse.f20, sparse.f33, sparse.f38),
            (&vec![], Some(333), None)
        );
        let missing = serde_json::from_str::<Wide>(&wide_json(&[35])).unwrap_err();
        assert!(
            missing.to_string().starts_with("missing field `f35`"),
            "{missing}"
        );
        let aliased = wide_json(&[]).replace(r#""F17": 17"#, r#""seventeen": 71"#);
        assert_eq!(serde_json::from_str::<Wide>(&aliased).unwrap().f17, 71);
        let twice = wide_json(&[]).replace("}", r#", "seventeen": 1}"#);
        let twice = serde_json::from_str::<Wide>(&twice).unwrap_err();
        assert!(
            twice.to_string().starts_with("duplicate field `F17`"),
            "{twice}"
        );
        // Written in order, `f38` never, `f33` only when set.
        let text = serde_json::to_string(&sparse).unwrap();
        assert!(text.starts_with(r#"{"f0":0,"f1":1,"#), "{text}");
        assert!(
            text.contains(r#""f16":16,"F17":17,"f18":18,"f19":19,"f20":[],"#),
            "{text}"
        );
        assert!(text.contains(r#""f32":32,"f33":333,"f34":34"#), "{text}");
        assert!(text.ends_with(r#""f37":37,"f39":39}"#), "{text}");
        let unset = Wide {
            f33: None,
            ..sparse
        };
        let text = serde_json::to_string(&unset).unwrap();
        assert!(text.contains(r#""f32":32,"f34":34"#), "{text}");
        let back: Wide = serde_json::from_str(&text).unwrap();
        assert_eq!(back.f33, Some(333));
    }

    /// Fields named like the expansion's own locals and parameters, and a field of `Self`.
    #[derive(Debug, crate::Object)]
    #[object(partial_eq)]
    struct Locals {
        v: u8,
        deserializer: u8,
        serializer: u8,
        #[serde(rename = "self")]
        this: Option<Box<Self>>,
    }

    #[test]
    fn fields_named_like_the_expansions_locals_are_read_and_written() {
        let json = r#"{"v":1,"deserializer":2,"serializer":3,"self":{"v":4,"deserializer":5,"serializer":6}}"#;
        let read: Locals = serde_json::from_str(json).unwrap();
        assert_eq!((read.v, read.deserializer, read.serializer), (1, 2, 3));
        let inner = read.this.as_deref().expect("self");
        assert_eq!((inner.v, inner.deserializer, inner.serializer), (4, 5, 6));
        assert!(inner.this.is_none());
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"{"v":1,"deserializer":2,"serializer":3,"self":{"v":4,"deserializer":5,"serializer":6,"self":null}}"#
        );
    }
}
