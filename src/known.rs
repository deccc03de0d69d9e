//! Unions whose alternatives are enums that keep unknown values.
//!
//! A generated string or integer enum keeps a value it does not know in its catch-all variant,
//! so as an alternative of an untagged union it would accept every string (or number) and the
//! alternatives after it would never be tried: `oneOf: [Color, Size]` would read `"large"` as an
//! unknown `Color`. Such an alternative is decoded with [`known_only`], which refuses the values
//! the enum does not know, so a later alternative that knows them gets its turn; the last
//! alternative that can take the value still keeps it, so nothing is lost.

use serde::{Deserialize, Deserializer};

/// An enum with a catch-all variant for values this client does not know (generated enums).
pub trait KnownValues {
    /// Whether this is one of the values the spec lists.
    fn is_known(&self) -> bool;
}

/// Decodes a `T` and refuses it when it is a value `T` only keeps as unknown. Used by generated
/// unions (`#[serde(deserialize_with = "::vendor_clients::known_only")]`).
pub fn known_only<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + KnownValues,
{
    let value = T::deserialize(deserializer)?;
    if value.is_known() {
        Ok(value)
    } else {
        Err(serde::de::Error::custom(
            "not one of the values this alternative lists",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    // The shape the generator emits for `oneOf: [Color, Size, integer]` (see the generator's
    // test `union_alternatives_that_keep_unknown_values_refuse_them_when_a_later_one_may_know`).
    #[derive(Debug, PartialEq, Deserialize)]
    enum Color {
        #[serde(rename = "red")]
        Red,
        #[serde(untagged)]
        Unknown(String),
    }
    impl KnownValues for Color {
        fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
    }
    #[derive(Debug, PartialEq, Deserialize)]
    enum Size {
        #[serde(rename = "large")]
        Large,
        #[serde(untagged)]
        Unknown(String),
    }
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum U {
        #[serde(deserialize_with = "crate::known_only")]
        Color(Color),
        Size(Size),
        Integer(i64),
    }

    fn read(json: &str) -> U {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn each_value_goes_to_the_alternative_that_knows_it_and_unknown_ones_are_kept() {
        assert_eq!(read(r#""red""#), U::Color(Color::Red));
        assert_eq!(read(r#""large""#), U::Size(Size::Large));
        assert_eq!(read(r#""teal""#), U::Size(Size::Unknown("teal".into())));
        assert_eq!(read("7"), U::Integer(7));
        assert!(serde_json::from_str::<U>("true").is_err());
    }
}
