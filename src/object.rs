//! What `#[derive(vendor_clients::Object)]` expands to calls: a JSON object read into a struct
//! through one generic visitor, the struct's own code being only "which field is this key" (a
//! `match` on the key) and "store this value", and the check of what is missing at the end. serde's
//! derive writes a field enum with three visitors, a sequence visitor and a map visitor per
//! struct; for the hundreds of structs of a generated client that is most of what the compiler
//! reads. Not a public API: the derive's expansion is its only caller.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A struct being read: one slot per field, filled as the keys come.
pub trait Fields<'de>: Sized {
    /// The struct read.
    type Out;
    /// The struct's name, for errors.
    const NAME: &'static str;
    /// The fields' wire names, in declaration order (what `deserialize_struct` is given).
    const FIELDS: &'static [&'static str];
    /// The index of the field a key names (its wire name or an alias), `None` for another key.
    fn index(key: &str) -> Option<usize>;
    /// No field read yet.
    fn empty() -> Self;
    /// Reads the value of field `index` from `map`.
    fn field<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;
    /// The struct, once every key was read: defaults for absent fields, or an error naming the
    /// first missing required one.
    fn finish<E: de::Error>(self) -> Result<Self::Out, E>;
}

/// Reads a `T` through `F`.
pub fn object<'de, F: Fields<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<F::Out, D::Error> {
    deserializer.deserialize_struct(F::NAME, F::FIELDS, ObjectVisitor::<F>(PhantomData))
}

struct ObjectVisitor<F>(PhantomData<F>);

impl<'de, F: Fields<'de>> Visitor<'de> for ObjectVisitor<F> {
    type Value = F::Out;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", F::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<F::Out, A::Error> {
        let mut fields = F::empty();
        while let Some(key) = map.next_key_seed(Key::<F>(PhantomData))? {
            match key {
                Some(index) => fields.field(index, &mut map)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        fields.finish()
    }
}

/// A key: the index of the field it names, `None` for a key the struct does not have.
struct Key<F>(PhantomData<F>);

impl<'de, F: Fields<'de>> DeserializeSeed<'de> for Key<F> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, F: Fields<'de>> Visitor<'de> for Key<F> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(F::index(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(std::str::from_utf8(v).ok().and_then(F::index))
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

/// The value of a field without default: as read, or, when absent, what `T` makes of nothing
/// (`None` for an `Option`, an error "missing field" for anything else), as with serde's derive.
pub fn required<'de, T: de::Deserialize<'de>, E: de::Error>(
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

    struct PFields(Option<String>, Option<Option<u8>>, Option<Vec<String>>);

    impl<'de> Fields<'de> for PFields {
        type Out = P;
        const NAME: &'static str = "P";
        const FIELDS: &'static [&'static str] = &["name", "age", "tags"];
        fn index(key: &str) -> Option<usize> {
            match key {
                "name" | "nm" => Some(0),
                "age" => Some(1),
                "tags" => Some(2),
                _ => None,
            }
        }
        fn empty() -> Self {
            PFields(None, None, None)
        }
        fn field<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error> {
            match index {
                0 => set(&mut self.0, map, "name"),
                1 => set(&mut self.1, map, "age"),
                _ => set(&mut self.2, map, "tags"),
            }
        }
        fn finish<E: de::Error>(self) -> Result<P, E> {
            Ok(P {
                name: required(self.0, "name")?,
                age: required(self.1, "age")?,
                tags: self.2.unwrap_or_default(),
            })
        }
    }

    impl<'de> de::Deserialize<'de> for P {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            object::<PFields, D>(d)
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
    fn the_path_of_a_failing_value_is_tracked() {
        let mut de = serde_json::Deserializer::from_str(r#"{"name": "a", "age": 300}"#);
        let e = serde_path_to_error::deserialize::<_, P>(&mut de).unwrap_err();
        assert_eq!(e.path().to_string(), "age");
    }
}
