//! Paging memory: streams SaaSquatch users through `list_users_stream` (offset/limit pages of
//! 100 until `totalCount`) from a local server that makes each page on demand, and reports the
//! client process's peak RSS for 10,000 and 100,000 items. The server runs in this process and
//! each client in a fresh child process, so the server's own bookkeeping is not counted and
//! each peak starts from zero. Each child reports its own baseline: the peak after building the
//! client and making a first one-page call, before streaming. Bounded memory means the
//! 100,000-item peak is about the 10,000-item peak, not ten times it.
//!
//! Run with `cargo bench --bench paging_memory` (Linux: reads VmHWM from /proc/self/status).

use std::pin::pin;

use futures_util::StreamExt;
mod common;

use common::example_user;
use serde_json::{json, Value};
use vendor_clients::saasquatch::{Client, ListUsersParams};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PAGE: i32 = 100;
const SIZES: [u64; 2] = [10_000, 100_000];

/// Serves `/users` pages of a virtual list of `total` users, built per request.
struct Pages {
    total: u64,
    user: Value,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let q = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<u64>().ok())
        };
        let offset = q("offset").unwrap_or(0);
        let limit = q("limit").unwrap_or(PAGE as u64);
        let end = (offset + limit).min(self.total);
        let users: Vec<Value> = (offset..end)
            .map(|i| {
                let mut u = self.user.clone();
                u["id"] = json!(format!("user-{i:07}"));
                u
            })
            .collect();
        let count = users.len();
        ResponseTemplate::new(200)
            .set_body_json(json!({"users": users, "count": count, "totalCount": self.total}))
    }
}

/// Peak resident set size of this process, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

fn measure(base_url: String, total: u64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let client = Client::builder()
            .base_url(base_url)
            .credential(
                "apiKey",
                vendor_clients::Credential::Basic {
                    username: String::new(),
                    password: "bench-key".into(),
                },
            )
            .build()
            .expect("client");
        let params = ListUsersParams::new().limit(PAGE);
        let first = client.list_users(&params).await.expect("first page");
        assert_eq!(first.users.len(), PAGE as usize);
        drop(first);
        let baseline = peak_rss_kib();

        let mut items = pin!(client.list_users_stream(&params));
        let mut seen = 0u64;
        while let Some(user) = items.next().await {
            let user = user.expect("page");
            assert_eq!(user.id, format!("user-{seen:07}"));
            seen += 1;
        }
        assert_eq!(seen, total);
        println!("{total} {baseline} {}", peak_rss_kib());
    });
}

/// Serves `total` users and runs a client child process against them; returns its output line.
fn run_child(total: u64) -> String {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Mock::given(method("GET"))
            .and(path("/users"))
            .respond_with(Pages {
                total,
                user: example_user(),
            })
            .mount(&server)
            .await;
        let exe = std::env::current_exe().expect("current exe");
        let uri = server.uri();
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(exe)
                .env("PAGING_MEMORY_ITEMS", total.to_string())
                .env("PAGING_MEMORY_SERVER", uri)
                .output()
                .expect("run child")
        })
        .await
        .expect("join");
        assert!(
            out.status.success(),
            "child for {total} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    })
}

fn main() {
    if let (Ok(n), Ok(server)) = (
        std::env::var("PAGING_MEMORY_ITEMS"),
        std::env::var("PAGING_MEMORY_SERVER"),
    ) {
        measure(server, n.parse().expect("PAGING_MEMORY_ITEMS"));
        return;
    }
    let sizes: Vec<u64> = match std::env::var("PAGING_MEMORY_SIZES") {
        Ok(list) => list
            .split(',')
            .map(|n| n.trim().parse().expect("PAGING_MEMORY_SIZES: numbers"))
            .collect(),
        Err(_) => SIZES.to_vec(),
    };
    println!("paging_memory: list_users_stream, pages of {PAGE}");
    println!(
        "{:>8}  {:>14}  {:>14}  {:>10}",
        "items", "baseline KiB", "peak KiB", "peak/base"
    );
    for n in sizes {
        let line = run_child(n);
        let f: Vec<u64> = line
            .split_whitespace()
            .map(|x| x.parse().expect("number"))
            .collect();
        println!(
            "{:>8}  {:>14}  {:>14}  {:>10.2}",
            f[0],
            f[1],
            f[2],
            f[2] as f64 / f[1] as f64
        );
    }
}
