//! `info` and `servers` of both sides in, their changes out: the API's title, version and
//! description; servers added, removed or moved to another URL; their variables.

use crate::model::*;
use crate::source::child;

use super::{Cx, Rule};
use crate::diff::{Class, Side, Subject};

/// Servers of both sides matched by URL, then by position: the pairs (BASE index, HEAD index) in
/// HEAD order, and which servers of each side are in a pair.
struct Matched {
    pairs: Vec<(usize, usize)>,
    b_used: Vec<bool>,
    h_used: Vec<bool>,
}

fn match_servers(bs: &[Server], hs: &[Server]) -> Matched {
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
    Matched {
        pairs,
        b_used,
        h_used,
    }
}

/// One server variable on both sides, and where HEAD has it.
struct VarPair<'v> {
    subject: &'v Subject,
    at: String,
    bv: &'v ServerVariable,
    hv: &'v ServerVariable,
}

impl Cx<'_> {
    /// `api-info-changed`: title, version or description.
    pub(super) fn info(&mut self) {
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
                Rule::ApiInfoChanged,
                Class::Informational,
                loc,
                format!("The API's {what}."),
            );
        }
    }

    pub(super) fn servers(&mut self) {
        let (bs, hs) = (&self.base.api.servers, &self.head.api.servers);
        let m = match_servers(bs, hs);
        self.default_server_changed(&m.pairs);
        for &(bi, hi) in &m.pairs {
            self.server_pair(bi, hi);
        }
        for (bi, _) in bs.iter().enumerate().filter(|(i, _)| !m.b_used[*i]) {
            self.server_removed(bi);
        }
        for (hi, _) in hs.iter().enumerate().filter(|(i, _)| !m.h_used[*i]) {
            self.server_added(hi);
        }
    }

    fn default_server_changed(&mut self, pairs: &[(usize, usize)]) {
        let (bs, hs) = (&self.base.api.servers, &self.head.api.servers);
        if let (Some(b0), Some(h0)) = (bs.first(), hs.first()) {
            if b0.url != h0.url && pairs.iter().any(|&(bi, hi)| bi != 0 && hi == 0) {
                let loc = self.loc(Side::Head, Subject::Server(h0.url.clone()), "#/servers/0");
                self.push(Rule::DefaultServerChanged, Class::Breaking, loc, format!("The default (first) server is now `{}` instead of `{}`: clients that do not pick a server reach a different host.", h0.url, b0.url));
            }
        }
    }

    fn server_removed(&mut self, bi: usize) {
        let b = &self.base.api.servers[bi];
        let loc = self.loc(
            Side::Base,
            Subject::Server(b.url.clone()),
            &child("#/servers", bi.to_string()),
        );
        self.push(
            Rule::ServerRemoved,
            Class::Breaking,
            loc,
            format!(
                "Server `{}` is removed: clients using it must move to another.",
                b.url
            ),
        );
    }

    fn server_added(&mut self, hi: usize) {
        let h = &self.head.api.servers[hi];
        let loc = self.loc(
            Side::Head,
            Subject::Server(h.url.clone()),
            &child("#/servers", hi.to_string()),
        );
        let (class, tail) = if hi == 0 && !self.base.api.servers.is_empty() {
            (
                Class::Breaking,
                " It is first, so it becomes the default server.",
            )
        } else {
            (Class::NonBreaking, "")
        };
        self.push(
            Rule::ServerAdded,
            class,
            loc,
            format!("New server `{}`.{tail}", h.url),
        );
    }

    /// One server on both sides: its URL, description and variables.
    fn server_pair(&mut self, bi: usize, hi: usize) {
        let b = &self.base.api.servers[bi];
        let h = &self.head.api.servers[hi];
        let subject = Subject::Server(h.url.clone());
        let sp = child("#/servers", hi.to_string());
        self.server_url_changed(b, h, &subject, &sp);
        self.server_docs_changed(b, h, &subject, &sp);
        let vp = child(&sp, "variables");
        for hv in &h.variables {
            let at = child(&vp, &hv.name);
            let Some(bv) = b.variables.iter().find(|v| v.name == hv.name) else {
                self.server_variable_added(hv, &subject, &at);
                continue;
            };
            let v = VarPair {
                subject: &subject,
                at,
                bv,
                hv,
            };
            self.server_variable_default_changed(&v);
            self.server_variable_values_changed(&v);
            self.server_variable_docs_changed(&v);
        }
        for bv in &b.variables {
            if !h.variables.iter().any(|v| v.name == bv.name) {
                self.server_variable_removed(bi, bv, &subject);
            }
        }
    }

    fn server_url_changed(&mut self, b: &Server, h: &Server, subject: &Subject, sp: &str) {
        if b.url != h.url {
            let loc = self.loc(Side::Head, subject.clone(), &child(sp, "url"));
            self.push(
                Rule::ServerUrlChanged,
                Class::Breaking,
                loc,
                format!(
                    "Server URL `{}` is now `{}`: requests go to a different address.",
                    b.url, h.url
                ),
            );
        }
    }

    fn server_docs_changed(&mut self, b: &Server, h: &Server, subject: &Subject, sp: &str) {
        if b.description != h.description {
            let loc = self.loc(Side::Head, subject.clone(), &child(sp, "description"));
            self.push(
                Rule::ServerDocsChanged,
                Class::Informational,
                loc,
                "The server's description changed.".into(),
            );
        }
    }

    fn server_variable_added(&mut self, hv: &ServerVariable, subject: &Subject, at: &str) {
        let loc = self.loc(Side::Head, subject.clone(), at);
        if hv.default.is_empty() {
            self.push(Rule::ServerVariableAdded, Class::Breaking, loc, format!("New server variable `{}` without a default: every client must now set it with `ClientBuilder::{}`.", hv.name, hv.setter));
        } else {
            self.push(
                Rule::ServerVariableAdded,
                Class::NonBreaking,
                loc,
                format!(
                    "New server variable `{}` (default `{}`), set with `ClientBuilder::{}`.",
                    hv.name, hv.default, hv.setter
                ),
            );
        }
    }

    fn server_variable_default_changed(&mut self, v: &VarPair) {
        let (bv, hv) = (v.bv, v.hv);
        if bv.default == hv.default {
            return;
        }
        let loc = self.loc(Side::Head, v.subject.clone(), &child(&v.at, "default"));
        let rule = Rule::ServerVariableDefaultChanged;
        if bv.default.is_empty() {
            self.push(
                rule,
                Class::NonBreaking,
                loc,
                format!(
                    "Server variable `{}` now has the default `{}`; setting it becomes optional.",
                    hv.name, hv.default
                ),
            );
        } else if hv.default.is_empty() {
            self.push(
                rule,
                Class::Breaking,
                loc,
                format!(
                    "Server variable `{}` lost its default `{}`: every client must now set it.",
                    hv.name, bv.default
                ),
            );
        } else {
            self.push(rule, Class::Breaking, loc, format!("Server variable `{}` defaults to `{}` instead of `{}`: clients that rely on the default reach a different host.", hv.name, hv.default, bv.default));
        }
    }

    fn server_variable_values_changed(&mut self, v: &VarPair) {
        let (bv, hv) = (v.bv, v.hv);
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
        if gone.is_empty() && new.is_empty() {
            return;
        }
        let loc = self.loc(Side::Head, v.subject.clone(), &child(&v.at, "enum"));
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
        self.push(Rule::ServerVariableValuesChanged, class, loc, msg);
    }

    /// `server-docs-changed`, for a variable's description.
    fn server_variable_docs_changed(&mut self, v: &VarPair) {
        if v.bv.description != v.hv.description {
            let loc = self.loc(Side::Head, v.subject.clone(), &child(&v.at, "description"));
            self.push(
                Rule::ServerDocsChanged,
                Class::Informational,
                loc,
                format!(
                    "The description of server variable `{}` changed.",
                    v.hv.name
                ),
            );
        }
    }

    fn server_variable_removed(&mut self, bi: usize, bv: &ServerVariable, subject: &Subject) {
        let bp = child(
            &child(&child("#/servers", bi.to_string()), "variables"),
            &bv.name,
        );
        let loc = self.loc(Side::Base, subject.clone(), &bp);
        self.push(
            Rule::ServerVariableRemoved,
            Class::Breaking,
            loc,
            format!(
                "Server variable `{}` is removed, with its builder method `ClientBuilder::{}`.",
                bv.name, bv.setter
            ),
        );
    }
}
