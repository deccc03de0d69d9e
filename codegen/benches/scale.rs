//! Generation time against the size of the spec: a synthetic but realistic OpenAPI 3.0 spec of
//! N operations (N/5 resources, each with `list`/`create`/`get`/`update`/`delete`), generated
//! in process for N = 100, 1,000 and 10,000. Issue 21 asks that generation stay linear in the
//! spec's size; the table's last time column is the time per operation divided by the
//! 1,000-operation run's, so linear reads about 1.0 on every row. A bench binary rather than
//! criterion (as `ref_chains`): one run of the largest spec takes seconds, and the question is
//! the ratio between sizes measured in one run.
//!
//! Each resource `R` (a noun and its index, `Invoice7`) has the schemas a real API has: `R` (an
//! object of ten properties: strings, a `date-time`, an integer, a number, a boolean, a named
//! string enum, an optional inline nested object, an array of a `$ref`, a map), `RItem`,
//! `RStatus`, `RCreate` (the request body of create and update) and `RPage` (an offset-paged
//! list, with `x-pagination`); the list takes an enum, an integer `limit`, an `offset` and a
//! string query parameter; every operation answers a shared `ApiError` for `4XX` and `5XX`
//! (`components.responses`); everything has a description. Bearer auth, one server variable.
//!
//! ```sh
//! cargo bench -p vendor-clients-codegen --bench scale                 # 100, 1,000, 10,000 ops, 5 runs
//! cargo bench -p vendor-clients-codegen --bench scale -- --runs 3 --sizes 1000,20000
//! cargo bench -p vendor-clients-codegen --bench scale -- --write-spec target/scale
//! ```
//!
//! `--runs N` (default 5; the median is reported), `--large-runs N` (runs for sizes of 10,000
//! operations and more, default: as `--runs`), `--sizes a,b,...` (operations, multiples of 5),
//! `--write-spec DIR` (also writes each spec as `DIR/scale-<N>.json`, to feed another generator,
//! e.g. `benches/compare.sh DIR/scale-1000.json` for progenitor side by side). Each run times
//! the whole `generate` (load, lower, emit and format), then the stages one by one on the same
//! text: `load` (text to the OpenAPI model), `lower` and `emit` (tokens, syn, prettyplease, on the
//! default number of threads). `CPU` is the process's CPU time (all threads) over the whole
//! `generate`, from `/proc/self/stat` (Linux, 10 ms ticks): on a shared machine it moves less
//! than wall time, so its ratio is the steadier one. Peak RSS is read from `/proc/self/status` (`VmHWM`), reset before
//! each size through `/proc/self/clear_refs` (Linux); it is left out where that is not possible.

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use vendor_clients_codegen::{emit, load, lower, SourceFile};

/// Resource nouns; the resource index makes each name unique (`Invoice7`, `Invoice19`, ...).
const NOUNS: [&str; 12] = [
    "Account",
    "Invoice",
    "Order",
    "Customer",
    "Campaign",
    "Shipment",
    "Product",
    "Referral",
    "Payout",
    "Webhook",
    "Report",
    "Subscription",
];

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn json_body(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

/// The shared failure responses, `$ref`ed by every operation.
fn errors() -> Value {
    json!({
        "4XX": { "$ref": "#/components/responses/ClientError" },
        "5XX": { "$ref": "#/components/responses/ServerError" },
    })
}

fn with_errors(mut responses: Value) -> Value {
    if let (Some(r), Value::Object(e)) = (responses.as_object_mut(), errors()) {
        r.extend(e);
    }
    responses
}

/// Adds resource `i`'s five schemas to `schemas` and its two path items to `paths`.
fn resource(i: usize, schemas: &mut Map<String, Value>, paths: &mut Map<String, Value>) {
    let noun = NOUNS[i % NOUNS.len()];
    let name = format!("{noun}{i}");
    let lower = noun.to_lowercase();
    let (status, item, create, page) = (
        format!("{name}Status"),
        format!("{name}Item"),
        format!("{name}Create"),
        format!("{name}Page"),
    );
    let id_param = format!("{}{i}Id", lower);

    schemas.insert(
        status.clone(),
        json!({
            "type": "string",
            "description": format!("Where a {lower} stands in its life cycle."),
            "enum": ["draft", "active", "suspended", "closed"],
        }),
    );
    schemas.insert(
        item.clone(),
        json!({
            "type": "object",
            "description": format!("One line of a {lower}."),
            "required": ["sku", "quantity"],
            "properties": {
                "sku": { "type": "string", "description": "The product's stock keeping unit." },
                "quantity": { "type": "integer", "format": "int32", "minimum": 1, "description": "How many." },
                "unitPrice": { "type": "number", "format": "double", "description": "Price of one, in the account's currency." },
            },
        }),
    );
    schemas.insert(
        name.clone(),
        json!({
            "type": "object",
            "description": format!("A {lower} as the API answers it."),
            "required": ["id", "name", "status", "createdAt"],
            "properties": {
                "id": { "type": "string", "description": format!("The {lower}'s identifier, assigned by the API.") },
                "name": { "type": "string", "maxLength": 200, "description": "Display name." },
                "status": schema_ref(&status),
                "createdAt": { "type": "string", "format": "date-time", "description": "When it was created (RFC 3339)." },
                "updatedAt": { "type": "string", "format": "date-time", "nullable": true, "description": "When it last changed; `null` if never." },
                "total": { "type": "number", "format": "double", "description": "Sum of the items' prices." },
                "revision": { "type": "integer", "format": "int64", "description": "Incremented on every change." },
                "archived": { "type": "boolean", "description": "Hidden from lists unless asked for." },
                "owner": {
                    "type": "object",
                    "description": "Who manages it, when someone does.",
                    "properties": {
                        "userId": { "type": "string", "description": "The user's identifier." },
                        "email": { "type": "string", "format": "email", "description": "Where notices go." },
                    },
                },
                "items": { "type": "array", "items": schema_ref(&item), "description": "Its lines, in order." },
                "labels": {
                    "type": "object",
                    "additionalProperties": { "type": "string" },
                    "description": "Free-form labels set by the caller.",
                },
            },
        }),
    );
    schemas.insert(
        create.clone(),
        json!({
            "type": "object",
            "description": format!("What a new or replaced {lower} is made of."),
            "required": ["name"],
            "properties": {
                "name": { "type": "string", "maxLength": 200, "description": "Display name." },
                "status": schema_ref(&status),
                "items": { "type": "array", "items": schema_ref(&item), "description": "Its lines." },
                "labels": {
                    "type": "object",
                    "additionalProperties": { "type": "string" },
                    "description": "Free-form labels.",
                },
            },
        }),
    );
    schemas.insert(
        page.clone(),
        json!({
            "type": "object",
            "description": format!("One page of {lower}s."),
            "required": ["data"],
            "properties": {
                "data": { "type": "array", "items": schema_ref(&name), "description": "The page's entries." },
                "total": { "type": "integer", "format": "int64", "description": "Entries across all pages." },
                "offset": { "type": "integer", "format": "int32", "description": "Index of the page's first entry." },
                "limit": { "type": "integer", "format": "int32", "description": "Page size used." },
            },
        }),
    );

    let collection = format!("/v1/{lower}s{i}");
    paths.insert(
        collection.clone(),
        json!({
            "get": {
                "operationId": format!("list{name}s"),
                "tags": [noun],
                "summary": format!("List {lower}s"),
                "description": format!("Lists the {lower}s, newest first, a page at a time."),
                "parameters": [
                    { "name": "status", "in": "query", "description": "Only those in this state.", "schema": schema_ref(&status) },
                    { "name": "limit", "in": "query", "description": "Page size, 1 to 500.", "schema": { "type": "integer", "format": "int32", "minimum": 1, "maximum": 500, "default": 50 } },
                    { "name": "offset", "in": "query", "description": "Entries to skip.", "schema": { "type": "integer", "format": "int32", "minimum": 0 } },
                    { "name": "q", "in": "query", "description": "Text search over the name.", "schema": { "type": "string" } },
                ],
                "x-pagination": { "style": "offset", "offset": "offset", "limit": "limit", "items": "data", "total": "total" },
                "responses": with_errors(json!({
                    "200": { "description": format!("A page of {lower}s."), "content": json_body(schema_ref(&page)) },
                })),
            },
            "post": {
                "operationId": format!("create{name}"),
                "tags": [noun],
                "summary": format!("Create a {lower}"),
                "description": format!("Creates a {lower}; the answer holds its identifier."),
                "requestBody": { "required": true, "description": "The new entry.", "content": json_body(schema_ref(&create)) },
                "responses": with_errors(json!({
                    "201": { "description": "Created.", "content": json_body(schema_ref(&name)) },
                })),
            },
        }),
    );
    paths.insert(
        format!("{collection}/{{{id_param}}}"),
        json!({
            "parameters": [
                { "name": id_param, "in": "path", "required": true, "description": format!("The {lower}'s identifier."), "schema": { "type": "string" } },
            ],
            "get": {
                "operationId": format!("get{name}"),
                "tags": [noun],
                "summary": format!("Get a {lower}"),
                "description": format!("Answers one {lower}."),
                "responses": with_errors(json!({
                    "200": { "description": format!("The {lower}."), "content": json_body(schema_ref(&name)) },
                })),
            },
            "put": {
                "operationId": format!("update{name}"),
                "tags": [noun],
                "summary": format!("Replace a {lower}"),
                "description": format!("Replaces the {lower}'s editable fields."),
                "requestBody": { "required": true, "description": "The replacement.", "content": json_body(schema_ref(&create)) },
                "responses": with_errors(json!({
                    "200": { "description": "Replaced.", "content": json_body(schema_ref(&name)) },
                })),
            },
            "delete": {
                "operationId": format!("delete{name}"),
                "tags": [noun],
                "summary": format!("Delete a {lower}"),
                "description": format!("Deletes the {lower}; it cannot be undone."),
                "responses": with_errors(json!({ "204": { "description": "Deleted." } })),
            },
        }),
    );
}

/// The spec's JSON text: `operations / 5` resources.
fn spec(operations: usize) -> String {
    let mut schemas = Map::new();
    let mut paths = Map::new();
    for i in 0..operations / 5 {
        resource(i, &mut schemas, &mut paths);
    }
    schemas.insert(
        "ApiError".into(),
        json!({
            "type": "object",
            "description": "What every failure answers.",
            "required": ["code", "message"],
            "properties": {
                "code": { "type": "string", "description": "A stable, machine-readable code." },
                "message": { "type": "string", "description": "For people." },
                "details": { "type": "array", "items": { "type": "string" }, "description": "What was wrong, field by field." },
                "requestId": { "type": "string", "description": "Quote it when asking for support." },
            },
        }),
    );
    let doc = json!({
        "openapi": "3.0.3",
        "info": {
            "title": format!("Scale {operations}"),
            "version": "1.0.0",
            "description": format!("A synthetic API of {operations} operations, to time the generator."),
        },
        "servers": [{
            "url": "https://{region}.api.example.com",
            "variables": { "region": { "default": "eu", "description": "The data region." } },
        }],
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "ClientError": { "description": "The request was refused.", "content": json_body(schema_ref("ApiError")) },
                "ServerError": { "description": "The API failed.", "content": json_body(schema_ref("ApiError")) },
            },
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "An API token." } },
        },
    });
    serde_json::to_string_pretty(&doc).expect("a JSON value serializes")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1e3)
    } else {
        format!("{ms:.1} ms")
    }
}

/// Peak resident set size of this process in KiB (`VmHWM`), if the system says.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU time of this process so far, all threads (`utime + stime` of `/proc/self/stat`, in
/// `USER_HZ` ticks, 100 a second on Linux), if the system says. Less moved than wall time by
/// other work on a shared machine, and it counts the emitter's threads.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    let rest: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Resets the peak RSS to the current RSS (Linux 4.0+); false where that is not possible.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

struct Options {
    runs: usize,
    large_runs: Option<usize>,
    sizes: Vec<usize>,
    write_spec: Option<std::path::PathBuf>,
}

fn options() -> Options {
    let mut o = Options {
        runs: 5,
        large_runs: None,
        sizes: vec![100, 1_000, 10_000],
        write_spec: None,
    };
    let mut args = std::env::args().skip(1);
    let count = |v: Option<String>, what: &str| -> usize {
        v.and_then(|v| v.parse().ok())
            .filter(|&n: &usize| n > 0)
            .unwrap_or_else(|| panic!("{what} takes a positive number"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            // `cargo bench` passes `--bench` to every bench binary.
            "--bench" => {}
            "--runs" => o.runs = count(args.next(), "--runs"),
            "--large-runs" => o.large_runs = Some(count(args.next(), "--large-runs")),
            "--sizes" => {
                o.sizes = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|s| {
                        s.trim()
                            .replace('_', "")
                            .parse()
                            .ok()
                            .filter(|&n: &usize| n >= 5 && n % 5 == 0)
                            .unwrap_or_else(|| {
                                panic!("--sizes takes operation counts, multiples of 5: `{s}`")
                            })
                    })
                    .collect()
            }
            "--write-spec" => {
                o.write_spec = Some(args.next().expect("--write-spec takes a directory").into())
            }
            other => panic!(
                "unknown argument `{other}` (--runs N, --large-runs N, --sizes a,b,..., --write-spec DIR)"
            ),
        }
    }
    o
}

struct Row {
    operations: usize,
    types: usize,
    spec_bytes: usize,
    lines: usize,
    runs: usize,
    generate: Duration,
    /// CPU time of the whole generate (all threads), median; `None` where not available.
    cpu: Option<Duration>,
    load: Duration,
    lower: Duration,
    emit: Duration,
    peak_kib: Option<u64>,
}

fn measure(operations: usize, runs: usize, write_spec: Option<&std::path::Path>) -> Row {
    let text = spec(operations);
    let name = format!("scale-{operations}.json");
    if let Some(dir) = write_spec {
        std::fs::create_dir_all(dir).expect("create the --write-spec directory");
        std::fs::write(dir.join(&name), &text).expect("write the spec");
    }
    let module = "scale";
    let rss_reset = reset_peak_rss();
    let (mut generate, mut load, mut lower, mut emit) = (vec![], vec![], vec![], vec![]);
    let mut cpu = vec![];
    let mut first = None;
    for _ in 0..runs {
        let cpu_start = cpu_time();
        let start = Instant::now();
        let out = vendor_clients_codegen::generate(&name, &text, module).unwrap_or_else(|d| {
            panic!("the synthetic spec of {operations} operations generates:\n{d}")
        });
        generate.push(start.elapsed());
        if let (Some(a), Some(b)) = (cpu_start, cpu_time()) {
            cpu.push(b.saturating_sub(a));
        }
        assert!(
            out.warnings.is_empty(),
            "the synthetic spec of {operations} operations generates without warnings: {:#?}",
            out.warnings
        );
        assert_eq!(out.operations, operations, "operations generated");
        first.get_or_insert(out);

        let src = SourceFile::new(name.as_str(), text.as_str());
        let start = Instant::now();
        let doc = load::load(&src).expect("the synthetic spec loads");
        load.push(start.elapsed());
        let start = Instant::now();
        let api = lower::lower(&src, &doc, module).expect("the synthetic spec lowers");
        lower.push(start.elapsed());
        let start = Instant::now();
        let code = emit::emit(&api).expect("the synthetic spec emits");
        emit.push(start.elapsed());
        std::hint::black_box(code);
    }
    let out = first.expect("at least one run");
    // Five schemas per resource, the nested `owner` object and the list's query parameters
    // (seven types per five operations), plus `ApiError`.
    assert!(
        out.types > operations,
        "{} types for {operations} operations",
        out.types
    );
    Row {
        operations,
        types: out.types,
        spec_bytes: text.len(),
        lines: out.code.lines().count(),
        runs,
        generate: median(generate),
        cpu: (cpu.len() == runs).then(|| median(cpu)),
        load: median(load),
        lower: median(lower),
        emit: median(emit),
        peak_kib: if rss_reset { peak_rss_kib() } else { None },
    }
}

fn main() {
    let o = options();
    let rows: Vec<Row> = o
        .sizes
        .iter()
        .map(|&n| {
            let runs = match o.large_runs {
                Some(r) if n >= 10_000 => r,
                _ => o.runs,
            };
            let row = measure(n, runs, o.write_spec.as_deref());
            eprintln!("{n} operations: {} (median of {runs})", ms(row.generate));
            row
        })
        .collect();
    let per_op = |d: Duration, r: &Row| d.as_secs_f64() / r.operations as f64;
    // The ratios are against the 1,000-operation run (or the first size when it is not run).
    let Some(base) = rows.iter().find(|r| r.operations == 1_000).or(rows.first()) else {
        return;
    };
    // A stage's time, and its time per operation against the base run's.
    let stage = |r: &Row, d: fn(&Row) -> Duration| {
        format!(
            "{} ({:.2})",
            ms(d(r)),
            per_op(d(r), r) / per_op(d(base), base)
        )
    };
    println!(
        "| operations | types | spec | generated lines | runs | generate (median) | per operation | per op ÷ {}-op run | CPU (ratio) | load (ratio) | lower (ratio) | emit (ratio) | peak RSS |",
        base.operations
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let cpu = |r: &Row| match (r.cpu, base.cpu) {
        (Some(c), Some(b)) if !b.is_zero() => {
            format!("{} ({:.2})", ms(c), per_op(c, r) / per_op(b, base))
        }
        _ => "n/a".to_string(),
    };
    for r in &rows {
        println!(
            "| {} | {} | {:.1} MB | {} | {} | {} | {:.1} µs | {:.2} | {} | {} | {} | {} | {} |",
            r.operations,
            r.types,
            r.spec_bytes as f64 / 1e6,
            r.lines,
            r.runs,
            ms(r.generate),
            per_op(r.generate, r) * 1e6,
            per_op(r.generate, r) / per_op(base.generate, base),
            cpu(r),
            stage(r, |r| r.load),
            stage(r, |r| r.lower),
            stage(r, |r| r.emit),
            r.peak_kib.map_or("n/a".to_string(), |k| format!(
                "{:.0} MB",
                k as f64 / 1024.0
            )),
        );
    }
}
