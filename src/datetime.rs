//! Timestamps and dates as they appear in JSON bodies: RFC 3339 strings (`format: date-time`)
//! and ISO 8601 calendar dates (`format: date`).
//!
//! Newtypes rather than `#[serde(with = ...)]` attributes, so they compose: `Option<DateTime>`,
//! `Vec<DateTime>` and `Nullable<DateTime>` need nothing special in generated code.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// An instant with a UTC offset, written as RFC 3339 (`2024-01-15T10:00:00Z`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(pub time::OffsetDateTime);

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub time::Date);

/// A string that is not a valid [`DateTime`] or [`Date`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} `{value}`: expected {expected}")]
pub struct ParseTimeError {
    what: &'static str,
    value: String,
    expected: &'static str,
}

impl DateTime {
    /// The inner `time::OffsetDateTime`.
    pub fn into_inner(self) -> time::OffsetDateTime {
        self.0
    }

    /// RFC 3339 text, as sent on the wire.
    pub fn to_rfc3339(&self) -> String {
        // Formatting only fails for years outside 0..=9999, which RFC 3339 cannot express.
        self.0
            .format(&Rfc3339)
            .unwrap_or_else(|_| self.0.to_string())
    }
}

impl Date {
    /// The inner `time::Date`.
    pub fn into_inner(self) -> time::Date {
        self.0
    }
}

impl From<time::OffsetDateTime> for DateTime {
    fn from(v: time::OffsetDateTime) -> Self {
        DateTime(v)
    }
}

impl From<time::Date> for Date {
    fn from(v: time::Date) -> Self {
        Date(v)
    }
}

impl FromStr for DateTime {
    type Err = ParseTimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        time::OffsetDateTime::parse(s, &Rfc3339)
            .map(DateTime)
            .map_err(|_| ParseTimeError {
                what: "date-time",
                value: s.to_string(),
                expected: "RFC 3339, e.g. 2024-01-15T10:00:00Z",
            })
    }
}

impl FromStr for Date {
    type Err = ParseTimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        time::Date::parse(s, format_description!("[year]-[month]-[day]"))
            .map(Date)
            .map_err(|_| ParseTimeError {
                what: "date",
                value: s.to_string(),
                expected: "YYYY-MM-DD",
            })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        )
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl crate::ToParam for DateTime {
    fn to_param(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.to_rfc3339())
    }
}

impl crate::ToParam for Date {
    fn to_param(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_round_trips_rfc3339_with_offsets() {
        let v: DateTime = serde_json::from_str("\"2021-12-22T04:01:28+00:00\"").unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            "\"2021-12-22T04:01:28Z\""
        );
        let z: DateTime = "2021-12-22T23:59:59Z".parse().unwrap();
        assert!(z > v);
    }

    #[test]
    fn bad_date_time_says_what_was_expected() {
        let e = serde_json::from_str::<DateTime>("\"22/12/2021\"")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("invalid date-time `22/12/2021`: expected RFC 3339"),
            "{e}"
        );
    }

    #[test]
    fn date_round_trips() {
        let d: Date = serde_json::from_str("\"2024-02-29\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2024-02-29\"");
        assert!(serde_json::from_str::<Date>("\"2023-02-29\"").is_err());
    }
}
