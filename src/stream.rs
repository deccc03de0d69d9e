//! [`ByteStream`]: a response body handed over as it arrives (`x-stream: true` downloads).

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::{Error, Response};

type Chunks = Pin<Box<dyn futures_core::Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// A response body read chunk by chunk as the caller polls it, for downloads that can be large
/// (operations whose spec marks the body `x-stream: true`, e.g. CSV exports).
///
/// The body is never held in memory as a whole, so the client's response size limit
/// (`ClientBuilder::max_response_bytes`) does not apply to it; nor does the per-attempt timeout
/// (`ClientBuilder::timeout`), which ends once the status and headers have arrived: wrap the
/// reads in your own timeout if you need one. A failure while reading is an
/// [`Error::Transport`] item; the stream ends after it.
///
/// It implements [`futures_core::Stream`] with items `Result<Bytes, Error<E>>`. `Debug` shows
/// the operation, status and header names, never the body.
pub struct ByteStream<E = serde_json::Value> {
    operation: &'static str,
    status: u16,
    headers: HeaderMap,
    attempts: u32,
    chunks: Option<Chunks>,
    error: PhantomData<fn() -> E>,
}

impl<E> ByteStream<E> {
    pub(crate) fn new(
        operation: &'static str,
        attempts: u32,
        mut response: reqwest::Response,
    ) -> Self {
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        Self {
            operation,
            status,
            headers,
            attempts,
            chunks: Some(Box::pin(response.bytes_stream())),
            error: PhantomData,
        }
    }

    /// Reads the rest of the body into memory, for when you want it whole after all. No size
    /// limit applies: the caller asked for all of it.
    pub async fn collect(mut self) -> Result<Bytes, Error<E>> {
        use futures_core::Stream as _;
        let mut out = bytes::BytesMut::new();
        while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out.freeze())
    }

    /// The id of the operation this answers.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body's media type (see [`crate::media_type`]): `text/csv`, never with parameters.
    pub fn media_type(&self) -> std::borrow::Cow<'_, str> {
        crate::media_type(&self.headers)
    }

    /// Whether the body's media type is matched by `pattern` (see [`crate::media_type_matches`]).
    pub fn has_media_type(&self, pattern: &str) -> bool {
        crate::media_type_matches(&self.media_type(), pattern)
    }

    /// The `Content-Length` the server announced, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(reqwest::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
    }

    /// How many attempts the call took before this response.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &headers)
            .field("finished", &self.chunks.is_none())
            .finish()
    }
}

impl<E> futures_core::Stream for ByteStream<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (the chunk stream is boxed).
        let this = self.get_mut();
        let Some(chunks) = this.chunks.as_mut() else {
            return Poll::Ready(None);
        };
        match chunks.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(bytes))) => Poll::Ready(Some(Ok(bytes))),
            Poll::Ready(Some(Err(e))) => {
                this.chunks = None;
                // Read as a call's attempt would be (no size limit applies to a stream).
                let error = crate::request::AttemptError::from_reqwest(e).into_error(
                    this.operation,
                    0,
                    this.attempts,
                );
                Poll::Ready(Some(Err(error)))
            }
            Poll::Ready(None) => {
                this.chunks = None;
                Poll::Ready(None)
            }
        }
    }
}

/// What [`crate::Request::send_streaming`] got: the body of a streamed status as a
/// [`ByteStream`], any other status read in full.
#[derive(Debug)]
pub enum Streamed<E = serde_json::Value> {
    /// One of the streamed statuses: the body is read as the caller polls it.
    Stream(ByteStream<E>),
    /// Any other status, with its body read (up to the client's limit).
    Full(Response),
}
