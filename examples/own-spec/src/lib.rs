//! Example: a typed client for an API of your own, generated at build time from
//! `openapi/bookshelf.yaml` by `vendor_clients_codegen::Builder` (see `build.rs`), in a crate
//! that depends on `vendor-clients` with no vendor feature and on nothing else at run time.

/// The generated Bookshelf client: `Client`, its builder, one `async fn` per operation, the
/// spec's schemas as types and `Error` carrying the `Problem` body.
pub mod bookshelf {
    include!(concat!(env!("OUT_DIR"), "/bookshelf.rs"));
}

use bookshelf::{Book, Client, NewBook, ReadingStatus};

/// Application code written against the generated client: adds the book unless a book with
/// the same title and author is on the shelf already, and returns the book on the shelf.
pub async fn add_unless_present(
    client: &Client,
    title: &str,
    author: &str,
) -> Result<Book, bookshelf::Error> {
    let shelf = client
        .list_books(&bookshelf::ListBooksParams::new())
        .await?;
    if let Some(book) = shelf
        .into_iter()
        .find(|b| b.title == title && b.author == author)
    {
        return Ok(book);
    }
    client
        .add_book(&NewBook {
            title: title.to_string(),
            author: author.to_string(),
            status: Some(ReadingStatus::Unread),
        })
        .await
}
