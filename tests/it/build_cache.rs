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
    assert_eq!(
        folders(&site.public()),
        folders(&fresh),
        "after {what}, the folders differ from a clean build's"
    );
    std::fs::remove_dir_all(&fresh).unwrap();
    std::fs::remove_file(site.root().join(".fresh.cache")).unwrap();
    let _ = std::fs::remove_file(site.root().join(".fresh.quick"));
    run.stdout()
}

/// Every folder under `dir`, empty ones included.
fn folders(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// The pages a build rendered, from its summary line: all of them unless
/// it says how many were rendered anew.
fn rendered(stdout: &str) -> usize {
    if stdout.contains(" (nothing changed) ") {
        return 0;
    }
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
    // Files copied moments ago are fingerprinted by their bytes, and by
    // their stamp once it can be trusted: a build more than two seconds
    // later would copy them again.
    settle();
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
    assert_eq!(rendered(&run.stdout()), 0, "{}", run.stdout());
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

/// Longer than a stamp needs to be trusted: a build that starts after
/// this can tell a file's next change from its stamp alone.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2100));
}

fn says_nothing_changed(run: &crate::harness::Run) -> bool {
    run.stdout().contains(" (nothing changed) ")
}

/// Each file beside the output with its inode and modification time.
fn beside(site: &SiteTest) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    [".public.cache", ".public.quick", "public"]
        .into_iter()
        .map(|name| {
            let meta = std::fs::metadata(site.root().join(name)).unwrap();
            #[cfg(unix)]
            let ino = std::os::unix::fs::MetadataExt::ino(&meta);
            #[cfg(not(unix))]
            let ino = 0;
            (name.to_owned(), (ino, meta.modified().unwrap()))
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_rebuild_with_nothing_changed_reads_and_writes_nothing() {
    let site = SiteTest::to_edit();
    settle();
    let first = site.build().expect_success().stdout();
    let before = beside(&site);
    let files = inodes(&site.public());
    let run = site.build().expect_success();
    assert!(says_nothing_changed(&run), "{}", run.stdout());
    let counts = |out: &str| {
        out.split(" in ")
            .next()
            .unwrap()
            .replace(" (nothing changed)", "")
    };
    assert_eq!(
        counts(&run.stdout()),
        counts(&first),
        "the site is counted as before"
    );
    // "in 0.10 s (1.2 MB)", before what a build says of its images.
    let size = |out: &str| {
        let after = out.split_once(" in ").unwrap().1;
        let size = after.split_once(" (").unwrap().1;
        size.split_once(')').unwrap().0.to_owned()
    };
    assert_eq!(size(&run.stdout()), size(&first));
    assert_eq!(beside(&site), before, "the cache and output are untouched");
    assert_eq!(inodes(&site.public()), files);
    same_as_clean(&site, "nothing changed");
}

/// After a rebuild that found nothing changed, every kind of change, made
/// long enough before the next build for stamps to tell, is seen.
#[test]
fn every_change_is_seen_after_a_rebuild_with_nothing_changed() {
    let site = SiteTest::to_edit();
    site.write("static/extra.css", "/* extra */");
    site.write("content/2021/n3.jpg", "not really a picture");
    settle();
    site.build().expect_success();
    let n5 = std::fs::read_to_string(site.root().join("content/2021/n5.md")).unwrap();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let edits: Vec<Edit> = vec![
        (
            "an article edited",
            Box::new(|| {
                site.write("content/2021/n5.md", &n5.replace("نص المقال.", "نص آخر."));
            }),
        ),
        (
            "an article edited with its length and modification time kept",
            Box::new(|| {
                let path = site.root().join("content/2021/n5.md");
                let before = std::fs::metadata(&path).unwrap();
                site.write("content/2021/n5.md", &n5.replace("نص المقال.", "نص ثان."));
                assert_eq!(std::fs::metadata(&path).unwrap().len(), before.len());
                let mtime = before.modified().unwrap();
                let file = std::fs::File::options().write(true).open(&path).unwrap();
                file.set_modified(mtime).unwrap();
            }),
        ),
        (
            "an article added",
            Box::new(|| {
                site.write(
                    "content/2021/added.md",
                    &article("مضاف", "2021-06-06", "tags: [روسيا]\n"),
                );
            }),
        ),
        (
            "an article removed",
            Box::new(|| {
                site.remove("content/2021/n7.md");
            }),
        ),
        (
            "an article renamed",
            Box::new(|| {
                let root = site.root();
                std::fs::rename(
                    root.join("content/2021/n8.md"),
                    root.join("content/2021/m8.md"),
                )
                .unwrap();
            }),
        ),
        (
            "a folder of articles renamed",
            Box::new(|| {
                let root = site.root();
                std::fs::rename(root.join("content/2021"), root.join("content/old")).unwrap();
            }),
        ),
        (
            "a file beside an article changed",
            Box::new(|| {
                site.write("content/old/n3.jpg", "another picture");
            }),
        ),
        (
            "a template added",
            Box::new(|| {
                site.write("templates/item.html", "<li>{{ article.title }}</li>");
            }),
        ),
        (
            "a template edited",
            Box::new(|| {
                site.write("templates/item.html", "<li>{{ article.title }}!</li>");
            }),
        ),
        (
            "a static file edited",
            Box::new(|| {
                site.write("static/extra.css", "/* changed */");
            }),
        ),
        (
            "a static file added",
            Box::new(|| {
                site.write("static/more/new.txt", "new");
            }),
        ),
        (
            "a static file removed",
            Box::new(|| {
                site.remove("static/extra.css");
            }),
        ),
        (
            "site.yaml edited",
            Box::new(|| {
                site.write("site.yaml", &yaml.replace("per_page: 2", "per_page: 3"));
            }),
        ),
    ];
    for (what, edit) in &edits {
        let run = site.build().expect_success();
        assert!(
            says_nothing_changed(&run),
            "before {what}: {}",
            run.stdout()
        );
        edit();
        settle();
        let out = same_as_clean(&site, what);
        assert!(!out.contains("nothing changed"), "{what}: {out}");
    }

    // Other options than the last build's.
    let run = site.build().expect_success();
    assert!(says_nothing_changed(&run), "{}", run.stdout());
    let other = site.run(&["build", "--base-url", "https://example.net/x/"]);
    assert!(!says_nothing_changed(&other.expect_success()));
    assert!(site.page("/").contains("https://example.net/x/"));
    let run = site.run(&["build", "--drafts"]).expect_success();
    assert!(!says_nothing_changed(&run), "{}", run.stdout());
    let out = same_as_clean(&site, "the usual options again");
    assert!(!out.contains("nothing changed"), "{out}");
}

/// A quick check that is damaged, left half written, or outlived by its
/// cache or output is not trusted: the build looks at everything.
#[test]
fn a_quick_check_that_does_not_hold_means_a_full_one() {
    let site = SiteTest::to_edit();
    settle();
    site.build().expect_success();
    let quick = site.root().join(".public.quick");
    let good = std::fs::read(&quick).unwrap();
    assert!(says_nothing_changed(&site.build().expect_success()));

    for at in [0, good.len() / 2, good.len() - 1] {
        let mut bytes = good.clone();
        bytes[at] ^= 0x5a;
        std::fs::write(&quick, &bytes).unwrap();
        let out = same_as_clean(&site, "a damaged quick check");
        assert_eq!(rendered(&out), 0, "{out}");
        assert!(!out.contains("nothing changed"), "byte {at}: {out}");
        assert!(says_nothing_changed(&site.build().expect_success()));
    }

    // Killed while writing it: the half-written file is removed.
    site.write(".public.quick.tmp", "half");
    std::fs::write(&quick, &good[..good.len() / 2]).unwrap();
    let out = same_as_clean(&site, "a half-written quick check");
    assert!(!out.contains("nothing changed"), "{out}");
    assert!(!site.root().join(".public.quick.tmp").exists());
    assert!(says_nothing_changed(&site.build().expect_success()));

    // The cache rewritten, or gone, behind its back.
    let cache = site.root().join(".public.cache");
    std::fs::write(&cache, std::fs::read(&cache).unwrap()).unwrap();
    let out = same_as_clean(&site, "a cache written by something else");
    assert!(!out.contains("nothing changed"), "{out}");
    std::fs::remove_file(&cache).unwrap();
    site.write("public/2022/09/09/g20/index.html", "half");
    let out = same_as_clean(&site, "no cache");
    assert!(!out.contains("nothing changed"), "{out}");

    // The output replaced by a copy of itself.
    assert!(says_nothing_changed(&site.build().expect_success()));
    let copy = site.root().join("copy");
    std::fs::rename(site.public(), &copy).unwrap();
    std::fs::create_dir(site.public()).unwrap();
    for (rel, bytes) in snapshot_tree(&copy) {
        site.write_bytes(&format!("public/{}", rel.display()), &bytes);
    }
    std::fs::remove_dir_all(&copy).unwrap();
    let out = same_as_clean(&site, "an output replaced");
    assert!(!out.contains("nothing changed"), "{out}");
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
}

/// Edits article `n` of `SiteTest::to_edit` with a body of its own.
fn edit(site: &SiteTest, n: usize, body: &str) {
    let tags = ["روسيا", "الصين", "الاقتصاد"][n % 3];
    let text = article(
        &format!("خبر {n}"),
        &format!("2021-0{}-1{}", 1 + n % 9, n % 10),
        &format!("tags: [{tags}]\n"),
    );
    site.write(
        &format!("content/2021/n{n}.md"),
        &format!("{text}\n{body}\n"),
    );
}

/// The site a build replaces is kept beside the output (`.public.prev`),
/// sharing every file it did not change, and the next build makes its new
/// site from it; each time the output is what a clean build gives.
#[cfg(unix)]
#[test]
fn a_rebuild_starts_from_the_site_before_the_last() {
    let site = SiteTest::to_edit();
    settle();
    site.build().expect_success();
    let kept = site.root().join(".public.prev");
    assert!(!kept.exists(), "a first build has no site to keep");
    let first = inode(&site.public());
    edit(&site, 1, "تعديل أول.");
    same_as_clean(&site, "an edit");
    assert_eq!(inode(&kept), first, "the replaced site is kept");
    assert_eq!(
        inode(&kept.join("style.css")),
        inode(&site.public().join("style.css")),
        "a file the build did not change is one file in both"
    );
    let second = inode(&kept);
    edit(&site, 2, "تعديل ثان.");
    same_as_clean(&site, "an edit of another article");
    assert_eq!(
        inode(&site.public()),
        second,
        "the new site is the kept one made up to date"
    );
    // Each kind of change, after one of another kind: what the last build
    // changed is what the kept tree lacks.
    edit(&site, 3, "تعديل.");
    same_as_clean(&site, "an edit");
    site.remove("content/2021/n3.md");
    same_as_clean(&site, "the edited article deleted");
    edit(&site, 3, "عاد.");
    same_as_clean(&site, "the deleted article back");
    site.remove("content/2021/n4.md");
    same_as_clean(&site, "another deletion");
    site.write(
        "content/2021/added.md",
        &article("مضاف", "2021-06-06", "tags: [وسم جديد]\n"),
    );
    same_as_clean(&site, "a new article with a new tag");
    site.remove("content/2021/added.md");
    same_as_clean(&site, "the new article deleted");
    same_as_clean(&site, "nothing");
    edit(&site, 1, "تعديل أخير.");
    same_as_clean(&site, "an edit after nothing changed");
}

/// Files added to the output after a build (a precompressor's), or added
/// to or removed from the kept tree, never reach a later site: the kept
/// tree is used only while its folders are as the build left them.
#[cfg(unix)]
#[test]
fn files_changed_by_hand_beside_the_site_never_come_back() {
    let site = SiteTest::to_edit();
    settle();
    site.build().expect_success();
    edit(&site, 1, "أ.");
    same_as_clean(&site, "an edit");
    // (A file added at the top changes the output folder's own stamp,
    // which makes the next build a clean one.)
    site.write("public/2021/extra.html.gz", "added after the build");
    edit(&site, 2, "ب.");
    same_as_clean(&site, "an edit after files were added to public/");
    // The site they were added to is now the kept one.
    assert!(site.root().join(".public.prev/2021/extra.html.gz").exists());
    edit(&site, 5, "ج.");
    same_as_clean(&site, "the build after that");
    let kept = site.root().join(".public.prev");
    std::fs::remove_file(kept.join("style.css")).unwrap();
    edit(&site, 6, "د.");
    same_as_clean(&site, "a file removed from the kept tree");
    std::fs::write(kept.join("2021/stray.html"), "stray").unwrap();
    edit(&site, 7, "هـ.");
    same_as_clean(&site, "a file added to the kept tree");
    edit(&site, 8, "و.");
    same_as_clean(&site, "the build after that");
}

/// A large archive's cache holds its articles in parts read on every
/// thread: each of them comes back from it, in every part.
#[test]
fn an_archive_of_many_parts_rebuilds_from_its_cache() {
    let site = SiteTest::empty();
    let n = 2100;
    let write = |i: usize, body: &str| {
        let tags = format!("tags: [وسم{}]\n", i % 5);
        let text = article(&format!("مقال {i}"), "2023-05-01", &tags);
        site.write(&format!("content/a{i}.md"), &format!("{text}\n{body}\n"));
    };
    for i in 0..n {
        write(i, "");
    }
    settle();
    site.build().expect_success();
    // One article in each part of the cache (1,024 articles a part).
    for i in [3, 1500, n - 1] {
        write(i, "نص جديد.");
    }
    let out = same_as_clean(&site, "edits in every part");
    let pages = rendered(&out);
    assert!(
        (3..n / 10).contains(&pages),
        "the edits rendered {pages} pages: the rest came from the cache ({out})"
    );
}
