//! Per-call overhead as a ratio measured in pairs (docs/BENCHMARKS.md): the generated dxFeed
//! `get_account_by_id` and the same request written by hand with reqwest + serde_json, against
//! one local server, alternating in rounds so that both see the same machine load. A shared
//! machine moves single timings by ±15% between criterion runs, more than the 5% the target
//! allows; the median of per-round ratios does not move with the load.
//!
//! Run with `cargo bench --bench call_pairs` (optionally `-- ROUNDS`, default 300); the calls run
//! in a runtime task, or with `CALL_PAIRS_FROM=main` from `block_on` on the main thread.

use std::time::{Duration, Instant};

mod common;

use common::{runtime, AccountCalls};
/// Calls of each kind per round.
const PER_ROUND: u32 = 20;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn quartiles(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 4], v[v.len() * 3 / 4])
}

fn main() {
    // `cargo bench` passes `--bench`; a number is the round count.
    let rounds_given: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(300);
    let rounds = rounds_given.max(4);
    let rt = runtime();
    // By default the calls run in a task on the runtime's worker, where an application's
    // calls run and where hyper's connection task runs too. `CALL_PAIRS_FROM=main` runs them in
    // `block_on` on the main thread instead (as criterion's `to_async` does): each request then
    // has to wake the parked worker from another thread, which costs the side that does more
    // between requests an extra wake-up per call.
    let in_task = std::env::var("CALL_PAIRS_FROM").map_or(true, |v| v != "main");
    let measure = async move {
        let calls = AccountCalls::start().await;
        let generated_call = || calls.generated();
        let hand_call = || calls.hand_written();
        // Warm both (connections, allocator, caches).
        for _ in 0..200 {
            generated_call().await;
            hand_call().await;
        }
        // `CALL_PAIRS_ONLY=generated` (or `hand`) makes ROUNDS x PER_ROUND calls of one kind
        // and stops: for instruction counts under callgrind, against the same with 0 rounds.
        if let Ok(only) = std::env::var("CALL_PAIRS_ONLY") {
            let calls = rounds_given * PER_ROUND as usize;
            for _ in 0..calls {
                match only.as_str() {
                    "generated" => generated_call().await,
                    _ => hand_call().await,
                }
            }
            return;
        }
        let mut gen_us = Vec::with_capacity(rounds);
        let mut hand_us = Vec::with_capacity(rounds);
        let mut ratios = Vec::with_capacity(rounds);
        for round in 0..rounds {
            let mut g = Duration::ZERO;
            let mut h = Duration::ZERO;
            // Half a round's calls of each kind, then the other half in the opposite order
            // (generated, hand, hand, generated; the next round starts with hand), so that
            // neither kind always follows the other.
            let order = if round % 2 == 0 {
                [true, false, false, true]
            } else {
                [false, true, true, false]
            };
            for generated in order {
                let started = Instant::now();
                for _ in 0..PER_ROUND / 2 {
                    if generated {
                        generated_call().await;
                    } else {
                        hand_call().await;
                    }
                }
                *(if generated { &mut g } else { &mut h }) += started.elapsed();
            }
            let per_call = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(PER_ROUND);
            gen_us.push(per_call(g));
            hand_us.push(per_call(h));
            ratios.push(g.as_secs_f64() / h.as_secs_f64());
        }
        let (q1, q3) = quartiles(ratios.clone());
        println!(
            "call pairs ({}), {rounds} rounds of {PER_ROUND} calls each: generated {:.1} µs, hand-written {:.1} µs (medians per call); generated / hand-written per round: median {:.3} (quartiles {q1:.3}–{q3:.3})",
            if in_task { "in a runtime task" } else { "from block_on on the main thread" },
            median(gen_us),
            median(hand_us),
            median(ratios),
        );
    };
    if in_task {
        rt.block_on(async { tokio::spawn(measure).await.expect("the measuring task") });
    } else {
        rt.block_on(measure);
    }
}
