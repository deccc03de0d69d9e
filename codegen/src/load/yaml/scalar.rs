//! Plain scalars resolved as serde_yaml 0.9 resolved them: YAML 1.2's core schema with its
//! leniencies (`+12`, `0o17`, `.inf`), never YAML 1.1's `yes`/`on`.

use std::borrow::Cow;

use saphyr_parser::{ScalarStyle, Tag};

use super::build::tag_name;
use super::{Node, Number, Value};

/// A scalar's value: quoted and block scalars are strings; plain ones are resolved.
pub(super) fn scalar(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
) -> Result<Value, String> {
    let owned = text;
    let text: &str = &owned;
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() {
            return match tag.suffix.as_str() {
                "bool" => parse_bool(text)
                    .map(Value::Bool)
                    .ok_or_else(|| format!("invalid value: string {text:?}, expected a boolean")),
                "int" => match int(text) {
                    Some(v) => v,
                    None => Err(format!(
                        "invalid value: string {text:?}, expected an integer"
                    )),
                },
                "float" => parse_f64(text)
                    .map(|f| Value::Number(Number::Float(f)))
                    .ok_or_else(|| format!("invalid value: string {text:?}, expected a float")),
                "null" => match text {
                    "null" | "Null" | "NULL" | "~" => Ok(Value::Null),
                    _ => Err(format!("invalid value: string {text:?}, expected null")),
                },
                _ => Ok(Value::String(text.to_string())),
            };
        }
        let inner = match style {
            ScalarStyle::Plain => untagged(text)?,
            _ => Value::String(text.to_string()),
        };
        let node = Node {
            value: inner,
            pos: (1, 1),
            alias: false,
        };
        return Ok(Value::Tagged(Box::new((tag_name(tag), node))));
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(owned.into_owned()));
    }
    match resolve(text) {
        Some(v) => v,
        None => Ok(Value::String(owned.into_owned())),
    }
}

/// A plain scalar, resolved as serde_yaml 0.9 did.
fn untagged(v: &str) -> Result<Value, String> {
    resolve(v).unwrap_or_else(|| Ok(Value::String(v.to_string())))
}

/// A plain scalar that is not a string: null, a boolean or a number (or a refused integer).
fn resolve(v: &str) -> Option<Result<Value, String>> {
    if matches!(v, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Ok(Value::Null));
    }
    if let Some(b) = parse_bool(v) {
        return Some(Ok(Value::Bool(b)));
    }
    if let Some(n) = int(v) {
        return Some(n);
    }
    if !digits_but_not_number(v) {
        if let Some(f) = parse_f64(v) {
            return Some(Ok(Value::Number(Number::Float(f))));
        }
    }
    None
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// An integer, if `v` is one: within 64 bits an integer; wider, the nearest float.
fn int(v: &str) -> Option<Result<Value, String>> {
    if let Some(n) = parse_unsigned(v, u64::from_str_radix) {
        return Some(Ok(Value::Number(Number::PosInt(n))));
    }
    if let Some(n) = parse_negative(v, i64::from_str_radix) {
        let n = if n < 0 {
            Number::NegInt(n)
        } else {
            Number::PosInt(n as u64)
        };
        return Some(Ok(Value::Number(n)));
    }
    // Wider than 64 bits (`maximum: 18446744073709551615` of an unsigned 64-bit id): kept as
    // the nearest float, as JSON readers keep it; the loader reports a bound no Rust integer
    // type can hold where it is used.
    if let Some(n) = parse_unsigned(v, u128::from_str_radix) {
        return Some(Ok(Value::Number(Number::Float(n as f64))));
    }
    if let Some(n) = parse_negative(v, i128::from_str_radix) {
        return Some(Ok(Value::Number(Number::Float(n as f64))));
    }
    None
}

type Radix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

const PREFIXES: [(&str, u32); 3] = [("0x", 16), ("0o", 8), ("0b", 2)];

fn parse_unsigned<T>(v: &str, parse: Radix<T>) -> Option<T> {
    let unpositive = v.strip_prefix('+').unwrap_or(v);
    for (prefix, radix) in PREFIXES {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = parse(rest, radix) {
                return Some(n);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(v) {
        return None;
    }
    parse(unpositive, 10).ok()
}

fn parse_negative<T>(v: &str, parse: Radix<T>) -> Option<T> {
    for (prefix, radix) in PREFIXES {
        if let Some(rest) = v.strip_prefix('-').and_then(|r| r.strip_prefix(prefix)) {
            if let Ok(n) = parse(&format!("-{rest}"), radix) {
                return Some(n);
            }
        }
    }
    if digits_but_not_number(v) {
        return None;
    }
    parse(v, 10).ok()
}

fn parse_f64(v: &str) -> Option<f64> {
    let unpositive = match v.strip_prefix('+') {
        Some(u) if u.starts_with(['+', '-']) => return None,
        Some(u) => u,
        None => v,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = v {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = v {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Leading zeros then digits: a string in YAML 1.2 (`012`).
fn digits_but_not_number(v: &str) -> bool {
    let v = v.strip_prefix(['-', '+']).unwrap_or(v);
    v.len() > 1 && v.starts_with('0') && v[1..].bytes().all(|b| b.is_ascii_digit())
}
