//! The spec's text and an index from JSON pointers to source positions.
//!
//! serde_yaml gives typed values but no positions for them, so the positions come from a second,
//! event-level pass with yaml-rust2's parser, which reports a marker for every node.

use std::collections::HashMap;
use std::sync::OnceLock;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{render_snippet, Diagnostic};

/// A loaded spec file: its name, its text, and where each node is.
///
/// The position index costs a second parse of the whole text (about a fifth of generating a
/// client), and only diagnostics and diff reports need it, so it is built on first use.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    positions: OnceLock<HashMap<String, (usize, usize)>>,
}

impl SourceFile {
    /// Keeps `text`; it is indexed when a position is first asked for (a syntax error is left
    /// for serde_yaml to report).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            positions: OnceLock::new(),
        }
    }

    fn positions(&self) -> &HashMap<String, (usize, usize)> {
        self.positions.get_or_init(|| {
            let mut index = Indexer::default();
            let mut parser = Parser::new_from_str(&self.text);
            // A syntax error stops indexing; the loader reports it with its own position.
            let _ = parser.load(&mut index, false);
            index.positions
        })
    }

    /// The file name given to the generator.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Line and column (1-based) of the node at `pointer`, or of its nearest indexed ancestor.
    pub fn position(&self, pointer: &str) -> (usize, usize) {
        let positions = self.positions();
        let mut p = pointer;
        loop {
            if let Some(pos) = positions.get(p) {
                return *pos;
            }
            match p.rfind('/') {
                Some(i) if i > 0 => p = &p[..i],
                _ => return positions.get("#").copied().unwrap_or((1, 1)),
            }
        }
    }

    /// A diagnostic located at `pointer`.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.position(pointer);
        self.error_at(pointer, line, column, message)
    }

    /// A diagnostic at an explicit line and column.
    pub fn error_at(
        &self,
        pointer: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: self.name.clone(),
            line,
            column,
            pointer: pointer.to_string(),
            message: message.into(),
            help: None,
            snippet: render_snippet(&self.text, line, column),
        }
    }
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends `token` to `pointer`.
pub fn child(pointer: &str, token: impl AsRef<str>) -> String {
    // Lowering builds a pointer for nearly every node it visits: one allocation each.
    let token = token.as_ref();
    let mut out = String::with_capacity(pointer.len() + 1 + token.len() + 4);
    out.push_str(pointer);
    out.push('/');
    if !token.contains(['~', '/']) {
        out.push_str(token);
        return out;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

enum Frame {
    /// `locate`: a pointer whose position is the mapping's first key (block mappings report
    /// their start at the first `:`, not where the mapping begins).
    Map {
        pointer: String,
        key: Option<String>,
        locate: Option<String>,
    },
    Seq {
        pointer: String,
        next: usize,
    },
}

#[derive(Default)]
struct Indexer {
    stack: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
    /// Position of the key whose value comes next, so a mapping entry points at its key.
    pending_key_pos: Option<(usize, usize)>,
}

impl Indexer {
    /// Pointer of the node that starts now, advancing the parent; `None` if it is a mapping key.
    fn next_node(&mut self, mark: Marker, scalar: Option<&str>) -> Option<String> {
        let pos = (mark.line(), mark.col() + 1);
        match self.stack.last_mut() {
            None => {
                self.positions.insert("#".into(), pos);
                Some("#".into())
            }
            Some(Frame::Seq { pointer, next }) => {
                let p = child(pointer, next.to_string());
                *next += 1;
                self.positions.insert(p.clone(), pos);
                Some(p)
            }
            Some(Frame::Map {
                pointer,
                key,
                locate,
            }) => match key.take() {
                None => {
                    // This node is a key. Only scalar keys are indexed.
                    if let Some(p) = locate.take() {
                        self.positions.insert(p, pos);
                    }
                    *key = Some(scalar.unwrap_or("").to_string());
                    self.pending_key_pos = Some(pos);
                    None
                }
                Some(k) => {
                    let p = child(pointer, &k);
                    let at = self.pending_key_pos.take().unwrap_or(pos);
                    self.positions.insert(p.clone(), at);
                    Some(p)
                }
            },
        }
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => {
                self.next_node(mark, Some(&value));
            }
            Event::Alias(_) => {
                self.next_node(mark, None);
            }
            Event::MappingStart(..) => {
                let parent_is_map = matches!(self.stack.last(), Some(Frame::Map { .. }));
                let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                let p = self.next_node(mark, None);
                let pointer = if is_key {
                    "#/?".to_string()
                } else {
                    p.unwrap_or_default()
                };
                // A mapping that is a sequence item (or the root) is located at its first key.
                let locate = if parent_is_map {
                    None
                } else {
                    Some(pointer.clone())
                };
                self.stack.push(Frame::Map {
                    pointer,
                    key: None,
                    locate,
                });
            }
            Event::SequenceStart(..) => {
                let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                let p = self.next_node(mark, None);
                let pointer = if is_key {
                    "#/?".to_string()
                } else {
                    p.unwrap_or_default()
                };
                self.stack.push(Frame::Seq { pointer, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_point_at_keys_and_items() {
        let src = SourceFile::new(
            "t.yaml",
            "openapi: 3.0.3\npaths:\n  /a/{b}:\n    get:\n      parameters:\n        - name: b\n          in: path\n",
        );
        assert_eq!(src.position("#/openapi"), (1, 1));
        assert_eq!(src.position("#/paths/~1a~1{b}"), (3, 3));
        assert_eq!(src.position("#/paths/~1a~1{b}/get/parameters/0"), (6, 11));
        assert_eq!(
            src.position("#/paths/~1a~1{b}/get/parameters/0/in"),
            (7, 11)
        );
        // Unknown child falls back to its nearest ancestor.
        assert_eq!(src.position("#/paths/~1a~1{b}/get/nope/1"), (4, 5));
    }

    #[test]
    fn child_escapes_tokens() {
        assert_eq!(child("#/paths", "/a/{b}"), "#/paths/~1a~1{b}");
        assert_eq!(child("#", "a~b/c"), "#/a~0b~1c");
        assert_eq!(child("#", "plain ✓"), "#/plain ✓");
        assert_eq!(child("#", ""), "#/");
        for t in ["/a/{b}", "a~b/c", "~1", "x"] {
            assert_eq!(child("#/p", t), format!("#/p/{}", escape_token(t)));
        }
    }

    #[test]
    fn error_renders_snippet_with_caret() {
        let src = SourceFile::new("t.yaml", "a: 1\nb:\n  c: 2\n");
        let d = src.error("#/b/c", "bad c");
        assert_eq!((d.line, d.column), (3, 3));
        let text = d.to_string();
        assert!(text.contains("t.yaml:3:3"), "{text}");
        assert!(text.contains(" 3 |   c: 2\n   |   ^"), "{text}");
    }
}
