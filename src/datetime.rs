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

/// A timestamp without a zone, written `YYYY-MM-DD HH:MM:SS` (`format: naive-date-time`); a `T`
/// separator and fractional seconds are accepted when decoding. Which zone it is in is the
/// vendor's convention, documented on the field.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NaiveDateTime(pub time::PrimitiveDateTime);

/// An instant sent as an integer count of milliseconds since the Unix epoch
/// (`format: epoch-millis`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EpochMillis(pub time::OffsetDateTime);

/// An instant sent as an integer count of seconds since the Unix epoch (`format: epoch-seconds`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EpochSeconds(pub time::OffsetDateTime);

/// A string that is not a valid [`DateTime`], [`Date`] or [`NaiveDateTime`].
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
    /// RFC 3339; also the ISO 8601 offset without a colon (`2020-01-01T00:00:00+0000`), which
    /// some vendors send.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        time::OffsetDateTime::parse(s, &Rfc3339)
            .or_else(|e| match colon_offset(s) {
                Some(fixed) => time::OffsetDateTime::parse(&fixed, &Rfc3339),
                None => Err(e),
            })
            .map(DateTime)
            .map_err(|_| ParseTimeError {
                what: "date-time",
                value: s.to_string(),
                expected: "RFC 3339, e.g. 2024-01-15T10:00:00Z (or an offset written +0000)",
            })
    }
}

/// `...T..+hhmm` as `...T..+hh:mm`, if `s` ends in a time with a colon-less offset.
fn colon_offset(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let n = b.len();
    if n < 6 || !s.contains('T') && !s.contains('t') {
        return None;
    }
    let (sign, digits) = (b[n - 5], &b[n - 4..]);
    if !matches!(sign, b'+' | b'-') || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(format!("{}:{}", &s[..n - 2], &s[n - 2..]))
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

impl NaiveDateTime {
    /// The inner `time::PrimitiveDateTime`.
    pub fn into_inner(self) -> time::PrimitiveDateTime {
        self.0
    }
}

impl From<time::PrimitiveDateTime> for NaiveDateTime {
    fn from(v: time::PrimitiveDateTime) -> Self {
        NaiveDateTime(v)
    }
}

impl FromStr for NaiveDateTime {
    type Err = ParseTimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let space = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
        let space_frac =
            format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond]");
        let t = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
        let t_frac =
            format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]");
        [space, space_frac, t, t_frac]
            .iter()
            .find_map(|f| time::PrimitiveDateTime::parse(s, f).ok())
            .map(NaiveDateTime)
            .ok_or_else(|| ParseTimeError {
                what: "date-time without zone",
                value: s.to_string(),
                expected: "YYYY-MM-DD HH:MM:SS",
            })
    }
}

impl fmt::Display for NaiveDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        )
    }
}

impl fmt::Debug for NaiveDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NaiveDateTime({self})")
    }
}

impl Serialize for NaiveDateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for NaiveDateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl EpochMillis {
    /// The instant for a count of milliseconds since the epoch, if it is in `time`'s range.
    pub fn from_millis(millis: i64) -> Option<Self> {
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
            .ok()
            .map(EpochMillis)
    }

    /// Milliseconds since the epoch, as sent on the wire.
    pub fn millis(&self) -> i64 {
        // In range by construction: every OffsetDateTime's millisecond count fits in i64.
        i64::try_from(self.0.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
    }

    /// The inner `time::OffsetDateTime` (UTC).
    pub fn into_inner(self) -> time::OffsetDateTime {
        self.0
    }
}

impl From<time::OffsetDateTime> for EpochMillis {
    fn from(v: time::OffsetDateTime) -> Self {
        EpochMillis(v)
    }
}

impl fmt::Display for EpochMillis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&DateTime(self.0).to_rfc3339())
    }
}

impl fmt::Debug for EpochMillis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EpochMillis({} = {self})", self.millis())
    }
}

impl Serialize for EpochMillis {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.millis())
    }
}

impl<'de> Deserialize<'de> for EpochMillis {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let millis = i64::deserialize(d)?;
        EpochMillis::from_millis(millis).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{millis} milliseconds since the epoch is out of range"
            ))
        })
    }
}

impl EpochSeconds {
    /// The instant for a count of seconds since the epoch, if it is in `time`'s range.
    pub fn from_seconds(seconds: i64) -> Option<Self> {
        time::OffsetDateTime::from_unix_timestamp(seconds)
            .ok()
            .map(EpochSeconds)
    }

    /// Seconds since the epoch, as sent on the wire (a fraction of a second is dropped).
    pub fn seconds(&self) -> i64 {
        self.0.unix_timestamp()
    }

    /// The inner `time::OffsetDateTime` (UTC).
    pub fn into_inner(self) -> time::OffsetDateTime {
        self.0
    }
}

impl From<time::OffsetDateTime> for EpochSeconds {
    fn from(v: time::OffsetDateTime) -> Self {
        EpochSeconds(v)
    }
}

impl fmt::Display for EpochSeconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&DateTime(self.0).to_rfc3339())
    }
}

impl fmt::Debug for EpochSeconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EpochSeconds({} = {self})", self.seconds())
    }
}

impl Serialize for EpochSeconds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.seconds())
    }
}

impl<'de> Deserialize<'de> for EpochSeconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let seconds = i64::deserialize(d)?;
        EpochSeconds::from_seconds(seconds).ok_or_else(|| {
            serde::de::Error::custom(format!("{seconds} seconds since the epoch is out of range"))
        })
    }
}

impl crate::ToParam for EpochSeconds {
    fn to_param(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.seconds().to_string())
    }
}

impl crate::ToParam for NaiveDateTime {
    fn to_param(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.to_string())
    }
}

impl crate::ToParam for EpochMillis {
    fn to_param(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.millis().to_string())
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
    fn naive_date_time_accepts_space_and_t_and_writes_space() {
        let v: NaiveDateTime = serde_json::from_str("\"2024-03-05 07:08:09\"").unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            "\"2024-03-05 07:08:09\""
        );
        let t: NaiveDateTime = "2024-03-05T07:08:09.250".parse().unwrap();
        assert_eq!(t.to_string(), "2024-03-05 07:08:09");
        let e = serde_json::from_str::<NaiveDateTime>("\"2024-03-05Z\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected YYYY-MM-DD HH:MM:SS"), "{e}");
    }

    #[test]
    fn epoch_millis_round_trips_the_integer() {
        let v: EpochMillis = serde_json::from_str("1617301543123").unwrap();
        assert_eq!(v.millis(), 1_617_301_543_123);
        assert_eq!(v.to_string(), "2021-04-01T18:25:43.123Z");
        assert_eq!(serde_json::to_string(&v).unwrap(), "1617301543123");
        assert!(serde_json::from_str::<EpochMillis>("\"soon\"").is_err());
    }

    #[test]
    fn date_time_accepts_an_offset_without_a_colon() {
        let v: DateTime = serde_json::from_str("\"2020-01-01T02:00:00+0200\"").unwrap();
        let z: DateTime = "2020-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(v, z);
        let minus: DateTime = "2020-01-01T00:00:00-0130".parse().unwrap();
        assert_eq!(minus, "2020-01-01T01:30:00Z".parse().unwrap());
        for bad in [
            "2020-01-01+0000",
            "2020-01-01T00:00:00+00",
            "2020-01-01T00:00:00+00x0",
        ] {
            assert!(bad.parse::<DateTime>().is_err(), "{bad}");
        }
    }

    #[test]
    fn epoch_seconds_round_trips_the_integer() {
        let v: EpochSeconds = serde_json::from_str("1617301543").unwrap();
        assert_eq!(v.seconds(), 1_617_301_543);
        assert_eq!(v.to_string(), "2021-04-01T18:25:43Z");
        assert_eq!(serde_json::to_string(&v).unwrap(), "1617301543");
        assert!(serde_json::from_str::<EpochSeconds>("\"soon\"").is_err());
    }

    #[test]
    fn date_round_trips() {
        let d: Date = serde_json::from_str("\"2024-02-29\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2024-02-29\"");
        assert!(serde_json::from_str::<Date>("\"2023-02-29\"").is_err());
    }
}
