//! Media types of responses, for operations whose answer's form is chosen by the request (a
//! `.{format}` path suffix, an `export=true` query flag) rather than negotiated with `Accept`:
//! the `#[endpoint]` arms `200 "text/csv" => ...` pick the arm by the response's `Content-Type`.

use std::borrow::Cow;

use reqwest::header::{HeaderMap, CONTENT_TYPE};

/// The media type a response body has: its `Content-Type` without parameters (`; charset=...`),
/// trimmed and lower-cased. A response without a (readable) `Content-Type` is
/// `application/octet-stream`, as HTTP lets a recipient assume (RFC 9110, section 8.3).
pub fn media_type(headers: &HeaderMap) -> Cow<'_, str> {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return Cow::Borrowed("application/octet-stream");
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    if essence.is_empty() {
        return Cow::Borrowed("application/octet-stream");
    }
    if essence.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(essence.to_ascii_lowercase())
    } else {
        Cow::Borrowed(essence)
    }
}

/// Whether the media type `media` (as [`media_type`] gives it) is matched by `pattern`: an exact
/// media type (`text/csv`, compared without regard to case), a type with any subtype
/// (`text/*`), or anything (`*/*`). A JSON pattern (`application/json`) also matches the
/// structured-syntax types that are JSON too (`application/problem+json`).
pub fn media_type_matches(media: &str, pattern: &str) -> bool {
    let pattern = pattern.trim();
    if pattern == "*/*" {
        return true;
    }
    if let Some(top) = pattern.strip_suffix("/*") {
        return media
            .split_once('/')
            .is_some_and(|(t, _)| t.eq_ignore_ascii_case(top));
    }
    if media.eq_ignore_ascii_case(pattern) {
        return true;
    }
    pattern.eq_ignore_ascii_case("application/json")
        && media
            .split_once('/')
            .is_some_and(|(t, sub)| t.eq_ignore_ascii_case("application") && sub.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn with(content_type: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(ct) = content_type {
            h.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        h
    }

    #[test]
    fn media_type_drops_parameters_and_case_and_defaults_to_octet_stream() {
        assert_eq!(
            media_type(&with(Some("Text/CSV; charset=utf-8"))),
            "text/csv"
        );
        assert_eq!(
            media_type(&with(Some("application/json"))),
            "application/json"
        );
        assert_eq!(media_type(&with(None)), "application/octet-stream");
        assert_eq!(
            media_type(&with(Some(" ; q=1"))),
            "application/octet-stream"
        );
    }

    #[test]
    fn patterns_match_exact_types_wildcards_and_json_suffixes() {
        assert!(media_type_matches("text/xml", "text/xml"));
        assert!(media_type_matches("text/xml", "TEXT/XML"));
        assert!(!media_type_matches("application/xml", "text/xml"));
        assert!(media_type_matches("text/csv", "text/*"));
        assert!(!media_type_matches("application/csv", "text/*"));
        assert!(media_type_matches("image/png", "*/*"));
        assert!(media_type_matches(
            "application/problem+json",
            "application/json"
        ));
        assert!(!media_type_matches(
            "application/problem+json",
            "application/xml"
        ));
        assert!(!media_type_matches("text/json-ish", "application/json"));
    }
}
