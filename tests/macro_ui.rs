//! Compile-time behaviour of `#[endpoint]`: accepted forms and error messages.

#[test]
fn endpoint_macro_ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
