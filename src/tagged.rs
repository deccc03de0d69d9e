//! Decoding the unions the spec gives a discriminator (`oneOf` with `discriminator`), for
//! generated code: `#[serde(tag = "...")]` would do it, but serde buffers the object first and
//! loses the place of an error inside the chosen alternative, so an answer that fails on
//! `details[1]` reported `.`. These helpers buffer the object themselves, decode the alternative
//! with its path tracked, and hand the path out in the error (``at `path`: message``), which
//! [`crate::Response::json`] turns back into [`crate::Error::Decode`]'s `path`.

use serde::de::{self, DeserializeOwned, Deserializer};
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
}
