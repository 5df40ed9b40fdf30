//! The previous site survives every failed or interrupted build.

use std::process::Command;
use std::time::Duration;

use crate::harness::{SiteTest, article, snapshot_tree};

/// What a build keeps beside its output between builds.
const KEPT: [&str; 5] = [
    ".public.cache",
    ".public.quick",
    ".public.images",
    ".public.lock",
    ".public.prev",
];

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    let before = snapshot_tree(&site.public());
    site.write("content/2023/broken.md", "---\ntitle: [\n---\n");
    site.write("content/2023/new.md", &article("جديد", "2023-12-01", ""));
    site.build().expect_failure();
    assert_eq!(snapshot_tree(&site.public()), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") && !KEPT.contains(&n.as_str()))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn deleted_articles_leave_no_stale_pages() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    assert!(site.exists("2022/09/09/g20/index.html"));
    site.remove("content/2022/g20.md");
    site.build().expect_success();
    assert!(!site.exists("2022/09/09/g20/index.html"));
    assert!(!site.exists("2022"));
}

#[test]
fn output_folder_cannot_be_the_site_itself() {
    let site = SiteTest::fixture("minimal");
    for out in [
        ".",
        "content",
        "content/2023",
        "templates",
        "static/out",
        "static/..",
        "content/../templates/x",
    ] {
        let err = site
            .run(&[
                "build",
                "--output",
                &site.root().join(out).to_string_lossy(),
            ])
            .expect_failure()
            .stderr();
        assert!(
            err.contains("refusing to write the site over"),
            "{out}: {err}"
        );
    }
    assert!(site.root().join("content/2023/putin-beijing.md").exists());
    assert!(!site.root().join("static/out").exists());
}

#[test]
fn a_folder_that_is_not_a_previous_build_is_never_replaced() {
    let site = SiteTest::fixture("minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("thesis.txt"), "precious").unwrap();
    let err = site
        .run(&["build", "--output", &elsewhere.path().to_string_lossy()])
        .expect_failure()
        .stderr();
    assert!(
        err.contains("is not empty and is not a previous build"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("thesis.txt")).unwrap(),
        "precious"
    );
    // An empty folder, or a previous build, is fine.
    let empty = tempfile::tempdir().unwrap();
    site.run(&["build", "--output", &empty.path().to_string_lossy()])
        .expect_success();
    site.run(&["build", "--output", &empty.path().to_string_lossy()])
        .expect_success();
    assert!(empty.path().join(".nojekyll").exists());
}

/// Kills builds of a few thousand articles at many moments; whatever the
/// moment, `public/` is the previous site, byte for byte.
#[cfg(unix)]
#[test]
fn killed_build_leaves_previous_output_untouched() {
    let site = SiteTest::empty();
    for i in 0..1500 {
        let day = 1 + i % 28;
        site.write(
            &format!("content/2023/a{i}.md"),
            &article(
                &format!("مقال {i}"),
                &format!("2023-05-{day:02}"),
                "tags: [روسيا]\n",
            ),
        );
    }
    site.build().expect_success();
    let before = snapshot_tree(&site.public());
    site.write("content/2023/extra.md", &article("إضافي", "2023-06-01", ""));
    let mut finished = 0;
    for delay_ms in [0u64, 5, 10, 20, 40, 60, 80, 120, 160, 250] {
        // A clean build: one after a previous build writes in place
        // (see build_cache.rs).
        let mut child = Command::new(env!("CARGO_BIN_EXE_arshif"))
            .args(["build", "--clean", "--quiet", "--root"])
            .arg(site.root())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let done = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = snapshot_tree(&site.public());
        if done {
            finished += 1;
            assert!(
                now.keys().any(|p| p.starts_with("2023/06/01")),
                "a finished build is complete"
            );
            break;
        }
        assert_eq!(
            now.len(),
            before.len(),
            "killed after {delay_ms} ms: public/ changed"
        );
        assert!(now == before, "killed after {delay_ms} ms: public/ changed");
    }
    // The next build cleans up whatever a killed one left.
    site.build().expect_success();
    assert!(site.exists("2023/06/01/extra/index.html"));
    let names: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !names.iter().any(|n| {
            let n = n.to_string_lossy();
            n.starts_with(".public") && !KEPT.contains(&n.as_ref())
        }),
        "{names:?} ({finished})"
    );
}
