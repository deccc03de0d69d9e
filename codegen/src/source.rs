//! The spec's text and where each of its nodes is written.
//!
//! The loader parses the text once into a tree of values that carry their positions
//! (`load/yaml.rs`) and leaves the tree here; a JSON pointer is located by walking it.

use std::sync::{Mutex, OnceLock};

use crate::diag::{render_snippet_from, snippet_start, Diagnostic, Severity};
use crate::load::yaml::{self, Node};

/// A loaded spec file: its name, its text, and where each node is.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    /// The parsed text, kept by the loader; parsed on first use for a file that was not loaded
    /// (`None`: not YAML; the loader reports that with its own position).
    tree: OnceLock<Option<Node>>,
    /// Who wrote the spec, which decides what is refused and what is renamed with a warning.
    origin: SpecOrigin,
    /// Warnings found so far (loading and lowering), in the order found.
    warnings: Mutex<Vec<Diagnostic>>,
    /// The byte offset where each line starts, made on the first diagnostic's snippet.
    line_starts: OnceLock<Vec<usize>>,
}

/// Who wrote a spec, which decides how the generator treats what it cannot take as written.
///
/// (Not to be confused with `check-corpus --strict`, which decides whether a refused spec fails
/// the run.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpecOrigin {
    /// One of our own specs (specs/): a name collision, a security requirement naming no scheme
    /// or a number out of range is an error, since it is a typo to fix.
    #[default]
    Own,
    /// A spec written by others (a vendor's published spec, a user's spec, the corpus):
    /// collisions are renamed deterministically and defects that do not stop a client become
    /// located warnings.
    Published,
}

impl SourceFile {
    /// Keeps `text`; it is parsed by the loader, or when a position is first asked for.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            tree: OnceLock::new(),
            origin: SpecOrigin::Own,
            warnings: Mutex::new(Vec::new()),
            line_starts: OnceLock::new(),
        }
    }

    /// The same file, read as written by `origin`.
    pub fn with_origin(mut self, origin: SpecOrigin) -> Self {
        self.origin = origin;
        self
    }

    /// Who wrote the spec.
    pub fn origin(&self) -> SpecOrigin {
        self.origin
    }

    /// Records a warning (its severity is set to [`Severity::Warning`]).
    pub fn warn(&self, d: Diagnostic) {
        self.warnings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(d.into_warning());
    }

    /// The warnings recorded so far, in order.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.warnings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Keeps the loader's parse of the text (the first one, if it is loaded twice) and lends it.
    pub(crate) fn keep(&self, tree: Node) -> &Node {
        let kept = self.tree.get_or_init(|| Some(tree));
        match kept {
            Some(node) => node,
            // Unreachable in practice: the text parsed once, so it parses every time.
            None => &NULL,
        }
    }

    /// The parsed text, if it is YAML.
    pub(crate) fn tree(&self) -> Option<&Node> {
        self.tree
            .get_or_init(|| yaml::parse(&self.text).ok())
            .as_ref()
    }

    /// The file name given to the generator.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Line and column (1-based) of the node at `pointer`, or of its nearest located ancestor.
    pub fn position(&self, pointer: &str) -> (usize, usize) {
        self.tree().map_or((1, 1), |t| t.position(pointer))
    }

    /// A diagnostic located at `pointer`.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.position(pointer);
        self.error_at(pointer, line, column, message)
    }

    /// The source lines around `line`, with a caret under `column`.
    fn snippet(&self, line: usize, column: usize) -> String {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let first = snippet_start(line);
        let from = starts
            .get(first - 1)
            .copied()
            .unwrap_or(self.text.len())
            .min(self.text.len());
        render_snippet_from(&self.text[from..], first, line, column)
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
            snippet: self.snippet(line, column),
            severity: Severity::Error,
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

static NULL: Node = Node::NULL;

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
