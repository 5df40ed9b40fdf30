//! Search: the index a build writes and the search page in headless
//! Chromium, on a site built here and served under `/archive/` as a
//! GitHub Pages project site. Each query is typed into the search page (or
//! the header's box) inside an `<iframe>` of a runner page written beside
//! the built site; the runner waits for the page to show its results and
//! writes what it shows, and every resource the page loaded, as JSON into
//! a `<pre>` that `chromium --dump-dom` prints. Without Chromium these
//! tests skip loudly, except under CI=true (see `browser`).

use serde_json::Value;

use crate::browser::{Chromium, chromium};
use crate::harness::SiteTest;
use crate::server::StaticServer;

const PREFIX: &str = "/archive/";
const BASE_URL: &str = "https://example.github.io/archive/";
const RUNNER: &str = "__search_runner.html";

/// Five articles, each with words in one of the forms a reader may type
/// differently.
fn site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        &format!("title: أرشيف\nbase_url: {BASE_URL}\ntimezone: \"+03:00\"\n"),
    );
    let articles = [
        (
            "putin",
            "بوتين يزور بكين",
            "2023-09-19T14:30:00+03:00",
            "tags: [روسيا, الصين]\nauthor: هوين لو\nsource: رويترز\n",
            "أعلنت وكالة Reuters أن الرئيس الروسي سيزور العاصمة الصينية، والتقى مسؤولين من اسيا. \
             وقال مُتَحَدِّثٌ باسم الكرملين إن الزيارة ستشمل محادثات اقتصادية.",
        ),
        (
            "cop28",
            "قمة COP28 في دبي",
            "2023-12-01",
            "tags: [المناخ]\nsource: وكالة الأنباء\n",
            "افتتحت قمة المناخ COP28 أعمالها في دبي، وشارك فيها وزراء البيئة. \
             وتناولت الجلسة الأولى صندوق الخسائر والأضرار.",
        ),
        (
            "oil",
            "تراجع أسعار النفط",
            "2022-05-10",
            "tags: [الاقتصاد]\nauthor: سارة المصري\n",
            "تراجعت أسعار النفط في الأسواق العالمية. وقال محللون إن الإنتاج سيرتفع.",
        ),
        (
            "gaza",
            "مساعدات تصل",
            "2022-08-03",
            "tags: [إغاثة]\n",
            "وصلت قافلة إغاثة إلى مستشفى الشفاء بغزة، وحملت أدوية للأطفال. \
             فالمستشفيات تعاني نقصًا حادًا.",
        ),
        (
            "metro",
            "افتتاح خط المترو",
            "2021-03-15",
            "tags: [الاقتصاد]\n",
            "افتتحت الحكومة خط المتـــرو الجديد في العاصمة، وقالت إنه سيخدم للمواطنين. \
             كالعادة تأخر المشروع.",
        ),
    ];
    for (slug, title, date, extra, body) in articles {
        site.write(
            &format!("content/{slug}.md"),
            &format!("---\ntitle: {title}\ndate: {date}\nslug: {slug}\n{extra}---\n\n{body}\n"),
        );
    }
    site
}

/// Loads each case in an iframe, one after the other; a case is
/// `{"path": …}` (a page to load; a search page shows its results) or
/// `{"path": …, "header": "query"}` (a page whose header box is filled
/// and sent).
const RUNNER_HTML: &str = r##"<!doctype html>
<html><head><meta charset="utf-8"><title>runner</title></head><body>
<pre id="out" hidden></pre>
<script>
"use strict";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(test, ms) {
  for (let t = 0; t < ms; t += 20) { const v = test(); if (v) return v; await sleep(20); }
  return null;
}
async function run(c) {
  const f = document.createElement("iframe");
  document.body.append(f);
  f.src = c.path;
  if (c.header) {
    const d = await until(() => f.contentDocument?.readyState === "complete" && f.contentDocument.getElementById("site-search-q") && f.contentDocument, 10000);
    d.getElementById("site-search-q").value = c.header;
    d.querySelector("form.site-search").requestSubmit();
    await until(() => f.contentDocument?.querySelector("form.search"), 10000);
  }
  // The address's search done, and the filters' lists filled.
  const searched = await until(() => {
    const b = f.contentDocument?.body;
    return b?.dataset.ready !== undefined && b.dataset.searches;
  }, 10000);
  const d = f.contentDocument;
  const w = f.contentWindow;
  const out = {
    path: c.path,
    searched: !!searched,
    location: w.location.pathname + w.location.search,
    status: d.getElementById("search-status")?.textContent ?? null,
    firstPageAfter: d.body.dataset.firstPageAfter ?? null,
    more: d.getElementById("search-more") ? !d.getElementById("search-more").hidden : null,
    results: [...d.querySelectorAll("#search-results > li")].map((li) => ({
      href: li.querySelector("a").getAttribute("href"),
      title: li.querySelector("a").textContent,
      meta: li.querySelector(".item-meta").textContent,
      marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
    })),
    filters: Object.fromEntries(["tag", "year"].map((n) => [n, [...(d.querySelector("form.search")?.elements[n]?.options ?? [])].map((o) => o.value)])),
    resources: w.performance.getEntriesByType("resource").map((e) => e.name),
    focusOutline: (() => { const i = d.getElementById("search-q"); if (!i) return null; i.focus(); return w.getComputedStyle(i).outlineStyle; })(),
  };
  f.remove();
  return out;
}
(async () => {
  const cases = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  const results = [];
  for (const c of cases) results.push(await run(c));
  const out = document.getElementById("out");
  out.textContent = JSON.stringify(results).replace(/[<>&\u00a0]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  out.className = "done";
})();
</script>
</body></html>
"##;

struct Case {
    path: String,
    header: Option<String>,
}

fn query(q: &str) -> Case {
    Case {
        path: format!("{PREFIX}search/?q={}", encode(q)),
        header: None,
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Runs `cases` in one Chromium, returning what each showed.
fn run(
    browser: &Chromium,
    server: &StaticServer,
    public: &std::path::Path,
    cases: &[Case],
) -> Vec<Value> {
    std::fs::write(public.join(RUNNER), RUNNER_HTML).unwrap();
    let json: Vec<Value> = cases
        .iter()
        .map(|c| match &c.header {
            Some(h) => serde_json::json!({"path": c.path, "header": h}),
            None => serde_json::json!({"path": c.path}),
        })
        .collect();
    let hash = encode(&serde_json::to_string(&json).unwrap());
    let url = format!("{}#{hash}", server.url(&format!("{PREFIX}{RUNNER}")));
    let dom = browser.run(&["--dump-dom", "--virtual-time-budget=60000"], &url);
    let json = dom
        .split("<pre id=\"out\" hidden=\"\" class=\"done\">")
        .nth(1)
        .unwrap_or_else(|| panic!("the runner did not finish:\n{dom}"))
        .split("</pre>")
        .next()
        .unwrap();
    let results: Vec<Value> = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(results.len(), cases.len());
    results
}

fn slugs(r: &Value) -> Vec<String> {
    r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let href = x["href"].as_str().unwrap();
            href.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn browser_search_finds_arabic_as_readers_type_it() {
    finds_arabic_as_readers_type_it("");
}

/// The same searches with the index in two parts (the oldest two
/// articles, then the newest three): each part is searched, newest first
/// across them, and the filters count every part's articles.
#[test]
fn browser_search_of_an_index_in_parts_finds_the_same() {
    finds_arabic_as_readers_type_it("search_part: 2\n");
}

fn finds_arabic_as_readers_type_it(yaml: &str) {
    let Some(bin) = chromium() else { return };
    let browser = Chromium { bin };
    let site = site();
    if !yaml.is_empty() {
        let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
        site.write("site.yaml", &format!("{config}{yaml}"));
    }
    site.build().expect_success();
    let parts = std::fs::read_to_string(site.public().join("pagefind/parts.json")).unwrap();
    assert_eq!(
        parts,
        if yaml.is_empty() {
            "{\"parts\":1}\n"
        } else {
            "{\"parts\":2}\n"
        }
    );
    let public = site.public();
    let server = StaticServer::start(&public, PREFIX);

    // query → the articles it must find, newest first.
    let pairs: &[(&str, &[&str], &str)] = &[
        ("اعلنت", &["putin"], "hamza in the text, none in the query"),
        ("اسعار", &["oil"], "hamza in the text, none in the query"),
        ("آسيا", &["putin"], "hamza in the query, none in the text"),
        (
            "إغاثه",
            &["gaza"],
            "hamza and taa marbuta as written in neither",
        ),
        ("متحدث", &["putin"], "tashkeel in the text"),
        ("الخَسَائِر", &["cop28"], "tashkeel in the query"),
        ("المترو", &["metro"], "tatweel in the text"),
        ("النفــط", &["oil"], "tatweel in the query"),
        (
            "عاصمة",
            &["putin", "metro"],
            "ال in the text, not in the query",
        ),
        ("الأدوية", &["gaza"], "ال in the query, not in the text"),
        ("التقى", &["putin"], "و attached in the text"),
        ("وصندوق", &["cop28"], "و attached in the query"),
        ("المستشفيات", &["gaza"], "ف attached in the text"),
        ("غزة", &["gaza"], "ب attached in the text"),
        ("بالأسواق", &["oil"], "ب and ال in the query"),
        ("المواطنين", &["metro"], "ل attached in the text"),
        ("العادة", &["metro"], "ك attached in the text"),
        ("Reuters", &["putin"], "a Latin word in Arabic text"),
        ("reuters", &["putin"], "a Latin word in another case"),
        ("COP28", &["cop28"], "Latin letters and digits"),
        ("أسعار النفط", &["oil"], "two words"),
        ("بكين", &["putin"], "a word of the title only"),
        ("هوين", &["putin"], "the author"),
        ("رويترز", &["putin"], "the source"),
        ("افتتحت", &["cop28", "metro"], "two articles, newest first"),
        ("طائرة", &[], "a word of no article"),
        ("Bloomberg", &[], "a Latin word of no article"),
        ("زلزال", &[], "another word of no article"),
    ];
    let mut cases: Vec<Case> = pairs.iter().map(|(q, _, _)| query(q)).collect();
    cases.push(Case {
        path: format!(
            "{PREFIX}search/?q={}&tag={}",
            encode("افتتحت"),
            encode("المناخ")
        ),
        header: None,
    });
    cases.push(Case {
        path: format!("{PREFIX}search/?q={}&year=2021", encode("افتتحت")),
        header: None,
    });
    cases.push(Case {
        path: format!("{PREFIX}search/?tag={}", encode("الاقتصاد")),
        header: None,
    });
    cases.push(Case {
        path: format!("{PREFIX}2022/"),
        header: Some("COP28".into()),
    });
    cases.push(Case {
        path: format!("{PREFIX}no/such/page/"),
        header: Some("النفط".into()),
    });
    let results = run(&browser, &server, &public, &cases);
    std::fs::create_dir_all(crate::browser::artifacts()).unwrap();
    std::fs::write(
        crate::browser::artifacts().join(if yaml.is_empty() {
            "search-results.json"
        } else {
            "search-results-in-parts.json"
        }),
        serde_json::to_string_pretty(&results).unwrap(),
    )
    .unwrap();

    let mut wrong = Vec::new();
    for ((q, want, why), r) in pairs.iter().zip(&results) {
        let got = slugs(r);
        if got != *want || r["searched"] != true {
            wrong.push(format!(
                "{q} ({why}): wanted {want:?}, got {got:?} ({})",
                r["status"]
            ));
        }
    }
    let n = pairs.len();
    let filtered = |i: usize, want: &[&str], what: &str, wrong: &mut Vec<String>| {
        let got = slugs(&results[i]);
        if got != want {
            wrong.push(format!("{what}: wanted {want:?}, got {got:?}"));
        }
    };
    filtered(n, &["cop28"], "افتتحت with tag المناخ", &mut wrong);
    filtered(n + 1, &["metro"], "افتتحت in 2021", &mut wrong);
    filtered(n + 2, &["oil", "metro"], "tag الاقتصاد alone", &mut wrong);
    filtered(
        n + 3,
        &["cop28"],
        "COP28 from the header box of a year page",
        &mut wrong,
    );
    filtered(
        n + 4,
        &["oil"],
        "النفط from the header box of the 404 page",
        &mut wrong,
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // The header box opens the search page with the query in its address.
    let header = &results[n + 3];
    assert_eq!(header["location"], format!("{PREFIX}search/?q=COP28"));
    // What a result shows: title, date in the site's style, source, and
    // the match marked in the excerpt.
    let reuters = &results[17]["results"][0];
    assert_eq!(reuters["title"], "بوتين يزور بكين");
    let meta = reuters["meta"].as_str().unwrap();
    assert!(
        meta.contains("19 سبتمبر/أيلول 2023") && meta.contains("رويترز"),
        "{meta}"
    );
    assert_eq!(reuters["marks"], serde_json::json!(["Reuters"]));
    let gaza = &results[13]["results"][0];
    assert_eq!(gaza["marks"], serde_json::json!(["بغزة،"]), "{gaza}");
    // Result counts are announced in Arabic plural forms.
    assert_eq!(results[8]["status"], "نتيجتان");
    assert_eq!(results[0]["status"], "نتيجة واحدة");
    assert_eq!(results[25]["status"], "لا نتائج لهذا البحث.");
    // The filters list the site's tags and years, newest year first.
    let years = &results[0]["filters"]["year"];
    assert_eq!(*years, serde_json::json!(["", "2023", "2022", "2021"]));
    assert!(
        results[0]["filters"]["tag"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "المناخ")
    );
    assert_eq!(results[0]["focusOutline"], "solid", "focus is visible");

    // Nothing from another origin: every resource any page loaded, and
    // every request the server saw, are the site's own under /archive/.
    let origin = format!("http://{}", server.addr());
    for r in &results {
        for url in r["resources"].as_array().unwrap() {
            let url = url.as_str().unwrap();
            assert!(
                url.starts_with(&format!("{origin}{PREFIX}")),
                "{url} from {}",
                r["path"]
            );
        }
    }
    let hits = server.hits();
    assert!(
        hits.iter()
            .any(|h| h.path.ends_with("/pagefind/0/pagefind.js"))
    );
    // Chromium asks every host for /favicon.ico by itself.
    let outside: Vec<_> = hits
        .iter()
        .filter(|h| !h.path.starts_with(PREFIX) && h.path != "/favicon.ico")
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}

#[test]
fn the_index_holds_articles_only_and_is_written_with_the_site() {
    let site = site();
    site.build().expect_success();
    let entry =
        std::fs::read_to_string(site.public().join("pagefind/0/pagefind-entry.json")).unwrap();
    let entry: Value = serde_json::from_str(&entry).unwrap();
    assert_eq!(
        entry["languages"]["ar"]["page_count"], 5,
        "articles only: {entry}"
    );
    for file in [
        "pagefind/0/pagefind.js",
        "pagefind/parts.json",
        "pagefind/0/pagefind-worker.js",
        "pagefind/0/wasm.ar.pagefind",
        "search.js",
        "search/index.html",
    ] {
        assert!(site.exists(file), "{file}");
    }
    assert!(
        !site.exists("pagefind/0/pagefind-ui.js"),
        "Pagefind's own interface is not used"
    );
    let home = site.page("/");
    assert!(
        home.contains(r#"<form class="site-search" role="search" action="/archive/search/""#),
        "{home}"
    );
    assert!(site.page("/404.html").contains("site-search-q"));
    let search = site.page("/search/");
    assert!(search.contains(r#"<label for="search-q">ابحث في الأرشيف</label>"#));
    assert!(search.contains(r#"aria-live="polite""#));
    assert!(!site.page("/sitemap.xml").contains("/search/"));
}

#[test]
fn search_false_builds_no_index_no_page_and_no_box() {
    let site = site();
    site.write(
        "site.yaml",
        &format!("title: أرشيف\nbase_url: {BASE_URL}\nsearch: false\n"),
    );
    site.build().expect_success();
    assert!(!site.exists("pagefind"));
    assert!(!site.exists("search/index.html"));
    assert!(!site.exists("search.js"));
    for page in ["/", "/404.html", "/2023/09/19/putin/"] {
        assert!(!site.page(page).contains("site-search"), "{page}");
    }
}

#[test]
fn the_index_is_the_same_from_build_to_build() {
    let a = site();
    a.build().expect_success();
    let b = tempfile::tempdir().unwrap();
    a.run(&["build", "--clean", "--output", b.path().to_str().unwrap()])
        .expect_success();
    let first = crate::harness::snapshot_tree(&a.public().join("pagefind"));
    let second = crate::harness::snapshot_tree(&b.path().join("pagefind"));
    assert!(first.len() > 5);
    assert!(first == second, "the index differs between two builds");
}

#[test]
fn a_rebuild_keeps_the_index_unless_an_article_changed_and_equals_a_clean_build() {
    use std::os::unix::fs::MetadataExt;
    let site = site();
    site.build().expect_success();
    let entry = site.public().join("pagefind/0/pagefind-entry.json");
    let inode = |p: &std::path::Path| std::fs::metadata(p).unwrap().ino();
    let first = std::fs::read(&entry).unwrap();
    let (before, ino) = (crate::harness::snapshot_tree(&site.public()), inode(&entry));

    // Nothing changed: the same files, not even written again.
    site.build().expect_success();
    assert_eq!(crate::harness::snapshot_tree(&site.public()), before);
    assert_eq!(inode(&entry), ino);

    // An edit of an article's text makes the index anew, equal to a
    // clean build's.
    let text = std::fs::read_to_string(site.root().join("content/oil.md")).unwrap();
    site.write(
        "content/oil.md",
        &text.replace("محللون", "محللون وخبراء الطاقة"),
    );
    site.build().expect_success();
    equals_clean(&site);
    assert_ne!(
        std::fs::read(&entry).unwrap(),
        first,
        "the index changed with the text"
    );
}

/// Asserts that the site's output equals a clean build of it.
fn equals_clean(site: &SiteTest) {
    let clean = tempfile::tempdir().unwrap();
    site.run(&[
        "build",
        "--clean",
        "--output",
        clean.path().to_str().unwrap(),
    ])
    .expect_success();
    assert_eq!(
        crate::harness::snapshot_tree(&site.public()),
        crate::harness::snapshot_tree(clean.path()),
        "an incremental build equals a clean one"
    );
}

/// In parts, a rebuild makes anew only the parts whose articles changed:
/// an edit remakes the edited article's part, a new article the newest
/// part; the other parts keep their files as they were, and the output
/// equals a clean build's.
#[test]
fn a_rebuild_makes_only_the_parts_whose_articles_changed() {
    use std::os::unix::fs::MetadataExt;
    let site = site();
    site.write(
        "site.yaml",
        &format!("title: أرشيف\nbase_url: {BASE_URL}\ntimezone: \"+03:00\"\nsearch_part: 2\n"),
    );
    let entry = |i: usize| {
        let path = site
            .public()
            .join(format!("pagefind/{i}/pagefind-entry.json"));
        let pages: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let pages = pages["languages"]["ar"]["page_count"].as_u64().unwrap();
        (std::fs::metadata(&path).unwrap().ino(), pages)
    };
    site.build().expect_success();
    // Counted from the oldest: oil and metro, then the newest three.
    let (old, new) = (entry(0), entry(1));
    assert_eq!((old.1, new.1), (2, 3));

    // The oldest article edited: its part alone is made again.
    let text = std::fs::read_to_string(site.root().join("content/metro.md")).unwrap();
    site.write("content/metro.md", &text.replace("الجديد", "الجديد الممتد"));
    site.build().expect_success();
    assert_ne!(entry(0).0, old.0, "the edited article's part is made anew");
    assert_eq!(entry(1).0, new.0, "the other part is kept as it was");
    equals_clean(&site);

    // A new article: the newest part, now of two parts' worth, is cut in
    // two; the oldest part is kept.
    let old = entry(0);
    site.write(
        "content/new.md",
        "---\ntitle: خبر جديد\ndate: 2024-01-02\nslug: new\n---\n\nنص جديد.\n",
    );
    site.build().expect_success();
    assert_eq!(
        std::fs::read_to_string(site.public().join("pagefind/parts.json")).unwrap(),
        "{\"parts\":3}\n"
    );
    assert_eq!(entry(0), old, "the oldest part is kept as it was");
    assert_eq!((entry(1).1, entry(2).1), (2, 2));
    equals_clean(&site);
}

/// With the newest first, the first page of results is shown as soon as
/// the newest part has answered with a page of results (no later part can
/// change it); the count and the rest follow from every part. By best
/// match, every part must answer first.
#[test]
fn browser_search_shows_the_newest_page_before_every_part_has_answered() {
    let Some(bin) = chromium() else { return };
    let browser = Chromium { bin };
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        &format!("title: أرشيف\nbase_url: {BASE_URL}\nsearch_part: 12\n"),
    );
    for day in 1..=25 {
        site.write(
            &format!("content/a{day}.md"),
            &format!(
                "---\ntitle: خبر {day}\ndate: 2023-01-{day:02}\nslug: a{day}\n---\n\nارتفعت أسعار القمح اليوم{}.\n",
                if day <= 5 { " والشعير" } else { "" }
            ),
        );
    }
    site.build().expect_success();
    let parts = std::fs::read_to_string(site.public().join("pagefind/parts.json")).unwrap();
    assert_eq!(parts, "{\"parts\":2}\n");
    let public = site.public();
    let server = StaticServer::start(&public, PREFIX);
    let relevance = Case {
        path: format!("{PREFIX}search/?q={}&sort=relevance", encode("القمح")),
        header: None,
    };
    let results = run(
        &browser,
        &server,
        &public,
        &[query("القمح"), relevance, query("الشعير")],
    );
    let newest = &results[0];
    let want: Vec<String> = (16..=25).rev().map(|d| format!("a{d}")).collect();
    assert_eq!(slugs(newest), want, "{newest:#}");
    // The oldest 12 articles, then the newest 13: the newest holds a page.
    assert_eq!(newest["firstPageAfter"], "1", "{newest:#}");
    assert_eq!(newest["status"], "25 نتيجة", "the count is of every part");
    assert_eq!(newest["more"], true, "the other 15 are a click away");
    let best = &results[1];
    assert_eq!(slugs(best).len(), 10, "{best:#}");
    assert_eq!(best["firstPageAfter"], Value::Null, "{best:#}");
    assert_eq!(best["status"], "25 نتيجة", "{best:#}");
    // Only in the oldest part: nothing to show before every part answered.
    let rare = &results[2];
    assert_eq!(slugs(rare), ["a5", "a4", "a3", "a2", "a1"], "{rare:#}");
    assert_eq!(rare["firstPageAfter"], Value::Null, "{rare:#}");
}
