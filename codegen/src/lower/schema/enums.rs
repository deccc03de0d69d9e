//! `enum` lists of strings and integers to enum type definitions.

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::lower::cx::Cx;
use crate::lower::rename;
use crate::model::{EnumValue, IntValue, TypeKind};
use crate::names::pascal;
use crate::source::child;

/// The name and meaning a value is given where it is defined (a constant of a `oneOf` with its
/// `title` and `description`).
#[derive(Debug, Clone, Default)]
pub(in crate::lower) struct Label {
    pub(in crate::lower) name: Option<String>,
    pub(in crate::lower) doc: Option<String>,
}

pub(in crate::lower) fn string_enum(
    cx: &mut Cx<'_>,
    values: &[Option<String>],
    pointer: &str,
) -> Option<TypeKind> {
    string_enum_labelled(cx, values, &[], pointer)
}

/// A string enum whose variants are named after their labels where there are some (`labels`
/// is empty or one per value), else after their values.
pub(in crate::lower) fn string_enum_labelled(
    cx: &mut Cx<'_>,
    values: &[Option<String>],
    labels: &[Label],
    pointer: &str,
) -> Option<TypeKind> {
    let mut out: Vec<EnumValue> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, v) in values.iter().enumerate() {
        let Some(wire) = v else { continue }; // `null` in an enum: nullability, not a value
        let at = child(&child(pointer, "enum"), i.to_string());
        let label = labels.get(i).cloned().unwrap_or_default();
        let rust = match label.name.as_deref().and_then(pascal) {
            Some(named) => Some(named),
            None if wire.is_empty() => Some("Empty".to_string()),
            None => pascal(wire),
        };
        let rust = match rust {
            Some(r) if !seen.contains_key(&r) || !cx.lenient() => Some(r),
            // A published spec: a value without letters, or colliding with an earlier one
            // (`+1` and `-1`), gets a name of its own, with a warning.
            _ if cx.lenient() && !seen.values().any(|w| w == wire) => {
                let free = rename::pascal_free(wire, i, |n| seen.contains_key(n) || n == "Unknown");
                let why = match rust {
                    Some(r) => format!(
                        "enum value `{wire}` would become the Rust variant `{r}`, as `{}` does: named `{free}`",
                        seen.get(&r).map_or("", String::as_str)
                    ),
                    None => format!("enum value `{wire}` has no letters or digits: named `{free}`"),
                };
                cx.warn(&at, why);
                Some(free)
            }
            other => other,
        };
        let Some(rust) = rust else {
            cx.err_help(
                &at,
                format!(
                    "enum value `{wire}` has no letters or digits to make a Rust variant name from"
                ),
                "rename the value, or model this field as a plain string",
            );
            continue;
        };
        if let Some(prev) = seen.get(&rust) {
            if prev == wire && cx.lenient() {
                cx.warn(
                    &at,
                    format!("enum value `{wire}` is listed twice: the second is ignored"),
                );
            } else if prev == wire {
                cx.err(&at, format!("enum value `{wire}` is listed twice"));
            } else {
                let prev = prev.clone();
                cx.err_help(
                    &at,
                    format!(
                        "enum values `{prev}` and `{wire}` both become the Rust variant `{rust}`"
                    ),
                    "model this field as a plain string, or remove one of the values",
                );
            }
            continue;
        }
        seen.insert(rust.clone(), wire.clone());
        out.push(EnumValue {
            rust,
            wire: wire.clone(),
            doc: label.doc,
        });
    }
    let unknown = if seen.contains_key("Unknown") {
        "UnknownValue"
    } else {
        "Unknown"
    };
    Some(TypeKind::Enum {
        values: out,
        unknown: unknown.to_string(),
    })
}

pub(in crate::lower) fn int_enum(
    cx: &mut Cx<'_>,
    values: &[i64],
    ext: &IndexMap<String, serde_json::Value>,
    pointer: &str,
) -> Option<TypeKind> {
    let at = child(pointer, "x-enum-varnames");
    let names: Option<Vec<String>> = ext.get("x-enum-varnames").and_then(|v| {
        v.as_array()?
            .iter()
            .map(|n| n.as_str().map(str::to_string))
            .collect()
    });
    let Some(names) = names else {
        cx.err(&at, "`x-enum-varnames` must be a list of names");
        return None;
    };
    if names.len() != values.len() {
        cx.err_help(
            &at,
            format!(
                "`x-enum-varnames` has {} names for {} enum values",
                names.len(),
                values.len()
            ),
            "give exactly one name per value, in the same order",
        );
        return None;
    }
    let labels: Vec<Label> = names
        .into_iter()
        .map(|name| Label {
            name: Some(name),
            doc: None,
        })
        .collect();
    int_enum_labelled(cx, values, &labels, &at, pointer)
}

/// An integer enum with a name for each value (`labels`, one per value, each with a name);
/// `names_at` is where the names are written.
pub(in crate::lower) fn int_enum_labelled(
    cx: &mut Cx<'_>,
    values: &[i64],
    labels: &[Label],
    names_at: &str,
    pointer: &str,
) -> Option<TypeKind> {
    let at = names_at;
    let mut out: Vec<IntValue> = Vec::new();
    for (i, (label, value)) in labels.iter().zip(values).enumerate() {
        let name = label.name.as_deref().unwrap_or_default();
        let Some(rust) = pascal(name) else {
            cx.err(
                &child(at, i.to_string()),
                format!("`{name}` cannot become a Rust variant name"),
            );
            continue;
        };
        if out.iter().any(|v| v.rust == rust) {
            cx.err(
                &child(at, i.to_string()),
                format!("two values both become the Rust variant `{rust}`"),
            );
            continue;
        }
        if out.iter().any(|v| v.value == *value) {
            cx.err(
                &child(&child(pointer, "enum"), i.to_string()),
                format!("enum value {value} is listed twice"),
            );
            continue;
        }
        out.push(IntValue {
            rust,
            value: *value,
            doc: label.doc.clone(),
        });
    }
    let unknown = if out.iter().any(|v| v.rust == "Unknown") {
        "UnknownValue"
    } else {
        "Unknown"
    };
    Some(TypeKind::IntEnum {
        values: out,
        unknown: unknown.to_string(),
    })
}
