//! The preview's HTTP side: the last good build, served from memory under
//! the base URL's path, with a live-reload script and, after a failed
//! rebuild, an overlay with the errors, added to HTML responses only here.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// Where the browser listens for reloads.
pub const EVENTS: &str = "/__arshif/events";

/// A built site in memory.
#[derive(Default)]
pub struct Snapshot {
    /// Output paths (`2023/09/19/x/index.html`) to bytes.
    pub files: Arc<HashMap<String, Arc<[u8]>>>,
    /// The errors of the last rebuild, if it failed, as `build` prints them.
    pub error: Option<String>,
    /// The base URL's path the site is served under: `/` or `/archive/`.
    pub base_path: String,
}

#[derive(Clone)]
pub struct AppState {
    pub snapshot: Arc<RwLock<Arc<Snapshot>>>,
    pub reload: broadcast::Sender<()>,
}

impl AppState {
    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_default()
    }
}

pub async fn handle(State(state): State<AppState>, req: Request<Body>) -> Response {
    let path = req.uri().path().to_owned();
    if path == EVENTS {
        return events(state.reload.subscribe()).into_response();
    }
    let snapshot = state.current();
    let base = snapshot.base_path.as_str();
    let Some(rest) = path.strip_prefix(base) else {
        // `/` and `/archive` lead to the site; anything else is not ours.
        if path == "/" || path == base.trim_end_matches('/') {
            return redirect(base);
        }
        return not_found(&snapshot);
    };
    let Some(rel) = safe_relative(rest) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    match snapshot.files.get(&key) {
        Some(bytes) => file_response(StatusCode::OK, &key, bytes, &snapshot),
        None if snapshot.files.contains_key(&format!("{rel}/index.html")) => {
            redirect(&format!("{path}/"))
        }
        None => not_found(&snapshot),
    }
}

/// The request path below the base path, percent-decoded, or `None` when
/// it tries to leave the site (`..`, encoded or not) or is not UTF-8.
pub fn safe_relative(rest: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?;
    let bad = decoded
        .split(['/', '\\'])
        .any(|seg| seg == ".." || seg == "." || seg.contains('\0'));
    (!bad && !decoded.starts_with('/')).then(|| decoded.into_owned())
}

fn redirect(to: &str) -> Response {
    let mut resp = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(v) =
        HeaderValue::from_str(&percent_encoding::utf8_percent_encode(to, LOCATION).to_string())
    {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

const LOCATION: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>');

fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.files.get("404.html") {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes, snapshot),
        // No site yet (the first build failed): a page to carry the overlay.
        None => {
            let page = b"<!doctype html><html><head><meta charset=\"utf-8\"><title>arshif</title></head><body></body></html>";
            let mut resp = (
                StatusCode::NOT_FOUND,
                inject(page, snapshot.error.as_deref()),
            )
                .into_response();
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            resp
        }
    }
}

fn file_response(
    status: StatusCode,
    key: &str,
    bytes: &Arc<[u8]>,
    snapshot: &Snapshot,
) -> Response {
    let kind = content_type(key);
    let body = if kind.starts_with("text/html") {
        Body::from(inject(bytes, snapshot.error.as_deref()))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// Adds the reload script, and the error overlay when the last rebuild
/// failed, before `</body>`.
pub fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let mut extra = String::from(concat!(
        "<script>new EventSource(\"",
        "/__arshif/events",
        "\").onmessage=()=>location.reload();</script>"
    ));
    if let Some(error) = error {
        extra.push_str(
            "<div id=\"arshif-error\" role=\"alert\" dir=\"ltr\" style=\"position:fixed;inset:auto 0 0 0;max-block-size:60vh;\
             overflow:auto;margin:0;padding:1rem;background:#2b0b0b;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;\
             z-index:2147483647;border-block-start:4px solid #e5484d\"><strong>The last change did not build; this is the \
             previous version.</strong><pre style=\"white-space:pre-wrap;margin:0.5rem 0 0\">",
        );
        extra.push_str(&crate::text::escape_html(error));
        extra.push_str("</pre></div>");
    }
    let end = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..end]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[end..]);
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn events(
    rx: broadcast::Receiver<()>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let stream = BroadcastStream::new(rx)
        .filter_map(|msg| msg.ok().map(|()| Ok(Event::default().data("reload"))));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_site() {
        assert_eq!(
            safe_relative("tags/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7/").as_deref(),
            Some("tags/روسيا/")
        );
        for bad in [
            "../site.yaml",
            "%2e%2e/site.yaml",
            "a/..%2f..%2fsite.yaml",
            "a/%2E%2E/b",
            "./x",
            "a\\..\\b",
            "%2fetc/passwd",
            "%ff",
        ] {
            assert_eq!(safe_relative(bad), None, "{bad}");
        }
    }

    #[test]
    fn injects_before_the_end_of_body() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            Some("error: <bad>"),
        ))
        .unwrap();
        assert!(
            out.starts_with("<html><body><p>x</p><script>new EventSource"),
            "{out}"
        );
        assert!(out.contains("error: &lt;bad&gt;"), "{out}");
        assert!(out.ends_with("</div></body></html>"), "{out}");
    }
}
