//! Builder methods the runtime's `ClientBuilder` already has cannot also be generated from a spec
//! (a server variable or security scheme of the same name would be a second inherent method of
//! that name, and the client would not compile). The list the generator checks must follow the
//! runtime: this test reads the runtime's builder and compares.

mod common;

use common::HEAD;
use vendor_clients_codegen::lower::RESERVED_SETTERS;

/// The `pub fn` names of `impl<A: ApiDescription> ClientBuilder<A>` in the runtime's source.
fn runtime_builder_methods() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../src/client.rs");
    let text = std::fs::read_to_string(path).expect("read the runtime's src/client.rs");
    let start = text
        .find("impl<A: ApiDescription> ClientBuilder<A> {")
        .expect("the builder's impl block");
    let block = &text[start..];
    let end = block.find("\n}\n").expect("the end of the impl block");
    block[..end]
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("pub fn "))
        .map(|rest| {
            rest.split(['(', '<'])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn every_runtime_builder_method_is_reserved() {
    let methods = runtime_builder_methods();
    assert!(methods.len() > 10, "found only {methods:?}");
    let missing: Vec<&String> = methods
        .iter()
        .filter(|m| !RESERVED_SETTERS.contains(&m.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "builder methods missing from RESERVED_SETTERS: {missing:?}"
    );
}

/// The `pub fn` names the runtime's `__client_builder_methods!` expands into every generated
/// builder (src/builder_methods.rs).
fn generated_builder_methods() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../src/builder_methods.rs");
    let text = std::fs::read_to_string(path).expect("read the runtime's src/builder_methods.rs");
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("pub fn "))
        .map(|rest| {
            rest.split(['(', '<'])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn every_method_of_the_generated_builders_is_reserved() {
    let methods = generated_builder_methods();
    assert!(methods.len() > 10, "found only {methods:?}");
    assert!(methods.iter().any(|m| m == "into_inner"), "{methods:?}");
    let missing: Vec<&String> = methods
        .iter()
        .filter(|m| !RESERVED_SETTERS.contains(&m.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "generated builder methods missing from RESERVED_SETTERS: {missing:?}"
    );
}

#[test]
fn a_server_variable_named_like_a_builder_method_is_refused_where_it_is() {
    for name in ["retry", "no_timeout", "hook", "operation_timeout"] {
        let text = format!(
            "{HEAD}servers:\n  - url: 'https://{{{name}}}.example.com'\n    variables:\n      {name}: {{default: a}}\npaths: {{}}\n"
        );
        let err = vendor_clients_codegen::generate("t.yaml", &text, "t")
            .expect_err("a clash with the builder must be refused");
        let shown = err.to_string();
        assert!(
            shown.contains("which the builder already has")
                && shown.contains(&format!("#/servers/0/variables/{name}")),
            "{shown}"
        );
    }
}
