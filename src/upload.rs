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
///
/// The body is sent with the media type the operation declares (`application/octet-stream`
/// unless it names another, such as `image/png`). Where it declares several, or a range such as
/// `image/*`, say which one this body is with [`Upload::content_type`].
pub struct Upload {
    pub(crate) inner: Inner,
    /// The `Content-Type` the caller chose, sent instead of the declared one.
    pub(crate) content_type: Option<String>,
}

pub(crate) enum Inner {
    Bytes(Bytes),
    Stream(reqwest::Body),
}

impl Upload {
    /// A body held in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Upload::new(Inner::Bytes(bytes.into()))
    }

    fn new(inner: Inner) -> Self {
        Upload {
            inner,
            content_type: None,
        }
    }

    /// A body read from `stream` as it is sent (e.g. a file read in chunks). A call with it
    /// is not retried: the stream cannot be read twice.
    pub fn stream<S>(stream: S) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        Upload::new(Inner::Stream(reqwest::Body::wrap_stream(stream)))
    }

    /// The same body, sent with the `Content-Type` `media_type` (e.g. `"image/png"`) instead of
    /// the one the operation declares: for an operation that takes several media types, or a
    /// range such as `image/*`. A value that cannot be sent in a header fails the call with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything is sent.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// Whether this body is streamed (and so cannot be resent).
    pub fn is_stream(&self) -> bool {
        matches!(self.inner, Inner::Stream(_))
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The content may be anything (a secret file): its size only.
        match &self.inner {
            Inner::Bytes(b) => write!(f, "Upload::Bytes({} bytes)", b.len())?,
            Inner::Stream(_) => f.write_str("Upload::Stream")?,
        }
        match &self.content_type {
            Some(media_type) => write!(f, " as {media_type:?}"),
            None => Ok(()),
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
