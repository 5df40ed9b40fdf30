//! The article page: content, metadata and escaping.

use crate::harness::{SiteTest, article};

const PUTIN: &str = "/2023/09/19/putin-beijing-visit/";

#[test]
fn article_page_shows_everything_the_front_matter_says() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    let html = site.page(PUTIN);

    assert!(
        html.starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">"),
        "{html}"
    );
    assert!(html.contains("<h1 class=\"article-title\">بوتين يزور بكين الشهر المقبل</h1>"));
    assert!(html.contains(
        "<time datetime=\"2023-09-19T14:30:00+03:00\">الثلاثاء، 19 سبتمبر/أيلول 2023، الساعة 14:30</time>"
    ));
    assert!(html.contains(
        "<time datetime=\"2023-09-20T09:00:00+03:00\">20 سبتمبر/أيلول 2023، الساعة 09:00</time>"
    ));
    // Authors, source and tags link to their pages under the base path.
    assert!(
        html.contains(r#"<a href="/archive/authors/هوين-لو/"><bdi>هوين لو</bdi></a>"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/archive/sources/رويترز/"><bdi>رويترز</bdi>"#));
    assert!(
        html.contains(
            r#"href="https://www.reuters.com/world/putin-beijing" rel="external noopener""#
        )
    );
    assert!(html.contains(r#"<a href="/archive/tags/منتدى-الحزام-والطريق/" rel="tag"><bdi>منتدى الحزام والطريق</bdi></a>"#));
    // The image sits next to the page, with caption and credit.
    assert!(html.contains(r#"<img src="/archive/2023/09/19/putin-beijing-visit/putin-96w-"#));
    assert!(html.contains(r#"width="96" height="54" alt="الرئيس الروسي في سانت بطرسبرغ""#));
    assert!(html.contains("<span class=\"credit\">تصوير: <bdi>وكالة فرانس برس</bdi></span>"));
    assert!(site.exists("2023/09/19/putin-beijing-visit/putin.jpg"));
    // Markdown features.
    assert!(html.contains("<h2 id=\"خلفية-الزيارة\">خلفية الزيارة</h2>"));
    assert!(html.contains("<table>") && html.contains("<del>في عام 2019</del>"));
    assert!(
        html.contains("footnote-definition")
            && html.contains("لحضور افتتاح الألعاب الأولمبية الشتوية")
    );
}

#[test]
fn summary_feeds_description_open_graph_and_json_ld() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    let html = site.page(PUTIN);
    let summary = "من المقرر أن يزور الرئيس الروسي فلاديمير بوتين بكين الشهر المقبل لإجراء محادثات مع الرئيس الصيني.";
    assert!(
        html.contains(&format!(
            "<meta name=\"description\" content=\"{summary}\">"
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        "<meta property=\"og:description\" content=\"{summary}\">"
    )));
    assert!(html.contains("<meta property=\"og:url\" content=\"https://example.github.io/archive/2023/09/19/putin-beijing-visit/\">"));
    assert!(html.contains("<meta property=\"og:image\" content=\"https://example.github.io/archive/2023/09/19/putin-beijing-visit/putin.jpg\">"));
    assert!(html.contains("<link rel=\"canonical\" href=\"https://example.github.io/archive/2023/09/19/putin-beijing-visit/\">"));

    let ld = json_ld(&html);
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "بوتين يزور بكين الشهر المقبل");
    assert_eq!(ld["datePublished"], "2023-09-19T14:30:00+03:00");
    assert_eq!(ld["dateModified"], "2023-09-20T09:00:00+03:00");
    assert_eq!(ld["author"][0]["name"], "هوين لو");
    // The description is in the head's meta tags; JSON-LD repeats none of it.
    assert!(ld.get("description").is_none(), "{ld}");
    assert_eq!(ld["publisher"]["name"], "أرشيف الاختبار");
}

fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD block")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("valid JSON-LD")
}

#[test]
fn hostile_front_matter_is_text_everywhere() {
    let site = SiteTest::empty();
    let title = r#"'<script>alert(1)</script> "اقتباس" {{ site.title }} & </title>'"#;
    site.write(
        "content/2023/x.md",
        &format!(
            "---\ntitle: {title}\ndate: 2023-01-02\nauthor: '<img src=x onerror=alert(1)>'\nsource: '\"><b>ر</b>'\ntags: ['<i>وسم</i>']\n\
             summary: '</script><script>alert(2)</script>'\nimage: {{src: 'https://cdn.example.org/a.jpg\" onload=\"x', caption: '<u>c</u>'}}\n---\n\nنص.\n"
        ),
    );
    site.build().expect_success();
    let html = site.page("/2023/01/02/x/");
    for bad in [
        "<script>alert",
        "<img src=x",
        "<b>ر</b>",
        "<i>وسم</i>",
        "<u>c</u>",
        "\" onload=\"",
        "</title>'",
    ] {
        assert!(!html.contains(bad), "{bad} appears unescaped in:\n{html}");
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("{{ site.title }}"),
        "template syntax in content must not be evaluated"
    );
    let ld = json_ld(&html);
    assert_eq!(ld["headline"], title.trim_matches('\''));
    let home = site.page("/");
    assert!(!home.contains("<script>alert") && home.contains("{{ site.title }}"));
}

#[test]
fn raw_html_is_sanitised_by_default_and_configurable() {
    let site = SiteTest::empty();
    let body = "<p onclick=\"steal()\"><b>غامق</b></p>\n\n<script>alert(1)</script>\n\n[رابط](javascript:alert(1))\n";
    site.write(
        "content/a.md",
        &format!("---\ntitle: أ\ndate: 2023-01-02\n---\n\n{body}"),
    );
    site.build().expect_success();
    let html = site.page("/2023/01/02/a/");
    assert!(html.contains("<b>غامق</b>"), "{html}");
    assert!(
        !html.contains("onclick")
            && !html.contains("<script>alert")
            && !html.contains("javascript:"),
        "{html}"
    );

    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.org/\nraw_html: escape\n",
    );
    site.build().expect_success();
    let html = site.page("/2023/01/02/a/");
    assert!(
        html.contains("&lt;b&gt;غامق&lt;/b&gt;") && !html.contains("<b>"),
        "{html}"
    );

    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.org/\nraw_html: allow\n",
    );
    site.build().expect_success();
    assert!(
        site.page("/2023/01/02/a/")
            .contains("<script>alert(1)</script>")
    );
}

#[test]
fn drafts_only_with_the_flag() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    assert!(!site.exists("2023/11/01/draft-note/index.html"));
    assert!(!site.page("/").contains("مسودة"));
    site.run(&["build", "--drafts"]).expect_success();
    assert!(
        site.page("/2023/11/01/draft-note/")
            .contains("مسودة لم تنشر")
    );
}

#[test]
fn site_files_nojekyll_cname_and_static() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    assert!(site.exists(".nojekyll"));
    assert!(!site.exists("CNAME"));
    assert_eq!(
        std::fs::read_to_string(site.public().join("extra.css")).unwrap(),
        "/* site css */\n"
    );
    assert!(
        site.exists("style.css"),
        "the default theme's stylesheet is written when the site has none"
    );
    assert!(
        site.page("/")
            .contains(r#"<link rel="stylesheet" href="/archive/style.css">"#)
    );

    site.write(
        "site.yaml",
        &(std::fs::read_to_string(site.root().join("site.yaml")).unwrap()
            + "cname: archive.example.org\n"),
    );
    site.write("static/style.css", "/* mine */");
    site.build().expect_success();
    assert_eq!(
        std::fs::read_to_string(site.public().join("CNAME")).unwrap(),
        "archive.example.org\n"
    );
    assert_eq!(
        std::fs::read_to_string(site.public().join("style.css")).unwrap(),
        "/* mine */"
    );
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let site = SiteTest::fixture("minimal");
    site.run(&["build", "--base-url", "https://news.example.com/"])
        .expect_success();
    let html = site.page(PUTIN);
    assert!(html.contains(r#"<link rel="stylesheet" href="/style.css">"#));
    assert!(html.contains("content=\"https://news.example.com/2023/09/19/putin-beijing-visit/\""));
}

#[test]
fn templates_can_be_overridden_one_by_one() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block main %}<p class=\"mine\">{{ article.title }} — {{ article.date | arabic_date(format=\"month\") }}</p>{% endblock main %}",
    );
    site.build().expect_success();
    let html = site.page(PUTIN);
    assert!(
        html.contains("<p class=\"mine\">بوتين يزور بكين الشهر المقبل — سبتمبر/أيلول 2023</p>"),
        "{html}"
    );
    assert!(
        html.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "base.html still comes from the defaults"
    );
}

#[test]
fn home_lists_newest_first_and_paginates() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    let home = site.page("/");
    let newest = home.find("وصول قافلة مساعدات جديدة").unwrap();
    let older = home.find("بوتين يزور بكين").unwrap();
    assert!(newest < older);
    assert!(!home.contains("قمة G20"), "per_page is 2");
    assert!(
        home.contains(r#"<a class="pager-next" rel="next" href="/archive/page/2/">"#),
        "{home}"
    );
    let page2 = site.page("/page/2/");
    assert!(page2.contains("قمة G20") && page2.contains(r#"rel="prev" href="/archive/""#));
}

#[test]
fn summary_from_front_matter_wins() {
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        &article("أ", "2023-01-02", "summary: ملخص مكتوب\n"),
    );
    site.build().expect_success();
    assert!(
        site.page("/2023/01/02/a/")
            .contains("<meta name=\"description\" content=\"ملخص مكتوب\">")
    );
    assert!(site.page("/").contains(">ملخص مكتوب</p>"));
}

#[test]
fn bom_and_crlf_files_build() {
    let site = SiteTest::empty();
    site.write_bytes(
        "content/w.md",
        "\u{feff}---\r\ntitle: ويندوز\r\ndate: 2023-01-02\r\n---\r\n\r\nنص\r\n".as_bytes(),
    );
    site.build().expect_success();
    assert!(site.page("/2023/01/02/w/").contains("ويندوز"));
}

#[test]
fn arabic_file_names_make_arabic_slugs() {
    let site = SiteTest::empty();
    site.write(
        "content/2023/زيارة بوتين.md",
        &article("زيارة", "2023-01-02", ""),
    );
    site.build().expect_success();
    assert!(site.page("/2023/01/02/زيارة-بوتين/").contains("زيارة"));
    assert!(site.page("/").contains("href=\"/2023/01/02/زيارة-بوتين/\""));
}

#[test]
fn english_article_in_an_arabic_site() {
    let site = SiteTest::empty();
    site.write(
        "content/e.md",
        &article("Red Sea shipping", "2024-01-15", "lang: en\n"),
    );
    site.build().expect_success();
    let page = site.page("/2024/01/15/e/");
    assert!(
        page.contains(r#"<h1 class="article-title" lang="en" dir="ltr">Red Sea shipping</h1>"#),
        "{page}"
    );
    assert!(page.contains(r#"<div class="article-body" lang="en" dir="ltr">"#));
    assert!(
        page.contains(r#"<article class="article">"#),
        "the site's own words stay in the site's language"
    );
    let home = site.page("/");
    assert!(
        home.contains(r#"<h2 class="item-title" lang="en" dir="ltr">"#),
        "{home}"
    );
}

/// Every JSON-LD object of a page.
fn all_json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str(s.split("</script>").next().unwrap()).unwrap())
        .collect()
}

#[test]
fn breadcrumbs_lead_home_with_their_json_ld() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    let html = site.page(PUTIN);
    let nav = html
        .split("<nav class=\"breadcrumbs\"")
        .nth(1)
        .and_then(|n| n.split("</nav>").next())
        .unwrap_or_else(|| panic!("no breadcrumbs in {html}"));
    for link in [
        "<a href=\"/archive/\">الرئيسية</a>",
        "<a href=\"/archive/2023/\">2023</a>",
        "<a href=\"/archive/2023/09/\">سبتمبر/أيلول 2023</a>",
        "<a href=\"/archive/2023/09/19/\">19 سبتمبر/أيلول 2023</a>",
    ] {
        assert!(nav.contains(link), "{link} in {nav}");
    }
    let list = all_json_ld(&html)
        .into_iter()
        .find(|v| v["@type"] == "BreadcrumbList")
        .expect("a BreadcrumbList");
    let items = list["itemListElement"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["@type"], "ListItem");
        assert_eq!(item["position"], i + 1);
        assert!(
            item["item"].as_str().unwrap().starts_with("https://"),
            "{item}"
        );
    }
    assert_eq!(items[4]["name"], "بوتين يزور بكين الشهر المقبل");
    assert_eq!(
        items[4]["item"],
        "https://example.github.io/archive/2023/09/19/putin-beijing-visit/"
    );

    let tag = site.page("/tags/روسيا/");
    assert!(
        tag.contains("<li><a href=\"/archive/tags/\">الوسوم</a></li>"),
        "{tag}"
    );
    let home = site.page("/");
    assert!(!home.contains("class=\"breadcrumbs\"") && !home.contains("BreadcrumbList"));
}

#[test]
fn favicon_footer_and_labelled_list_meta() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    let home = site.page("/");
    assert!(
        home.contains("<link rel=\"icon\" href=\"/archive/favicon.svg\" type=\"image/svg+xml\">")
    );
    assert!(site.exists("favicon.svg"));
    let footer = home.split("<footer class=\"site-footer\">").nth(1).unwrap();
    let description = std::fs::read_to_string(site.root().join("site.yaml"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("description: ").map(str::to_owned))
        .expect("the fixture has a description");
    assert!(footer.contains(description.trim_matches('"')), "{footer}");
    // Lists say which name is the author and which the source.
    assert!(home.contains("<span class=\"authors\">بقلم <a"), "{home}");
    assert!(home.contains("<span class=\"source\">المصدر: <a"), "{home}");
}

#[test]
fn feed_summaries_keep_the_first_paragraphs_markup_after_a_cached_rebuild() {
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        &format!(
            "{}\nقال **الكرملين** إن [الزيارة](https://example.com/) مهمة.\n",
            article("أ", "2023-01-02", "")
        ),
    );
    site.write(
        "content/b.md",
        &format!(
            "{}\nنص عادي فيه < و & فقط.\n",
            article("ب", "2023-01-03", "")
        ),
    );
    site.write(
        "content/c.md",
        &article("ج", "2023-01-04", "summary: \"ملخص <مكتوب> & قصير\"\n"),
    );
    let want = [
        "&lt;p&gt;قال &lt;strong&gt;الكرملين&lt;/strong&gt; إن &lt;a href=&quot;https://example.com/&quot;&gt;الزيارة&lt;/a&gt; مهمة.&lt;/p&gt;",
        "&lt;p&gt;نص عادي فيه &amp;lt; و &amp;amp; فقط.&lt;/p&gt;",
        "&lt;p&gt;ملخص &amp;lt;مكتوب&amp;gt; &amp;amp; قصير&lt;/p&gt;",
    ];
    site.build().expect_success();
    let feed = site.page("/atom.xml");
    for summary in want {
        assert!(feed.contains(summary), "{summary} in {feed}");
    }
    // The articles come back from the build cache: their summaries too.
    site.write("content/d.md", &article("د", "2023-01-05", ""));
    let run = site.build().expect_success();
    assert!(run.stdout().contains("rendered anew"), "{}", run.stdout());
    let feed = site.page("/atom.xml");
    for summary in want {
        assert!(
            feed.contains(summary),
            "{summary} after a rebuild in {feed}"
        );
    }
}
