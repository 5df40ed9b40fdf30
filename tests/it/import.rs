//! `arshif import raw`: the scraped sample becomes an article that builds.

use std::path::Path;

use crate::harness::SiteTest;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/raw-article.ar.txt");

fn import(site: &SiteTest, args: &[&str]) -> crate::harness::Run {
    let mut all = vec!["import", "raw"];
    all.extend(args);
    site.run(&all)
}

fn articles(site: &SiteTest) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn the_raw_sample_imports_with_its_byline_and_photo_and_builds() {
    let site = SiteTest::empty();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("putin.txt");
    std::fs::copy(SAMPLE, &source).unwrap();
    std::fs::write(
        dir.path().join("putin.jpg"),
        crate::harness::image_bytes("putin.jpg", "a photo"),
    )
    .unwrap();
    let out = import(
        &site,
        &[
            source.to_str().unwrap(),
            "--date",
            "2023-09-19T14:30:00+03:00",
            "--tags",
            "روسيا،الصين",
        ],
    )
    .expect_success();
    assert!(
        out.stdout().contains("articles written: 1"),
        "{}",
        out.stdout()
    );
    assert!(
        out.stdout().contains("[إعلان 2] · رابط المصدر · تعليق (0)"),
        "the report names what it left out"
    );
    assert!(site.root().join("import-report.md").is_file());

    let written = articles(&site);
    assert_eq!(written.len(), 1);
    let text = std::fs::read_to_string(&written[0]).unwrap();
    for gone in ["[إعلان", "رابط المصدر", "تعليق (0)", "(بحسب"] {
        assert!(!text.contains(gone), "{gone} in {text}");
    }
    site.build().expect_success();
    let page = site.page("/2023/09/19/من-المقرر-أن-يزور-الرئيس-الروسي-فلاديمير-بوتن/");
    for shown in [
        "هوين لو",
        "رويترز",
        "وكالة فرانس برس",
        "الرئيس الروسي فلاديمير بوتن في سانت بطرسبرغ، 29 يوليو/تموز",
        "من المقرر أن يزور الرئيس الروسي",
        "لا الصين ولا روسيا عضوان في المحكمة الجنائية الدولية.",
    ] {
        assert!(page.contains(shown), "{shown}");
    }
    assert!(page.contains("/tags/روسيا/") && page.contains("/tags/الصين/"));
    assert!(site.exists("2023/09/19/من-المقرر-أن-يزور-الرئيس-الروسي-فلاديمير-بوتن/من-المقرر-أن-يزور-الرئيس-الروسي-فلاديمير-بوتن.jpg"));
}

#[test]
fn an_import_with_a_problem_writes_nothing() {
    let site = SiteTest::empty();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "عنوان الخبر\nنص الخبر في 2023-09-19 بعد الظهر.\n").unwrap();
    let undated = dir.path().join("undated.txt");
    std::fs::write(&undated, "عنوان آخر\nنص بلا تاريخ.\n").unwrap();
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, b"\x00\x01\x02").unwrap();
    let (g, u, b) = (
        good.to_str().unwrap(),
        undated.to_str().unwrap(),
        binary.to_str().unwrap(),
    );

    let err = import(&site, &[g, u, b]).expect_failure().stderr();
    assert!(
        err.contains(u) && err.contains("there is no date in it"),
        "{err}"
    );
    assert!(err.contains("this is not a text file"), "{err}");
    assert!(articles(&site).is_empty(), "nothing is half-written");

    // A date in the text is the article's date; --dry-run writes nothing.
    let out = import(&site, &[g, "--dry-run"]).expect_success();
    assert!(
        out.stdout().contains("articles to write: 1"),
        "{}",
        out.stdout()
    );
    assert!(articles(&site).is_empty());
    import(&site, &[g]).expect_success();
    let written = articles(&site);
    assert_eq!(written.len(), 1);
    assert!(written[0].ends_with(Path::new("content/2023/عنوان-الخبر.md")));

    // Imported again: the article is the user's now.
    let err = import(&site, &[g]).expect_failure().stderr();
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    import(&site, &[g, "--force"]).expect_success();
    site.build().expect_success();
}
