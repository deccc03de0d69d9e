//! `diff`: one pair of small specs per rule with golden reports, a reformatted spec that must
//! report nothing, a realistic pair built from the dxFeed spec, and the command line (`--fail-on`,
//! `--base REV`, JSON).
//!
//! Goldens live in `tests/diff/`; run with `UPDATE_GOLDEN=1` to rewrite them, then review the diff.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vendor_clients_codegen::diff::{diff_vendor, Class, Report, SpecText};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn spec(name: &str, path: &Path) -> SpecText {
    SpecText {
        name: name.to_string(),
        text: read(path),
    }
}

fn report(module: &str, base: &Path, head: &Path) -> Report {
    let v = diff_vendor(
        module,
        Some(&spec("base.yaml", base)),
        Some(&spec("head.yaml", head)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Report::new(vec![v])
}

/// Compares `actual` with the golden file, or rewrites it under `UPDATE_GOLDEN=1`.
fn golden(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, actual).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        return;
    }
    let expected = read(path);
    assert!(
        expected == actual,
        "{} differs from the report (UPDATE_GOLDEN=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// Runs the rule fixture `tests/diff/rules/<rule>`: the report names the rule, and matches the
/// markdown and JSON goldens.
fn rule_case(rule: &str) {
    let root = fixtures().join("rules");
    let dir = root.join(rule);
    let r = report("shop", &root.join("base.yaml"), &dir.join("head.yaml"));
    let rules: Vec<&str> = r.vendors[0].changes.iter().map(|c| c.rule).collect();
    // A fixture for a rule checked in both directions is named after what it shows.
    let wanted: Vec<&str> = match rule {
        "enum-value-added-both-directions" => {
            vec!["request-enum-value-added", "response-enum-value-added"]
        }
        "oneof-variant-added" => vec![
            "request-oneof-variant-added",
            "response-oneof-variant-added",
        ],
        "oneof-variant-removed" => vec![
            "request-oneof-variant-removed",
            "response-oneof-variant-removed",
        ],
        other => vec![other],
    };
    for w in wanted {
        assert!(rules.contains(&w), "{rule}: the report has {rules:?}");
    }
    golden(&dir.join("expected.md"), &r.to_markdown());
    golden(&dir.join("expected.json"), &r.to_json());
}

macro_rules! rule_cases {
    ($($name:ident => $rule:literal,)*) => {
        $(
            #[test]
            fn $name() {
                rule_case($rule);
            }
        )*

        #[test]
        fn every_rule_fixture_directory_has_a_test() {
            let listed = [$($rule),*];
            let mut missing = Vec::new();
            let dir = fixtures().join("rules");
            for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
                let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
                if path.is_dir() && !listed.contains(&name.as_str()) {
                    missing.push(name);
                }
            }
            assert!(missing.is_empty(), "fixtures without a test: {missing:?}");
        }
    };
}

rule_cases! {
    operation_removed => "operation-removed",
    operation_added => "operation-added",
    operation_id_changed => "operation-id-changed",
    rust_method_renamed => "rust-method-renamed",
    operation_method_changed => "operation-method-changed",
    operation_path_changed => "operation-path-changed",
    operation_deprecated => "operation-deprecated",
    operation_docs_changed => "operation-docs-changed",
    operation_auth_changed => "operation-auth-changed",
    parameter_added => "parameter-added",
    parameter_removed => "parameter-removed",
    parameter_renamed => "parameter-renamed",
    parameter_moved => "parameter-moved",
    parameter_made_required => "parameter-made-required",
    parameter_made_optional => "parameter-made-optional",
    parameter_type_changed => "parameter-type-changed",
    parameter_format_changed => "parameter-format-changed",
    parameter_deprecated => "parameter-deprecated",
    request_body_added => "request-body-added",
    request_body_made_optional => "request-body-made-optional",
    request_body_type_changed => "request-body-type-changed",
    request_field_added => "request-field-added",
    request_field_removed => "request-field-removed",
    request_field_type_changed => "request-field-type-changed",
    request_field_made_required => "request-field-made-required",
    request_field_made_optional => "request-field-made-optional",
    request_field_made_nullable => "request-field-made-nullable",
    request_field_format_changed => "request-field-format-changed",
    response_field_added => "response-field-added",
    response_field_removed => "response-field-removed",
    response_field_type_changed => "response-field-type-changed",
    response_field_made_optional => "response-field-made-optional",
    response_field_made_nullable => "response-field-made-nullable",
    response_field_made_required => "response-field-made-required",
    field_renamed => "field-renamed",
    field_rust_name_changed => "field-rust-name-changed",
    field_deprecated => "field-deprecated",
    field_docs_changed => "field-docs-changed",
    schema_deprecated => "schema-deprecated",
    request_enum_value_added => "request-enum-value-added",
    request_enum_value_removed => "request-enum-value-removed",
    response_enum_value_added => "response-enum-value-added",
    response_enum_value_removed => "response-enum-value-removed",
    enum_value_added_to_an_enum_used_both_ways_is_reported_per_direction => "enum-value-added-both-directions",
    oneof_variant_added_is_breaking_in_responses_only => "oneof-variant-added",
    additional_properties_changed => "additional-properties-changed",
    type_renamed => "type-renamed",
    type_shape_changed => "type-shape-changed",
    success_status_added => "success-status-added",
    success_status_removed => "success-status-removed",
    error_status_added => "error-status-added",
    error_status_removed => "error-status-removed",
    response_body_changed => "response-body-changed",
    error_body_changed => "error-body-changed",
    security_scheme_added => "security-scheme-added",
    security_scheme_removed => "security-scheme-removed",
    security_scheme_changed => "security-scheme-changed",
    server_added => "server-added",
    server_url_changed => "server-url-changed",
    server_variable_added => "server-variable-added",
    server_variable_default_changed => "server-variable-default-changed",
    server_variable_values_changed => "server-variable-values-changed",
    api_info_changed => "api-info-changed",
    request_body_removed => "request-body-removed",
    response_field_made_non_nullable => "response-field-made-non-nullable",
    response_field_format_changed => "response-field-format-changed",
    schema_docs_changed => "schema-docs-changed",
    parameter_docs_changed => "parameter-docs-changed",
    oneof_variant_removed_is_breaking_in_requests_only => "oneof-variant-removed",
    server_docs_changed => "server-docs-changed",
    security_scheme_docs_changed => "security-scheme-docs-changed",
    server_variable_removed => "server-variable-removed",
}

#[test]
fn the_same_spec_reports_no_change_and_no_bump() {
    let base = fixtures().join("rules/base.yaml");
    let r = report("shop", &base, &base);
    assert_eq!(r.counts.total(), 0);
    assert!(r.vendors[0].rust_api.is_empty());
    assert_eq!(r.bump, vendor_clients_codegen::diff::Bump::None);
}

#[test]
fn a_reformatted_spec_with_reordered_keys_and_moved_refs_reports_no_change() {
    let dir = fixtures().join("dxfeed");
    let r = report(
        "dxfeed",
        &dir.join("base.yaml"),
        &dir.join("reformatted.yaml"),
    );
    let v = &r.vendors[0];
    assert!(
        v.changes.is_empty() && v.rust_api.is_empty(),
        "{}",
        r.to_markdown()
    );
    // The reformatted file really is different text.
    assert_ne!(
        read(&dir.join("base.yaml")),
        read(&dir.join("reformatted.yaml"))
    );
}

#[test]
fn dxfeed_edited_pair_matches_its_reviewed_golden_reports() {
    let dir = fixtures().join("dxfeed");
    let r = report("dxfeed", &dir.join("base.yaml"), &dir.join("head.yaml"));
    golden(&dir.join("expected.md"), &r.to_markdown());
    golden(&dir.join("expected.json"), &r.to_json());
}

#[test]
fn the_dxfeed_fixture_base_still_generates() {
    // If specs/dxfeed.yaml changes, the fixture stays as it was: it is a frozen copy, and this
    // test only checks that it still generates.
    let dir = fixtures().join("dxfeed");
    let text = read(&dir.join("base.yaml"));
    vendor_clients_codegen::generate("base.yaml", &text, "dxfeed")
        .unwrap_or_else(|d| panic!("{d}"));
}

// ---------------------------------------------------------------------------------------------
// The command line.

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vendor-clients-codegen"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run the generator: {e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn rule_files(rule: &str) -> (String, String) {
    let root = fixtures().join("rules");
    (
        root.join("base.yaml").display().to_string(),
        root.join(rule).join("head.yaml").display().to_string(),
    )
}

#[test]
fn fail_on_breaking_exits_one_when_a_breaking_change_is_found() {
    let (base, head) = rule_files("parameter-made-required");
    let out = run(
        &fixtures(),
        &["diff", &base, &head, "--fail-on", "breaking"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("**Spec changes: 1 breaking"));
    assert!(
        text(&out.stderr).contains("--fail-on breaking"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn fail_on_breaking_exits_zero_when_changes_are_not_breaking() {
    let (base, head) = rule_files("response-field-added");
    let out = run(
        &fixtures(),
        &["diff", &base, &head, "--fail-on", "breaking"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let strict = run(
        &fixtures(),
        &["diff", &base, &head, "--fail-on", "non-breaking"],
    );
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn json_format_prints_the_report_as_json() {
    let (base, head) = rule_files("operation-removed");
    let out = run(&fixtures(), &["diff", &base, &head, "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(v["counts"]["breaking"], 1);
    assert_eq!(v["bump"], "major");
    assert_eq!(v["vendors"][0]["changes"][0]["rule"], "operation-removed");
    assert_eq!(v["vendors"][0]["changes"][0]["location"]["side"], "base");
}

#[test]
fn a_spec_that_does_not_generate_exits_two_with_its_diagnostic() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (base, _) = rule_files("operation-removed");
    let out = run(dir.path(), &["diff", &base, "bad.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("HEAD spec cannot be generated"), "{err}");
    assert!(err.contains("the spec has no paths"), "{err}");
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("git: {e}"));
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

#[test]
fn base_revision_compares_the_specs_at_that_commit_with_the_working_tree() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let specs = dir.path().join("specs");
    std::fs::create_dir(&specs).unwrap_or_else(|e| panic!("{e}"));
    let root = fixtures().join("rules");
    std::fs::copy(root.join("base.yaml"), specs.join("shop.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    std::fs::copy(
        root.join("operation-removed/head.yaml"),
        specs.join("shop.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(
        fixtures().join("dxfeed/base.yaml"),
        specs.join("dxfeed.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));

    let out = run(
        dir.path(),
        &[
            "diff",
            "--base",
            "HEAD",
            "--specs",
            "specs",
            "--fail-on",
            "breaking",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(
        md.contains("### `shop`: `HEAD:specs/shop.yaml` → `specs/shop.yaml`"),
        "{md}"
    );
    assert!(md.contains("`operation-removed`"), "{md}");
    assert!(
        md.contains("### `dxfeed`: new: `specs/dxfeed.yaml`"),
        "{md}"
    );
    assert!(md.contains("`vendor-added`"), "{md}");

    // --vendor narrows the comparison to one vendor.
    let only = run(
        dir.path(),
        &[
            "diff", "--base", "HEAD", "--specs", "specs", "--vendor", "dxfeed",
        ],
    );
    assert!(only.status.success(), "{}", text(&only.stderr));
    assert!(!text(&only.stdout).contains("`shop`"));

    let unknown = run(
        dir.path(),
        &["diff", "--base", "no-such-rev", "--specs", "specs"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("not a known git revision"));
}

#[test]
fn classes_are_ordered_from_informational_to_breaking() {
    assert!(Class::Informational < Class::NonBreaking);
    assert!(Class::NonBreaking < Class::Breaking);
}

#[test]
fn choosing_the_answer_by_media_type_is_one_breaking_finding_in_either_direction() {
    let base = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /report.{format}:\n    get:\n      operationId: report\n      parameters:\n        - {name: format, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: the report\n          content:\n            application/json: {schema: {type: object, properties: {rows: {type: integer}}}}\n            text/xml: {schema: {type: string}}\n";
    let head = base.replace(
        "description: the report\n",
        "description: the report\n          x-media-type-param: format\n",
    );
    let text = |name: &str, text: &str| SpecText {
        name: name.to_string(),
        text: text.to_string(),
    };
    for (from, to, now_per_media) in [(base, head.as_str(), true), (head.as_str(), base, false)] {
        let v = diff_vendor(
            "t",
            Some(&text("base.yaml", from)),
            Some(&text("head.yaml", to)),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let about_200: Vec<_> = v
            .changes
            .iter()
            .filter(|c| c.location.pointer.contains("/responses/200"))
            .collect();
        // One finding for the status, not a removal and an addition per media type.
        assert_eq!(about_200.len(), 1, "{about_200:#?}");
        let c = about_200[0];
        assert_eq!(c.rule, "response-media-regrouped");
        assert_eq!(c.class, Class::Breaking);
        assert!(c.location.pointer.ends_with("/get/responses/200"), "{c:#?}");
        assert!(
            c.message.contains("application/json: JSON") && c.message.contains("text/xml: text"),
            "{}",
            c.message
        );
        let expected = if now_per_media {
            "The success response 200 is now answered per media type, chosen by the request"
        } else {
            "The success response 200 is no longer answered per media type"
        };
        assert!(c.message.starts_with(expected), "{}", c.message);
    }
}
