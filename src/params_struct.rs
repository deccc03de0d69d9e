//! Parameter structs: an operation's query and header parameters gathered in one value, so that
//! operations with many optional parameters take a struct with a builder instead of a long list
//! of `Option` arguments. Generated `<Operation>Params` types implement [`Params`]; the
//! `#[endpoint]` attribute sends one with `params = name`.

use crate::Request;

/// A set of query and header parameters that adds itself to a request.
pub trait Params {
    /// Adds every parameter that has a value (through [`Request::query`] and
    /// [`Request::header`], so the same encoding and checks apply).
    fn apply(&self, request: &mut Request<'_>);
}

impl<T: Params + ?Sized> Params for &T {
    fn apply(&self, request: &mut Request<'_>) {
        (**self).apply(request);
    }
}
