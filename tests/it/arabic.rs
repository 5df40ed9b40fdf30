//! Dates, digits, plurals, Hijri dates, interface strings and whole sites
//! in another language, as readers see them.

use crate::harness::{SiteTest, article};

fn site_with(yaml_extra: &str) -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        &format!("title: أرشيف\nbase_url: https://example.org/\ntimezone: \"+03:00\"\nper_page: 2\n{yaml_extra}"),
    );
    for (i, day) in [
        "2023-09-19T14:30:00+03:00",
        "2023-07-05T09:05:00+03:00",
        "2023-07-06",
    ]
    .iter()
    .enumerate()
    {
        site.write(
            &format!("content/a{i}.md"),
            &article(&format!("خبر {i}"), day, "tags: [روسيا]\nauthor: هوين لو\n"),
        );
    }
    site
}

#[test]
fn default_dates_reading_time_and_plurals() {
    let site = site_with("");
    site.build().expect_success();
    let page = site.page("/2023/09/19/a0/");
    assert!(
        page.contains(">الثلاثاء، 19 سبتمبر/أيلول 2023، الساعة 14:30</time>"),
        "{page}"
    );
    // A date written without a time shows none.
    let bare = site.page("/2023/07/06/a2/");
    assert!(bare.contains(">الخميس، 6 يوليو/تموز 2023</time>"), "{bare}");
    assert!(page.contains("<span class=\"reading-time\">مدة القراءة: دقيقة واحدة</span>"));
    assert!(
        !page.contains("class=\"hijri\""),
        "Hijri dates are off by default"
    );
    let term = site.page("/tags/روسيا/");
    assert!(
        term.contains("<span class=\"count\">3 مقالات</span>"),
        "{term}"
    );
    let archive = site.page("/archive/");
    assert!(
        archive.contains("<span class=\"count\">3 مقالات</span>"),
        "{archive}"
    );
    let month = site.page("/2023/07/");
    assert!(month.contains(">5 يوليو/تموز 2023</a>"), "{month}");
    assert!(
        site.page("/page/2/")
            .contains("<h1 class=\"page-title\">الأحدث، صفحة 2</h1>")
    );
}

#[test]
fn arabic_indic_digits_everywhere_but_urls() {
    let site =
        site_with("digits: arabic\nmonths: levantine\nhijri: true\nzone_label: بتوقيت مكة\n");
    site.build().expect_success();
    let page = site.page("/2023/09/19/a0/");
    assert!(
        page.contains(">الثلاثاء، ١٩ أيلول ٢٠٢٣، الساعة ١٤:٣٠ بتوقيت مكة</time>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"hijri\">٤ ربيع الأول ١٤٤٥ هـ</span>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"/2023/09/19/a0/\"") || page.contains("2023/09/19/a0/"),
        "URLs keep ASCII digits"
    );
    let term = site.page("/tags/روسيا/");
    assert!(term.contains("٣ مقالات"), "{term}");
    let home2 = site.page("/page/2/");
    assert!(home2.contains("الأحدث، صفحة ٢"), "{home2}");
    assert!(
        home2.contains(">١</a>") && home2.contains("aria-current=\"page\">٢</a>"),
        "{home2}"
    );
    let year = site.page("/2023/");
    assert!(year.contains(">تموز ٢٠٢٣</a>"), "{year}");
    // Machine-read dates stay ASCII.
    assert!(page.contains("datetime=\"2023-09-19T14:30:00+03:00\""));
    let feed = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    assert!(feed.contains("<published>2023-09-19T14:30:00+03:00</published>"));
}

#[test]
fn maghreb_month_names() {
    let site = site_with("months: moroccan\n");
    site.build().expect_success();
    assert!(site.page("/2023/09/19/a0/").contains("19 شتنبر 2023"));
    assert!(site.page("/2023/07/").contains("يوليوز 2023"));
    let site = site_with("months: algerian\n");
    site.build().expect_success();
    assert!(site.page("/2023/07/").contains("جويلية 2023"));
}

#[test]
fn interface_strings_can_be_replaced() {
    let site = site_with("strings: {latest: آخر الأخبار, count_articles_few: '{n} أخبار'}\n");
    site.build().expect_success();
    assert!(site.page("/").contains(">آخر الأخبار</a>"));
    assert!(site.page("/tags/روسيا/").contains("3 أخبار"));

    site.write(
        "site.yaml",
        "title: أ\nbase_url: https://example.org/\nstrings: {lastest: x}\n",
    );
    let err = site.build().expect_failure().stderr();
    assert!(
        err.contains("unknown key `lastest` in `strings`")
            && err.contains("did you mean `latest`?"),
        "{err}"
    );
}

#[test]
fn a_whole_site_in_english() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: The Archive\nbase_url: https://example.org/\nlanguage: en\n",
    );
    site.write(
        "content/a.md",
        &article(
            "Summit ends",
            "2023-09-19T14:30:00+03:00",
            "tags: [Economy]\nauthor: Jane Roe\n",
        ),
    );
    site.write(
        "content/b.md",
        &article("Talks begin", "2023-09-18", "tags: [Economy]\n"),
    );
    site.build().expect_success();
    let page = site.page("/2023/09/19/a/");
    assert!(page.starts_with("<!doctype html>\n<html lang=\"en\" dir=\"ltr\">"));
    // The site is at +00:00: a time at another offset says which.
    assert!(
        page.contains(">Tuesday, 19 September 2023, 14:30 (UTC+03:00)</time>"),
        "{page}"
    );
    assert!(page.contains("Reading time: one minute"));
    assert!(page.contains("<span class=\"authors\">By "));
    let term = site.page("/tags/economy/");
    assert!(term.contains("2 articles"), "{term}");
    assert!(site.page("/").contains(">Latest</a>"));
    let feed = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    assert!(feed.contains("xml:lang=\"en\""));
}

#[test]
fn template_filters_report_misuse() {
    let site = site_with("");
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block main %}{{ article.date | arabic_date(format=\"weird\") }}{% endblock main %}",
    );
    let err = site.build().expect_failure().stderr();
    assert!(err.contains("unknown format `weird`"), "{err}");
}
