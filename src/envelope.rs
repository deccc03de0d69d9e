//! [`Envelope`]: what an operation returns when the spec unwraps its response (`x-unwrap`). The
//! caller works with the value directly (it derefs to it), and the rest of the response envelope
//! (counts, timings, warnings, links) is still there in [`Envelope::meta`].

use std::ops::{Deref, DerefMut};

/// A value taken out of a response envelope, with the rest of the envelope beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope<T, M> {
    value: T,
    meta: M,
}

impl<T, M> Envelope<T, M> {
    /// Pairs a value with the rest of its envelope.
    pub fn new(value: T, meta: M) -> Self {
        Envelope { value, meta }
    }

    /// The rest of the envelope.
    pub fn meta(&self) -> &M {
        &self.meta
    }

    /// The value, dropping the rest.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The value and the rest of the envelope.
    pub fn into_parts(self) -> (T, M) {
        (self.value, self.meta)
    }
}

impl<T, M> Deref for Envelope<T, M> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T, M> DerefMut for Envelope<T, M> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: IntoIterator, M> IntoIterator for Envelope<T, M> {
    type Item = T::Item;
    type IntoIter = T::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        self.value.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derefs_to_the_value_and_keeps_the_meta() {
        let e = Envelope::new(vec![1, 2, 3], "count: 3");
        assert_eq!(e.len(), 3);
        assert_eq!(*e.meta(), "count: 3");
        assert_eq!(e.into_iter().sum::<i32>(), 6);
    }
}
