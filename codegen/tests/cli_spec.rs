//! `generate --spec FILE --out FILE [--module NAME]`: one spec of your own (YAML or JSON) into
//! one file, with the same diagnostics as the repository's specs.

use std::process::{Command, Output};

const SPEC: &str = "openapi: 3.0.3\ninfo: {title: Tiny, version: '1'}\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/Pong'}}}\ncomponents:\n  schemas:\n    Pong: {type: object, properties: {at: {type: string, format: date-time}}}\n";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vendor-clients-codegen"))
        .args(args)
        .output()
        .expect("run the generator")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_yaml_spec_becomes_one_file_named_by_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("tiny-api.yml");
    std::fs::write(&spec, SPEC).expect("write spec");
    let out_file = dir.path().join("src/client.rs");
    let out = run(&[
        "generate",
        "--spec",
        spec.to_str().expect("utf-8 path"),
        "--out",
        out_file.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("tiny_api"),
        "{}",
        text(&out.stdout)
    );
    let code = std::fs::read_to_string(&out_file).expect("written");
    assert!(
        code.contains("pub async fn ping(&self) -> Result<Pong, Error>;"),
        "{code}"
    );
    assert!(code.contains("pub struct ClientBuilder(::vendor_clients::ClientBuilder<Api>);"));
    // No path that needs a crate besides vendor_clients (and std).
    assert!(
        !code.contains(" ::serde::") && !code.contains("(::serde_json::"),
        "{code}"
    );
    let again = run(&[
        "generate",
        "--spec",
        spec.to_str().expect("utf-8 path"),
        "--out",
        out_file.to_str().expect("utf-8 path"),
    ]);
    assert!(
        text(&again.stdout).contains("unchanged"),
        "{}",
        text(&again.stdout)
    );
}

#[test]
fn a_json_spec_with_a_module_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("openapi.json");
    let json = serde_json::to_string_pretty(
        &vendor_clients_codegen::load::to_json(SPEC).expect("valid yaml"),
    )
    .expect("json");
    std::fs::write(&spec, json).expect("write spec");
    let out_file = dir.path().join("tiny.rs");
    let out = run(&[
        "generate",
        "--spec",
        spec.to_str().expect("utf-8 path"),
        "--out",
        out_file.to_str().expect("utf-8 path"),
        "--module",
        "tiny",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let code = std::fs::read_to_string(&out_file).expect("written");
    assert!(
        code.contains("const NAME: &'static str = \"tiny\";"),
        "{code}"
    );
}

#[test]
fn missing_out_a_directory_out_a_bad_module_and_a_broken_spec_are_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("tiny.yaml");
    std::fs::write(&spec, SPEC).expect("write spec");
    let spec_arg = spec.to_str().expect("utf-8 path");
    let dir_arg = dir.path().to_str().expect("utf-8 path");

    let no_out = run(&["generate", "--spec", spec_arg]);
    assert_eq!(no_out.status.code(), Some(2));
    assert!(
        text(&no_out.stderr).contains("needs `--out FILE`"),
        "{}",
        text(&no_out.stderr)
    );

    let dir_out = run(&["generate", "--spec", spec_arg, "--out", dir_arg]);
    assert_eq!(dir_out.status.code(), Some(2));
    assert!(
        text(&dir_out.stderr).contains("is a directory"),
        "{}",
        text(&dir_out.stderr)
    );

    let out_file = dir.path().join("x.rs");
    let out_arg = out_file.to_str().expect("utf-8 path");
    let bad_module = run(&[
        "generate",
        "--spec",
        spec_arg,
        "--out",
        out_arg,
        "--module",
        "Not-Snake",
    ]);
    assert_eq!(bad_module.status.code(), Some(2));
    assert!(
        text(&bad_module.stderr).contains("`Not-Snake`"),
        "{}",
        text(&bad_module.stderr)
    );

    std::fs::write(
        &spec,
        // (An external reference: refused in either reading. A schema that is merely missing is
        // a warning in someone else's spec.)
        SPEC.replace("#/components/schemas/Pong", "pong.yaml#/Pong"),
    )
    .expect("write broken spec");
    let broken = run(&["generate", "--spec", spec_arg, "--out", out_arg]);
    assert_eq!(broken.status.code(), Some(1));
    let stderr = text(&broken.stderr);
    assert!(stderr.contains("pong.yaml#/Pong"), "{stderr}");
    assert!(stderr.contains("tiny.yaml:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out_file.exists());
}

#[test]
fn a_spec_of_someone_else_is_read_leniently_unless_origin_own() {
    // Two enum values that become the same Rust variant: renamed with a warning by default (a
    // user's spec is someone else's), refused with `--origin own`.
    let spec_text = SPEC.replace(
        "Pong: {type: object, properties: {at: {type: string, format: date-time}}}",
        "Pong: {type: object, properties: {sign: {type: string, enum: ['+1', '-1']}}}",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("signs.yaml");
    std::fs::write(&spec, spec_text).expect("write spec");
    let out_file = dir.path().join("signs.rs");
    let args = |origin: Option<&str>| {
        let mut a = vec![
            "generate".to_string(),
            "--spec".into(),
            spec.display().to_string(),
            "--out".into(),
            out_file.display().to_string(),
        ];
        if let Some(o) = origin {
            a.extend(["--origin".into(), o.into()]);
        }
        a
    };
    let lenient = Command::new(env!("CARGO_BIN_EXE_vendor-clients-codegen"))
        .args(args(None))
        .output()
        .expect("run");
    assert!(lenient.status.success(), "{}", text(&lenient.stderr));
    assert!(
        text(&lenient.stderr).contains("warning: "),
        "{}",
        text(&lenient.stderr)
    );
    assert!(
        text(&lenient.stderr).contains("signs.yaml:"),
        "{}",
        text(&lenient.stderr)
    );
    let strict = Command::new(env!("CARGO_BIN_EXE_vendor-clients-codegen"))
        .args(args(Some("own")))
        .output()
        .expect("run");
    assert!(
        !strict.status.success(),
        "a collision in our own spec must fail"
    );
    assert!(
        text(&strict.stderr).contains("error: "),
        "{}",
        text(&strict.stderr)
    );
}
