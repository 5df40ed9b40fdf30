//! `arshif deploy` against a real S3-compatible store: SeaweedFS's
//! `weed server -s3`, started by each test on free loopback ports with a
//! data folder of its own, and killed when the test ends.
//!
//! `weed` is the file named by ARSHIF_WEED, `weed` on PATH, or the one
//! `.ci/install-seaweedfs` puts in `.tools/seaweedfs/bin/`. Without one
//! these tests print a loud SKIPPED message and pass, unless CI=true,
//! where they fail.
//!
//! The tests read the bucket anonymously over plain HTTP (the store lets
//! anyone read and list), never through arshif, and compare it with the
//! built files.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use md5::Digest;

use crate::harness::{SiteTest, article, snapshot_tree};

const KEY_ID: &str = "arshif-test-key";
const SECRET: &str = "arshif-test-secret-8c1f5e";
const WRONG_SECRET: &str = "not-the-secret-7d2a94b0";
const BUCKET: &str = "site";
/// Waits for the store to start are bounded by this.
const START_TIMEOUT: Duration = Duration::from_secs(90);

/// The `weed` to run, or `None` (after a loud message) when there is none
/// and this is not CI.
fn weed() -> Option<PathBuf> {
    let found = match std::env::var_os("ARSHIF_WEED") {
        Some(path) => Some(PathBuf::from(path)).filter(|p| p.is_file()),
        None => std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|dir| dir.join("weed"))
            .chain([Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/seaweedfs/bin/weed")])
            .find(|p| p.is_file()),
    };
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "SeaweedFS's weed is not installed and CI=true: run .ci/install-seaweedfs"
        );
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            let _ = std::io::stderr().write_all(
                b"\n****************************************************************\n\
                  SKIPPED: SeaweedFS's weed not found; run .ci/install-seaweedfs\n\
                  (the deploy tests pass without checking anything)\n\
                  ****************************************************************\n\n",
            );
        });
    }
    found
}

/// A running `weed server -s3`; killed on drop, however the test ends.
struct Store {
    child: Child,
    s3: u16,
    filer: u16,
    /// weed makes a socket in /tmp for each gRPC port, which a kill leaves.
    grpc: Vec<(&'static str, u16)>,
    dir: tempfile::TempDir,
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for (what, port) in &self.grpc {
            let _ = std::fs::remove_file(format!("/tmp/seaweedfs-{what}-grpc-{port}.sock"));
        }
    }
}

/// Ports free right now on 127.0.0.1, all different.
fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

impl Store {
    fn start() -> Option<Store> {
        let bin = weed()?;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let config = dir.path().join("s3.json");
        std::fs::write(
            &config,
            format!(
                r#"{{"identities":[
                    {{"name":"deployer","credentials":[{{"accessKey":"{KEY_ID}","secretKey":"{SECRET}"}}],"actions":["Admin","Read","Write","List","Tagging"]}},
                    {{"name":"anonymous","actions":["Read","List"]}}]}}"#
            ),
        )
        .unwrap();
        let p = free_ports(9);
        let log = std::fs::File::create(dir.path().join("weed.log")).unwrap();
        let arg = |k: &str, v: String| format!("-{k}={v}");
        let child = Command::new(bin)
            .arg("server")
            .args([
                arg("ip", "127.0.0.1".into()),
                arg("ip.bind", "127.0.0.1".into()),
                arg("dir", data.display().to_string()),
                arg("master.port", p[0].to_string()),
                arg("master.port.grpc", p[1].to_string()),
                arg("volume.port", p[2].to_string()),
                arg("volume.port.grpc", p[3].to_string()),
                "-filer".into(),
                arg("filer.port", p[4].to_string()),
                arg("filer.port.grpc", p[5].to_string()),
                arg(
                    "filer.localSocket",
                    dir.path().join("filer.sock").display().to_string(),
                ),
                "-s3".into(),
                arg("s3.port", p[6].to_string()),
                arg("s3.port.grpc", p[7].to_string()),
                arg(
                    "s3.localSocket",
                    dir.path().join("s3.sock").display().to_string(),
                ),
                arg("s3.config", config.display().to_string()),
                arg("s3.port.iceberg", "0".into()),
                arg("s3.port.lance", "0".into()),
                // A missing bucket must stay missing.
                arg("s3.autoCreateBucket", "false".into()),
                arg("metricsPort", p[8].to_string()),
                arg("volume.max", "100".into()),
                arg("master.volumeSizeLimitMB", "256".into()),
            ])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let store = Store {
            child,
            s3: p[6],
            filer: p[4],
            grpc: vec![
                ("master", p[1]),
                ("volume", p[3]),
                ("filer", p[5]),
                ("s3", p[7]),
            ],
            dir,
        };
        store.create_bucket(BUCKET);
        Some(store)
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.s3)
    }

    /// A bucket is a folder of the filer's `/buckets/`.
    fn create_bucket(&self, name: &str) {
        let started = Instant::now();
        let url = format!("http://127.0.0.1:{}/buckets/{name}/", self.filer);
        let mut made = false;
        loop {
            // 409: made by an earlier try.
            made = made
                || match ureq::post(&url).send_empty() {
                    Ok(_) => true,
                    Err(ureq::Error::StatusCode(409)) => true,
                    Err(_) => false,
                };
            let listed = made
                && ureq::get(&format!("{}/{name}?list-type=2", self.endpoint()))
                    .call()
                    .is_ok();
            if listed {
                return;
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "SeaweedFS did not start in {START_TIMEOUT:?}; its log:\n{}",
                std::fs::read_to_string(self.dir.path().join("weed.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Every object of `bucket`: key → (size, ETag, Last-Modified).
    fn list(&self, bucket: &str) -> BTreeMap<String, (u64, String, String)> {
        let mut objects = BTreeMap::new();
        let mut token: Option<String> = None;
        for _ in 0..1000 {
            let mut url = format!("{}/{bucket}?list-type=2", self.endpoint());
            if let Some(t) = &token {
                url.push_str("&continuation-token=");
                url.push_str(&encode(t));
            }
            let text = ureq::get(&url)
                .call()
                .unwrap()
                .body_mut()
                .read_to_string()
                .unwrap();
            let doc = roxmltree::Document::parse(&text).unwrap();
            let child = |n: roxmltree::Node, name: &str| {
                n.children()
                    .find(|c| c.tag_name().name() == name)
                    .and_then(|c| c.text())
                    .unwrap_or("")
                    .to_owned()
            };
            for c in doc
                .descendants()
                .filter(|n| n.tag_name().name() == "Contents")
            {
                objects.insert(
                    child(c, "Key"),
                    (
                        child(c, "Size").parse().unwrap(),
                        child(c, "ETag").trim_matches('"').to_owned(),
                        child(c, "LastModified"),
                    ),
                );
            }
            let root = doc.root_element();
            if child(root, "IsTruncated") != "true" {
                return objects;
            }
            token = Some(child(root, "NextContinuationToken"));
        }
        panic!("listing {bucket} never ended");
    }

    /// An object's bytes and headers, exactly as stored: a plain HTTP/1.0
    /// request, so no client decompresses anything on the way.
    fn get(&self, bucket: &str, key: &str) -> (Vec<u8>, BTreeMap<String, String>) {
        let mut conn = std::net::TcpStream::connect(("127.0.0.1", self.s3)).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            conn,
            "GET /{bucket}/{} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n",
            encode(key),
            self.s3
        )
        .unwrap();
        let mut response = Vec::new();
        conn.read_to_end(&mut response).unwrap();
        let end = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("{key}: no HTTP response"));
        let head = String::from_utf8_lossy(&response[..end]).into_owned();
        let mut lines = head.lines();
        let status = lines.next().unwrap_or("");
        assert!(status.contains(" 200 "), "{key}: {status}");
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        (response[end + 4..].to_vec(), headers)
    }
}

fn encode(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

fn md5_hex(bytes: &[u8]) -> String {
    md5::Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A site of `n` articles over a few Arabic tags, with a deploy target
/// pointing at `endpoint` (and `extra` lines added to it).
fn site(n: usize, endpoint: &str, extra: &str) -> SiteTest {
    let site = SiteTest::empty();
    write_config(&site, endpoint, BUCKET, extra);
    for i in 0..n {
        let tags = ["روسيا", "الصين", "الاقتصاد", "المناخ", "لبنان"];
        site.write(
            &format!("content/{}/a{i}.md", 2015 + i % 9),
            &article(
                &format!("خبر رقم {i}"),
                &format!("{}-{:02}-{:02}", 2015 + i % 9, 1 + i % 12, 1 + i % 28),
                &format!("tags: [{}, {}]\n", tags[i % 5], tags[(i / 5) % 5]),
            ),
        );
    }
    site
}

/// Search is off: the counts of what an edit sends are the pages', not
/// the index parts an edit also makes anew.
fn write_config(site: &SiteTest, endpoint: &str, bucket: &str, extra: &str) {
    site.write(
        "site.yaml",
        &format!(
            "title: أرشيف\nbase_url: https://example.org/\ntimezone: \"+03:00\"\ndeploy:\n  - name: local\n    bucket: {bucket}\n    region: us-east-1\n    endpoint: {endpoint}\n{extra}search: false\n"
        ),
    );
}

/// `arshif deploy ARGS… --root SITE` with the test's credentials (or
/// `secret`) and nothing of the developer's AWS settings.
fn deploy_command(site: &SiteTest, secret: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_arshif"));
    cmd.arg("deploy")
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("NO_COLOR", "1")
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            site.root().join("no-credentials"),
        )
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION");
    cmd
}

fn deploy(site: &SiteTest, args: &[&str]) -> Output {
    deploy_command(site, SECRET, args).output().unwrap()
}

#[track_caller]
fn ok(out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "deploy failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The files a deploy sends: the output without what only GitHub Pages reads.
fn site_files(site: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    snapshot_tree(&site.public())
        .into_iter()
        .map(|(p, b)| (p.to_string_lossy().replace('\\', "/"), b))
        .filter(|(p, _)| p != ".nojekyll" && p != "CNAME")
        .collect()
}

/// The bucket holds exactly the site's files (by size and MD5), and the
/// deploy's stamp.
#[track_caller]
fn assert_bucket_is_site(store: &Store, site: &SiteTest) {
    let mut objects = store.list(BUCKET);
    assert!(objects.remove(".arshif-deploy.json").is_some(), "no stamp");
    let files = site_files(site);
    let listed: BTreeSet<&String> = objects.keys().collect();
    let built: BTreeSet<&String> = files.keys().collect();
    assert_eq!(
        listed
            .symmetric_difference(&built)
            .take(10)
            .collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "bucket and site differ"
    );
    for (key, bytes) in &files {
        let (size, etag, _) = &objects[key];
        assert_eq!(
            (*size, etag.as_str()),
            (bytes.len() as u64, md5_hex(bytes).as_str()),
            "{key}"
        );
    }
}

/// The keys a deploy printed with `--verbose` after `upload` or `delete`.
fn printed(stdout: &str, what: &str) -> BTreeSet<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix(what)?.strip_prefix(' '))
        .map(str::to_owned)
        .collect()
}

#[test]
fn deploys_a_site_then_only_what_changed() {
    let Some(store) = Store::start() else { return };
    let site = site(2_000, &store.endpoint(), "");
    site.build().expect_success();
    let first = ok(deploy(&site, &["--verbose"]));
    assert!(first.contains("deployed to local:"), "{first}");
    assert_bucket_is_site(&store, &site);

    // Every object's bytes and headers, read back as a reader's browser
    // (or a CDN) would.
    let files = site_files(&site);
    assert!(files.len() > 2_500, "{}", files.len());
    assert_eq!(printed(&first, "upload").len(), files.len());
    for (key, bytes) in &files {
        let (got, headers) = store.get(BUCKET, key);
        assert!(got == *bytes, "{key}: other bytes");
        let want_type = match key.rsplit('.').next().unwrap() {
            "html" => "text/html; charset=utf-8",
            "xml" if key.ends_with("atom.xml") => "application/atom+xml; charset=utf-8",
            "xml" => "application/xml; charset=utf-8",
            "css" => "text/css; charset=utf-8",
            "txt" => "text/plain; charset=utf-8",
            "json" => "application/json; charset=utf-8",
            "js" => "text/javascript; charset=utf-8",
            "woff2" => "font/woff2",
            _ => "",
        };
        if !want_type.is_empty() {
            assert_eq!(
                headers.get("content-type").map(String::as_str),
                Some(want_type),
                "{key}"
            );
        }
        let cache = headers.get("cache-control").map(String::as_str);
        let want_cache = if key.ends_with(".woff2") {
            "public, max-age=31536000"
        } else if key.ends_with(".css") || key.ends_with(".js") {
            "public, max-age=604800"
        } else if key.ends_with(".svg") || key.ends_with(".png") || key.ends_with(".jpg") {
            "public, max-age=2592000"
        } else {
            "public, max-age=300"
        };
        assert_eq!(cache, Some(want_cache), "{key}");
        assert_eq!(headers.get("content-encoding"), None, "{key}");
    }

    // Nothing changed: nothing is sent.
    let again = ok(deploy(&site, &["--verbose"]));
    assert!(printed(&again, "upload").is_empty(), "{again}");

    // Three articles edited: exactly the files whose bytes changed go.
    let before = site_files(&site);
    for i in [3, 700, 1_999] {
        let path = format!("content/{}/a{i}.md", 2015 + i % 9);
        let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
        site.write(&path, &format!("{text}\nفقرة أضيفت بعد النشر.\n"));
    }
    site.build().expect_success();
    let after = site_files(&site);
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(k, b)| before.get(*k) != Some(*b))
        .map(|(k, _)| k.clone())
        .collect();
    assert!(!changed.is_empty() && changed.len() < 50, "{changed:?}");
    let dry = ok(deploy(&site, &["--dry-run"]));
    assert!(
        dry.contains(&format!("would upload 0 new and {} changed", changed.len())),
        "{dry}"
    );
    let edited = ok(deploy(&site, &["--verbose"]));
    assert_eq!(printed(&edited, "upload"), changed, "{edited}");
    assert!(printed(&edited, "delete").is_empty(), "{edited}");
    assert_bucket_is_site(&store, &site);

    // An article deleted: its pages leave the bucket.
    site.remove("content/2016/a1000.md");
    site.build().expect_success();
    let now = site_files(&site);
    let gone: BTreeSet<String> = after
        .keys()
        .filter(|k| !now.contains_key(*k))
        .cloned()
        .collect();
    assert!(gone.iter().any(|k| k.ends_with("/index.html")), "{gone:?}");
    let removed = ok(deploy(&site, &["--verbose"]));
    assert_eq!(printed(&removed, "delete"), gone, "{removed}");
    assert_bucket_is_site(&store, &site);
}

#[test]
fn too_many_deletions_change_nothing_without_force() {
    let Some(store) = Store::start() else { return };
    let site = site(40, &store.endpoint(), "");
    site.build().expect_success();
    ok(deploy(&site, &[]));
    for i in 0..10 {
        site.remove(&format!("content/{}/a{i}.md", 2015 + i % 9));
    }
    site.build().expect_success();
    let before = store.list(BUCKET);

    let dry = ok(deploy(&site, &["--dry-run"]));
    assert!(dry.contains("delete "), "{dry}");
    assert_eq!(store.list(BUCKET), before, "a dry run changed the bucket");

    let out = deploy(&site, &["--max-deletes", "5"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("more than --max-deletes 5; nothing was changed")
            && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        store.list(BUCKET),
        before,
        "a refused deploy changed the bucket"
    );

    ok(deploy(&site, &["--max-deletes", "5", "--force"]));
    assert_bucket_is_site(&store, &site);
}

#[test]
fn a_killed_deploy_finishes_when_run_again() {
    let Some(store) = Store::start() else { return };
    let site = site(300, &store.endpoint(), "");
    site.build().expect_success();
    let files = site_files(&site).len();
    // Killed after a time, or once some objects have arrived.
    enum Moment {
        After(Duration),
        Arrived(usize),
    }
    for (round, moment) in [
        Moment::After(Duration::from_millis(30)),
        Moment::After(Duration::from_millis(300)),
        Moment::Arrived(50),
        Moment::Arrived(files / 2),
    ]
    .into_iter()
    .enumerate()
    {
        // A bucket of its own for each round, starting empty.
        let bucket = format!("round{round}");
        store.create_bucket(&bucket);
        write_config(&site, &store.endpoint(), &bucket, "");
        let mut child = deploy_command(&site, SECRET, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        match moment {
            Moment::After(d) => std::thread::sleep(d),
            Moment::Arrived(n) => {
                while store.list(&bucket).len() < n
                    && started.elapsed() < Duration::from_secs(60)
                    && child.try_wait().unwrap().is_none()
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        }
        let _ = child.kill();
        child.wait().unwrap();
        // A request whose body had all arrived still completes in the store.
        std::thread::sleep(Duration::from_secs(1));
        let arrived = store.list(&bucket);

        let out = ok(deploy(&site, &["--verbose"]));
        let sent = printed(&out, "upload");
        for (key, bytes) in site_files(&site) {
            let complete = arrived.get(&key).is_some_and(|(size, etag, _)| {
                *size == bytes.len() as u64 && *etag == md5_hex(&bytes)
            });
            assert_eq!(
                sent.contains(&key),
                !complete,
                "round {round}: {key} sent again or not at all"
            );
        }
        let mut objects = store.list(&bucket);
        objects.remove(".arshif-deploy.json");
        assert_eq!(objects.len(), files, "round {round}");
        for (key, bytes) in site_files(&site) {
            let (size, etag, _) = &objects[&key];
            assert_eq!(
                (*size, etag.clone()),
                (bytes.len() as u64, md5_hex(&bytes)),
                "{key}"
            );
        }
    }
}

#[test]
fn compressed_text_keeps_its_bytes() {
    let Some(store) = Store::start() else { return };
    let site = site(
        5,
        &store.endpoint(),
        "    compress: gzip\n    cache_control:\n      \"*.html\": \"public, max-age=60\"\n",
    );
    site.build().expect_success();
    ok(deploy(&site, &[]));
    for (key, bytes) in site_files(&site) {
        let (got, headers) = store.get(BUCKET, &key);
        let text = key.ends_with(".html") || key.ends_with(".xml") || key.ends_with(".css");
        if text {
            assert_eq!(
                headers.get("content-encoding").map(String::as_str),
                Some("gzip"),
                "{key}"
            );
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(&got[..])
                .read_to_end(&mut plain)
                .unwrap();
            assert!(plain == bytes, "{key}");
        } else if key.ends_with(".woff2") {
            assert_eq!(headers.get("content-encoding"), None, "{key}");
            assert!(got == bytes, "{key}");
        }
        if key.ends_with(".html") {
            assert_eq!(
                headers.get("cache-control").map(String::as_str),
                Some("public, max-age=60")
            );
        }
    }
    // Compressed bytes are the same every time, so nothing goes again.
    let again = ok(deploy(&site, &["--verbose"]));
    assert!(printed(&again, "upload").is_empty(), "{again}");
}

#[test]
fn store_errors_are_clear_and_never_show_the_secret() {
    let Some(store) = Store::start() else { return };
    let site = site(3, &store.endpoint(), "");
    site.build().expect_success();
    let failed = |cmd: &mut Command| {
        let out = cmd.output().unwrap();
        assert!(!out.status.success());
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !all.contains(SECRET) && !all.contains(WRONG_SECRET),
            "{all}"
        );
        all
    };

    let wrong = failed(&mut deploy_command(&site, WRONG_SECRET, &[]));
    assert!(
        wrong.contains("does not accept these credentials"),
        "{wrong}"
    );
    assert!(wrong.contains("AWS_SECRET_ACCESS_KEY"), "{wrong}");

    write_config(&site, &store.endpoint(), "no-such-bucket", "");
    let missing = failed(&mut deploy_command(&site, SECRET, &[]));
    assert!(missing.contains("there is no such bucket"), "{missing}");
    assert!(missing.contains("no-such-bucket"), "{missing}");

    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    write_config(&site, &format!("http://127.0.0.1:{port}"), BUCKET, "");
    let started = Instant::now();
    let unreachable = failed(&mut deploy_command(&site, SECRET, &[]));
    assert!(
        unreachable.contains("cannot reach the store"),
        "{unreachable}"
    );
    assert!(started.elapsed() < Duration::from_secs(60));
    assert!(store.list(BUCKET).is_empty());
}

/// Mistakes found before any store is asked; no store needed.
#[test]
fn input_errors_name_the_file_and_the_fix() {
    let site = SiteTest::empty();
    site.build().expect_success();
    let out = deploy(&site, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("site.yaml has no `deploy:` targets") && stderr.contains("site.yaml:1:1"),
        "{stderr}"
    );

    write_config(&site, "http://127.0.0.1:9", BUCKET, "");
    let out = deploy(&site, &["--target", "locl"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no deploy target named `locl`"), "{stderr}");
    assert!(
        stderr.contains("site.yaml:4:1") && stderr.contains("did you mean `local`?"),
        "{stderr}"
    );

    std::fs::remove_dir_all(site.public()).unwrap();
    let out = deploy(&site, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("there is no built site in") && stderr.contains("arshif build"),
        "{stderr}"
    );

    site.write(
        "site.yaml",
        "title: أ\nbase_url: https://example.org/\ndeploy:\n  - name: x\n    bucket: b\n    secret_access_key: s\n",
    );
    let out = deploy(&site, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("site.yaml:6:5") && stderr.contains("never kept in site.yaml"),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("panicked"));
}
