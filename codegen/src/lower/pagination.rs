//! `x-pagination` to [`Pagination`]: the offset, cursor and next-link styles, with the
//! parameters they set and where their values are in the answer.

use crate::lower::cx::Cx;
use crate::lower::responses::unwrap::{access, path_property};
use crate::lower::schema::scalar::strip_lenient;
use crate::model::{
    AccessRoot, FieldWrap, LinkPath, OutTy, Output, PageStyle, Pagination, Param, ParamIn, Ty,
    TypeKind,
};

/// `x-pagination` on an operation whose success value is `output`.
pub(super) fn lower_pagination(
    cx: &mut Cx<'_>,
    v: &serde_json::Value,
    at: &str,
    output: &Output,
    params_struct: Option<&str>,
) -> Option<Pagination> {
    let Some(style) = get(v, "style") else {
        cx.err_help(
            at,
            "`x-pagination` needs a `style`",
            "use `style: offset` or `style: cursor`",
        );
        return None;
    };
    let Output::Single(OutTy::Ty(out)) = output else {
        cx.err(
            at,
            "`x-pagination` needs an operation with one JSON success body",
        );
        return None;
    };
    // The parameter struct's member for a query parameter, by wire name.
    let members: Vec<Param> = match params_struct
        .and_then(|n| cx.types.named(n))
        .map(|t| &t.kind)
    {
        Some(TypeKind::Params { members, .. }) => members.clone(),
        _ => Vec::new(),
    };
    let page = PageSpec {
        v,
        at,
        out,
        members,
    };
    let Some(items_path) = get(v, "items") else {
        cx.err(
            at,
            "`x-pagination` needs `items` (the path of the item array)",
        );
        return None;
    };
    let (items, items_ty) = access(cx, out, &items_path, at)?;
    let item = match items_ty {
        Ty::Vec(inner) => *inner,
        _ => {
            cx.err(at, format!("`items: {items_path}` is not an array"));
            return None;
        }
    };
    let style = match style.as_str() {
        "offset" => offset_style(cx, &page)?,
        "cursor" => cursor_style(cx, &page)?,
        "next-link" => {
            let Some(next_path) = get(v, "next") else {
                cx.err(
                    at,
                    "`style: next-link` needs `next` (the path of the next page's link)",
                );
                return None;
            };
            let next = link_path(cx, out, &next_path, at)?;
            PageStyle::NextLink { next }
        }
        other => {
            cx.err_help(
                at,
                format!("paging style `{other}` is not supported"),
                "use `offset`, `cursor` or `next-link`",
            );
            return None;
        }
    };
    Some(Pagination { style, items, item })
}

/// A string entry of the `x-pagination` object.
fn get(v: &serde_json::Value, k: &str) -> Option<String> {
    v.get(k).and_then(|x| x.as_str()).map(str::to_string)
}

/// The `x-pagination` object being read, and what its entries are checked against.
struct PageSpec<'p> {
    v: &'p serde_json::Value,
    at: &'p str,
    /// The success value's type.
    out: &'p Ty,
    /// The members of the operation's parameter struct.
    members: Vec<Param>,
}

impl PageSpec<'_> {
    /// The optional query parameter (Rust name and type) an entry names; `Some(None)` for a
    /// missing entry that is not `required`.
    fn field(&self, cx: &mut Cx<'_>, key: &str, required: bool) -> Option<Option<(String, Ty)>> {
        let at = self.at;
        let Some(wire) = get(self.v, key) else {
            if required {
                cx.err(
                    at,
                    format!("`x-pagination` needs `{key}` (the name of the query parameter)"),
                );
                return None;
            }
            return Some(None);
        };
        match self
            .members
            .iter()
            .find(|p| p.wire == wire && p.location == ParamIn::Query && !p.required)
        {
            Some(p) => Some(Some((p.rust.clone(), p.ty.clone()))),
            None => {
                cx.err_help(
                    at,
                    format!("`{key}: {wire}` is not an optional query parameter of this operation"),
                    "declare it as a query parameter with `required: false`",
                );
                None
            }
        }
    }
}

/// `style: offset`: `limit` and `offset` parameters, maybe a `total` in the answer.
fn offset_style(cx: &mut Cx<'_>, page: &PageSpec<'_>) -> Option<PageStyle> {
    let at = page.at;
    let limit = page.field(cx, "limit", false)?;
    let offset = page.field(cx, "offset", true)??;
    let total = match get(page.v, "total") {
        None => None,
        Some(t) => {
            let (acc, ty) = access(cx, page.out, &t, at)?;
            if !matches!(strip_lenient(&ty), Ty::I32 | Ty::I64) {
                cx.err(at, format!("`total: {t}` is not an integer"));
                return None;
            }
            Some((acc, strip_lenient(&ty).clone()))
        }
    };
    for (name, ty) in limit.iter().chain(std::iter::once(&offset)) {
        if !matches!(ty, Ty::I32 | Ty::I64) {
            cx.err(
                at,
                format!("the paging parameter `{name}` must be an integer"),
            );
            return None;
        }
    }
    Some(PageStyle::Offset {
        limit,
        offset,
        total,
    })
}

/// `style: cursor`: a `cursor` parameter, and the `next` cursor in the answer, of its type.
fn cursor_style(cx: &mut Cx<'_>, page: &PageSpec<'_>) -> Option<PageStyle> {
    let at = page.at;
    let cursor = page.field(cx, "cursor", true)??;
    let Some(next_path) = get(page.v, "next") else {
        cx.err(
            at,
            "`style: cursor` needs `next` (the path of the next cursor)",
        );
        return None;
    };
    let (next, next_ty) = access(cx, page.out, &next_path, at)?;
    if strip_lenient(&next_ty) != strip_lenient(&cursor.1) {
        cx.err(
            at,
            format!("`next: {next_path}` does not have the cursor parameter's type"),
        );
        return None;
    }
    Some(PageStyle::Cursor { cursor, next })
}

/// Where the string at `path` is in a success value of type `out`; unlike [`access`],
/// the path may go through properties that are missing or `null` (no link then).
fn link_path(cx: &mut Cx<'_>, out: &Ty, path: &str, at: &str) -> Option<LinkPath> {
    let segments: Vec<&str> = path.split('/').collect();
    if segments.iter().any(|s| *s == "*" || s.is_empty()) {
        cx.err(
            at,
            format!("`next: {path}` must be a path of property names (no `*`, no empty segment)"),
        );
        return None;
    }
    let (from, mut ty) = match out {
        Ty::Envelope(_, meta) => {
            let u = cx.unwraps.iter().find(|u| &u.meta == meta)?;
            if segments[0] == u.wire_path.split('/').next().unwrap_or_default() {
                cx.err(
                    at,
                    format!(
                        "`next: {path}` is inside the unwrapped `{}`; the link must be beside it",
                        u.wire_path
                    ),
                );
                return None;
            }
            (AccessRoot::Meta, Ty::Named(meta.clone()))
        }
        other => (AccessRoot::Value, other.clone()),
    };
    let mut steps = Vec::new();
    for seg in &segments {
        let f = path_property(cx, &ty, seg, path, at)?;
        let wrap = match (f.required, f.nullable) {
            (true, false) => FieldWrap::Plain,
            (false, true) => FieldWrap::Nullable,
            _ => FieldWrap::Option,
        };
        steps.push((f.rust.clone(), wrap));
        ty = f.ty.clone();
    }
    if ty != Ty::String {
        cx.err(at, format!("`next: {path}` is not a string"));
        return None;
    }
    Some(LinkPath { from, steps })
}
