//! Named request parts: turns the entries of `query(...)`, `headers(...)`, `cookies(...)`
//! (`name`, `name = "wire"`, `name(style = "...", explode = false)`, `name = "wire"(json)`)
//! and of `auth(...)` into [`QueryItem`]s and [`SchemeName`]s.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{parenthesized, token, Ident, LitStr, Token};

#[derive(Debug)]
pub(crate) struct QueryItem {
    pub(crate) ident: Ident,
    pub(crate) wire: Option<LitStr>,
    /// `(style = "...", explode = bool)` or `(json)` after the name.
    pub(crate) options: Option<ParamOptions>,
}

/// How a parameter is written, when not as plain text.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ParamOptions {
    /// `style = "..."` and/or `explode = bool`: a `vendor_clients::QueryStyle`.
    Style(Span, &'static str),
    /// `json`: the JSON text of the value (`content: application/json`).
    Json(Span),
}

impl ParamOptions {
    pub(crate) fn span(&self) -> Span {
        match self {
            ParamOptions::Style(span, _) | ParamOptions::Json(span) => *span,
        }
    }
}

/// The `vendor_clients::QueryStyle` variants, as `#[param(style = ...)]` names them.
pub(crate) const QUERY_STYLES: [&str; 5] = [
    "Form",
    "FormUnexploded",
    "PipeDelimited",
    "SpaceDelimited",
    "DeepObject",
];

/// The `QueryStyle` variant of `style` and `explode` (neither given is an error of the caller).
fn style_variant(
    style: Option<&LitStr>,
    explode: Option<&syn::LitBool>,
    span: Span,
) -> syn::Result<&'static str> {
    let exploded = explode.map(syn::LitBool::value);
    Ok(match style.map(LitStr::value).as_deref() {
        None | Some("form") => match exploded {
            Some(false) => "FormUnexploded",
            _ => "Form",
        },
        Some("pipeDelimited") if exploded != Some(true) => "PipeDelimited",
        Some("spaceDelimited") if exploded != Some(true) => "SpaceDelimited",
        // Exploded, these are the form style (OpenAPI).
        Some("pipeDelimited" | "spaceDelimited") => "Form",
        Some("deepObject") => "DeepObject",
        Some(other) => {
            return Err(syn::Error::new(
                style.map_or(span, LitStr::span),
                format!("unknown query style `{other}`; expected \"form\", \"pipeDelimited\", \"spaceDelimited\" or \"deepObject\""),
            ))
        }
    })
}

impl Parse for ParamOptions {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let content;
        let paren = parenthesized!(content in input);
        let span = paren.span.join();
        let mut style: Option<LitStr> = None;
        let mut explode: Option<syn::LitBool> = None;
        let mut json = false;
        while !content.is_empty() {
            let key = Ident::parse_any(&content)?;
            match key.to_string().as_str() {
                "json" => json = true,
                "style" => {
                    content.parse::<Token![=]>()?;
                    style = Some(content.parse()?);
                }
                "explode" => {
                    content.parse::<Token![=]>()?;
                    explode = Some(content.parse()?);
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown parameter option `{other}`; expected `style = \"...\"`, `explode = true|false` or `json`"),
                    ))
                }
            }
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        if json {
            if style.is_some() || explode.is_some() {
                return Err(syn::Error::new(
                    span,
                    "`json` sends the value as JSON text, so it takes no `style` or `explode`",
                ));
            }
            return Ok(ParamOptions::Json(span));
        }
        let variant = style_variant(style.as_ref(), explode.as_ref(), span)?;
        if style.is_none() && explode.is_none() {
            return Err(syn::Error::new(
                span,
                "empty parameter options; give `style = \"...\"`, `explode = false` or `json`, or remove the parentheses",
            ));
        }
        Ok(ParamOptions::Style(span, variant))
    }
}

impl Parse for QueryItem {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let ident = Ident::parse_any(input)?;
        let wire = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Some(input.parse::<LitStr>()?)
        } else {
            None
        };
        let options = if input.peek(token::Paren) {
            Some(input.parse()?)
        } else {
            None
        };
        Ok(Self {
            ident,
            wire,
            options,
        })
    }
}

/// A scheme name: an identifier or a string (for names like `api-key`).
pub(crate) struct SchemeName(pub(crate) LitStr);

impl Parse for SchemeName {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(Self(input.parse()?));
        }
        let ident = Ident::parse_any(input)?;
        Ok(Self(LitStr::new(&ident.unraw().to_string(), ident.span())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str) -> QueryItem {
        match syn::parse_str(text) {
            Ok(item) => item,
            Err(e) => panic!("{text:?} was refused: {e}"),
        }
    }

    fn style(text: &str) -> &'static str {
        match item(text).options {
            Some(ParamOptions::Style(_, variant)) => variant,
            other => panic!("{text:?} has no style: {other:?}"),
        }
    }

    fn error(text: &str) -> String {
        match syn::parse_str::<QueryItem>(text) {
            Ok(i) => panic!("{text:?} was accepted as {i:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn reads_name_wire_name_and_json_option() {
        let plain = item("r#type");
        assert_eq!(plain.ident.unraw(), "type");
        assert!(plain.wire.is_none() && plain.options.is_none());
        let json = item("filter = \"filter[x]\"(json)");
        assert_eq!(json.wire.map(|w| w.value()).as_deref(), Some("filter[x]"));
        assert!(matches!(json.options, Some(ParamOptions::Json(_))));
    }

    #[test]
    fn maps_style_and_explode_to_the_query_style_variant() {
        assert_eq!(style("ids(explode = false)"), "FormUnexploded");
        assert_eq!(style("ids(style = \"form\")"), "Form");
        assert_eq!(style("ids(style = \"pipeDelimited\")"), "PipeDelimited");
        assert_eq!(
            style("ids(style = \"spaceDelimited\", explode = false)"),
            "SpaceDelimited"
        );
        assert_eq!(
            style("ids(style = \"pipeDelimited\", explode = true)"),
            "Form"
        );
        assert_eq!(style("f(style = \"deepObject\")"), "DeepObject");
    }

    #[test]
    fn refuses_unknown_empty_and_conflicting_options() {
        assert!(error("a(style = \"matrix\")").contains("unknown query style `matrix`"));
        assert!(error("a(color)").contains("unknown parameter option `color`"));
        assert!(error("a()").contains("empty parameter options"));
        assert!(error("a(json, explode = false)").contains("takes no `style` or `explode`"));
    }

    #[test]
    fn scheme_names_are_identifiers_or_strings() {
        let names: Vec<String> = ["apiKey", "r#type", "\"api-key\""]
            .iter()
            .map(|t| match syn::parse_str::<SchemeName>(t) {
                Ok(name) => name.0.value(),
                Err(e) => panic!("{t:?} was refused: {e}"),
            })
            .collect();
        assert_eq!(names, ["apiKey", "type", "api-key"]);
    }
}
