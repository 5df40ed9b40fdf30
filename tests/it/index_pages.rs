//! Home, taxonomy, term and date pages, feeds and the sitemap.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::harness::{SiteTest, article};
use crate::links::crawl;

/// The minimal fixture plus enough articles to paginate (per_page is 2).
fn paginated_site() -> SiteTest {
    let site = SiteTest::fixture("minimal");
    for i in 1..=4 {
        site.write(
            &format!("content/2023/r{i}.md"),
            &article(
                &format!("خبر روسي {i}"),
                &format!("2023-09-0{i}T10:00:00+03:00"),
                "tags: [روسيا]\nsource: رويترز\n",
            ),
        );
    }
    site.build().expect_success();
    site
}

fn html_pages(site: &SiteTest) -> BTreeSet<String> {
    walkdir::WalkDir::new(site.public())
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(site.public())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn exactly_the_expected_pages() {
    let site = paginated_site();
    let expected: BTreeSet<String> = [
        // 7 articles (the draft is left out)
        "2023/10/21/gaza-aid/index.html",
        "2023/09/19/putin-beijing-visit/index.html",
        "2023/09/01/r1/index.html",
        "2023/09/02/r2/index.html",
        "2023/09/03/r3/index.html",
        "2023/09/04/r4/index.html",
        "2022/09/09/g20/index.html",
        // home: 7 articles at 2 a page
        "index.html",
        "page/2/index.html",
        "page/3/index.html",
        "page/4/index.html",
        // taxonomy lists: by count, by name, and by initial letter (after ال)
        "tags/index.html",
        "tags/by-name/index.html",
        "tags/by-letter/ا/index.html",
        "tags/by-letter/ر/index.html",
        "tags/by-letter/ص/index.html",
        "tags/by-letter/م/index.html",
        "authors/index.html",
        "authors/by-name/index.html",
        "authors/by-letter/ا/index.html",
        "authors/by-letter/س/index.html",
        "authors/by-letter/ه/index.html",
        "sources/index.html",
        "sources/by-name/index.html",
        "sources/by-letter/ر/index.html",
        "sources/by-letter/و/index.html",
        // tags: روسيا has 5 articles → 3 pages; الاقتصاد/الاقتِصاد merge into one
        "tags/روسيا/index.html",
        "tags/روسيا/page/2/index.html",
        "tags/روسيا/page/3/index.html",
        "tags/الصين/index.html",
        "tags/منتدى-الحزام-والطريق/index.html",
        "tags/المساعدات/index.html",
        "tags/الاقتصاد/index.html",
        "tags/مجموعة-العشرين/index.html",
        "authors/هوين-لو/index.html",
        "authors/سارة-المصري/index.html",
        "authors/أحمد-العلي/index.html",
        "sources/رويترز/index.html",
        "sources/رويترز/page/2/index.html",
        "sources/رويترز/page/3/index.html",
        "sources/وكالة-فرانس-برس/index.html",
        // date archives
        "2023/index.html",
        "2023/page/2/index.html",
        "2023/page/3/index.html",
        "2023/10/index.html",
        "2023/10/21/index.html",
        "2023/09/index.html",
        "2023/09/page/2/index.html",
        "2023/09/page/3/index.html",
        "2023/09/19/index.html",
        "2023/09/01/index.html",
        "2023/09/02/index.html",
        "2023/09/03/index.html",
        "2023/09/04/index.html",
        "2022/index.html",
        "2022/09/index.html",
        "2022/09/09/index.html",
        "archive/index.html",
        "404.html",
        "search/index.html",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let got = html_pages(&site);
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:#?}\nextra {extra:#?}"
    );
    for feed in [
        "atom.xml",
        "tags/روسيا/atom.xml",
        "authors/هوين-لو/atom.xml",
        "sources/رويترز/atom.xml",
    ] {
        assert!(site.exists(feed), "{feed}");
    }
    assert!(
        !site.exists("tags/روسيا/page/1/index.html"),
        "page 1 lives at the bare URL only"
    );
}

#[test]
fn term_variants_merge_under_the_most_frequent_spelling() {
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        &article("أ", "2023-01-01", "tags: [الاقتصاد]\n"),
    );
    site.write(
        "content/b.md",
        &article("ب", "2023-01-02", "tags: [الاقتِصاد]\n"),
    );
    site.write(
        "content/c.md",
        &article("ج", "2023-01-03", "tags: ['  الاقتـصاد ']\n"),
    );
    site.write(
        "content/d.md",
        &article("د", "2023-01-04", "tags: [الاقتصاد]\n"),
    );
    site.write(
        "content/e.md",
        &article(
            "هـ",
            "2023-01-05",
            "tags: [\"ا\u{0644}\u{0627}\u{0642}\u{062A}\u{0635}\u{0627}\u{062F}\"]\n",
        ),
    );
    site.build().expect_success();
    let term = site.page("/tags/الاقتصاد/");
    for title in ["أ", "ب", "ج", "د", "هـ"] {
        assert!(
            term.contains(&format!("\">{title}</a></h2>")),
            "{title} missing from the merged term page"
        );
    }
    let list = site.page("/tags/");
    assert_eq!(list.matches("class=\"count\"").count(), 1, "{list}");
    assert!(
        list.contains("<bdi>الاقتصاد</bdi></a> <span class=\"count\" title=\"5 مقالات\">5</span>"),
        "{list}"
    );
    // Every article links to the one merged page.
    assert!(
        site.page("/2023/01/02/b/")
            .contains("href=\"/tags/الاقتصاد/\"")
    );
}

#[test]
fn names_differing_in_case_and_mark_order_are_one_term() {
    let site = SiteTest::empty();
    // Capital dotted I with a ring below; the small i with the ring and
    // the dot typed in the other order. The same letters to a reader.
    site.write(
        "content/a.md",
        &article("أ", "2023-01-01", "tags: [\"\u{130}\u{339}stanbul\"]\n"),
    );
    site.write(
        "content/b.md",
        &article("ب", "2023-01-02", "tags: [\"i\u{339}\u{307}stanbul\"]\n"),
    );
    site.write(
        "content/c.md",
        &article("ج", "2023-01-03", "tags: [Straße]\n"),
    );
    site.write(
        "content/d.md",
        &article("د", "2023-01-04", "tags: [STRASSE]\n"),
    );
    site.build().expect_success();
    let list = site.page("/tags/");
    assert_eq!(list.matches("class=\"count\"").count(), 2, "{list}");
    let term = site.page("/tags/i\u{339}\u{307}stanbul/");
    for title in ["أ", "ب"] {
        assert!(term.contains(&format!("\">{title}</a></h2>")), "{term}");
    }
    let term = site.page("/tags/strasse/");
    for title in ["ج", "د"] {
        assert!(term.contains(&format!("\">{title}</a></h2>")), "{term}");
    }
}

#[test]
fn clashing_term_slugs_are_an_error_naming_both() {
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        &article("أ", "2023-01-01", "tags: [روسيا]\n"),
    );
    site.write(
        "content/b.md",
        &article("ب", "2023-01-02", "tags: ['روسيا!']\n"),
    );
    let err = site.build().expect_failure().stderr();
    assert!(err.contains("`روسيا` (content/a.md) and `روسيا!` (content/b.md) are different tags but both would be at /tags/روسيا/"), "{err}");
    assert!(
        err.contains("--> content/a.md:4:7") && err.contains("--> content/b.md:4:7"),
        "{err}"
    );
}

#[test]
fn lists_are_ordered_and_sorted() {
    let site = paginated_site();
    let home = site.page("/");
    let a = home.find("وصول قافلة مساعدات جديدة").unwrap();
    let b = home.find("بوتين يزور بكين").unwrap();
    assert!(a < b, "newest first");
    assert!(home.contains(r#"<a class="pager-next" rel="next" href="/archive/page/2/">"#));
    assert!(!home.contains("rel=\"prev\""));
    let last = site.page("/page/4/");
    assert!(
        last.contains("قمة G20")
            && !last.contains("rel=\"next\"")
            && last.contains(r#"rel="prev" href="/archive/page/3/""#)
    );

    // Most articles first, then alphabetical ignoring hamza seats.
    let tags = site.page("/tags/");
    let order: Vec<usize> = [
        "روسيا",
        "الاقتصاد",
        "الصين",
        "المساعدات",
        "مجموعة العشرين",
        "منتدى الحزام والطريق",
    ]
    .iter()
    .map(|t| {
        tags.find(&format!("<bdi>{t}</bdi>"))
            .unwrap_or_else(|| panic!("{t}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");

    let year = site.page("/2023/");
    assert!(
        year.contains(
            r#"<a href="/archive/2023/09/">سبتمبر/أيلول 2023</a> <span class="count">5</span>"#
        ),
        "{year}"
    );
    assert!(year.contains(
        r#"<a href="/archive/2023/10/">أكتوبر/تشرين الأول 2023</a> <span class="count">1</span>"#
    ));
    let month = site.page("/2023/09/");
    assert!(month.contains(r#"<a href="/archive/2023/09/19/">19 سبتمبر/أيلول 2023</a> <span class="count">1</span>"#), "{month}");
    let archive = site.page("/archive/");
    assert!(
        archive.find("/archive/2023/\">2023").unwrap()
            < archive.find("/archive/2022/\">2022").unwrap()
    );
}

#[test]
fn every_list_shows_the_item_template_of_each_article() {
    let site = paginated_site();
    site.write(
        "templates/item.html",
        "<li class=\"mine\">{{ article.title }} · {{ site.title }} · {{ t.feed }}</li>\n",
    );
    site.build().expect_success();
    for url in [
        "/",
        "/page/2/",
        "/tags/روسيا/",
        "/sources/رويترز/",
        "/2023/",
        "/2023/09/",
        "/2023/09/03/",
    ] {
        let html = site.page(url);
        let list = html
            .split_once("<ol class=\"article-list\">")
            .and_then(|(_, rest)| rest.split_once("</ol>"))
            .map(|(list, _)| list)
            .unwrap_or_else(|| panic!("{url}: {html}"));
        let items = list.matches("<li class=\"mine\">").count();
        assert!(
            items > 0 && items == list.matches("<li").count(),
            "{url}: {list}"
        );
    }
    let day = site.page("/2023/09/03/");
    assert!(day.contains("<li class=\"mine\">خبر روسي 3 · "), "{day}");
    // Escaped as any value printed by a template.
    site.write(
        "content/2023/r1.md",
        &article("أ <b>&</b>", "2023-09-01T10:00:00+03:00", "tags: [روسيا]\n"),
    );
    site.build().expect_success();
    assert!(
        site.page("/2023/09/01/")
            .contains("<li class=\"mine\">أ &lt;b&gt;&amp;&lt;/b&gt; · ")
    );
}

#[test]
fn an_item_template_sees_only_its_article_and_says_so() {
    let site = paginated_site();
    site.write("templates/item.html", "<li>\n{{ page.kind }}</li>");
    let err = site.build().expect_failure().stderr();
    assert!(err.contains("--> templates/item.html:2:"), "{err}");
    assert_eq!(
        err.matches("--> templates/item.html").count(),
        1,
        "one report:\n{err}"
    );
}

#[test]
fn article_navigation_and_related() {
    let site = paginated_site();
    let html = site.page("/2023/09/03/r3/");
    assert!(
        html.contains(r#"rel="next" href="/archive/2023/09/04/r4/""#),
        "{html}"
    );
    assert!(html.contains(r#"rel="prev" href="/archive/2023/09/02/r2/""#));
    let related = &html[html.find("class=\"related\"").unwrap()..];
    // Shares روسيا with r1, r2, r4 and putin; nearest in time first, the
    // newer of two equally near first.
    let order: Vec<usize> = [
        "/2023/09/04/r4/",
        "/2023/09/02/r2/",
        "/2023/09/01/r1/",
        "/2023/09/19/putin-beijing-visit/",
    ]
    .iter()
    .map(|u| {
        related
            .find(&format!("href=\"/archive{u}\""))
            .unwrap_or_else(|| panic!("{u}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    let oldest = site.page("/2022/09/09/g20/");
    assert!(!oldest.contains("rel=\"prev\""));
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name((ATOM, name)))
}

#[test]
fn feeds_are_valid_atom() {
    let site = paginated_site();
    for feed in ["atom.xml", "tags/روسيا/atom.xml", "sources/رويترز/atom.xml"] {
        let text = std::fs::read_to_string(site.public().join(feed)).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let root = doc.root_element();
        let atom = ATOM;
        assert_eq!(root.tag_name().namespace(), Some(atom));
        assert_eq!(
            root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
            Some("ar")
        );
        for required in ["id", "title", "updated", "author"] {
            assert!(child(root, required).is_some(), "{feed} has no {required}");
        }
        let self_link = root
            .children()
            .find(|c| c.has_tag_name((atom, "link")) && c.attribute("rel") == Some("self"));
        assert!(
            self_link.unwrap().attribute("href").unwrap().ends_with(
                &feed
                    .replace("روسيا", "%D8%B1%D9%88%D8%B3%D9%8A%D8%A7")
                    .replace("رويترز", "%D8%B1%D9%88%D9%8A%D8%AA%D8%B1%D8%B2")
            )
        );
        let entries: Vec<_> = root
            .children()
            .filter(|c| c.has_tag_name((atom, "entry")))
            .collect();
        assert!(!entries.is_empty());
        let mut ids = BTreeSet::new();
        let mut last = None;
        for e in &entries {
            let id = child(*e, "id").unwrap().text().unwrap();
            assert!(id.starts_with("https://example.github.io/archive/"), "{id}");
            assert!(ids.insert(id.to_owned()), "duplicate id {id}");
            for required in ["title", "updated", "published", "link", "summary"] {
                assert!(
                    child(*e, required).is_some(),
                    "{feed}: entry without {required}"
                );
            }
            assert_eq!(
                child(*e, "content").is_some(),
                feed == "atom.xml",
                "{feed}: full text only in the site feed"
            );
            let updated = chrono::DateTime::parse_from_rfc3339(
                child(*e, "published").unwrap().text().unwrap(),
            )
            .unwrap();
            assert!(last.is_none_or(|l| l >= updated), "newest first");
            last = Some(updated);
        }
    }
    let site_feed = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    assert!(
        site_feed.contains("<updated>2023-10-21T00:00:00+03:00</updated>"),
        "updated comes from content"
    );
    assert!(site_feed.contains("<author><name>سارة المصري</name></author>"));
}

#[test]
fn feed_length_follows_site_yaml() {
    let site = paginated_site();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let entries = |path: &str| {
        std::fs::read_to_string(site.public().join(path))
            .unwrap()
            .matches("<entry")
            .count()
    };
    // Term feeds hold 20 entries unless told otherwise.
    for i in 5..=25 {
        site.write(
            &format!("content/2023/more{i}.md"),
            &article(
                &format!("خبر آخر {i}"),
                &format!("2023-08-{i:02}"),
                "tags: [روسيا]\n",
            ),
        );
    }
    site.build().expect_success();
    assert_eq!(entries("tags/روسيا/atom.xml"), 20);
    site.write(
        "site.yaml",
        &format!("{yaml}feed: {{entries: 3, term_entries: 2}}\n"),
    );
    site.build().expect_success();
    assert_eq!(entries("atom.xml"), 3);
    assert_eq!(entries("tags/روسيا/atom.xml"), 2);
    site.write("site.yaml", &format!("{yaml}feed: {{entries: 3}}\n"));
    site.build().expect_success();
    assert_eq!(entries("atom.xml"), 3);
    assert_eq!(entries("tags/روسيا/atom.xml"), 20);
}

#[test]
fn sitemap_lists_every_page_once_and_robots_points_to_it() {
    let site = paginated_site();
    let text = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_owned())
        .collect();
    let unique: BTreeSet<_> = locs.iter().cloned().collect();
    assert_eq!(unique.len(), locs.len(), "a URL is listed twice");
    for loc in &locs {
        assert!(loc.is_ascii(), "{loc} is not percent-encoded");
    }
    // The search page shows nothing until a reader asks: not for crawlers.
    let mut expected: BTreeSet<String> = html_pages(&site)
        .into_iter()
        .filter(|p| p != "404.html" && p != "search/index.html")
        .map(|p| {
            let dir = p.trim_end_matches("index.html");
            let encoded: String =
                percent_encoding::utf8_percent_encode(dir, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
                    .replace("%2F", "/")
                    .replace("%2D", "-");
            format!("https://example.github.io/archive/{encoded}")
        })
        .collect();
    let got: BTreeSet<String> = unique;
    assert_eq!(got.len(), expected.len());
    expected.retain(|e| !got.contains(e));
    assert!(expected.is_empty(), "not in the sitemap: {expected:#?}");
    assert!(
        text.contains("<lastmod>2023-09-20T09:00:00+03:00</lastmod>"),
        "lastmod from `updated`"
    );
    let robots = std::fs::read_to_string(site.public().join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.github.io/archive/sitemap.xml"));
}

#[test]
fn every_link_resolves_under_the_base_path() {
    let site = paginated_site();
    let crawl = crawl(&site.public(), "/archive/");
    assert!(
        crawl.broken.is_empty(),
        "broken links:\n{}",
        crawl.broken.join("\n")
    );
    let all: BTreeSet<PathBuf> = html_pages(&site)
        .into_iter()
        .filter(|p| p != "404.html")
        .map(|p| site.public().join(p))
        .collect();
    let unreached: Vec<_> = all.difference(&crawl.reached).collect();
    assert!(
        unreached.is_empty(),
        "not reachable from the home page: {unreached:#?}"
    );
}

#[test]
fn empty_site_still_has_its_pages() {
    let site = SiteTest::empty();
    site.build().expect_success();
    for page in [
        "index.html",
        "tags/index.html",
        "archive/index.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(site.exists(page), "{page}");
    }
    assert!(site.page("/").contains("class=\"empty\""));
    roxmltree::Document::parse(&std::fs::read_to_string(site.public().join("atom.xml")).unwrap())
        .unwrap();
}

#[test]
fn taxonomies_can_be_chosen() {
    let site = SiteTest::fixture("minimal");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}taxonomies: [tags]\n"));
    site.build().expect_success();
    assert!(site.exists("tags/index.html"));
    assert!(!site.exists("authors") && !site.exists("sources"));
    let crawl = crawl(&site.public(), "/archive/");
    assert!(crawl.broken.is_empty(), "{:#?}", crawl.broken);
}

#[test]
fn an_article_with_many_tags_does_not_make_the_site_grow_with_their_square() {
    let site = SiteTest::empty();
    let tags: Vec<String> = (0..300).map(|i| format!("وسم {i}")).collect();
    site.write(
        "content/many.md",
        &article(
            "كثير",
            "2023-01-02",
            &format!(
                "tags: [{}]\nauthor: [{}]\n",
                tags.join(", "),
                tags[..7].join(", ")
            ),
        ),
    );
    site.write(
        "content/few.md",
        &article("قليل", "2023-01-03", "tags: [وسم 1]\n"),
    );
    let run = site.build().expect_success();
    let _ = run;

    // The item on every tag page shows its first tag alone, as a kicker.
    let term = site.page("/tags/وسم-299/");
    let item = term
        .split_once("<li class=\"item\">")
        .and_then(|(_, rest)| rest.split_once("</article>"))
        .map(|(item, _)| item)
        .unwrap_or_else(|| panic!("{term}"));
    assert!(
        item.contains(&format!(
            "<p class=\"kicker\"><a href=\"/tags/{}/\"><bdi>{}</bdi></a></p>",
            tags[0].replace(' ', "-"),
            tags[0]
        )),
        "{item}"
    );
    assert_eq!(item.matches("/tags/").count(), 1, "{item}");
    assert!(item.contains(">+2</a></span>"), "two more authors: {item}");
    // The article's own page still names every tag.
    assert_eq!(
        site.page("/2023/01/02/many/")
            .matches("rel=\"tag\"")
            .count(),
        300
    );
    // A term feed names at most ten of the entry's tags.
    let feed = std::fs::read_to_string(site.public().join("tags/وسم-299/atom.xml")).unwrap();
    assert_eq!(feed.matches("<category ").count(), 10, "{feed}");
    // 300 tag pages of a few kilobytes each, not of 300 tags each.
    let tag_bytes: u64 = walkdir::WalkDir::new(site.public().join("tags"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len())
        .sum();
    assert!(tag_bytes < 5_000_000, "{tag_bytes} bytes of tag pages");
}

#[test]
fn more_than_a_hundred_terms_on_one_article_is_a_warning() {
    let site = SiteTest::empty();
    let tags: Vec<String> = (0..150).map(|i| format!("t{i}")).collect();
    site.write(
        "content/many.md",
        &article(
            "كثير",
            "2023-01-02",
            &format!("tags: [{}]\n", tags.join(", ")),
        ),
    );
    site.write(
        "content/few.md",
        &article("قليل", "2023-01-03", "tags: [t1]\n"),
    );
    let run = site.run(&["check"]).expect_success();
    let err = run.stderr();
    assert!(
        err.contains("warning: this article has 150 tags; the page of each lists it")
            && err.contains("  --> content/many.md:4:7\n")
            && err.contains("help: keep to the tags that matter (at most 100)"),
        "{err}"
    );
    assert!(!err.contains("few.md"), "{err}");
}

#[test]
fn a_site_with_500_tags_has_paginated_lists_indexed_by_letter() {
    let site = SiteTest::empty();
    let letters = ["أ", "ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر"];
    for i in 0..250 {
        // Two tags each: 500 tags over ten initials, with and without ال.
        let a = format!("{}وسم{i}", letters[i % 10]);
        let b = format!("ال{}عنوان{i}", letters[(i + 3) % 10]);
        site.write(
            &format!("content/a{i}.md"),
            &crate::harness::article(
                &format!("خبر {i}"),
                "2023-09-19",
                &format!("tags: [\"{a}\", \"{b}\"]\n"),
            ),
        );
    }
    site.build().expect_success();
    // 500 tags at 120 a page.
    for page in [
        "tags/",
        "tags/page/2/",
        "tags/page/5/",
        "tags/by-name/page/5/",
    ] {
        assert!(site.exists(&format!("{page}index.html")), "{page}");
    }
    assert!(!site.exists("tags/page/6/index.html"));
    let first = site.page("/tags/");
    assert!(
        first.len() < 60_000,
        "a page of 120 tags is {} bytes",
        first.len()
    );
    let list = first.split("<ul class=\"term-list\">").nth(1).unwrap();
    let list = list.split("</ul>").next().unwrap();
    assert_eq!(list.matches("<li>").count(), 120);
    assert!(first.contains("<nav class=\"letters\""), "{first}");
    // Hamza forms under ا; ال does not count.
    let bar: Vec<&str> = first
        .split("<nav class=\"letters\"")
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap()
        .split("\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().trim())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        bar,
        ["ا", "ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر"],
        "{first}"
    );
    let alef = site.page("/tags/by-letter/ا/");
    assert!(
        alef.contains("<bdi>أوسم0</bdi>") && alef.contains("<bdi>الأعنوان7</bdi>"),
        "{alef}"
    );
    assert!(!alef.contains("<bdi>بوسم1</bdi>"));
    assert!(alef.contains("aria-current=\"page\">ا</a>"), "{alef}");
    let by_name = site.page("/tags/by-name/");
    let a = by_name.find("<bdi>أوسم0</bdi>").unwrap();
    let b = by_name.find("<bdi>بوسم1</bdi>").unwrap();
    assert!(a < b, "alphabetical");
}

#[test]
fn spellings_of_a_source_or_author_land_on_one_page_with_its_profile() {
    let site = SiteTest::empty();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!(
            "{yaml}sources:\n  أسوشيتد برس:\n    spellings: [Associated Press, AP]\n    description: وكالة أنباء أمريكية.\n    photo: /images/ap.png\n    links: [https://apnews.com/]\nauthors:\n  هوين لو: [Huyen Lo]\n"
        ),
    );
    site.write_bytes("static/images/ap.png", b"PNG");
    for (i, (source, author)) in [
        ("Associated Press", "Huyen Lo"),
        ("أسوشيتد برس", "هوين لو"),
        ("AP", "هوين لو"),
    ]
    .iter()
    .enumerate()
    {
        site.write(
            &format!("content/a{i}.md"),
            &crate::harness::article(
                &format!("خبر {i}"),
                &format!("2023-09-1{i}"),
                &format!("source: {source}\nauthor: {author}\n"),
            ),
        );
    }
    site.build().expect_success();
    assert!(!site.exists("sources/associated-press/index.html"));
    assert!(!site.exists("sources/ap/index.html"));
    let page = site.page("/sources/أسوشيتد-برس/");
    assert!(page.contains("<bdi>أسوشيتد برس</bdi>"), "{page}");
    assert!(page.contains("3 مقالات"), "{page}");
    assert!(
        page.contains("<p class=\"term-description\">وكالة أنباء أمريكية.</p>"),
        "{page}"
    );
    assert!(
        page.contains("src=\"/images/ap.png\"") && page.contains("href=\"https://apnews.com/\"")
    );
    assert!(site.page("/authors/هوين-لو/").contains("3 مقالات"));
    // Articles show the chosen name, whatever they wrote.
    let article = site.page("/2023/09/10/a0/");
    assert!(
        article.contains("<bdi>أسوشيتد برس</bdi>") && article.contains("<bdi>هوين لو</bdi>"),
        "{article}"
    );

    site.write(
        "site.yaml",
        &format!("{yaml}sources:\n  أ: [Reuters]\n  ب: [reuters]\n"),
    );
    let err = site.build().expect_failure().stderr();
    assert!(
        err.contains("site.yaml") && err.contains("spelling of both `أ` and `ب`"),
        "{err}"
    );
}

#[test]
fn a_list_of_terms_in_the_sitemap_changed_when_its_terms_last_did() {
    let site = SiteTest::fixture("minimal");
    for path in [
        "2022/g20.md",
        "2023/gaza-aid.md",
        "2023/draft-note.md",
        "2023/putin-beijing.md",
    ] {
        site.remove(&format!("content/{path}"));
    }
    let articles = [
        (
            "a1",
            "2023-01-01T10:00:00+03:00",
            "updated: 2024-05-05T08:00:00+03:00\n",
        ),
        ("a2", "2023-06-01T10:00:00+03:00", "source: أسوشيتد برس\n"),
        ("a3", "2023-07-01T10:00:00+03:00", "source: رويترز\n"),
        ("a4", "2023-02-01T10:00:00+03:00", "source: رويترز\n"),
    ];
    for (name, date, extra) in articles {
        let path = format!("content/2023/{name}.md");
        site.write(&path, &article(name, date, extra));
    }
    site.build().expect_success();
    let text = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let lastmod = |path: &str| -> String {
        let url = doc
            .descendants()
            .filter(|n| n.has_tag_name("url"))
            .find(|u| {
                let loc = u.children().find(|n| n.has_tag_name("loc")).unwrap();
                let loc = percent_encoding::percent_decode_str(loc.text().unwrap());
                loc.decode_utf8().unwrap() == format!("https://example.github.io/archive/{path}")
            })
            .unwrap_or_else(|| panic!("{path} is not in the sitemap:\n{text}"));
        let lastmod = url.children().find(|n| n.has_tag_name("lastmod"));
        lastmod.unwrap().text().unwrap().to_owned()
    };
    assert_eq!(
        lastmod("archive/"),
        "2024-05-05T08:00:00+03:00",
        "the site's last change"
    );
    assert_eq!(lastmod("sources/"), "2023-07-01T10:00:00+03:00");
    assert_eq!(lastmod("sources/by-letter/ا/"), "2023-06-01T10:00:00+03:00");
    assert_eq!(lastmod("sources/by-letter/ر/"), "2023-07-01T10:00:00+03:00");
}
