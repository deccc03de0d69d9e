//! The loader's fast path: a large spec's YAML parsed in pieces on several threads.
//!
//! Parsing the YAML text is most of loading a large spec, and libyaml reads one document on one
//! thread. A spec is a block mapping whose big entries (`paths`, `components`, `schemas`) are
//! themselves block mappings of many small entries, one per line at a fixed indentation, so the
//! text can be cut before such lines and each piece parsed as a document of its own; the pieces'
//! mappings, put back under their keys in order, are the document's.
//!
//! This path only ever answers for a document that is valid: anything it is not sure of (a line
//! it does not recognise, a piece that fails to parse or is not a mapping, a key seen twice, an
//! alias to an anchor in another piece, a failed deserialization) makes it answer `None`, and the
//! whole document goes through the one-piece path, which gives the same result and the
//! diagnostics. Cutting in the wrong place cannot go unnoticed: a line that looks like a key at
//! the cut's indentation but is not one can only be inside a multi-line quoted scalar or flow
//! collection (plain and block scalars end at a line that is not indented deeper than their
//! key), and the piece before the cut then ends inside that scalar or collection, which libyaml
//! refuses.

use std::sync::Mutex;

use openapiv3::{Components, OpenAPI, Paths};
use serde::Deserialize;
use serde_yaml::{Mapping, Value};

/// Below this size a spec is parsed in one piece: threads cost more than they save.
pub(super) const MIN_LEN: usize = 32 * 1024;

/// At most this many levels are cut below the top (`components` / `schemas`).
const MAX_LEVELS: usize = 2;

/// serde_yaml refuses a document nested deeper than 128; a piece is up to [`MAX_LEVELS`] levels
/// shallower than in the whole document, so a deep piece goes through the whole-document path.
const MAX_PIECE_DEPTH: usize = 120;

/// The document in `text`, parsed and deserialized on up to `threads` threads in pieces of
/// about `piece_len` bytes, or `None` when the whole-document path must answer (see the module
/// documentation). The checks the whole-document path makes on a valid document (version,
/// path keys) are made here too.
pub(super) fn load(text: &str, threads: usize, piece_len: usize) -> Option<OpenAPI> {
    let pieces = cut(text, piece_len.max(1))?;
    if pieces.len() < 2 {
        return None;
    }
    let parsed = crate::parallel_map(&pieces, threads, |piece| match piece {
        Piece::Header { .. } => Some(None),
        Piece::Text { text, .. } => parse_piece(text).map(Some),
    });
    let mut root = Mapping::new();
    for (piece, value) in pieces.iter().zip(parsed) {
        let value = value?;
        match (piece, value) {
            (Piece::Header { path, key }, None) => {
                let parent = mapping_at(&mut root, path)?;
                let key = Value::String((*key).to_string());
                if parent.contains_key(&key) {
                    return None;
                }
                parent.insert(key, Value::Mapping(Mapping::new()));
            }
            (Piece::Text { path, .. }, Some(entries)) => {
                let parent = mapping_at(&mut root, path)?;
                for (k, v) in entries {
                    if parent.contains_key(&k) {
                        return None;
                    }
                    parent.insert(k, v);
                }
            }
            _ => return None,
        }
    }
    match root.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") => {}
        _ => return None,
    }
    if super::bad_path_key(root.get("paths")).is_some() {
        return None;
    }
    deserialize(root, threads)
}

/// `OpenAPI`'s derived deserializer reads `paths` and `components` straight from the `Value`
/// (only unknown keys are buffered, for the flattened extensions), so reading them apart, on two
/// threads, and the rest with an empty `paths` and a null `components`, gives the same document.
fn deserialize(mut root: Mapping, threads: usize) -> Option<OpenAPI> {
    let (Some(Value::Mapping(_)), Some(Value::Mapping(_))) =
        (root.get("paths"), root.get("components"))
    else {
        return OpenAPI::deserialize(&Value::Mapping(root)).ok();
    };
    let paths = root.insert("paths".into(), Value::Mapping(Mapping::new()))?;
    let components = root.insert("components".into(), Value::Null)?;
    // Largest first, so that the rest is what waits. Each job takes its tree, so that the
    // thread that read it also frees it.
    let jobs = [
        (Kind::Components, Mutex::new(Some(components))),
        (Kind::Paths, Mutex::new(Some(paths))),
        (Kind::Rest, Mutex::new(Some(Value::Mapping(root)))),
    ];
    let mut done = crate::parallel_map(&jobs, threads, |(kind, value)| {
        let v = value.lock().ok()?.take()?;
        match kind {
            Kind::Components => Components::deserialize(&v)
                .ok()
                .map(|c| Part::Components(Box::new(c))),
            Kind::Paths => Paths::deserialize(&v).ok().map(Part::Paths),
            Kind::Rest => OpenAPI::deserialize(&v)
                .ok()
                .map(|r| Part::Rest(Box::new(r))),
        }
    })
    .into_iter()
    .flatten();
    let (Some(Part::Components(c)), Some(Part::Paths(p)), Some(Part::Rest(r))) =
        (done.next(), done.next(), done.next())
    else {
        return None;
    };
    Some(OpenAPI {
        paths: p,
        components: Some(*c),
        ..*r
    })
}

enum Kind {
    Components,
    Paths,
    Rest,
}

enum Part {
    Components(Box<Components>),
    Paths(Paths),
    Rest(Box<OpenAPI>),
}

/// The mapping reached from `root` by `path`, each key's value a mapping.
fn mapping_at<'m>(root: &'m mut Mapping, path: &[&str]) -> Option<&'m mut Mapping> {
    let mut at = root;
    for key in path {
        match at.get_mut(*key) {
            Some(Value::Mapping(m)) => at = m,
            _ => return None,
        }
    }
    Some(at)
}

/// One piece of text parsed: its top mapping's entries, with JSON Schema tuple `items` dropped
/// as the whole-document path does.
fn parse_piece(text: &str) -> Option<Mapping> {
    let value: Value = serde_yaml::from_str(text).ok()?;
    let Value::Mapping(mut m) = value else {
        return None;
    };
    // The whole-document path would drop such an entry from the *whole* parent mapping, which
    // reorders it differently from dropping it from this piece's part of it.
    if matches!(m.get("items"), Some(Value::Sequence(_))) {
        return None;
    }
    depth(&m, MAX_PIECE_DEPTH)?;
    let mut value = Value::Mapping(std::mem::take(&mut m));
    super::tuple_items_as_any(&mut value, false);
    match value {
        Value::Mapping(m) => Some(m),
        _ => None,
    }
}

/// `Some` when no node of `m` is nested more than `left` levels deep.
fn depth(m: &Mapping, left: usize) -> Option<()> {
    let left = left.checked_sub(1)?;
    for v in m.values() {
        value_depth(v, left)?;
    }
    Some(())
}

fn value_depth(v: &Value, left: usize) -> Option<()> {
    match v {
        Value::Mapping(m) => depth(m, left),
        Value::Sequence(s) => {
            let left = left.checked_sub(1)?;
            s.iter().try_for_each(|v| value_depth(v, left))
        }
        Value::Tagged(t) => value_depth(&t.value, left.checked_sub(1)?),
        _ => Some(()),
    }
}

/// A piece of the document, in document order.
#[derive(Debug, PartialEq)]
enum Piece<'t> {
    /// `key:` in the mapping at `path`, whose value is the mapping the next pieces fill.
    Header { path: Vec<&'t str>, key: &'t str },
    /// Entries of the mapping at `path`, as text.
    Text { path: Vec<&'t str>, text: &'t str },
}

/// One line of the text: where it starts and ends (without its line break), and what it is.
struct Line<'t> {
    start: usize,
    text: &'t str,
    /// Spaces before the first other character; `None` for a blank or comment line.
    indent: Option<usize>,
}

/// The text cut into pieces of about `piece_len` bytes, or `None` when it is not a plain block
/// mapping this can cut safely.
fn cut(text: &str, piece_len: usize) -> Option<Vec<Piece<'_>>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let body = line.trim_start_matches(' ');
        let indent = if body.is_empty() || body.starts_with('#') {
            None
        } else if body.starts_with('\t') {
            // Tabs are not indentation in YAML: leave them to the whole-document path.
            return None;
        } else {
            Some(line.len() - body.len())
        };
        // Directives and document markers: not a single plain document.
        if indent == Some(0) && (line.starts_with("---") || line.starts_with("...")) {
            return None;
        }
        if indent == Some(0) && line.starts_with('%') {
            return None;
        }
        lines.push(Line {
            start,
            text: line,
            indent,
        });
        start += raw.len();
    }
    let mut cutter = Cutter {
        text,
        lines: &lines,
        piece_len,
        pieces: Vec::new(),
        no_cut: anchored_spans(text),
    };
    cutter.mapping(0, lines.len(), 0, &mut Vec::new())?;
    Some(cutter.pieces)
}

struct Cutter<'t, 'l> {
    text: &'t str,
    lines: &'l [Line<'t>],
    piece_len: usize,
    pieces: Vec<Piece<'t>>,
    /// Byte spans from an anchor to its last alias, sorted and disjoint: not cut inside.
    no_cut: Vec<(usize, usize)>,
}

impl<'t> Cutter<'t, '_> {
    /// Lines `from..to` are the entries of a block mapping whose keys are at `indent`.
    fn mapping(
        &mut self,
        from: usize,
        to: usize,
        indent: usize,
        path: &mut Vec<&'t str>,
    ) -> Option<()> {
        // Entry starts: the keys at `indent`. Every other line is deeper, or blank, or a comment;
        // the first line with content is a key.
        let mut starts = Vec::new();
        for i in from..to {
            let Some(at) = self.lines[i].indent else {
                continue;
            };
            if at < indent {
                return None;
            }
            if at == indent {
                if !is_key_line(&self.lines[i].text[at..]) {
                    if starts.is_empty() {
                        return None;
                    }
                    continue;
                }
                starts.push(i);
            } else if starts.is_empty() {
                return None;
            }
        }
        if starts.is_empty() {
            return None;
        }
        let mut run: Option<usize> = None;
        for (n, &s) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(to);
            let len = self.offset(end) - self.offset(s);
            let header = (len > self.piece_len
                && path.len() < MAX_LEVELS
                && self.can_cut(s)
                && self.can_cut(end))
            .then(|| self.header(s, end, indent))
            .flatten();
            if let Some((key, child, child_indent)) = header {
                if let Some(r) = run.take() {
                    self.text_piece(path, r, s);
                }
                self.pieces.push(Piece::Header {
                    path: path.clone(),
                    key,
                });
                path.push(key);
                self.mapping(child, end, child_indent, path)?;
                path.pop();
                continue;
            }
            let r = *run.get_or_insert(s);
            if self.offset(end) - self.offset(r) >= self.piece_len && self.can_cut(end) {
                self.text_piece(path, r, end);
                run = None;
            }
        }
        if let Some(r) = run {
            self.text_piece(path, r, to);
        }
        Some(())
    }

    /// When the entry at lines `from..to` is `key:` alone on its line (a plain key that is
    /// surely a string) followed by a block mapping: the key, the line of the mapping's first
    /// key, and its indentation.
    fn header(&self, from: usize, to: usize, indent: usize) -> Option<(&'t str, usize, usize)> {
        let line = self.lines[from].text;
        let key = line[indent..].trim_end_matches(' ').strip_suffix(':')?;
        let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let special = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"]
            .iter()
            .any(|w| key.eq_ignore_ascii_case(w));
        if !plain || special {
            return None;
        }
        let child = (from + 1..to).find(|&i| self.lines[i].indent.is_some())?;
        let child_indent = self.lines[child].indent?;
        (child_indent > indent && is_key_line(&self.lines[child].text[child_indent..])).then_some((
            key,
            child,
            child_indent,
        ))
    }

    /// Whether a piece may end before `line`: not between an anchor and an alias to it.
    fn can_cut(&self, line: usize) -> bool {
        let at = self.offset(line);
        let i = self.no_cut.partition_point(|&(_, end)| end < at);
        self.no_cut.get(i).map_or(true, |&(start, _)| at <= start)
    }

    fn offset(&self, line: usize) -> usize {
        self.lines.get(line).map_or(self.text.len(), |l| l.start)
    }

    fn text_piece(&mut self, path: &[&'t str], from: usize, to: usize) {
        self.pieces.push(Piece::Text {
            path: path.to_vec(),
            text: &self.text[self.offset(from)..self.offset(to)],
        });
    }
}

/// Spans of `text` from each `&name` to the last `*name` after it, merged where they overlap.
/// This reads the text without the YAML grammar (an `&` in a URL counts): what it gets wrong
/// only makes pieces larger, or makes a piece fail on its alias and the whole-document path
/// answer; it cannot change a result.
fn anchored_spans(text: &str) -> Vec<(usize, usize)> {
    let mut anchors: std::collections::HashMap<&str, (usize, usize)> = Default::default();
    let name_at = |i: usize| {
        let end = text[i..]
            .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
            .map_or(text.len(), |n| i + n);
        &text[i..end]
    };
    // Anchors before aliases: every `&name` is known before the first `*name` is looked up.
    // (`match_indices` on one ASCII character searches with memchr.)
    for (i, _) in text.match_indices('&') {
        let name = name_at(i + 1);
        if !name.is_empty() {
            anchors.entry(name).or_insert((i, i));
        }
    }
    if !anchors.is_empty() {
        for (i, _) in text.match_indices('*') {
            if let Some(span) = anchors.get_mut(name_at(i + 1)) {
                span.1 = span.1.max(i);
            }
        }
    }
    let mut spans: Vec<(usize, usize)> = anchors.into_values().filter(|s| s.1 > s.0).collect();
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// A line (from its first character) that starts a block mapping entry with a plain key:
/// `key:` then the end of the line or a space. Quoted keys, `? ` keys, sequence items and
/// anything starting with another YAML indicator are not cut at.
fn is_key_line(body: &str) -> bool {
    let Some(c) = body.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(c) {
        return false;
    }
    body.trim_end_matches(' ').ends_with(':') || body.contains(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, piece_len: usize) -> Option<Vec<String>> {
        cut(text, piece_len).map(|p| {
            p.into_iter()
                .map(|p| match p {
                    Piece::Header { path, key } => format!("{}>{key}:", path.join("/")),
                    Piece::Text { path, text } => format!("{}>{text}", path.join("/")),
                })
                .collect()
        })
    }

    #[test]
    fn cuts_before_keys_and_goes_into_big_mappings() {
        let text = "# c\nopenapi: 3.0.3\npaths:\n  # c\n  /a:\n    get: 1\n  /b: 2\ncomponents:\n  schemas:\n    A: {}\n    B:\n      type: string\nx-end: 1\n";
        assert_eq!(
            texts(text, 1).unwrap(),
            [
                ">openapi: 3.0.3\n",
                ">paths:",
                "paths>  /a:\n    get: 1\n",
                "paths>  /b: 2\n",
                ">components:",
                "components>schemas:",
                "components/schemas>    A: {}\n",
                "components/schemas>    B:\n      type: string\n",
                ">x-end: 1\n",
            ]
        );
        assert_eq!(texts(text, 1 << 20).unwrap(), [format!(">{}", &text[4..])]);
    }

    #[test]
    fn leaves_what_it_does_not_know_to_the_whole_document_path() {
        for text in [
            "---\nopenapi: 3.0.3\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n...\nb: 2\n",
            "\ta: 1\n",
            "- a\n- b\n",
            "{a: 1,\nb: 2}\n",
            "a:\n  b: 1\n c: 2\n",
        ] {
            assert_eq!(texts(text, 1), None, "{text:?}");
        }
    }
}
