//! `arshif import jekyll|hugo|zola|markdown|wordpress`: other generators'
//! sites and WordPress exports, written here as small trees, become
//! articles that build with no errors, keep their tags, images and files,
//! and redirect from their old addresses.

use std::path::Path;

use crate::harness::{Run, SiteTest};

/// Writes files under `dir`.
/// Writes `files` under `dir`; an image's text is the seed of a real one.
fn tree(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if crate::harness::is_image(rel) {
            std::fs::write(path, crate::harness::image_bytes(rel, text)).unwrap();
        } else {
            std::fs::write(path, text).unwrap();
        }
    }
}

fn import(site: &SiteTest, format: &str, source: &Path, more: &[&str]) -> Run {
    let mut args = vec!["import", format, source.to_str().unwrap()];
    args.extend(more);
    site.run(&args)
}

/// Builds with drafts left out and asserts no errors were reported.
#[track_caller]
fn builds_cleanly(site: &SiteTest) -> Run {
    let run = site.build().expect_success();
    assert!(!run.stderr().contains("error"), "{}", run.stderr());
    run
}

/// The page at `old` sends readers to `new`.
#[track_caller]
fn redirects(site: &SiteTest, old: &str, new: &str) {
    let page = site.page(old);
    assert!(
        page.contains("http-equiv=\"refresh\"") && page.contains(&format!("url={new}\"")),
        "{old} should redirect to {new}: {page}"
    );
}

#[test]
fn a_jekyll_site_imports_with_its_categories_liquid_and_old_addresses() {
    let old = tempfile::tempdir().unwrap();
    tree(
        old.path(),
        &[
            (
                "_config.yml",
                "title: مدونة\nurl: https://blog.example.com\nbaseurl: /blog\n",
            ),
            ("assets/map.png", "PNG"),
            ("about.md", "---\ntitle: عنا\n---\nصفحة\n"),
            (
                "_posts/2014-11-11-قمة-المناخ.md",
                "---\nlayout: post\ntitle: \"قمة المناخ\"\ncategories: أخبار دولي\ntags: مناخ COP28\n\
                 excerpt: ملخص **القمة**\ncomments: true\n---\n\nنص مع ![خريطة]({{ site.baseurl }}/assets/map.png){: .center}\n\n\
                 انظر [التالية]({% post_url 2015-01-02-second %}) و[القديمة](https://blog.example.com/blog/news/2015/01/02/second.html).\n\n\
                 {% raw %}{{ كما هو }}{% endraw %}\n\n{% include gallery.html %}\n",
            ),
            (
                "news/_posts/2015-01-02-second.md",
                "---\ntitle: الثانية\ndate: 2015-01-02 20:10 +0300\nauthor: [هوين لو, سارة المصري]\n---\n\nنص [الأولى](/blog/أخبار/دولي/2014/11/11/قمة-المناخ.html).\n",
            ),
            (
                "_drafts/unfinished.md",
                "---\ntitle: مسودة\n---\nنص لم يكتمل.\n",
            ),
        ],
    );
    let site = SiteTest::empty();
    let run = import(&site, "jekyll", old.path(), &[]).expect_success();
    let report = run.stdout();
    for said in [
        "articles written: 3",
        "of them drafts: 1",
        "`categories → tags`: 2",
        "`excerpt → summary`: 1",
        "`layout`: 1",
        "`post_url`: 1",
        "about.md: a page, not a post",
        "the Liquid tag `include`: 1",
    ] {
        assert!(report.contains(said), "{said} in:\n{report}");
    }
    let first = std::fs::read_to_string(site.root().join("content/2014/قمة-المناخ.md")).unwrap();
    assert!(
        first.contains("tags:\n- أخبار\n- دولي\n- مناخ\n- COP28\n"),
        "{first}"
    );
    assert!(first.contains("summary: ملخص القمة"), "{first}");
    assert!(
        first.contains("extra:\n  layout: post\n  comments: true"),
        "{first}"
    );
    assert!(
        first.contains("\\{\\{ كما هو }}"),
        "raw stays text: {first}"
    );

    let run = builds_cleanly(&site);
    assert!(
        run.stderr()
            .contains("the Liquid tag `include` is not processed"),
        "{}",
        run.stderr()
    );
    let page = site.page("/2014/11/11/قمة-المناخ/");
    assert!(
        page.contains("href=\"/2015/01/02/second/\""),
        "post_url and the old URL: {page}"
    );
    assert!(page.contains("src=\"/assets/map-16w-"), "{page}");
    assert!(site.exists("assets/map.png"));
    assert!(site.exists("tags/cop28/index.html"));
    assert!(
        site.page("/2015/01/02/second/")
            .contains("href=\"/2014/11/11/قمة-المناخ/\"")
    );
    assert!(site.page("/authors/سارة-المصري/").contains("الثانية"));
    redirects(
        &site,
        "/أخبار/دولي/2014/11/11/قمة-المناخ.html",
        "/2014/11/11/قمة-المناخ/",
    );
    redirects(&site, "/news/2015/01/02/second.html", "/2015/01/02/second/");
    let draft =
        std::fs::read_to_string(site.root().join(report_path(&report, "unfinished"))).unwrap();
    assert!(draft.contains("draft: true"), "{draft}");
}

/// The article file the report lists with `name` in it.
fn report_path(report: &str, name: &str) -> String {
    report
        .lines()
        .find_map(|l| {
            l.strip_prefix("- ")
                .filter(|p| p.starts_with("content/") && p.contains(name))
        })
        .unwrap_or_else(|| panic!("no {name} in {report}"))
        .to_owned()
}

#[test]
fn a_hugo_site_imports_with_toml_shortcodes_bundles_and_aliases() {
    let old = tempfile::tempdir().unwrap();
    tree(
        old.path(),
        &[
            (
                "hugo.toml",
                "baseURL = \"https://example.org/\"\n[permalinks]\nposts = \"/:year/:month/:slug/\"\n",
            ),
            ("static/images/a.jpg", "JPG"),
            ("content/_index.md", "---\ntitle: الرئيسية\n---\n"),
            ("content/about.md", "---\ntitle: عنا\n---\nصفحة\n"),
            (
                "content/posts/first.md",
                "+++\ntitle = \"שלום עולם\"\nslug = \"hello\"\ndate = 2019-02-16T10:00:00+02:00\n\
                 lastmod = 2019-02-17T10:00:00+02:00\ntags = [\"חדשות\", \"ישראל\"]\ncategories = [\"כללי\"]\n\
                 aliases = [\"/old/first/\", \"legacy/\"]\nfeatureImage = \"/images/a.jpg\"\n+++\n\n\
                 טקסט\n\n{{< youtube id=\"dQw4w9WgXcQ\" >}}\n\n{{< figure src=\"/images/a.jpg\" caption=\"כיתוב\" >}}\n\n\
                 ראו [הבא]({{< ref \"posts/bundle/index.md\" >}}).\n\n{{< gallery dir=\"x\" >}}\n",
            ),
            (
                "content/posts/bundle/index.md",
                "---\ntitle: חבילה\ndate: 2019-03-01T08:00:00+02:00\nurl: /custom/place/\n\
                 cover:\n  image: cover.jpg\n  alt: תמונה\n---\n\n![](cover.jpg) [ראשון](/2019/02/hello/)\n",
            ),
            ("content/posts/bundle/cover.jpg", "JPG2"),
        ],
    );
    let site = SiteTest::empty();
    let report = import(&site, "hugo", old.path(), &[])
        .expect_success()
        .stdout();
    for said in [
        "articles written: 2",
        "`lastmod → updated`: 1",
        "`featureImage → image`: 1",
        "`cover → image`: 1",
        "`youtube`: 1",
        "`figure`: 1",
        "`ref`: 1",
        "the Hugo shortcode `gallery`: 1",
        "content/_index.md: a section's list page",
        "content/about.md: a page without a date",
    ] {
        assert!(report.contains(said), "{said} in:\n{report}");
    }
    builds_cleanly(&site);
    let first = site.page("/2019/02/16/hello/");
    assert!(
        first.contains("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        "{first}"
    );
    assert!(first.contains("href=\"/2019/03/01/bundle/\""), "{first}");
    assert!(site.exists("tags/כללי/index.html"));
    assert!(site.exists("images/a.jpg"));
    let bundle = site.page("/2019/03/01/bundle/");
    assert!(
        bundle.contains("href=\"/2019/02/16/hello/\""),
        "the old address: {bundle}"
    );
    assert!(site.exists("2019/03/01/bundle/cover.jpg"));
    redirects(&site, "/old/first/", "/2019/02/16/hello/");
    redirects(&site, "/2019/02/legacy/", "/2019/02/16/hello/");
    redirects(&site, "/2019/02/hello/", "/2019/02/16/hello/");
    redirects(&site, "/custom/place/", "/2019/03/01/bundle/");
}

#[test]
fn a_zola_site_imports_with_its_taxonomies_and_dated_names() {
    let old = tempfile::tempdir().unwrap();
    tree(
        old.path(),
        &[
            (
                "config.toml",
                "base_url = \"https://example.org\"\n[slugify]\npaths = \"safe\"\n",
            ),
            ("content/blog/_index.md", "+++\ntitle = \"المدونة\"\n+++\n"),
            (
                "content/blog/2020-01-05-مرحبا.md",
                "+++\ntitle = \"مرحبا\"\n[taxonomies]\ntags = [\"تقنية\"]\n[extra]\nsubtitle = \"فرعي\"\n+++\n\nنص {{ youtube(id=\"abc\") }}\n",
            ),
        ],
    );
    let site = SiteTest::empty();
    let report = import(&site, "zola", old.path(), &[])
        .expect_success()
        .stdout();
    assert!(report.contains("articles written: 1"), "{report}");
    let text = std::fs::read_to_string(site.root().join("content/2020/مرحبا.md")).unwrap();
    assert!(
        text.contains("tags:\n- تقنية") && text.contains("subtitle: فرعي"),
        "{text}"
    );
    builds_cleanly(&site);
    assert!(
        site.page("/2020/01/05/مرحبا/")
            .contains("https://www.youtube.com/watch?v=abc")
    );
    redirects(&site, "/blog/مرحبا/", "/2020/01/05/مرحبا/");
}

#[test]
fn a_gatsby_tree_imports_with_slashed_slugs_and_images_beside_it() {
    let old = tempfile::tempdir().unwrap();
    tree(
        old.path(),
        &[
            ("images/hero.jpg", "JPG"),
            ("images/chart.png", "PNG"),
            ("README.md", "# my blog\n"),
            (
                "posts/2020/first/index.md",
                "---\ntitle: الأول\ndate: 2020-05-01T10:00:00.000Z\nslug: /blog/first-post/\ntags: [اقتصاد]\n\
                 featuredImage: ../../../images/hero.jpg\ndescription: وصف\n---\n\n![رسم](../../../images/chart.png)\n\n[التالي](/blog/%D8%AB%D8%A7%D9%86/)\n",
            ),
            (
                "posts/second.md",
                "---\ntitle: الثاني\npublished: 2020-05-03\nslug: /blog/ثان/\n---\n\nنص.\n",
            ),
        ],
    );
    let site = SiteTest::empty();
    let report = import(&site, "markdown", old.path(), &[])
        .expect_success()
        .stdout();
    assert!(report.contains("articles written: 2"), "{report}");
    assert!(report.contains("`featuredImage → image`: 1"), "{report}");
    assert!(report.contains("`description → summary`: 1"), "{report}");
    assert!(report.contains("`published → date`: 1"), "{report}");
    builds_cleanly(&site);
    let first = site.page("/2020/05/01/first-post/");
    assert!(first.contains("href=\"/2020/05/03/ثان/\""), "{first}");
    assert!(site.exists("2020/05/01/first-post/chart.png"));
    assert!(site.exists("2020/05/01/first-post/hero.jpg"));
    redirects(&site, "/blog/first-post/", "/2020/05/01/first-post/");
    redirects(&site, "/blog/ثان/", "/2020/05/03/ثان/");
}

const WXR: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>أخبار</title>
<link>https://news.example.com</link>
<wp:base_blog_url>https://news.example.com</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[huyen]]></wp:author_login><wp:author_display_name><![CDATA[هوين لو]]></wp:author_display_name></wp:author>
<item>
<title>بوتين يزور بكين &amp; شنغهاي</title>
<link>https://news.example.com/2016/05/27/%d8%a8%d9%88%d8%aa%d9%8a%d9%86-%d9%8a%d8%b2%d9%88%d8%b1/</link>
<dc:creator><![CDATA[huyen]]></dc:creator>
<content:encoded><![CDATA[<!-- wp:paragraph -->
<p>قال <strong>الكرملين</strong> إن الزيارة <a href="https://news.example.com/?p=13">مهمة</a>.</p>
<!-- /wp:paragraph -->
<h2>خلفية</h2>
<ul><li>أولا</li><li>ثانيا</li></ul>
<blockquote><p>اقتباس</p></blockquote>
<table><thead><tr><th>أ</th><th>ب</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>
[caption id="attachment_34" align="aligncenter" width="640"]<img src="https://news.example.com/wp-content/uploads/2016/05/photo.jpg" alt="صورة" width="640" height="480" /> الرئيس في بكين[/caption]
<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" frameborder="0" allowfullscreen></iframe>]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>12</wp:post_id>
<wp:post_date><![CDATA[2016-05-27 20:10:00]]></wp:post_date>
<wp:post_date_gmt><![CDATA[2016-05-27 17:10:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[%d8%a8%d9%88%d8%aa%d9%8a%d9%86-%d9%8a%d8%b2%d9%88%d8%b1]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="politics"><![CDATA[سياسة]]></category>
<category domain="post_tag" nicename="russia"><![CDATA[روسيا]]></category>
<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[34]]></wp:meta_value></wp:postmeta>
</item>
<item>
<title>الثانية</title>
<link>https://news.example.com/old/second.html</link>
<dc:creator><![CDATA[huyen]]></dc:creator>
<content:encoded><![CDATA[سطر أول

فقرة ثانية [embed]https://www.youtube.com/watch?v=abc[/embed]]]></content:encoded>
<wp:post_id>13</wp:post_id>
<wp:post_date>2016-06-01 10:00:00</wp:post_date>
<wp:post_date_gmt>2016-06-01 08:00:00</wp:post_date_gmt>
<wp:post_name>second</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>
</item>
<item>
<title>مسودة</title>
<link>https://news.example.com/?p=14</link>
<content:encoded><![CDATA[<p>نص المسودة</p>]]></content:encoded>
<wp:post_id>14</wp:post_id>
<wp:post_date>2016-07-01 10:00:00</wp:post_date>
<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
<wp:post_name></wp:post_name>
<wp:status>draft</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>مجدولة</title>
<link>https://news.example.com/?p=15</link>
<content:encoded><![CDATA[<p>لاحقا</p>]]></content:encoded>
<wp:post_id>15</wp:post_id>
<wp:post_date>2030-01-01 10:00:00</wp:post_date>
<wp:post_date_gmt>2030-01-01 07:00:00</wp:post_date_gmt>
<wp:post_name>scheduled</wp:post_name>
<wp:status>future</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>photo</title>
<wp:post_id>34</wp:post_id>
<wp:post_type>attachment</wp:post_type>
<wp:status>inherit</wp:status>
<wp:attachment_url>https://news.example.com/wp-content/uploads/2016/05/photo.jpg</wp:attachment_url>
</item>
<item>
<title>من نحن</title>
<wp:post_id>2</wp:post_id>
<wp:post_type>page</wp:post_type>
<wp:status>publish</wp:status>
<content:encoded><![CDATA[<p>صفحة</p>]]></content:encoded>
</item>
</channel>
</rss>
"#;

#[test]
fn a_wordpress_export_imports_with_its_media_drafts_and_embeds() {
    let old = tempfile::tempdir().unwrap();
    tree(
        old.path(),
        &[("export.xml", WXR), ("uploads/2016/05/photo.jpg", "JPEG")],
    );
    let site = SiteTest::empty();
    let media = old.path().join("uploads");
    let report = import(
        &site,
        "wordpress",
        &old.path().join("export.xml"),
        &["--media", media.to_str().unwrap()],
    )
    .expect_success()
    .stdout();
    for said in [
        "articles written: 4",
        "of them drafts: 2",
        "`[caption]`: 1",
        "`[embed]`: 1",
        "`video iframe`: 1",
        "old addresses that are the new ones: 1",
        "old addresses that redirect to the new ones: 1",
        "(post 2 «من نحن»): a page, not a post",
    ] {
        assert!(report.contains(said), "{said} in:\n{report}");
    }
    let first = std::fs::read_to_string(site.root().join("content/2016/بوتين-يزور.md")).unwrap();
    for part in [
        "date: 2016-05-27T20:10:00+03:00",
        "author: هوين لو",
        "tags:\n- سياسة\n- روسيا\n",
        "src: /wp-content/uploads/2016/05/photo.jpg",
        "## خلفية",
        "> اقتباس",
        "| أ | ب |",
        "*الرئيس في بكين*",
        "\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n",
    ] {
        assert!(first.contains(part), "{part} in:\n{first}");
    }
    let scheduled = std::fs::read_to_string(site.root().join("content/2030/scheduled.md")).unwrap();
    assert!(scheduled.contains("draft: true") && scheduled.contains("scheduled: true"));

    builds_cleanly(&site);
    let page = site.page("/2016/05/27/بوتين-يزور/");
    assert!(
        page.contains("href=\"/2016/06/01/second/\""),
        "the ?p=13 link: {page}"
    );
    assert!(site.exists("wp-content/uploads/2016/05/photo.jpg"));
    assert!(site.exists("tags/سياسة/index.html"));
    assert!(!site.exists("tags/uncategorized/index.html"));
    redirects(&site, "/old/second.html", "/2016/06/01/second/");
    assert!(!site.exists("2030"), "scheduled posts wait as drafts");
}

#[test]
fn imports_refuse_what_is_not_their_format_and_never_overwrite() {
    let old = tempfile::tempdir().unwrap();
    tree(
        old.path(),
        &[
            ("not-an-export.xml", "<html><body>hello</body></html>"),
            ("empty/readme.txt", "nothing"),
            ("site/_posts/2020-01-01-a.md", "---\ntitle: أ\n---\nنص\n"),
            (
                "site/_posts/b.md",
                "---\ntitle: ب\ndate: yesterday\n---\nنص\n",
            ),
        ],
    );
    let site = SiteTest::empty();
    let run = import(
        &site,
        "wordpress",
        &old.path().join("not-an-export.xml"),
        &[],
    )
    .expect_failure();
    assert!(
        run.stderr().contains("not-an-export.xml")
            && run.stderr().contains("not a WordPress export"),
        "{}",
        run.stderr()
    );
    let run = import(&site, "jekyll", &old.path().join("empty"), &[]).expect_failure();
    assert!(
        run.stderr().contains("no jekyll posts here"),
        "{}",
        run.stderr()
    );
    let run = import(&site, "jekyll", &old.path().join("site"), &[]).expect_failure();
    assert!(
        run.stderr().contains("_posts/b.md")
            && run.stderr().contains("`date: yesterday` is not a date"),
        "{}",
        run.stderr()
    );
    assert!(
        !site.root().join("content/2020").exists(),
        "nothing is half-written"
    );

    std::fs::remove_file(old.path().join("site/_posts/b.md")).unwrap();
    let dry = import(&site, "jekyll", &old.path().join("site"), &["--dry-run"]).expect_success();
    assert!(
        dry.stdout().contains("articles to write: 1"),
        "{}",
        dry.stdout()
    );
    assert!(!site.root().join("content/2020/a.md").exists());
    assert!(!site.root().join("import-report.md").exists());
    import(&site, "jekyll", &old.path().join("site"), &[]).expect_success();
    site.write(
        "content/2020/a.md",
        "---\ntitle: معدل\ndate: 2020-01-01\n---\nنص معدل\n",
    );
    let again = import(&site, "jekyll", &old.path().join("site"), &[]).expect_failure();
    assert!(
        again.stderr().contains("already exists"),
        "{}",
        again.stderr()
    );
    let kept = std::fs::read_to_string(site.root().join("content/2020/a.md")).unwrap();
    assert!(kept.contains("معدل"), "without --force the edit stays");
    import(&site, "jekyll", &old.path().join("site"), &["--force"]).expect_success();
}

#[test]
fn a_multilingual_hugo_site_imports_each_language_with_its_addresses() {
    let old = tempfile::tempdir().unwrap();
    tree(
        old.path(),
        &[
            (
                "config.yaml",
                "baseURL: https://example.org/\ndefaultContentLanguage: he\nlanguages:\n  he:\n    contentDir: content/he\n    weight: 1\n  en:\n    contentDir: content/en\n",
            ),
            (
                "content/he/posts/shalom.md",
                "---\ntitle: שלום\ndate: 2019-02-16\n---\nטקסט\n",
            ),
            (
                "content/en/posts/hello.md",
                "---\ntitle: Hello\ndate: 2019-02-17\n---\nText\n",
            ),
        ],
    );
    let site = SiteTest::empty();
    import(&site, "hugo", old.path(), &[]).expect_success();
    let hebrew = std::fs::read_to_string(site.root().join("content/2019/shalom.md")).unwrap();
    assert!(hebrew.contains("lang: he"), "{hebrew}");
    builds_cleanly(&site);
    assert!(site.page("/2019/02/17/hello/").contains("lang=\"en\""));
    redirects(&site, "/posts/shalom/", "/2019/02/16/shalom/");
    redirects(&site, "/en/posts/hello/", "/2019/02/17/hello/");
}
