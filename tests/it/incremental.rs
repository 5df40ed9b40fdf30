//! The preview's rebuilds give byte for byte what a clean build gives,
//! after every kind of edit, while rendering only what changed.

use std::sync::Arc;

use arshif::BuildOptions;
use arshif::incremental::Incremental;
use arshif::output::{Files, MemorySink};

use crate::harness::{SiteTest, article};

/// The site built anew by the pipeline alone: the oracle.
pub fn clean(opts: &BuildOptions) -> Files {
    let sink = MemorySink::default();
    arshif::pipeline::build(opts, &sink, &()).unwrap();
    sink.into_files()
}

#[track_caller]
pub fn same(inc: &mut Incremental, site: &SiteTest, what: &str) -> usize {
    same_with(inc, &BuildOptions::new(site.root()), what)
}

#[track_caller]
fn same_with(inc: &mut Incremental, opts: &BuildOptions, what: &str) -> usize {
    let rebuilt = inc
        .rebuild(opts)
        .unwrap_or_else(|e| panic!("{what}: {e:?}"));
    let expected = clean(opts);
    let mut differ: Vec<&Arc<str>> = expected
        .keys()
        .filter(|k| rebuilt.files.get(*k) != expected.get(*k))
        .collect();
    differ.extend(rebuilt.files.keys().filter(|k| !expected.contains_key(*k)));
    differ.sort();
    assert!(
        differ.is_empty(),
        "after {what}, these differ from a clean build: {differ:#?}"
    );
    rebuilt.outcome.report.rendered
}

#[test]
fn rebuilds_match_clean_builds_after_every_kind_of_edit() {
    let site = SiteTest::to_edit();
    let mut inc = Incremental::default();
    let first = same(&mut inc, &site, "the first build");

    let path = site.root().join("content/2021/n5.md");
    let text = std::fs::read_to_string(&path).unwrap();
    site.write(
        "content/2021/n5.md",
        &text.replace("نص المقال.", "نص جديد تماماً."),
    );
    let edited = same(&mut inc, &site, "a body edit");
    assert!(
        edited * 4 < first,
        "a body edit re-rendered {edited} of {first} pages"
    );

    site.write(
        "content/2021/n5.md",
        &text.replace("title: خبر 5", "title: عنوان آخر"),
    );
    same(&mut inc, &site, "a title edit");
    site.write(
        "content/2021/n6.md",
        &article("خبر 6", "2021-11-30", "tags: [جديد]\n"),
    );
    same(&mut inc, &site, "a date and tag change");
    site.write(
        "content/2021/added.md",
        &article("مضاف", "2021-06-06", "tags: [روسيا]\n"),
    );
    same(&mut inc, &site, "a new article");
    site.remove("content/2021/n7.md");
    same(&mut inc, &site, "a deletion");
    // The linked article moves: the linking article must be rendered again.
    let g20 = std::fs::read_to_string(site.root().join("content/2022/g20.md")).unwrap();
    site.write(
        "content/2022/g20.md",
        &g20.replace(
            "date: 2022-09-09T19:45:00+03:00",
            "date: 2022-09-10T19:45:00+03:00",
        ),
    );
    same(&mut inc, &site, "a linked article's move");
    site.write(
        "content/2021/n8.md",
        &article("خبر 8", "2021-08-18", "draft: true\n"),
    );
    same(&mut inc, &site, "an article made a draft");
    site.write("static/extra.css", "/* changed */");
    same(&mut inc, &site, "a static file");
    site.write(
        "site.yaml",
        &std::fs::read_to_string(site.root().join("site.yaml"))
            .unwrap()
            .replace("per_page: 2", "per_page: 3"),
    );
    same(&mut inc, &site, "site.yaml");
    site.write("templates/item.html", "<li>{{ article.title }}</li>");
    same(&mut inc, &site, "a template");
    let unchanged = same(&mut inc, &site, "nothing");
    assert_eq!(unchanged, 0, "nothing changed, nothing is rendered");
}

#[test]
fn a_broken_edit_is_reported_and_the_next_good_one_recovers() {
    let site = SiteTest::fixture("minimal");
    let mut inc = Incremental::default();
    same(&mut inc, &site, "the first build");
    site.write("content/2023/broken.md", "---\ntitle: [\n---\n");
    let err = inc
        .rebuild(&BuildOptions::new(site.root()))
        .err()
        .expect("the broken file is reported");
    assert!(format!("{err:?}").contains("broken.md"));
    site.remove("content/2023/broken.md");
    same(&mut inc, &site, "the fix");
}

#[test]
fn the_watchers_list_of_changed_files_is_used_only_when_it_can_be() {
    let site = SiteTest::fixture("minimal");
    let mut inc = Incremental::default();
    let first = same(&mut inc, &site, "the first build");
    let g20 = "content/2022/g20.md";
    let text = std::fs::read_to_string(site.root().join(g20)).unwrap();

    // An edit the watcher names: only that file is looked at.
    site.write(g20, &text.replace("title:", "title: جديد"));
    inc.hint(vec![g20.into()]);
    let edited = same(&mut inc, &site, "an edit named by the watcher");
    assert!(edited > 0 && edited < first, "{edited} of {first}");

    // A new file is not a known article: every file is looked at, so the
    // edit the watcher did not name is found too.
    site.write(g20, &text);
    site.write(
        "content/2023/new.md",
        &article("جديد", "2023-12-01", "tags: [روسيا]\n"),
    );
    inc.hint(vec!["content/2023/new.md".into()]);
    same(&mut inc, &site, "a new file named by the watcher");

    // A deleted file, and a file beside an article.
    site.remove("content/2023/new.md");
    inc.hint(vec!["content/2023/new.md".into()]);
    same(&mut inc, &site, "a deletion named by the watcher");
    site.write_bytes("content/2023/other.jpg", b"jpg");
    inc.hint(vec!["content/2023/other.jpg".into()]);
    same(&mut inc, &site, "a new image named by the watcher");
}

#[test]
fn bodies_parked_in_a_temporary_file_give_the_same_site() {
    // What a large archive does: every rendered body waits in a file.
    let site = SiteTest::fixture("minimal");
    let opts = BuildOptions {
        body_budget: 0,
        ..BuildOptions::new(site.root())
    };
    let mut inc = Incremental::default();
    same_with(&mut inc, &opts, "a build with parked bodies");
    site.write(
        "content/2023/new.md",
        &article("جديد", "2023-12-01", "tags: [روسيا]\n"),
    );
    same_with(&mut inc, &opts, "a rebuild with parked bodies");
}
