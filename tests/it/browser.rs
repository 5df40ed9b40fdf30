//! Loads built pages in Debian's headless Chromium at a phone's width and
//! checks direction and layout as a reader would see them.
//!
//! The pages are served by [`StaticServer`] under `/archive/`, as GitHub
//! Pages serves a project site. The server injects [`PROBE`] before
//! `</body>`: after the page and its fonts have loaded it measures the page
//! and writes the result as JSON into a hidden `<pre>`, which
//! `chromium --dump-dom` prints.
//!
//! Headless Chromium will not make a window narrower than 500 pixels
//! (`--window-size=375,…` gives a 500-pixel viewport), so each page is
//! loaded in a 375-pixel `<iframe>` of a small frame page, [`FRAME`], written
//! beside the built site: inside it `innerWidth` is 375 and media queries
//! see 375 pixels, as on a phone. The probe hands its result to the frame
//! page, the document that is dumped.
//!
//! The browser is `/usr/bin/chromium` or `chromium` on PATH, or the file
//! named by ARSHIF_CHROMIUM. Without one these tests print a loud SKIPPED
//! message and pass, unless CI=true, where they fail: run
//! `.ci/install-browser`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::SiteTest;
use crate::server::StaticServer;

const PREFIX: &str = "/archive/";
const BASE_URL: &str = "https://example.github.io/archive/";
/// A phone's width in CSS pixels: a small one for the layout checks.
const PHONE_WIDTH: u32 = 375;
/// The phone width screenshots are taken at (an iPhone 12 to 15's).
const SCREENSHOT_WIDTH: u32 = 390;
/// A Chromium run that takes longer than this has hung.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);
/// Edges closer than this many CSS pixels are "at" each other.
const TOLERANCE: f64 = 2.0;

const RESULT_CLASS: &str = "__arshif_probe";

/// Runs after `load` and `document.fonts.ready`, so it measures the page as
/// it is finally laid out. Its JSON has `&`, `<`, `>` and NBSP escaped as
/// `\uXXXX` so the DOM dump does not turn them into entities.
const PROBE: &str = r##"<script>
(function () {
  "use strict";
  function num(x) { return Math.round(x * 10) / 10; }
  function box(r) { return r && { left: num(r.left), right: num(r.right), top: num(r.top), width: num(r.width), height: num(r.height) }; }
  function describe(el) {
    var s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim()) s += "." + el.className.trim().split(/\s+/).join(".");
    return s;
  }
  // The box around the rendered lines of el's text, not its block box.
  function textBox(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var rects = Array.prototype.filter.call(range.getClientRects(), function (r) { return r.width > 0; });
    if (!rects.length) return null;
    var left = Math.min.apply(null, rects.map(function (r) { return r.left; }));
    var right = Math.max.apply(null, rects.map(function (r) { return r.right; }));
    var top = Math.min.apply(null, rects.map(function (r) { return r.top; }));
    var bottom = Math.max.apply(null, rects.map(function (r) { return r.bottom; }));
    return box({ left: left, right: right, top: top, width: right - left, height: bottom - top });
  }
  // Where the first word of el's text is drawn.
  function firstWord(el) {
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var m = /\S+/.exec(node.data);
      if (!m) continue;
      var range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      var r = box(range.getBoundingClientRect());
      r.word = m[0];
      return r;
    }
    return null;
  }
  function element(selector) {
    var el = document.querySelector(selector);
    if (!el) return null;
    var cs = getComputedStyle(el);
    return {
      // In effect: an element in the page's own language has none of its own.
      lang: el.closest("[lang]") && el.closest("[lang]").getAttribute("lang"),
      dir: el.closest("[dir]") && el.closest("[dir]").getAttribute("dir"),
      direction: cs.direction,
      textAlign: cs.textAlign,
      box: box(el.getBoundingClientRect()),
      text: textBox(el),
      firstWord: firstWord(el)
    };
  }
  // The content box of <main>: the column the text is set in.
  function column() {
    var main = document.querySelector("main");
    if (!main) return null;
    var r = main.getBoundingClientRect(), cs = getComputedStyle(main);
    return {
      left: num(r.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft)),
      right: num(r.right - parseFloat(cs.borderRightWidth) - parseFloat(cs.paddingRight))
    };
  }
  // Inside a box that scrolls or clips horizontally, overflow is contained.
  function contained(el) {
    for (var a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  }
  // Visible elements sticking out of the viewport on either side. In an
  // RTL page, overflow to the right cannot be scrolled to and does not
  // count in scrollWidth, so both sides are looked at.
  function overflowing(width) {
    var out = [];
    var all = document.body.querySelectorAll("*");
    for (var i = 0; i < all.length && out.length < 10; i++) {
      var el = all[i], r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right <= width + 0.5 && r.left >= -0.5) continue;
      var cs = getComputedStyle(el);
      if (cs.visibility === "hidden" || contained(el)) continue;
      out.push(describe(el) + " [" + num(r.left) + ", " + num(r.right) + "]");
    }
    return out;
  }
  function stylesheets() {
    return Array.prototype.map.call(document.styleSheets, function (s) {
      var rules = -1;
      try { rules = s.cssRules.length; } catch (e) {}
      return { href: s.href, rules: rules };
    });
  }
  function run() {
    var html = document.documentElement;
    var result = {
      path: location.pathname,
      lang: html.getAttribute("lang"),
      dir: html.getAttribute("dir"),
      bodyDirection: getComputedStyle(document.body).direction,
      innerWidth: window.innerWidth,
      clientWidth: html.clientWidth,
      scrollWidth: html.scrollWidth,
      overflowing: overflowing(html.clientWidth),
      stylesheets: stylesheets(),
      column: column(),
      title: element("h1.article-title"),
      dateline: element(".dateline"),
      byline: element(".byline"),
      articleBody: element(".article-body")
    };
    // Inside the phone frame, the result goes to the top document, the one
    // --dump-dom prints.
    var doc = window.parent !== window ? window.parent.document : document;
    var pre = doc.createElement("pre");
    pre.className = "__arshif_probe";
    pre.hidden = true;
    pre.textContent = JSON.stringify(result).replace(/[&<>\u00a0]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
    doc.body.appendChild(pre);
  }
  // The phone frame page itself is not measured.
  if (document.documentElement.hasAttribute("data-phone-frame")) return;
  window.addEventListener("load", function () { document.fonts.ready.then(run, run); });
})();
</script>
"##;

/// The Chromium to drive, or `None` (after a loud message) when it is not
/// installed and this is not CI.
pub fn chromium() -> Option<PathBuf> {
    let found = match std::env::var_os("ARSHIF_CHROMIUM") {
        Some(path) => Some(PathBuf::from(path)).filter(|p| p.is_file()),
        None => [PathBuf::from("/usr/bin/chromium")]
            .into_iter()
            .chain(
                std::env::var_os("PATH")
                    .iter()
                    .flat_map(std::env::split_paths)
                    .map(|dir| dir.join("chromium")),
            )
            .find(|p| p.is_file()),
    };
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "chromium is not installed and CI=true: run .ci/install-browser"
        );
        // Straight to the process's stderr, which the test harness does
        // not capture, once per run.
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            let _ = std::io::stderr().write_all(
                b"\n****************************************************************\n\
                  SKIPPED: chromium not installed; run .ci/install-browser\n\
                  (the browser tests pass without checking anything)\n\
                  ****************************************************************\n\n",
            );
        });
    }
    found
}

pub struct Chromium {
    pub bin: PathBuf,
}

impl Chromium {
    /// Runs `chromium --headless … ARGS URL` with a fresh profile and
    /// returns its stdout.
    #[track_caller]
    pub fn run(&self, args: &[&str], url: &str) -> String {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(&self.bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--mute-audio",
                "--force-device-scale-factor=1",
                "--hide-scrollbars",
                "--virtual-time-budget=3000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(args)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.bin.display()));
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let out = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = stdout.read_to_end(&mut s);
            s
        });
        let err = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = stderr.read_to_end(&mut s);
            s
        });
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > CHROMIUM_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium took over {CHROMIUM_TIMEOUT:?} on {url}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let out = String::from_utf8_lossy(&out.join().unwrap()).into_owned();
        let err = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
        assert!(
            status.success(),
            "chromium failed ({status}) on {url}:\n{err}"
        );
        out
    }

    /// The probe's measurements of each of the site paths `pages`, served
    /// by `server` (which injects [`PROBE`]), each in its own 375-pixel
    /// frame, all in one Chromium run. Each result is also saved in
    /// `target/browser-artifacts/`.
    #[track_caller]
    fn probe(&self, server: &StaticServer, pages: &[&str]) -> Vec<Value> {
        let url = framed(server, pages, PHONE_WIDTH, false);
        let dom = self.run(&["--window-size=500,1000", "--dump-dom"], &url);
        let open = format!("<pre class=\"{RESULT_CLASS}\" hidden=\"\">");
        let mut found = Vec::new();
        for piece in dom.split(&open).skip(1) {
            let json = piece.split("</pre>").next().unwrap();
            let value: Value = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("bad probe JSON: {e}\n{json}"));
            found.push(value);
        }
        let dir = artifacts();
        pages
            .iter()
            .map(|page| {
                let r = found
                    .iter()
                    .find(|r| {
                        let path = r["path"].as_str().unwrap_or("");
                        percent_encoding::percent_decode_str(path).decode_utf8_lossy() == *page
                    })
                    .cloned()
                    .unwrap_or_else(|| {
                        panic!(
                            "the probe left no result for {page} (did it load?); got {} of {} \
                             pages; the end of the DOM dump:\n{}",
                            found.len(),
                            pages.len(),
                            &dom[dom.len().saturating_sub(2000)..]
                        )
                    });
                let name = format!("probe{}.json", page.trim_end_matches('/').replace('/', "_"));
                let _ = std::fs::write(dir.join(name), format!("{r:#}\n"));
                r
            })
            .collect()
    }

    /// A PNG of the top 1600 CSS pixels of site path `page` laid out
    /// `SCREENSHOT_WIDTH` pixels wide, magnified to fill Chromium's
    /// narrowest (500-pixel) window.
    #[track_caller]
    fn screenshot(&self, server: &StaticServer, page: &str, png: &Path) {
        let _ = std::fs::remove_file(png);
        let url = framed(server, &[page], SCREENSHOT_WIDTH, true);
        let shot = format!("--screenshot={}", png.display());
        let height = (1600 * 500u32).div_ceil(SCREENSHOT_WIDTH);
        let size = format!("--window-size=500,{height}");
        self.run(&[&size, &shot], &url);
    }

    /// A screenshot of site path `page` in a 1280-pixel window.
    fn screenshot_wide(&self, server: &StaticServer, page: &str, png: &Path) {
        let _ = std::fs::remove_file(png);
        let shot = format!("--screenshot={}", png.display());
        self.run(&["--window-size=1280,1600", &shot], &server.url(page));
    }
}

/// The page that shows pages of the same site in phone-wide iframes:
/// `__phone.html?width=375#/archive/a/|/archive/b/` loads each page in its
/// own 375×900 frame, all stacked at the same place so that none is
/// off-screen (and so throttled). With `&fill` it shows one page, scaled
/// to fill the window's width, for screenshots.
const FRAME: &str = r##"<!doctype html>
<html lang="en" data-phone-frame>
<head>
<meta charset="utf-8">
<title>phone</title>
<style>
html, body { margin: 0; overflow: hidden; background: #777; }
iframe { position: absolute; inset-block-start: 0; inset-inline-start: 0; border: 0; transform-origin: 0 0; background: #fff; }
</style>
</head>
<body>
<script>
var query = new URLSearchParams(location.search);
var width = Number(query.get("width"));
var fill = query.has("fill");
location.hash.slice(1).split("|").forEach(function (src) {
  var frame = document.createElement("iframe");
  frame.width = width;
  frame.height = 900;
  frame.src = src;
  document.body.appendChild(frame);
  if (!fill) return;
  function fit() {
    var k = window.innerWidth / width;
    frame.style.transform = "scale(" + k + ")";
    frame.height = Math.ceil(window.innerHeight / k);
  }
  fit();
  window.addEventListener("resize", fit);
});
</script>
</body>
</html>
"##;
const FRAME_FILE: &str = "__phone.html";

/// Writes [`FRAME`] at the top of the built site in `public`.
fn add_frame(public: &Path) {
    std::fs::write(public.join(FRAME_FILE), FRAME).unwrap();
}

/// The URL that shows site paths `pages` in the phone frame, `width`
/// pixels wide.
fn framed(server: &StaticServer, pages: &[&str], width: u32, fill: bool) -> String {
    let origin = format!("http://{}", server.addr());
    let frame = server.url(&format!("{PREFIX}{FRAME_FILE}"));
    let targets: Vec<String> = pages
        .iter()
        .map(|page| {
            let url = server.url(page);
            assert!(!url.contains('|'), "{page}");
            url.strip_prefix(&origin).unwrap().to_owned()
        })
        .collect();
    let fill = if fill { "&fill" } else { "" };
    format!("{frame}?width={width}{fill}#{}", targets.join("|"))
}

/// `target/browser-artifacts/`, created if needed.
pub fn artifacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| option_env!("CARGO_TARGET_DIR").map(PathBuf::from))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("browser-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The repository's sample site, built into a temporary folder for
/// `https://example.github.io/archive/`.
fn build_sample() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(["build", "--quiet", "--root", env!("CARGO_MANIFEST_DIR")])
        .arg("--output")
        .arg(out.path().join("public"))
        .args(["--base-url", BASE_URL])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "sample build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn build_mixed() -> SiteTest {
    let site = SiteTest::fixture("mixed");
    site.build().expect_success();
    site
}

fn f(v: &Value, pointer: &str) -> f64 {
    v.pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("no number at {pointer} in {v:#}"))
}

fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// Collects every failed check of a test, so one run reports them all.
#[derive(Default)]
struct Checks {
    failures: Vec<String>,
}

impl Checks {
    fn check(&mut self, ok: bool, page: &str, what: impl std::fmt::Display) {
        if !ok {
            self.failures.push(format!("{page}: {what}"));
        }
    }

    /// What every page of an Arabic site must be: Arabic, right to left,
    /// styled, and no wider than a phone.
    fn page_basics(&mut self, page: &str, r: &Value) {
        self.page_basics_in(page, r, "ar");
    }

    /// The same, for a right-to-left site in `lang`.
    fn page_basics_in(&mut self, page: &str, r: &Value, lang: &str) {
        self.check(
            s(r, "/lang") == lang && s(r, "/dir") == "rtl",
            page,
            format!(
                "<html> has lang={:?} dir={:?}, want {lang}/rtl",
                s(r, "/lang"),
                s(r, "/dir")
            ),
        );
        self.check(
            s(r, "/bodyDirection") == "rtl",
            page,
            format!("body computes direction {:?}", s(r, "/bodyDirection")),
        );
        let styled = r["stylesheets"]
            .as_array()
            .is_some_and(|a| a.iter().any(|sheet| sheet["rules"].as_i64() > Some(0)));
        self.check(
            styled,
            page,
            format!("the stylesheet did not load: {}", r["stylesheets"]),
        );
        self.check(
            f(r, "/innerWidth") == f64::from(PHONE_WIDTH),
            page,
            format!("window is {} px wide, want {PHONE_WIDTH}", r["innerWidth"]),
        );
        self.check(
            f(r, "/scrollWidth") <= f(r, "/innerWidth"),
            page,
            format!(
                "scrolls sideways: scrollWidth {} > innerWidth {}",
                r["scrollWidth"], r["innerWidth"]
            ),
        );
        let over: Vec<&str> = r["overflowing"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        self.check(
            over.is_empty(),
            page,
            format!(
                "elements stick out of the {} px viewport (x from left to right): {}",
                r["clientWidth"],
                over.join(", ")
            ),
        );
    }

    /// `selector` (a probe key) computes `direction`.
    fn direction(&mut self, page: &str, r: &Value, key: &str, direction: &str) {
        self.check(
            s(r, &format!("/{key}/direction")) == direction,
            page,
            format!(
                "{key} computes direction {:?}, want {direction}",
                s(r, &format!("/{key}/direction"))
            ),
        );
    }

    #[track_caller]
    fn assert_none(self) {
        assert!(
            self.failures.is_empty(),
            "{} browser check(s) failed:\n  {}",
            self.failures.len(),
            self.failures.join("\n  ")
        );
    }
}

/// Every request the browser made for the pages and what they load was
/// answered 200, except those in `expected_404`.
fn all_found(checks: &mut Checks, server: &StaticServer, expected_404: &[&str]) {
    for hit in server.hits() {
        let decoded = percent_encoding::percent_decode_str(&hit.path).decode_utf8_lossy();
        if hit.path == "/favicon.ico" || expected_404.contains(&decoded.as_ref()) {
            continue;
        }
        checks.check(
            hit.status == 200,
            &decoded,
            format!("{} answered {}", hit.method, hit.status),
        );
    }
}

const COP28: &str = "/archive/2023/12/13/cop28-dubai-outcomes/";
const RED_SEA: &str = "/archive/2024/01/15/red-sea-shipping-disruption/";

#[test]
fn browser_sample_pages_fit_a_phone_and_read_right_to_left() {
    let Some(bin) = chromium() else { return };
    let browser = Chromium { bin };
    let out = build_sample();
    let public = out.path().join("public");
    add_frame(&public);
    assert!(
        public
            .join("2023/12/13/cop28-dubai-outcomes/index.html")
            .is_file()
            && public
                .join("2024/01/15/red-sea-shipping-disruption/index.html")
                .is_file(),
        "the sample site no longer has the articles these tests load"
    );
    let server = StaticServer::start_injecting(&public, PREFIX, PROBE);
    let pages = [
        "/archive/",
        // Its table scrolls inside its own box rather than widening the page.
        COP28,
        RED_SEA,
        "/archive/tags/الاقتصاد/",
        "/archive/tags/red-sea/",
        "/archive/archive/",
        "/archive/2023/",
        "/archive/no/such/page/",
    ];
    let results = browser.probe(&server, &pages);
    let mut checks = Checks::default();
    for (page, r) in pages.iter().zip(&results) {
        checks.page_basics(page, r);
    }
    let cop28 = &results[1];
    checks.direction(COP28, cop28, "title", "rtl");
    checks.direction(COP28, cop28, "articleBody", "rtl");
    // The English article keeps the page's Arabic frame.
    let red_sea = &results[2];
    checks.direction(RED_SEA, red_sea, "title", "ltr");
    checks.direction(RED_SEA, red_sea, "articleBody", "ltr");
    checks.direction(RED_SEA, red_sea, "dateline", "rtl");
    checks.direction(RED_SEA, red_sea, "byline", "rtl");
    all_found(&mut checks, &server, &["/archive/no/such/page/"]);
    checks.assert_none();
}

const MIXED_TITLE: &str = "/archive/2023/09/10/g20-new-delhi/";
const ENGLISH: &str = "/archive/2024/02/29/g20-climate-finance/";

#[test]
fn browser_mixed_script_titles_take_their_article_direction() {
    let Some(bin) = chromium() else { return };
    let browser = Chromium { bin };
    let site = build_mixed();
    add_frame(&site.public());
    let server = StaticServer::start_injecting(site.public(), PREFIX, PROBE);
    let pages = [
        MIXED_TITLE,
        ENGLISH,
        "/archive/",
        "/archive/tags/g20-summit/",
    ];
    let results = browser.probe(&server, &pages);
    let mut checks = Checks::default();
    for (page, r) in pages.iter().zip(&results) {
        checks.page_basics(page, r);
    }

    // An Arabic title with Latin words in it is still set right to left:
    // its lines hug the column's right edge, and its first word, قمة, is
    // drawn at the right end of the first line.
    let r = &results[0];
    checks.check(
        s(r, "/title/lang") == "ar",
        MIXED_TITLE,
        format!("title lang={:?}", s(r, "/title/lang")),
    );
    checks.direction(MIXED_TITLE, r, "title", "rtl");
    let right = f(r, "/column/right");
    checks.check(
        (f(r, "/title/text/right") - right).abs() <= TOLERANCE,
        MIXED_TITLE,
        format!(
            "title text ends at x={} but the column's right edge is {right}",
            r["title"]["text"]["right"]
        ),
    );
    checks.check(
        s(r, "/title/firstWord/word") == "قمة"
            && (f(r, "/title/firstWord/right") - right).abs() <= TOLERANCE,
        MIXED_TITLE,
        format!(
            "the title's first word should be at the right edge {right}: {}",
            r["title"]["firstWord"]
        ),
    );

    // The English article: its title is English and left to right, set
    // from the column's left edge, while the Arabic dateline and byline
    // around it stay right to left.
    let r = &results[1];
    checks.check(
        s(r, "/title/lang") == "en" && s(r, "/title/dir") == "ltr",
        ENGLISH,
        format!(
            "title lang={:?} dir={:?}, want en/ltr",
            s(r, "/title/lang"),
            s(r, "/title/dir")
        ),
    );
    checks.direction(ENGLISH, r, "title", "ltr");
    checks.direction(ENGLISH, r, "articleBody", "ltr");
    checks.direction(ENGLISH, r, "dateline", "rtl");
    checks.direction(ENGLISH, r, "byline", "rtl");
    let left = f(r, "/column/left");
    checks.check(
        s(r, "/title/firstWord/word") == "G20"
            && (f(r, "/title/firstWord/left") - left).abs() <= TOLERANCE,
        ENGLISH,
        format!(
            "the title's first word should be at the left edge {left}: {}",
            r["title"]["firstWord"]
        ),
    );
    checks.check(
        (f(r, "/dateline/text/right") - f(r, "/column/right")).abs() <= TOLERANCE,
        ENGLISH,
        format!(
            "the dateline should start at the right edge {}: {}",
            r["column"]["right"], r["dateline"]["text"]
        ),
    );
    all_found(&mut checks, &server, &[]);
    checks.assert_none();
}

/// A Persian and a Hebrew site, each with an English article: every page
/// in its language, right to left, within a phone's width; the English
/// article left to right inside the site's right-to-left frame.
#[test]
fn browser_persian_and_hebrew_sites_fit_a_phone_and_read_right_to_left() {
    let Some(bin) = chromium() else { return };
    let browser = Chromium { bin };
    let sites = [
        (
            "persian",
            "fa",
            "/archive/2024/03/18/nowruz-markets/",
            "/archive/tags/کامنت‌دونی/",
        ),
        (
            "hebrew",
            "he",
            "/archive/2024/03/24/tel-aviv-light-rail/",
            "/archive/tags/תל-אביב/",
        ),
    ];
    let mut checks = Checks::default();
    for (fixture, lang, article, tag) in sites {
        let site = SiteTest::fixture(fixture);
        site.build().expect_success();
        add_frame(&site.public());
        let server = StaticServer::start_injecting(site.public(), PREFIX, PROBE);
        let english = "/archive/2024/02/29/g20-english/";
        let pages = [
            "/archive/",
            article,
            english,
            tag,
            "/archive/archive/",
            "/archive/2024/03/",
            "/archive/no/such/page/",
        ];
        let results = browser.probe(&server, &pages);
        for (page, r) in pages.iter().zip(&results) {
            checks.page_basics_in(&format!("{fixture} {page}"), r, lang);
        }
        let page = format!("{fixture} {article}");
        checks.direction(&page, &results[1], "title", "rtl");
        checks.direction(&page, &results[1], "articleBody", "rtl");
        let page = format!("{fixture} {english}");
        checks.direction(&page, &results[2], "title", "ltr");
        checks.direction(&page, &results[2], "articleBody", "ltr");
        checks.direction(&page, &results[2], "dateline", "rtl");
        all_found(&mut checks, &server, &["/archive/no/such/page/"]);
    }
    checks.assert_none();
}

#[test]
fn browser_screenshots_of_home_article_tag_and_month() {
    let Some(bin) = chromium() else { return };
    let browser = Chromium { bin };
    let out = build_sample();
    let public = out.path().join("public");
    add_frame(&public);
    let server = StaticServer::start(&public, PREFIX);
    let dir = artifacts();
    let pages = [
        ("home", "/archive/"),
        ("article", COP28),
        ("tag", "/archive/tags/المناخ/"),
        ("month", "/archive/2023/12/"),
    ];
    // At a phone's width (in the frame) and a laptop's.
    let shots: Vec<(&str, PathBuf, bool)> = pages
        .iter()
        .flat_map(|(name, page)| {
            [
                (
                    *page,
                    dir.join(format!("sample-{name}-{SCREENSHOT_WIDTH}.png")),
                    true,
                ),
                (*page, dir.join(format!("sample-{name}-1280.png")), false),
            ]
        })
        .collect();
    std::thread::scope(|scope| {
        for pair in shots.chunks(2) {
            let (browser, server) = (&browser, &server);
            scope.spawn(move || {
                for (page, png, phone) in pair {
                    if *phone {
                        browser.screenshot(server, page, png);
                    } else {
                        browser.screenshot_wide(server, page, png);
                    }
                }
            });
        }
    });
    for (page, png, _) in &shots {
        let bytes = std::fs::read(png)
            .unwrap_or_else(|e| panic!("no screenshot of {page} at {}: {e}", png.display()));
        assert!(
            bytes.len() > 1000 && bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "the screenshot of {page} is not a PNG ({} bytes)",
            bytes.len()
        );
    }
}
