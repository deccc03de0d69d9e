//! A model in, for each named type, which way it flows out: sent in requests (reachable from
//! parameters or request bodies), received in responses, both, or neither.

use std::collections::HashMap;

use crate::model::*;

use super::Rule;
use crate::diff::Class;

/// Where a named type is used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Dir {
    /// Reachable from parameters or request bodies.
    pub(super) req: bool,
    /// Reachable from response bodies.
    pub(super) resp: bool,
}

/// One direction a type change is judged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Request,
    Response,
    /// Used by no operation.
    Unused,
}

impl Flow {
    pub(super) fn of(d: Dir) -> Vec<Flow> {
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

    pub(super) fn words(self) -> &'static str {
        match self {
            Flow::Request => "in requests",
            Flow::Response => "in responses",
            Flow::Unused => "(the schema is used by no operation)",
        }
    }

    /// The rule of a request / response / unused family for this flow, with its class: a schema
    /// that no operation uses only reports informational findings.
    pub(super) fn pick(
        self,
        req: (Rule, Class),
        resp: (Rule, Class),
        unused: Rule,
    ) -> (Rule, Class) {
        match self {
            Flow::Request => req,
            Flow::Response => resp,
            Flow::Unused => (unused, Class::Informational),
        }
    }
}

/// Every direction a type flows in, in words.
pub(super) fn flows_words(d: Dir) -> &'static str {
    match (d.req, d.resp) {
        (true, true) => "in requests and responses",
        (true, false) => "in requests",
        (false, true) => "in responses",
        (false, false) => "(the schema is used by no operation)",
    }
}

/// Named types a type mentions.
fn named(ty: &Ty, out: &mut Vec<String>) {
    let mut names = Vec::new();
    ty.named_types(&mut names);
    out.extend(names.into_iter().map(str::to_string));
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
        TypeKind::Alias(t) | TypeKind::Newtype(t) => named(t, &mut out),
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
pub(super) fn directions(api: &Api) -> HashMap<String, Dir> {
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
