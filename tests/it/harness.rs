//! Builds fixture sites in temporary folders with the real `arshif` binary
//! and reads back what a user would see.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub struct SiteTest {
    dir: TempDir,
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.output.status.success()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    #[track_caller]
    pub fn expect_success(self) -> Run {
        assert!(self.ok(), "build failed:\n{}", self.stderr());
        self
    }

    #[track_caller]
    pub fn expect_failure(self) -> Run {
        assert!(
            !self.ok(),
            "build succeeded but should have failed:\n{}",
            self.stdout()
        );
        self
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl SiteTest {
    /// A copy of `tests/fixtures/NAME` in a fresh temporary folder.
    pub fn fixture(name: &str) -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join(name), dir.path());
        SiteTest { dir }
    }

    /// A site with only a site.yaml and an empty content folder.
    pub fn empty() -> SiteTest {
        let site = SiteTest {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write(
            "site.yaml",
            "title: أرشيف\nbase_url: https://example.org/\ntimezone: \"+03:00\"\n",
        );
        std::fs::create_dir_all(site.root().join("content")).unwrap();
        site
    }

    /// The minimal fixture with 30 more articles over three tags and one
    /// that links to another by its file: a site to edit in every way.
    pub fn to_edit() -> SiteTest {
        let site = SiteTest::fixture("minimal");
        for i in 0..30 {
            let tags = ["روسيا", "الصين", "الاقتصاد"][i % 3];
            site.write(
                &format!("content/2021/n{i}.md"),
                &article(
                    &format!("خبر {i}"),
                    &format!("2021-0{}-1{}", 1 + i % 9, i % 10),
                    &format!("tags: [{tags}]\n"),
                ),
            );
        }
        site.write(
            "content/2021/linker.md",
            "---\ntitle: رابط\ndate: 2021-12-01\n---\n\n[قمة](../2022/g20.md)\n",
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) -> &SiteTest {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &SiteTest {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &SiteTest {
        std::fs::remove_file(self.root().join(rel)).unwrap();
        self
    }

    /// Runs `arshif ARGS… --root SITE`.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_arshif"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        Run { output }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// The HTML of the page at site path `url` (`/2023/09/19/x/`), under
    /// any base path.
    #[track_caller]
    pub fn page(&self, url: &str) -> String {
        let rel = url.trim_start_matches('/');
        let path = if rel.is_empty() || rel.ends_with('/') {
            self.public().join(rel).join("index.html")
        } else {
            self.public().join(rel)
        };
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("no page {url} ({}): {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel.trim_start_matches('/')).exists()
    }
}

/// Every file under `dir` with its bytes, for comparing whole outputs.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A front-matter article for tests: `article("عنوان", "2023-09-19", "tags: [a]\n")`.
pub fn article(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra}---\n\nنص المقال.\n")
}

/// A real image of the format `name`'s extension says (JPEG, PNG, GIF),
/// 16 × 12 pixels, different for each `seed`: for sites whose images are
/// read and resized.
pub fn image_bytes(name: &str, seed: &str) -> Vec<u8> {
    let format = image::ImageFormat::from_path(name).unwrap_or(image::ImageFormat::Jpeg);
    let tint = seed
        .bytes()
        .fold(7u8, |h, b| h.wrapping_mul(31).wrapping_add(b));
    let img = image::RgbImage::from_fn(16, 12, |x, y| {
        image::Rgb([(x * 16) as u8, (y * 20) as u8, tint])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), format)
        .unwrap();
    out
}

/// Whether `name` is an image that builds read (and so must be real).
pub fn is_image(name: &str) -> bool {
    [".jpg", ".jpeg", ".png", ".gif", ".webp"]
        .iter()
        .any(|e| name.to_ascii_lowercase().ends_with(e))
}
