//! Random sequences of edits: after each one, the preview's site and
//! `build`'s output (with its cache) are byte for byte what the pipeline
//! alone makes from nothing. The oracle never goes through the
//! incremental code.
//!
//! `ARSHIF_SEEDS=200 cargo test edit_sequences` runs more seeds than CI's
//! fixed one; a failure names its seed (`ARSHIF_SEED=N` reruns it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use arshif::BuildOptions;
use arshif::incremental::{Incremental, cache};
use arshif::output::MemorySink;

use crate::harness::{SiteTest, article, snapshot_tree};

/// A small deterministic generator (xorshift64*), so a seed always
/// replays the same edits.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every file of the site the pipeline alone builds, or its error.
fn cold(opts: &BuildOptions) -> Result<BTreeMap<PathBuf, Vec<u8>>, String> {
    let sink = MemorySink::default();
    arshif::pipeline::build(opts, &sink, &()).map_err(|e| format!("{e:?}"))?;
    Ok(sink
        .into_files()
        .into_iter()
        .map(|(k, v)| (PathBuf::from(&*k), v.to_vec()))
        .collect())
}

fn differences(
    got: &BTreeMap<PathBuf, Vec<u8>>,
    want: &BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<PathBuf> {
    let mut differ: Vec<PathBuf> = want
        .keys()
        .chain(got.keys())
        .filter(|k| got.get(*k) != want.get(*k))
        .cloned()
        .collect();
    differ.sort();
    differ.dedup();
    differ
}

/// Every file under `dir`, or none when there is no such folder.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    if dir.exists() {
        snapshot_tree(dir)
    } else {
        BTreeMap::new()
    }
}

/// The articles of the site, relative to its root.
fn articles(site: &SiteTest) -> Vec<String> {
    let content = site.root().join("content");
    let mut list: Vec<String> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(site.root())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    list.sort();
    list
}

/// Sets a file's modification time, as `tar x` or `rsync -t` do.
fn set_mtime(path: &Path, when: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

/// One random edit; returns what it did.
fn edit(site: &SiteTest, rng: &mut Rng, step: usize) -> String {
    let all = articles(site);
    let tags = ["روسيا", "الصين", "الاقتصاد", "غزة", "شي جين بينغ"];
    let folders = [
        "content/2021",
        "content/2022",
        "content/2023",
        "content/أرشيف",
    ];
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    match rng.below(13) {
        0 | 1 => {
            let rel = format!("{}/new-{step}.md", rng.pick(&folders));
            let date = format!(
                "202{}-0{}-1{}",
                1 + rng.below(3),
                1 + rng.below(9),
                rng.below(10)
            );
            let extra = format!("tags: [{}]\n", rng.pick(&tags));
            site.write(&rel, &article(&format!("جديد {step}"), &date, &extra));
            format!("add {rel}")
        }
        2 if !all.is_empty() => {
            let rel = rng.pick(&all).clone();
            let text = std::fs::read_to_string(site.root().join(&rel)).unwrap();
            site.write(&rel, &format!("{text}\nفقرة أخرى {step}.\n"));
            format!("edit the text of {rel}")
        }
        3 if !all.is_empty() => {
            let rel = rng.pick(&all).clone();
            let text = std::fs::read_to_string(site.root().join(&rel)).unwrap();
            // A front matter line set anew (`None`: removed) after `---`.
            let set = |key: &str, line: Option<String>| {
                let lines: Vec<&str> = text
                    .lines()
                    .filter(|l| !l.starts_with(&format!("{key}:")))
                    .collect();
                let mut out = vec![lines[0]];
                out.extend(line.as_deref());
                out.extend(&lines[1..]);
                out.join("\n") + "\n"
            };
            let edited = match rng.below(5) {
                0 => text.replacen("title: ", &format!("title: {step} "), 1),
                1 => set("tags", Some(format!("tags: [{}]", rng.pick(&tags)))),
                // When it last changed: what the sitemap shows of it.
                2 => set(
                    "updated",
                    Some(format!(
                        "updated: 2024-0{}-1{}",
                        1 + rng.below(9),
                        rng.below(10)
                    )),
                ),
                3 if text.contains("\ndraft: true") => set("draft", None),
                3 => set("draft", Some("draft: true".into())),
                _ => text.replacen("date: 20", "date: 19", 1),
            };
            site.write(&rel, &edited);
            format!("edit the front matter of {rel}")
        }
        4 if all.len() > 2 => {
            let rel = rng.pick(&all).clone();
            site.remove(&rel);
            format!("delete {rel}")
        }
        5 if !all.is_empty() => {
            let rel = rng.pick(&all).clone();
            let to = rel.replace(".md", &format!("-r{step}.md"));
            std::fs::rename(site.root().join(&rel), site.root().join(&to)).unwrap();
            format!("rename {rel} to {to}")
        }
        6 if !all.is_empty() => {
            let rel = rng.pick(&all).clone();
            let name = Path::new(&rel)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let to = format!("{}/{name}", rng.pick(&folders));
            if to != rel && !site.root().join(&to).exists() {
                std::fs::create_dir_all(site.root().join(&to).parent().unwrap()).unwrap();
                std::fs::rename(site.root().join(&rel), site.root().join(&to)).unwrap();
            }
            format!("move {rel} to {to}")
        }
        7 if !all.is_empty() => {
            // Same length, same modification time: only the text differs.
            let rel = rng.pick(&all).clone();
            let path = site.root().join(&rel);
            let before = std::fs::metadata(&path).unwrap().modified().unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            let swapped = if text.contains("نص المقال") {
                text.replacen("نص المقال", "نص الخبرر", 1)
            } else {
                text.replacen("نص الخبرر", "نص المقال", 1)
            };
            assert_eq!(swapped.len(), text.len());
            std::fs::write(&path, swapped).unwrap();
            set_mtime(&path, before);
            format!("edit {rel} keeping its length and modification time")
        }
        8 => {
            // Every article the same modification time, as after `tar x`.
            for rel in &all {
                set_mtime(&site.root().join(rel), when);
            }
            "give every article the same modification time".into()
        }
        9 => {
            let item = [
                "<li>{{ article.title }}</li>",
                "<li class=\"x\">{{ article.title }} {{ article.date }}</li>",
            ];
            let item = *rng.pick(&item);
            site.write("templates/item.html", item);
            "change a template".into()
        }
        10 => {
            let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
            let per_page = 2 + rng.below(3);
            let edited: Vec<String> = yaml
                .lines()
                .map(|l| {
                    if l.starts_with("per_page:") {
                        format!("per_page: {per_page}")
                    } else {
                        l.to_owned()
                    }
                })
                .collect();
            site.write("site.yaml", &(edited.join("\n") + "\n"));
            format!("set per_page to {per_page}")
        }
        11 if !all.is_empty() => {
            // A copy with the same text: only its file (and URL) differ.
            let rel = rng.pick(&all).clone();
            let to = rel.replace(".md", &format!("-copy{step}.md"));
            std::fs::copy(site.root().join(&rel), site.root().join(&to)).unwrap();
            format!("copy {rel} to {to}")
        }
        _ => {
            site.write("static/extra.css", &format!("/* {step} */"));
            "change a static file".into()
        }
    }
}

/// Applies `steps` random edits from `seed`, comparing after each.
fn run_sequence(seed: u64, steps: usize) {
    let site = SiteTest::to_edit();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    if !yaml.contains("per_page:") {
        site.write("site.yaml", &format!("{yaml}per_page: 3\n"));
    }
    let opts = BuildOptions::new(site.root());
    let mut rng = Rng::new(seed);
    let mut preview = Incremental::default();
    let mut done = Vec::new();
    for step in 0..steps {
        if step > 0 {
            done.push(edit(&site, &mut rng, step));
        }
        let what = || format!("seed {seed}, after: {done:#?}");
        let want = cold(&opts);
        let before = tree(&site.public());
        let built = cache::build(&opts, &());
        let shown = preview.rebuild(&opts);
        match want {
            Ok(want) => {
                built.unwrap_or_else(|e| panic!("build failed: {e:?}\n{}", what()));
                let got = snapshot_tree(&site.public());
                let differ = differences(&got, &want);
                assert!(
                    differ.is_empty(),
                    "build's output differs in {differ:?}\n{}",
                    what()
                );
                let shown = shown.unwrap_or_else(|e| panic!("preview failed: {e:?}\n{}", what()));
                let files: BTreeMap<PathBuf, Vec<u8>> = shown
                    .files
                    .iter()
                    .map(|(k, v)| (PathBuf::from(&**k), v.to_vec()))
                    .collect();
                let differ = differences(&files, &want);
                assert!(
                    differ.is_empty(),
                    "the preview differs in {differ:?}\n{}",
                    what()
                );
            }
            Err(e) => {
                assert!(
                    built.is_err(),
                    "build passed where a cold build failed ({e})\n{}",
                    what()
                );
                assert!(
                    shown.is_err(),
                    "preview passed where a cold build failed ({e})\n{}",
                    what()
                );
                assert_eq!(
                    snapshot_tree(&site.public()),
                    before,
                    "a failed build changed the output\n{}",
                    what()
                );
            }
        }
    }
}

#[test]
fn edit_sequences_give_what_a_cold_build_gives() {
    let seeds: Vec<u64> = match (std::env::var("ARSHIF_SEED"), std::env::var("ARSHIF_SEEDS")) {
        (Ok(seed), _) => vec![seed.parse().unwrap()],
        (_, Ok(n)) => (1..=n.parse().unwrap()).collect(),
        _ => vec![20_261_201],
    };
    for seed in seeds {
        run_sequence(seed, 40);
    }
}

#[test]
fn deleting_between_articles_with_equal_stamps_relinks_the_neighbours() {
    // Three articles whose files have the same length and modification
    // time, as after `tar x` or `rsync -t`; the two older ones even have
    // the same text, and differ only by file (and so URL). The middle one
    // is deleted.
    let site = SiteTest::empty();
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    for (name, title, date) in [
        ("a", "خبر أ", "2023-03-03"),
        ("x", "خبر س", "2023-03-02"),
        ("y", "خبر س", "2023-03-02"),
    ] {
        let rel = format!("content/{name}.md");
        site.write(&rel, &article(title, date, ""));
        set_mtime(&site.root().join(rel), when);
    }
    let opts = BuildOptions::new(site.root());
    let mut preview = Incremental::default();
    preview.rebuild(&opts).unwrap();
    cache::build(&opts, &()).unwrap();
    // Long enough for every stamp to be trusted.
    std::thread::sleep(Duration::from_millis(2100));
    preview.rebuild(&opts).unwrap();
    cache::build(&opts, &()).unwrap();

    site.remove("content/x.md");
    let page = "2023/03/03/a/index.html";
    let shown = preview.rebuild(&opts).unwrap();
    let shown = String::from_utf8(shown.files[page].to_vec()).unwrap();
    let built = cache::build(&opts, &()).unwrap();
    assert!(
        built.report.rendered < built.report.pages,
        "{:?}",
        built.report
    );
    let written = site.page("/2023/03/03/a/");
    for html in [&shown, &written] {
        assert!(html.contains("/2023/03/02/y/"), "a links y: {html}");
        assert!(
            !html.contains("/2023/03/02/x/"),
            "a still links the deleted x"
        );
    }
}
