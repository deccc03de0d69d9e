//! The tree built from saphyr-parser's events: where each node is located, duplicate keys,
//! anchors and aliases (under a budget), and the nesting bound.

use saphyr_parser::{Event, Parser, Span, Tag};

use super::scalar::scalar;
use super::{Error, Mapping, Node, Pos, Value};

/// Deeper than this many nested collections is refused (serde_yaml's limit).
pub(super) const MAX_DEPTH: usize = 128;

/// Alias expansion may add at most this many nodes per event of the text: enough for any
/// honest reuse of an example, far too little for a billion laughs.
const ALIAS_BUDGET_PER_EVENT: usize = 100;

/// A collection being read.
enum Frame {
    Seq {
        items: Vec<Node>,
        start: Pos,
        anchor: usize,
        tag: Option<String>,
    },
    Map {
        entries: Mapping,
        /// The first key's position, once seen: a mapping is located there.
        first: Option<Pos>,
        start: Pos,
        anchor: usize,
        tag: Option<String>,
        /// The key whose value comes next, and where it is written.
        key: Option<(Value, Pos)>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    /// Anchored nodes by anchor id, with how many nodes their expansion holds.
    anchors: Vec<Option<(Node, usize)>>,
    /// Nodes added by expanding aliases so far, and the most allowed.
    expanded: usize,
    budget: usize,
}

/// Parses `text` as one YAML document; an empty text (or only comments) is `Null` at 1:1.
pub(crate) fn parse(text: &str) -> Result<Node, Error> {
    let text = json_surrogate_pairs(text);
    let text = text.as_ref();
    let mut builder = Builder {
        stack: Vec::new(),
        root: None,
        anchors: Vec::new(),
        expanded: 0,
        budget: 1000,
    };
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| Error {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
        })?;
        builder.budget = builder.budget.saturating_add(ALIAS_BUDGET_PER_EVENT);
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(at(
                        span,
                        "deserializing from YAML containing more than one document is not supported",
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let value = scalar(value, style, tag.as_deref()).map_err(|m| at(span, m))?;
                builder.node(value, pos(span), anchor)?;
            }
            Event::Alias(id) => builder.alias(id, span)?,
            Event::SequenceStart(anchor, tag) => {
                builder.open(span)?;
                builder.stack.push(Frame::Seq {
                    items: Vec::new(),
                    start: pos(span),
                    anchor,
                    tag: tag.as_deref().map(tag_name),
                });
            }
            Event::MappingStart(anchor, tag) => {
                builder.open(span)?;
                builder.stack.push(Frame::Map {
                    entries: Mapping::new(),
                    first: None,
                    start: pos(span),
                    anchor,
                    tag: tag.as_deref().map(tag_name),
                    key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close()?,
            _ => {}
        }
    }
    Ok(builder.root.unwrap_or(Node::NULL))
}

fn pos(span: Span) -> Pos {
    (span.start.line(), span.start.col() + 1)
}

fn at(span: Span, message: impl Into<String>) -> Error {
    let (line, column) = pos(span);
    Error {
        line,
        column,
        message: message.into(),
    }
}

pub(super) fn tag_name(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

impl Builder {
    /// A collection starts: refused past [`MAX_DEPTH`].
    fn open(&mut self, span: Span) -> Result<(), Error> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(at(span, "recursion limit exceeded"));
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), Error> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (value, own, anchor, tag) = match frame {
            Frame::Seq {
                items,
                start,
                anchor,
                tag,
            } => (Value::Sequence(items), start, anchor, tag),
            Frame::Map {
                entries,
                first,
                start,
                anchor,
                tag,
                ..
            } => (Value::Mapping(entries), first.unwrap_or(start), anchor, tag),
        };
        let value = match tag {
            Some(t) if !t.starts_with("!!") => Value::Tagged(Box::new((
                t,
                Node {
                    value,
                    pos: own,
                    alias: false,
                },
            ))),
            _ => value,
        };
        self.node(value, own, anchor)
    }

    /// An alias: a copy of its anchor's node, within the expansion budget.
    fn alias(&mut self, id: usize, span: Span) -> Result<(), Error> {
        let Some(Some((node, size))) = self.anchors.get(id) else {
            return Err(at(span, "unknown anchor"));
        };
        self.expanded = self.expanded.saturating_add(*size);
        if self.expanded > self.budget {
            return Err(at(span, "repetition limit exceeded"));
        }
        let node = Node {
            value: node.value.clone(),
            pos: pos(span),
            alias: true,
        };
        self.place(node, 0)
    }

    /// A complete node whose own position is `own`.
    fn node(&mut self, value: Value, own: Pos, anchor: usize) -> Result<(), Error> {
        let node = Node {
            value,
            pos: own,
            alias: false,
        };
        self.place(node, anchor)
    }

    fn place(&mut self, mut node: Node, anchor: usize) -> Result<(), Error> {
        if anchor > 0 {
            let size = size(&node.value);
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, None);
            }
            self.anchors[anchor] = Some((node.clone(), size));
        }
        let (at, what) = match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                return Ok(());
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                return Ok(());
            }
            Some(Frame::Map {
                entries,
                first,
                start,
                key,
                ..
            }) => match key.take() {
                None => {
                    first.get_or_insert(node.pos);
                    *key = Some((node.value, node.pos));
                    return Ok(());
                }
                Some((k, key_pos)) => match entries.entry(k) {
                    indexmap::map::Entry::Vacant(entry) => {
                        node.pos = key_pos;
                        entry.insert(node);
                        return Ok(());
                    }
                    indexmap::map::Entry::Occupied(entry) => {
                        (first.unwrap_or(*start), duplicate(entry.key()))
                    }
                },
            },
        };
        let prefix = match self.path() {
            p if p.is_empty() => p,
            p => format!("{p}: "),
        };
        Err(Error {
            line: at.0,
            column: at.1,
            message: format!("{prefix}duplicate entry {what}"),
        })
    }

    /// serde_yaml's path of the innermost open mapping (`paths./a.get.parameters[0]`), for the
    /// duplicate key message.
    fn path(&self) -> String {
        let mut out = String::new();
        let open = self.stack.len().saturating_sub(1);
        for frame in &self.stack[..open] {
            match frame {
                Frame::Seq { items, .. } => out.push_str(&format!("[{}]", items.len())),
                Frame::Map { key, .. } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    match key.as_ref().and_then(|(k, _)| scalar_text(k)) {
                        Some(text) => out.push_str(&text),
                        None => out.push('?'),
                    }
                }
            }
        }
        out
    }
}

/// The text of a scalar key as serde_yaml shows it in a path.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        other => other.token(),
    }
}

fn duplicate(key: &Value) -> String {
    match key {
        Value::Null => "with null key".into(),
        Value::Bool(b) => format!("with key `{b}`"),
        Value::Number(n) => format!("with key {n}"),
        Value::String(s) => format!("with key {s:?}"),
        _ => "in YAML map".into(),
    }
}

/// How many nodes `v` holds, itself included.
fn size(v: &Value) -> usize {
    match v {
        Value::Sequence(s) => 1 + s.iter().map(|n| size(&n.value)).sum::<usize>(),
        Value::Mapping(m) => {
            1 + m
                .iter()
                .map(|(k, n)| size(k) + size(&n.value))
                .sum::<usize>()
        }
        Value::Tagged(t) => 1 + size(&t.1.value),
        _ => 1,
    }
}

/// A JSON document's UTF-16 surrogate pairs (`"\ud83d\udc4d"`, how JSON writes a character
/// outside the Basic Multilingual Plane) as YAML's `\U0001f44d`: JSON allows them, YAML's
/// escapes are code points and the parser refuses a surrogate (Twilio's spec writes its emoji
/// so). Only a document that is JSON (it starts with `{`), where every string is double-quoted,
/// is rewritten; a lone surrogate is left for the parser to refuse. The rewritten escape is two
/// characters shorter, so a position later on that line is two columns off.
fn json_surrogate_pairs(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.trim_start().starts_with('{') || !text.contains("\\u") {
        return std::borrow::Cow::Borrowed(text);
    }
    let unit = |s: &str| -> Option<u16> {
        let hex = s.strip_prefix("\\u")?.get(..4)?;
        u16::from_str_radix(hex, 16).ok()
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let pair = unit(rest)
            .filter(|high| (0xd800..0xdc00).contains(high))
            .zip(rest.get(6..).and_then(unit))
            .filter(|(_, low)| (0xdc00..0xe000).contains(low));
        match pair {
            Some((high, low)) => {
                let c = 0x10000 + ((u32::from(high) - 0xd800) << 10) + (u32::from(low) - 0xdc00);
                out.push_str(&format!("\\U{c:08x}"));
                rest = &rest[12..];
                changed = true;
            }
            // Any other escape, `\\` included, is copied whole: its second character is not
            // the start of another escape.
            None => {
                let len = rest[1..].chars().next().map_or(1, |c| 1 + c.len_utf8());
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
        }
    }
    out.push_str(rest);
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
