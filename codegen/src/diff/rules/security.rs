//! Security schemes of both sides in, their changes out: schemes added, removed, or sending
//! another kind of credential; and, per operation, which schemes it accepts.

use std::collections::BTreeSet;

use crate::model::*;
use crate::source::child;

use super::{Cx, Rule};
use crate::diff::{Class, Side, Subject};

/// What a scheme sends, in words.
fn describe_kind(k: &SchemeKind) -> String {
    match k {
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
    }
}

impl Cx<'_> {
    pub(super) fn schemes(&mut self) {
        for h in &self.head.api.schemes {
            match self.base.api.schemes.iter().find(|b| b.name == h.name) {
                None => self.security_scheme_added(h),
                Some(b) => {
                    self.security_scheme_changed(b, h);
                    self.security_scheme_docs_changed(b, h);
                }
            }
        }
        for b in &self.base.api.schemes {
            if !self.head.api.schemes.iter().any(|h| h.name == b.name) {
                self.security_scheme_removed(b);
            }
        }
    }

    fn security_scheme_added(&mut self, h: &Scheme) {
        let at = child("#/components/securitySchemes", &h.name);
        let loc = self.loc(Side::Head, Subject::Security(h.name.clone()), &at);
        self.push(
            Rule::SecuritySchemeAdded,
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

    fn security_scheme_changed(&mut self, b: &Scheme, h: &Scheme) {
        if b.kind != h.kind {
            let at = child("#/components/securitySchemes", &h.name);
            let loc = self.loc(Side::Head, Subject::Security(h.name.clone()), &at);
            self.push(
                Rule::SecuritySchemeChanged,
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
    }

    fn security_scheme_docs_changed(&mut self, b: &Scheme, h: &Scheme) {
        if b.description != h.description {
            let at = child("#/components/securitySchemes", &h.name);
            let loc = self.loc(
                Side::Head,
                Subject::Security(h.name.clone()),
                &child(&at, "description"),
            );
            self.push(
                Rule::SecuritySchemeDocsChanged,
                Class::Informational,
                loc,
                format!("The description of security scheme `{}` changed.", h.name),
            );
        }
    }

    fn security_scheme_removed(&mut self, b: &Scheme) {
        let at = child("#/components/securitySchemes", &b.name);
        let loc = self.loc(Side::Base, Subject::Security(b.name.clone()), &at);
        self.push(
            Rule::SecuritySchemeRemoved,
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

    /// `operation-auth-changed`: the schemes an operation accepts.
    pub(super) fn operation_auth_changed(
        &mut self,
        bo: &Operation,
        ho: &Operation,
        subject: &Subject,
    ) {
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
        self.push(Rule::OperationAuthChanged, class, loc, msg);
    }
}
