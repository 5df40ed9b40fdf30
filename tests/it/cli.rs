//! `arshif new`, and the command line as a user meets it.

use std::process::Command;

fn arshif(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn new_scaffolds_a_site_that_builds_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-archive");
    let out = arshif(&["new", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "site.yaml",
        "README.md",
        ".gitignore",
        ".github/workflows/pages.yml",
        ".github/install-arshif.sh",
        "content/2023/putin-beijing-visit.md",
        "content/2023/putin.jpg",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    // The theme stays built in, so that a new version's fixes reach the site.
    assert!(!dir.join("templates").exists() && !dir.join("static").exists());
    let site_yaml = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
    assert!(
        site_yaml.lines().filter(|l| l.starts_with('#')).count() > 20,
        "site.yaml explains its keys"
    );
    let out = arshif(&["build", "--root", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page =
        std::fs::read_to_string(dir.join("public/2023/09/19/putin-beijing-visit/index.html"))
            .unwrap();
    assert!(page.contains("هوين لو"));
    assert!(
        dir.join("public/2023/09/19/putin-beijing-visit/putin.jpg")
            .is_file()
    );
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = arshif(&["new", tmp.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not empty") && err.contains("--force"),
        "{err}"
    );
    assert!(!tmp.path().join("site.yaml").exists());

    let out = arshif(&["new", "--force", tmp.path().to_str().unwrap()]);
    assert!(out.status.success());
    assert!(tmp.path().join("site.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine",
        "other files are left alone"
    );
}

#[test]
fn unknown_commands_and_flags_are_explained() {
    let out = arshif(&["biuld"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("build"),
        "clap suggests the nearest command: {err}"
    );
    let out = arshif(&["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["build", "check", "new"] {
        assert!(help.contains(cmd), "{help}");
    }
}

#[test]
fn a_jekyll_posts_folder_alone_is_not_built_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content/_posts")).unwrap();
    std::fs::create_dir_all(root.join("content/_drafts")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: t\nbase_url: https://x.org/\n",
    )
    .unwrap();
    for name in ["2014-11-11-a.md", "2014-11-12-b.md"] {
        std::fs::write(
            root.join("content/_posts").join(name),
            "---\ntitle: a\ndate: 2014-11-11\n---\n\nنص\n",
        )
        .unwrap();
    }
    std::fs::write(root.join("content/_drafts/notes.txt"), "no Markdown here").unwrap();
    let out = arshif(&["build", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "a warning, not an error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: content/_posts holds 2 Markdown files, and none was built"),
        "{err}"
    );
    assert!(err.contains("mv content/_posts content/posts"), "{err}");
    assert!(
        !err.contains("_drafts"),
        "a folder without Markdown is not named: {err}"
    );
}
