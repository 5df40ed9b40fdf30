//! `build` after a previous build renders and writes only what changed,
//! and gives byte for byte what a clean build gives.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::harness::{SiteTest, article, snapshot_tree};

/// Builds `site` incrementally, and anew into another folder, and compares
/// every file; returns what the incremental build printed.
#[track_caller]
pub fn same_as_clean(site: &SiteTest, what: &str) -> String {
    let run = site.run(&["build"]);
    assert!(run.ok(), "{what}: {}", run.stderr());
    let fresh = site.root().join("fresh");
    let fresh_arg = fresh.to_string_lossy().into_owned();
    site.run(&["build", "--clean", "--output", &fresh_arg])
        .expect_success();
    let (got, want) = (snapshot_tree(&site.public()), snapshot_tree(&fresh));
    let mut differ: Vec<_> = want
        .keys()
        .filter(|k| got.get(*k) != want.get(*k))
        .collect();
    differ.extend(got.keys().filter(|k| !want.contains_key(*k)));
    assert!(
        differ.is_empty(),
        "after {what}, these differ from a clean build: {differ:#?}"
    );
    std::fs::remove_dir_all(&fresh).unwrap();
    std::fs::remove_file(site.root().join(".fresh.cache")).unwrap();
    run.stdout()
}

/// The pages a build rendered, from its summary line: all of them unless
/// it says how many were rendered anew.
fn rendered(stdout: &str) -> usize {
    let number = |s: &str| s.replace(',', "").parse::<usize>().unwrap();
    match stdout
        .split_once(" pages (")
        .or(stdout.split_once(" page ("))
    {
        Some((_, rest)) => number(rest.split(' ').next().unwrap()),
        None => {
            let (_, rest) = stdout.split_once(", ").unwrap();
            number(rest.split(' ').next().unwrap())
        }
    }
}

/// Every file of `dir` with its inode: a file written anew (through a
/// temporary file renamed over it) gets a new one.
#[cfg(unix)]
fn inodes(dir: &Path) -> BTreeMap<PathBuf, u64> {
    use std::os::unix::fs::MetadataExt;
    snapshot_tree(dir)
        .into_keys()
        .map(|rel| {
            let ino = std::fs::metadata(dir.join(&rel)).unwrap().ino();
            (rel, ino)
        })
        .collect()
}

#[test]
fn rebuilds_match_clean_builds_after_every_kind_of_edit() {
    let site = SiteTest::to_edit();
    let first = rendered(&same_as_clean(&site, "the first build"));
    assert!(first > 100, "the first build renders every page ({first})");
    let before = snapshot_tree(&site.public());
    #[cfg(unix)]
    let before_inodes = inodes(&site.public());

    let path = site.root().join("content/2021/n5.md");
    let text = std::fs::read_to_string(&path).unwrap();
    site.write(
        "content/2021/n5.md",
        &text.replace("نص المقال.", "نص جديد تماماً."),
    );
    let edited = rendered(&same_as_clean(&site, "a body edit"));
    assert!(
        (1..first / 4).contains(&edited),
        "a body edit rendered {edited} of {first} pages"
    );
    // Nothing unchanged is written again.
    let after = snapshot_tree(&site.public());
    let changed = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .count();
    assert!((1..=edited).contains(&changed), "{changed} files changed");
    #[cfg(unix)]
    for (rel, ino) in inodes(&site.public()) {
        if before.get(&rel) == after.get(&rel) {
            assert_eq!(Some(&ino), before_inodes.get(&rel), "{rel:?} was rewritten");
        }
    }

    site.write(
        "content/2021/n5.md",
        &text.replace("title: خبر 5", "title: عنوان آخر"),
    );
    same_as_clean(&site, "a title edit");
    site.write(
        "content/2021/n6.md",
        &article("خبر 6", "2021-11-30", "tags: [جديد]\n"),
    );
    same_as_clean(&site, "a date and tag change");
    site.write(
        "content/2021/added.md",
        &article("مضاف", "2021-06-06", "tags: [روسيا]\n"),
    );
    same_as_clean(&site, "a new article");
    site.remove("content/2021/n7.md");
    same_as_clean(&site, "a deletion");
    let g20 = std::fs::read_to_string(site.root().join("content/2022/g20.md")).unwrap();
    site.write(
        "content/2022/g20.md",
        &g20.replace(
            "date: 2022-09-09T19:45:00+03:00",
            "date: 2022-09-10T19:45:00+03:00",
        ),
    );
    same_as_clean(&site, "a linked article's move");
    assert!(!site.exists("2022/09/09"), "the old day's folder is gone");
    site.write(
        "content/2021/n8.md",
        &article("خبر 8", "2021-08-18", "draft: true\n"),
    );
    same_as_clean(&site, "an article made a draft");
    site.write("static/extra.css", "/* changed */");
    same_as_clean(&site, "a static file");
    site.write("static/style.css", "/* the site's own */");
    same_as_clean(&site, "a theme file overridden");
    site.remove("static/style.css");
    same_as_clean(&site, "the override removed");
    site.write(
        "site.yaml",
        &std::fs::read_to_string(site.root().join("site.yaml"))
            .unwrap()
            .replace("per_page: 2", "per_page: 3"),
    );
    let out = same_as_clean(&site, "site.yaml");
    assert!(!out.contains("anew"), "all is rendered anew: {out}");
    site.write("templates/item.html", "<li>{{ article.title }}</li>");
    let out = same_as_clean(&site, "a template");
    assert!(!out.contains("anew"), "all is rendered anew: {out}");
    let out = same_as_clean(&site, "nothing");
    assert_eq!(rendered(&out), 0, "nothing changed: {out}");
}

#[test]
fn a_failed_rebuild_changes_nothing_and_keeps_the_cache() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    let before = snapshot_tree(&site.public());
    site.write("content/2023/broken.md", "---\ntitle: [\n---\n");
    site.build().expect_failure();
    assert_eq!(snapshot_tree(&site.public()), before);
    site.remove("content/2023/broken.md");
    let run = site.build().expect_success();
    assert!(
        run.stdout().contains("(0 pages rendered anew)"),
        "{}",
        run.stdout()
    );
}

#[test]
fn without_its_cache_a_build_starts_from_nothing() {
    // A build killed while writing in place leaves no cache: the next one
    // replaces the whole output, mending whatever was half done.
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    let good = snapshot_tree(&site.public());
    std::fs::remove_file(site.root().join(".public.cache")).unwrap();
    site.write("public/2022/09/09/g20/index.html", "half");
    site.write("public/stray.html", "left over");
    let run = site.build().expect_success();
    assert!(!run.stdout().contains("anew"), "{}", run.stdout());
    assert_eq!(snapshot_tree(&site.public()), good);

    // So does a build whose output was replaced by something else.
    std::fs::remove_dir_all(site.public()).unwrap();
    std::fs::create_dir(site.public()).unwrap();
    site.write("public/.nojekyll", "");
    site.build().expect_success();
    assert_eq!(snapshot_tree(&site.public()), good);

    // And --clean ignores the cache.
    site.write("public/2022/09/09/g20/index.html", "edited by hand");
    let run = site.run(&["build", "--clean"]).expect_success();
    assert!(!run.stdout().contains("anew"), "{}", run.stdout());
    assert_eq!(snapshot_tree(&site.public()), good);
}
