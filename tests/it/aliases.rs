//! Old addresses kept: `aliases:` makes a page at each that sends readers
//! to the article, under the site's base path.

use crate::harness::{SiteTest, article};
use crate::server::{StaticServer, fetch};

fn site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "content/2023/putin.md",
        &article(
            "بوتين في بكين",
            "2023-09-19",
            "aliases: [/2016/05/old-slug/, \"https://old.example.org/%D8%A8%D9%88%D8%AA%D9%8A%D9%86.html\", /news/1234]\n",
        ),
    );
    site.write(
        "content/2023/other.md",
        &article("خبر آخر", "2023-09-18", ""),
    );
    site
}

#[test]
fn an_old_address_sends_the_browser_to_the_article_under_the_base_path() {
    let site = site();
    site.run(&["build", "--base-url", "https://user.github.io/archive/"])
        .expect_success();
    let public = site.public();
    let server = StaticServer::start(&public, "/archive/");
    let new = "/archive/2023/09/19/putin/";
    for old in [
        "/archive/2016/05/old-slug/",
        "/archive/%D8%A8%D9%88%D8%AA%D9%8A%D9%86.html",
        "/archive/news/1234/",
    ] {
        let (status, _, body) = fetch(server.addr(), "GET", old);
        assert_eq!(status, 200, "{old}");
        let body = String::from_utf8(body).unwrap();
        assert!(
            body.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={new}\">"
            )),
            "{old}: {body}"
        );
        assert!(body.contains(&format!(
            "<link rel=\"canonical\" href=\"https://user.github.io{new}\">"
        )));
        assert!(body.contains(&format!("<a href=\"{new}\">بوتين في بكين</a>")));
        assert!(body.contains("<title>بوتين في بكين</title>") && body.contains("noindex"));
        let (status, _, _) = fetch(server.addr(), "GET", new);
        assert_eq!(status, 200);
    }
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("2023/09/19/putin/"));
    assert!(
        !sitemap.contains("old-slug") && !sitemap.contains("1234"),
        "old addresses are not in the sitemap"
    );
}

#[test]
fn an_alias_that_is_another_page_is_an_error_naming_both() {
    let site = site();
    site.write(
        "content/2023/other.md",
        &article(
            "خبر آخر",
            "2023-09-18",
            "aliases: [/2023/09/19/putin/, /2023/09/18/other/, \"/x?p=1\"]\n",
        ),
    );
    let err = site.build().expect_failure().stderr();
    assert!(
        err.contains(
            "the alias /2023/09/19/putin/ is also the address of the article content/2023/putin.md"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/2023/other.md:4:10"),
        "at the aliases line: {err}"
    );
    assert!(err.contains("has a query or fragment"), "{err}");
    assert!(
        err.contains("warning: the alias /2023/09/18/other/ is the article's own address"),
        "{err}"
    );
}
