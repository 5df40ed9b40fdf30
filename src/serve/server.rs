//! The preview's HTTP side: the last good build, served from memory under
//! the base URL's path, with a live-reload script and, after a failed
//! rebuild, an overlay with the errors, added to HTML responses only here.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// Where the browser listens for reloads.
pub const EVENTS: &str = "/__arshif/events";

/// A connection that neither sends nor takes a byte for this long is
/// closed. Without it, every idle or stalled client (a browser's
/// speculative preconnect, a tab left open, a client sending nothing)
/// kept its connection, and its memory, for as long as the server ran.
pub const IDLE: Duration = Duration::from_secs(10);

/// Reload events keep their connection busy well within `IDLE`.
const KEEP_ALIVE: Duration = Duration::from_secs(4);

/// A listener whose connections close after `idle` without traffic.
pub struct IdleTimeout {
    inner: tokio::net::TcpListener,
    idle: Duration,
}

impl IdleTimeout {
    pub fn new(inner: tokio::net::TcpListener, idle: Duration) -> IdleTimeout {
        IdleTimeout { inner, idle }
    }
}

impl axum::serve::Listener for IdleTimeout {
    type Io = Timed<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        (Timed::new(io, self.idle), addr)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A connection that fails with `TimedOut` once it has waited `idle` to
/// read or write, counted from the last byte that went either way.
pub struct Timed<T> {
    inner: T,
    idle: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl<T> Timed<T> {
    fn new(inner: T, idle: Duration) -> Timed<T> {
        Timed {
            inner,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
        }
    }

    /// `poll` of the inner connection, which moves the deadline when it
    /// made progress and fails when it is still waiting past it.
    fn timed<R>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<std::io::Result<R>>,
    ) -> Poll<std::io::Result<R>> {
        match poll {
            Poll::Ready(r) => {
                let next = tokio::time::Instant::now() + self.idle;
                self.deadline.as_mut().reset(next);
                Poll::Ready(r)
            }
            Poll::Pending => match self.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(std::io::ErrorKind::TimedOut.into())),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Timed<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_read(cx, buf);
        this.timed(cx, poll)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Timed<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.timed(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.timed(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.timed(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// A built site in memory.
#[derive(Default)]
pub struct Snapshot {
    /// Output paths (`2023/09/19/x/index.html`) to bytes.
    pub files: Arc<crate::output::Files>,
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
    match snapshot.files.get(key.as_str()) {
        Some(bytes) => file_response(StatusCode::OK, &key, bytes, &snapshot),
        None if snapshot
            .files
            .contains_key(format!("{rel}/index.html").as_str()) =>
        {
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
    Sse::new(stream).keep_alive(KeepAlive::default().interval(KEEP_ALIVE))
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
    fn idle_connections_are_closed_and_busy_ones_kept() {
        use std::io::{Read, Write};
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let idle = Duration::from_millis(300);
        let app = axum::Router::new().fallback(|| async { "ok" });
        std::thread::spawn(move || {
            runtime.block_on(async { axum::serve(IdleTimeout::new(listener, idle), app).await })
        });

        // Silent: closed soon after `idle`.
        let started = std::time::Instant::now();
        let mut silent = std::net::TcpStream::connect(addr).unwrap();
        silent
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let read = silent.read(&mut [0; 64]);
        assert!(
            matches!(read, Ok(0)),
            "{read:?} after {:?}",
            started.elapsed()
        );
        assert!(started.elapsed() >= idle, "{:?}", started.elapsed());

        // A request sent a few bytes at a time, each within `idle`, is answered.
        let mut slow = std::net::TcpStream::connect(addr).unwrap();
        for b in b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".chunks(8) {
            std::thread::sleep(idle / 3);
            slow.write_all(b).unwrap();
        }
        let mut answer = String::new();
        slow.read_to_string(&mut answer).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok"),
            "{answer}"
        );
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
