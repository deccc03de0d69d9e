//! Swagger 2.0 converted into OpenAPI 3.0.3 in the document tree, before it is typed, as
//! swagger2openapi and openapi-generator convert it:
//!
//! - `host`, `basePath` and `schemes` become `servers` (one per scheme);
//! - `definitions`, `parameters`, `responses` and `securityDefinitions` become `components`
//!   (`schemas`, `parameters`, `responses`, `securitySchemes`), and every `$ref` follows;
//! - a parameter's `type`/`format`/`items`/... becomes its `schema`, and `collectionFormat` its
//!   `style`/`explode`; an `in: body` parameter becomes the `requestBody`, `in: formData`
//!   parameters one form (`multipart/form-data` when a file is sent or `consumes` says so);
//! - `consumes` and `produces` (the operation's, else the document's, else JSON) become the
//!   media types of the request body and of each response's `content`;
//! - in schemas, `type: file` is binary, `x-nullable` is `nullable` and a string
//!   `discriminator` is its `propertyName`.
//!
//! Converted nodes keep the positions they were written at, so diagnostics about the converted
//! document point into the Swagger text. What has no 3.0 counterpart is a located [`Note`].
//!
//! [`Note`]: super::oas31::Note

use super::oas31::{key, node, string, Notes};
use super::yaml::{Key, Mapping, Node, Value};
use crate::source::child;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The keywords of a Swagger 2.0 non-body parameter that describe its value (its schema in 3.0).
const SCHEMA_KEYS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// Converts the Swagger 2.0 document `root` into OpenAPI 3.0.3.
pub(crate) fn convert(root: &mut Node, notes: &mut Notes) {
    let pos = root.pos;
    let Value::Mapping(top) = std::mem::replace(&mut root.value, Value::Null) else {
        return;
    };
    let mut old = top;
    let mut out = Mapping::new();
    out.insert(key("openapi"), string("3.0.3", pos));
    if let Some(info) = old.swap_remove(&Key("info")) {
        out.insert(key("info"), info);
    }
    let servers = servers(&mut old, pos);
    if !servers.is_empty() {
        out.insert(key("servers"), node(Value::Sequence(servers), pos));
    }
    let consumes = media_list(old.get(&Key("consumes")));
    let produces = media_list(old.get(&Key("produces")));
    let global_params = old
        .swap_remove(&Key("parameters"))
        .and_then(|n| match n.value {
            Value::Mapping(m) => Some(m),
            _ => None,
        })
        .unwrap_or_default();
    let mut cx = Convert {
        notes,
        global_params: &global_params,
    };
    if let Some(mut paths) = old.swap_remove(&Key("paths")) {
        if let Value::Mapping(items) = &mut paths.value {
            for (k, item) in items.iter_mut() {
                let Some(path) = k.token() else { continue };
                cx.path_item(item, &child("#/paths", &path), &consumes, &produces);
            }
        }
        out.insert(key("paths"), paths);
    } else {
        out.insert(key("paths"), node(Value::Mapping(Mapping::new()), pos));
    }
    let mut components = Mapping::new();
    if let Some(mut defs) = old.swap_remove(&Key("definitions")) {
        if let Value::Mapping(m) = &mut defs.value {
            for (k, s) in m.iter_mut() {
                let name = k.token().unwrap_or_default();
                cx.schema(s, &child("#/definitions", &name));
            }
        }
        components.insert(key("schemas"), defs);
    }
    let mut params = Mapping::new();
    for (k, p) in &global_params {
        let name = k.token().unwrap_or_default();
        let at = child("#/parameters", &name);
        match p.value.get("in").and_then(|n| n.value.as_str()) {
            // Body and form parameters are request bodies in 3.0: inlined where used.
            Some("body" | "formData") => {}
            _ => {
                let mut p = p.clone();
                cx.parameter(&mut p, &at);
                params.insert(k.clone(), p);
            }
        }
    }
    if !params.is_empty() {
        components.insert(key("parameters"), node(Value::Mapping(params), pos));
    }
    if let Some(mut responses) = old.swap_remove(&Key("responses")) {
        if let Value::Mapping(m) = &mut responses.value {
            for (k, r) in m.iter_mut() {
                let name = k.token().unwrap_or_default();
                cx.response(r, &child("#/responses", &name), &produces);
            }
        }
        components.insert(key("responses"), responses);
    }
    if let Some(mut defs) = old.swap_remove(&Key("securityDefinitions")) {
        if let Value::Mapping(m) = &mut defs.value {
            for (k, s) in m.iter_mut() {
                let name = k.token().unwrap_or_default();
                cx.security_scheme(s, &child("#/securityDefinitions", &name));
            }
        }
        components.insert(key("securitySchemes"), defs);
    }
    if !components.is_empty() {
        out.insert(key("components"), node(Value::Mapping(components), pos));
    }
    for k in ["security", "tags", "externalDocs"] {
        if let Some(v) = old.swap_remove(&Key(k)) {
            out.insert(key(k), v);
        }
    }
    for (k, v) in old {
        if k.as_str().is_some_and(|k| k.starts_with("x-")) {
            out.insert(k, v);
        }
    }
    root.value = Value::Mapping(out);
    rewrite_refs(root);
}

/// `schemes` × `host` + `basePath` as server URLs (`https` first when both are listed).
fn servers(old: &mut Mapping, pos: (usize, usize)) -> Vec<Node> {
    let host = old
        .swap_remove(&Key("host"))
        .and_then(|h| h.value.as_str().map(str::to_string));
    let base = old
        .swap_remove(&Key("basePath"))
        .and_then(|b| b.value.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut schemes: Vec<String> = match old.swap_remove(&Key("schemes")).map(|s| s.value) {
        Some(Value::Sequence(s)) => s
            .iter()
            .filter_map(|n| n.value.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    schemes.sort_by_key(|s| s != "https");
    if schemes.is_empty() {
        schemes.push("https".into());
    }
    let urls: Vec<String> = match &host {
        Some(h) => schemes.iter().map(|s| format!("{s}://{h}{base}")).collect(),
        None if !base.is_empty() => vec![base],
        None => Vec::new(),
    };
    urls.into_iter()
        .map(|u| {
            let mut m = Mapping::new();
            m.insert(key("url"), string(&u, pos));
            node(Value::Mapping(m), pos)
        })
        .collect()
}

/// The media types of a `consumes`/`produces` list.
fn media_list(n: Option<&Node>) -> Option<Vec<String>> {
    match n.map(|n| &n.value) {
        Some(Value::Sequence(s)) => Some(
            s.iter()
                .filter_map(|n| n.value.as_str().map(str::to_string))
                .collect(),
        ),
        _ => None,
    }
}

struct Convert<'n> {
    notes: &'n mut Notes,
    global_params: &'n Mapping,
}

impl Convert<'_> {
    fn path_item(
        &mut self,
        item: &mut Node,
        at: &str,
        consumes: &Option<Vec<String>>,
        produces: &Option<Vec<String>>,
    ) {
        let Value::Mapping(m) = &mut item.value else {
            return;
        };
        // Path-level parameters: body and form ones move into each operation.
        let shared: Vec<Node> = match m.swap_remove(&Key("parameters")).map(|n| n.value) {
            Some(Value::Sequence(s)) => s,
            _ => Vec::new(),
        };
        let (mut keep, moved): (Vec<Node>, Vec<Node>) = shared
            .into_iter()
            .map(|p| self.resolve_param(p))
            .partition(|p| !is_body_or_form(p));
        for (i, p) in keep.iter_mut().enumerate() {
            self.parameter(p, &child(&child(at, "parameters"), i.to_string()));
        }
        for method in METHODS {
            let Some(op) = m.get_mut(&Key(method)) else {
                continue;
            };
            if !moved.is_empty() {
                if let Value::Mapping(o) = &mut op.value {
                    let list = o
                        .entry(key("parameters"))
                        .or_insert_with(|| node(Value::Sequence(Vec::new()), op_pos(&moved)));
                    if let Value::Sequence(l) = &mut list.value {
                        l.extend(moved.iter().cloned());
                    }
                }
            }
            self.operation(op, &child(at, method), consumes, produces);
        }
        if !keep.is_empty() {
            let p = keep[0].pos;
            m.insert(key("parameters"), node(Value::Sequence(keep), p));
        }
    }

    /// A `$ref` to `#/parameters/<name>` of a body or form parameter, replaced by a copy of it
    /// (3.0 has no component for those); other parameters are returned as they are.
    fn resolve_param(&self, p: Node) -> Node {
        let Some(r) = p.value.get("$ref").and_then(|r| r.value.as_str()) else {
            return p;
        };
        let Some(name) = r.strip_prefix("#/parameters/") else {
            return p;
        };
        match self.global_params.get(&Key(&super::yaml::unescape(name))) {
            Some(target) if is_body_or_form(target) => target.clone(),
            _ => p,
        }
    }

    fn operation(
        &mut self,
        op: &mut Node,
        at: &str,
        consumes: &Option<Vec<String>>,
        produces: &Option<Vec<String>>,
    ) {
        let pos = op.pos;
        let Value::Mapping(m) = &mut op.value else {
            return;
        };
        let consumes = media_list(m.swap_remove(&Key("consumes")).as_ref())
            .or_else(|| consumes.clone())
            .unwrap_or_default();
        let produces = media_list(m.swap_remove(&Key("produces")).as_ref())
            .or_else(|| produces.clone())
            .unwrap_or_default();
        m.swap_remove(&Key("schemes"));
        let params: Vec<Node> = match m.swap_remove(&Key("parameters")).map(|n| n.value) {
            Some(Value::Sequence(s)) => s.into_iter().map(|p| self.resolve_param(p)).collect(),
            _ => Vec::new(),
        };
        let mut kept = Vec::new();
        let mut body: Option<Node> = None;
        let mut form: Vec<Node> = Vec::new();
        for (i, mut p) in params.into_iter().enumerate() {
            let pat = child(&child(at, "parameters"), i.to_string());
            match p.value.get("in").and_then(|n| n.value.as_str()) {
                Some("body") => body = Some(p),
                Some("formData") => form.push(p),
                _ => {
                    self.parameter(&mut p, &pat);
                    kept.push(p);
                }
            }
        }
        if !kept.is_empty() {
            let p = kept[0].pos;
            m.insert(key("parameters"), node(Value::Sequence(kept), p));
        }
        if let Some(b) = body {
            let rb = self.body(b, &consumes, at);
            m.insert(key("requestBody"), rb);
        } else if !form.is_empty() {
            let rb = self.form(form, &consumes, pos, at);
            m.insert(key("requestBody"), rb);
        }
        if let Some(r) = m.get_mut(&Key("responses")) {
            if let Value::Mapping(rs) = &mut r.value {
                for (code, resp) in rs.iter_mut() {
                    let code = code.token().unwrap_or_default();
                    self.response(
                        resp,
                        &child(&child(at, "responses"), &code),
                        &Some(produces.clone()),
                    );
                }
            }
        }
    }

    /// A non-body parameter: its value keywords into `schema`, `collectionFormat` into
    /// `style`/`explode`.
    fn parameter(&mut self, p: &mut Node, at: &str) {
        let pos = p.pos;
        let Value::Mapping(m) = &mut p.value else {
            return;
        };
        if m.contains_key(&Key("$ref")) || m.contains_key(&Key("schema")) {
            return;
        }
        let mut schema = Mapping::new();
        for k in SCHEMA_KEYS {
            if let Some(v) = m.swap_remove(&Key(k)) {
                schema.insert(key(k), v);
            }
        }
        m.swap_remove(&Key("allowEmptyValue"));
        let place = m
            .get(&Key("in"))
            .and_then(|n| n.value.as_str())
            .unwrap_or("")
            .to_string();
        if let Some(cf) = m.swap_remove(&Key("collectionFormat")) {
            let style = match (cf.value.as_str(), place.as_str()) {
                (Some("multi"), _) => Some(("form", true)),
                (Some("csv"), "query" | "cookie") => Some(("form", false)),
                (Some("csv"), _) => Some(("simple", false)),
                (Some("ssv"), _) => Some(("spaceDelimited", false)),
                (Some("pipes"), _) => Some(("pipeDelimited", false)),
                _ => None,
            };
            match style {
                Some((style, explode)) => {
                    m.insert(key("style"), string(style, cf.pos));
                    m.insert(key("explode"), node(Value::Bool(explode), cf.pos));
                }
                None => self.notes.add(
                    &child(at, "collectionFormat"),
                    cf.pos,
                    "this `collectionFormat` has no OpenAPI 3.0 style: the list is sent in the default style for its place",
                ),
            }
        } else if schema.get(&Key("type")).and_then(|t| t.value.as_str()) == Some("array")
            && place == "query"
        {
            // Swagger 2.0's default for a list is `csv`.
            m.insert(key("style"), string("form", pos));
            m.insert(key("explode"), node(Value::Bool(false), pos));
        }
        let mut s = node(Value::Mapping(schema), pos);
        self.schema(&mut s, &child(at, "schema"));
        m.insert(key("schema"), s);
    }

    /// An `in: body` parameter as the request body, one media type per `consumes`.
    fn body(&mut self, b: Node, consumes: &[String], at: &str) -> Node {
        let pos = b.pos;
        let Value::Mapping(mut m) = b.value else {
            return b;
        };
        let mut schema = m
            .swap_remove(&Key("schema"))
            .unwrap_or_else(|| node(Value::Mapping(Mapping::new()), pos));
        self.schema(&mut schema, &child(at, "requestBody"));
        let mut out = Mapping::new();
        if let Some(d) = m.swap_remove(&Key("description")) {
            out.insert(key("description"), d);
        }
        if let Some(r) = m.swap_remove(&Key("required")) {
            out.insert(key("required"), r);
        }
        let types = json_first(consumes, "application/json");
        out.insert(key("content"), content(&types, &schema, pos));
        for (k, v) in m {
            if k.as_str().is_some_and(|k| k.starts_with("x-")) {
                out.insert(k, v);
            }
        }
        node(Value::Mapping(out), pos)
    }

    /// `in: formData` parameters as one form body: an object of their values.
    fn form(
        &mut self,
        params: Vec<Node>,
        consumes: &[String],
        pos: (usize, usize),
        at: &str,
    ) -> Node {
        let mut props = Mapping::new();
        let mut required = Vec::new();
        let mut file = false;
        for p in params {
            let ppos = p.pos;
            let Value::Mapping(mut m) = p.value else {
                continue;
            };
            let Some(name) = m
                .get(&Key("name"))
                .and_then(|n| n.value.as_str())
                .map(str::to_string)
            else {
                continue;
            };
            if matches!(
                m.get(&Key("required")).map(|r| &r.value),
                Some(Value::Bool(true))
            ) {
                required.push(string(&name, ppos));
            }
            let mut schema = Mapping::new();
            for k in SCHEMA_KEYS.iter().copied().chain(["description"]) {
                if let Some(v) = m.swap_remove(&Key(k)) {
                    schema.insert(key(k), v);
                }
            }
            file |= schema.get(&Key("type")).and_then(|t| t.value.as_str()) == Some("file");
            let mut s = node(Value::Mapping(schema), ppos);
            self.schema(&mut s, &child(&child(at, "requestBody"), &name));
            props.insert(key(&name), s);
        }
        let mut schema = Mapping::new();
        schema.insert(key("type"), string("object", pos));
        schema.insert(key("properties"), node(Value::Mapping(props), pos));
        let any_required = !required.is_empty();
        if any_required {
            schema.insert(key("required"), node(Value::Sequence(required), pos));
        }
        let multipart = file || consumes.iter().any(|c| c == "multipart/form-data");
        let media = if multipart {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut out = Mapping::new();
        out.insert(
            key("content"),
            content(
                &[media.to_string()],
                &node(Value::Mapping(schema), pos),
                pos,
            ),
        );
        if any_required {
            out.insert(key("required"), node(Value::Bool(true), pos));
        }
        node(Value::Mapping(out), pos)
    }

    /// A response: its `schema` as `content` in each produced media type, its headers'
    /// value keywords as their `schema`.
    fn response(&mut self, r: &mut Node, at: &str, produces: &Option<Vec<String>>) {
        let pos = r.pos;
        let Value::Mapping(m) = &mut r.value else {
            return;
        };
        if m.contains_key(&Key("$ref")) {
            return;
        }
        if let Some(h) = m.get_mut(&Key("headers")) {
            if let Value::Mapping(hs) = &mut h.value {
                for (name, header) in hs.iter_mut() {
                    let name = name.token().unwrap_or_default();
                    let hpos = header.pos;
                    if let Value::Mapping(hm) = &mut header.value {
                        let mut schema = Mapping::new();
                        for k in SCHEMA_KEYS {
                            if let Some(v) = hm.swap_remove(&Key(k)) {
                                schema.insert(key(k), v);
                            }
                        }
                        hm.swap_remove(&Key("collectionFormat"));
                        let mut s = node(Value::Mapping(schema), hpos);
                        self.schema(&mut s, &child(&child(at, "headers"), &name));
                        hm.insert(key("schema"), s);
                    }
                }
            }
        }
        // `examples` (media type -> example) become each media type's `example`.
        let examples = match m.swap_remove(&Key("examples")).map(|n| n.value) {
            Some(Value::Mapping(e)) => e,
            _ => Mapping::new(),
        };
        if let Some(mut schema) = m.swap_remove(&Key("schema")) {
            self.schema(&mut schema, &child(at, "schema"));
            let types = json_first(produces.as_deref().unwrap_or_default(), "application/json");
            let mut c = content(&types, &schema, pos);
            if let Value::Mapping(media) = &mut c.value {
                for (t, mt) in media.iter_mut() {
                    let example = t.as_str().and_then(|t| examples.get(&Key(t)));
                    if let (Some(e), Value::Mapping(mt)) = (example, &mut mt.value) {
                        mt.insert(key("example"), e.clone());
                    }
                }
            }
            m.insert(key("content"), c);
        }
        if !m.contains_key(&Key("description")) {
            m.insert(key("description"), string("", pos));
        }
    }

    fn security_scheme(&mut self, s: &mut Node, at: &str) {
        let pos = s.pos;
        let Value::Mapping(m) = &mut s.value else {
            return;
        };
        match m.get(&Key("type")).and_then(|t| t.value.as_str()) {
            Some("basic") => {
                m.insert(key("type"), string("http", pos));
                m.insert(key("scheme"), string("basic", pos));
            }
            Some("oauth2") => {
                let flow = m
                    .swap_remove(&Key("flow"))
                    .and_then(|f| f.value.as_str().map(str::to_string))
                    .unwrap_or_default();
                let name = match flow.as_str() {
                    "implicit" => "implicit",
                    "password" => "password",
                    "application" => "clientCredentials",
                    "accessCode" => "authorizationCode",
                    other => {
                        self.notes.add(
                            at,
                            pos,
                            format!("OAuth 2 flow `{other}` is not a Swagger 2.0 flow: read as `clientCredentials`"),
                        );
                        "clientCredentials"
                    }
                };
                let mut f = Mapping::new();
                for k in ["authorizationUrl", "tokenUrl", "scopes"] {
                    if let Some(v) = m.swap_remove(&Key(k)) {
                        f.insert(key(k), v);
                    }
                }
                if !f.contains_key(&Key("scopes")) {
                    f.insert(key("scopes"), node(Value::Mapping(Mapping::new()), pos));
                }
                let mut flows = Mapping::new();
                flows.insert(key(name), node(Value::Mapping(f), pos));
                m.insert(key("flows"), node(Value::Mapping(flows), pos));
            }
            _ => {}
        }
    }

    /// A schema and the schemas inside it: `type: file`, `x-nullable` and a string
    /// `discriminator` in their 3.0 spelling.
    fn schema(&mut self, s: &mut Node, at: &str) {
        let pos = s.pos;
        let Value::Mapping(m) = &mut s.value else {
            return;
        };
        if m.get(&Key("type")).and_then(|t| t.value.as_str()) == Some("file") {
            m.insert(key("type"), string("string", pos));
            m.insert(key("format"), string("binary", pos));
        }
        if let Some(n) = m.swap_remove(&Key("x-nullable")) {
            if matches!(n.value, Value::Bool(true)) {
                m.insert(key("nullable"), node(Value::Bool(true), n.pos));
            }
        }
        if let Some(d) = m.get(&Key("discriminator")) {
            if let Some(prop) = d.value.as_str() {
                let dpos = d.pos;
                let mut dm = Mapping::new();
                dm.insert(key("propertyName"), string(prop, dpos));
                m.insert(key("discriminator"), node(Value::Mapping(dm), dpos));
            }
        }
        for k in ["properties"] {
            if let Some(p) = m.get_mut(&Key(k)) {
                if let Value::Mapping(ps) = &mut p.value {
                    for (name, s) in ps.iter_mut() {
                        let name = name.token().unwrap_or_default();
                        self.schema(s, &child(&child(at, k), &name));
                    }
                }
            }
        }
        if let Some(Value::Sequence(items)) = m.get_mut(&Key("allOf")).map(|n| &mut n.value) {
            for (i, s) in items.iter_mut().enumerate() {
                self.schema(s, &child(&child(at, "allOf"), i.to_string()));
            }
        }
        for k in ["items", "additionalProperties"] {
            if let Some(inner) = m.get_mut(&Key(k)) {
                if matches!(inner.value, Value::Mapping(_)) {
                    self.schema(inner, &child(at, k));
                }
            }
        }
    }
}

fn op_pos(moved: &[Node]) -> (usize, usize) {
    moved.first().map_or((1, 1), |n| n.pos)
}

fn is_body_or_form(p: &Node) -> bool {
    matches!(
        p.value.get("in").and_then(|n| n.value.as_str()),
        Some("body" | "formData")
    )
}

/// The media types to describe a body in: the JSON ones of `list` when it has any (the
/// generated client speaks JSON), else `list`, else `default`.
fn json_first(list: &[String], default: &str) -> Vec<String> {
    let json: Vec<String> = list
        .iter()
        .filter(|t| t.contains("json"))
        .cloned()
        .collect();
    match (json.is_empty(), list.is_empty()) {
        (false, _) => json,
        (true, false) => list.to_vec(),
        (true, true) => vec![default.to_string()],
    }
}

/// `content` with `schema` under each media type of `types`.
fn content(types: &[String], schema: &Node, pos: (usize, usize)) -> Node {
    let mut c = Mapping::new();
    for t in types {
        let mut media = Mapping::new();
        media.insert(key("schema"), schema.clone());
        c.insert(key(t), node(Value::Mapping(media), pos));
    }
    node(Value::Mapping(c), pos)
}

/// Every `$ref` to a Swagger 2.0 location rewritten to its OpenAPI 3.0 one.
fn rewrite_refs(n: &mut Node) {
    match &mut n.value {
        Value::Mapping(m) => {
            for (k, v) in m.iter_mut() {
                if k.as_str() == Some("$ref") {
                    if let Value::String(r) = &mut v.value {
                        for (from, to) in [
                            ("#/definitions/", "#/components/schemas/"),
                            ("#/parameters/", "#/components/parameters/"),
                            ("#/responses/", "#/components/responses/"),
                        ] {
                            if let Some(rest) = r.strip_prefix(from) {
                                *r = format!("{to}{rest}");
                                break;
                            }
                        }
                    }
                } else if !matches!(k.as_str(), Some("example" | "enum")) {
                    // (`default` and `examples` are also response codes and media examples.)
                    rewrite_refs(v);
                }
            }
        }
        Value::Sequence(items) => {
            for v in items {
                rewrite_refs(v);
            }
        }
        _ => {}
    }
}
