//! Links between articles by content path, to files beside an article and
//! to anchors: resolved at build time, and every broken one reported.

use crate::harness::{SiteTest, article};

fn site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "content/2022/cop27.md",
        "---\ntitle: كوب 27\ndate: 2022-11-20\n---\n\n## صندوق الخسائر\n\nنص.\n",
    );
    site.write_bytes(
        "content/2023/chart.png",
        &crate::harness::image_bytes("chart.png", "chart"),
    );
    site
}

#[test]
fn links_to_articles_by_content_path_become_page_links() {
    let site = site();
    site.write(
        "content/2023/cop28.md",
        "---\ntitle: كوب 28\ndate: 2023-12-13\n---\n\nانظر [كوب 27](../2022/cop27.md) و[الصندوق](../2022/cop27.md#صندوق-الخسائر) و![رسم](chart.png) و[أعلاه](#أعلى).\n\n## أعلى\n",
    );
    site.build().expect_success();
    let page = site.page("/2023/12/13/cop28/");
    assert!(
        page.contains(r#"<a href="/2022/11/20/cop27/">كوب 27</a>"#),
        "{page}"
    );
    // pulldown-cmark percent-encodes what it writes into href; browsers decode
    // the fragment before matching it against ids.
    assert!(page.contains(r#"<a href="/2022/11/20/cop27/#%D8%B5%D9%86%D8%AF%D9%88%D9%82-%D8%A7%D9%84%D8%AE%D8%B3%D8%A7%D8%A6%D8%B1">الصندوق</a>"#), "{page}");
    assert!(page.contains(r#"<img src="chart-16w-"#), "{page}");
    assert!(
        site.exists("2023/12/13/cop28/chart.png"),
        "a linked file is copied next to the page"
    );
    let feed = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    assert!(
        feed.contains("href=&quot;https://example.org/2022/11/20/cop27/&quot;"),
        "feeds link absolutely: {feed}"
    );
}

#[test]
fn every_broken_link_is_reported_at_its_line() {
    let site = site();
    site.write(
        "content/2023/draft.md",
        &article("مسودة", "2023-01-01", "draft: true\n"),
    );
    site.write(
        "content/2023/bad.md",
        "---\ntitle: روابط\ndate: 2023-12-13\n---\n\n\
         [مفقود](../2022/nope.md)\n\n\
         [مرساة](../2022/cop27.md#لا-يوجد)\n\n\
         [مسودة](draft.md)\n\n\
         ![صورة](missing.png)\n\n\
         هنا [داخلي](#لا-عنوان).\n",
    );
    let err = site.run(&["check"]).expect_failure().stderr();
    let expect = [
        (
            "content/2023/bad.md:6:1",
            "link to `../2022/nope.md`: there is no article at content/2022/nope.md",
        ),
        (
            "content/2023/bad.md:8:1",
            "link to `../2022/cop27.md#لا-يوجد`: content/2022/cop27.md has no heading `#لا-يوجد`",
        ),
        (
            "content/2023/bad.md:8:1",
            "its anchors are: `#صندوق-الخسائر`",
        ),
        (
            "content/2023/bad.md:10:1",
            "link to `draft.md`, a draft that is not published",
        ),
        (
            "content/2023/bad.md:12:1",
            "link to `missing.png`: there is no such file beside the article",
        ),
        (
            "content/2023/bad.md:14:5",
            "link to `#لا-عنوان`: this article has no such heading",
        ),
    ];
    for (at, message) in expect {
        let block = err
            .split("\n\n")
            .find(|b| b.contains(&format!("--> {at}")) && b.contains(message))
            .unwrap_or_else(|| panic!("no {message:?} at {at} in:\n{err}"));
        assert!(block.starts_with("error: "), "{block}");
    }
    assert!(err.ends_with("check failed: 5 errors\n"), "{err}");
    // With --drafts the draft is published and its link resolves.
    let err = site.run(&["check", "--drafts"]).expect_failure().stderr();
    assert!(!err.contains("draft.md"), "{err}");
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("ok.html"), "<p>ok</p>").unwrap();
    std::fs::write(web.path().join("404.html"), "<p>missing</p>").unwrap();
    let server = crate::server::StaticServer::start(web.path(), "/news/");
    let ok = server.url("/news/ok.html");
    let missing = server.url("/news/gone.html");
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        &format!("---\ntitle: أ\ndate: 2023-01-02\nsource: رويترز\nsource_url: {missing}\n---\n\n[سليم]({ok}#x)\n\n[مكسور]({missing})\n"),
    );
    site.run(&["check"]).expect_success();
    assert!(server.hits().is_empty(), "no request without --external");

    let err = site.run(&["check", "--external"]).expect_failure().stderr();
    assert!(
        err.contains(&format!(
            "link to {missing} answers HTTP 404\n  --> content/a.md:5:13"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "link to {missing} answers HTTP 404\n  --> content/a.md:10:1"
        )),
        "{err}"
    );
    assert!(!err.contains(&format!("link to {ok}")), "{err}");
    assert!(err.ends_with("check failed: 2 errors\n"), "{err}");
    let gone_requests = server
        .hits()
        .iter()
        .filter(|h| h.path.contains("gone"))
        .count();
    assert!(
        gone_requests <= 2,
        "each address is fetched once (HEAD, then GET if needed): {gone_requests}"
    );
}

#[test]
fn drafts_links_are_checked_too_and_encoded_names_are_found() {
    let site = site();
    site.write_bytes(
        "content/2023/صورة الرئيس.jpg",
        &crate::harness::image_bytes("a.jpg", "president"),
    );
    site.write(
        "content/2023/other.markdown",
        &article("آخر", "2023-03-03", ""),
    );
    site.write(
        "content/2023/ok.md",
        "---\ntitle: سليم\ndate: 2023-12-13\n---\n\n![صورة](صورة%20الرئيس.jpg) [آخر](other.markdown)\n",
    );
    site.build().expect_success();
    assert!(site.exists("2023/12/13/ok/صورة الرئيس.jpg"));
    assert!(
        site.page("/2023/12/13/ok/")
            .contains("href=\"/2023/03/03/other/\"")
    );

    site.write(
        "content/2023/draft.md",
        "---\ntitle: مسودة\ndate: 2023-01-01\ndraft: true\n---\n\n[x](nope.md)\n",
    );
    let err = site.build().expect_failure().stderr();
    assert!(
        err.contains("--> content/2023/draft.md:7:1"),
        "a draft cannot hide a broken link: {err}"
    );
}

#[test]
fn a_file_beside_an_article_cannot_replace_its_page() {
    let site = SiteTest::empty();
    site.write("content/2021/b/only.md", &article("وحيد", "2021-05-05", ""));
    site.write("content/2021/b/index.html", "<h1>EVIL</h1>");
    let err = site.build().expect_failure().stderr();
    assert!(
        err.contains("this file would replace the page 2021/05/05/only/index.html"),
        "{err}"
    );
}

/// A server on 127.0.0.1 that answers requests for `/busy` with 429
/// (asking to wait a second) until it has done so `busy_times`, then 200;
/// `/closed` always with 503 asking to wait an hour. Returns its address
/// and how many requests each path got.
fn busy_server(
    busy_times: usize,
) -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut lines = BufReader::new(stream.try_clone().unwrap()).lines();
            let request = lines.next().and_then(Result::ok).unwrap_or_default();
            for line in lines.by_ref() {
                if line.map_or(true, |l| l.is_empty()) {
                    break;
                }
            }
            let path = request.split(' ').nth(1).unwrap_or("").to_owned();
            let mut log = seen.lock().unwrap();
            log.push(path.clone());
            let asked = log.iter().filter(|p| **p == path).count();
            let head = match path.as_str() {
                "/busy" if asked <= busy_times => "429 Too Many Requests\r\nRetry-After: 1",
                "/closed" => "503 Service Unavailable\r\nRetry-After: 3600",
                _ => "200 OK",
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {head}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (addr, log)
}

#[test]
fn busy_servers_are_asked_again_after_the_wait_they_ask_for() {
    let (addr, log) = busy_server(1);
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        &format!(
            "---\ntitle: أ\ndate: 2023-01-02\n---\n\n[مشغول](http://{addr}/busy)\n\n[مغلق](http://{addr}/closed)\n"
        ),
    );
    let started = std::time::Instant::now();
    let err = site.run(&["check", "--external"]).expect_failure().stderr();
    let took = started.elapsed();
    assert!(
        !err.contains("/busy"),
        "429 then 200 is a working link: {err}"
    );
    assert!(
        err.contains(&format!(
            "link to http://{addr}/closed answers HTTP 503\n  --> content/a.md:8:1"
        )),
        "{err}"
    );
    assert!(err.ends_with("check failed: 1 error\n"), "{err}");
    let log = log.lock().unwrap();
    let asked = |p: &str| log.iter().filter(|l| *l == p).count();
    assert_eq!(asked("/busy"), 2, "{log:?}");
    // An hour is longer than worth waiting: asked once, not waited for.
    assert_eq!(asked("/closed"), 1, "{log:?}");
    assert!(took < std::time::Duration::from_secs(8), "{took:?}");
}

#[test]
fn links_from_the_site_root_get_the_base_path_and_are_checked() {
    let site = crate::harness::SiteTest::empty();
    site.write_bytes(
        "static/images/map.png",
        &crate::harness::image_bytes("map.png", "map"),
    );
    site.write(
        "content/a.md",
        &crate::harness::article(
            "أ",
            "2023-09-19",
            "tags: [روسيا]\n",
        )
        .replace(
            "نص المقال.",
            "[الوسم](/tags/روسيا/) و[الخريطة](/images/map.png) و![](/images/map.png) و[اليوم](/2023/09/19) و[الموجز](/atom.xml)",
        ),
    );
    site.run(&["build", "--base-url", "https://user.github.io/archive/"])
        .expect_success();
    let page = site.page("/2023/09/19/a/");
    for href in [
        "href=\"/archive/tags/روسيا/\"",
        "href=\"/archive/images/map.png\"",
        "src=\"/archive/images/map-16w-",
        "href=\"/archive/2023/09/19\"",
        "href=\"/archive/atom.xml\"",
    ] {
        assert!(page.contains(href), "{href} in {page}");
    }

    site.write(
        "content/b.md",
        &crate::harness::article("ب", "2023-09-18", "").replace(
            "نص المقال.",
            "[قديم](/tags/غير-موجود/)\n\n[صورة](/images/missing.png)",
        ),
    );
    let run = site.run(&["check"]).expect_success();
    let err = run.stderr();
    assert!(
        err.contains("warning: link to `/tags/غير-موجود/`: the site has no page or file there"),
        "{err}"
    );
    assert!(err.contains("content/b.md:6:1"), "{err}");
    assert!(err.contains("link to `/images/missing.png`"), "{err}");
    assert!(
        run.stdout().contains("no errors, 2 warnings"),
        "{}",
        run.stdout()
    );

    // `--strict` makes them errors, for a CI that wants none.
    let strict = site.run(&["check", "--strict"]).expect_failure().stderr();
    assert!(
        strict.contains("error: link to `/tags/غير-موجود/`: the site has no page or file there"),
        "{strict}"
    );
}
