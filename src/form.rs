//! Form bodies (`application/x-www-form-urlencoded`) with more than flat fields. A flat struct
//! is written by `serde_urlencoded`, as before; a body with nested objects or lists is written
//! in the bracket notation Rails, PHP and Stripe read (and OpenAPI's `deepObject` style names):
//!
//! - a nested object's fields as `card[number]=4242`, `card[exp][month]=1`, and a map's entries
//!   as `metadata[order]=7`;
//! - a list of scalars at the top level as the key repeated, `expand=a&expand=b` (OpenAPI's
//!   default for forms, `style: form, explode: true`), and inside an object as `tags[]=a`;
//! - a list of objects with indices, `items[0][price]=p1`;
//! - `null` and absent fields are left out.

use serde_json::Value;
use url::form_urlencoded::Serializer;

/// `value` (an object) as a form in bracket notation; the error says why it cannot be one.
pub(crate) fn nested_form(value: &Value) -> Result<String, String> {
    let Value::Object(fields) = value else {
        return Err(format!(
            "a form body must be an object, not {}",
            kind(value)
        ));
    };
    let mut out = Serializer::new(String::new());
    for (name, v) in fields {
        write(&mut out, name, v, true);
    }
    Ok(out.finish())
}

fn write(out: &mut Serializer<'_, String>, name: &str, v: &Value, top: bool) {
    match v {
        Value::Null => {}
        Value::Bool(b) => {
            out.append_pair(name, if *b { "true" } else { "false" });
        }
        Value::Number(n) => {
            out.append_pair(name, &n.to_string());
        }
        Value::String(s) => {
            out.append_pair(name, s);
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = match (item, top) {
                    (Value::Array(_) | Value::Object(_), _) => format!("{name}[{i}]"),
                    (_, true) => name.to_string(),
                    (_, false) => format!("{name}[]"),
                };
                write(out, &key, item, false);
            }
        }
        Value::Object(fields) => {
            for (k, item) in fields {
                write(out, &format!("{name}[{k}]"), item, false);
            }
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decoded(form: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(form.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn nested_objects_maps_and_lists_use_brackets() {
        let form = nested_form(&json!({
            "amount": 2000,
            "card": {"number": "4242", "exp": {"month": 1, "year": 2030}},
            "expand": ["customer", "invoice"],
            "items": [{"price": "p1", "quantity": 2}],
            "metadata": {"order": "7", "tags": ["a", "b"]},
            "note": null,
            "live": false
        }))
        .unwrap();
        let pairs = decoded(&form);
        let has = |k: &str, v: &str| {
            assert!(
                pairs.iter().any(|(a, b)| a == k && b == v),
                "{k}={v} missing from {pairs:?}"
            )
        };
        has("amount", "2000");
        has("card[number]", "4242");
        has("card[exp][month]", "1");
        has("card[exp][year]", "2030");
        has("expand", "customer");
        has("expand", "invoice");
        has("items[0][price]", "p1");
        has("items[0][quantity]", "2");
        has("metadata[order]", "7");
        has("metadata[tags][]", "a");
        has("metadata[tags][]", "b");
        has("live", "false");
        assert!(!pairs.iter().any(|(k, _)| k == "note"), "{pairs:?}");
        // Brackets and spaces are percent-encoded on the wire.
        assert!(form.contains("card%5Bnumber%5D=4242"), "{form}");
    }

    #[test]
    fn a_form_must_be_an_object() {
        assert_eq!(
            nested_form(&json!([1, 2])).unwrap_err(),
            "a form body must be an object, not a list"
        );
    }
}
