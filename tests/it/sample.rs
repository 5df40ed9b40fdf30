//! The repository's own sample archive builds and shows what it promises.

use std::path::Path;
use std::process::Command;

#[test]
fn sample_archive_builds() {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args([
            "build",
            "--quiet",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "--output",
        ])
        .arg(out.path().join("public"))
        .status()
        .unwrap();
    assert!(status.success());
    let page = std::fs::read_to_string(
        out.path()
            .join("public/2023/09/19/putin-beijing-visit/index.html"),
    )
    .unwrap();
    assert!(page.contains("هوين لو") && page.contains("رويترز"));
    for junk in ["[إعلان", "رابط المصدر", "تعليق (0)"] {
        assert!(!page.contains(junk), "{junk}");
    }
    assert!(
        out.path()
            .join("public/2023/09/19/putin-beijing-visit/putin.jpg")
            .exists()
    );
    // The sample's one draft is written but not published.
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content/2023/opec-plus-output-policy.md")
            .exists()
    );
    assert!(!out.path().join("public/2023/10/04").exists());
}
