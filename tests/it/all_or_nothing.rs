//! Every build leaves the output as it was or as the new site, whole: when
//! killed, out of disk, or racing another build; and a damaged build cache
//! never gives a wrong site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use arshif::BuildOptions;
use arshif::incremental::cache;

use crate::harness::{SiteTest, article, snapshot_tree};

/// What a build keeps beside its output between builds.
const KEPT: [&str; 5] = [
    ".public.cache",
    ".public.quick",
    ".public.images",
    ".public.lock",
    ".public.prev",
];

fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") && !KEPT.contains(&n.as_str()))
        .collect()
}

/// A site of `n` articles over a few tags and days.
fn archive(n: usize) -> SiteTest {
    let site = SiteTest::empty();
    for i in 0..n {
        let day = 1 + i % 28;
        site.write(
            &format!("content/2023/a{i}.md"),
            &article(
                &format!("مقال {i}"),
                &format!("2023-05-{day:02}"),
                &format!("tags: [روسيا, وسم{}]\n", i % 7),
            ),
        );
    }
    site
}

/// The site with `title` as the title of article 0, built anew into a
/// folder of its own: what `public/` must then hold.
fn expected(site: &SiteTest, title: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    site.write(
        "content/2023/a0.md",
        &article(title, "2023-05-01", "tags: [روسيا, وسم0]\n"),
    );
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().join("site");
    site.run(&[
        "build",
        "--clean",
        "--quiet",
        "--output",
        &out_arg.to_string_lossy(),
    ])
    .expect_success();
    snapshot_tree(&out_arg)
}

/// Kills ordinary (incremental) builds at many moments: each time the
/// output is the old site or the new one, never a mix, and the build
/// after a kill is right.
#[cfg(unix)]
#[test]
fn killed_incremental_builds_leave_the_old_site_or_the_new_one() {
    let site = archive(1200);
    let states = [expected(&site, "أول"), expected(&site, "ثان")];
    site.write(
        "content/2023/a0.md",
        &article("أول", "2023-05-01", "tags: [روسيا, وسم0]\n"),
    );
    site.build().expect_success();
    // Let every stamp settle, so that the builds below are incremental.
    std::thread::sleep(Duration::from_millis(2100));
    let mut current = 0;
    assert_eq!(snapshot_tree(&site.public()), states[current]);
    // How long one such build takes here: the kills are spread over it.
    site.write(
        "content/2023/a0.md",
        &article("ثان", "2023-05-01", "tags: [روسيا, وسم0]\n"),
    );
    let started = std::time::Instant::now();
    site.build().expect_success();
    let took = started.elapsed().as_millis() as u64;
    current = 1;
    let (mut old, mut new) = (0, 0);
    for delay_ms in (0..16).map(|k| took * k / 12) {
        let target = 1 - current;
        let title = ["أول", "ثان"][target];
        site.write(
            "content/2023/a0.md",
            &article(title, "2023-05-01", "tags: [روسيا, وسم0]\n"),
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_arshif"))
            .args(["build", "--quiet", "--root"])
            .arg(site.root())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = snapshot_tree(&site.public());
        if now == states[target] {
            new += 1;
            current = target;
        } else {
            assert!(
                now == states[current],
                "killed after {delay_ms} ms: public/ is neither the old site nor the new one"
            );
            old += 1;
        }
    }
    // Whatever was left, the next build gives the site as it is now, and
    // cleans up after the killed ones.
    site.build().expect_success();
    let title_now = std::fs::read_to_string(site.root().join("content/2023/a0.md")).unwrap();
    let now = if title_now.contains("أول") { 0 } else { 1 };
    assert_eq!(snapshot_tree(&site.public()), states[now]);
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
    let said =
        format!("kills over a {took} ms build: {old} left the old site, {new} the new one\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), said.as_bytes());
}

/// Two builds of the same site at once: the second waits for the first,
/// both succeed, and the output and its cache are right.
#[test]
fn two_builds_at_once_take_turns() {
    let site = archive(400);
    site.build().expect_success();
    let want = expected(&site, "معدل");
    for clean in [false, true] {
        let spawn = || {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_arshif"));
            cmd.arg("build").arg("--root").arg(site.root());
            if clean {
                cmd.arg("--clean");
            }
            cmd.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(snapshot_tree(&site.public()), want);
        // The cache describes what is there: nothing to do, and nothing
        // different.
        let run = site.build().expect_success();
        assert_eq!(snapshot_tree(&site.public()), want, "{}", run.stdout());
        assert!(leftovers(site.root()).is_empty());
    }
}

#[test]
fn a_build_waits_for_the_one_holding_the_lock_and_says_so() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    let held = arshif::output::lock(&site.public(), &|_| {}).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(["build", "--root"])
        .arg(site.root())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "it waits");
    drop(held);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "waiting for arshif build (process {})",
            std::process::id()
        )),
        "{err}"
    );
}

/// Every single-byte change of a small site's build cache is noticed: the
/// build that follows gives exactly the right site.
#[test]
fn a_damaged_build_cache_is_never_trusted() {
    let site = SiteTest::empty();
    site.write(
        "content/2023/one.md",
        &article("واحد", "2023-05-01", "tags: [روسيا]\n"),
    );
    site.write(
        "content/2023/two.md",
        &article("اثنان", "2023-05-02", "author: هوين لو\n"),
    );
    let opts = BuildOptions::new(site.root());
    cache::build(&opts, &()).unwrap();
    let want = snapshot_tree(&site.public());
    let cache_file = site.root().join(".public.cache");
    let len = std::fs::read(&cache_file).unwrap().len();
    let mut noticed = 0;
    for i in 0..len {
        let mut bytes = std::fs::read(&cache_file).unwrap();
        let at = i % bytes.len();
        bytes[at] ^= 0x5a;
        std::fs::write(&cache_file, &bytes).unwrap();
        let outcome = cache::build(&opts, &()).unwrap();
        noticed += usize::from(outcome.note.is_some());
        assert_eq!(snapshot_tree(&site.public()), want, "byte {at} changed");
    }
    assert_eq!(noticed, len, "every damaged cache is reported");

    // A folder where the cache should be is no cache, and is replaced.
    std::fs::remove_file(&cache_file).unwrap();
    std::fs::create_dir(&cache_file).unwrap();
    site.build().expect_success();
    assert!(cache_file.is_file());
    assert_eq!(snapshot_tree(&site.public()), want);
}

/// A build that runs out of disk leaves the previous site and nothing of
/// its own. Needs a small tmpfs, which only root can mount.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(&disk)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the full-disk test (as root, to mount a tmpfs)"
        );
        // Straight to the process's stderr, which the harness does not capture.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"\nSKIPPED a_full_disk_leaves_the_previous_site: cannot mount a tmpfs (not root?)\n",
        );
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(disk.clone());
    let site = archive(60);
    let out = disk.join("public");
    let out_arg = out.to_string_lossy().into_owned();
    site.run(&["build", "--output", &out_arg]).expect_success();
    let before = snapshot_tree(&out);
    let free = || {
        let out = Command::new("df")
            .arg("--output=avail")
            .arg(&disk)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let free_before = free();
    // Enough new articles that the new site cannot fit beside the old.
    for i in 0..400 {
        site.write(
            &format!("content/2024/b{i}.md"),
            &article(
                &format!("جديد {i}"),
                "2024-01-01",
                &format!("tags: [جديد{i}]\n"),
            ),
        );
    }
    for clean in [false, true] {
        let mut args = vec!["build", "--output", &out_arg];
        if clean {
            args.push("--clean");
        }
        let err = site.run(&args).expect_failure().stderr();
        assert!(err.contains("No space left"), "{err}");
        assert_eq!(snapshot_tree(&out), before);
        let names: Vec<String> = std::fs::read_dir(&disk)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "public" && !KEPT.contains(&n.as_str()))
            .collect();
        assert!(names.is_empty(), "{names:?}");
        assert_eq!(free(), free_before, "the disk is as full as before");
    }
}

/// An output folder this user cannot change is refused before anything
/// is written, and stays the previous site. Runs the build as `nobody`,
/// which only root can do.
#[cfg(target_os = "linux")]
#[test]
fn an_output_that_cannot_be_written_is_refused_and_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !is_root || !Path::new("/usr/bin/setpriv").exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the unwritable-output test (as root, with setpriv)"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"\nSKIPPED an_output_that_cannot_be_written_is_refused: needs root and setpriv\n",
        );
        return;
    }
    let site = SiteTest::fixture("minimal");
    // Everyone may read the site and write beside it, as in /tmp.
    for entry in walkdir::WalkDir::new(site.root()) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() {
            0o1777
        } else {
            0o644
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let as_nobody = |args: &[&str]| {
        Command::new("/usr/bin/setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_arshif"))
            .args(args)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap()
    };
    let first = as_nobody(&["build", "--quiet"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = snapshot_tree(&site.public());
    let sub = site.public().join("2022");
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o555)).unwrap();
    site.write("content/2023/new.md", &article("جديد", "2023-12-01", ""));
    std::fs::set_permissions(
        site.root().join("content/2023/new.md"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    for args in [&["build"][..], &["build", "--clean"][..]] {
        let run = as_nobody(args);
        assert!(!run.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains("is not writable by this user"), "{err}");
        assert_eq!(snapshot_tree(&site.public()), before);
        assert!(
            leftovers(site.root()).is_empty(),
            "{:?}",
            leftovers(site.root())
        );
    }
    // Once it is writable again, the build goes through.
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = as_nobody(&["build"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(site.exists("2023/12/01/new/index.html"));
}

/// What a build killed at its very end leaves (a half-written cache, a
/// staging folder, the search index's spool) is removed by the next one,
/// even one with nothing to do.
#[test]
fn leftovers_of_a_killed_build_are_removed_by_the_next() {
    let site = SiteTest::fixture("minimal");
    site.build().expect_success();
    std::thread::sleep(Duration::from_millis(2100));
    let want = snapshot_tree(&site.public());
    site.write(".public.cache.tmp", "half");
    site.write(".public.staging/index.html", "half");
    site.write(".public.search/pagefind/0/pagefind.js", "half");
    let run = site.build().expect_success();
    assert!(
        run.stdout().contains("(0 pages rendered anew)"),
        "{}",
        run.stdout()
    );
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
    assert_eq!(snapshot_tree(&site.public()), want);
}
