//! The sample archive as GitHub Pages serves a project site: built for
//! https://example.github.io/archive/, served under /archive/ by a plain
//! static server, crawled over HTTP from the home page.

use std::collections::{BTreeSet, VecDeque};
use std::process::Command;

use crate::links::links;
use crate::server::{StaticServer, fetch};

/// A request target: the path with non-ASCII bytes percent-encoded, as a
/// browser sends it.
fn target(path: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b'"');
    percent_encoding::utf8_percent_encode(path, SET).to_string()
}

/// Resolves `link` found on the page at `page` (a path ending in `/` or a
/// file name) to a site path, or `None` for other sites and fragments only.
fn resolve(page: &str, link: &str) -> Option<String> {
    let link = link.split('#').next().unwrap_or("");
    if link.is_empty() || link.contains("://") || link.starts_with("mailto:") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(link)
        .decode_utf8()
        .ok()?
        .into_owned();
    if decoded.starts_with('/') {
        return Some(decoded);
    }
    let base = &page[..page.rfind('/').map_or(0, |i| i + 1)];
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for seg in decoded.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let trailing = if decoded.ends_with('/') { "/" } else { "" };
    Some(format!("/{}{trailing}", parts.join("/")))
}

#[test]
fn the_sample_site_under_a_project_path_has_no_broken_link() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(["build", "--quiet", "--root", env!("CARGO_MANIFEST_DIR")])
        .args([
            "--base-url",
            "https://example.github.io/archive/",
            "--output",
        ])
        .arg(&public)
        .status()
        .unwrap();
    assert!(status.success());
    let server = StaticServer::start(&public, "/archive/");

    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/archive/".to_owned()]);
    let mut broken = Vec::new();
    let mut pages = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let (status, headers, body) = fetch(server.addr(), "GET", &target(&path));
        if status != 200 {
            broken.push(format!("{path}: {status}"));
            continue;
        }
        let kind = headers
            .iter()
            .find(|(n, _)| n == "content-type")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        if kind.starts_with("text/html") {
            pages.insert(path.clone());
            for link in links(&String::from_utf8_lossy(&body)) {
                match resolve(&path, &link) {
                    Some(p) if p.starts_with("/archive/") => queue.push_back(p),
                    Some(p) => broken.push(format!("{path} links outside the base path: {p}")),
                    None => {}
                }
            }
        } else if kind.starts_with("text/css") {
            let css = String::from_utf8_lossy(&body);
            for part in css.split("url(").skip(1) {
                let url = part
                    .split(')')
                    .next()
                    .unwrap_or("")
                    .trim_matches(['"', '\'']);
                if let Some(p) = resolve(&path, url) {
                    queue.push_back(p);
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken:\n{}", broken.join("\n"));

    // Every HTML page of the build was reached from the home page.
    let all: BTreeSet<String> = walkdir::WalkDir::new(&public)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(&public)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| p != "404.html")
        .map(|p| format!("/archive/{}", p.trim_end_matches("index.html")))
        .collect();
    let missed: Vec<_> = all.difference(&pages).collect();
    assert!(missed.is_empty(), "pages no link leads to: {missed:#?}");
    assert!(pages.len() > 80, "{}", pages.len());
    assert!(
        seen.iter().any(|p| p.ends_with(".woff2")),
        "fonts are fetched through the stylesheet"
    );
    assert!(
        seen.iter()
            .any(|p| p.contains("/putin-") && p.ends_with(".jpg")),
        "the lead image's resized copy is fetched"
    );
}
