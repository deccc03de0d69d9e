//! How argument values become path, query and header text.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::Secret;

/// Everything except the unreserved characters `A-Z a-z 0-9 - . _ ~`: how a path parameter is
/// encoded (by the client, and by the fake server that matches its requests).
pub(crate) const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The items' texts joined by commas (the OpenAPI `simple` style of a list).
fn joined<T: ToParam>(items: &[T]) -> String {
    let mut text = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&item.to_param());
    }
    text
}

/// A value that can be written as one text parameter (path segment, query
/// value or header value). Generated string enums implement it to give their
/// wire names.
pub trait ToParam {
    /// The text form of the value (not yet percent-encoded).
    fn to_param(&self) -> Cow<'_, str>;

    /// Whether the value is a secret ([`Secret`]): a header carrying it is
    /// marked sensitive (shown as `Sensitive` in `Debug` output, never
    /// indexed by HTTP/2 header compression). `false` by default.
    fn is_sensitive(&self) -> bool {
        false
    }
}

impl ToParam for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToParam for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToParam for Cow<'_, str> {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToParam for bool {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}

display_param!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64);

impl ToParam for Secret {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.expose())
    }

    fn is_sensitive(&self) -> bool {
        true
    }
}

impl ToParam for time::OffsetDateTime {
    /// RFC 3339 (e.g. `2024-05-01T12:00:00Z`). Offsets RFC 3339 cannot
    /// express are converted to UTC; years outside 0..=9999 fall back to
    /// extended ISO 8601.
    fn to_param(&self) -> Cow<'_, str> {
        use time::format_description::well_known::{Iso8601, Rfc3339};
        let text = self
            .format(&Rfc3339)
            .ok()
            .or_else(|| {
                self.checked_to_offset(time::UtcOffset::UTC)
                    .and_then(|utc| utc.format(&Rfc3339).ok())
            })
            .or_else(|| self.format(&Iso8601::DEFAULT).ok())
            .unwrap_or_else(|| self.to_string());
        Cow::Owned(text)
    }
}

impl ToParam for time::Date {
    /// `YYYY-MM-DD`.
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }

    fn is_sensitive(&self) -> bool {
        (**self).is_sensitive()
    }
}

/// A value usable as a path parameter: every [`ToParam`], and lists of them (slices), written
/// in the OpenAPI `simple` style: the items joined by commas (`/lines/tube,dlr`).
pub trait PathParam {
    /// The unencoded segment text.
    fn path_value(&self) -> Cow<'_, str>;

    /// Writes the segment percent-encoded onto `out`: every byte but letters, digits and
    /// `-._~` escaped. A list escapes each item and joins them with literal commas, so that a
    /// comma inside an item (`%2C`) is told apart from the commas between them.
    fn encode_path(&self, out: &mut String) {
        out.extend(utf8_percent_encode(&self.path_value(), PATH_SEGMENT));
    }
}

impl<T: ToParam + ?Sized> PathParam for T {
    fn path_value(&self) -> Cow<'_, str> {
        self.to_param()
    }
}

impl<T: ToParam> PathParam for [T] {
    fn path_value(&self) -> Cow<'_, str> {
        Cow::Owned(joined(self))
    }

    fn encode_path(&self, out: &mut String) {
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.extend(utf8_percent_encode(&item.to_param(), PATH_SEGMENT));
        }
    }
}

impl<T: ToParam> PathParam for &[T] {
    fn path_value(&self) -> Cow<'_, str> {
        (**self).path_value()
    }

    fn encode_path(&self, out: &mut String) {
        (**self).encode_path(out)
    }
}

/// A value usable as a header parameter: every [`ToParam`], and `Option`s of
/// them (`None` sends no header).
pub trait HeaderParam {
    /// The header value, or `None` to leave the header out.
    fn header_value(&self) -> Option<Cow<'_, str>>;

    /// Whether the value is a secret (see [`ToParam::is_sensitive`]).
    fn is_sensitive(&self) -> bool {
        false
    }
}

impl<T: ToParam + ?Sized> HeaderParam for T {
    fn header_value(&self) -> Option<Cow<'_, str>> {
        Some(self.to_param())
    }

    fn is_sensitive(&self) -> bool {
        ToParam::is_sensitive(self)
    }
}

impl<T: ToParam> HeaderParam for Option<T> {
    fn header_value(&self) -> Option<Cow<'_, str>> {
        self.as_ref().map(ToParam::to_param)
    }

    fn is_sensitive(&self) -> bool {
        self.as_ref().is_some_and(ToParam::is_sensitive)
    }
}

/// A list: the items joined by commas (the OpenAPI `simple` style); an empty list sends no
/// header.
impl<T: ToParam> HeaderParam for [T] {
    fn header_value(&self) -> Option<Cow<'_, str>> {
        (!self.is_empty()).then(|| Cow::Owned(joined(self)))
    }

    fn is_sensitive(&self) -> bool {
        self.iter().any(ToParam::is_sensitive)
    }
}

impl<T: ToParam> HeaderParam for &[T] {
    fn header_value(&self) -> Option<Cow<'_, str>> {
        (**self).header_value()
    }

    fn is_sensitive(&self) -> bool {
        HeaderParam::is_sensitive(*self)
    }
}

impl<T: ToParam> HeaderParam for Vec<T> {
    fn header_value(&self) -> Option<Cow<'_, str>> {
        self.as_slice().header_value()
    }

    fn is_sensitive(&self) -> bool {
        HeaderParam::is_sensitive(self.as_slice())
    }
}

impl<T: ToParam> HeaderParam for Option<Vec<T>> {
    fn header_value(&self) -> Option<Cow<'_, str>> {
        self.as_deref().and_then(HeaderParam::header_value)
    }

    fn is_sensitive(&self) -> bool {
        self.as_deref().is_some_and(HeaderParam::is_sensitive)
    }
}

/// A value usable as a query parameter: every [`ToParam`] (one pair),
/// `Option`s (`None` adds nothing), and lists (`Vec`, slices: the name is
/// repeated for each item, `?tag=a&tag=b`).
pub trait QueryParam {
    /// Appends the `(name, value)` pairs for this value to `out`.
    fn append_to(&self, name: &str, out: &mut Vec<(String, String)>);
}

impl<T: ToParam + ?Sized> QueryParam for T {
    fn append_to(&self, name: &str, out: &mut Vec<(String, String)>) {
        out.push((name.to_owned(), self.to_param().into_owned()));
    }
}

impl<T: ToParam> QueryParam for [T] {
    fn append_to(&self, name: &str, out: &mut Vec<(String, String)>) {
        for item in self {
            item.append_to(name, out);
        }
    }
}

impl<T: ToParam> QueryParam for &[T] {
    fn append_to(&self, name: &str, out: &mut Vec<(String, String)>) {
        (**self).append_to(name, out);
    }
}

impl<T: ToParam> QueryParam for Vec<T> {
    fn append_to(&self, name: &str, out: &mut Vec<(String, String)>) {
        self.as_slice().append_to(name, out);
    }
}

impl<T: ToParam> QueryParam for &Vec<T> {
    fn append_to(&self, name: &str, out: &mut Vec<(String, String)>) {
        self.as_slice().append_to(name, out);
    }
}

impl<T: ToParam> QueryParam for Option<T> {
    fn append_to(&self, name: &str, out: &mut Vec<(String, String)>) {
        if let Some(v) = self {
            v.append_to(name, out);
        }
    }
}

impl<T: ToParam> QueryParam for Option<Vec<T>> {
    fn append_to(&self, name: &str, out: &mut Vec<(String, String)>) {
        if let Some(v) = self {
            v.append_to(name, out);
        }
    }
}

impl<T: ToParam> QueryParam for Option<&[T]> {
    fn append_to(&self, name: &str, out: &mut Vec<(String, String)>) {
        if let Some(v) = self {
            v.append_to(name, out);
        }
    }
}

impl<T: ToParam> QueryParam for Option<&Vec<T>> {
    fn append_to(&self, name: &str, out: &mut Vec<(String, String)>) {
        if let Some(v) = self {
            v.append_to(name, out);
        }
    }
}

/// What every header value this crate sends may hold: visible ASCII, spaces and tabs. The
/// `http` crate would also take bytes 0x80–0xFF (the obsolete `obs-text`), which servers read
/// as Latin-1 or refuse; text outside ASCII is percent-encoded, or sent in a body, by whoever
/// knows what the server expects. One rule for parameters, cookies, credentials, default
/// headers and the user agent, so that every refusal message can say what it is.
pub(crate) fn header_value(text: &str) -> Option<reqwest::header::HeaderValue> {
    if !text
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        return None;
    }
    reqwest::header::HeaderValue::from_str(text).ok()
}

/// The words every refusal of a header value uses for [`header_value`]'s rule.
pub(crate) const HEADER_VALUE_RULE: &str =
    "only visible ASCII characters, spaces and tabs are allowed (no line breaks, control or non-ASCII characters)";

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs<Q: QueryParam + ?Sized>(v: &Q) -> Vec<(String, String)> {
        let mut out = Vec::new();
        v.append_to("k", &mut out);
        out
    }

    fn p(items: &[&str]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|v| ("k".to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn scalars_give_one_pair() {
        assert_eq!(pairs("a"), p(&["a"]));
        assert_eq!(pairs(&"a"), p(&["a"]));
        assert_eq!(pairs(&String::from("a")), p(&["a"]));
        assert_eq!(pairs(&7u32), p(&["7"]));
        assert_eq!(pairs(&-7i64), p(&["-7"]));
        assert_eq!(pairs(&true), p(&["true"]));
        assert_eq!(pairs(&1.5f64), p(&["1.5"]));
        assert_eq!(pairs(&Secret::new("s")), p(&["s"]));
    }

    #[test]
    fn options_and_lists() {
        assert_eq!(pairs(&None::<u32>), p(&[]));
        assert_eq!(pairs(&Some("x")), p(&["x"]));
        assert_eq!(pairs(&vec!["a", "b"]), p(&["a", "b"]));
        let v = vec![String::from("a"), String::from("b")];
        assert_eq!(pairs(&v.as_slice()), p(&["a", "b"]));
        assert_eq!(pairs(v.as_slice()), p(&["a", "b"]));
        assert_eq!(pairs(&&v), p(&["a", "b"]));
        assert_eq!(pairs(&Some(v.clone())), p(&["a", "b"]));
        assert_eq!(pairs(&Some(v.as_slice())), p(&["a", "b"]));
        assert_eq!(pairs(&Some(&v)), p(&["a", "b"]));
        assert_eq!(pairs(&None::<Vec<u8>>), p(&[]));
    }

    #[test]
    fn dates_are_rfc3339_and_iso() {
        let dt = time::macros::datetime!(2024-05-01 12:30:00 UTC);
        assert_eq!(dt.to_param(), "2024-05-01T12:30:00Z");
        let dt = time::macros::datetime!(2024-05-01 12:30:00 +02:00);
        assert_eq!(dt.to_param(), "2024-05-01T12:30:00+02:00");
        // Offsets with seconds are not RFC 3339: converted to UTC.
        let dt = time::macros::datetime!(2024-05-01 12:30:00 +02:00:30);
        assert_eq!(dt.to_param(), "2024-05-01T10:29:30Z");
        let d = time::macros::date!(2024 - 05 - 01);
        assert_eq!(d.to_param(), "2024-05-01");
    }

    #[test]
    fn only_secrets_are_sensitive() {
        assert!(HeaderParam::is_sensitive(&Secret::new("s")));
        assert!(HeaderParam::is_sensitive(&&Secret::new("s")));
        assert!(HeaderParam::is_sensitive(&Some(Secret::new("s"))));
        assert!(!HeaderParam::is_sensitive(&None::<Secret>));
        assert!(!HeaderParam::is_sensitive("s"));
        assert!(!HeaderParam::is_sensitive(&Some("s")));
    }

    #[test]
    fn headers_accept_options() {
        assert_eq!(None::<&str>.header_value(), None);
        assert_eq!(Some("v").header_value().as_deref(), Some("v"));
        assert_eq!("v".header_value().as_deref(), Some("v"));
    }

    #[test]
    fn header_values_are_visible_ascii_spaces_and_tabs() {
        assert!(super::header_value("Bearer abc.DEF-123_~ +/=").is_some());
        assert!(super::header_value("a\tb").is_some());
        assert!(super::header_value("").is_some());
        for bad in ["Jürgen", "a\r\nb", "a\nb", "a\0b", "a\u{7f}b", "a\u{202e}b"] {
            assert!(
                super::header_value(bad).is_none(),
                "{bad:?} must be refused"
            );
        }
    }

    #[test]
    fn lists_are_comma_joined_in_paths_and_headers_each_item_encoded_in_a_path() {
        let items = ["a b".to_string(), "c,d".to_string()];
        let slice: &[String] = &items;
        assert_eq!(slice.path_value(), "a b,c,d");
        let mut path = String::new();
        slice.encode_path(&mut path);
        assert_eq!(path, "a%20b,c%2Cd");
        let mut one = String::new();
        "c,d".encode_path(&mut one);
        assert_eq!(one, "c%2Cd");
        assert_eq!(HeaderParam::header_value(slice).as_deref(), Some("a b,c,d"));
        assert_eq!(vec![1, 2].header_value().as_deref(), Some("1,2"));
        assert_eq!(Some(vec![true]).header_value().as_deref(), Some("true"));
        assert_eq!(Vec::<u8>::new().header_value(), None);
        assert_eq!(None::<Vec<u8>>.header_value(), None);
        let secrets = vec![Secret::new("s")];
        assert!(HeaderParam::is_sensitive(&secrets));
        assert!(HeaderParam::is_sensitive(&Some(secrets)));
        assert!(!HeaderParam::is_sensitive(&vec![1]));
    }
}
