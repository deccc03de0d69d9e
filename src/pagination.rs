//! Paginated list operations as `Stream`s of items (`x-pagination` in a spec). A stream fetches
//! one page, yields its items, and fetches the next page only when those are used up: memory
//! holds one page at a time, whatever the length of the list.
//!
//! Generated `<operation>_stream` methods call these; they are public so that a hand-written
//! endpoint can page the same way. The streams are `Send` when the client's futures are; pin one
//! before polling it (`let mut items = std::pin::pin!(client.list_users_stream(&params));`, then
//! `futures::StreamExt::next(&mut items).await`).

use std::future::Future;

pub use futures_core::Stream;
use futures_util::{stream, TryStreamExt};

/// Pages by offset: sets the offset on a copy of `params` for each page, stops on an empty page,
/// a page shorter than `page_size` (when known), or when the offset reaches the `total` the page
/// reports (when it does).
///
/// `split` turns a page into its items and the total count, if the page has one.
pub fn by_offset<'a, P, V, T, E, F, Fut>(
    params: P,
    start: i64,
    page_size: Option<i64>,
    set_offset: fn(&mut P, i64),
    fetch: F,
    split: fn(V) -> (Vec<T>, Option<i64>),
) -> impl Stream<Item = Result<T, E>> + 'a
where
    P: Clone + 'a,
    V: 'a,
    T: 'a,
    E: 'a,
    F: FnMut(P) -> Fut + 'a,
    Fut: Future<Output = Result<V, E>> + 'a,
{
    struct State<P, F> {
        params: P,
        offset: i64,
        done: bool,
        fetch: F,
    }
    let state = State {
        params,
        offset: start,
        done: false,
        fetch,
    };
    stream::try_unfold(state, move |mut st| async move {
        if st.done {
            return Ok(None);
        }
        let mut p = st.params.clone();
        set_offset(&mut p, st.offset);
        let page = (st.fetch)(p).await?;
        let (items, total) = split(page);
        let n = i64::try_from(items.len()).unwrap_or(i64::MAX);
        st.offset = st.offset.saturating_add(n);
        st.done = n == 0
            || total.is_some_and(|t| st.offset >= t)
            || page_size.is_some_and(|size| n < size);
        Ok(Some((items, st)))
    })
    .map_ok(|items: Vec<T>| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
}

/// Pages by cursor: sets the cursor from each page on a copy of `params` for the next one;
/// stops when a page has no next cursor, no items, or repeats the cursor it was fetched with.
pub fn by_cursor<'a, P, C, V, T, E, F, Fut>(
    params: P,
    set_cursor: fn(&mut P, C),
    fetch: F,
    split: fn(V) -> (Vec<T>, Option<C>),
) -> impl Stream<Item = Result<T, E>> + 'a
where
    P: Clone + 'a,
    C: Clone + PartialEq + 'a,
    V: 'a,
    T: 'a,
    E: 'a,
    F: FnMut(P) -> Fut + 'a,
    Fut: Future<Output = Result<V, E>> + 'a,
{
    struct State<P, C, F> {
        params: P,
        cursor: Option<C>,
        done: bool,
        fetch: F,
    }
    let state = State {
        params,
        cursor: None,
        done: false,
        fetch,
    };
    stream::try_unfold(state, move |mut st| async move {
        if st.done {
            return Ok(None);
        }
        let mut p = st.params.clone();
        if let Some(c) = st.cursor.clone() {
            set_cursor(&mut p, c);
        }
        let page = (st.fetch)(p).await?;
        let (items, next) = split(page);
        st.done = items.is_empty() || next.is_none() || next == st.cursor;
        st.cursor = next;
        Ok(Some((items, st)))
    })
    .map_ok(|items: Vec<T>| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
}

/// Pages by next-page link: fetches the first page with `fetch(None)`, then each page named by
/// the link the previous page carries with `fetch(Some(link))` (a generated stream sends it with
/// [`crate::Core::following`], which refuses links to another host). Stops when a page has no
/// link (absent, `null` or empty), no items, or a link that was already fetched.
///
/// `split` turns a page into its items and the link of the next page, if any.
pub fn by_next_link<'a, V, T, E, F, Fut>(
    fetch: F,
    split: fn(V) -> (Vec<T>, Option<String>),
) -> impl Stream<Item = Result<T, E>> + 'a
where
    V: 'a,
    T: 'a,
    E: 'a,
    F: FnMut(Option<String>) -> Fut + 'a,
    Fut: Future<Output = Result<V, E>> + 'a,
{
    struct State<F> {
        link: Option<String>,
        seen: Vec<String>,
        done: bool,
        fetch: F,
    }
    let state = State {
        link: None,
        seen: Vec::new(),
        done: false,
        fetch,
    };
    stream::try_unfold(state, move |mut st| async move {
        if st.done {
            return Ok(None);
        }
        let page = (st.fetch)(st.link.take()).await?;
        let (items, next) = split(page);
        let next = next.filter(|l| !l.trim().is_empty());
        st.done = items.is_empty() || next.as_ref().is_none_or(|l| st.seen.contains(l));
        if let Some(l) = &next {
            st.seen.push(l.clone());
        }
        st.link = next;
        Ok(Some((items, st)))
    })
    .map_ok(|items: Vec<T>| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::cell::RefCell;

    #[derive(Clone, Default)]
    struct Params {
        offset: Option<i64>,
        cursor: Option<String>,
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn offset_walks_pages_until_the_total_and_fetches_lazily() {
        let calls = RefCell::new(Vec::new());
        let data: Vec<i64> = (0..7).collect();
        let s = by_offset(
            Params::default(),
            0,
            Some(3),
            |p, o| p.offset = Some(o),
            |p: Params| {
                let o = p.offset.unwrap_or(0);
                calls.borrow_mut().push(o);
                let page: Vec<i64> = data.iter().copied().skip(o as usize).take(3).collect();
                async move { Ok::<_, String>((page, 7)) }
            },
            |(items, total)| (items, Some(total)),
        );
        let got: Vec<i64> = block_on(s.take(4).map(|r| r.unwrap()).collect());
        assert_eq!(got, vec![0, 1, 2, 3]);
        assert_eq!(
            *calls.borrow(),
            vec![0, 3],
            "only the pages needed were fetched"
        );
    }

    #[test]
    fn offset_stops_at_the_total_without_an_extra_request() {
        let calls = RefCell::new(0);
        let s = by_offset(
            Params::default(),
            0,
            None,
            |p, o| p.offset = Some(o),
            |p: Params| {
                *calls.borrow_mut() += 1;
                let o = p.offset.unwrap_or(0);
                let page: Vec<i64> = (o..(o + 2).min(5)).collect();
                async move { Ok::<_, String>(page) }
            },
            |items| (items, Some(5)),
        );
        let got: Vec<i64> = block_on(s.map(|r| r.unwrap()).collect());
        assert_eq!(got, vec![0, 1, 2, 3, 4]);
        assert_eq!(*calls.borrow(), 3);
    }

    #[test]
    fn an_error_ends_the_stream_after_the_items_before_it() {
        let s = by_offset(
            Params::default(),
            0,
            Some(2),
            |p, o| p.offset = Some(o),
            |p: Params| async move {
                match p.offset {
                    Some(0) => Ok(vec![1, 2]),
                    _ => Err("page 2 failed".to_string()),
                }
            },
            |items| (items, None),
        );
        let got: Vec<Result<i64, String>> = block_on(s.collect());
        assert_eq!(got, vec![Ok(1), Ok(2), Err("page 2 failed".into())]);
    }

    #[test]
    fn cursor_follows_next_until_it_is_absent() {
        let s = by_cursor(
            Params::default(),
            |p, c| p.cursor = Some(c),
            |p: Params| async move {
                Ok::<_, String>(match p.cursor.as_deref() {
                    None => (vec![1, 2], Some("b".to_string())),
                    Some("b") => (vec![3], Some("c".to_string())),
                    _ => (vec![4], None),
                })
            },
            |page| page,
        );
        let got: Vec<i64> = block_on(s.map(|r| r.unwrap()).collect());
        assert_eq!(got, vec![1, 2, 3, 4]);
    }

    #[test]
    fn cursor_stops_when_the_server_repeats_it() {
        let s = by_cursor(
            Params::default(),
            |p, c| p.cursor = Some(c),
            |_p: Params| async move { Ok::<_, String>((vec![1], Some("same".to_string()))) },
            |page| page,
        );
        let got: Vec<i64> = block_on(s.map(|r| r.unwrap()).collect());
        assert_eq!(
            got,
            vec![1, 1],
            "the second page repeats the cursor and ends the walk"
        );
    }

    #[test]
    fn next_link_follows_links_until_there_is_none() {
        let calls = RefCell::new(Vec::new());
        let s = by_next_link(
            |link: Option<String>| {
                calls.borrow_mut().push(link.clone());
                async move {
                    Ok::<_, String>(match link.as_deref() {
                        None => (vec![1, 2], Some("/p?page=2".to_string())),
                        Some("/p?page=2") => (vec![3], Some("/p?page=3".to_string())),
                        Some("/p?page=3") => (vec![4], Some(String::new())),
                        Some(other) => return Err(format!("unexpected link {other}")),
                    })
                }
            },
            |page| page,
        );
        let got: Vec<i64> = block_on(s.map(|r| r.unwrap()).collect());
        assert_eq!(got, vec![1, 2, 3, 4]);
        assert_eq!(
            *calls.borrow(),
            vec![None, Some("/p?page=2".into()), Some("/p?page=3".into())],
            "an empty link ends the walk"
        );
    }

    #[test]
    fn next_link_stops_on_a_link_already_fetched() {
        let calls = RefCell::new(0);
        let s = by_next_link(
            |link: Option<String>| {
                *calls.borrow_mut() += 1;
                async move {
                    Ok::<_, String>(match link.as_deref() {
                        None => (vec![1], Some("/a".to_string())),
                        Some("/a") => (vec![2], Some("/b".to_string())),
                        _ => (vec![3], Some("/a".to_string())),
                    })
                }
            },
            |page| page,
        );
        let got: Vec<i64> = block_on(s.map(|r| r.unwrap()).collect());
        assert_eq!(got, vec![1, 2, 3]);
        assert_eq!(*calls.borrow(), 3, "the loop back to /a is not followed");
    }
}
