//! [`Upload`]: an `application/octet-stream` request body, in memory or streamed.

use std::fmt;

use bytes::Bytes;

/// A binary request body (`application/octet-stream`): bytes held in memory, or a stream of
/// chunks read as they are sent, for uploads too large to hold.
///
/// A generated method takes `impl Into<Upload>`, so `Vec<u8>`, [`Bytes`], `&[u8]` (copied) and
/// `String` can be passed as they are. In memory, the body is sent again on a retry; a stream
/// can be sent only once, so **a call with a streamed body is never retried** (its first
/// failure is returned), and hooks and signers see no body for it.
pub struct Upload(pub(crate) Inner);

pub(crate) enum Inner {
    Bytes(Bytes),
    Stream(reqwest::Body),
}

impl Upload {
    /// A body held in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Upload(Inner::Bytes(bytes.into()))
    }

    /// A body read from `stream` as it is sent (e.g. a file read in chunks). A call with it
    /// is not retried: the stream cannot be read twice.
    pub fn stream<S>(stream: S) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        Upload(Inner::Stream(reqwest::Body::wrap_stream(stream)))
    }

    /// Whether this body is streamed (and so cannot be resent).
    pub fn is_stream(&self) -> bool {
        matches!(self.0, Inner::Stream(_))
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The content may be anything (a secret file): its size only.
        match &self.0 {
            Inner::Bytes(b) => write!(f, "Upload::Bytes({} bytes)", b.len()),
            Inner::Stream(_) => f.write_str("Upload::Stream"),
        }
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::bytes(text)
    }
}

impl From<&[u8]> for Upload {
    fn from(bytes: &[u8]) -> Self {
        Upload::bytes(Bytes::copy_from_slice(bytes))
    }
}

impl<const N: usize> From<&[u8; N]> for Upload {
    fn from(bytes: &[u8; N]) -> Self {
        Upload::bytes(Bytes::copy_from_slice(bytes))
    }
}
