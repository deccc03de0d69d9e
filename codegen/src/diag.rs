//! Located diagnostics: every problem found in a spec names its file, line, column, the JSON
//! pointer of the offending node, and shows the source lines around it, as rustc does.

use std::fmt;

/// One problem in a spec, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec's file name as given to the generator (e.g. `specs/dxfeed.yaml`).
    pub file: String,
    /// 1-based line of the offending node (0 when the file is empty).
    pub line: usize,
    /// 1-based column of the offending node.
    pub column: usize,
    /// JSON pointer of the offending node, e.g. `#/paths/~1users/get/parameters/2`.
    pub pointer: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it, when there is something to say.
    pub help: Option<String>,
    /// The source lines around the node, already rendered with line numbers and a caret.
    pub snippet: String,
    /// Whether it stops generation ([`Severity::Error`]) or is reported beside the client
    /// ([`Severity::Warning`]: a spot of a spec read as something other than what it says).
    pub severity: Severity,
}

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// Generation stops.
    #[default]
    Error,
    /// The client is generated; the spot is reported.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as rendered.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl Diagnostic {
    /// Adds a `help:` line telling the user what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same diagnostic as a [`Severity::Warning`].
    pub fn into_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Spec text (names in the message, the pointer, the source lines) reaches a terminal:
        // its control characters are shown, not obeyed (an ESC sequence would restyle or move
        // the cursor, a bare CR overwrite the line).
        let message = visible(&self.message);
        writeln!(f, "{}: {message}", self.severity.label())?;
        writeln!(
            f,
            "  --> {}:{}:{}",
            visible(&self.file),
            self.line,
            self.column
        )?;
        writeln!(f, "   = at {}", visible(&self.pointer))?;
        f.write_str(&self.snippet)?;
        if let Some(help) = &self.help {
            writeln!(f, "   = help: {}", visible(help))?;
        }
        Ok(())
    }
}

/// Whether `c` must not reach a terminal or a Rust comment as it is: the control characters
/// other than tab and line feed (rustc refuses a bare CR in a doc comment; a terminal obeys ESC),
/// and the bidirectional embeddings, overrides and isolates (rustc's
/// `text_direction_codepoint_in_comment`).
pub(crate) fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with each control character (but tab) as its Unicode control picture (`␀`, `␛`, `␍`),
/// and the bidirectional embeddings, overrides and isolates as `�`: one column each, so a caret
/// under a column still points at it.
pub(crate) fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            c if !is_unsafe_char(c) => c,
            '\u{7f}' => '\u{2421}',
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            _ => '\u{fffd}',
        })
        .collect()
}

impl std::error::Error for Diagnostic {}

/// All the problems found in one spec (never empty when returned as an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The problems, in source order of discovery.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl From<Box<Diagnostic>> for Diagnostics {
    fn from(d: Box<Diagnostic>) -> Self {
        Diagnostics(vec![*d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > 1 {
            writeln!(f, "\n{} problems found", self.0.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Renders lines `line-2 ..= line+2` of `text` with a caret under `column`.
#[cfg(test)]
pub(crate) fn render_snippet(text: &str, line: usize, column: usize) -> String {
    render_snippet_from(text, 1, line, column)
}

/// The first line a snippet of `line` shows.
pub(crate) fn snippet_start(line: usize) -> usize {
    line.saturating_sub(2).max(1)
}

/// [`render_snippet`] given the text from the start of line `first` ([`snippet_start`]) on:
/// a diagnostic of a large spec does not read the lines before it (a spec with a thousand
/// warnings read its text a thousand times).
pub(crate) fn render_snippet_from(text: &str, first: usize, line: usize, column: usize) -> String {
    if line == 0 {
        return String::new();
    }
    let lines: Vec<&str> = text.lines().take(line + 3 - first).collect();
    let last = (line + 2).min(first + lines.len() - 1);
    let width = last.to_string().len().max(2);
    let mut out = String::new();
    for n in first..=last {
        let Some(content) = lines.get(n - first) else {
            break;
        };
        // A long line (a one-line JSON spec) is shown around the column only.
        let anchor = if n == line {
            column.saturating_sub(1)
        } else {
            0
        };
        let (shown, caret_at) = clip(content, anchor);
        out.push_str(&format!("{n:>width$} | {}\n", visible(&shown)));
        if n == line {
            let pad = " ".repeat(caret_at);
            out.push_str(&format!("{:>width$} | {pad}^\n", ""));
        }
    }
    out
}

/// Characters of a source line shown at most, around the column of interest.
const LINE_WINDOW: usize = 160;

/// `line` cut to [`LINE_WINDOW`] characters around character `at` (with `…` where text is left
/// out), and where `at` is in what is shown.
fn clip(line: &str, at: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= LINE_WINDOW {
        return (line.to_string(), at);
    }
    let start = at.saturating_sub(LINE_WINDOW / 2).min(count - LINE_WINDOW);
    let mut shown: String = line.chars().skip(start).take(LINE_WINDOW).collect();
    let mut caret = at - start.min(at);
    if start > 0 {
        shown.insert(0, '…');
        caret += 1;
    }
    if start + LINE_WINDOW < count {
        shown.push('…');
    }
    (shown, caret)
}

#[cfg(test)]
mod render_tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(
            visible("a\u{1b}[31mb\u{0}\r\u{7f}\u{202e}"),
            "a\u{241b}[31mb\u{2400}\u{240d}\u{2421}\u{fffd}"
        );
        assert!(matches!(
            visible("plain\ttext"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_long_line_is_shown_around_the_column_with_the_caret_on_it() {
        let line: String = (0..1000)
            .map(|i| if i == 700 { 'X' } else { 'a' })
            .collect();
        let (shown, caret) = clip(&line, 700);
        assert!(shown.chars().count() <= LINE_WINDOW + 2, "{}", shown.len());
        assert_eq!(shown.chars().nth(caret), Some('X'));
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        let snippet = render_snippet(&line, 1, 701);
        let lines: Vec<&str> = snippet.lines().collect();
        let x = lines[0].chars().position(|c| c == 'X').unwrap();
        let caret = lines[1].chars().position(|c| c == '^').unwrap();
        assert_eq!(x, caret, "{snippet}");
        // Short lines are as they were.
        assert_eq!(clip("short", 2), ("short".to_string(), 2));
    }
}
