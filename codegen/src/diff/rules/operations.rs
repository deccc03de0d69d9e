//! Operations of both sides in, their changes out: operations added or removed, and for the same
//! operation on both sides, its id, Rust method, HTTP method, path, deprecation and docs; then
//! its parameters, body, responses and accepted schemes (in their own rooms).

use crate::model::*;
use crate::source::child;

use super::{Cx, Rule};
use crate::diff::{Class, Side, Subject};

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

/// Operations matched by operationId, then by method and path: the pairs (BASE index, HEAD
/// index), and which operations of each side are in a pair.
fn match_operations(
    bo: &[Operation],
    ho: &[Operation],
) -> (Vec<(usize, usize)>, Vec<bool>, Vec<bool>) {
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
    pairs.sort_by_key(|&(_, hi)| hi);
    (pairs, b_used, h_used)
}

impl Cx<'_> {
    pub(super) fn operations(&mut self) {
        let (bo, ho) = (&self.base.api.operations, &self.head.api.operations);
        let (pairs, b_used, h_used) = match_operations(bo, ho);
        for b in bo
            .iter()
            .enumerate()
            .filter(|(i, _)| !b_used[*i])
            .map(|(_, b)| b)
        {
            self.operation_removed(b);
        }
        for (hi, h) in ho.iter().enumerate() {
            if h_used[hi] {
                if let Some(&(bi, _)) = pairs.iter().find(|&&(_, x)| x == hi) {
                    self.operation_pair(&bo[bi], h);
                }
            } else {
                self.operation_added(h);
            }
        }
    }

    fn operation_removed(&mut self, b: &Operation) {
        let loc = self.loc(Side::Base, Subject::Operation(b.id.clone()), &b.pointer);
        self.push(
            Rule::OperationRemoved,
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

    fn operation_added(&mut self, h: &Operation) {
        let loc = self.loc(Side::Head, Subject::Operation(h.id.clone()), &h.pointer);
        self.push(
            Rule::OperationAdded,
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

    /// One operation on both sides.
    fn operation_pair(&mut self, b: &Operation, h: &Operation) {
        let subject = Subject::Operation(h.id.clone());
        self.operation_id_changed(b, h, &subject);
        self.rust_method_renamed(b, h, &subject);
        self.operation_method_changed(b, h, &subject);
        self.operation_path_changed(b, h, &subject);
        self.operation_deprecated(b, h, &subject);
        self.operation_docs_changed(b, h, &subject);
        self.params(b, h, &subject);
        self.body(b, h, &subject);
        self.responses(b, h, &subject);
        self.operation_auth_changed(b, h, &subject);
    }

    fn operation_id_changed(&mut self, b: &Operation, h: &Operation, subject: &Subject) {
        if b.id == h.id {
            return;
        }
        let loc = self.loc(
            Side::Head,
            subject.clone(),
            &child(&h.pointer, "operationId"),
        );
        if b.rust != h.rust {
            self.push(Rule::OperationIdChanged, Class::Breaking, loc, format!("operationId `{}` is now `{}`: the Rust method `Client::{}` is renamed `Client::{}`.", b.id, h.id, b.rust, h.rust));
        } else {
            self.push(
                Rule::OperationIdChanged,
                Class::Informational,
                loc,
                format!(
                    "operationId `{}` is now `{}`; the Rust method keeps its name `Client::{}`.",
                    b.id, h.id, h.rust
                ),
            );
        }
    }

    /// Only for the same operationId: with another id, `operation-id-changed` says it.
    fn rust_method_renamed(&mut self, b: &Operation, h: &Operation, subject: &Subject) {
        if b.id == h.id && b.rust != h.rust {
            let loc = self.loc(Side::Head, subject.clone(), &h.pointer);
            self.push(
                Rule::RustMethodRenamed,
                Class::Breaking,
                loc,
                format!(
                    "The Rust method `Client::{}` is renamed `Client::{}` (`x-rust-name`).",
                    b.rust, h.rust
                ),
            );
        }
    }

    fn operation_method_changed(&mut self, b: &Operation, h: &Operation, subject: &Subject) {
        if b.method != h.method {
            let loc = self.loc(Side::Head, subject.clone(), &h.pointer);
            self.push(Rule::OperationMethodChanged, Class::Breaking, loc, format!("The method changed from {} to {} (`{} {}`): the old request is no longer served.", b.method.as_str(), h.method.as_str(), h.method.as_str(), h.path));
        }
    }

    fn operation_path_changed(&mut self, b: &Operation, h: &Operation, subject: &Subject) {
        if path_shape(&b.path) != path_shape(&h.path) {
            let loc = self.loc(Side::Head, subject.clone(), &h.pointer);
            self.push(Rule::OperationPathChanged, Class::Breaking, loc, format!("The path `{}` is now `{}`: requests go to a new URL, and the old one is no longer documented.", b.path, h.path));
        }
    }

    fn operation_deprecated(&mut self, b: &Operation, h: &Operation, subject: &Subject) {
        if b.deprecated == h.deprecated {
            return;
        }
        let loc = self.loc(
            Side::Head,
            subject.clone(),
            &child(&h.pointer, "deprecated"),
        );
        let msg = if h.deprecated {
            format!(
                "The operation is deprecated: `Client::{}` gets `#[deprecated]`.",
                h.rust
            )
        } else {
            "The operation is no longer deprecated.".into()
        };
        self.push(Rule::OperationDeprecated, Class::Informational, loc, msg);
    }

    fn operation_docs_changed(&mut self, b: &Operation, h: &Operation, subject: &Subject) {
        if b.summary != h.summary || b.description != h.description {
            let key = if b.summary != h.summary {
                "summary"
            } else {
                "description"
            };
            let loc = self.loc(Side::Head, subject.clone(), &child(&h.pointer, key));
            self.push(
                Rule::OperationDocsChanged,
                Class::Informational,
                loc,
                "The operation's summary or description changed.".into(),
            );
        }
    }
}
