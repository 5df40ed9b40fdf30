//! A tiny static file server for tests, serving a built site under a path
//! prefix the way GitHub Pages serves a project site:
//!
//! - `GET /PREFIX/a/b/` → `a/b/index.html`; `GET /PREFIX/a/b` where `a/b` is a
//!   folder → `301` to `/PREFIX/a/b/`; `/PREFIX` → `301` to `/PREFIX/`;
//! - the path is percent-decoded byte for byte (no Unicode normalisation);
//! - anything missing or outside the prefix → the root `404.html`, status 404;
//! - `..` and `.` segments → 400.
//!
//! It serves only GET and HEAD, answers every request with
//! `Connection: close`, listens on 127.0.0.1 only, and stops when the
//! [`StaticServer`] is dropped. It can inject a snippet of HTML before
//! `</body>` of every HTML response, so that a browser test can run a script
//! in the page without changing the built site.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Worker threads, and connections that may wait for one.
const WORKERS: usize = 8;
const BACKLOG: usize = 64;
/// A client that sends nothing (a browser's speculative preconnect) frees
/// its worker after this long.
const IO_TIMEOUT: Duration = Duration::from_secs(3);
const MAX_HEAD: usize = 16 * 1024;

/// One answered request, for tests that check what a browser fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub method: String,
    /// The request target as sent (percent-encoded), without the query.
    pub path: String,
    pub status: u16,
}

struct Shared {
    root: PathBuf,
    prefix: String,
    inject: Option<String>,
    log: Mutex<Vec<Hit>>,
}

pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` under `prefix` (`"/archive/"`, or `"/"` for a user site).
    pub fn start(root: impl Into<PathBuf>, prefix: &str) -> StaticServer {
        StaticServer::start_with(root, prefix, None)
    }

    /// Like [`StaticServer::start`], inserting `snippet` before the last
    /// `</body>` of every HTML response (or at its end if there is none).
    pub fn start_injecting(root: impl Into<PathBuf>, prefix: &str, snippet: &str) -> StaticServer {
        StaticServer::start_with(root, prefix, Some(snippet.to_owned()))
    }

    fn start_with(root: impl Into<PathBuf>, prefix: &str, inject: Option<String>) -> StaticServer {
        let root = root.into();
        let root = root
            .canonicalize()
            .unwrap_or_else(|e| panic!("cannot serve {}: {e}", root.display()));
        assert!(
            prefix.starts_with('/') && prefix.ends_with('/'),
            "the prefix must start and end with '/': {prefix:?}"
        );
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            root,
            prefix: prefix.to_owned(),
            inject,
            log: Mutex::new(Vec::new()),
        });

        let (tx, rx) = sync_channel::<TcpStream>(BACKLOG);
        let rx = Arc::new(Mutex::new(rx));
        let mut threads = Vec::with_capacity(WORKERS + 1);
        for _ in 0..WORKERS {
            let rx = Arc::clone(&rx);
            let shared = Arc::clone(&shared);
            threads.push(std::thread::spawn(move || worker(&rx, &shared)));
        }
        let accept_stop = Arc::clone(&stop);
        threads.push(std::thread::spawn(move || {
            accept_loop(&listener, &tx, &accept_stop)
        }));
        StaticServer {
            addr,
            stop,
            shared,
            threads,
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`, which must start with `/`.
    pub fn url(&self, path: &str) -> String {
        assert!(path.starts_with('/'), "not a path: {path:?}");
        format!("http://{}{}", self.addr, encode_path(path))
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request answered so far, in order.
    pub fn hits(&self) -> Vec<Hit> {
        self.shared.log.lock().unwrap().clone()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop; it sees the flag and closes the channel,
        // which ends the workers once they finish their connection.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Percent-encodes what a browser would in a path (non-ASCII bytes, spaces,
/// quotes…), leaving `/` and existing `%XX` escapes alone.
fn encode_path(path: &str) -> String {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    const PATH: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    utf8_percent_encode(path, PATH).to_string()
}

fn accept_loop(listener: &TcpListener, tx: &SyncSender<TcpStream>, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        // Blocks while every worker is busy and the backlog is full.
        if tx.send(stream).is_err() {
            break;
        }
    }
}

fn worker(rx: &Mutex<Receiver<TcpStream>>, shared: &Shared) {
    loop {
        let next = rx.lock().unwrap().recv();
        let Ok(stream) = next else { return };
        let _ = serve(stream, shared);
    }
}

struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Unknown",
    }
}

fn serve(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?).take(MAX_HEAD as u64);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(()); // connected and closed without a request
    }
    // Skip the headers: nothing in them changes the answer.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }

    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path = target.split(['?', '#']).next().unwrap_or("");
    let head = method == "HEAD";
    let response = match method {
        "GET" | "HEAD" => respond(path, shared),
        _ => Response {
            status: 405,
            headers: vec![
                ("Allow", "GET, HEAD".to_owned()),
                ("Content-Type", "text/plain; charset=utf-8".to_owned()),
            ],
            body: b"405 Method Not Allowed\n".to_vec(),
        },
    };
    shared.log.lock().unwrap().push(Hit {
        method: method.to_owned(),
        path: path.to_owned(),
        status: response.status,
    });

    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    let mut stream = stream;
    stream.write_all(out.as_bytes())?;
    if !head {
        stream.write_all(&response.body)?;
    }
    stream.flush()?;
    let _ = stream.shutdown(Shutdown::Write);
    Ok(())
}

fn respond(path: &str, shared: &Shared) -> Response {
    if !path.starts_with('/') {
        return plain(400, "400 Bad Request\n");
    }
    let prefix = shared.prefix.as_str();
    if path == prefix.trim_end_matches('/') && prefix != "/" {
        return redirect(prefix.to_owned());
    }
    let Some(rest) = path.strip_prefix(prefix) else {
        return not_found(shared);
    };
    let Ok(decoded) = percent_encoding::percent_decode_str(rest).decode_utf8() else {
        return not_found(shared);
    };
    let segments: Vec<&str> = decoded.split('/').collect();
    if segments
        .iter()
        .any(|s| *s == ".." || *s == "." || s.contains(['\\', '\0']))
    {
        return plain(400, "400 Bad Request\n");
    }
    // Empty segments other than a trailing one (`a//b`) name nothing.
    if segments[..segments.len() - 1].iter().any(|s| s.is_empty()) {
        return not_found(shared);
    }
    let mut file = shared.root.clone();
    file.extend(segments.iter().filter(|s| !s.is_empty()));
    let wants_dir = decoded.is_empty() || decoded.ends_with('/');
    if wants_dir {
        file.push("index.html");
    } else if file.is_dir() {
        return redirect(format!("{path}/"));
    }
    match read_inside(&shared.root, &file) {
        Some(body) => file_response(200, &file, body, shared),
        None => not_found(shared),
    }
}

/// The bytes of `file` if it is a regular file that is really inside `root`
/// (not reached through a symlink that leads out).
fn read_inside(root: &Path, file: &Path) -> Option<Vec<u8>> {
    let real = file.canonicalize().ok()?;
    if !real.starts_with(root) || !real.is_file() {
        return None;
    }
    std::fs::read(real).ok()
}

fn not_found(shared: &Shared) -> Response {
    let page = shared.root.join("404.html");
    match std::fs::read(&page) {
        Ok(body) => file_response(404, &page, body, shared),
        Err(_) => plain(404, "404 Not Found\n"),
    }
}

fn plain(status: u16, text: &str) -> Response {
    Response {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".to_owned())],
        body: text.as_bytes().to_vec(),
    }
}

fn redirect(location: String) -> Response {
    Response {
        status: 301,
        headers: vec![
            ("Location", location),
            ("Content-Type", "text/html; charset=utf-8".to_owned()),
        ],
        body: b"<html><body>301 Moved Permanently</body></html>\n".to_vec(),
    }
}

fn file_response(status: u16, file: &Path, mut body: Vec<u8>, shared: &Shared) -> Response {
    let content_type = content_type(file);
    if let Some(snippet) = shared
        .inject
        .as_deref()
        .filter(|_| content_type.starts_with("text/html"))
    {
        body = inject(&body, snippet);
    }
    Response {
        status,
        headers: vec![("Content-Type", content_type.to_owned())],
        body,
    }
}

fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

pub fn content_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "application/javascript; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// One request over a raw socket: `(status, headers, body)`, header names
/// lower-cased.
pub fn fetch(
    addr: SocketAddr,
    method: &str,
    target: &str,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: arshif-tests\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no end of headers");
    let head = String::from_utf8(raw[..end].to_vec()).unwrap();
    let body = raw[end + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A small site: an Arabic folder with an index, a CSS file, a 404 page,
/// and a secret file beside (outside) the served folder.
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    let tag = public.join("tags").join("الاقتصاد");
    std::fs::create_dir_all(&tag).unwrap();
    std::fs::write(tag.join("index.html"), "<p>وسم الاقتصاد</p>").unwrap();
    std::fs::write(public.join("index.html"), "<body><p>الرئيسية</p></body>").unwrap();
    std::fs::write(public.join("style.css"), "body{}").unwrap();
    std::fs::write(public.join("404.html"), "<p>الصفحة غير موجودة</p>").unwrap();
    // "café" with a precomposed é (NFC).
    std::fs::create_dir_all(public.join("caf\u{e9}")).unwrap();
    std::fs::write(public.join("caf\u{e9}/index.html"), "nfc").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    (dir, public)
}

#[test]
fn server_serves_percent_encoded_arabic_paths() {
    let (_dir, public) = site();
    let server = StaticServer::start(&public, "/archive/");
    let (status, headers, body) = fetch(
        server.addr(),
        "GET",
        "/archive/tags/%D8%A7%D9%84%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF/",
    );
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(header(&headers, "connection"), Some("close"));
    assert_eq!(String::from_utf8(body).unwrap(), "<p>وسم الاقتصاد</p>");

    // url() encodes the way a browser does.
    assert!(
        server
            .url("/archive/tags/الاقتصاد/")
            .ends_with("/archive/tags/%D8%A7%D9%84%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF/")
    );

    let (status, _, body) = fetch(server.addr(), "GET", "/archive/caf%C3%A9/");
    assert_eq!((status, body.as_slice()), (200, b"nfc".as_slice()));

    let (status, headers, body) = fetch(server.addr(), "GET", "/archive/style.css");
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(body, b"body{}");

    // HEAD: the same headers, no body.
    let (status, headers, body) = fetch(server.addr(), "HEAD", "/archive/");
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-length"),
        Some("<body><p>الرئيسية</p></body>".len().to_string().as_str())
    );
    assert!(body.is_empty());
}

#[test]
fn server_redirects_folders_without_a_slash() {
    let (_dir, public) = site();
    let server = StaticServer::start(&public, "/archive/");
    let encoded = "/archive/tags/%D8%A7%D9%84%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF";
    let (status, headers, _) = fetch(server.addr(), "GET", encoded);
    assert_eq!(status, 301);
    assert_eq!(
        header(&headers, "location"),
        Some(format!("{encoded}/").as_str())
    );

    let (status, headers, _) = fetch(server.addr(), "GET", "/archive");
    assert_eq!(status, 301);
    assert_eq!(header(&headers, "location"), Some("/archive/"));
}

#[test]
fn server_answers_missing_pages_with_the_404_page() {
    let (_dir, public) = site();
    let server = StaticServer::start(&public, "/archive/");
    for target in [
        "/archive/no/such/page/",
        "/archive/style.css/",
        "/",
        "/index.html",
        "/other/tags/",
        "/archive//tags/",
        // "café" with e + combining acute (NFD): names are not normalised.
        "/archive/cafe%CC%81/",
    ] {
        let (status, headers, body) = fetch(server.addr(), "GET", target);
        assert_eq!(status, 404, "{target}");
        assert_eq!(
            header(&headers, "content-type"),
            Some("text/html; charset=utf-8"),
            "{target}"
        );
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "<p>الصفحة غير موجودة</p>",
            "{target}"
        );
    }
}

#[test]
fn server_rejects_traversal() {
    let (_dir, public) = site();
    let server = StaticServer::start(&public, "/archive/");
    for target in [
        "/archive/../secret.txt",
        "/archive/%2e%2e/secret.txt",
        "/archive/tags/%2E%2E/%2E%2E/secret.txt",
        "/archive/..%2Fsecret.txt",
        "/archive/./index.html",
    ] {
        let (status, _, body) = fetch(server.addr(), "GET", target);
        assert_eq!(status, 400, "{target}");
        assert!(
            !String::from_utf8_lossy(&body).contains("secret"),
            "{target}"
        );
    }
    let (status, _, _) = fetch(server.addr(), "POST", "/archive/");
    assert_eq!(status, 405);
    let hits = server.hits();
    assert_eq!(hits.len(), 6);
    assert_eq!(hits[0].status, 400);
}

#[test]
fn server_injects_before_the_end_of_body() {
    let (_dir, public) = site();
    let server = StaticServer::start_injecting(&public, "/archive/", "<script>1</script>");
    let (_, headers, body) = fetch(server.addr(), "GET", "/archive/");
    let body = String::from_utf8(body).unwrap();
    assert_eq!(body, "<body><p>الرئيسية</p><script>1</script></body>");
    assert_eq!(
        header(&headers, "content-length"),
        Some(body.len().to_string().as_str())
    );
    // Not into other types.
    let (_, _, body) = fetch(server.addr(), "GET", "/archive/style.css");
    assert_eq!(body, b"body{}");
}
