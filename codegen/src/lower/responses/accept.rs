//! The `Accept` header of an operation: the media types its responses declare.

use openapiv3::StatusCode;

use crate::lower::cx::Cx;
use crate::lower::responses::response::lookup_response;

/// `Accept` for `op` when the runtime's default (`application/json`) is not what the spec
/// declares: every media type under the operation's responses' `content`, the successes' first,
/// each once, in spec order. `None` when the responses declare only `application/json`, or no
/// content at all. A content-negotiating server answers 406 to an `Accept` that leaves out what
/// it sends (a CSV export asked for with `Accept: application/json`). Media types that cannot
/// be a header value are left out here; the response lowering reports what it cannot read.
pub(in crate::lower) fn accept_of(cx: &Cx<'_>, op: &openapiv3::Operation) -> Option<String> {
    let mut successes = Vec::new();
    let mut others = Vec::new();
    let responses =
        op.responses
            .default
            .iter()
            .map(|r| (false, r))
            .chain(op.responses.responses.iter().map(|(code, r)| {
                let success = match code {
                    StatusCode::Code(c) => (200..300).contains(c),
                    StatusCode::Range(r) => *r == 2,
                };
                (success, r)
            }));
    for (success, r) in responses {
        // A reference to nothing is reported by the response lowering.
        let Some((resp, _)) = lookup_response(cx.doc, r, "") else {
            continue;
        };
        let list = if success { &mut successes } else { &mut others };
        list.extend(resp.content.keys().map(|k| k.trim().to_string()));
    }
    let mut accept: Vec<String> = Vec::new();
    for media in successes.into_iter().chain(others) {
        let sendable = !media.is_empty() && media.bytes().all(|b| (0x20..0x7f).contains(&b));
        if sendable && !accept.iter().any(|a| a.eq_ignore_ascii_case(&media)) {
            accept.push(media);
        }
    }
    match accept.as_slice() {
        [] => None,
        [only] if only.eq_ignore_ascii_case("application/json") => None,
        _ => Some(accept.join(", ")),
    }
}
