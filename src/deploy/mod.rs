//! `arshif deploy`: the built site to an S3-compatible bucket, sending only
//! what changed. Read the bucket and the output, make the whole plan, then
//! upload, then delete: a deploy stopped at any moment leaves every page
//! the site had, and the next one sends only what had not arrived.

pub mod headers;
pub mod plan;
pub mod store;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::StreamExt;

use crate::config::deploy::Target;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::error::{Error, Result};
use crate::pipeline::BuildOptions;
pub use plan::{Plan, Why};

/// Kept beside the site in the bucket: how the headers were chosen, so a
/// change of those settings sends every file again.
pub const STAMP: &str = ".arshif-deploy.json";

/// Uploads in flight at once.
const PARALLEL: usize = 16;

#[derive(Debug, Clone)]
pub struct DeployOptions {
    pub root: PathBuf,
    /// The built site; default `root/public`.
    pub output: Option<PathBuf>,
    /// A target's name; default the first.
    pub target: Option<String>,
    pub dry_run: bool,
    /// Delete more than `max_deletes` objects if the plan says so.
    pub force: bool,
    pub max_deletes: usize,
}

/// What the command line shows while a deploy runs.
pub trait Progress: Sync {
    fn planned(&self, _plan: &Plan) {}
    fn uploaded(&self, _key: &str, _bytes: u64) {}
    fn deleted(&self, _key: &str) {}
}

impl Progress for () {}

#[derive(Debug)]
pub struct Report {
    pub target: String,
    pub plan: Plan,
    pub uploaded: usize,
    pub deleted: usize,
    pub bytes: u64,
    /// Requests made, retries not counted: listing pages, the stamp,
    /// uploads and deletion batches.
    pub requests: usize,
    pub dry_run: bool,
    /// The header settings changed since the last deploy.
    pub resent: bool,
}

pub fn deploy(opts: &DeployOptions, progress: &dyn Progress) -> Result<Report> {
    let build = BuildOptions {
        output: opts.output.clone(),
        ..BuildOptions::new(&opts.root)
    };
    let config =
        crate::pipeline::read_config(&build).map_err(|d| Error::Input(Diagnostics::new(d)))?;
    let target = pick(config.deploy.as_ref(), opts.target.as_deref())?;
    let output = build.output_dir();
    if !output.join(".nojekyll").is_file() {
        return Err(input(
            Diagnostic::global(format!("there is no built site in {}", output.display()))
                .with_help("run `arshif build` first (with --output if the site is built elsewhere, and the same --output here)"),
        ));
    }
    let creds = store::credentials(&|k| std::env::var(k).ok()).map_err(Error::Deploy)?;
    let region = target
        .region
        .clone()
        .or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .unwrap_or_else(|| "us-east-1".into());
    let store = store::Store::connect(&target, creds, region).map_err(Error::Deploy)?;
    // No build may swap the output while it is read.
    let _lock = crate::output::lock(&output, &|_| {})?;
    let local = plan::scan(&output, &target)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Deploy(format!("cannot start the uploader: {e}")))?;
    runtime.block_on(run(opts, &target, &store, local, progress))
}

async fn run(
    opts: &DeployOptions,
    target: &Target,
    store: &store::Store,
    local: Vec<plan::Local>,
    progress: &dyn Progress,
) -> Result<Report> {
    let remote = store.list(&target.prefix).await.map_err(Error::Deploy)?;
    let stamp_key = format!("{}{STAMP}", target.prefix);
    let fingerprint = headers::fingerprint(target);
    let stamped = match remote.contains_key(&stamp_key) {
        true => store.get(&stamp_key).await.map_err(Error::Deploy)?,
        false => None,
    };
    let stamped = stamped
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("headers")?.as_str().map(str::to_owned));
    // Without a stamp (a first deploy, or one stopped before its end) the
    // objects' bytes are trusted, so a deploy run again finishes the work.
    let resent = stamped.as_ref().is_some_and(|s| *s != fingerprint);
    let plan = plan::diff(local, &remote, resent, &[&stamp_key]);
    let mut report = Report {
        target: target.name.clone(),
        uploaded: 0,
        deleted: 0,
        bytes: 0,
        requests: remote.len().div_ceil(1000).max(1) + usize::from(stamped.is_some()),
        dry_run: opts.dry_run,
        resent,
        plan,
    };
    if report.plan.deletes.len() > opts.max_deletes && !opts.force {
        return Err(Error::Deploy(format!(
            "the plan deletes {} objects from the {} target, more than --max-deletes {}; nothing was changed\n  = help: if the site really lost those pages, run again with --force (or a larger --max-deletes); `--dry-run` lists them",
            report.plan.deletes.len(),
            target.name,
            opts.max_deletes
        )));
    }
    progress.planned(&report.plan);
    if opts.dry_run {
        return Ok(report);
    }

    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("public"));
    let sent = AtomicU64::new(0);
    let uploads = futures_util::stream::iter(report.plan.uploads.iter().map(|(file, _)| {
        let path = output.join(&file.rel);
        let sent = &sent;
        async move {
            let headers = file.headers.clone();
            let bytes = tokio::task::spawn_blocking(move || {
                crate::fs::read(&path).map(|b| headers::encode(b, &headers))
            })
            .await
            .map_err(|e| Error::Deploy(format!("cannot read {}: {e}", file.rel)))??;
            if bytes.len() as u64 != file.size {
                return Err(Error::Deploy(format!(
                    "{} changed during the deploy\n  = help: wait for the build to finish, then deploy again",
                    file.rel
                )));
            }
            store.put(file, bytes).await.map_err(Error::Deploy)?;
            sent.fetch_add(file.size, Ordering::Relaxed);
            progress.uploaded(&file.key, file.size);
            Ok::<_, Error>(())
        }
    }))
    .buffer_unordered(PARALLEL);
    // The first failure stops the rest: dropping the stream cancels the
    // uploads in flight, and an object sent in part is never stored.
    let mut uploaded = 0;
    {
        let mut uploads = std::pin::pin!(uploads);
        while let Some(done) = uploads.next().await {
            done?;
            uploaded += 1;
        }
    }
    report.uploaded = uploaded;
    report.requests += uploaded;
    report.bytes = sent.load(Ordering::Relaxed);

    // Only once every page is there: a failure above leaves no link broken.
    let deleted = std::sync::atomic::AtomicUsize::new(0);
    store
        .delete(&report.plan.deletes, &|key| {
            deleted.fetch_add(1, Ordering::Relaxed);
            progress.deleted(key);
        })
        .await
        .map_err(Error::Deploy)?;
    report.deleted = deleted.load(Ordering::Relaxed);
    report.requests += report.plan.deletes.len().div_ceil(1000);

    if stamped.as_deref() != Some(fingerprint.as_str()) {
        let body = serde_json::json!({ "headers": fingerprint }).to_string();
        store
            .put_plain(
                &stamp_key,
                body.into_bytes(),
                "application/json; charset=utf-8",
            )
            .await
            .map_err(Error::Deploy)?;
        report.requests += 1;
    }
    Ok(report)
}

/// The target `--target` names, or the first.
fn pick(deploy: Option<&crate::config::deploy::Deploy>, name: Option<&str>) -> Result<Target> {
    let file = crate::config::FILE_NAME;
    let Some(deploy) = deploy.filter(|d| !d.targets.is_empty()) else {
        return Err(input(
            Diagnostic::error(file, Some(Span::new(1, 1)), "site.yaml has no `deploy:` targets")
                .with_help("add one, e.g.\ndeploy:\n  - name: production\n    bucket: archive\n    region: auto\n    endpoint: https://ACCOUNT.r2.cloudflarestorage.com\n(leave out `endpoint` for Amazon S3; credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"),
        ));
    };
    match name {
        None => Ok(deploy.targets[0].clone()),
        Some(n) => deploy
            .targets
            .iter()
            .find(|t| t.name == n)
            .cloned()
            .ok_or_else(|| {
                let names: Vec<&str> = deploy.targets.iter().map(|t| t.name.as_str()).collect();
                let help = match crate::diagnostics::suggest(n, &names) {
                    Some(s) => format!("did you mean `{s}`? The targets are: {}", names.join(", ")),
                    None => format!("the targets are: {}", names.join(", ")),
                };
                input(
                    Diagnostic::error(
                        file,
                        Some(Span::new(deploy.line, 1)),
                        format!("no deploy target named `{n}`"),
                    )
                    .with_help(help),
                )
            }),
    }
}

fn input(d: Diagnostic) -> Error {
    Error::Input(Diagnostics::new(vec![d]))
}
