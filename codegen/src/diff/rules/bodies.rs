//! The request body of one operation on both sides in, its changes out: a body added or
//! removed, made required or optional, or of another type.

use crate::model::*;
use crate::source::child;

use super::words::describe;
use super::{Cx, Rule};
use crate::diff::{Class, Location, Side, Subject};

impl Cx<'_> {
    pub(super) fn body(&mut self, bo: &Operation, ho: &Operation, subject: &Subject) {
        match (&bo.body, &ho.body) {
            (None, Some(h)) => self.request_body_added(ho, h, subject),
            (Some(b), None) => self.request_body_removed(bo, b, subject),
            (Some(b), Some(h)) => {
                let loc = self.loc(
                    Side::Head,
                    subject.clone(),
                    &child(&ho.pointer, "requestBody"),
                );
                self.request_body_made_required(b, h, &loc);
                self.request_body_made_optional(b, h, &loc);
                self.request_body_type_changed(b, h, loc);
            }
            (None, None) => {}
        }
    }

    fn request_body_added(&mut self, ho: &Operation, h: &Body, subject: &Subject) {
        let loc = self.loc(
            Side::Head,
            subject.clone(),
            &child(&ho.pointer, "requestBody"),
        );
        let (class, msg) = if h.required {
            (
                Class::Breaking,
                format!(
                    "The operation now requires a request body ({}).",
                    describe(&h.ty)
                ),
            )
        } else {
            (
                Class::NonBreaking,
                format!(
                    "The operation now takes an optional request body ({}).",
                    describe(&h.ty)
                ),
            )
        };
        self.push(Rule::RequestBodyAdded, class, loc, msg);
    }

    fn request_body_removed(&mut self, bo: &Operation, b: &Body, subject: &Subject) {
        let loc = self.loc(
            Side::Base,
            subject.clone(),
            &child(&bo.pointer, "requestBody"),
        );
        self.push(
            Rule::RequestBodyRemoved,
            Class::Breaking,
            loc,
            format!("The request body ({}) is removed.", describe(&b.ty)),
        );
    }

    fn request_body_made_required(&mut self, b: &Body, h: &Body, loc: &Location) {
        if !b.required && h.required {
            self.push(
                Rule::RequestBodyMadeRequired,
                Class::Breaking,
                loc.clone(),
                "The request body is now required.".into(),
            );
        }
    }

    fn request_body_made_optional(&mut self, b: &Body, h: &Body, loc: &Location) {
        if b.required && !h.required {
            self.push(
                Rule::RequestBodyMadeOptional,
                Class::NonBreaking,
                loc.clone(),
                "The request body is now optional.".into(),
            );
        }
    }

    fn request_body_type_changed(&mut self, b: &Body, h: &Body, loc: Location) {
        if !self.same(&b.ty, &h.ty) {
            self.push(
                Rule::RequestBodyTypeChanged,
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
}
