//! `servers` (with their variables) to [`Server`]s and the builder setters for the variables.

use std::collections::HashMap;

use crate::lower::cx::Cx;
use crate::lower::{template_names, RESERVED_SETTERS};
use crate::model::{Scheme, Server, ServerVariable};
use crate::names::snake;
use crate::source::child;

pub(super) fn lower_servers(cx: &mut Cx<'_>, schemes: &[Scheme]) -> Vec<Server> {
    let mut out = Vec::new();
    let mut setters: HashMap<String, String> = schemes
        .iter()
        .map(|s| (s.setter.clone(), format!("security scheme `{}`", s.name)))
        .collect();
    for s in schemes {
        if RESERVED_SETTERS.contains(&s.setter.as_str()) {
            cx.err_help(&child("#/components/securitySchemes", &s.name), format!("security scheme `{}` would get the builder method `{}`, which the builder already has", s.name, s.setter), "rename the scheme");
        }
    }
    for (i, server) in cx.doc.servers.iter().enumerate() {
        let pointer = child("#/servers", i.to_string());
        let mut variables = Vec::new();
        for (name, var) in server.variables.iter().flatten() {
            let at = child(&child(&pointer, "variables"), name);
            variables.extend(server_variable(cx, server, name, var, &at, &mut setters));
        }
        check_url_template(cx, server, &pointer, &variables);
        out.push(Server {
            url: server.url.clone(),
            description: server.description.clone().unwrap_or_default(),
            variables,
        });
    }
    out
}

/// A server variable gets a builder setter, which must be free (`setters`: setter -> what
/// took it).
fn server_variable(
    cx: &mut Cx<'_>,
    server: &openapiv3::Server,
    name: &str,
    var: &openapiv3::ServerVariable,
    at: &str,
    setters: &mut HashMap<String, String>,
) -> Option<ServerVariable> {
    if !server.url.contains(&format!("{{{name}}}")) {
        cx.err(
            at,
            format!(
                "server variable `{name}` is not used in the URL `{}`",
                server.url
            ),
        );
    }
    let Some(setter) = snake(name) else {
        cx.err(
            at,
            format!("server variable `{name}` cannot become a builder method name"),
        );
        return None;
    };
    if RESERVED_SETTERS.contains(&setter.as_str()) {
        cx.err_help(at, format!("server variable `{name}` would get the builder method `{setter}`, which the builder already has"), "rename the variable");
        return None;
    }
    if let Some(prev) = setters.get(&setter) {
        if !prev.starts_with("server variable") || prev != &format!("server variable `{name}`") {
            let prev = prev.clone();
            cx.err(
                at,
                format!(
                    "server variable `{name}` and {prev} both become the builder method `{setter}`"
                ),
            );
            return None;
        }
    }
    setters.insert(setter.clone(), format!("server variable `{name}`"));
    if !var.enumeration.is_empty()
        && !var.default.is_empty()
        && !var.enumeration.contains(&var.default)
    {
        cx.err(
            &child(at, "default"),
            format!(
                "server variable `{name}` has the default `{}`, which is not one of its allowed values ({})",
                var.default,
                var.enumeration.join(", ")
            ),
        );
    }
    Some(ServerVariable {
        name: name.to_string(),
        setter,
        default: var.default.clone(),
        allowed: var.enumeration.clone(),
        description: var.description.clone().unwrap_or_default(),
    })
}

/// Every `{name}` of the server URL needs a variable of that name.
fn check_url_template(
    cx: &mut Cx<'_>,
    server: &openapiv3::Server,
    pointer: &str,
    variables: &[ServerVariable],
) {
    match template_names(&server.url) {
        Ok(names) => {
            for n in names {
                if !variables.iter().any(|v| v.name == n) {
                    cx.err_help(
                        &child(pointer, "url"),
                        format!("server URL uses `{{{n}}}` but declares no variable `{n}`"),
                        format!("add `{n}` under this server's `variables`"),
                    );
                }
            }
        }
        Err(msg) => cx.err(
            &child(pointer, "url"),
            format!("malformed server URL `{}`: {msg}", server.url),
        ),
    }
}
