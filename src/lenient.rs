//! Lenient decoding (`x-lenient` in a spec): some vendors send one value in several forms —
//! `2.5` or `"2.5"`, `true` or `"y"` or `1`, `{}` or `[]` for an empty object. [`Lenient<T>`]
//! accepts every documented form of a `T` and refuses anything else with an error that serde
//! locates at the field, so nothing is silently defaulted.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A `T` decoded from any of the forms the vendor sends; serialized in `T`'s own form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Lenient<T>(pub T);

impl<T> Lenient<T> {
    /// The value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Lenient<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Lenient<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(v: T) -> Self {
        Lenient(v)
    }
}

impl<T: fmt::Debug> fmt::Debug for Lenient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Lenient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: Serialize> Serialize for Lenient<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: LenientForm> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_lenient(d).map(Lenient)
    }
}

impl<T: crate::ToParam> crate::ToParam for Lenient<T> {
    fn to_param(&self) -> std::borrow::Cow<'_, str> {
        self.0.to_param()
    }
}

/// Types with lenient wire forms. Implemented for numbers, `bool`, maps, and (by generated code,
/// through [`lenient_object`]) for structs.
pub trait LenientForm: Sized {
    /// Decodes any accepted form.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

macro_rules! lenient_number {
    ($($t:ty => $what:literal),*) => {$(
        impl LenientForm for $t {
            fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!($what, ", or a string holding one"))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$t, E> {
                        <$t as num_from::FromI64>::from_i64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$t, E> {
                        <$t as num_from::FromI64>::from_u64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$t, E> {
                        <$t as num_from::FromI64>::from_f64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$t, E> {
                        v.trim().parse::<$t>().map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
                    }
                }
                d.deserialize_any(V)
            }
        }
    )*};
}

lenient_number!(i32 => "an integer", i64 => "an integer", u32 => "a non-negative integer", u64 => "a non-negative integer", f32 => "a number", f64 => "a number");

mod num_from {
    /// Exact conversions from JSON's number forms (no silent truncation).
    pub trait FromI64: Sized {
        fn from_i64(v: i64) -> Option<Self>;
        fn from_u64(v: u64) -> Option<Self>;
        fn from_f64(v: f64) -> Option<Self>;
    }
    macro_rules! int {
        ($($t:ty),*) => {$(
            impl FromI64 for $t {
                fn from_i64(v: i64) -> Option<Self> { <$t>::try_from(v).ok() }
                fn from_u64(v: u64) -> Option<Self> { <$t>::try_from(v).ok() }
                fn from_f64(v: f64) -> Option<Self> {
                    // `3.0` is an integer; `3.5` is not.
                    if v.fract() == 0.0 && v >= <$t>::MIN as f64 && v <= <$t>::MAX as f64 { Some(v as $t) } else { None }
                }
            }
        )*};
    }
    int!(i32, i64, u32, u64);
    impl FromI64 for f64 {
        fn from_i64(v: i64) -> Option<Self> {
            Some(v as f64)
        }
        fn from_u64(v: u64) -> Option<Self> {
            Some(v as f64)
        }
        fn from_f64(v: f64) -> Option<Self> {
            Some(v)
        }
    }
    impl FromI64 for f32 {
        fn from_i64(v: i64) -> Option<Self> {
            Some(v as f32)
        }
        fn from_u64(v: u64) -> Option<Self> {
            Some(v as f32)
        }
        fn from_f64(v: f64) -> Option<Self> {
            Some(v as f32)
        }
    }
}

impl LenientForm for bool {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean: true/false, \"y\"/\"n\", \"yes\"/\"no\", 1/0, \"1\"/\"0\" or \"true\"/\"false\"")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
                match v {
                    0 => Ok(false),
                    1 => Ok(true),
                    _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
                match v {
                    0 => Ok(false),
                    1 => Ok(true),
                    _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
                match v.trim().to_ascii_lowercase().as_str() {
                    "y" | "yes" | "1" | "true" => Ok(true),
                    "n" | "no" | "0" | "false" => Ok(false),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A string that may also arrive as a JSON number (ids such as `network_id: 1`), kept as the
/// number's decimal text. Booleans, `null`, arrays and objects are refused.
impl LenientForm for String {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
                Ok(v.to_owned())
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
                Ok(v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
                Ok(v.to_string())
            }
        }
        d.deserialize_any(V)
    }
}

/// Unix seconds as an integer or a string holding one.
impl LenientForm for crate::EpochSeconds {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let seconds = i64::deserialize_lenient(d)?;
        crate::EpochSeconds::from_seconds(seconds).ok_or_else(|| {
            de::Error::custom(format!("{seconds} seconds since the epoch is out of range"))
        })
    }
}

impl<V: DeserializeOwned> LenientForm for BTreeMap<String, V> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient_object(d)
    }
}

/// Decodes an object that may also arrive as `[]` (meaning empty). Generated structs marked
/// `x-lenient` implement [`LenientForm`] with this.
pub fn lenient_object<'de, T, D>(d: D) -> Result<T, D::Error>
where
    T: DeserializeOwned + Default,
    D: Deserializer<'de>,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned + Default> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object, or `[]` for an empty one")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
            match seq.next_element::<de::IgnoredAny>()? {
                None => Ok(T::default()),
                Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
            }
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(V(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        amount: Lenient<f64>,
        count: Lenient<i64>,
        active: Lenient<bool>,
        extra: Lenient<BTreeMap<String, String>>,
    }

    #[test]
    fn accepts_every_documented_form() {
        let a: Row =
            serde_json::from_str(r#"{"amount":"2.5","count":"7","active":"y","extra":[]}"#)
                .unwrap();
        let b: Row =
            serde_json::from_str(r#"{"amount":2.5,"count":7,"active":1,"extra":{}}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(*a.amount, 2.5);
        assert!(*a.active);
        let c: Row =
            serde_json::from_str(r#"{"amount":3,"count":7.0,"active":"no","extra":{"k":"v"}}"#)
                .unwrap();
        assert_eq!((*c.amount, *c.count, *c.active), (3.0, 7, false));
        assert_eq!(c.extra.get("k").map(String::as_str), Some("v"));
    }

    #[test]
    fn a_lenient_string_accepts_numbers_and_refuses_booleans() {
        #[derive(Debug, Deserialize)]
        struct Ids {
            a: Lenient<String>,
            b: Lenient<String>,
        }
        let v: Ids = serde_json::from_str(r#"{"a":1,"b":"111111l1"}"#).unwrap();
        assert_eq!((v.a.as_str(), v.b.as_str()), ("1", "111111l1"));
        let e = serde_json::from_str::<Ids>(r#"{"a":true,"b":"x"}"#).unwrap_err();
        assert!(e.to_string().contains("a string or a number"), "{e}");
    }

    #[test]
    fn refuses_other_forms_naming_the_field() {
        for (body, field) in [
            (
                r#"{"amount":"lots","count":1,"active":true,"extra":{}}"#,
                "amount",
            ),
            (
                r#"{"amount":1,"count":"7.5","active":true,"extra":{}}"#,
                "count",
            ),
            (
                r#"{"amount":1,"count":7.5,"active":true,"extra":{}}"#,
                "count",
            ),
            (
                r#"{"amount":1,"count":1,"active":"maybe","extra":{}}"#,
                "active",
            ),
            (r#"{"amount":1,"count":1,"active":2,"extra":{}}"#, "active"),
            (
                r#"{"amount":1,"count":1,"active":true,"extra":["x"]}"#,
                "extra",
            ),
        ] {
            let de = &mut serde_json::Deserializer::from_str(body);
            let err = serde_path_to_error::deserialize::<_, Row>(de).unwrap_err();
            assert_eq!(err.path().to_string(), field, "{body}: {}", err.inner());
        }
    }

    #[test]
    fn serializes_in_the_plain_form() {
        assert_eq!(serde_json::to_string(&Lenient(true)).unwrap(), "true");
        assert_eq!(serde_json::to_string(&Lenient(2.5f64)).unwrap(), "2.5");
    }
}
