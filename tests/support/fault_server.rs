//! A scripted HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose: it delays, resets the
//! connection mid-body, sends truncated or oversized bodies, lies about `Content-Length`, and
//! records every request it reads (raw request target, headers, body).
//!
//! Raw TCP rather than a mock-server crate, because a reset in the middle of a body needs control
//! of the socket. Every response closes its connection, so each attempt of a client is one
//! connection.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// A complete response with a correct `Content-Length`.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Waits, then does the inner fault.
    Delay(Duration, Box<Fault>),
    /// Declares `declared` bytes, sends `sent`, then resets the connection (RST).
    ResetMidBody { declared: usize, sent: Vec<u8> },
    /// A chunked body of `total` bytes, [`chunked_byte`] at each position, in 64 KiB chunks.
    Chunked {
        status: u16,
        content_type: &'static str,
        total: usize,
    },
    /// Declares `declared` bytes in `Content-Length` but sends `body`, then closes.
    LyingLength { declared: usize, body: Vec<u8> },
    /// Reads the request and closes the connection without a byte of answer, as a server does
    /// with a kept-alive connection it closes just as the client reuses it.
    CloseWithoutAnswer,
}

impl Fault {
    /// A status with a JSON body.
    pub fn json(status: u16, body: &str) -> Fault {
        Fault::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A status with a body of the given content type.
    pub fn typed(status: u16, content_type: &str, body: &str) -> Fault {
        Fault::Respond {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A status with an empty body.
    pub fn status(status: u16) -> Fault {
        Fault::Respond {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a response header (to [`Fault::Respond`] only).
    pub fn header(mut self, name: &str, value: &str) -> Fault {
        if let Fault::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// This fault after a delay.
    pub fn after(self, delay: Duration) -> Fault {
        Fault::Delay(delay, Box::new(self))
    }
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target exactly as sent (path and query, still percent-encoded).
    pub target: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of a header (name case-insensitive), lossy UTF-8.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }
}

struct State {
    script: VecDeque<Fault>,
    then: Fault,
    requests: Vec<Recorded>,
}

/// The running server. It stops with the test's runtime.
pub struct FaultServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl FaultServer {
    /// Starts a server that answers with `script` in order, then with `then` for every further
    /// request.
    pub async fn start(script: Vec<Fault>, then: Fault) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State {
            script: script.into(),
            then,
            requests: Vec::new(),
        }));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        FaultServer { addr, state }
    }

    /// A server that always does `fault`.
    pub async fn always(fault: Fault) -> FaultServer {
        FaultServer::start(Vec::new(), fault).await
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request read so far.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state).requests.clone()
    }

    /// How many requests were read so far.
    pub fn count(&self) -> usize {
        lock(&self.state).requests.len()
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reads one request; `None` if the client closed or sent garbage.
async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        if let httparse::Status::Complete(head_len) = req.parse(&buf).ok()? {
            let recorded_headers: Vec<(String, Vec<u8>)> = req
                .headers
                .iter()
                .map(|h| (h.name.to_owned(), h.value.to_vec()))
                .collect();
            let content_length = recorded_headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| std::str::from_utf8(v).ok()?.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let method = req.method?.to_owned();
            let target = req.path?.to_owned();
            let mut body = buf[head_len..].to_vec();
            while body.len() < content_length {
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                body.extend_from_slice(&chunk[..n]);
            }
            return Some(Recorded {
                method,
                target,
                headers: recorded_headers,
                body,
            });
        }
    }
}

/// The byte at `position` of a [`Fault::Chunked`] body: letters that repeat every 251 bytes, a
/// length prime to the chunk size, so that a chunk lost, repeated or out of order shows.
pub fn chunked_byte(position: usize) -> u8 {
    b'a' + (position % 251 % 26) as u8
}

fn head(status: u16, headers: &[(String, String)], length: Option<usize>) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} Status\r\nConnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    match length {
        Some(len) => text.push_str(&format!("Content-Length: {len}\r\n")),
        None => text.push_str("Transfer-Encoding: chunked\r\n"),
    }
    text.push_str("\r\n");
    text.into_bytes()
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let fault = {
        let mut s = lock(&state);
        s.requests.push(request);
        let next = s.script.pop_front();
        next.unwrap_or_else(|| s.then.clone())
    };
    // Write errors mean the client went away (for example after a timeout): nothing to do.
    let _ = perform(&mut stream, fault).await;
}

async fn perform(stream: &mut TcpStream, mut fault: Fault) -> std::io::Result<()> {
    while let Fault::Delay(delay, inner) = fault {
        tokio::time::sleep(delay).await;
        fault = *inner;
    }
    match fault {
        Fault::Respond {
            status,
            headers,
            body,
        } => {
            stream
                .write_all(&head(status, &headers, Some(body.len())))
                .await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        }
        Fault::ResetMidBody { declared, sent } => {
            let headers = [("Content-Type".to_owned(), "application/json".to_owned())];
            stream
                .write_all(&head(200, &headers, Some(declared)))
                .await?;
            stream.write_all(&sent).await?;
            stream.flush().await?;
            // Give the client time to read what was sent, then reset rather than close.
            tokio::time::sleep(Duration::from_millis(20)).await;
            stream.set_zero_linger()?;
            Ok(())
        }
        Fault::Chunked {
            status,
            content_type,
            total,
        } => {
            let headers = [("Content-Type".to_owned(), content_type.to_owned())];
            stream.write_all(&head(status, &headers, None)).await?;
            let mut sent = 0;
            while sent < total {
                let n = (total - sent).min(64 * 1024);
                let block: Vec<u8> = (sent..sent + n).map(chunked_byte).collect();
                stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                stream.write_all(&block).await?;
                stream.write_all(b"\r\n").await?;
                sent += n;
            }
            stream.write_all(b"0\r\n\r\n").await?;
            stream.shutdown().await
        }
        Fault::LyingLength { declared, body } => {
            let headers = [(
                "Content-Type".to_owned(),
                "application/octet-stream".to_owned(),
            )];
            stream
                .write_all(&head(200, &headers, Some(declared)))
                .await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        }
        Fault::CloseWithoutAnswer => stream.shutdown().await,
        Fault::Delay(..) => Ok(()),
    }
}
