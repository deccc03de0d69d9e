//! What `#[derive(vendor_clients::Object)]` expands to: the derive reads the struct's fields and
//! their `#[serde(...)]` attributes and hands a list of them to [`__object_impls!`](crate::__object_impls),
//! which writes three impls of one method each. A struct's own code is one trait method that reads
//! a JSON object's keys in a loop, stores each value with [`set`] and builds the struct with
//! [`or_missing`], [`or_default`] or [`or_call`] at the end; [`object`] drives it through one
//! generic visitor, and the writing goes through [`start`], [`always`], [`never`] or
//! [`unless`] per field, and [`end`]. serde's derive writes a field enum with three visitors, a
//! sequence visitor and a map visitor per struct; for the hundreds of structs of a generated
//! client that is most of what the compiler reads, and every item it writes is one more the
//! compiler tracks, so this keeps each struct to three impls. Not a public API: the derive's
//! expansion is its only caller.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// A struct read from a map.
pub trait Object<'de>: Sized {
    /// Reads the struct from `map`: every key with [`key`], the value of a known one with [`set`],
    /// any other skipped with [`skip_value`]; then the struct, each field filled by
    /// [`or_missing`], [`or_default`] or [`or_call`].
    fn visit<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads a `T` (named `name`, with the wire names `fields`, for errors and for formats that
/// want them).
pub fn object<'de, T: Object<'de>, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
    fields: &'static [&'static str],
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(name, fields, ObjectVisitor::<T>(name, PhantomData))
}

struct ObjectVisitor<T>(&'static str, PhantomData<T>);

impl<'de, T: Object<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit(map)
    }
}

/// A key of the object being read: borrowed from the input when it can be, copied to the stack
/// when short, owned else. A key that is not UTF-8 reads as U+FFFD, which names no field.
pub struct Key<'de>(KeyText<'de>);

enum KeyText<'de> {
    /// No key: the map has ended.
    End,
    Borrowed(&'de str),
    Inline([u8; INLINE], u8),
    Owned(String),
}

/// Keys up to this many bytes are not allocated when the input lends none.
const INLINE: usize = 30;

impl Key<'_> {
    /// The key's text.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            KeyText::End => "",
            KeyText::Borrowed(s) => s,
            // Only a whole `str` is copied in, so the bytes are UTF-8.
            KeyText::Inline(bytes, len) => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or("\u{fffd}")
            }
            KeyText::Owned(s) => s,
        }
    }
}

impl Key<'_> {
    /// Whether the map has ended (the key [`key`] reads after the last).
    #[inline]
    pub fn is_end(&self) -> bool {
        matches!(self.0, KeyText::End)
    }
}

/// The next key of `map`, or the end (see `Key::is_end`). (Not an `Option`: the derive's code
/// then names no `Some` and `None`, paths resolved in every build of a generated client.)
#[inline]
pub fn key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Key<'de>, A::Error> {
    Ok(map.next_key_seed(KeySeed)?.unwrap_or(Key(KeyText::End)))
}

struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(KeyText::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        if v.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..v.len()].copy_from_slice(v.as_bytes());
            // `v.len() <= INLINE`, which fits a `u8`.
            Ok(Key(KeyText::Inline(bytes, v.len() as u8)))
        } else {
            Ok(Key(KeyText::Owned(v.to_owned())))
        }
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(KeyText::Owned(v)))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Key<'de>, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.visit_borrowed_str(s),
            Err(_) => Ok(Key(KeyText::Borrowed("\u{fffd}"))),
        }
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key<'de>, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.visit_str(s),
            Err(_) => Ok(Key(KeyText::Borrowed("\u{fffd}"))),
        }
    }
}

/// Stores the next value in `slot`; a key given twice is an error, as with serde's derive.
pub fn set<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
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
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// A field without default: as read, or, when absent, what `T` makes of nothing (`None` for an
/// `Option`, an error "missing field" for anything else), as with serde's derive.
pub fn or_missing<'de, T: de::Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing::<E>(name, PhantomData)),
    }
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

/// A field with `#[serde(default)]`: `T::default()` when absent.
#[inline]
pub fn or_default<T: Default, E>(slot: Option<T>, _: &'static str) -> Result<T, E> {
    Ok(slot.unwrap_or_default())
}

/// A field with `#[serde(default = "path")]`: `path()` when absent.
#[inline]
pub fn or_call<T, E>(slot: Option<T>, _: &'static str, default: fn() -> T) -> Result<T, E> {
    Ok(match slot {
        Some(value) => value,
        None => default(),
    })
}

/// Starts writing a struct of `len` fields.
#[inline]
pub fn start<S: Serializer>(
    serializer: S,
    name: &'static str,
    len: usize,
) -> Result<S::SerializeStruct, S::Error> {
    serializer.serialize_struct(name, len)
}

/// Ends the struct, or gives the first error writing it met: each field's `write` leaves the
/// state as an error once one failed, so that the struct's own code is one call per field.
#[inline]
pub fn end<S: SerializeStruct>(state: Result<S, S::Error>) -> Result<S::Ok, S::Error> {
    state?.end()
}

/// Writes a field always written.
#[inline]
pub fn always<S: SerializeStruct, T: Serialize + ?Sized>(
    state: &mut Result<S, S::Error>,
    key: &'static str,
    value: &T,
) {
    if let Ok(s) = state {
        if let Err(e) = s.serialize_field(key, value) {
            *state = Err(e);
        }
    }
}

/// Tells the serializer a field never written (`#[serde(skip_serializing)]`) is left out.
#[inline]
pub fn never<S: SerializeStruct, T: ?Sized>(
    state: &mut Result<S, S::Error>,
    key: &'static str,
    _: &T,
) {
    if let Ok(s) = state {
        if let Err(e) = s.skip_field(key) {
            *state = Err(e);
        }
    }
}

/// Writes a field, or tells the serializer it is left out when `skip(&value)`
/// (`#[serde(skip_serializing_if = "path")]`).
#[inline]
pub fn unless<S: SerializeStruct, T: Serialize + ?Sized>(
    state: &mut Result<S, S::Error>,
    key: &'static str,
    value: &T,
    skip: impl FnOnce(&T) -> bool,
) {
    if skip(value) {
        never(state, key, value)
    } else {
        always(state, key, value)
    }
}

/// 1 when a field with `#[serde(skip_serializing_if = "skip")]` is written, else 0.
#[inline]
pub fn counted<T: ?Sized>(value: &T, skip: impl FnOnce(&T) -> bool) -> usize {
    usize::from(!skip(value))
}

/// The three impls `#[derive(Object)]` writes, from a list of the struct's fields that the
/// derive reads from the struct, after its name, its text, the first value of the tuple of
/// the values read (an `Option` per field; `Default::default()` up to twelve fields), the number
/// of fields always written, those written unless `skip` (`[(field skip)..]`) and, with
/// `#[object(partial_eq)]`, the fields compared (`partial_eq [field..]`): `field "wire" ["key" "alias"..] slot (Type) absent (default)?
/// written (skip_if)?;` per field, where `absent` is `or_missing`, `or_default` or `or_call` and
/// `written` is `always`, `never` or `unless`. Written here rather than by the derive, token by
/// token: a declarative macro is expanded by the compiler itself, which costs a generated client
/// of hundreds of structs less than building the same code in a proc macro does.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_impls {
    ($name:ident $text:literal [$($init:tt)+] $always:literal [$(($counted:ident $counted_skip:path))*]
     $(partial_eq [$($eq:ident)*])?;
     $($field:ident $wire:literal [$($key:literal)+] $slot:tt ($ty:ty)
       $absent:ident $(($default:path))? $written:ident $(($skip:path))?;)*) => {
        impl<'de> $crate::__object::Object<'de> for $name {
            fn visit<A: $crate::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::core::result::Result<Self, A::Error> {
                let mut slots: ($(::core::option::Option<$ty>,)*) = $($init)+;
                // Used even by a struct without fields (no lint attribute to read per struct).
                let _ = &mut slots;
                loop {
                    let key = match $crate::__object::key(&mut map) {
                        $crate::__object::Ok(key) => key,
                        $crate::__object::Err(e) => return $crate::__object::Err(e),
                    };
                    if key.is_end() {
                        break;
                    }
                    if let $crate::__object::Err(e) = match key.as_str() {
                        $($($key)|+ => $crate::__object::set(&mut slots.$slot, &mut map, $wire),)*
                        _ => $crate::__object::skip_value(&mut map),
                    } {
                        return $crate::__object::Err(e);
                    }
                }
                $crate::__object::Ok($name {
                    $($field: match $crate::__object::$absent(slots.$slot, $wire $(, $default)?) {
                        $crate::__object::Ok(value) => value,
                        $crate::__object::Err(e) => return $crate::__object::Err(e),
                    },)*
                })
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__object::object(deserializer, $text, &[$($wire),*])
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let mut state = $crate::__object::start(
                    serializer,
                    $text,
                    $always $(+ $crate::__object::counted(&self.$counted, $counted_skip))*,
                );
                let _ = &mut state;
                $($crate::__object::$written(&mut state, $wire, &self.$field $(, $skip)?);)*
                $crate::__object::end(state)
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

    impl<'de> Object<'de> for P {
        fn visit<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut slots: (Option<String>, Option<Option<u8>>, Option<Vec<String>>) =
                (None, None, None);
            loop {
                let k = key(&mut map)?;
                if k.is_end() {
                    break;
                }
                match k.as_str() {
                    "name" | "nm" => set(&mut slots.0, &mut map, "name")?,
                    "age" => set(&mut slots.1, &mut map, "age")?,
                    "tags" => set(&mut slots.2, &mut map, "tags")?,
                    _ => skip_value(&mut map)?,
                }
            }
            Ok(P {
                name: or_missing(slots.0, "name")?,
                age: or_missing(slots.1, "age")?,
                tags: slots.2.unwrap_or_default(),
            })
        }
    }

    impl<'de> de::Deserialize<'de> for P {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            object(d, "P", &["name", "age", "tags"])
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
        let key = |v: &str| -> String {
            let k: Result<Key<'_>, de::value::Error> = KeySeed.visit_str(v);
            k.map(|k| k.as_str().to_owned()).unwrap_or_default()
        };
        assert_eq!(key("name"), "name");
        assert_eq!(key(&"k".repeat(INLINE)), "k".repeat(INLINE));
        assert_eq!(key(&"k".repeat(INLINE + 1)), "k".repeat(INLINE + 1));
        let bytes: Result<Key<'_>, de::value::Error> = KeySeed.visit_bytes(&[0xff, 0xfe]);
        assert_eq!(
            bytes.map(|k| k.as_str().to_owned()).ok().as_deref(),
            Some("\u{fffd}")
        );
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

    crate::__object_impls! { Q "Q" [Default::default()] 3 [(note Option::is_none)];
        name "n" ["n" "nm"] 0 (String) or_missing always;
        tags "tags" ["tags"] 1 (Vec<String>) or_default always;
        kind "kind" ["kind"] 2 (String) or_call(kind) always;
        secret "secret" ["secret"] 3 (Option<String>) or_missing never;
        note "note" ["note"] 4 (Option<String>) or_missing unless(Option::is_none);
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

    crate::__object_impls! { Bad "Bad" [(None, None, None)] 3 [] partial_eq [a bad c];
        a "a" ["a"] 0 (String) or_missing always;
        bad "bad" ["bad"] 1 (std::collections::BTreeMap<Vec<u8>, i32>) or_missing always;
        c "c" ["c"] 2 (String) or_missing always;
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

    crate::__object_impls! { Empty "Empty" [Default::default()] 0 [] partial_eq []; }

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
}
