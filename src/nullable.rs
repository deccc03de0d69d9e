//! [`Nullable`]: a field that can be absent, explicitly `null`, or set.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A JSON field with three states: absent, `null`, or a value.
///
/// Use on struct fields together with
/// `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`:
/// a missing field deserializes as [`Nullable::Absent`] and is not written
/// back; `null` round-trips as [`Nullable::Null`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// The field is not present.
    #[default]
    Absent,
    /// The field is present with the value `null`.
    Null,
    /// The field is present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `true` for [`Nullable::Absent`] (for `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// `true` for [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one (absent and `null` both give `None`).
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one (absent and `null` both give `None`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => serializer.serialize_some(v),
            // `Absent` is normally skipped by `skip_serializing_if`; if it is
            // reached anyway, `null` is the closest thing JSON has.
            Nullable::Null | Nullable::Absent => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
    }

    #[test]
    fn missing_field_is_absent_and_not_serialized() {
        let p: Patch = serde_json::from_str("{}").expect("valid");
        assert_eq!(p.name, Nullable::Absent);
        assert_eq!(serde_json::to_string(&p).expect("ser"), "{}");
    }

    #[test]
    fn null_round_trips_as_null() {
        let p: Patch = serde_json::from_str(r#"{"name":null}"#).expect("valid");
        assert_eq!(p.name, Nullable::Null);
        assert_eq!(serde_json::to_string(&p).expect("ser"), r#"{"name":null}"#);
    }

    #[test]
    fn value_round_trips_as_value() {
        let p: Patch = serde_json::from_str(r#"{"name":"x"}"#).expect("valid");
        assert_eq!(p.name, Nullable::Value("x".to_owned()));
        assert_eq!(serde_json::to_string(&p).expect("ser"), r#"{"name":"x"}"#);
    }

    #[test]
    fn absent_serialized_directly_is_null() {
        let n: Nullable<u8> = Nullable::Absent;
        assert_eq!(serde_json::to_string(&n).expect("ser"), "null");
    }

    #[test]
    fn option_accessors() {
        assert_eq!(Nullable::from(3).as_option(), Some(&3));
        assert_eq!(Nullable::<u8>::Null.into_option(), None);
        assert!(Nullable::<u8>::default().is_absent());
        assert!(Nullable::<u8>::Null.is_null());
    }
}
