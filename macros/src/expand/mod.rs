//! Expand: turns a [`Checked`] endpoint into the method's code: the `Operation` describing
//! it (a constant), the request built and sent (`request`, `send`), and the match of the
//! response status onto the declared arms (`status`, `body`). Nothing is refused here.

mod body;
mod compact;
pub(crate) mod request;
mod send;
mod status;

use proc_macro2::TokenStream as TokenStream2;
use proc_macro2::{Literal, Span};
use quote::quote;
use syn::ext::IdentExt;
use syn::{Ident, LitStr};

use crate::check::Checked;
use crate::parse::Sig;

/// The method with its body. The compact form is written by one `quote!` from plain values
/// (names, numbers, the declared types): each token stream built apart and then spliced into
/// another costs a dev build, where proc macros run unoptimised, several round trips to the
/// compiler.
pub(crate) fn expand(endpoint: &Checked) -> TokenStream2 {
    let operation = operation(endpoint);
    // Every endpoint is a plain `fn` returning a future that borrows the client only (see the
    // signature below): the request is built and handed to the runtime when the method is called,
    // and only the answer is read in the future.
    let request = request::request(endpoint, &operation);
    let attrs = &endpoint.item.attrs;
    let vis = &endpoint.item.vis;
    let Sig {
        qualifiers,
        fn_token,
        ident,
        generics,
        inputs,
        where_clause,
        ..
    } = &endpoint.item.sig;
    let output = output(&endpoint.item.sig);
    let body = match compact::compact(endpoint) {
        Some(compact::Compact {
            call,
            ok,
            table,
            error_body,
            error,
        }) => {
            let call = Ident::new(call, Span::call_site());
            let error_body = Ident::new(error_body, Span::call_site());
            // Unsuffixed: the table's type says what they are.
            let (lo, (hi, outcome)): (Vec<Literal>, (Vec<Literal>, Vec<Literal>)) = table
                .into_iter()
                .map(|(lo, hi, o)| {
                    let n = |v: u16| Literal::u16_unsuffixed(v);
                    (n(lo), (n(hi), Literal::u8_unsuffixed(o)))
                })
                .unzip();
            let ok = ok.into_iter();
            let error = error.into_iter();
            quote! {
                ::vendor_clients::__answer::#call #(::<#ok, _>)* (
                    #request,
                    &[#((#lo, #hi, #outcome)),*],
                    ::vendor_clients::__answer::#error_body #(::<#error, _>)*,
                )
            }
        }
        None => {
            let (sent, resp) = send::send(endpoint, &request);
            let status_match = status::status_match(endpoint);
            // A function of the response, not an `async` block awaiting it: nothing is awaited
            // after the response, and a block awaiting the captured future would hold it twice.
            quote! {
                ::vendor_clients::__answer::map(#sent, move |__vc_sent| -> #output {
                    #resp
                    #status_match
                })
            }
        }
    };
    // The signature: a plain `fn` returning `impl Future<Output = R> + '_` for a declared
    // `async fn .. -> R`. The future borrows the client only: the request is built when the
    // method is called. Its auto traits (`Send`) show through as an `async fn`'s do; naming
    // `Send` in the signature would make the compiler prove it for every operation, which
    // measured as costly as the rest of the method. The future is the runtime's (the compact
    // form's call, or the full form's response mapped by a closure), so no coroutine is
    // compiled per operation.
    quote! {
        #(#attrs)*
        #vis #qualifiers #fn_token #ident #generics #inputs
            -> impl ::core::future::Future<Output = #output> + '_ #where_clause {
            #body
        }
    }
}

/// The declared output type.
fn output(sig: &Sig) -> TokenStream2 {
    match &sig.output {
        Some(ty) => ty.clone(),
        None => quote!(()),
    }
}

/// The `&'static Operation`'s fields: the id, method, path template, auth schemes, idempotence,
/// and whether the responses can hold secrets. It is written as a constant expression, which the
/// compiler promotes to a static, rather than a `static` item (each item is one more the
/// compiler tracks in every build of a client with hundreds of operations) or an inline `const`
/// block (which costs more than the item it replaces, measured).
fn operation(endpoint: &Checked) -> request::Operation {
    let sig = &endpoint.item.sig;
    let id = endpoint
        .operation_id
        .clone()
        .unwrap_or_else(|| LitStr::new(&sig.ident.unraw().to_string(), sig.ident.span()));
    let idempotent = match &endpoint.idempotent {
        Some(flag) => flag.value,
        None => crate::parse::idempotent_by_default(endpoint.method_variant),
    };
    request::Operation {
        id,
        variant: Ident::new(endpoint.method_variant, endpoint.method.span()),
        path: endpoint.path.clone(),
        auth: endpoint.auth.clone(),
        idempotent,
        sensitive: endpoint.sensitive,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::checked;

    #[test]
    fn a_plain_operation_is_its_operation_then_the_compact_answer() {
        let code = expand_of(
            quote!(GET "/a", ok(200 => json(T)), err(4XX => json(E))),
            quote!(
                #[doc = "Gets."]
                pub async fn get(&self) -> R;
            ),
        );
        assert!(
            code.starts_with(
                "# [doc = \"Gets.\"] pub fn get (& self) -> impl :: core :: future :: Future < Output = R > + '_ {"
            ),
            "{code}"
        );
        let operation = code
            .find("request (& :: vendor_clients :: Operation {")
            .expect("operation");
        let answer = code
            .find(":: vendor_clients :: __answer :: call_json")
            .expect("answer");
        // The answer's first argument is the request, built for the operation.
        assert!(answer < operation, "{code}");
        assert!(!code.contains("__vc_resp"), "{code}");
    }

    fn expand_of(attr: TokenStream2, item: TokenStream2) -> String {
        let c = checked(attr, item).unwrap_or_else(|e| panic!("refused: {e}"));
        expand(&c).to_string()
    }

    #[test]
    fn sensitive_marks_the_operation() {
        let code = expand_of(
            quote!(POST "/token", sensitive, ok(200 => json(T))),
            quote!(
                async fn token(&self) -> R;
            ),
        );
        assert!(code.contains("sensitive : true"), "{code}");
        let plain = expand_of(
            quote!(POST "/token", ok(200 => json(T))),
            quote!(
                async fn token(&self) -> R;
            ),
        );
        assert!(plain.contains("sensitive : false"), "{plain}");
    }

    #[test]
    fn the_operation_defaults_its_id_to_the_fn_name_and_idempotence_to_the_method() {
        let code = expand_of(
            quote!(GET "/a", auth(key, "api-key"), ok(200 => empty)),
            quote!(
                async fn r#list(&self) -> R;
            ),
        );
        let operation = "id : \"list\" , method : :: vendor_clients :: Method :: Get , \
            path : \"/a\" , auth : & [\"key\" , \"api-key\"] , \
            idempotent : true ,";
        assert!(code.contains(operation), "{code}");
        for (method, flag) in [
            ("POST", false),
            ("PATCH", false),
            ("PUT", true),
            ("DELETE", true),
        ] {
            let method = Ident::new(method, proc_macro2::Span::call_site());
            let code = expand_of(
                quote!(#method "/a", ok(200 => empty)),
                quote!(
                    async fn a(&self) -> R;
                ),
            );
            assert!(code.contains(&format!("idempotent : {flag} ,")), "{code}");
        }
    }

    #[test]
    fn the_operation_takes_a_given_id_and_idempotence() {
        let code = expand_of(
            quote!(POST "/a", operation_id = "createA", idempotent, ok(201 => empty)),
            quote!(
                async fn create(&self) -> R;
            ),
        );
        assert!(code.contains("id : \"createA\""), "{code}");
        assert!(code.contains("idempotent : true ,"), "{code}");
    }

    #[test]
    fn the_method_keeps_its_attributes_and_signature_and_runs_operation_send_match_in_order() {
        // Two success kinds: the full form.
        let code = expand_of(
            quote!(GET "/a", ok(200 => empty, 201 => text)),
            quote!(
                #[doc = "Lists."]
                pub async fn list(&self) -> R;
            ),
        );
        assert!(
            code.starts_with(
                "# [doc = \"Lists.\"] pub fn list (& self) -> impl :: core :: future :: Future < Output = R > + '_ {"
            ),
            "{code}"
        );
        let operation = code
            .find("request (& :: vendor_clients :: Operation {")
            .expect("operation");
        // Sent when the method is called; its response matched by the function it is mapped with.
        let send = code.find("} . send () ,").expect("send");
        let future = code
            .find(":: vendor_clients :: __answer :: map (")
            .expect("future");
        let awaited = code
            .find("move | __vc_sent | -> R { let __vc_resp = match __vc_sent {")
            .expect("mapped");
        assert!(!code.contains("call_json"), "{code}");
        let status = code
            .find("match __vc_resp . status ()")
            .expect("status match");
        assert!(
            future < operation && operation < send && send < awaited && awaited < status,
            "{code}"
        );
        assert!(code.contains("idempotent : true"), "{code}");
    }
}
