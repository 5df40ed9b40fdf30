//! A newsroom's own repository: the site `arshif new` makes, its Pages
//! workflow run step by step, the installer that workflow uses, and
//! copying parts of the theme to change them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const BIN: &str = env!("CARGO_BIN_EXE_arshif");

fn arshif(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[track_caller]
fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn new_site(tmp: &Path) -> PathBuf {
    let dir = tmp.join("site");
    ok(&arshif(&["new", dir.to_str().unwrap()]));
    dir
}

/// A folder holding only `arshif`, standing in for the installed one.
fn stand_in(tmp: &Path) -> PathBuf {
    let bin = tmp.join("stand-in");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(BIN, bin.join("arshif")).unwrap();
    bin
}

#[test]
fn the_scaffolded_workflow_builds_the_site_under_a_project_path() {
    let tmp = tempfile::tempdir().unwrap();
    let site = new_site(tmp.path());
    let text = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(
        workflow["env"]["ARSHIF_VERSION"].as_str(),
        Some(VERSION),
        "the workflow installs the version that wrote it"
    );
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();

    // What GitHub gives a project site `REPO` of user `user`.
    let pages_base = "https://user.github.io/REPO";
    let home = tmp.path().join("home");
    let github_path = tmp.path().join("github_path");
    std::fs::write(&github_path, "").unwrap();
    let mut path = format!("{}:/usr/bin:/bin", stand_in(tmp.path()).display());
    let mut ran = Vec::new();
    for step in steps {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", run])
            .current_dir(&site)
            .env_clear()
            .env("PATH", &path)
            .env("HOME", &home)
            .env("GITHUB_PATH", &github_path)
            .env("ARSHIF_VERSION", VERSION)
            .env("NO_COLOR", "1");
        if let Some(env) = step["env"].as_mapping() {
            for (key, value) in env {
                let value = value
                    .as_str()
                    .unwrap()
                    .replace("${{ steps.pages.outputs.base_url }}", pages_base);
                assert!(
                    !value.contains("${{"),
                    "an expression this test does not know: {value}"
                );
                cmd.env(key.as_str().unwrap(), value);
            }
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "step `{run}` failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // As the runner does: what a step adds to GITHUB_PATH is on PATH next.
        for dir in std::fs::read_to_string(&github_path).unwrap().lines() {
            path = format!("{dir}:{path}");
        }
        std::fs::write(&github_path, "").unwrap();
        ran.push(run.to_owned());
    }
    assert!(
        ran.iter().any(|r| r.contains("install-arshif.sh"))
            && ran.iter().any(|r| r.starts_with("arshif check"))
            && ran.iter().any(|r| r.starts_with("arshif build")),
        "installs, checks and builds: {ran:#?}"
    );

    let public = site.join("public");
    assert!(public.join(".nojekyll").is_file());
    let page =
        std::fs::read_to_string(public.join("2023/09/19/putin-beijing-visit/index.html")).unwrap();
    assert!(
        page.contains("href=\"/REPO/"),
        "links carry the project path"
    );
    let crawl = crate::links::crawl(&public, "/REPO/");
    assert!(
        crawl.broken.is_empty(),
        "broken under /REPO/: {:#?}",
        crawl.broken
    );
    assert!(crawl.reached.len() > 5);
}

/// The release asset name for this machine, as the installer works it out.
fn target() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-gnu",
        ("linux", "aarch64") => "aarch64-unknown-linux-gnu",
        ("macos", "x86_64") => "x86_64-apple-darwin",
        ("macos", "aarch64") => "aarch64-apple-darwin",
        other => panic!("no release binary for {other:?}"),
    }
}

fn sh(cmd: &str, dir: &Path) {
    let out = Command::new("bash")
        .args(["-c", cmd])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs the installer with only the system's tools on PATH (plus `extra`).
fn install(site: &Path, home: &Path, releases: &Path, extra: Option<&Path>) -> Output {
    let path = match extra {
        Some(dir) => format!("{}:/usr/bin:/bin", dir.display()),
        None => "/usr/bin:/bin".to_owned(),
    };
    Command::new("bash")
        .args([".github/install-arshif.sh", VERSION])
        .current_dir(site)
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("ARSHIF_RELEASES", format!("file://{}", releases.display()))
        .output()
        .unwrap()
}

#[test]
fn the_installer_checks_the_checksum_and_falls_back_to_cargo() {
    let tmp = tempfile::tempdir().unwrap();
    let site = new_site(tmp.path());
    let home = tmp.path().join("home");
    let installed = home.join(".cargo/bin/arshif");

    // A release as the release workflow packs it.
    let name = format!("arshif-{VERSION}-{}", target());
    let assets = tmp.path().join(format!("releases/v{VERSION}"));
    std::fs::create_dir_all(assets.join(&name)).unwrap();
    std::fs::copy(BIN, assets.join(&name).join("arshif")).unwrap();
    sh(
        &format!("tar -czf {name}.tar.gz {name} && sha256sum {name}.tar.gz > {name}.tar.gz.sha256"),
        &assets,
    );
    let releases = tmp.path().join("releases");

    let out = install(&site, &home, &releases, None);
    let said = ok(&out);
    assert!(
        said.contains(&format!("installed arshif {VERSION}")),
        "{said}"
    );
    let version = Command::new(&installed).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with(&format!("arshif {VERSION}")));

    // Installed once, the next run (a cached install) downloads nothing.
    std::fs::rename(
        assets.join(format!("{name}.tar.gz")),
        tmp.path().join("kept.tar.gz"),
    )
    .unwrap();
    let said = ok(&install(&site, &home, &releases, None));
    assert!(said.contains("is installed"), "{said}");

    // A binary that does not match its checksum is refused.
    std::fs::remove_file(&installed).unwrap();
    std::fs::rename(
        tmp.path().join("kept.tar.gz"),
        assets.join(format!("{name}.tar.gz")),
    )
    .unwrap();
    let sums = assets.join(format!("{name}.tar.gz.sha256"));
    std::fs::write(&sums, format!("{}  {name}.tar.gz\n", "0".repeat(64))).unwrap();
    let out = install(&site, &home, &releases, None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not match its published SHA-256"));
    assert!(!installed.exists(), "nothing is installed");

    // No release binary: `cargo install` of that exact version builds it.
    std::fs::remove_file(&sums).unwrap();
    let fake = tmp.path().join("fake-cargo");
    std::fs::create_dir_all(&fake).unwrap();
    let log = tmp.path().join("cargo.log");
    std::fs::write(
        fake.join("cargo"),
        format!(
            "#!/bin/bash\necho \"$@\" > {log}\nwhile [ \"$1\" != --root ]; do shift; done\nmkdir -p \"$2/bin\" && cp {BIN} \"$2/bin/arshif\"\n",
            log = log.display()
        ),
    )
    .unwrap();
    sh("chmod +x cargo", &fake);
    let out = install(&site, &home, &releases, Some(&fake));
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no release binary"));
    let args = std::fs::read_to_string(&log).unwrap();
    assert!(
        args.starts_with(&format!("install arshif --version ={VERSION} --locked")),
        "{args}"
    );
    assert!(installed.is_file());
}

#[test]
fn a_copied_template_is_the_sites_to_change() {
    let tmp = tempfile::tempdir().unwrap();
    let site = new_site(tmp.path());
    let root = site.to_str().unwrap();
    let said = ok(&arshif(&["theme", "copy", "article.html", "--root", root]));
    assert!(
        said.contains("templates/article.html"),
        "says what it wrote: {said}"
    );
    let copied = site.join("templates/article.html");
    let text = std::fs::read_to_string(&copied).unwrap();
    assert_eq!(
        text,
        arshif::theme::TEMPLATES
            .iter()
            .find(|(n, _)| *n == "article.html")
            .unwrap()
            .1
    );

    std::fs::write(
        &copied,
        text.replacen("<article", "<article data-mine=\"yes\"", 1),
    )
    .unwrap();
    ok(&arshif(&["build", "--root", root]));
    let page =
        std::fs::read_to_string(site.join("public/2023/09/19/putin-beijing-visit/index.html"))
            .unwrap();
    assert!(
        page.contains("data-mine=\"yes\""),
        "the next build uses the copy"
    );

    // A second copy would overwrite the user's work: refused unless forced.
    let out = arshif(&["theme", "copy", "article.html", "--root", root]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert!(
        std::fs::read_to_string(&copied)
            .unwrap()
            .contains("data-mine")
    );

    let out = arshif(&["theme", "copy", "nope.html", "--root", root]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nope.html") && err.contains("article.html"),
        "{err}"
    );

    ok(&arshif(&["theme", "copy", "style.css", "--root", root]));
    assert!(site.join("static/style.css").is_file());
}
