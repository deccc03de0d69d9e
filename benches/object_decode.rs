//! Reading and writing with the generated code's own derives (`vendor_clients::Object`,
//! `#[string_enum]`) against serde's derives for the same shapes, paired: 10,000 objects of a
//! shape like the vendors' (a dozen fields: strings, an optional string left out half the time,
//! numbers, a boolean, a string enum, a nested object, a list of nested objects, a renamed and an
//! absent field), decoded from and encoded to the same JSON, alternating in rounds so that both
//! see the same machine load. The generated types stopped using serde's derives to compile
//! faster (issue 21); this shows what that costs per call, if anything.
//!
//! Run with `cargo bench --bench object_decode` (optionally `-- ROUNDS`, default 60).

use std::hint::black_box;
use std::time::Instant;

/// The structs of the shape, written once; each module below derives them its own way (the
/// `#[serde]` field attributes are what both derives read).
macro_rules! user_shape {
    ($($derive:path),+) => {
        #[derive(Debug, Clone, PartialEq, $($derive),+)]
        pub struct Link {
            pub rel: String,
            pub href: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub title: Option<String>,
        }

        #[derive(Debug, Clone, PartialEq, $($derive),+)]
        pub struct User {
            pub id: String,
            #[serde(rename = "accountId")]
            pub account_id: String,
            #[serde(rename = "firstName", default, skip_serializing_if = "Option::is_none")]
            pub first_name: Option<String>,
            #[serde(rename = "lastName", default, skip_serializing_if = "Option::is_none")]
            pub last_name: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub email: Option<String>,
            pub status: Status,
            #[serde(rename = "referralCount")]
            pub referral_count: i64,
            pub balance: f64,
            pub verified: bool,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub locale: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub primary: Option<Link>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub links: Option<Vec<Link>>,
        }
    };
}

/// The shape with the generated code's derives.
mod ours {
    #[vendor_clients::string_enum]
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub enum Status {
        #[wire("active")]
        Active,
        #[wire("blocked")]
        Blocked,
        #[wire("pending-review")]
        PendingReview,
        Unknown(String),
    }

    user_shape!(vendor_clients::Object);
}

/// The same shape with serde's derives, as the generator wrote it before.
mod serdes {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Status {
        #[serde(rename = "active")]
        Active,
        #[serde(rename = "blocked")]
        Blocked,
        #[serde(rename = "pending-review")]
        PendingReview,
        #[serde(untagged)]
        Unknown(String),
    }

    user_shape!(Serialize, Deserialize);
}

const N: usize = 10_000;

/// 10,000 users as JSON, with an unknown key in each (skipped by both).
fn body() -> Vec<u8> {
    let statuses = ["active", "blocked", "pending-review", "archived"];
    let users: Vec<serde_json::Value> = (0..N)
        .map(|i| {
            let mut u = serde_json::json!({
                "id": format!("u-{i}"),
                "accountId": format!("acc-{}", i / 3),
                "firstName": "Ada",
                "status": statuses[i % statuses.len()],
                "referralCount": i,
                "balance": i as f64 * 0.25,
                "verified": i % 2 == 0,
                "createdAt": "2026-12-04T10:00:00Z",
                "links": [
                    {"rel": "self", "href": format!("https://example.test/u/{i}")},
                    {"rel": "share", "href": "https://example.test/s", "title": "Share"}
                ],
            });
            if i % 2 == 0 {
                u["email"] = format!("user{i}@example.test").into();
                u["primary"] = serde_json::json!({"rel": "home", "href": "https://example.test"});
            }
            u
        })
        .collect();
    serde_json::to_vec(&users).expect("encode")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(60);
    let body = body();
    // The two read the same values and write the same bytes.
    let a: Vec<ours::User> = serde_json::from_slice(&body).expect("ours decode");
    let b: Vec<serdes::User> = serde_json::from_slice(&body).expect("serde decode");
    assert_eq!(a.len(), N);
    assert_eq!(
        serde_json::to_vec(&a).expect("ours encode"),
        serde_json::to_vec(&b).expect("serde encode"),
    );
    assert_eq!(a[3].status, ours::Status::Unknown("archived".into()));

    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        f();
        start.elapsed().as_secs_f64()
    };
    let (mut de_ratio, mut en_ratio) = (Vec::new(), Vec::new());
    let (mut de_ours, mut de_serde, mut en_ours, mut en_serde) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        // Which goes first alternates, so that neither always runs on a warmer cache.
        let pair = |ours: &dyn Fn(), serde: &dyn Fn()| {
            if round % 2 == 0 {
                let o = time(ours);
                (o, time(serde))
            } else {
                let s = time(serde);
                (time(ours), s)
            }
        };
        let (o, s) = pair(
            &|| {
                black_box(
                    serde_json::from_slice::<Vec<ours::User>>(black_box(&body)).expect("decode"),
                );
            },
            &|| {
                black_box(
                    serde_json::from_slice::<Vec<serdes::User>>(black_box(&body)).expect("decode"),
                );
            },
        );
        de_ratio.push(o / s);
        de_ours.push(o);
        de_serde.push(s);
        let (o, s) = pair(
            &|| {
                black_box(serde_json::to_vec(black_box(&a)).expect("encode"));
            },
            &|| {
                black_box(serde_json::to_vec(black_box(&b)).expect("encode"));
            },
        );
        en_ratio.push(o / s);
        en_ours.push(o);
        en_serde.push(s);
    }
    println!(
        "decode {N} users ({} KB), {rounds} rounds: Object {:.2} ms, serde derive {:.2} ms; Object / serde per round: median {:.3}",
        body.len() / 1024,
        median(de_ours) * 1e3,
        median(de_serde) * 1e3,
        median(de_ratio)
    );
    println!(
        "encode {N} users: Object {:.2} ms, serde derive {:.2} ms; Object / serde per round: median {:.3}",
        median(en_ours) * 1e3,
        median(en_serde) * 1e3,
        median(en_ratio)
    );
}
