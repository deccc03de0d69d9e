//! Stage 2: `openapiv3::OpenAPI` to the resolved [`model`](crate::model).
//!
//! Resolves `$ref`s, merges `allOf`, names inline schemas after where they appear, picks Rust
//! names and checks they are unique, and rejects what the generated client could not express.
//! Every rejection is a located [`Diagnostic`](crate::diag::Diagnostic); lowering goes on after
//! one where it can, so a spec with several problems reports them all at once.
//!
//! The stages, in the order [`lower`] runs them (one small context, `cx::Cx`, is passed down):
//! - `schema`: schemas to types (objects, unions, enums, aliases, recursion);
//! - `security` and `servers`: the builder's credentials and base URLs;
//! - `operations`: each operation, from its `params`, request `body`, `responses` and
//!   outcomes, and `pagination`;
//! - `checks` (and `schema::recursion`): whole-API checks once everything is lowered.

mod body;
mod checks;
mod cx;
mod operations;
mod pagination;
mod params;
mod rename;
mod responses;
mod schema;
mod security;
mod servers;

use openapiv3::OpenAPI;

use crate::diag::Diagnostics;
use crate::lower::checks::collect_error_bodies;
use crate::lower::cx::Cx;
use crate::model::Api;
use crate::source::SourceFile;

/// Builder methods every generated client builder already has (the runtime's
/// `__client_builder_methods!`, and `build`); generated setters must not clash.
pub const RESERVED_SETTERS: &[&str] = &[
    "new",
    "build",
    "build_core",
    "base_url",
    "server_index",
    "server_variable",
    "credential",
    "timeout",
    "no_timeout",
    "connect_timeout",
    "no_connect_timeout",
    "operation_timeout",
    "retry",
    "no_retries",
    "hook",
    "user_agent",
    "http_client",
    "max_response_bytes",
    "default_header",
    "into_inner",
];

/// Signers the runtime implements (`x-signer`), see `vendor_clients::signers`.
pub const SIGNERS: &[&str] = &["mention-me-token"];

/// Lowers a loaded document. `module` is the vendor's module name.
///
/// The stages run in this order, each reading what the ones before it registered in the context.
pub fn lower(src: &SourceFile, doc: &OpenAPI, module: &str) -> Result<Api, Diagnostics> {
    let mut cx = Cx::new(src, doc);
    // Schemas to types: every component is named before any is lowered, so references resolve.
    schema::name_components(&mut cx);
    schema::lower_components(&mut cx);
    // Security and servers: the builder's setters, before operations refer to the schemes.
    let schemes = security::lower_schemes(&mut cx);
    let servers = servers::lower_servers(&mut cx, &schemes);
    // Operations: parameters, request bodies, responses and outcomes, pagination, security.
    let mut operations = operations::lower_operations(&mut cx, &schemes);
    // Whole-API checks, once every type and operation is known.
    checks::apply_tags_and_verdicts(&mut cx, &operations);
    security::access_modes(&mut cx, &operations);
    security::mark_sensitive(&cx, &mut operations);
    schema::recursion::box_recursive(&mut cx);
    schema::recursion::check_cycles(&mut cx);
    schema::recursion::wrap_recursive_aliases(&mut cx);
    let error_bodies = collect_error_bodies(&operations, &cx.types);
    if !cx.diags.is_empty() {
        return Err(Diagnostics(cx.diags));
    }
    Ok(Api {
        module: module.to_string(),
        source: src.name().to_string(),
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers,
        schemes,
        types: cx.types.into_vec(),
        operations,
        error_bodies,
        unwraps: cx.unwraps,
    })
}

/// The `{name}` placeholders of a path or URL template, in order.
pub fn template_names(template: &str) -> Result<Vec<String>, String> {
    if let Some(c) = template.chars().find(|c| matches!(c, '?' | '#')) {
        return Err(format!(
            "`{c}` cannot be part of a path (a query belongs in `parameters` with `in: query`)"
        ));
    }
    for segment in template.split('/') {
        // URL parsing reads `%2e` as `.` when it removes dot segments.
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        if decoded == "." || decoded == ".." {
            return Err(format!(
                "the segment `{segment}` would be removed by URL normalisation, so the request would go to another path"
            ));
        }
    }
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err("`}` without a matching `{`".into());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("`{` without a matching `}`")?;
        let name = &after[..close];
        if name.is_empty() {
            return Err("empty `{}` placeholder".into());
        }
        if name.contains('{') {
            return Err("nested `{`".into());
        }
        if names.iter().any(|n| n == name) {
            return Err(format!("placeholder `{{{name}}}` appears twice"));
        }
        names.push(name.to_string());
        rest = &after[close + 1..];
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::template_names;

    #[test]
    fn template_placeholders() {
        assert_eq!(template_names("/a/{b}/c.{d}").unwrap(), vec!["b", "d"]);
        assert!(template_names("/a/{b").is_err());
        assert!(template_names("/a/{}").is_err());
        assert!(template_names("/a/b}").is_err());
        assert!(template_names("/a/{b}/{b}").is_err());
        assert!(template_names("/a/../b").is_err());
        assert!(template_names("/a/%2E%2e/b").is_err());
        assert!(template_names("/a?b=1").is_err());
        assert!(template_names("/a.b/.well-known/%2e%2ex").is_ok());
    }
}
