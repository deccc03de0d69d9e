//! Generation time on long `$ref` chains: N component schemas, each an alias of the next
//! (`S0: {$ref: S1}`, ...), or each an object holding the next. Both were quadratic (10,000
//! aliases took 13.8 s) until the recursion checks and the request/response reachability walk
//! used an index and strongly connected components; this bench shows the time per link stays
//! flat from 1,000 to 100,000 links. A bench binary rather than criterion: one run of the
//! largest spec takes seconds, and the question is the ratio between sizes in one run.
//!
//! Run with `cargo bench -p vendor-clients-codegen --bench ref_chains` (optionally followed by
//! `-- <runs>`, default 3; the median is reported). The whole `generate` runs in process:
//! load, lower, emit and format.

use std::time::{Duration, Instant};

/// A spec whose one operation answers `S0`, and `n` schemas chained `S0 -> S1 -> ... -> S(n-1)`.
fn chain(n: usize, objects: bool) -> String {
    let mut out = String::from(
        "openapi: 3.0.3\ninfo: {title: chain, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\ncomponents:\n  schemas:\n",
    );
    for i in 0..n {
        let last = i + 1 == n;
        let line = match (objects, last) {
            (false, false) => format!("    S{i}: {{$ref: '#/components/schemas/S{}'}}\n", i + 1),
            (false, true) => format!("    S{i}: {{type: string}}\n"),
            (true, false) => format!("    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}, v: {{type: string}}}}}}\n", i + 1),
            (true, true) => format!("    S{i}: {{type: object, properties: {{v: {{type: string}}}}}}\n"),
        };
        out.push_str(&line);
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3)
        .max(1);
    println!("| chain | links | spec | generate (median of {runs}) | per link | per link ÷ 1,000-link run |");
    println!("|---|---:|---:|---:|---:|---:|");
    for objects in [false, true] {
        let mut base = None;
        for n in [1_000, 10_000, 100_000] {
            let text = chain(n, objects);
            let times: Vec<Duration> = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    let out = vendor_clients_codegen::generate("chain.yaml", &text, "chain")
                        .unwrap_or_else(|d| panic!("the chain spec generates: {d:?}"));
                    let took = start.elapsed();
                    assert!(out.types >= n, "{} types for {n} links", out.types);
                    took
                })
                .collect();
            let t = median(times);
            let per_link = t.as_secs_f64() / n as f64;
            let base_per_link = *base.get_or_insert(per_link);
            println!(
                "| {} | {n} | {:.1} MB | {:.1} ms | {:.1} µs | {:.2} |",
                if objects { "objects" } else { "aliases" },
                text.len() as f64 / 1e6,
                t.as_secs_f64() * 1e3,
                per_link * 1e6,
                per_link / base_per_link
            );
        }
    }
}
