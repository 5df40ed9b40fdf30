//! Bad input: every problem reported in one run, at its file, line and
//! column, with a way to fix it; nothing written.

use crate::harness::{SiteTest, article};

/// The stderr of a failed build of `files` added to an empty site.
fn failing(files: &[(&str, &str)]) -> String {
    let site = SiteTest::empty();
    site.write("content/2023/good.md", &article("سليم", "2023-01-02", ""));
    for (path, text) in files {
        site.write(path, text);
    }
    let run = site.build().expect_failure();
    assert!(
        !site.public().exists(),
        "nothing is written when the build fails"
    );
    run.stderr()
}

#[track_caller]
fn assert_reports(stderr: &str, location: &str, message: &str) {
    let blocks: Vec<&str> = stderr
        .split("\n\n")
        .filter(|b| {
            b.contains(&format!("--> {location}\n")) || b.ends_with(&format!("--> {location}"))
        })
        .collect();
    assert!(
        !blocks.is_empty(),
        "no problem reported at {location} in:\n{stderr}"
    );
    assert!(
        blocks.iter().any(|b| b.contains(message)),
        "at {location} expected {message:?}, got:\n{}",
        blocks.join("\n\n")
    );
}

#[test]
fn each_kind_of_mistake_is_reported_where_it_is() {
    let err = failing(&[
        ("content/a/no-front-matter.md", "# عنوان\n\nنص\n"),
        (
            "content/a/unclosed.md",
            "---\ntitle: أ\ndate: 2023-01-02\n\nنص\n",
        ),
        (
            "content/a/bad-yaml.md",
            "---\ntitle: أ\ndate: 2023-01-02\ntags: [روسيا, الصين\n---\n",
        ),
        ("content/a/no-title.md", "---\ndate: 2023-01-02\n---\n"),
        ("content/a/no-date.md", "---\ntitle: أ\n---\n"),
        (
            "content/a/bad-date.md",
            "---\ntitle: أ\ndate: 2023-02-30\n---\n",
        ),
        (
            "content/a/wrong-type.md",
            "---\ntitle: أ\ndate: 2023-01-02\ntags: 5\n---\n",
        ),
        (
            "content/a/unknown-key.md",
            "---\ntitle: أ\ndate: 2023-01-02\ntag: [روسيا]\n---\n",
        ),
        (
            "content/a/dotdot.md",
            "---\ntitle: أ\ndate: 2023-01-02\nslug: ../x\n---\n",
        ),
        (
            "content/a/slash.md",
            "---\ntitle: أ\ndate: 2023-01-02\nslug: a/b\n---\n",
        ),
        (
            "content/a/empty-slug.md",
            "---\ntitle: أ\ndate: 2023-01-02\nslug: ''\n---\n",
        ),
        (
            "content/a/missing-image.md",
            "---\ntitle: أ\ndate: 2023-01-02\nimage: {src: nowhere.jpg}\n---\n",
        ),
        (
            "content/a/bad-tag.md",
            "---\ntitle: أ\ndate: 2023-01-02\ntags: [روسيا, '!!!']\n---\n",
        ),
    ]);
    assert_reports(&err, "content/a/no-front-matter.md:1:1", "no front matter");
    assert_reports(
        &err,
        "content/a/no-front-matter.md:1:1",
        "help: start the file with a line `---`",
    );
    assert_reports(&err, "content/a/unclosed.md:1:1", "never closed");
    assert_reports(
        &err,
        "content/a/bad-yaml.md:4:7",
        "the `[` opened here is never closed",
    );
    assert_reports(&err, "content/a/no-title.md:2:1", "no `title`");
    assert_reports(&err, "content/a/no-date.md:2:1", "no `date`");
    assert_reports(
        &err,
        "content/a/bad-date.md:3:7",
        "`date`: `2023-02-30` is not a valid date",
    );
    assert_reports(
        &err,
        "content/a/wrong-type.md:4:7",
        "`tags` must be a name or a list of names, not a number",
    );
    assert_reports(&err, "content/a/unknown-key.md:4:1", "unknown key `tag`");
    assert_reports(&err, "content/a/unknown-key.md:4:1", "did you mean `tags`?");
    assert_reports(
        &err,
        "content/a/dotdot.md:4:7",
        "slug `../x` cannot be used in a URL",
    );
    assert_reports(
        &err,
        "content/a/slash.md:4:7",
        "slug `a/b` cannot be used in a URL",
    );
    assert_reports(&err, "content/a/slash.md:4:7", "e.g. `slug: a-b`");
    assert_reports(&err, "content/a/empty-slug.md:4:7", "`slug` is empty");
    assert_reports(
        &err,
        "content/a/missing-image.md:4:8",
        "image `nowhere.jpg` is not beside the article",
    );
    assert_reports(
        &err,
        "content/a/bad-tag.md:4:7",
        "`tags` entry `!!!` has no letters or digits",
    );
    assert!(err.ends_with("build failed: 13 errors\n"), "{err}");
}

#[test]
fn not_utf8_is_reported_at_the_bad_byte() {
    let site = SiteTest::empty();
    let mut bytes = b"---\ntitle: ".to_vec();
    bytes.extend([0xC8, 0xE6, 0xCA, 0xED, 0xE4]); // "بوتين" in Windows-1256
    bytes.extend(b"\ndate: 2023-01-02\n---\n");
    site.write_bytes("content/cp1256.md", &bytes);
    let err = site.build().expect_failure().stderr();
    assert_reports(&err, "content/cp1256.md:2:8", "this file is not UTF-8 text");
    assert!(err.contains("iconv -f WINDOWS-1256 -t UTF-8"), "{err}");
}

#[test]
fn two_articles_at_one_url_name_both_files() {
    let err = failing(&[
        (
            "content/2023/one.md",
            &article("أ", "2023-09-19T10:00:00+03:00", "slug: same\n"),
        ),
        (
            "content/2024/two.md",
            &article("ب", "2023-09-19T18:00:00+03:00", "slug: same\n"),
        ),
    ]);
    let msg = "2 articles have the URL /2023/09/19/same/: content/2023/one.md, content/2024/two.md";
    assert_reports(&err, "content/2023/one.md:4:7", msg);
    assert_reports(&err, "content/2024/two.md:4:7", msg);
}

#[test]
fn site_yaml_problems_and_content_problems_come_together() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: example.org\nper_page: 0\nmonth: both\n",
    );
    site.write("content/a.md", "---\ntitel: أ\ndate: 2023-01-02\n---\n");
    let err = site.build().expect_failure().stderr();
    assert_reports(
        &err,
        "site.yaml:2:11",
        "`example.org` is not an absolute http(s) URL",
    );
    assert_reports(&err, "site.yaml:3:11", "`per_page` must be at least 1");
    assert_reports(&err, "site.yaml:4:1", "did you mean `months`?");
    assert_reports(&err, "content/a.md:2:1", "did you mean `title`?");
}

#[test]
fn template_errors_name_the_template_and_line() {
    let site = SiteTest::fixture("minimal");
    site.write("templates/article.html", "{% extends \"base.html\" %}\n{% block main %}\n{{ article.nope.deeper }}\n{% endblock main %}\n");
    let err = site.build().expect_failure().stderr();
    assert!(err.contains("--> templates/article.html:3:"), "{err}");
    assert_eq!(
        err.matches("--> templates/article.html").count(),
        1,
        "one report, not one per page:\n{err}"
    );

    site.write("templates/article.html", "{% if %}");
    let err = site.build().expect_failure().stderr();
    assert!(err.contains("templates/article.html:1:"), "{err}");
}

#[test]
fn missing_site_or_content_is_explained() {
    let site = SiteTest::empty();
    site.remove("site.yaml");
    let err = site.build().expect_failure().stderr();
    assert!(err.contains("there is no site.yaml in"), "{err}");
    assert!(err.contains("--root"), "{err}");
}

#[test]
fn stderr_layout() {
    let err = failing(&[(
        "content/x.md",
        "---\ntitle: أ\ndate: 2023-13-01\ntag: [روسيا]\n---\n",
    )]);
    insta::assert_snapshot!(err);
}

#[test]
fn check_reports_the_same_problems_and_writes_nothing() {
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        "---\ntitle: أ\ndate: 2023-01-02\ntag: [x]\n---\n",
    );
    let run = site.run(&["check"]).expect_failure();
    assert_reports(&run.stderr(), "content/a.md:4:1", "did you mean `tags`?");
    assert!(
        run.stderr().ends_with("check failed: 1 error\n"),
        "{}",
        run.stderr()
    );
    site.write("content/a.md", &article("أ", "2023-01-02", ""));
    let run = site.run(&["check"]).expect_success();
    assert!(
        run.stdout().starts_with("checked 1 article, "),
        "{}",
        run.stdout()
    );
    assert!(!site.public().exists(), "check writes nothing");
    // Template errors only show when pages are rendered; check renders them.
    site.write("templates/home.html", "{{ nope.deeper }}");
    site.run(&["check"]).expect_failure();
    assert!(!site.public().exists());
}

#[test]
fn odd_dates_and_names_are_reported_where_they_are() {
    let err = failing(&[
        (
            "content/a/ancient.md",
            "---\ntitle: أ\ndate: \"-0044-03-15\"\n---\n",
        ),
        (
            "content/a/tatweel.md",
            "---\ntitle: أ\ndate: 2023-01-02\ntags: [ـــ]\n---\n",
        ),
    ]);
    assert_reports(
        &err,
        "content/a/ancient.md:3:7",
        "is outside the years 1 to 9999",
    );
    assert_reports(
        &err,
        "content/a/tatweel.md:4:7",
        "`tags` entry `ـــ` has no letters or digits",
    );
}

#[test]
fn images_from_the_site_root_must_be_static_files() {
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        &article("أ", "2023-01-02", "image: /images/a.jpg\n"),
    );
    let err = site.build().expect_failure().stderr();
    assert_reports(
        &err,
        "content/a.md:4:8",
        "image `/images/a.jpg` is not in static/",
    );
    site.write_bytes(
        "static/images/a.jpg",
        &crate::harness::image_bytes("a.jpg", "a"),
    );
    site.build().expect_success();
    let page = site.page("/2023/01/02/a/");
    assert!(page.contains(r#"<img src="/images/a-16w-"#), "{page}");
}

#[test]
fn every_problem_of_every_file_and_step_is_reported_in_one_run() {
    let site = SiteTest::empty();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}per_pag: 5\n"));
    site.write("content/2023/good.md", &article("سليم", "2023-01-02", ""));
    // Several problems in one file: front matter, image and links.
    site.write(
        "content/2023/many.md",
        "---\ntitle: كثير\ndate: 2023-01-03\ntag: [روسيا]\nupdated: 2023-13-01\nimage: missing.jpg\n---\n\n\
         [مفقود](gone.md) و[مرساة](good.md#nowhere)\n",
    );
    // One problem in each of several others, found by later steps.
    site.write("content/2023/no-title.md", "---\ndate: 2023-01-02\n---\n");
    site.write(
        "content/2023/one.md",
        "---\ntitle: أول\ndate: 2023-05-05\nslug: same\n---\n",
    );
    site.write(
        "content/2023/two.md",
        "---\ntitle: ثان\ndate: 2023-05-05\nslug: same\n---\n",
    );
    site.write(
        "content/2023/linker.md",
        "---\ntitle: رابط\ndate: 2023-01-04\n---\n\n[لا شيء](../2022/none.md)\n",
    );
    let run = site.build().expect_failure();
    let err = run.stderr();
    assert_reports(&err, "site.yaml:4:1", "per_pag");
    assert_reports(&err, "content/2023/many.md:4:1", "tag");
    assert_reports(&err, "content/2023/many.md:5:10", "updated");
    assert_reports(&err, "content/2023/many.md:6:8", "missing.jpg");
    assert_reports(&err, "content/2023/many.md:9:1", "gone.md");
    assert_reports(&err, "content/2023/many.md:9:19", "nowhere");
    assert_reports(&err, "content/2023/no-title.md:2:1", "no `title`");
    assert_reports(&err, "content/2023/one.md:4:7", "/2023/05/05/same/");
    assert_reports(&err, "content/2023/two.md:4:7", "/2023/05/05/same/");
    assert_reports(&err, "content/2023/linker.md:6:1", "none.md");
    // `check` reports the same problems.
    let check = site.run(&["check"]).expect_failure();
    assert_eq!(check.stderr().replace("check failed", "build failed"), err);
}

#[test]
fn names_too_long_for_a_folder_are_reported_by_check_and_build() {
    let long = "ب".repeat(131); // 262 bytes
    let site = SiteTest::empty();
    site.write(
        "content/a/slug.md",
        &article("أ", "2023-01-02", &format!("slug: {long}\n")),
    );
    site.write(
        "content/a/tag.md",
        &article(
            "ب",
            "2023-01-03",
            &format!("tags: [روسيا, {long}]\nauthor: هوين لو\n"),
        ),
    );
    // 100 capital dotted Is are 200 bytes of file name, and fold to 300.
    site.write(
        &format!("content/a/{}.md", "\u{130}".repeat(100)),
        &article("ج", "2023-01-04", ""),
    );
    let stem = "\u{130}".repeat(100);
    for command in ["check", "build"] {
        let err = site.run(&[command]).expect_failure().stderr();
        assert_reports(
            &err,
            "content/a/slug.md:4:7",
            "this slug is 262 bytes; at most 255",
        );
        assert_reports(&err, "content/a/slug.md:4:7", "help: shorten it");
        assert_reports(
            &err,
            "content/a/tag.md:4:7",
            "the page name of `tags` entry `بببب",
        );
        assert_reports(&err, "content/a/tag.md:4:7", "is 262 bytes; at most 255");
        assert_reports(
            &err,
            &format!("content/a/{stem}.md:1:1"),
            "the slug made from the file name is 300 bytes; at most 255",
        );
        assert!(err.ends_with("failed: 3 errors\n"), "{command}: {err}");
    }
    assert!(!site.public().exists());
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_and_pipes_are_reported_by_name() {
    use std::os::unix::ffi::OsStrExt;
    let site = SiteTest::empty();
    site.write("content/good.md", &article("سليم", "2023-01-02", ""));
    // "بوتين.md" and a photo named in Windows-1256.
    let dir = site.root().join("content");
    std::fs::write(
        dir.join(std::ffi::OsStr::from_bytes(b"\xc8\xe6\xca\xed\xe4.md")),
        article("أ", "2023-01-03", ""),
    )
    .unwrap();
    std::fs::write(
        dir.join(std::ffi::OsStr::from_bytes(b"\xd5\xe6\xd1\xc9.jpg")),
        b"\xff\xd8\xff",
    )
    .unwrap();
    let fifo = dir.join("pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for command in ["check", "build"] {
        let err = site.run(&[command]).expect_failure().stderr();
        assert_reports(
            &err,
            "content/\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}.md",
            "this name is not valid UTF-8 text",
        );
        assert_reports(
            &err,
            "content/\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}.jpg",
            "help: rename it",
        );
        assert_reports(&err, "content/pipe.md", "this is not a file or a folder");
        assert!(err.ends_with("failed: 3 errors\n"), "{command}: {err}");
    }
    assert!(!site.public().exists());
}

#[test]
fn deep_nesting_is_rejected_at_once_instead_of_sanitised_for_minutes() {
    let site = SiteTest::empty();
    let quotes = format!("{}نص <b>غامق</b>\n", "> ".repeat(20_000));
    site.write(
        "content/quotes.md",
        &format!("---\ntitle: أ\ndate: 2023-01-02\n---\n\nمقدمة.\n\n{quotes}"),
    );
    let tags = format!("<div>{}</div>\n", "<blockquote>".repeat(20_000));
    site.write(
        "content/tags.md",
        &format!("---\ntitle: ب\ndate: 2023-01-03\n---\n\n{tags}"),
    );
    let started = std::time::Instant::now();
    let err = site.build().expect_failure().stderr();
    // The sanitiser took 19 s for the first and 24 s for the second.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_reports(
        &err,
        "content/quotes.md:8:201",
        "quotes, lists or HTML elements are nested 20,00",
    );
    assert_reports(&err, "content/quotes.md:8:201", "deep here; at most 100");
    assert_reports(&err, "content/tags.md:6:1", "at most 100");
}

#[test]
fn control_characters_written_by_yaml_escapes_are_rejected() {
    let err = failing(&[(
        "content/bell.md",
        "---\ntitle: \"بوتين\\u0007يزور\"\ndate: 2023-01-02\n---\n",
    )]);
    assert_reports(
        &err,
        "content/bell.md:2:8",
        "`title` holds the control character U+0007, which pages cannot show",
    );
    assert_reports(&err, "content/bell.md:2:8", "help: remove the escape");
}

#[test]
fn raw_html_the_sanitiser_removes_is_a_warning_where_it_is_written() {
    let site = SiteTest::empty();
    site.write(
        "content/video.md",
        "---\ntitle: فيديو\ndate: 2023-09-19\n---\n\nنص.\n\n<iframe src=\"https://maps.example.com/embed?q=1\"></iframe>\n",
    );
    site.write("content/other.md", &article("آخر", "2023-09-18", ""));
    let run = site.build().expect_success();
    let warning = "warning: `<iframe>` is removed from this article's HTML";
    assert!(run.stderr().contains(warning), "{}", run.stderr());
    assert_reports(
        &run.stderr(),
        "content/video.md:8:1",
        "`<iframe>` is removed",
    );
    assert!(run.stderr().contains("raw_html"), "says how to keep it");

    // Said again by a build that keeps the article from its cache.
    site.write("content/other.md", &article("آخر معدل", "2023-09-18", ""));
    let again = site.build().expect_success();
    assert!(again.stderr().contains(warning), "{}", again.stderr());

    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}raw_html: allow\n"));
    let allowed = site.build().expect_success();
    assert!(
        !allowed.stderr().contains("removed"),
        "{}",
        allowed.stderr()
    );
    assert!(site.page("/2023/09/19/video/").contains("<iframe"));
}

#[test]
fn other_generators_markup_is_a_warning_where_it_is_written() {
    let site = SiteTest::empty();
    site.write(
        "content/hugo.md",
        "---\ntitle: من هيوغو\ndate: 2023-09-19\n---\n\nنص.\n\n{{< youtube dQw4w9WgXcQ >}}\n\n{% raw %}نص{% endraw %}\n\nصورة\n{: .center}\n\n`{{< في الشيفرة >}}`\n",
    );
    let run = site.build().expect_success();
    let err = run.stderr();
    assert_reports(
        &err,
        "content/hugo.md:8:1",
        "the Hugo shortcode `youtube` is not processed",
    );
    assert_reports(
        &err,
        "content/hugo.md:10:1",
        "the Liquid tag `raw` is not processed",
    );
    assert_reports(
        &err,
        "content/hugo.md:13:1",
        "the kramdown attribute list `{: .center}` is not processed",
    );
    assert!(!err.contains("في الشيفرة"), "code is left alone: {err}");
    assert!(site.page("/2023/09/19/hugo/").contains("{{&lt; youtube"));
}
