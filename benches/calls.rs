//! Per-call overhead and decoding throughput of the generated clients, each against a baseline
//! measured in the same run (docs/BENCHMARKS.md):
//!
//! - `call/*`: one generated call (build the request, send, decode) against a local server,
//!   and the same request written by hand with reqwest + serde_json.
//! - `decode_10k_users/*`: a 10,000-user SaaSquatch `listUsers` page through the generated
//!   client, the same by hand, and `serde_json::from_slice` of the same bytes into the same
//!   type (the direct decode, no HTTP).
//!
//! Run with `cargo bench --bench calls`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
mod common;

use common::{example_user, runtime, AccountCalls};
use serde_json::{json, Value};
use vendor_clients::saasquatch;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "bench-key";

/// A `UserList` body of `n` users, each with its own id, account and email.
fn user_list(n: usize) -> Vec<u8> {
    let template = example_user();
    let users: Vec<Value> = (0..n)
        .map(|i| {
            let mut u = template.clone();
            u["id"] = json!(format!("user-{i:06}"));
            u["accountId"] = json!(format!("account-{i:06}"));
            u["email"] = json!(format!("user{i}@example.com"));
            u
        })
        .collect();
    serde_json::to_vec(&json!({"users": users, "count": n, "totalCount": n})).expect("encode")
}

fn call_overhead(c: &mut Criterion) {
    let rt = runtime();
    let calls = rt.block_on(AccountCalls::start());
    let mut group = c.benchmark_group("call");
    group.bench_function("generated_get_account_by_id", |b| {
        b.to_async(&rt).iter(|| calls.generated())
    });
    group.bench_function("hand_written_reqwest_serde_json", |b| {
        b.to_async(&rt).iter(|| calls.hand_written())
    });
    group.finish();
}

fn decode_large_list(c: &mut Criterion) {
    const N: usize = 10_000;
    let rt = runtime();
    let server = rt.block_on(MockServer::start());
    let body = user_list(N);
    rt.block_on(
        Mock::given(method("GET"))
            .and(path("/api/t/bench/users"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
            .mount(&server),
    );
    let base = format!("{}/api/t/bench", server.uri());
    let generated = saasquatch::Client::builder()
        .base_url(&base)
        // SaaSquatch's Basic auth: empty user name, the key as password.
        .credential(
            "apiKey",
            vendor_clients::Credential::Basic {
                username: String::new(),
                password: KEY.into(),
            },
        )
        .build()
        .expect("client");
    let hand = reqwest::Client::new();
    let url = format!("{base}/users");
    let params = saasquatch::ListUsersParams::new();

    let mut group = c.benchmark_group("decode_10k_users");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(30);
    group.bench_function("generated_list_users", |b| {
        b.to_async(&rt).iter(|| async {
            let list = generated.list_users(&params).await.expect("call");
            assert_eq!(list.users.len(), N);
        })
    });
    group.bench_function("hand_written_reqwest_from_slice", |b| {
        b.to_async(&rt).iter(|| async {
            let response = hand
                .get(&url)
                .basic_auth("", Some(KEY))
                .send()
                .await
                .expect("send");
            let bytes = response.bytes().await.expect("body");
            let list: saasquatch::UserList = serde_json::from_slice(&bytes).expect("decode");
            assert_eq!(list.users.len(), N);
        })
    });
    group.bench_function("direct_from_slice_no_http", |b| {
        b.iter(|| {
            let list: saasquatch::UserList = serde_json::from_slice(&body).expect("decode");
            assert_eq!(list.users.len(), N);
        })
    });
    group.finish();
}

criterion_group!(benches, call_overhead, decode_large_list);
criterion_main!(benches);
