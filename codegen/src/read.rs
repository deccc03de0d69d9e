//! Reading a spec file into text: UTF-8 (a byte-order mark is dropped) or UTF-16 (with a
//! byte-order mark, or recognised by its zero bytes as JSON's RFC 4627 did), which YAML 1.2
//! allows too. Anything else is refused with the byte offset, line and column of the first byte
//! that does not decode, instead of "stream did not contain valid UTF-8".

use std::path::Path;

/// The text of the spec at `path`; the error is the message to show, naming the file as
/// `shown` (see [`shown_name`](crate::shown_name)).
pub fn read_spec(path: &Path, shown: &str) -> Result<String, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("error: cannot read {}: {e}\n", path.display()))?;
    decode_spec(&bytes).map_err(|e| e.render(shown, &bytes))
}

/// Why bytes are no text, and where.
#[derive(Debug, PartialEq, Eq)]
pub struct NotText {
    /// Byte offset of the first byte that does not decode.
    pub offset: usize,
    /// What is wrong there.
    pub what: String,
}

impl NotText {
    /// The diagnostic as the CLI prints it, with line and column counted in `bytes`.
    pub fn render(&self, shown: &str, bytes: &[u8]) -> String {
        let before = &bytes[..self.offset.min(bytes.len())];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        // Characters before the bad byte on its line, counting what decodes.
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        format!(
            "error: {}, at byte offset {}\n  --> {shown}:{line}:{column}\n   = help: save the spec as UTF-8 (or UTF-16 with a byte-order mark)\n",
            self.what, self.offset
        )
    }
}

/// `bytes` as text: UTF-8 without its byte-order mark, or UTF-16 (little- or big-endian).
pub fn decode_spec(bytes: &[u8]) -> Result<String, NotText> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, 3);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, 2, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, 2, u16::from_be_bytes);
    }
    // No mark, but ASCII text in UTF-16 has a zero byte beside each character.
    match bytes {
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => utf16(bytes, 0, u16::from_le_bytes),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => utf16(bytes, 0, u16::from_be_bytes),
        _ => utf8(bytes, 0),
    }
}

fn utf8(bytes: &[u8], skipped: usize) -> Result<String, NotText> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            Err(NotText {
                offset: skipped + at,
                what: format!(
                    "the spec is not UTF-8: byte 0x{:02X} does not decode",
                    bytes[at]
                ),
            })
        }
    }
}

fn utf16(bytes: &[u8], skipped: usize, unit: fn([u8; 2]) -> u16) -> Result<String, NotText> {
    if bytes.len() % 2 == 1 {
        return Err(NotText {
            offset: skipped + bytes.len() - 1,
            what: "the spec is UTF-16 but has an odd number of bytes".into(),
        });
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut at = 0;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                at += 2 * c.len_utf16();
                text.push(c);
            }
            Err(e) => {
                return Err(NotText {
                    offset: skipped + at,
                    what: format!(
                        "the spec is UTF-16 but has an unpaired surrogate 0x{:04X}",
                        e.unpaired_surrogate()
                    ),
                })
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        out.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        out
    }

    #[test]
    fn utf8_with_and_without_a_byte_order_mark() {
        assert_eq!(decode_spec(b"a: 1\n").unwrap(), "a: 1\n");
        assert_eq!(decode_spec(b"\xEF\xBB\xBFa: 1\n").unwrap(), "a: 1\n");
    }

    #[test]
    fn utf16_both_orders_with_or_without_a_mark() {
        let text = "openapi: 3.0.3\ninfo: {title: é}\n";
        assert_eq!(decode_spec(&utf16le(text, true)).unwrap(), text);
        assert_eq!(decode_spec(&utf16le(text, false)).unwrap(), text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode_spec(&be).unwrap(), text);
    }

    #[test]
    fn latin1_is_refused_at_its_byte_line_and_column() {
        let bytes = b"openapi: 3.0.3\nx-a: \"caf\xE9\"\n";
        let e = decode_spec(bytes).unwrap_err();
        assert_eq!(e.offset, 24);
        let shown = e.render("my/spec.yaml", bytes);
        assert!(
            shown.contains("byte 0xE9 does not decode, at byte offset 24"),
            "{shown}"
        );
        assert!(shown.contains("--> my/spec.yaml:2:10"), "{shown}");
    }

    #[test]
    fn broken_utf16_is_refused_located() {
        let mut bytes = utf16le("a: 1\n", true);
        bytes.extend([0x00, 0xD8, b'b', 0]); // a lone high surrogate, then `b`
        let e = decode_spec(&bytes).unwrap_err();
        assert_eq!(e.offset, 12);
        assert!(e.what.contains("unpaired surrogate 0xD800"), "{}", e.what);
        let odd = [0xFF, 0xFE, b'a', 0, b'b'];
        assert!(decode_spec(&odd).unwrap_err().what.contains("odd number"));
    }
}
