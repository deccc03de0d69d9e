//! What a published spec ([`SpecOrigin::Published`](crate::SpecOrigin)) gets wrong that has an
//! obvious reading, rewritten in the document tree with a located note each. Our own specs are
//! not read through this: there, each of these is an error to fix.
//!
//! - a `$ref` to a node of the document that is not a component (`#/paths/.../schema/...`):
//!   a copy of the node in its place;
//! - a path template with a query (`/terms?campaigns={campaigns}&view=full`): its parameters'
//!   pairs are dropped from the path (they are declared apart); parameters of the query declared
//!   `in: path` are optional query parameters; fixed pairs (`view=full`) stay, and the lowering
//!   sends them as written; where the new path is taken, the path is kept apart and read
//!   without the parameters' pairs when lowered (`lower::operations::query_free`); a query of
//!   anything else (`?acl`, `key={APIKEY}`) is left as written (refused);
//! - a path parameter that is not `required: true`: required, as a path needs it;
//! - a `{name}` of the path template no parameter declares: a string path parameter.

use super::oas31::{key, node, string, Notes};
use super::yaml::{unescape, Key, Mapping, Node, Value};
use crate::source::child;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How many rounds of copying references to references are followed before giving up (a
/// reference cycle through non-component nodes).
const MAX_ROUNDS: usize = 8;

/// How deep a copy may put a node (in collections from the root): a node that refers to its
/// own ancestor doubles the depth at each round, and the YAML parser refuses text nested
/// beyond 128 for the same reason (the document model's deserializer recurses per level).
const MAX_COPY_DEPTH: usize = 64;

/// `$ref`s to nodes that are not components replaced by copies of the nodes (before the
/// document is normalised, so that the copies are too).
pub(crate) fn inline_refs(root: &mut Node, notes: &mut Notes) {
    // Copies of copies can grow a document geometrically (a node referring to itself twice):
    // at most as many nodes are copied as the document has, plus a floor for small ones; past
    // that a reference is left as written, and refused where it is used.
    let mut budget = size(root).max(10_000);
    for _ in 0..MAX_ROUNDS {
        let snapshot = root.clone();
        if !inline_local_refs(root, &snapshot, "#", notes, &mut budget, 0) {
            break;
        }
    }
}

/// How many collections deep `n` goes (a scalar is 0).
fn depth(n: &Node) -> usize {
    match &n.value {
        Value::Mapping(m) => 1 + m.values().map(depth).max().unwrap_or(0),
        Value::Sequence(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Tagged(t) => depth(&t.1),
        _ => 0,
    }
}

/// The number of nodes of `n`.
fn size(n: &Node) -> usize {
    1 + match &n.value {
        Value::Mapping(m) => m.values().map(size).sum(),
        Value::Sequence(items) => items.iter().map(size).sum(),
        Value::Tagged(t) => size(&t.1),
        _ => 0,
    }
}

/// The path templates and path parameters of an OpenAPI 3.0 document (after conversion).
pub(crate) fn fix_paths(root: &mut Node, notes: &mut Notes) {
    paths(root, notes);
}

/// Whether the `$ref` at `at`, a response of an operation (`.../responses/200`), names a request
/// body (`#/components/requestBodies/X`, as PagerDuty's spec files one): the two share their
/// `description` and `content`, so the request body reads as the response.
fn misfiled_response(at: &str, r: &str) -> bool {
    r.starts_with("#/components/requestBodies/") && at.rsplit('/').nth(1) == Some("responses")
}

/// Whether `r` names a component (`#/components/<kind>/<name>`), which the generator resolves
/// itself.
fn is_component_ref(r: &str) -> bool {
    r.strip_prefix("#/components/")
        .is_some_and(|rest| rest.split('/').count() == 2)
}

/// The node at the JSON pointer `r` (`#/a/b`, tokens percent-decoded then unescaped).
fn lookup<'n>(root: &'n Node, r: &str) -> Option<&'n Node> {
    let rest = r.strip_prefix('#')?;
    let mut n = root;
    for token in rest.split('/').skip(1) {
        let token = percent_decode(token);
        n = n.child(&unescape(&token))?;
    }
    Some(n)
}

/// `%XX` sequences of a pointer written as a URI fragment, decoded (`%7B` is `{`).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One round: every `$ref` to a non-component node of `snapshot` replaced by a copy of it.
/// Whether anything was replaced.
fn inline_local_refs(
    n: &mut Node,
    snapshot: &Node,
    at: &str,
    notes: &mut Notes,
    budget: &mut usize,
    level: usize,
) -> bool {
    let mut changed = false;
    match &mut n.value {
        Value::Mapping(m) => {
            let target = m
                .get(&Key("$ref"))
                .and_then(|r| r.value.as_str().map(|s| (s.to_string(), r.pos)))
                .filter(|(r, _)| {
                    r.starts_with("#/") && !is_component_ref(r) && !r.contains("/$defs/")
                        || misfiled_response(at, r)
                });
            if let Some((r, rpos)) = target {
                let target = lookup(snapshot, &r).filter(|t| {
                    if level + depth(t) > MAX_COPY_DEPTH {
                        return false;
                    }
                    let n = size(t);
                    let fits = n <= *budget;
                    *budget = budget.saturating_sub(n);
                    fits
                });
                if let Some(Value::Mapping(copy)) = target.map(|t| t.value.clone()) {
                    let misfiled = misfiled_response(at, &r);
                    notes.add(
                        &child(at, "$ref"),
                        rpos,
                        if misfiled {
                            format!("`$ref: {r}` names a request body where a response belongs: its description and content are used as the response")
                        } else {
                            format!("`$ref: {r}` names a node that is not a component: a copy of it is used here")
                        },
                    );
                    m.swap_remove(&Key("$ref"));
                    for (k, v) in copy {
                        // (A request body's `required` means nothing for a response.)
                        if !(misfiled && k.as_str() == Some("required")) {
                            m.entry(k).or_insert(v);
                        }
                    }
                    changed = true;
                }
            }
            for (k, v) in m.iter_mut() {
                if matches!(k.as_str(), Some("example" | "enum")) {
                    continue;
                }
                if let Some(t) = k.token() {
                    changed |=
                        inline_local_refs(v, snapshot, &child(at, t), notes, budget, level + 1);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                changed |= inline_local_refs(
                    v,
                    snapshot,
                    &child(at, i.to_string()),
                    notes,
                    budget,
                    level + 1,
                );
            }
        }
        _ => {}
    }
    changed
}

/// The `{name}`s of a path template.
fn template_names(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

/// The parameters of the document's paths: the path template's query dropped, path
/// parameters required, undeclared ones declared.
/// The parameters of path item `item` (its own and its operations', written in place) named in
/// `query` and declared `in: path`: made optional query parameters, with a note each.
fn query_params_of_path(item: &mut Node, query: &[String], at: &str, notes: &mut Notes) {
    let Value::Mapping(im) = &mut item.value else {
        return;
    };
    let mut lists: Vec<(String, &mut Node)> = Vec::new();
    for (k, v) in im.iter_mut() {
        let Some(name) = k.as_str() else { continue };
        if name == "parameters" {
            lists.push((child(at, "parameters"), v));
        } else if METHODS.contains(&name) {
            let op_at = child(at, name);
            if let Value::Mapping(om) = &mut v.value {
                if let Some(list) = om.get_mut(&Key("parameters")) {
                    lists.push((child(&op_at, "parameters"), list));
                }
            }
        }
    }
    for (list_at, list) in lists {
        let Value::Sequence(ps) = &mut list.value else {
            continue;
        };
        for (i, p) in ps.iter_mut().enumerate() {
            let pos = p.pos;
            let Value::Mapping(pm) = &mut p.value else {
                continue;
            };
            let name = pm.get(&Key("name")).and_then(|n| n.value.as_str());
            let in_path = pm.get(&Key("in")).and_then(|n| n.value.as_str()) == Some("path");
            let Some(name) = name.filter(|n| in_path && query.iter().any(|q| q == n)) else {
                continue;
            };
            let name = name.to_string();
            pm.insert(key("in"), string("query", pos));
            pm.swap_remove(&Key("required"));
            notes.add(
                &child(&list_at, i.to_string()),
                pos,
                format!("path parameter `{name}` is in the query of the path template: read as an optional query parameter"),
            );
        }
    }
}

/// One pair of the query of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryPair<'q> {
    /// `name={name}`: a placeholder for a parameter the spec declares apart (its name).
    Parameter(&'q str),
    /// `view=summary`: fixed text, which `#[endpoint]` sends as written (the whole pair).
    Fixed(&'q str),
}

/// The pairs of the query of a path template, or `None` if one is neither kind: a flag
/// without `=` (`?acl`), a placeholder under another name (`key={APIKEY}`), or text a URL
/// query cannot hold as written (the characters `#[endpoint]` takes: letters, digits,
/// `-._~:@/?!$'()*+,;` and `%XX` escapes; the macro's rule is `check_fixed_query` in
/// macros/src/parse/template.rs, and the two must agree).
pub(crate) fn query_pairs(query: &str) -> Option<Vec<QueryPair<'_>>> {
    let text_ok = |t: &str| {
        let mut chars = t.chars();
        while let Some(c) = chars.next() {
            if c == '%'
                && chars
                    .clone()
                    .take(2)
                    .filter(char::is_ascii_hexdigit)
                    .count()
                    == 2
            {
                chars.nth(1);
            } else if !(c.is_ascii_alphanumeric() || "-._~:@/?!$'()*+,;".contains(c)) {
                return false;
            }
        }
        true
    };
    query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=')?;
            if value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) == Some(name) {
                Some(QueryPair::Parameter(name))
            } else if !name.is_empty() && text_ok(name) && text_ok(value) {
                Some(QueryPair::Fixed(pair))
            } else {
                None
            }
        })
        .collect()
}

/// A path template with a query, as the client reads it: the path, the names of the query's
/// parameters (declared apart, sent as declared), and the query's fixed pairs joined by `&`
/// (empty when there are none). `None` when the query is not one [`query_pairs`] reads.
pub(crate) fn split_query(template: &str) -> Option<(&str, Vec<&str>, String)> {
    let (bare, query) = template.split_once('?')?;
    let mut parameters = Vec::new();
    let mut fixed = Vec::new();
    for pair in query_pairs(query)? {
        match pair {
            QueryPair::Parameter(name) => parameters.push(name),
            QueryPair::Fixed(text) => fixed.push(text),
        }
    }
    Some((bare, parameters, fixed.join("&")))
}

fn paths(root: &mut Node, notes: &mut Notes) {
    let components = root
        .value
        .get("components")
        .and_then(|c| c.value.get("parameters"))
        .cloned();
    let Some(paths) = (match &mut root.value {
        Value::Mapping(m) => m.get_mut(&Key("paths")),
        _ => None,
    }) else {
        return;
    };
    let Value::Mapping(items) = &mut paths.value else {
        return;
    };
    // A query written into the path template: its parameters' pairs are dropped from the path
    // (fixed pairs stay, sent as written).
    let with_query: Vec<Value> = items
        .keys()
        .filter(|k| {
            k.as_str()
                .and_then(split_query)
                .is_some_and(|(_, parameters, _)| !parameters.is_empty())
        })
        .cloned()
        .collect();
    for k in with_query {
        let Some(old) = k.as_str().map(str::to_string) else {
            continue;
        };
        let Some((bare, parameters, fixed)) = split_query(&old) else {
            continue;
        };
        let new = if fixed.is_empty() {
            bare.to_string()
        } else {
            format!("{bare}?{fixed}")
        };
        let at = child("#/paths", &old);
        let query_names: Vec<String> = parameters.iter().map(|n| n.to_string()).collect();
        // Parameters of the query declared `in: path` (as the template made them look) are
        // query parameters, and optional: the template was their only reason to be required.
        if let Some(item) = items.get_mut(&k) {
            query_params_of_path(item, &query_names, &at, notes);
        }
        let Some(item) = items.get(&k).cloned() else {
            continue;
        };
        let query: Vec<String> = query_names.iter().map(|n| format!("`{n}`")).collect();
        if items.contains_key(&Key(&new)) {
            // `/orders` and `/orders?customerName={customerName}&...` (ShipStation): kept apart,
            // and read without the query's parameters when lowered
            // (`lower::operations::query_free`).
            notes.add(
                &at,
                item.pos,
                format!("path `{old}` has a query in its template, and `{new}` is taken: kept as a path of its own"),
            );
            continue;
        }
        notes.add(
            &at,
            item.pos,
            format!(
                "path `{old}` has a query in its template: read as `{new}`; the query's {} is sent only as a declared query parameter",
                query.join(", ")
            ),
        );
        if let Some(i) = items.get_index_of(&k) {
            items.shift_remove(&k);
            items.shift_insert(i, key(&new), item);
        }
    }
    // `<name>` written for `{name}`.
    let angled: Vec<Value> = items
        .keys()
        .filter(|k| {
            k.as_str()
                .is_some_and(|p| p.contains('<') && p.contains('>'))
        })
        .cloned()
        .collect();
    for k in angled {
        let Some(old) = k.as_str().map(str::to_string) else {
            continue;
        };
        let new = old.replace('<', "{").replace('>', "}");
        if items.contains_key(&Key(&new)) {
            continue;
        }
        if let (Some(i), Some(item)) = (items.get_index_of(&k), items.get(&k).cloned()) {
            notes.add(
                &child("#/paths", &old),
                item.pos,
                format!("path `{old}` writes its parameters in `<>`: read as `{new}`"),
            );
            items.shift_remove(&k);
            items.shift_insert(i, key(&new), item);
        }
    }
    for (k, item) in items.iter_mut() {
        let Some(path) = k.as_str().map(str::to_string) else {
            continue;
        };
        // The path's own placeholders (a query still in the template, kept where the bare path
        // is taken with the same methods, holds query parameters: see above).
        let names = template_names(path.split('?').next().unwrap_or_default());
        let at = child("#/paths", &path);
        let Value::Mapping(im) = &mut item.value else {
            continue;
        };
        let mut shared: Vec<String> = Vec::new();
        if let Some(Value::Sequence(ps)) = im.get_mut(&Key("parameters")).map(|n| &mut n.value) {
            let mut i = 0;
            ps.retain_mut(|p| {
                let pat = child(&child(&at, "parameters"), i.to_string());
                i += 1;
                match require_path_param(p, &pat, notes) {
                    Some(name) if !names.contains(&name) => {
                        notes.add(
                            &pat,
                            p.pos,
                            format!("path parameter `{name}` is not in the path `{path}`: ignored"),
                        );
                        false
                    }
                    Some(name) => {
                        shared.push(name);
                        true
                    }
                    None => true,
                }
            });
        }
        for method in METHODS {
            let Some(op) = im.get_mut(&Key(method)) else {
                continue;
            };
            let opos = op.pos;
            let Value::Mapping(om) = &mut op.value else {
                continue;
            };
            let oat = child(&at, method);
            let mut declared = shared.clone();
            let list = om
                .entry(key("parameters"))
                .or_insert_with(|| node(Value::Sequence(Vec::new()), opos));
            let Value::Sequence(ps) = &mut list.value else {
                continue;
            };
            let mut i = 0;
            ps.retain_mut(|p| {
                let pat = child(&child(&oat, "parameters"), i.to_string());
                i += 1;
                let name = require_path_param(p, &pat, notes)
                    .or_else(|| referenced_path_param(p, components.as_ref()));
                match name {
                    Some(name) if !names.contains(&name) => {
                        notes.add(
                            &pat,
                            p.pos,
                            format!("path parameter `{name}` is not in the path `{path}`: ignored"),
                        );
                        false
                    }
                    Some(name) => {
                        declared.push(name);
                        true
                    }
                    None => true,
                }
            });
            for name in &names {
                if declared.contains(name) {
                    continue;
                }
                notes.add(
                    &oat,
                    opos,
                    format!("`{{{name}}}` of the path has no parameter: read as a required string path parameter `{name}`"),
                );
                let mut p = Mapping::new();
                p.insert(key("name"), string(name, opos));
                p.insert(key("in"), string("path", opos));
                p.insert(key("required"), node(Value::Bool(true), opos));
                let mut s = Mapping::new();
                s.insert(key("type"), string("string", opos));
                p.insert(key("schema"), node(Value::Mapping(s), opos));
                ps.push(node(Value::Mapping(p), opos));
            }
            if ps.is_empty() {
                om.swap_remove(&Key("parameters"));
            }
        }
    }
}

/// An inline path parameter: made required (with a note) when it is not; its name.
fn require_path_param(p: &mut Node, at: &str, notes: &mut Notes) -> Option<String> {
    let pos = p.pos;
    let Value::Mapping(m) = &mut p.value else {
        return None;
    };
    if m.get(&Key("in")).and_then(|n| n.value.as_str()) != Some("path") {
        return None;
    }
    let name = m
        .get(&Key("name"))
        .and_then(|n| n.value.as_str())?
        .to_string();
    if !matches!(
        m.get(&Key("required")).map(|r| &r.value),
        Some(Value::Bool(true))
    ) {
        notes.add(
            at,
            pos,
            format!("path parameter `{name}` is not `required: true`: read as required, as a path needs it"),
        );
        m.insert(key("required"), node(Value::Bool(true), pos));
    }
    Some(name)
}

/// The name of a `$ref` to a path parameter of `components/parameters`.
fn referenced_path_param(p: &Node, components: Option<&Node>) -> Option<String> {
    let r = p.value.get("$ref")?.value.as_str()?;
    let name = r.strip_prefix("#/components/parameters/")?;
    let target = components?.child(&unescape(name))?;
    (target.value.get("in")?.value.as_str()? == "path")
        .then(|| target.value.get("name")?.value.as_str().map(str::to_string))
        .flatten()
}
