//! Lenient renaming for published specs ([`SpecOrigin::Published`](crate::SpecOrigin)): a name
//! that collides with one taken before it (or that has no letters to make a name from) gets a
//! deterministic replacement, first spelled from the wire value's symbols (`+1` is `Plus1`,
//! `-1` is `Minus1`, `/` is `Slash`), else suffixed by its position (`Replace2`). Each renaming
//! is reported by the caller as a located warning. Our own specs (specs/) keep refusing.

use crate::names::{pascal, snake};

/// `wire` with its symbols spelled as words, so that values that differ only in symbols get
/// different names.
fn spelled(wire: &str) -> String {
    let mut out = String::new();
    for c in wire.chars() {
        let word = match c {
            '+' => "plus",
            '-' => "minus",
            '/' => "slash",
            '*' => "star",
            '.' => "dot",
            '@' => "at",
            '#' => "hash",
            '$' => "dollar",
            '%' => "percent",
            '&' => "and",
            '=' => "eq",
            '<' => "lt",
            '>' => "gt",
            '!' => "not",
            '~' => "tilde",
            ':' => "colon",
            '_' | ' ' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "x",
        };
        out.push(' ');
        out.push_str(word);
        out.push(' ');
    }
    out
}

/// A PascalCase name for `wire` (a value at `position` of its list) that `taken` does not
/// hold: its symbols spelled, else the plain name (or `Value`) with the position appended.
pub(super) fn pascal_free(wire: &str, position: usize, taken: impl Fn(&str) -> bool) -> String {
    if let Some(n) = pascal(&spelled(wire)).filter(|n| !taken(n)) {
        return n;
    }
    suffixed(
        pascal(wire).unwrap_or_else(|| "Value".into()),
        position,
        taken,
    )
}

/// A snake_case field name for property `wire` (at `position`) that `taken` does not hold.
pub(super) fn snake_free(wire: &str, position: usize, taken: impl Fn(&str) -> bool) -> String {
    if let Some(n) = snake(&spelled(wire)).filter(|n| !taken(n)) {
        return n;
    }
    let base = snake(wire).unwrap_or_else(|| "field".into());
    let mut n = position + 1;
    loop {
        let name = format!("{base}_{n}");
        if !taken(&name) {
            return name;
        }
        n += 1;
    }
}

/// `base` with the 1-based position appended, counting up until `taken` does not hold it.
pub(super) fn suffixed(base: String, position: usize, taken: impl Fn(&str) -> bool) -> String {
    let mut n = position + 1;
    loop {
        let name = format!("{base}{n}");
        if !taken(&name) {
            return name;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_spelled_before_positions_are_used() {
        let none = |_: &str| false;
        assert_eq!(pascal_free("+1", 0, none), "Plus1");
        assert_eq!(pascal_free("-1", 1, none), "Minus1");
        assert_eq!(pascal_free("/", 3, none), "Slash");
        assert_eq!(pascal_free("reactions--1", 5, none), "ReactionsMinusMinus1");
        // Values that differ only in case: the position tells them apart.
        assert_eq!(pascal_free("Replace", 4, |n| n == "Replace"), "Replace5");
        assert_eq!(
            pascal_free("Replace", 4, |n| n == "Replace" || n == "Replace5"),
            "Replace6"
        );
        assert_eq!(snake_free("-1", 1, |n| n == "_1"), "minus_1");
        assert_eq!(snake_free("a", 2, |n| n == "a"), "a_3");
    }
}
