//! The rules: what changed between two lowered models, and how each change affects callers.
//!
//! Operations are matched by operationId, then by method and path (an operationId change); named
//! types by Rust name, then by identical shape (a rename); fields by wire name; parameters by
//! wire name and location. Whether a type is sent (reachable from parameters or request bodies),
//! received (reachable from responses) or both decides how a change to it is classed.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::*;
use crate::source::child;

use super::{raw, Change, Class, Loaded, Location, Side, Subject};

/// Compares BASE with HEAD.
pub(crate) fn compare(base: &Loaded, head: &Loaded) -> Vec<Change> {
    let mut cx = Cx {
        base,
        head,
        renames: HashMap::new(),
        dir_base: directions(&base.api),
        dir_head: directions(&head.api),
        out: Vec::new(),
    };
    cx.find_renames();
    cx.info();
    cx.servers();
    cx.schemes();
    cx.operations();
    cx.types();
    cx.out
}

/// Where a named type is used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Dir {
    /// Reachable from parameters or request bodies.
    req: bool,
    /// Reachable from response bodies.
    resp: bool,
}

/// One direction a type change is judged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Request,
    Response,
    /// Used by no operation.
    Unused,
}

impl Flow {
    fn of(d: Dir) -> Vec<Flow> {
        let mut v = Vec::new();
        if d.req {
            v.push(Flow::Request);
        }
        if d.resp {
            v.push(Flow::Response);
        }
        if v.is_empty() {
            v.push(Flow::Unused);
        }
        v
    }

    fn words(self) -> &'static str {
        match self {
            Flow::Request => "in requests",
            Flow::Response => "in responses",
            Flow::Unused => "(the schema is used by no operation)",
        }
    }
}

struct Cx<'a> {
    base: &'a Loaded,
    head: &'a Loaded,
    /// BASE type name -> HEAD type name, for types renamed with the same shape.
    renames: HashMap<String, String>,
    dir_base: HashMap<String, Dir>,
    dir_head: HashMap<String, Dir>,
    out: Vec<Change>,
}

/// A plain-language name for a type, as the spec would say it.
fn describe(ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Secret => "string (secret)".into(),
        Ty::DateTime => "string (date-time)".into(),
        Ty::Date => "string (date)".into(),
        Ty::NaiveDateTime => "string (naive-date-time)".into(),
        Ty::EpochMillis => "integer (epoch-millis)".into(),
        Ty::Lenient(t) => format!("{} (lenient)", describe(t)),
        Ty::Bool => "boolean".into(),
        Ty::I32 => "integer (int32)".into(),
        Ty::I64 => "integer (int64)".into(),
        Ty::F32 => "number (float)".into(),
        Ty::F64 => "number (double)".into(),
        Ty::Json => "any JSON value".into(),
        Ty::Named(n) => format!("`{n}`"),
        Ty::Vec(t) => format!("array of {}", describe(t)),
        Ty::Map(t) => format!("map of {}", describe(t)),
        Ty::Row(m, Some(d)) => format!("row of `{m}` and `{d}`"),
        Ty::Row(m, None) => format!("row of `{m}`"),
        Ty::Envelope(t, _) => describe(t),
        #[allow(unreachable_patterns)]
        other => format!("{other:?}"),
    }
}

fn describe_body(k: &BodyKind) -> String {
    match k {
        BodyKind::Json(t) => format!("JSON {}", describe(t)),
        BodyKind::Empty => "no body".into(),
        BodyKind::Text => "text".into(),
        BodyKind::Bytes => "binary data".into(),
        BodyKind::Stream => "streamed binary data".into(),
    }
}

fn place(p: ParamIn) -> &'static str {
    match p {
        ParamIn::Path => "path",
        ParamIn::Query | ParamIn::Group => "query",
        ParamIn::Header => "header",
        ParamIn::Cookie => "cookie",
    }
}

fn kind_name(k: &TypeKind) -> String {
    match k {
        TypeKind::Struct { .. } => "an object".into(),
        TypeKind::Enum { .. } => "a string enum".into(),
        TypeKind::IntEnum { .. } => "an integer enum".into(),
        TypeKind::OneOf { .. } => "a oneOf".into(),
        TypeKind::Alias(t) => describe(t),
        TypeKind::Params { .. } => "a parameter struct".into(),
        TypeKind::ParamGroup { .. } => "a parameter group".into(),
        #[allow(unreachable_patterns)]
        _ => "another kind of type".into(),
    }
}

/// Named types a type mentions.
fn named(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Vec(t) | Ty::Map(t) | Ty::Lenient(t) => named(t, out),
        Ty::Envelope(t, meta) => {
            named(t, out);
            out.push(meta.clone());
        }
        Ty::Row(m, d) => {
            out.push(m.clone());
            out.extend(d.clone());
        }
        _ => {}
    }
}

/// Types a definition refers to.
fn children(def: &TypeDef) -> Vec<String> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            for f in fields {
                named(&f.ty, &mut out);
            }
            if let Some(a) = additional {
                named(a, &mut out);
            }
        }
        TypeKind::OneOf { variants, .. } => {
            for v in variants {
                named(&v.ty, &mut out);
            }
        }
        TypeKind::Alias(t) => named(t, &mut out),
        TypeKind::Params { members, .. } => {
            for p in members {
                named(&p.ty, &mut out);
            }
        }
        TypeKind::ParamGroup { variants } => {
            for (_, p) in variants {
                named(&p.ty, &mut out);
            }
        }
        _ => {}
    }
    out
}

/// For each named type, whether requests or responses reach it.
fn directions(api: &Api) -> HashMap<String, Dir> {
    let defs: HashMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut out: HashMap<String, Dir> = HashMap::new();
    let walk = |seed: &Ty, req: bool, out: &mut HashMap<String, Dir>| {
        let mut stack = Vec::new();
        named(seed, &mut stack);
        while let Some(n) = stack.pop() {
            let d = out.entry(n.clone()).or_default();
            let seen = if req { d.req } else { d.resp };
            if seen {
                continue;
            }
            if req {
                d.req = true;
            } else {
                d.resp = true;
            }
            if let Some(def) = defs.get(n.as_str()) {
                stack.extend(children(def));
            }
        }
    };
    for op in &api.operations {
        for p in &op.params {
            walk(&p.ty, true, &mut out);
        }
        if let Some(ps) = &op.params_struct {
            walk(&Ty::Named(ps.clone()), true, &mut out);
        }
        if let Some(b) = &op.body {
            walk(&b.ty, true, &mut out);
        }
        for arm in op.ok.iter().chain(&op.err) {
            if let BodyKind::Json(t) = &arm.kind {
                walk(t, false, &mut out);
            }
        }
        if let Output::Enum { variants, .. } = &op.output {
            for (_, payload, _) in variants {
                if let Some(t) = payload {
                    walk(t, false, &mut out);
                }
            }
        }
    }
    out
}

/// A type's shape with documentation left out, to recognise renamed types.
fn undocumented(kind: &TypeKind) -> TypeKind {
    let mut k = kind.clone();
    match &mut k {
        TypeKind::Struct { fields, .. } => {
            for f in fields {
                f.doc = None;
            }
        }
        TypeKind::Params { members, .. } => {
            for p in members {
                p.doc = None;
            }
        }
        TypeKind::ParamGroup { variants } => {
            for (_, p) in variants {
                p.doc = None;
            }
        }
        _ => {}
    }
    k
}

/// Types reported with their operation rather than on their own.
fn operation_owned(def: &TypeDef) -> bool {
    matches!(
        def.kind,
        TypeKind::Params { .. } | TypeKind::ParamGroup { .. }
    )
}

/// All parameters of an operation, with the parameter struct's and groups' members expanded.
fn all_params(op: &Operation, api: &Api) -> Vec<Param> {
    let mut list: Vec<Param> = op.params.clone();
    if let Some(ps) = &op.params_struct {
        if let Some(TypeDef {
            kind: TypeKind::Params { members, .. },
            ..
        }) = api.types.iter().find(|t| &t.name == ps)
        {
            list.extend(members.iter().cloned());
        }
    }
    let mut out = Vec::new();
    for p in list {
        match (&p.location, &p.ty) {
            (ParamIn::Group, Ty::Named(g)) => {
                if let Some(TypeDef {
                    kind: TypeKind::ParamGroup { variants },
                    ..
                }) = api.types.iter().find(|t| &t.name == g)
                {
                    out.extend(variants.iter().map(|(_, m)| m.clone()));
                }
            }
            _ => out.push(p),
        }
    }
    out
}

/// A path template with the placeholder names left out: `/a/{id}` and `/a/{key}` are one URL.
fn path_shape(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// One documented answer of an operation (see [`statuses`]).
struct Answer {
    /// `200`, `4XX`, `default`; with its media type when the status's arms differ by media type
    /// (`x-media-type-param`): `200 as text/xml`.
    label: String,
    /// The status alone.
    status: String,
    /// The media type that picks this arm, where one does.
    media: Option<String>,
    ok: bool,
    kind: BodyKind,
    /// Its node under the operation's `responses` (the media type's node for an arm a media
    /// type picks).
    at: String,
    /// The status's node under the operation's `responses`.
    status_at: String,
}

/// Every answer an operation documents: one per status, or per status and media type where the
/// media type chooses the arm.
fn statuses(op: &Operation) -> Vec<Answer> {
    let responses = child(&op.pointer, "responses");
    let mut out = Vec::new();
    for (ok, arms) in [(true, &op.ok), (false, &op.err)] {
        for arm in arms {
            let mut push = |status: String| {
                let (label, at) = match &arm.media {
                    Some(m) => (
                        format!("{status} as {m}"),
                        child(&child(&child(&responses, &status), "content"), m),
                    ),
                    None => (status.clone(), child(&responses, &status)),
                };
                out.push(Answer {
                    label,
                    status_at: child(&responses, &status),
                    status,
                    media: arm.media.clone(),
                    ok,
                    kind: arm.kind.clone(),
                    at,
                });
            };
            match &arm.statuses {
                Statuses::Codes(codes) => codes.iter().for_each(|c| push(c.to_string())),
                Statuses::Range(class) => push(format!("{class}XX")),
                Statuses::Default => push("default".into()),
            }
        }
    }
    out
}

impl<'a> Cx<'a> {
    fn loc(&self, side: Side, subject: Subject, pointer: &str) -> Location {
        let l = match side {
            Side::Head => self.head,
            Side::Base => self.base,
        };
        Location {
            subject,
            pointer: pointer.to_string(),
            side,
            file: l.src.name().to_string(),
            line: l.src.position(pointer).0,
        }
    }

    fn push(&mut self, rule: &'static str, class: Class, location: Location, message: String) {
        self.out.push(Change {
            rule,
            class,
            location,
            message,
        });
    }

    /// Whether a BASE type and a HEAD type are the same, allowing for renamed named types.
    fn same(&self, b: &Ty, h: &Ty) -> bool {
        match (b, h) {
            (Ty::Named(x), Ty::Named(y)) => self.renames.get(x).unwrap_or(x) == y,
            (Ty::Vec(x), Ty::Vec(y))
            | (Ty::Map(x), Ty::Map(y))
            | (Ty::Lenient(x), Ty::Lenient(y)) => self.same(x, y),
            (Ty::Envelope(x, xm), Ty::Envelope(y, ym)) => {
                self.same(x, y) && self.renames.get(xm).unwrap_or(xm) == ym
            }
            _ => b == h,
        }
    }

    fn same_body(&self, b: &BodyKind, h: &BodyKind) -> bool {
        match (b, h) {
            (BodyKind::Json(x), BodyKind::Json(y)) => self.same(x, y),
            _ => b == h,
        }
    }

    fn dir(&self, base_name: &str, head_name: &str) -> Dir {
        let b = self.dir_base.get(base_name).copied().unwrap_or_default();
        let h = self.dir_head.get(head_name).copied().unwrap_or_default();
        Dir {
            req: b.req || h.req,
            resp: b.resp || h.resp,
        }
    }

    fn find_renames(&mut self) {
        let head_names: HashSet<&str> = self
            .head
            .api
            .types
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        let base_names: HashSet<&str> = self
            .base
            .api
            .types
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        let added: Vec<&TypeDef> = self
            .head
            .api
            .types
            .iter()
            .filter(|t| !base_names.contains(t.name.as_str()) && !operation_owned(t))
            .collect();
        let mut taken: HashSet<&str> = HashSet::new();
        for b in &self.base.api.types {
            if head_names.contains(b.name.as_str()) || operation_owned(b) {
                continue;
            }
            let shape = undocumented(&b.kind);
            let candidates: Vec<&&TypeDef> = added
                .iter()
                .filter(|h| !taken.contains(h.name.as_str()) && undocumented(&h.kind) == shape)
                .collect();
            if let [one] = candidates.as_slice() {
                taken.insert(one.name.as_str());
                self.renames.insert(b.name.clone(), one.name.clone());
            }
        }
    }

    fn info(&mut self) {
        let (b, h) = (&self.base.api, &self.head.api);
        let mut changed = Vec::new();
        if b.title != h.title {
            changed.push(("title", format!("title `{}` is now `{}`", b.title, h.title)));
        }
        if b.version != h.version {
            changed.push((
                "version",
                format!("version `{}` is now `{}`", b.version, h.version),
            ));
        }
        if b.description != h.description {
            changed.push(("description", "description changed".to_string()));
        }
        for (key, what) in changed {
            let loc = self.loc(Side::Head, Subject::Info, &child("#/info", key));
            self.push(
                "api-info-changed",
                Class::Informational,
                loc,
                format!("The API's {what}."),
            );
        }
    }

    fn servers(&mut self) {
        let (bs, hs) = (&self.base.api.servers, &self.head.api.servers);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut b_used = vec![false; bs.len()];
        let mut h_used = vec![false; hs.len()];
        for (hi, h) in hs.iter().enumerate() {
            if let Some(bi) = bs.iter().position(|b| b.url == h.url) {
                if !b_used[bi] {
                    b_used[bi] = true;
                    h_used[hi] = true;
                    pairs.push((bi, hi));
                }
            }
        }
        // What is left at the same index is the same server with another URL.
        for hi in 0..hs.len() {
            if !h_used[hi] && hi < bs.len() && !b_used[hi] {
                b_used[hi] = true;
                h_used[hi] = true;
                pairs.push((hi, hi));
            }
        }
        pairs.sort_by_key(|&(_, hi)| hi);
        if let (Some(b0), Some(h0)) = (bs.first(), hs.first()) {
            if b0.url != h0.url && pairs.iter().any(|&(bi, hi)| bi != 0 && hi == 0) {
                let loc = self.loc(Side::Head, Subject::Server(h0.url.clone()), "#/servers/0");
                self.push("default-server-changed", Class::Breaking, loc, format!("The default (first) server is now `{}` instead of `{}`: clients that do not pick a server reach a different host.", h0.url, b0.url));
            }
        }
        for (bi, hi) in pairs {
            self.server_pair(bi, hi);
        }
        for (bi, b) in bs.iter().enumerate().filter(|(i, _)| !b_used[*i]) {
            let loc = self.loc(
                Side::Base,
                Subject::Server(b.url.clone()),
                &child("#/servers", bi.to_string()),
            );
            self.push(
                "server-removed",
                Class::Breaking,
                loc,
                format!(
                    "Server `{}` is removed: clients using it must move to another.",
                    b.url
                ),
            );
        }
        for (hi, h) in hs.iter().enumerate().filter(|(i, _)| !h_used[*i]) {
            let loc = self.loc(
                Side::Head,
                Subject::Server(h.url.clone()),
                &child("#/servers", hi.to_string()),
            );
            let (class, tail) = if hi == 0 && !bs.is_empty() {
                (
                    Class::Breaking,
                    " It is first, so it becomes the default server.",
                )
            } else {
                (Class::NonBreaking, "")
            };
            self.push(
                "server-added",
                class,
                loc,
                format!("New server `{}`.{tail}", h.url),
            );
        }
    }

    fn server_pair(&mut self, bi: usize, hi: usize) {
        let b = &self.base.api.servers[bi];
        let h = &self.head.api.servers[hi];
        let subject = Subject::Server(h.url.clone());
        let sp = child("#/servers", hi.to_string());
        if b.url != h.url {
            let loc = self.loc(Side::Head, subject.clone(), &child(&sp, "url"));
            self.push(
                "server-url-changed",
                Class::Breaking,
                loc,
                format!(
                    "Server URL `{}` is now `{}`: requests go to a different address.",
                    b.url, h.url
                ),
            );
        }
        if b.description != h.description {
            let loc = self.loc(Side::Head, subject.clone(), &child(&sp, "description"));
            self.push(
                "server-docs-changed",
                Class::Informational,
                loc,
                "The server's description changed.".into(),
            );
        }
        let vp = child(&sp, "variables");
        for hv in &h.variables {
            let at = child(&vp, &hv.name);
            let Some(bv) = b.variables.iter().find(|v| v.name == hv.name) else {
                let loc = self.loc(Side::Head, subject.clone(), &at);
                if hv.default.is_empty() {
                    self.push("server-variable-added", Class::Breaking, loc, format!("New server variable `{}` without a default: every client must now set it with `ClientBuilder::{}`.", hv.name, hv.setter));
                } else {
                    self.push("server-variable-added", Class::NonBreaking, loc, format!("New server variable `{}` (default `{}`), set with `ClientBuilder::{}`.", hv.name, hv.default, hv.setter));
                }
                continue;
            };
            if bv.default != hv.default {
                let loc = self.loc(Side::Head, subject.clone(), &child(&at, "default"));
                if bv.default.is_empty() {
                    self.push("server-variable-default-changed", Class::NonBreaking, loc, format!("Server variable `{}` now has the default `{}`; setting it becomes optional.", hv.name, hv.default));
                } else if hv.default.is_empty() {
                    self.push("server-variable-default-changed", Class::Breaking, loc, format!("Server variable `{}` lost its default `{}`: every client must now set it.", hv.name, bv.default));
                } else {
                    self.push("server-variable-default-changed", Class::Breaking, loc, format!("Server variable `{}` defaults to `{}` instead of `{}`: clients that rely on the default reach a different host.", hv.name, hv.default, bv.default));
                }
            }
            let gone: Vec<&String> = bv
                .allowed
                .iter()
                .filter(|v| !hv.allowed.contains(v))
                .collect();
            let new: Vec<&String> = hv
                .allowed
                .iter()
                .filter(|v| !bv.allowed.contains(v))
                .collect();
            if !gone.is_empty() || !new.is_empty() {
                let loc = self.loc(Side::Head, subject.clone(), &child(&at, "enum"));
                let list = |v: &[&String]| {
                    v.iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let (class, msg) = if hv.allowed.is_empty() {
                    (
                        Class::NonBreaking,
                        format!("Server variable `{}` now accepts any value.", hv.name),
                    )
                } else if bv.allowed.is_empty() {
                    (
                        Class::Breaking,
                        format!(
                            "Server variable `{}` is now limited to {}.",
                            hv.name,
                            list(&hv.allowed.iter().collect::<Vec<_>>())
                        ),
                    )
                } else if !gone.is_empty() {
                    (
                        Class::Breaking,
                        format!(
                            "Server variable `{}` no longer allows {}.",
                            hv.name,
                            list(&gone)
                        ),
                    )
                } else {
                    (
                        Class::NonBreaking,
                        format!(
                            "Server variable `{}` now also allows {}.",
                            hv.name,
                            list(&new)
                        ),
                    )
                };
                self.push("server-variable-values-changed", class, loc, msg);
            }
            if bv.description != hv.description {
                let loc = self.loc(Side::Head, subject.clone(), &child(&at, "description"));
                self.push(
                    "server-docs-changed",
                    Class::Informational,
                    loc,
                    format!("The description of server variable `{}` changed.", hv.name),
                );
            }
        }
        for bv in &b.variables {
            if !h.variables.iter().any(|v| v.name == bv.name) {
                let bp = child(
                    &child(&child("#/servers", bi.to_string()), "variables"),
                    &bv.name,
                );
                let loc = self.loc(Side::Base, subject.clone(), &bp);
                self.push("server-variable-removed", Class::Breaking, loc, format!("Server variable `{}` is removed, with its builder method `ClientBuilder::{}`.", bv.name, bv.setter));
            }
        }
    }

    fn schemes(&mut self) {
        let describe_kind = |k: &SchemeKind| match k {
            SchemeKind::Bearer => "a bearer token".to_string(),
            SchemeKind::Basic => "HTTP basic credentials".to_string(),
            SchemeKind::BasicFixedUser(u) => {
                format!("HTTP basic credentials with the fixed user name `{u}`")
            }
            SchemeKind::ApiKeyHeader(h) => format!("an API key in header `{h}`"),
            SchemeKind::ApiKeyQuery(q) => format!("an API key in query parameter `{q}`"),
            SchemeKind::Signer(s) => {
                format!("a per-request credential computed by the `{s}` signer")
            }
            #[allow(unreachable_patterns)]
            other => format!("{other:?}"),
        };
        for h in &self.head.api.schemes {
            let at = child("#/components/securitySchemes", &h.name);
            let subject = Subject::Security(h.name.clone());
            match self.base.api.schemes.iter().find(|b| b.name == h.name) {
                None => {
                    let loc = self.loc(Side::Head, subject, &at);
                    self.push(
                        "security-scheme-added",
                        Class::NonBreaking,
                        loc,
                        format!(
                            "New security scheme `{}` ({}), set with `ClientBuilder::{}`.",
                            h.name,
                            describe_kind(&h.kind),
                            h.setter
                        ),
                    );
                }
                Some(b) => {
                    if b.kind != h.kind {
                        let loc = self.loc(Side::Head, subject.clone(), &at);
                        self.push(
                            "security-scheme-changed",
                            Class::Breaking,
                            loc,
                            format!(
                                "Security scheme `{}` now sends {} instead of {}.",
                                h.name,
                                describe_kind(&h.kind),
                                describe_kind(&b.kind)
                            ),
                        );
                    }
                    if b.description != h.description {
                        let loc = self.loc(Side::Head, subject, &child(&at, "description"));
                        self.push(
                            "security-scheme-docs-changed",
                            Class::Informational,
                            loc,
                            format!("The description of security scheme `{}` changed.", h.name),
                        );
                    }
                }
            }
        }
        for b in &self.base.api.schemes {
            if !self.head.api.schemes.iter().any(|h| h.name == b.name) {
                let at = child("#/components/securitySchemes", &b.name);
                let loc = self.loc(Side::Base, Subject::Security(b.name.clone()), &at);
                self.push(
                    "security-scheme-removed",
                    Class::Breaking,
                    loc,
                    format!(
                        "Security scheme `{}` ({}) is removed, with `ClientBuilder::{}`.",
                        b.name,
                        describe_kind(&b.kind),
                        b.setter
                    ),
                );
            }
        }
    }

    fn operations(&mut self) {
        let (bo, ho) = (&self.base.api.operations, &self.head.api.operations);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut b_used = vec![false; bo.len()];
        let mut h_used = vec![false; ho.len()];
        for (hi, h) in ho.iter().enumerate() {
            if let Some(bi) = bo.iter().position(|b| b.id == h.id) {
                b_used[bi] = true;
                h_used[hi] = true;
                pairs.push((bi, hi));
            }
        }
        // An operationId change: the same method and path under another id.
        for (hi, h) in ho.iter().enumerate() {
            if h_used[hi] {
                continue;
            }
            let found = bo.iter().enumerate().position(|(bi, b)| {
                !b_used[bi] && b.method == h.method && path_shape(&b.path) == path_shape(&h.path)
            });
            if let Some(bi) = found {
                b_used[bi] = true;
                h_used[hi] = true;
                pairs.push((bi, hi));
            }
        }
        for (bi, b) in bo.iter().enumerate().filter(|(i, _)| !b_used[*i]) {
            let _ = bi;
            let loc = self.loc(Side::Base, Subject::Operation(b.id.clone()), &b.pointer);
            self.push(
                "operation-removed",
                Class::Breaking,
                loc,
                format!(
                    "`{} {}` is removed, with the method `Client::{}`.",
                    b.method.as_str(),
                    b.path,
                    b.rust
                ),
            );
        }
        pairs.sort_by_key(|&(_, hi)| hi);
        for (hi, h) in ho.iter().enumerate() {
            if h_used[hi] {
                if let Some(&(bi, _)) = pairs.iter().find(|&&(_, x)| x == hi) {
                    self.operation_pair(&bo[bi], h);
                }
            } else {
                let loc = self.loc(Side::Head, Subject::Operation(h.id.clone()), &h.pointer);
                self.push(
                    "operation-added",
                    Class::NonBreaking,
                    loc,
                    format!(
                        "New operation `{} {}`: the method `Client::{}`.",
                        h.method.as_str(),
                        h.path,
                        h.rust
                    ),
                );
            }
        }
    }

    fn operation_pair(&mut self, b: &Operation, h: &Operation) {
        let subject = Subject::Operation(h.id.clone());
        let at = |p: &str| child(&h.pointer, p);
        if b.id != h.id {
            let loc = self.loc(Side::Head, subject.clone(), &at("operationId"));
            if b.rust != h.rust {
                self.push("operation-id-changed", Class::Breaking, loc, format!("operationId `{}` is now `{}`: the Rust method `Client::{}` is renamed `Client::{}`.", b.id, h.id, b.rust, h.rust));
            } else {
                self.push("operation-id-changed", Class::Informational, loc, format!("operationId `{}` is now `{}`; the Rust method keeps its name `Client::{}`.", b.id, h.id, h.rust));
            }
        } else if b.rust != h.rust {
            let loc = self.loc(Side::Head, subject.clone(), &h.pointer);
            self.push(
                "rust-method-renamed",
                Class::Breaking,
                loc,
                format!(
                    "The Rust method `Client::{}` is renamed `Client::{}` (`x-rust-name`).",
                    b.rust, h.rust
                ),
            );
        }
        if b.method != h.method {
            let loc = self.loc(Side::Head, subject.clone(), &h.pointer);
            self.push("operation-method-changed", Class::Breaking, loc, format!("The method changed from {} to {} (`{} {}`): the old request is no longer served.", b.method.as_str(), h.method.as_str(), h.method.as_str(), h.path));
        }
        if path_shape(&b.path) != path_shape(&h.path) {
            let loc = self.loc(Side::Head, subject.clone(), &h.pointer);
            self.push("operation-path-changed", Class::Breaking, loc, format!("The path `{}` is now `{}`: requests go to a new URL, and the old one is no longer documented.", b.path, h.path));
        }
        if b.deprecated != h.deprecated {
            let loc = self.loc(Side::Head, subject.clone(), &at("deprecated"));
            if h.deprecated {
                self.push(
                    "operation-deprecated",
                    Class::Informational,
                    loc,
                    format!(
                        "The operation is deprecated: `Client::{}` gets `#[deprecated]`.",
                        h.rust
                    ),
                );
            } else {
                self.push(
                    "operation-deprecated",
                    Class::Informational,
                    loc,
                    "The operation is no longer deprecated.".into(),
                );
            }
        }
        if b.summary != h.summary || b.description != h.description {
            let key = if b.summary != h.summary {
                "summary"
            } else {
                "description"
            };
            let loc = self.loc(Side::Head, subject.clone(), &at(key));
            self.push(
                "operation-docs-changed",
                Class::Informational,
                loc,
                "The operation's summary or description changed.".into(),
            );
        }
        self.params(b, h, &subject);
        self.body(b, h, &subject);
        self.responses(b, h, &subject);
        self.auth(b, h, &subject);
    }

    fn param_loc(&self, side: Side, op: &Operation, p: &Param, subject: &Subject) -> Location {
        let l = match side {
            Side::Head => self.head,
            Side::Base => self.base,
        };
        let pointer = raw::parameter(&l.raw, &op.pointer, &p.wire, p.location)
            .map(|(at, _)| at)
            .unwrap_or_else(|| op.pointer.clone());
        self.loc(side, subject.clone(), &pointer)
    }

    fn params(&mut self, bo: &Operation, ho: &Operation, subject: &Subject) {
        let bp = all_params(bo, &self.base.api);
        let hp = all_params(ho, &self.head.api);
        let key = |p: &Param| (p.wire.clone(), place(p.location));
        let mut b_left: Vec<&Param> = Vec::new();
        for b in &bp {
            match hp.iter().find(|h| key(h) == key(b)) {
                Some(h) => self.param_pair(bo, ho, b, h, subject),
                None => b_left.push(b),
            }
        }
        let mut h_left: Vec<&Param> = hp
            .iter()
            .filter(|h| !bp.iter().any(|b| key(b) == key(h)))
            .collect();
        // Moved: the same name in another place.
        b_left.retain(|b| {
            let Some(i) = h_left.iter().position(|h| h.wire == b.wire) else {
                return true;
            };
            let h = h_left.remove(i);
            let loc = self.param_loc(Side::Head, ho, h, subject);
            self.push(
                "parameter-moved",
                Class::Breaking,
                loc,
                format!(
                    "Parameter `{}` moved from the {} to the {}.",
                    b.wire,
                    place(b.location),
                    place(h.location)
                ),
            );
            false
        });
        // Renamed: another name in the same place, with the same type and requiredness.
        b_left.retain(|b| {
            let Some(i) = h_left.iter().position(|h| {
                place(h.location) == place(b.location) && self.same(&b.ty, &h.ty) && h.required == b.required
            }) else {
                return true;
            };
            let h = h_left.remove(i);
            let loc = self.param_loc(Side::Head, ho, h, subject);
            if h.location == ParamIn::Path {
                self.push("parameter-renamed", Class::Informational, loc, format!("Path parameter `{}` is renamed `{}`; the URL is the same (the Rust argument is now `{}`).", b.wire, h.wire, h.rust));
            } else {
                self.push("parameter-renamed", Class::Breaking, loc, format!("{} parameter `{}` is renamed `{}`: the server reads the new name.", capitalise(place(h.location)), b.wire, h.wire));
            }
            false
        });
        for b in b_left {
            let loc = self.param_loc(Side::Base, bo, b, subject);
            self.push(
                "parameter-removed",
                Class::Breaking,
                loc,
                format!(
                    "{} parameter `{}` is removed: callers that pass it must stop.",
                    capitalise(place(b.location)),
                    b.wire
                ),
            );
        }
        for h in h_left {
            let loc = self.param_loc(Side::Head, ho, h, subject);
            if h.required {
                self.push(
                    "parameter-added",
                    Class::Breaking,
                    loc,
                    format!(
                        "New required {} parameter `{}` ({}): every call must now pass it.",
                        place(h.location),
                        h.wire,
                        describe(&h.ty)
                    ),
                );
            } else {
                self.push(
                    "parameter-added",
                    Class::NonBreaking,
                    loc,
                    format!(
                        "New optional {} parameter `{}` ({}).",
                        place(h.location),
                        h.wire,
                        describe(&h.ty)
                    ),
                );
            }
        }
    }

    fn param_pair(
        &mut self,
        bo: &Operation,
        ho: &Operation,
        b: &Param,
        h: &Param,
        subject: &Subject,
    ) {
        let loc = self.param_loc(Side::Head, ho, h, subject);
        let what = format!("{} parameter `{}`", capitalise(place(h.location)), h.wire);
        if !b.required && h.required {
            self.push(
                "parameter-made-required",
                Class::Breaking,
                loc.clone(),
                format!("{what} is now required: every call must pass it."),
            );
        } else if b.required && !h.required {
            self.push(
                "parameter-made-optional",
                Class::NonBreaking,
                loc.clone(),
                format!("{what} is now optional."),
            );
        }
        let b_raw =
            raw::parameter(&self.base.raw, &bo.pointer, &b.wire, b.location).map(|(_, v)| v);
        let h_raw =
            raw::parameter(&self.head.raw, &ho.pointer, &h.wire, h.location).map(|(_, v)| v);
        if !self.same(&b.ty, &h.ty) {
            self.push(
                "parameter-type-changed",
                Class::Breaking,
                loc.clone(),
                format!(
                    "{what} changed type from {} to {}.",
                    describe(&b.ty),
                    describe(&h.ty)
                ),
            );
        } else {
            let bf = b_raw
                .and_then(raw::param_schema)
                .and_then(|s| raw::format(&self.base.raw, s));
            let hf = h_raw
                .and_then(raw::param_schema)
                .and_then(|s| raw::format(&self.head.raw, s));
            if bf != hf {
                let (class, msg) = format_change(&bf, &hf);
                self.push(
                    "parameter-format-changed",
                    class,
                    loc.clone(),
                    format!("{what}: {msg}."),
                );
            }
        }
        let bd = b_raw.map(raw::deprecated).unwrap_or(false);
        let hd = h_raw.map(raw::deprecated).unwrap_or(false);
        if bd != hd {
            let msg = if hd {
                "is deprecated"
            } else {
                "is no longer deprecated"
            };
            self.push(
                "parameter-deprecated",
                Class::Informational,
                loc.clone(),
                format!("{what} {msg}."),
            );
        }
        if b.doc != h.doc {
            self.push(
                "parameter-docs-changed",
                Class::Informational,
                loc,
                format!(
                    "The description of {} parameter `{}` changed.",
                    place(h.location),
                    h.wire
                ),
            );
        }
    }

    fn body(&mut self, bo: &Operation, ho: &Operation, subject: &Subject) {
        let at = child(&ho.pointer, "requestBody");
        match (&bo.body, &ho.body) {
            (None, Some(h)) => {
                let loc = self.loc(Side::Head, subject.clone(), &at);
                if h.required {
                    self.push(
                        "request-body-added",
                        Class::Breaking,
                        loc,
                        format!(
                            "The operation now requires a request body ({}).",
                            describe(&h.ty)
                        ),
                    );
                } else {
                    self.push(
                        "request-body-added",
                        Class::NonBreaking,
                        loc,
                        format!(
                            "The operation now takes an optional request body ({}).",
                            describe(&h.ty)
                        ),
                    );
                }
            }
            (Some(b), None) => {
                let loc = self.loc(
                    Side::Base,
                    subject.clone(),
                    &child(&bo.pointer, "requestBody"),
                );
                self.push(
                    "request-body-removed",
                    Class::Breaking,
                    loc,
                    format!("The request body ({}) is removed.", describe(&b.ty)),
                );
            }
            (Some(b), Some(h)) => {
                let loc = self.loc(Side::Head, subject.clone(), &at);
                if !b.required && h.required {
                    self.push(
                        "request-body-made-required",
                        Class::Breaking,
                        loc.clone(),
                        "The request body is now required.".into(),
                    );
                } else if b.required && !h.required {
                    self.push(
                        "request-body-made-optional",
                        Class::NonBreaking,
                        loc.clone(),
                        "The request body is now optional.".into(),
                    );
                }
                if !self.same(&b.ty, &h.ty) {
                    self.push(
                        "request-body-type-changed",
                        Class::Breaking,
                        loc,
                        format!(
                            "The request body changed from {} to {}.",
                            describe(&b.ty),
                            describe(&h.ty)
                        ),
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn responses(&mut self, bo: &Operation, ho: &Operation, subject: &Subject) {
        let bs = statuses(bo);
        let hs = statuses(ho);
        let regrouped = self.media_regrouped(&bs, &hs, subject);
        let skip = |a: &Answer| regrouped.contains(&a.status);
        for h in hs.iter().filter(|a| !skip(a)) {
            let s = &h.label;
            let loc = self.loc(Side::Head, subject.clone(), &h.at);
            match bs.iter().find(|b| b.label == h.label) {
                None if h.ok => self.push(
                    "success-status-added",
                    Class::NonBreaking,
                    loc,
                    format!("New success response {s} ({}).", describe_body(&h.kind)),
                ),
                None => self.push(
                    "error-status-added",
                    Class::NonBreaking,
                    loc,
                    format!(
                        "New error response {s} ({}): its body is now decoded.",
                        describe_body(&h.kind)
                    ),
                ),
                Some(b) => {
                    if b.ok != h.ok {
                        let msg = if h.ok {
                            "is now a success outcome instead of an error"
                        } else {
                            "is now an error instead of a success outcome"
                        };
                        self.push(
                            "status-outcome-changed",
                            Class::Breaking,
                            loc,
                            format!("Response {s} {msg}."),
                        );
                    } else if !self.same_body(&b.kind, &h.kind) {
                        let (rule, what) = if h.ok {
                            ("response-body-changed", "success")
                        } else {
                            ("error-body-changed", "error")
                        };
                        self.push(
                            rule,
                            Class::Breaking,
                            loc,
                            format!(
                                "The {what} response {s} changed from {} to {}.",
                                describe_body(&b.kind),
                                describe_body(&h.kind)
                            ),
                        );
                    }
                }
            }
        }
        for b in bs.iter().filter(|a| !skip(a)) {
            if hs.iter().any(|h| h.label == b.label) {
                continue;
            }
            let s = &b.label;
            let loc = self.loc(Side::Base, subject.clone(), &b.at);
            if b.ok {
                self.push("success-status-removed", Class::Breaking, loc, format!("Success response {s} ({}) is removed: callers relying on it get an error instead.", describe_body(&b.kind)));
            } else {
                self.push("error-status-removed", Class::NonBreaking, loc, format!("Error response {s} is no longer documented: its body is no longer decoded into a typed error."));
            }
        }
    }

    /// Statuses whose answer became chosen by media type, or stopped being: one finding each,
    /// instead of the removal of one form and an addition per arm of the other. Returns those
    /// statuses, which the per-answer comparison then leaves alone.
    fn media_regrouped(
        &mut self,
        bs: &[Answer],
        hs: &[Answer],
        subject: &Subject,
    ) -> BTreeSet<String> {
        let mut done = BTreeSet::new();
        for h in hs {
            if done.contains(&h.status) {
                continue;
            }
            let same = |a: &&Answer| a.status == h.status && a.ok == h.ok;
            let before: Vec<&Answer> = bs.iter().filter(same).collect();
            let after: Vec<&Answer> = hs.iter().filter(same).collect();
            let split = |v: &[&Answer]| !v.is_empty() && v.iter().all(|a| a.media.is_some());
            let single = |v: &[&Answer]| v.len() == 1 && v[0].media.is_none();
            let arms = |v: &[&Answer]| {
                v.iter()
                    .map(|a| {
                        let media = a.media.as_deref().unwrap_or_default();
                        format!("{media}: {}", describe_body(&a.kind))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let what = if h.ok { "success" } else { "error" };
            let s = &h.status;
            let message = if single(&before) && split(&after) {
                format!(
                    "The {what} response {s} is now answered per media type, chosen by the request ({}), instead of as {}: the method returns one variant per media type.",
                    arms(&after),
                    describe_body(&before[0].kind)
                )
            } else if split(&before) && single(&after) {
                format!(
                    "The {what} response {s} is no longer answered per media type ({}): it is now {}.",
                    arms(&before),
                    describe_body(&after[0].kind)
                )
            } else {
                continue;
            };
            let loc = self.loc(Side::Head, subject.clone(), &h.status_at);
            self.push("response-media-regrouped", Class::Breaking, loc, message);
            done.insert(h.status.clone());
        }
        done
    }

    fn auth(&mut self, bo: &Operation, ho: &Operation, subject: &Subject) {
        let b: BTreeSet<&String> = bo.auth.iter().collect();
        let h: BTreeSet<&String> = ho.auth.iter().collect();
        if b == h {
            return;
        }
        let list = |s: &BTreeSet<&String>| {
            s.iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let loc = self.loc(Side::Head, subject.clone(), &child(&ho.pointer, "security"));
        let gone: BTreeSet<&String> = b.difference(&h).copied().collect();
        let new: BTreeSet<&String> = h.difference(&b).copied().collect();
        let (class, msg) = if b.is_empty() {
            (
                Class::Breaking,
                format!("The operation now requires authentication ({}).", list(&h)),
            )
        } else if h.is_empty() {
            (
                Class::NonBreaking,
                "The operation no longer requires authentication.".to_string(),
            )
        } else if !gone.is_empty() {
            let also = if new.is_empty() {
                String::new()
            } else {
                format!("; it now accepts {}", list(&new))
            };
            (
                Class::Breaking,
                format!("The operation no longer accepts {}{also}.", list(&gone)),
            )
        } else {
            (
                Class::NonBreaking,
                format!("The operation now also accepts {}.", list(&new)),
            )
        };
        self.push("operation-auth-changed", class, loc, msg);
    }

    fn types(&mut self) {
        let reverse: HashMap<String, String> = self
            .renames
            .iter()
            .map(|(b, h)| (h.clone(), b.clone()))
            .collect();
        let base_types = &self.base.api.types;
        for h in &self.head.api.types {
            if operation_owned(h) {
                continue;
            }
            let base_name = reverse.get(&h.name).unwrap_or(&h.name);
            let Some(b) = base_types.iter().find(|t| &t.name == base_name) else {
                continue;
            };
            if operation_owned(b) {
                continue;
            }
            if b.name != h.name {
                let loc = self.loc(Side::Head, Subject::Type(h.name.clone()), &h.pointer);
                self.push("type-renamed", Class::Breaking, loc, format!("The Rust type `{}` is renamed `{}` (same shape, same JSON): code that names it must change.", b.name, h.name));
            }
            self.type_pair(b, h);
        }
    }

    fn type_pair(&mut self, b: &TypeDef, h: &TypeDef) {
        let subject = Subject::Type(h.name.clone());
        let dir = self.dir(&b.name, &h.name);
        let here = self.loc(Side::Head, subject.clone(), &h.pointer);
        let bd = raw::node(&self.base.raw, &b.pointer)
            .map(raw::deprecated)
            .unwrap_or(false);
        let hd = raw::node(&self.head.raw, &h.pointer)
            .map(raw::deprecated)
            .unwrap_or(false);
        if bd != hd {
            let msg = if hd {
                "The schema is deprecated."
            } else {
                "The schema is no longer deprecated."
            };
            self.push(
                "schema-deprecated",
                Class::Informational,
                here.clone(),
                msg.into(),
            );
        }
        if b.doc != h.doc {
            self.push(
                "schema-docs-changed",
                Class::Informational,
                here.clone(),
                "The schema's description changed.".into(),
            );
        }
        match (&b.kind, &h.kind) {
            (
                TypeKind::Struct {
                    fields: bf,
                    additional: ba,
                },
                TypeKind::Struct {
                    fields: hf,
                    additional: ha,
                },
            ) => {
                self.fields(b, h, bf, hf, dir, &subject);
                self.additional(ba, ha, dir, here);
            }
            (TypeKind::Enum { values: bv, .. }, TypeKind::Enum { values: hv, .. }) => {
                let bw: Vec<(String, String)> = bv
                    .iter()
                    .map(|v| (v.wire.clone(), v.rust.clone()))
                    .collect();
                let hw: Vec<(String, String)> = hv
                    .iter()
                    .map(|v| (v.wire.clone(), v.rust.clone()))
                    .collect();
                let at = self.loc(Side::Head, subject.clone(), &child(&h.pointer, "enum"));
                self.enum_values(&h.name, &bw, &hw, dir, at, true);
            }
            (TypeKind::IntEnum { values: bv, .. }, TypeKind::IntEnum { values: hv, .. }) => {
                let bw: Vec<(String, String)> =
                    bv.iter().map(|(r, n)| (n.to_string(), r.clone())).collect();
                let hw: Vec<(String, String)> =
                    hv.iter().map(|(r, n)| (n.to_string(), r.clone())).collect();
                let at = self.loc(Side::Head, subject.clone(), &child(&h.pointer, "enum"));
                self.enum_values(&h.name, &bw, &hw, dir, at, false);
            }
            (
                TypeKind::OneOf {
                    tag: bt,
                    variants: bv,
                    rejected: br,
                },
                TypeKind::OneOf {
                    tag: ht,
                    variants: hv,
                    rejected: hr,
                },
            ) => {
                if bt != ht {
                    let show = |t: &Option<String>| {
                        t.as_deref()
                            .map(|t| format!("`{t}`"))
                            .unwrap_or_else(|| "none".into())
                    };
                    self.push(
                        "oneof-discriminator-changed",
                        Class::Breaking,
                        here.clone(),
                        format!(
                            "The discriminator changed from {} to {}.",
                            show(bt),
                            show(ht)
                        ),
                    );
                }
                let mut b_sorted = br.clone();
                b_sorted.sort();
                let mut h_sorted = hr.clone();
                h_sorted.sort();
                if b_sorted != h_sorted {
                    self.push("error-variants-changed", Class::Breaking, here.clone(), format!("The alternatives reported as errors (`x-error-variants`) changed from [{}] to [{}].", br.join(", "), hr.join(", ")));
                }
                self.variants(bv, hv, dir, here);
            }
            (TypeKind::Alias(bt), TypeKind::Alias(ht)) if !self.same(bt, ht) => {
                self.push(
                    "alias-type-changed",
                    Class::Breaking,
                    here,
                    format!(
                        "The schema changed from {} to {}.",
                        describe(bt),
                        describe(ht)
                    ),
                );
            }
            (bk, hk) if std::mem::discriminant(bk) != std::mem::discriminant(hk) => {
                self.push(
                    "type-shape-changed",
                    Class::Breaking,
                    here,
                    format!(
                        "The schema changed from {} to {}.",
                        kind_name(bk),
                        kind_name(hk)
                    ),
                );
            }
            _ => {}
        }
    }

    fn field_loc(&self, side: Side, def: &TypeDef, wire: &str, subject: &Subject) -> Location {
        let l = match side {
            Side::Head => self.head,
            Side::Base => self.base,
        };
        let pointer = raw::property(&l.raw, &def.pointer, wire)
            .map(|(at, _)| at)
            .unwrap_or_else(|| def.pointer.clone());
        self.loc(side, subject.clone(), &pointer)
    }

    fn fields(
        &mut self,
        bt: &TypeDef,
        ht: &TypeDef,
        bf: &[Field],
        hf: &[Field],
        dir: Dir,
        subject: &Subject,
    ) {
        let mut b_left: Vec<&Field> = Vec::new();
        for b in bf {
            match hf.iter().find(|h| h.wire == b.wire) {
                Some(h) => self.field_pair(bt, ht, b, h, dir, subject),
                None => b_left.push(b),
            }
        }
        let mut h_left: Vec<&Field> = hf
            .iter()
            .filter(|h| !bf.iter().any(|b| b.wire == h.wire))
            .collect();
        b_left.retain(|b| {
            let Some(i) = h_left.iter().position(|h| {
                self.same(&b.ty, &h.ty) && h.required == b.required && h.nullable == b.nullable
            }) else {
                return true;
            };
            let h = h_left.remove(i);
            let loc = self.field_loc(Side::Head, ht, &h.wire, subject);
            self.push(
                "field-renamed",
                if dir == Dir::default() {
                    Class::Informational
                } else {
                    Class::Breaking
                },
                loc,
                format!(
                    "Field `{}` is renamed `{}` (Rust field `{}`) {}.",
                    b.wire,
                    h.wire,
                    h.rust,
                    flows_words(dir)
                ),
            );
            false
        });
        for b in b_left {
            let loc = self.field_loc(Side::Base, bt, &b.wire, subject);
            for flow in Flow::of(dir) {
                let (rule, class, msg) = match flow {
                    Flow::Request => (
                        "request-field-removed",
                        Class::Breaking,
                        format!(
                            "Field `{}` is removed from requests: callers that set it must stop.",
                            b.wire
                        ),
                    ),
                    Flow::Response => (
                        "response-field-removed",
                        Class::Breaking,
                        format!(
                            "Field `{}` is removed from responses: callers that read it lose it.",
                            b.wire
                        ),
                    ),
                    Flow::Unused => (
                        "field-removed",
                        Class::Informational,
                        format!("Field `{}` is removed {}.", b.wire, flow.words()),
                    ),
                };
                self.push(rule, class, loc.clone(), msg);
            }
        }
        for h in h_left {
            let loc = self.field_loc(Side::Head, ht, &h.wire, subject);
            for flow in Flow::of(dir) {
                let (rule, class, msg) = match flow {
                    Flow::Request if h.required => (
                        "request-field-added",
                        Class::Breaking,
                        format!(
                            "New required field `{}` ({}) in requests: callers must now send it.",
                            h.wire,
                            describe(&h.ty)
                        ),
                    ),
                    Flow::Request => (
                        "request-field-added",
                        Class::NonBreaking,
                        format!(
                            "New optional field `{}` ({}) in requests.",
                            h.wire,
                            describe(&h.ty)
                        ),
                    ),
                    Flow::Response => (
                        "response-field-added",
                        Class::NonBreaking,
                        format!("New field `{}` ({}) in responses.", h.wire, describe(&h.ty)),
                    ),
                    Flow::Unused => (
                        "field-added",
                        Class::Informational,
                        format!("New field `{}` {}.", h.wire, flow.words()),
                    ),
                };
                self.push(rule, class, loc.clone(), msg);
            }
        }
    }

    fn field_pair(
        &mut self,
        bt: &TypeDef,
        ht: &TypeDef,
        b: &Field,
        h: &Field,
        dir: Dir,
        subject: &Subject,
    ) {
        let loc = self.field_loc(Side::Head, ht, &h.wire, subject);
        let f = &h.wire;
        if b.rust != h.rust {
            self.push(
                "field-rust-name-changed",
                Class::Breaking,
                loc.clone(),
                format!(
                    "Field `{f}` keeps its JSON name, but the Rust field `{}` is renamed `{}`.",
                    b.rust, h.rust
                ),
            );
        }
        for flow in Flow::of(dir) {
            let words = flow.words();
            let pick = |req: (&'static str, Class),
                        resp: (&'static str, Class),
                        unused: &'static str| match flow {
                Flow::Request => req,
                Flow::Response => resp,
                Flow::Unused => (unused, Class::Informational),
            };
            if !self.same(&b.ty, &h.ty) {
                let (rule, class) = pick(
                    ("request-field-type-changed", Class::Breaking),
                    ("response-field-type-changed", Class::Breaking),
                    "field-type-changed",
                );
                self.push(
                    rule,
                    class,
                    loc.clone(),
                    format!(
                        "Field `{f}` {words} changed type from {} to {}.",
                        describe(&b.ty),
                        describe(&h.ty)
                    ),
                );
            } else {
                let bf = raw::property(&self.base.raw, &bt.pointer, &b.wire)
                    .and_then(|(_, v)| raw::format(&self.base.raw, v));
                let hf = raw::property(&self.head.raw, &ht.pointer, &h.wire)
                    .and_then(|(_, v)| raw::format(&self.head.raw, v));
                if bf != hf {
                    let (fclass, msg) = format_change(&bf, &hf);
                    let (rule, class) = pick(
                        ("request-field-format-changed", fclass),
                        ("response-field-format-changed", Class::Informational),
                        "field-format-changed",
                    );
                    let tail = if flow == Flow::Response {
                        " (the client decodes it the same way)"
                    } else {
                        ""
                    };
                    self.push(
                        rule,
                        class,
                        loc.clone(),
                        format!("Field `{f}` {words}: {msg}{tail}."),
                    );
                }
            }
            if b.required && !h.required {
                let (rule, class) = pick(
                    ("request-field-made-optional", Class::NonBreaking),
                    ("response-field-made-optional", Class::Breaking),
                    "field-made-optional",
                );
                let tail = if flow == Flow::Response {
                    ": it may be missing, and becomes an `Option`"
                } else {
                    ""
                };
                self.push(
                    rule,
                    class,
                    loc.clone(),
                    format!("Field `{f}` {words} is now optional{tail}."),
                );
            } else if !b.required && h.required {
                let (rule, class) = pick(
                    ("request-field-made-required", Class::Breaking),
                    ("response-field-made-required", Class::NonBreaking),
                    "field-made-required",
                );
                let tail = if flow == Flow::Request {
                    ": callers must now send it"
                } else {
                    ""
                };
                self.push(
                    rule,
                    class,
                    loc.clone(),
                    format!("Field `{f}` {words} is now required{tail}."),
                );
            }
            if !b.nullable && h.nullable {
                let (rule, class) = pick(
                    ("request-field-made-nullable", Class::NonBreaking),
                    ("response-field-made-nullable", Class::Breaking),
                    "field-made-nullable",
                );
                let tail = if flow == Flow::Response {
                    ": it may be `null`, which clients generated before this change reject"
                } else {
                    ""
                };
                self.push(
                    rule,
                    class,
                    loc.clone(),
                    format!("Field `{f}` {words} is now nullable{tail}."),
                );
            } else if b.nullable && !h.nullable {
                let (rule, class) = pick(
                    ("request-field-made-non-nullable", Class::Breaking),
                    ("response-field-made-non-nullable", Class::NonBreaking),
                    "field-made-non-nullable",
                );
                let tail = if flow == Flow::Request {
                    ": callers may no longer send `null`"
                } else {
                    ""
                };
                self.push(
                    rule,
                    class,
                    loc.clone(),
                    format!("Field `{f}` {words} is no longer nullable{tail}."),
                );
            }
            if b.aliases != h.aliases {
                let gone = b.aliases.iter().any(|a| !h.aliases.contains(a));
                let class = match flow {
                    Flow::Response if gone => Class::Breaking,
                    Flow::Response => Class::NonBreaking,
                    _ => Class::Informational,
                };
                self.push("field-aliases-changed", class, loc.clone(), format!("Field `{f}` {words}: the other names accepted when decoding (`x-aliases`) changed from [{}] to [{}].", b.aliases.join(", "), h.aliases.join(", ")));
            }
        }
        let bd = raw::property(&self.base.raw, &bt.pointer, &b.wire)
            .map(|(_, v)| raw::deprecated(v))
            .unwrap_or(false);
        let hd = raw::property(&self.head.raw, &ht.pointer, &h.wire)
            .map(|(_, v)| raw::deprecated(v))
            .unwrap_or(false);
        if bd != hd {
            let msg = if hd {
                "is deprecated"
            } else {
                "is no longer deprecated"
            };
            self.push(
                "field-deprecated",
                Class::Informational,
                loc.clone(),
                format!("Field `{f}` {msg}."),
            );
        }
        if b.doc != h.doc {
            self.push(
                "field-docs-changed",
                Class::Informational,
                loc,
                format!("The description of field `{f}` changed."),
            );
        }
    }

    fn additional(&mut self, b: &Option<Ty>, h: &Option<Ty>, dir: Dir, loc: Location) {
        let words = flows_words(dir);
        match (b, h) {
            (None, Some(t)) => self.push(
                "additional-properties-changed",
                Class::NonBreaking,
                loc,
                format!(
                    "The object now allows other properties ({}) {words}.",
                    describe(t)
                ),
            ),
            (Some(t), None) => self.push(
                "additional-properties-changed",
                Class::Breaking,
                loc,
                format!(
                    "The object no longer allows other properties ({}) {words}.",
                    describe(t)
                ),
            ),
            (Some(x), Some(y)) if !self.same(x, y) => self.push(
                "additional-properties-changed",
                Class::Breaking,
                loc,
                format!(
                    "The type of other properties changed from {} to {} {words}.",
                    describe(x),
                    describe(y)
                ),
            ),
            _ => {}
        }
    }

    /// String or integer enum values: `(wire, rust variant)`.
    fn enum_values(
        &mut self,
        name: &str,
        b: &[(String, String)],
        h: &[(String, String)],
        dir: Dir,
        loc: Location,
        strings: bool,
    ) {
        let show = |w: &str| {
            if strings {
                format!("`{w}`")
            } else {
                w.to_string()
            }
        };
        for (w, r) in h {
            match b.iter().find(|(x, _)| x == w) {
                Some((_, br)) if br != r => {
                    self.push("enum-variant-renamed", Class::Breaking, loc.clone(), format!("Value {} keeps its value, but the Rust variant `{name}::{br}` is renamed `{name}::{r}`.", show(w)));
                }
                Some(_) => {}
                None => {
                    for flow in Flow::of(dir) {
                        let (rule, class, msg) = match flow {
                            Flow::Request => ("request-enum-value-added", Class::NonBreaking, format!("New value {} accepted in requests.", show(w))),
                            Flow::Response => ("response-enum-value-added", Class::NonBreaking, format!("New value {} may arrive in responses. Clients generated before this change keep it as `{name}::Unknown`; regenerated ones decode it as `{name}::{r}`.", show(w))),
                            Flow::Unused => ("enum-value-added", Class::Informational, format!("New value {} {}.", show(w), flow.words())),
                        };
                        self.push(rule, class, loc.clone(), msg);
                    }
                }
            }
        }
        for (w, r) in b {
            if h.iter().any(|(x, _)| x == w) {
                continue;
            }
            for flow in Flow::of(dir) {
                let (rule, class, msg) = match flow {
                    Flow::Request => ("request-enum-value-removed", Class::Breaking, format!("Value {} is no longer accepted in requests: callers that send it are rejected (the variant `{name}::{r}` is removed).", show(w))),
                    Flow::Response => ("response-enum-value-removed", Class::NonBreaking, format!("Value {} is no longer sent in responses; the variant `{name}::{r}` is removed.", show(w))),
                    Flow::Unused => ("enum-value-removed", Class::Informational, format!("Value {} is removed {}.", show(w), flow.words())),
                };
                self.push(rule, class, loc.clone(), msg);
            }
        }
    }

    fn variants(&mut self, b: &[Variant], h: &[Variant], dir: Dir, loc: Location) {
        let key = |v: &Variant| v.tag_value.clone().unwrap_or_else(|| v.rust.clone());
        for hv in h {
            match b.iter().find(|bv| key(bv) == key(hv)) {
                Some(bv) => {
                    if !self.same(&bv.ty, &hv.ty) {
                        self.push(
                            "oneof-variant-type-changed",
                            Class::Breaking,
                            loc.clone(),
                            format!(
                                "Alternative `{}` changed from {} to {}.",
                                key(hv),
                                describe(&bv.ty),
                                describe(&hv.ty)
                            ),
                        );
                    }
                }
                None => {
                    for flow in Flow::of(dir) {
                        let (rule, class, msg) = match flow {
                            Flow::Request => ("request-oneof-variant-added", Class::NonBreaking, format!("New alternative `{}` ({}) accepted in requests.", key(hv), describe(&hv.ty))),
                            Flow::Response => ("response-oneof-variant-added", Class::Breaking, format!("New alternative `{}` ({}) may arrive in responses: clients generated before this change fail to decode it.", key(hv), describe(&hv.ty))),
                            Flow::Unused => ("oneof-variant-added", Class::Informational, format!("New alternative `{}` {}.", key(hv), flow.words())),
                        };
                        self.push(rule, class, loc.clone(), msg);
                    }
                }
            }
        }
        for bv in b {
            if h.iter().any(|hv| key(hv) == key(bv)) {
                continue;
            }
            for flow in Flow::of(dir) {
                let (rule, class, msg) = match flow {
                    Flow::Request => (
                        "request-oneof-variant-removed",
                        Class::Breaking,
                        format!(
                            "Alternative `{}` is no longer accepted in requests.",
                            key(bv)
                        ),
                    ),
                    Flow::Response => (
                        "response-oneof-variant-removed",
                        Class::NonBreaking,
                        format!("Alternative `{}` is no longer sent in responses.", key(bv)),
                    ),
                    Flow::Unused => (
                        "oneof-variant-removed",
                        Class::Informational,
                        format!("Alternative `{}` is removed {}.", key(bv), flow.words()),
                    ),
                };
                self.push(rule, class, loc.clone(), msg);
            }
        }
    }
}

fn flows_words(d: Dir) -> &'static str {
    match (d.req, d.resp) {
        (true, true) => "in requests and responses",
        (true, false) => "in requests",
        (false, true) => "in responses",
        (false, false) => "(the schema is used by no operation)",
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A string-format change (types equal): narrowing or changing what is accepted is breaking for
/// what callers send; dropping a format only relaxes it.
fn format_change(b: &Option<String>, h: &Option<String>) -> (Class, String) {
    match (b, h) {
        (None, Some(x)) => (Class::Breaking, format!("now has format `{x}`")),
        (Some(x), None) => (Class::NonBreaking, format!("no longer has format `{x}`")),
        (Some(x), Some(y)) => (
            Class::Breaking,
            format!("format changed from `{x}` to `{y}`"),
        ),
        (None, None) => (Class::Informational, "format unchanged".into()),
    }
}
