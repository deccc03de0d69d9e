//! `multipart/form-data` request bodies: text, JSON and file parts.

use bytes::{Bytes, BytesMut};

use crate::QueryParam;

/// One file of a `multipart/form-data` body: its content, the file name sent with it, and its
/// content type (`application/octet-stream` unless set).
///
/// The content is a [`bytes::Bytes`]: a `Vec<u8>`, a `String` or a `&'static [u8]` becomes one
/// without copying (`FilePart::new(vec)`), and the same content can be sent again (a retried
/// call) without copying either. The body is assembled in memory before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    /// The file name sent in the part's `Content-Disposition` (`filename="..."`); none when
    /// `None`.
    pub file_name: Option<String>,
    /// The part's `Content-Type`; `application/octet-stream` when `None`.
    pub content_type: Option<String>,
    /// The file content.
    pub bytes: Bytes,
}

impl FilePart {
    /// A file part with this content, no file name and no content type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            file_name: None,
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the file name sent with the part.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's content type (e.g. `image/png`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// A value sent as a `multipart/form-data` body: generated multipart body structs implement it
/// by adding each field as a part. The `#[endpoint]` attribute sends one with
/// `body(multipart) = name`.
pub trait MultipartBody {
    /// Adds the parts, in order.
    fn parts(&self, form: &mut Multipart);
}

impl<T: MultipartBody + ?Sized> MultipartBody for &T {
    fn parts(&self, form: &mut Multipart) {
        (**self).parts(form);
    }
}

struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Bytes,
}

/// The parts of a `multipart/form-data` body being assembled (see [`MultipartBody`]).
#[derive(Default)]
pub struct Multipart {
    parts: Vec<Part>,
    problem: Option<String>,
}

impl std::fmt::Debug for Multipart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.parts.iter().map(|p| p.name.as_str()).collect();
        f.debug_struct("Multipart").field("parts", &names).finish()
    }
}

impl Multipart {
    /// Adds text parts as a query parameter would be sent: one part for a scalar, none for
    /// `None`, one part per item (all with the same name) for a list.
    pub fn text(&mut self, name: &str, value: &(impl QueryParam + ?Sized)) {
        let mut pairs = Vec::new();
        value.append_to(name, &mut pairs);
        for (name, text) in pairs {
            self.parts.push(Part {
                name,
                file_name: None,
                content_type: None,
                bytes: Bytes::from(text),
            });
        }
    }

    /// Adds a part holding the JSON text of `value`, with `Content-Type: application/json`
    /// (OpenAPI's default for object properties). `None` adds nothing.
    pub fn json(&mut self, name: &str, value: &(impl serde::Serialize + ?Sized)) {
        match serde_json::to_vec(value) {
            Ok(bytes) if bytes == b"null" => {}
            Ok(bytes) => self.parts.push(Part {
                name: name.to_owned(),
                file_name: None,
                content_type: Some("application/json".to_owned()),
                bytes: Bytes::from(bytes),
            }),
            Err(e) => {
                self.problem
                    .get_or_insert_with(|| format!("could not serialize part `{name}`: {e}"));
            }
        }
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, file: &FilePart) {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: file.file_name.clone(),
            content_type: Some(
                file.content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
            ),
            bytes: file.bytes.clone(),
        });
    }

    /// Adds one file part per file, all with the same name (an array of files).
    pub fn files(&mut self, name: &str, files: &[FilePart]) {
        for file in files {
            self.file(name, file);
        }
    }

    /// The body and its `Content-Type` (with the boundary), or why it cannot be sent.
    pub(crate) fn encode(self) -> Result<(Bytes, String), String> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        for part in &self.parts {
            let bad = |s: &str| s.contains(['\r', '\n']);
            if bad(&part.name) || part.file_name.as_deref().is_some_and(bad) {
                return Err(format!(
                    "multipart part `{}` has a line break in its name or file name",
                    part.name.escape_debug()
                ));
            }
            if let Some(ct) = &part.content_type {
                if reqwest::header::HeaderValue::from_str(ct).is_err() {
                    return Err(format!(
                        "multipart part `{}` has a content type not allowed in a header",
                        part.name
                    ));
                }
            }
        }
        // A boundary that occurs in no part.
        let boundary = loop {
            let candidate = format!(
                "vendor-clients-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            );
            let needle = candidate.as_bytes();
            if !self
                .parts
                .iter()
                .any(|p| p.bytes.windows(needle.len()).any(|w| w == needle))
            {
                break candidate;
            }
        };
        let quoted = |s: &str| s.replace('"', "%22");
        let mut body = BytesMut::new();
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quoted(&part.name)
            );
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n");
            if let Some(ct) = &part.content_type {
                body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Ok((
            body.freeze(),
            format!("multipart/form-data; boundary={boundary}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_by_a_boundary_and_files_carry_name_and_type() {
        let mut form = Multipart::default();
        form.text("title", "a \"b\"");
        form.text("tags", &vec!["x", "y"]);
        form.text("none", &None::<String>);
        form.json("meta", &serde_json::json!({"k": 1}));
        form.file(
            "file",
            &FilePart::new(b"\x00\x01".to_vec())
                .file_name("a\".png")
                .content_type("image/png"),
        );
        let (body, ct) = form.encode().expect("encodable");
        let boundary = ct
            .strip_prefix("multipart/form-data; boundary=")
            .expect("boundary");
        let text = String::from_utf8_lossy(&body).replace(boundary, "B");
        assert_eq!(
            text,
            "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\na \"b\"\r\n\
             --B\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nx\r\n\
             --B\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\ny\r\n\
             --B\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"k\":1}\r\n\
             --B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22.png\"\r\nContent-Type: image/png\r\n\r\n\u{0}\u{1}\r\n\
             --B--\r\n"
        );
    }

    #[test]
    fn line_breaks_in_names_are_refused() {
        let mut form = Multipart::default();
        form.file("f", &FilePart::new("x").file_name("a\r\nX-Evil: 1"));
        assert!(form.encode().is_err());
    }
}
