//! `check --external`: the web addresses articles link to, each fetched
//! once, politely: a few hosts at a time, one request at a time per host
//! with a pause between, a timeout, and a cap on how many are checked.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rayon::prelude::*;

use crate::content::Article;
use crate::diagnostics::{Diagnostic, Severity, Span};
use crate::markdown::is_web;

#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Hosts checked at the same time.
    pub hosts_at_once: usize,
    /// Pause between two requests to the same host.
    pub pause: Duration,
    pub timeout: Duration,
    /// At most this many addresses; the rest are reported as not checked.
    pub max_urls: usize,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            hosts_at_once: 4,
            pause: Duration::from_millis(500),
            timeout: Duration::from_secs(10),
            max_urls: 2_000,
        }
    }
}

/// What became of one address.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok,
    Status(u16),
    Failed(String),
}

/// Every web address linked from `articles` (body links and `source_url`),
/// with where each is written.
fn collect(articles: &[Arc<Article>]) -> BTreeMap<String, Vec<(std::path::PathBuf, Option<Span>)>> {
    let mut urls: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for a in articles {
        for link in a.links.iter().filter(|l| is_web(&l.dest)) {
            let url = link.dest.split('#').next().unwrap_or(&link.dest).to_owned();
            urls.entry(url)
                .or_default()
                .push((a.source.clone(), Some(link.span)));
        }
        if let Some(url) = a.meta.source.as_ref().and_then(|s| s.url.as_ref()) {
            urls.entry(url.clone())
                .or_default()
                .push((a.source.clone(), a.meta.spans.get("source_url").copied()));
        }
    }
    urls
}

fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Checks every web address and returns a problem for each that does not
/// answer with success, at every place it is written.
pub fn check(articles: &[Arc<Article>], opts: &ExternalOptions) -> (usize, Vec<Diagnostic>) {
    let urls = collect(articles);
    let mut by_host: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for url in urls.keys().take(opts.max_urls) {
        by_host.entry(host(url)).or_default().push(url);
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .user_agent(concat!("arshif-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let outcomes = Mutex::new(BTreeMap::new());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.hosts_at_once.max(1))
        .build();
    let run = || {
        by_host.par_iter().for_each(|(_, host_urls)| {
            for (i, url) in host_urls.iter().enumerate() {
                if i > 0 {
                    std::thread::sleep(opts.pause);
                }
                let outcome = fetch(&agent, url);
                outcomes
                    .lock()
                    .expect("no panics while locked")
                    .insert(url.to_string(), outcome);
            }
        })
    };
    match pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
    let outcomes = outcomes.into_inner().expect("no panics while locked");
    let mut problems = Vec::new();
    for (url, places) in &urls {
        let message = match outcomes.get(url) {
            Some(Outcome::Ok) => continue,
            Some(Outcome::Status(code)) => format!("link to {url} answers HTTP {code}"),
            Some(Outcome::Failed(why)) => format!("link to {url} cannot be reached: {why}"),
            None => {
                let mut d = Diagnostic::global(format!("link to {url} was not checked"));
                d.severity = Severity::Warning;
                problems.push(d.with_help(format!(
                    "at most {} addresses are checked per run",
                    opts.max_urls
                )));
                continue;
            }
        };
        for (file, span) in places {
            problems.push(Diagnostic::error(file, *span, message.clone()).with_help(
                "update or remove the link; archived copies are often on web.archive.org",
            ));
        }
    }
    (outcomes.len(), problems)
}

/// HEAD first, and GET for servers that do not answer HEAD properly.
fn fetch(agent: &ureq::Agent, url: &str) -> Outcome {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        r.map(|resp| resp.status().as_u16())
    };
    let head = status(agent.head(url).call());
    let result = match head {
        Ok(405 | 501 | 403) | Err(_) => status(agent.get(url).call()),
        other => other,
    };
    match result {
        Ok(code) if code < 400 => Outcome::Ok,
        Ok(code) => Outcome::Status(code),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://www.reuters.com/world/a?b#c"),
            "www.reuters.com"
        );
        assert_eq!(host("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
    }
}
