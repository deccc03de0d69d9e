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
        writeln!(f, "{}: {}", self.severity.label(), self.message)?;
        writeln!(f, "  --> {}:{}:{}", self.file, self.line, self.column)?;
        writeln!(f, "   = at {}", self.pointer)?;
        f.write_str(&self.snippet)?;
        if let Some(help) = &self.help {
            writeln!(f, "   = help: {help}")?;
        }
        Ok(())
    }
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
pub(crate) fn render_snippet(text: &str, line: usize, column: usize) -> String {
    if line == 0 {
        return String::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let first = line.saturating_sub(2).max(1);
    let last = (line + 2).min(lines.len());
    let width = last.to_string().len().max(2);
    let mut out = String::new();
    for n in first..=last {
        let Some(content) = lines.get(n - 1) else {
            break;
        };
        out.push_str(&format!("{n:>width$} | {content}\n"));
        if n == line {
            let pad = " ".repeat(column.saturating_sub(1));
            out.push_str(&format!("{:>width$} | {pad}^\n", ""));
        }
    }
    out
}
