//! Whole sites in Persian, Urdu and Hebrew, as `arshif new --language`
//! writes them; a language the theme does not know; and the site's own
//! words inside an article of another language.

use std::process::Command;

use crate::harness::{SiteTest, article};

const BIN: &str = env!("CARGO_BIN_EXE_arshif");

/// The site `arshif new --language LANG` writes, built.
fn new_site(lang: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let d = dir.to_str().unwrap();
    run(&["new", d, "--language", lang, "--quiet"]);
    let stderr = run(&["build", "--root", d, "--quiet"]);
    assert!(!stderr.contains("warning"), "{stderr}");
    (tmp, dir)
}

fn read(dir: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join("public").join(rel)).unwrap()
}

fn fonts(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("public/fonts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_persian_site() {
    let (_tmp, dir) = new_site("fa");
    let page = read(&dir, "2023/09/19/putin-beijing-visit/index.html");
    assert!(
        page.starts_with("<!doctype html>\n<html lang=\"fa\" dir=\"rtl\" data-font=\"vazirmatn\">"),
        "{page}"
    );
    // Solar Hijri first, the Gregorian date beside it, Persian digits.
    assert!(
        page.contains(">سه‌شنبه ۲۸ شهریور ۱۴۰۲، ساعت ۱۴:۳۰</time>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"gregorian\">۱۹ سپتامبر ۲۰۲۳</span>"),
        "{page}"
    );
    assert!(page.contains("زمان مطالعه: یک دقیقه"), "{page}");
    assert!(page.contains("<span class=\"credit\">عکس: "), "{page}");
    // The ZWNJ of شی جین‌پینگ stays in the tag's address; links
    // percent-encode it, as every invisible character.
    assert!(
        page.contains("href=\"/tags/شی-جین%E2%80%8Cپینگ/\""),
        "{page}"
    );
    assert!(
        dir.join("public/tags/شی-جین\u{200C}پینگ/index.html")
            .is_file()
    );
    let home = read(&dir, "index.html");
    assert!(home.contains(">آخرین خبرها</a>"), "{home}");
    assert!(read(&dir, "tags/index.html").contains("یک مطلب"));
    assert_eq!(
        fonts(&dir),
        [
            "OFL-vazirmatn.txt",
            "vazirmatn-arabic-400-normal.woff2",
            "vazirmatn-arabic-700-normal.woff2"
        ]
    );
}

#[test]
fn an_urdu_site() {
    let (_tmp, dir) = new_site("ur");
    let page = read(&dir, "2023/09/19/putin-beijing-visit/index.html");
    assert!(page.contains("lang=\"ur\" dir=\"rtl\" data-font=\"nastaliq\""));
    assert!(
        page.contains(">منگل، 19 ستمبر، 2023، بوقت 14:30</time>"),
        "{page}"
    );
    assert!(page.contains("پڑھنے کا وقت: ایک منٹ"), "{page}");
    assert!(read(&dir, "index.html").contains(">تازہ خبریں</a>"));
    assert!(fonts(&dir).iter().all(|f| f.contains("nastaliq")));
}

#[test]
fn a_hebrew_site() {
    let (_tmp, dir) = new_site("he");
    let page = read(&dir, "2023/09/19/putin-beijing-visit/index.html");
    assert!(page.contains("<html lang=\"he\" dir=\"rtl\" data-font=\"hebrew\">"));
    assert!(
        page.contains(">יום שלישי, 19 בספטמבר 2023, בשעה 14:30 (UTC+03:00)</time>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"hebrew\">ד׳ בתשרי תשפ״ד</span>"),
        "{page}"
    );
    assert!(page.contains("זמן קריאה: דקה אחת") || page.contains("זמן קריאה: שתי דקות"));
    assert!(read(&dir, "tags/index.html").contains("כתבה אחת"));
    assert!(fonts(&dir).iter().all(|f| f.contains("hebrew")));
}

#[test]
fn an_arabic_site_keeps_its_fonts_and_html() {
    let (_tmp, dir) = new_site("ar");
    let page = read(&dir, "2023/09/19/putin-beijing-visit/index.html");
    assert!(page.starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">\n"));
    assert!(page.contains(">الثلاثاء، 19 سبتمبر/أيلول 2023، الساعة 14:30</time>"));
    assert_eq!(
        fonts(&dir),
        [
            "OFL.txt",
            "noto-naskh-arabic-arabic-400-normal.woff2",
            "noto-naskh-arabic-arabic-700-normal.woff2",
            "noto-sans-arabic-arabic-400-normal.woff2",
            "noto-sans-arabic-arabic-700-normal.woff2"
        ]
    );
}

#[test]
fn an_unknown_language_builds_in_english_and_says_what_to_translate() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: Arşîv\nbase_url: https://example.org/\nlanguage: ku\nstrings: {latest: Nûtirîn}\n",
    );
    site.write(
        "content/a.md",
        &article("Nûçe", "2023-09-19", "tags: [Aborî]\n"),
    );
    let err = site.build().expect_success().stderr();
    assert!(
        err.contains("warning: the theme has no words in `ku`; its interface is in English"),
        "{err}"
    );
    assert!(err.contains("site.yaml:3:11"), "{err}");
    assert!(err.contains("translate them under `strings:`"), "{err}");
    assert!(
        err.contains("skip_to_content") && !err.contains("latest,"),
        "{err}"
    );
    let home = site.page("/");
    assert!(home.contains(">Nûtirîn</a>") && home.contains(">Archive</a>"));
    assert!(home.contains("lang=\"ku\" dir=\"ltr\""));
}

#[test]
fn yeh_and_kaf_merge_when_the_site_asks() {
    let site = SiteTest::empty();
    let yaml = "title: بایگانی\nbase_url: https://example.org/\nlanguage: fa\n";
    site.write("site.yaml", yaml);
    // The same name typed on a Persian and on an Arabic keyboard.
    site.write(
        "content/a.md",
        &article("الف", "2023-09-19", "tags: [کتابخانهٔ ملی]\n"),
    );
    site.write(
        "content/b.md",
        &article("ب", "2023-09-18", "tags: [كتابخانهٔ ملي]\n"),
    );
    site.build().expect_success();
    assert!(site.exists("tags/كتابخانهٔ-ملي/index.html"));
    site.write("site.yaml", &format!("{yaml}merge_yeh_kaf: true\n"));
    site.build().expect_success();
    assert!(!site.exists("tags/كتابخانهٔ-ملي/index.html"));
    let term = site.page("/tags/کتابخانهٔ-ملی/");
    assert!(term.contains("۲ مطلب") || term.contains("2 مطلب"), "{term}");
}

#[test]
fn site_words_inside_an_article_in_another_language_keep_the_site_s_lang() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.org/\n",
    );
    site.write(
        "content/en.md",
        &article(
            "Summit ends",
            "2023-09-19",
            "lang: en\ntags: [قمة]\nimage: {src: /p.jpg, caption: Leaders, credit: AFP}\n",
        ),
    );
    site.write(
        "content/ar.md",
        &article("القمة", "2023-09-18", "tags: [قمة]\n"),
    );
    site.write_bytes("static/p.jpg", &crate::harness::image_bytes("p.jpg", "p"));
    site.build().expect_success();
    let en = site.page("/2023/09/19/en/");
    assert!(
        en.contains("<span class=\"credit\" lang=\"ar\" dir=\"rtl\">تصوير: <bdi>AFP</bdi></span>"),
        "{en}"
    );
    let ar = site.page("/2023/09/18/ar/");
    assert!(
        ar.contains("<li lang=\"en\" dir=\"ltr\"><a href=\"/2023/09/19/en/\">Summit ends</a> <time datetime=\"2023-09-19T00:00:00+00:00\" lang=\"ar\" dir=\"rtl\">19 سبتمبر/أيلول 2023</time></li>"),
        "{ar}"
    );
    // An Arabic article's own credit has no extra attributes.
    assert!(!ar.contains("class=\"credit\" lang"));
}
