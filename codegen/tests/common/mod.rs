//! Helpers shared by the generator's construct tests: a small spec (everything after the
//! `openapi`/`info` head) lowered to the model, or generated to Rust.

#![allow(dead_code)] // each test file uses its own part

use vendor_clients_codegen::model::*;
use vendor_clients_codegen::{generate, load, lower, SourceFile};

pub const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

pub fn api(body: &str) -> Api {
    let text = format!("{HEAD}{body}");
    let src = SourceFile::new("t.yaml", text);
    let doc = load::load(&src).unwrap_or_else(|d| panic!("load failed:\n{d}"));
    lower::lower(&src, &doc, "t").unwrap_or_else(|d| panic!("lower failed:\n{d}"))
}

pub fn code(body: &str) -> String {
    let text = format!("{HEAD}{body}");
    generate("t.yaml", &text, "t")
        .unwrap_or_else(|d| panic!("{d}"))
        .code
}

pub fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no type {name}: {:?}",
                api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
            )
        })
}

pub fn fields(def: &TypeDef) -> &[Field] {
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

pub fn op<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

pub const PING: &str = "paths:\n  /ping:\n    get:\n      operationId: ping\n      responses:\n        '204': {description: ok}\n";
