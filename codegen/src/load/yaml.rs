//! The spec's YAML in one pass: saphyr-parser's events become a tree of values that each carry
//! the position a JSON pointer to them is reported at.
//!
//! Scalars are resolved as serde_yaml 0.9 resolved them (YAML 1.2 core schema: `yes`, `on`, `y`
//! stay strings; `0x1F` and `0o17` are integers; `012` is a string), so that the document, and
//! thereby the generated code, is what it was. Duplicate keys are refused where they are written,
//! aliases are expanded under a budget (an alias bomb is refused) and nesting is bounded.

use std::fmt;
use std::hash::{Hash, Hasher};

use indexmap::IndexMap;

mod build;
mod scalar;

pub(crate) use build::parse;

/// Line and column, both 1-based.
pub(crate) type Pos = (usize, usize);

/// One node of the document and where a pointer to it is located: a mapping entry at its key, a
/// mapping that is a sequence item (or the root) at its first key, anything else where it starts.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) value: Value,
    pub(crate) pos: Pos,
    /// Written as an alias: what is below it is located at the alias, not at the anchor.
    pub(crate) alias: bool,
}

/// A YAML value; mapping keys keep their type (`200:` is a number, `'200':` a string).
#[derive(Clone, Debug)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Sequence(Vec<Node>),
    Mapping(Mapping),
    /// A value under a tag other than the core schema's (`!name value`).
    Tagged(Box<(String, Node)>),
}

/// A mapping in document order.
pub(crate) type Mapping = IndexMap<Value, Node>;

#[derive(Clone, Copy, Debug)]
pub(crate) enum Number {
    PosInt(u64),
    NegInt(i64),
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::PosInt(n) => write!(f, "{n}"),
            Number::NegInt(n) => write!(f, "{n}"),
            Number::Float(x) if x.is_nan() => f.write_str(".nan"),
            Number::Float(x) if x.is_infinite() => {
                f.write_str(if x < 0.0 { "-.inf" } else { ".inf" })
            }
            Number::Float(x) => write!(f, "{x:?}"),
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (*self, *other) {
            (Number::PosInt(a), Number::PosInt(b)) => a == b,
            (Number::NegInt(a), Number::NegInt(b)) => a == b,
            (Number::Float(a), Number::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            _ => false,
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Sequence(a), Value::Sequence(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.value == y.value)
            }
            (Value::Mapping(a), Value::Mapping(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((ka, va), (kb, vb))| ka == kb && va.value == vb.value)
            }
            (Value::Tagged(a), Value::Tagged(b)) => a.0 == b.0 && a.1.value == b.1.value,
            _ => false,
        }
    }
}

impl Eq for Value {}

/// The hash of a string key, shared by [`Value::String`] and [`Key`].
const STRING: u8 = 4;

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let kind: u8 = match self {
            Value::Null => 1,
            Value::Bool(_) => 2,
            Value::Number(_) => 3,
            Value::String(_) => STRING,
            Value::Sequence(_) => 5,
            Value::Mapping(_) => 6,
            Value::Tagged(_) => 7,
        };
        state.write_u8(kind);
        match self {
            Value::Null => {}
            Value::Bool(b) => b.hash(state),
            Value::Number(Number::PosInt(n)) => n.hash(state),
            Value::Number(Number::NegInt(n)) => n.hash(state),
            Value::Number(Number::Float(x)) => {
                if x.is_nan() {
                    0u64.hash(state)
                } else {
                    x.to_bits().hash(state)
                }
            }
            Value::String(s) => s.hash(state),
            Value::Sequence(s) => s.len().hash(state),
            Value::Mapping(m) => m.len().hash(state),
            Value::Tagged(t) => t.0.hash(state),
        }
    }
}

/// A string key to look up without building a [`Value`].
#[derive(Clone, Copy)]
pub(crate) struct Key<'a>(pub(crate) &'a str);

impl Hash for Key<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(STRING);
        self.0.hash(state);
    }
}

impl indexmap::Equivalent<Value> for Key<'_> {
    fn equivalent(&self, key: &Value) -> bool {
        key.as_str() == Some(self.0)
    }
}

impl Value {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The entry under string key `key` of a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Value::Mapping(m) => m.get(&Key(key)),
            _ => None,
        }
    }

    /// A scalar as a JSON pointer token names it; `None` for a collection.
    pub(crate) fn token(&self) -> Option<String> {
        match self {
            Value::Null => Some("null".into()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl Node {
    /// An empty document.
    pub(crate) const NULL: Node = Node {
        value: Value::Null,
        pos: (1, 1),
        alias: false,
    };

    /// The entry named `token`: a mapping's key (string, or a scalar written as `token`) or a
    /// sequence's index.
    pub(crate) fn child(&self, token: &str) -> Option<&Node> {
        match &self.value {
            Value::Mapping(m) => m.get(&Key(token)).or_else(|| {
                m.iter().find_map(|(k, v)| match k {
                    Value::String(_) => None,
                    k => (k.token().as_deref() == Some(token)).then_some(v),
                })
            }),
            Value::Sequence(s) => token.parse::<usize>().ok().and_then(|i| s.get(i)),
            _ => None,
        }
    }

    /// Where `pointer` is written: its node, or its nearest ancestor that is (nothing below an
    /// alias is located apart from the alias).
    pub(crate) fn position(&self, pointer: &str) -> Pos {
        let rest = pointer.strip_prefix('#').unwrap_or(pointer);
        let mut node = self;
        for token in rest.split('/').skip(1) {
            if node.alias {
                break;
            }
            match node.child(&unescape(token)) {
                Some(next) => node = next,
                None => break,
            }
        }
        node.pos
    }
}

/// Decodes a JSON pointer token (RFC 6901).
pub(crate) fn unescape(token: &str) -> String {
    if !token.contains('~') {
        return token.to_string();
    }
    token.replace("~1", "/").replace("~0", "~")
}

/// Why the text is not a YAML document this loader accepts, and where.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Error {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
}

#[cfg(test)]
mod tests {
    use super::build::MAX_DEPTH;
    use super::*;

    fn tree(text: &str) -> Node {
        match parse(text) {
            Ok(node) => node,
            Err(e) => panic!("{}:{}: {}", e.line, e.column, e.message),
        }
    }

    fn value<'t>(root: &'t Node, pointer: &str) -> &'t Value {
        let mut node = root;
        for token in pointer.split('/').skip(1) {
            node = node.child(&unescape(token)).expect(pointer);
        }
        &node.value
    }

    #[test]
    fn json_surrogate_pairs_are_one_character_and_escaped_backslashes_stay() {
        let root = tree(
            "{\n  \"a\": \"Hello! \\ud83d\\udc4d\",\n  \"b\": \"\\\\ud83d\\\\udc4d\",\n  \"c\": \"\\u00e9\\\\\\ud83d\\udc4d\",\n  \"d\": 1\n}",
        );
        let text = |p: &str| match value(&root, p) {
            Value::String(s) => s.clone(),
            other => panic!("{p}: {other:?}"),
        };
        assert_eq!(text("#/a"), "Hello! \u{1f44d}");
        assert_eq!(text("#/b"), "\\ud83d\\udc4d");
        assert_eq!(text("#/c"), "\u{e9}\\\u{1f44d}");
        // Lines keep their places.
        assert_eq!(root.position("#/d"), (5, 3));
        // A lone surrogate is not a character: refused, as JSON parsers refuse it.
        assert!(parse("{\"a\": \"\\ud83d x\"}").is_err());
        // YAML is YAML: a single-quoted `\u` is text.
        assert_eq!(
            value(&tree("a: '\\ud83d\\udc4d'\n"), "#/a"),
            &Value::String("\\ud83d\\udc4d".into())
        );
    }

    #[test]
    fn keys_items_and_the_root_are_located() {
        let root = tree(
            "# c\nopenapi: 3.0.3\npaths:\n  /a/{b}:\n    get:\n      parameters:\n        - name: b\n          in: path\n        - {name: c, in: query}\n        - plain\n        - [x, y]\n      tags: [t1, t2]\n",
        );
        assert_eq!(root.position("#"), (2, 1));
        assert_eq!(root.position("#/openapi"), (2, 1));
        assert_eq!(root.position("#/paths"), (3, 1));
        assert_eq!(root.position("#/paths/~1a~1{b}"), (4, 3));
        let op = "#/paths/~1a~1{b}/get";
        // A mapping item at its first key, its entries at their keys.
        assert_eq!(root.position(&format!("{op}/parameters/0")), (7, 11));
        assert_eq!(root.position(&format!("{op}/parameters/0/in")), (8, 11));
        assert_eq!(root.position(&format!("{op}/parameters/1")), (9, 12));
        assert_eq!(root.position(&format!("{op}/parameters/1/in")), (9, 21));
        assert_eq!(root.position(&format!("{op}/parameters/2")), (10, 11));
        assert_eq!(root.position(&format!("{op}/parameters/3/1")), (11, 15));
        assert_eq!(root.position(&format!("{op}/tags/1")), (12, 18));
        // Unknown children fall back to the nearest node that exists.
        assert_eq!(root.position(&format!("{op}/nope/1")), (5, 5));
        assert_eq!(root.position(&format!("{op}/parameters/9")), (6, 7));
    }

    #[test]
    fn what_is_below_an_alias_is_located_at_the_alias() {
        let root = tree("a: &x\n  b:\n    c: 1\nd: *x\ne:\n  - *x\n");
        assert_eq!(root.position("#/a/b/c"), (3, 5));
        assert_eq!(root.position("#/d"), (4, 1));
        assert_eq!(root.position("#/d/b/c"), (4, 1));
        assert_eq!(root.position("#/e/0/b"), (6, 5));
        assert_eq!(value(&root, "#/d/b/c"), &Value::Number(Number::PosInt(1)));
    }

    #[test]
    fn duplicate_keys_are_refused_where_their_mapping_is() {
        let e = parse("a: 1\nb:\n  - x: 1\n    y: 2\n    x: 3\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 5));
        assert_eq!(e.message, "b[0]: duplicate entry with key \"x\"");
        let e = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert_eq!(e.message, "duplicate entry with key \"a\"");
        let e = parse("paths:\n  /a:\n    200: x\n    200: y\n").unwrap_err();
        assert_eq!(e.message, "paths./a: duplicate entry with key 200");
        // A number and a string are different keys.
        assert!(parse("200: x\n'200': y\n").is_ok());
    }

    #[test]
    fn an_alias_bomb_is_refused_and_honest_reuse_is_not() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='j' {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
            prev = name;
        }
        let e = parse(&bomb).unwrap_err();
        assert_eq!(e.message, "repetition limit exceeded");
        assert!(e.line > 1, "located at the alias that overflows: {e:?}");
        let honest = "x: &x {a: 1, b: [1, 2, 3]}\ny: *x\nz: [*x, *x, *x]\n";
        assert_eq!(
            value(&tree(honest), "#/z/2/b/1"),
            &Value::Number(Number::PosInt(2))
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&deep(MAX_DEPTH)).is_ok());
        let e = parse(&deep(MAX_DEPTH + 1)).unwrap_err();
        assert_eq!(e.message, "recursion limit exceeded");
        assert_eq!((e.line, e.column), (1, MAX_DEPTH + 1));
    }

    #[test]
    fn scalars_resolve_as_serde_yaml_resolved_them() {
        let root = tree(
            "a: yes\nb: on\nc: ~\nd: true\ne: 0x1F\nf: 012\ng: -7\nh: 1.5\ni: .inf\nj: '3'\nk: 1e3\nl:\nn: 123456789012345678901234567890123456789012\no: !!str 5\np: 0o17\n",
        );
        let s = |v: &str| Value::String(v.to_string());
        let cases = [
            ("a", s("yes")),
            ("b", s("on")),
            ("c", Value::Null),
            ("d", Value::Bool(true)),
            ("e", Value::Number(Number::PosInt(31))),
            ("f", s("012")),
            ("g", Value::Number(Number::NegInt(-7))),
            ("h", Value::Number(Number::Float(1.5))),
            ("i", Value::Number(Number::Float(f64::INFINITY))),
            ("j", s("3")),
            ("k", Value::Number(Number::Float(1000.0))),
            ("l", Value::Null),
            ("n", Value::Number(Number::Float(1.2345678901234568e41))),
            ("o", s("5")),
            ("p", Value::Number(Number::PosInt(15))),
        ];
        for (key, want) in cases {
            assert_eq!(value(&root, &format!("#/{key}")), &want, "{key}");
        }
        // Wider than 64 bits but within 128: kept, as the nearest float.
        assert_eq!(
            value(
                &tree("m: 18446744073709551616\nq: -9223372036854775809\n"),
                "#/m"
            ),
            &Value::Number(Number::Float(18446744073709551616.0))
        );
    }

    #[test]
    fn syntax_errors_and_empty_texts() {
        let e = parse("a: [1, 2\nb: 1\n").unwrap_err();
        assert!(e.line >= 1 && !e.message.is_empty());
        assert_eq!(tree("").value, Value::Null);
        assert_eq!(tree("# only a comment\n").value, Value::Null);
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(
            e.message.contains("more than one document"),
            "{}",
            e.message
        );
    }
}
