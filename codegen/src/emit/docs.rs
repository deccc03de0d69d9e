//! Doc text from the spec to `#[doc]` attributes (or placeholders for them, see [`super::format`]).
//!
//! Text from a spec is never code. A description is Markdown, and rustdoc runs every Rust code
//! block of a doc comment as a test: an untagged fence, a `rust` one, or an indented block. The
//! generated module lives in the user's library crate, so such a block in a vendor description
//! would be compiled and run by their `cargo test`. [`doc_text`] therefore makes every code block
//! a `text` block, and turns the characters rustc refuses or warns about in a comment (a bare
//! carriage return, the other control characters, bidirectional overrides) into visible escapes.

use std::borrow::Cow;
use std::ops::Range;

use proc_macro2::TokenStream;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use quote::quote;

use super::format::doc_placeholder;
use crate::diag::is_unsafe_char;

/// `#[doc]` attributes for `text` (made safe by [`doc_text`]), one per line, a line that is not
/// empty with a leading space so it prints as `/// line`; nothing for `None`. While a piece is
/// built (see [`with_doc_placeholders`](super::format::with_doc_placeholders)) they are one
/// placeholder for the lot.
pub(super) fn docs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let text = doc_text(text);
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    if let Some(marker) = doc_placeholder(lines.clone()) {
        return quote! { #[doc = #marker] };
    }
    quote! { #( #[doc = #lines] )* }
}

/// Spec text as the Markdown of a doc comment: trimmed, trailing spaces of each line removed,
/// control and bidirectional-override characters escaped (see [`escape_controls`]), and every
/// code block a `text` block (see [`neutralise_code_blocks`]).
pub(crate) fn doc_text(text: &str) -> String {
    let text = escape_controls(text);
    let trimmed: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
    neutralise_code_blocks(&trimmed.join("\n")).into_owned()
}

/// `text` onto `out`, each unsafe character (see [`is_unsafe_char`]) as its escape, `\u{1b}`.
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
}

/// `text` with a carriage return (alone or before a line feed) as a line break, as Markdown reads
/// it, and each other unsafe character (see [`is_unsafe_char`]) written as its escape, e.g.
/// `\u{1b}`, so the reader sees that it was there.
fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 16);
    push_escaped(&mut out, &text);
    Cow::Owned(out)
}

/// `code` with every unsafe character (see [`is_unsafe_char`]) on a comment line escaped: the
/// last guard for spec text that reaches a comment without going through [`doc_text`] (a
/// title or a media type in a generated sentence, the file name in the header). Elsewhere the
/// emitter writes spec text only as string literals, which escape it.
pub(super) fn escape_in_comments(code: String) -> String {
    if !code.chars().any(|c| c != '\n' && is_unsafe_char(c)) {
        return code;
    }
    let mut out = String::with_capacity(code.len() + 64);
    for line in code.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if body.trim_start().starts_with("//") {
            push_escaped(&mut out, body);
        } else {
            out.push_str(body);
        }
        out.push_str(end);
    }
    out
}

/// The Markdown options rustdoc parses doc comments with (those that change what a block is).
fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// The code blocks of `text` that rustdoc could run: all but fences tagged exactly `text`.
fn runnable_blocks(text: &str) -> Vec<(Range<usize>, bool)> {
    Parser::new_ext(text, markdown_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "text" => None,
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => Some((range, true)),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some((range, false)),
            _ => None,
        })
        .collect()
}

/// `text` with every code block a `text` block, so that no doc comment made from a spec is a
/// doctest. A fence keeps its place and content and gets `text` as its info string. An indented
/// block at the top level becomes a `text` fence around the same lines. Anything else (an
/// indented block inside a list or quote, a fence the rewriting did not reach) makes the whole
/// text one `text` block: it then reads as plain text, but runs nothing. The result is checked
/// by parsing it again.
fn neutralise_code_blocks(text: &str) -> Cow<'_, str> {
    let blocks = runnable_blocks(text);
    if blocks.is_empty() {
        return Cow::Borrowed(text);
    }
    let rewritten = rewrite_blocks(text, &blocks);
    if let Some(out) = rewritten.filter(|out| runnable_blocks(out).is_empty()) {
        return Cow::Owned(out);
    }
    Cow::Owned(one_text_block(text))
}

/// The rewriting of [`neutralise_code_blocks`], or `None` where a block is not one it handles.
fn rewrite_blocks(text: &str, blocks: &[(Range<usize>, bool)]) -> Option<String> {
    let mut out = text.to_string();
    // From the end, so the earlier ranges stay valid.
    for (range, fenced) in blocks.iter().rev() {
        if *fenced {
            let info = fence_info(text, range.start)?;
            out.replace_range(info, "text");
        } else {
            let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
            if !text[line_start..range.start].trim().is_empty() {
                return None;
            }
            let end = if text[..range.end].ends_with('\n') {
                range.end - 1
            } else {
                text[range.end..]
                    .find('\n')
                    .map_or(text.len(), |i| range.end + i)
            };
            let body = &text[line_start..end];
            let mut lines: Vec<&str> = body
                .lines()
                .map(|l| {
                    if l.trim().is_empty() {
                        Some("")
                    } else {
                        l.strip_prefix("    ").or_else(|| l.strip_prefix('\t'))
                    }
                })
                .collect::<Option<_>>()?;
            // Blank lines the block ends with stay after it.
            let mut after = String::new();
            while lines.last() == Some(&"") {
                lines.pop();
                after.push('\n');
            }
            let fence = fence_for(body);
            let block = format!("{fence}text\n{}\n{fence}{after}", lines.join("\n"));
            out.replace_range(line_start..end, &block);
        }
    }
    Some(out)
}

/// The range of the info string of the fence that opens at `start` (after the block's container
/// markers), or `None` if no fence opens there.
fn fence_info(text: &str, start: usize) -> Option<Range<usize>> {
    let line = &text[start..];
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let mark = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = rest.len() - rest.trim_start_matches(mark).len();
    if run < 3 {
        return None;
    }
    let info_start = start + indent + run;
    let info_end = text[info_start..]
        .find('\n')
        .map_or(text.len(), |i| info_start + i);
    Some(info_start..info_end)
}

/// A backtick fence longer than any run of backticks in `body`, so nothing in it can close it.
fn fence_for(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// All of `text` as one `text` block.
fn one_text_block(text: &str) -> String {
    let fence = fence_for(text);
    format!("{fence}text\n{text}\n{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What rustdoc would run: every code block of `doc` that is not a `text` fence.
    fn runnable(doc: &str) -> usize {
        runnable_blocks(doc).len()
    }

    #[test]
    fn untagged_rust_and_tilde_fences_become_text_in_place() {
        let text = "Example:\n\n```\nlet x = 1;\n```\n\n~~~rust,no_run\nfoo();\n~~~\n\n```json\n{\"a\": 1}\n```";
        let out = doc_text(text);
        assert_eq!(
            out,
            "Example:\n\n```text\nlet x = 1;\n```\n\n~~~text\nfoo();\n~~~\n\n```text\n{\"a\": 1}\n```"
        );
        assert_eq!(runnable(text), 3);
        assert_eq!(runnable(&out), 0);
    }

    #[test]
    fn an_indented_block_becomes_a_text_fence() {
        let text = "Call it so:\n\n    std::process::exit(1);\n    more();\n\nDone.";
        let out = doc_text(text);
        assert_eq!(
            out,
            "Call it so:\n\n```text\nstd::process::exit(1);\nmore();\n```\n\nDone."
        );
    }

    #[test]
    fn fences_in_quotes_and_lists_are_text_too() {
        for text in [
            "> quoted\n> ```\n> std::process::exit(1);\n> ```",
            "- item\n  ```\n  std::process::exit(1);\n  ```",
            "1. item\n\n        std::process::exit(1);\n",
            "> \n>     std::process::exit(1);\n",
        ] {
            assert!(runnable(text) > 0, "{text}");
            let out = doc_text(text);
            assert_eq!(runnable(&out), 0, "{text}\n--->\n{out}");
            assert!(out.contains("std::process::exit(1);"), "{out}");
        }
    }

    #[test]
    fn a_fence_cannot_be_closed_early_by_the_text_it_wraps() {
        let text = "> ````\n> ```\n> x\n\n    ```\n    std::process::exit(1);";
        let out = doc_text(text);
        assert_eq!(runnable(&out), 0, "{out}");
    }

    #[test]
    fn text_without_code_is_unchanged() {
        let text = "Plain *text*, `inline code`, and a list:\n\n- a\n- b";
        assert_eq!(doc_text(text), text);
    }

    #[test]
    fn control_and_bidi_characters_are_escaped_and_bare_cr_is_a_line_break() {
        let text = "bell \u{7} esc \u{1b}[31m nul \u{0} bs \u{8}\rnext \u{202E}rev\u{202C} \u{2066}i\u{2069}\r\nlast\ttab";
        let out = doc_text(text);
        assert_eq!(
            out,
            "bell \\u{7} esc \\u{1b}[31m nul \\u{0} bs \\u{8}\nnext \\u{202e}rev\\u{202c} \\u{2066}i\\u{2069}\nlast\ttab"
        );
        assert!(!out.chars().any(is_unsafe_char));
    }
}
