//! Decoding the unions the spec gives a discriminator (`oneOf` with `discriminator`), for
//! generated code: `#[serde(tag = "...")]` would do it, but serde buffers the object first and
//! loses the place of an error inside the chosen alternative, so an answer that fails on
//! `details[1]` reported `.`. These helpers buffer the object themselves, decode the alternative
//! with its path tracked, and hand the path out in the error (``at `path`: message``), which
//! [`crate::Response::json`] turns back into [`crate::Error::Decode`]'s `path`.
//!
//! Writing goes through [`write`]: the chosen alternative's object with the tag first, as
//! `#[serde(tag = "...")]` writes it, without serde's derive (which is most of what the
//! compiler reads for such an enum).

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer};
use serde::Deserialize;
use serde_json::{Map, Value};

/// How an error from inside an alternative starts: ``at `details[1]`: `` then the message.
pub(crate) const PATH_PREFIX: &str = "at `";

/// Reads a tagged union's object: its tag value (the property `tag`, which must be a string) and
/// the object without it.
pub fn read<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag: &'static str,
) -> Result<(String, Value), D::Error> {
    let mut object = Map::<String, Value>::deserialize(deserializer)?;
    let value = match object.remove(tag) {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(de::Error::invalid_type(
                unexpected(&other),
                &"a string naming the alternative",
            ))
        }
        None => return Err(de::Error::missing_field(tag)),
    };
    Ok((value, Value::Object(object)))
}

/// Decodes the chosen alternative from the rest of the object; an error names the place inside
/// it as ``at `path`: message``.
pub fn variant<T: DeserializeOwned, E: de::Error>(rest: Value) -> Result<T, E> {
    // Most answers decode: only a failure pays for tracking the path (as `Response::json` does).
    if let Ok(value) = T::deserialize(&rest) {
        return Ok(value);
    }
    serde_path_to_error::deserialize(rest).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            E::custom(e.into_inner())
        } else {
            E::custom(format!("{PATH_PREFIX}{path}`: {}", e.into_inner()))
        }
    })
}

/// Splits an error message made by [`variant`] into the path inside the alternative and the
/// message; `None` for any other message.
pub(crate) fn split_path(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix(PATH_PREFIX)?;
    let end = rest.find("`: ")?;
    Some((&rest[..end], &rest[end + 3..]))
}

/// Writes the alternative `inner` of a tagged union as its object with `tag: value` first. The
/// alternative must be written as an object (a struct or a map, maybe inside a newtype) or as
/// nothing (a unit, written `{tag: value}`); anything else is an error, as with serde's derive.
pub fn write<S: Serializer, T: Serialize + ?Sized>(
    serializer: S,
    tag: &'static str,
    value: &'static str,
    inner: &T,
) -> Result<S::Ok, S::Error> {
    inner.serialize(Tagged {
        inner: serializer,
        tag,
        value,
    })
}

/// The serializer of an alternative: the object it writes gets the tag first.
struct Tagged<S> {
    inner: S,
    tag: &'static str,
    value: &'static str,
}

impl<S: Serializer> Tagged<S> {
    fn refuse(&self, what: &str) -> S::Error {
        ser::Error::custom(format_args!(
            "cannot write the alternative `{}` of a tagged union: it is {what}, not an object",
            self.value
        ))
    }

    fn only_tag(self) -> Result<S::Ok, S::Error> {
        let mut map = self.inner.serialize_map(Some(1))?;
        map.serialize_entry(self.tag, self.value)?;
        map.end()
    }
}

/// What a tagged alternative can never be written as.
type Never<S> = Impossible<<S as Serializer>::Ok, <S as Serializer>::Error>;

impl<S: Serializer> Serializer for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Never<S>;
    type SerializeTuple = Never<S>;
    type SerializeTupleStruct = Never<S>;
    type SerializeTupleVariant = Never<S>;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = S::SerializeStruct;
    type SerializeStructVariant = Never<S>;

    fn serialize_bool(self, _: bool) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a boolean"))
    }
    fn serialize_i8(self, _: i8) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a number"))
    }
    fn serialize_i16(self, _: i16) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a number"))
    }
    fn serialize_i32(self, _: i32) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a number"))
    }
    fn serialize_i64(self, _: i64) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a number"))
    }
    fn serialize_u8(self, _: u8) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a number"))
    }
    fn serialize_u16(self, _: u16) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a number"))
    }
    fn serialize_u32(self, _: u32) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a number"))
    }
    fn serialize_u64(self, _: u64) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a number"))
    }
    fn serialize_f32(self, _: f32) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a number"))
    }
    fn serialize_f64(self, _: f64) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a number"))
    }
    fn serialize_char(self, _: char) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a string"))
    }
    fn serialize_str(self, _: &str) -> Result<S::Ok, S::Error> {
        Err(self.refuse("a string"))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<S::Ok, S::Error> {
        Err(self.refuse("bytes"))
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        Err(self.refuse("an absent value"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(self.refuse("an optional value"))
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.only_tag()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<S::Ok, S::Error> {
        self.only_tag()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<S::Ok, S::Error> {
        Err(self.refuse("an enum variant"))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(self.refuse("an enum variant"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Never<S>, S::Error> {
        Err(self.refuse("a list"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Never<S>, S::Error> {
        Err(self.refuse("a list"))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Never<S>, S::Error> {
        Err(self.refuse("a list"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Never<S>, S::Error> {
        Err(self.refuse("an enum variant"))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<S::SerializeMap, S::Error> {
        let mut map = self.inner.serialize_map(len.map(|n| n + 1))?;
        map.serialize_entry(self.tag, self.value)?;
        Ok(map)
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<S::SerializeStruct, S::Error> {
        let mut object = self.inner.serialize_struct(name, len + 1)?;
        object.serialize_field(self.tag, self.value)?;
        Ok(object)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Never<S>, S::Error> {
        Err(self.refuse("an enum variant"))
    }
}

/// Decodes an alternative that keeps its tag property (see `__tagged_union!`) from the rest of
/// the object, the tag put back.
pub fn variant_with_tag<T: DeserializeOwned, E: de::Error>(
    mut rest: Value,
    tag: &'static str,
    value: &'static str,
) -> Result<T, E> {
    if let Value::Object(object) = &mut rest {
        object.insert(tag.to_owned(), Value::String(value.to_owned()));
    }
    variant(rest)
}

/// `Serialize` and `Deserialize` for a generated union with a discriminator:
/// `__tagged_union!(Name "tag"; Variant "value", ...)`, each variant holding its alternative
/// (or a `Box` of it). Written, the alternative's object gets `tag: value` first ([`write`]);
/// read, the tag picks the variant ([`read`], [`variant`]) and an unknown one is an error naming
/// the known values. The generated code names the tag once per variant here instead of writing
/// both impls out (or deriving serde's, which is most of what the compiler reads for the enum).
///
/// A variant written `Variant "value" keep` holds a type that keeps the tag property itself
/// (it is also an alternative of an untagged union, where the property tells it apart): it is
/// written as it is, and read with the tag left in ([`variant_with_tag`]).
#[doc(hidden)]
#[macro_export]
macro_rules! __tagged_union {
    ($name:ident $tag:literal; $($variant:ident $value:literal $($keep:ident)?),* $(,)?) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(v) => $crate::__tagged_arm!(write serializer $tag $value v $($keep)?),)*
                }
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let (tag, rest) = $crate::tagged::read(deserializer, $tag)?;
                match tag.as_str() {
                    $($value => $crate::__tagged_arm!(read rest $tag $value $($keep)?).map(Self::$variant),)*
                    other => ::core::result::Result::Err($crate::serde::de::Error::unknown_variant(
                        other,
                        &[$($value),*],
                    )),
                }
            }
        }
    };
}

/// One arm of `__tagged_union!`: how a variant is written and read, with `keep` or without.
#[doc(hidden)]
#[macro_export]
macro_rules! __tagged_arm {
    (write $s:ident $tag:literal $value:literal $v:ident) => {
        $crate::tagged::write($s, $tag, $value, $v)
    };
    (write $s:ident $tag:literal $value:literal $v:ident keep) => {
        $crate::serde::Serialize::serialize($v, $s)
    };
    (read $rest:ident $tag:literal $value:literal) => {
        $crate::tagged::variant($rest)
    };
    (read $rest:ident $tag:literal $value:literal keep) => {
        $crate::tagged::variant_with_tag($rest, $tag, $value)
    };
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match n.as_f64() {
            Some(f) => de::Unexpected::Float(f),
            None => de::Unexpected::Other("a number"),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_inside_an_alternative_survives_the_message() {
        let e: Result<Vec<String>, serde_json::Error> = variant(serde_json::json!(["a", 7]));
        let message = e.unwrap_err().to_string();
        assert_eq!(
            split_path(&message),
            Some(("[1]", "invalid type: integer `7`, expected a string"))
        );
        assert_eq!(split_path("invalid type"), None);
    }

    #[test]
    fn the_tag_must_be_a_string_and_present() {
        let v = serde_json::json!({"kind": 1});
        let e = read(&v, "kind").unwrap_err().to_string();
        assert!(
            e.contains("expected a string naming the alternative"),
            "{e}"
        );
        let e = read(&serde_json::json!({}), "kind")
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing field `kind`"), "{e}");
        let (tag, rest) = read(&serde_json::json!({"kind": "a", "x": 1}), "kind").unwrap();
        assert_eq!((tag.as_str(), rest), ("a", serde_json::json!({"x": 1})));
    }

    #[derive(serde::Serialize)]
    struct Range {
        start: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        end: Option<i64>,
    }

    #[derive(serde::Serialize)]
    struct Wrapped(Range);

    fn written<T: Serialize>(inner: &T) -> Result<String, String> {
        let mut out = Vec::new();
        let mut json = serde_json::Serializer::new(&mut out);
        write(&mut json, "type", "range", inner).map_err(|e| e.to_string())?;
        Ok(String::from_utf8(out).expect("JSON is UTF-8"))
    }

    #[test]
    fn an_alternative_is_written_as_its_object_with_the_tag_first() {
        let range = Range {
            start: 1,
            end: None,
        };
        assert_eq!(
            written(&range).as_deref(),
            Ok(r#"{"type":"range","start":1}"#)
        );
        assert_eq!(
            written(&Wrapped(Range {
                start: 1,
                end: Some(2)
            }))
            .as_deref(),
            Ok(r#"{"type":"range","start":1,"end":2}"#)
        );
        let map: std::collections::BTreeMap<&str, u8> = [("a", 1)].into_iter().collect();
        assert_eq!(written(&map).as_deref(), Ok(r#"{"type":"range","a":1}"#));
        assert_eq!(written(&()).as_deref(), Ok(r#"{"type":"range"}"#));
    }

    #[test]
    fn an_alternative_that_is_no_object_is_an_error() {
        for (what, result) in [
            ("a number", written(&1)),
            ("a string", written(&"x")),
            ("a list", written(&[1, 2])),
            (
                "an optional value",
                written(&Some(Range {
                    start: 1,
                    end: None,
                })),
            ),
        ] {
            let e = result.unwrap_err();
            assert!(
                e.contains(&format!(
                    "alternative `range` of a tagged union: it is {what}"
                )),
                "{what}: {e}"
            );
        }
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Point {
        x: i64,
    }

    #[derive(Debug, PartialEq)]
    enum Shape {
        Point(Point),
        Boxed(Box<Point>),
    }

    crate::__tagged_union!(Shape "kind"; Point "point", Boxed "boxed");

    #[test]
    fn the_union_macro_writes_and_reads_each_alternative_under_its_tag() {
        let point = Shape::Point(Point { x: 1 });
        let text = serde_json::to_string(&point).unwrap();
        assert_eq!(text, r#"{"kind":"point","x":1}"#);
        assert_eq!(serde_json::from_str::<Shape>(&text).unwrap(), point);
        let boxed = Shape::Boxed(Box::new(Point { x: 2 }));
        let text = serde_json::to_string(&boxed).unwrap();
        assert_eq!(text, r#"{"kind":"boxed","x":2}"#);
        assert_eq!(serde_json::from_str::<Shape>(&text).unwrap(), boxed);
        let unknown = serde_json::from_str::<Shape>(r#"{"kind":"line"}"#).unwrap_err();
        assert!(
            unknown
                .to_string()
                .starts_with("unknown variant `line`, expected `point` or `boxed`"),
            "{unknown}"
        );
    }
}
