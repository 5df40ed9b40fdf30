//! `arshif serve` over real HTTP: pages under the base path, Arabic URLs,
//! 404s, traversal attempts, live edits, broken edits, deletions and a
//! burst of concurrent requests.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{SiteTest, article};
use crate::server::fetch;

/// A running preview server, stopped when dropped.
struct Preview {
    child: Child,
    addr: SocketAddr,
}

impl Preview {
    fn start(site: &SiteTest) -> Preview {
        let mut child = Command::new(env!("CARGO_BIN_EXE_arshif"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let line = lines.next().expect("serve printed no address").unwrap();
            if let Some(url) = line.strip_prefix("serving at ") {
                break url.to_owned();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let host = url.trim_start_matches("http://").split('/').next().unwrap();
        Preview {
            child,
            addr: host.parse().unwrap(),
        }
    }

    fn get(&self, target: &str) -> (u16, String, String) {
        let (status, headers, body) = fetch(self.addr, "GET", target);
        let kind = headers
            .iter()
            .find(|(n, _)| n == "content-type")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        (status, kind, String::from_utf8_lossy(&body).into_owned())
    }

    /// Polls `target` until `test` holds for its body, for up to 10 s.
    fn wait_for(&self, target: &str, what: &str, test: impl Fn(u16, &str) -> bool) -> Duration {
        let started = Instant::now();
        loop {
            let (status, _, body) = self.get(target);
            if test(status, &body) {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{what} did not happen within 10 s: {status}\n{body}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const PUTIN: &str = "/archive/2023/09/19/putin-beijing-visit/";

#[test]
fn serves_the_site_under_its_base_path() {
    let site = SiteTest::fixture("minimal");
    let preview = Preview::start(&site);
    let (status, kind, body) = preview.get(PUTIN);
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(body.contains("بوتين يزور بكين الشهر المقبل"));
    assert!(
        body.contains("new EventSource(\"/__arshif/events\")"),
        "the reload script is added"
    );
    let (status, headers, _) = fetch(preview.addr, "GET", "/");
    assert_eq!(status, 301);
    assert!(
        headers
            .iter()
            .any(|(n, v)| n == "location" && v == "/archive/")
    );
    // Arabic paths, requested percent-encoded as browsers do.
    let (status, _, body) = preview.get("/archive/tags/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7/");
    assert_eq!(status, 200);
    assert!(body.contains("<bdi>روسيا</bdi>"));
    let (status, kind, _) = preview.get("/archive/style.css");
    assert_eq!((status, kind.as_str()), (200, "text/css; charset=utf-8"));
    let (status, kind, _) = preview.get("/archive/atom.xml");
    assert_eq!(
        (status, kind.as_str()),
        (200, "application/xml; charset=utf-8")
    );
    // A folder without its slash is redirected; a missing page gets the site's 404 page.
    let (status, headers, _) = fetch(preview.addr, "GET", "/archive/tags");
    assert_eq!(status, 301);
    assert!(
        headers
            .iter()
            .any(|(n, v)| n == "location" && v == "/archive/tags/")
    );
    let (status, _, body) = preview.get("/archive/nowhere/");
    assert_eq!(status, 404);
    assert!(body.contains("الصفحة غير موجودة"));
    assert!(!site.public().exists(), "the preview writes no public/");
}

#[test]
fn never_serves_a_file_outside_the_site() {
    let site = SiteTest::fixture("minimal");
    let preview = Preview::start(&site);
    for target in [
        "/archive/../site.yaml",
        "/archive/%2e%2e/site.yaml",
        "/archive/%2E%2E%2Fsite.yaml",
        "/archive/tags/..%2f..%2fsite.yaml",
        "/archive/..\\site.yaml",
        "/site.yaml",
        "/archive/content/2023/putin-beijing.md",
    ] {
        let (status, _, body) = preview.get(target);
        assert!(status == 400 || status == 404, "{target}: {status}");
        assert!(!body.contains("base_url"), "{target} leaked site.yaml");
        assert!(
            !body.contains("source_url:"),
            "{target} leaked an article's source"
        );
    }
}

#[test]
fn edits_show_at_once_and_broken_edits_keep_the_last_good_site() {
    let site = SiteTest::fixture("minimal");
    let preview = Preview::start(&site);
    let path = "content/2023/gaza-aid.md";
    let original = std::fs::read_to_string(site.root().join(path)).unwrap();

    site.write(
        path,
        &original.replace("وصلت قافلة مساعدات جديدة صباح اليوم.", "نص معدّل للتو."),
    );
    let took = preview.wait_for("/archive/2023/10/21/gaza-aid/", "the edit", |s, b| {
        s == 200 && b.contains("نص معدّل للتو.")
    });
    assert!(took < Duration::from_secs(5), "{took:?}");

    // A broken article: the overlay appears and the last good page is still served.
    site.write("content/2023/broken.md", "---\ntitle: [\n---\n");
    preview.wait_for(PUTIN, "the overlay", |s, b| {
        s == 200 && b.contains("id=\"arshif-error\"")
    });
    let (_, _, body) = preview.get(PUTIN);
    assert!(
        body.contains("content/2023/broken.md:3:1") && body.contains("بوتين يزور بكين"),
        "{body}"
    );
    site.remove("content/2023/broken.md");
    preview.wait_for(PUTIN, "the overlay to go", |s, b| {
        s == 200 && !b.contains("arshif-error")
    });

    // A new article appears; a deleted one disappears.
    site.write(
        "content/2023/new.md",
        &article("مقال جديد", "2023-12-01", ""),
    );
    preview.wait_for("/archive/2023/12/01/new/", "the new page", |s, b| {
        s == 200 && b.contains("مقال جديد")
    });
    site.remove("content/2023/new.md");
    preview.wait_for("/archive/2023/12/01/new/", "the deletion", |s, _| s == 404);
    preview.wait_for("/archive/", "the home page to drop it", |s, b| {
        s == 200 && !b.contains("مقال جديد")
    });
}

#[test]
fn a_burst_of_concurrent_requests_all_succeed() {
    let site = SiteTest::fixture("minimal");
    let preview = Preview::start(&site);
    let addr = preview.addr;
    let threads: Vec<_> = (0..32)
        .map(|i| {
            std::thread::spawn(move || {
                (0..8)
                    .map(|j| {
                        let target = if (i + j) % 2 == 0 {
                            PUTIN
                        } else {
                            "/archive/tags/%D8%A7%D9%84%D8%B5%D9%8A%D9%86/"
                        };
                        fetch(addr, "GET", target).0
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    let statuses: Vec<u16> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert_eq!(statuses.len(), 256);
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}

#[test]
fn idle_connections_are_closed_but_reload_events_stay_open() {
    use std::io::{Read, Write};
    let site = SiteTest::fixture("minimal");
    let preview = Preview::start(&site);
    let started = Instant::now();
    let mut silent = std::net::TcpStream::connect(preview.addr).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut events = std::net::TcpStream::connect(preview.addr).unwrap();
    events
        .write_all(b"GET /__arshif/events HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();

    let read = silent.read(&mut [0; 64]);
    assert!(
        matches!(read, Ok(0)),
        "{read:?} after {:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    // The reload stream is still open, and still talking.
    let mut buf = [0; 512];
    let mut got = Vec::new();
    while started.elapsed() < Duration::from_secs(14) {
        match events.read(&mut buf) {
            Ok(0) | Err(_) => panic!("reload events closed after {:?}", started.elapsed()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
}

/// With the index in parts, the preview makes the parts of the articles
/// that changed and serves them beside the others, as a build would.
#[test]
fn the_preview_makes_again_the_parts_of_the_index_whose_articles_changed() {
    let site = SiteTest::fixture("minimal");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{config}search_part: 1\n"));
    let preview = Preview::start(&site);
    let entry = |i: usize| {
        let (status, _, body) = preview.get(&format!("/archive/pagefind/{i}/pagefind-entry.json"));
        assert_eq!(status, 200, "part {i}: {body}");
        body
    };
    let parts = "/archive/pagefind/parts.json";
    assert_eq!(preview.get(parts).2, "{\"parts\":3}\n");
    let before: Vec<String> = (0..3).map(entry).collect();

    // A new article: a part of its own, the others as they were.
    site.write(
        "content/2023/new.md",
        &article("مقال جديد عن الزلزال", "2023-12-01", ""),
    );
    preview.wait_for(parts, "the new part", |s, b| {
        s == 200 && b == "{\"parts\":4}\n"
    });
    let after: Vec<String> = (0..4).map(entry).collect();
    assert_eq!(after[..3], before[..], "the older parts are as they were");

    // The oldest article edited: its part alone changes.
    let g20 = std::fs::read_to_string(site.root().join("content/2022/g20.md")).unwrap();
    let mut edited = g20.trim_end().to_owned();
    edited.push_str(" وأضاف المتحدث تفاصيل جديدة.\n");
    site.write("content/2022/g20.md", &edited);
    preview.wait_for(
        "/archive/pagefind/0/pagefind-entry.json",
        "the edited part",
        |s, b| s == 200 && b != after[0],
    );
    assert_eq!(preview.get(parts).2, "{\"parts\":4}\n");
    for (i, was) in after.iter().enumerate().skip(1) {
        assert_eq!(&entry(i), was, "part {i} is as it was");
    }
}

#[test]
fn the_preview_searches_and_makes_the_index_again_after_an_edit() {
    let site = SiteTest::fixture("minimal");
    let preview = Preview::start(&site);
    let (status, _, page) = preview.get("/archive/search/");
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"data-pagefind="/archive/pagefind/""#),
        "{page}"
    );
    let entry = "/archive/pagefind/0/pagefind-entry.json";
    let (status, _, before) = preview.get(entry);
    assert_eq!(status, 200, "{before}");
    let count = |body: &str| -> u64 {
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v["languages"]["ar"]["page_count"].as_u64().unwrap()
    };
    let n = count(&before);

    // The page comes first; the index follows on its own.
    site.write(
        "content/2023/new.md",
        &article("مقال جديد عن الزلزال", "2023-12-01", ""),
    );
    preview.wait_for("/archive/2023/12/01/new/", "the new page", |s, _| s == 200);
    preview.wait_for(entry, "the new index", |s, b| s == 200 && count(b) == n + 1);

    // An edit of the text alone makes it again too.
    let (_, _, with_new) = preview.get(entry);
    site.write(
        "content/2023/new.md",
        &article("مقال جديد عن الزلزال", "2023-12-01", "").replace("نص المقال.", "نص آخر."),
    );
    preview.wait_for(entry, "the index of the edit", |s, b| {
        s == 200 && b != with_new
    });
}
