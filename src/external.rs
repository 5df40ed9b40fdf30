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
    /// Tries of an address answering 429 or 503 (busy), the first included.
    pub tries: usize,
    /// The longest wait before trying a busy address again; one asking
    /// for longer is reported as it answered.
    pub max_wait: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            hosts_at_once: 4,
            pause: Duration::from_millis(500),
            timeout: Duration::from_secs(10),
            max_urls: 2_000,
            tries: 3,
            max_wait: Duration::from_secs(10),
        }
    }
}

/// What became of one address.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok,
    Status(u16),
    Failed(String),
    /// 429 or 503, with the response's `Retry-After`.
    Busy(u16, Option<String>),
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
                let outcome = fetch_patiently(&agent, url, opts);
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
            Some(Outcome::Status(code) | Outcome::Busy(code, _)) => {
                format!("link to {url} answers HTTP {code}")
            }
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

/// `fetch`, again while the server answers that it is busy (429 Too Many
/// Requests, 503 Service Unavailable), waiting as long as it asks, up to
/// `opts.max_wait`, at most `opts.tries` times.
fn fetch_patiently(agent: &ureq::Agent, url: &str, opts: &ExternalOptions) -> Outcome {
    let mut outcome = fetch(agent, url);
    for attempt in 1..opts.tries.max(1) {
        let Outcome::Busy(_, retry_after) = &outcome else {
            break;
        };
        let now = chrono::Utc::now();
        match retry_delay(retry_after.as_deref(), attempt, now) {
            Some(wait) if wait <= opts.max_wait => std::thread::sleep(wait),
            _ => break,
        }
        outcome = fetch(agent, url);
    }
    outcome
}

/// How long to wait before try `attempt + 1` of a busy address: what its
/// `Retry-After` asks (seconds, or an HTTP date), else 1 s, 2 s, 4 s….
/// None when the header cannot be read.
fn retry_delay(
    retry_after: Option<&str>,
    attempt: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    let Some(value) = retry_after.map(str::trim) else {
        return Some(Duration::from_secs(1 << (attempt - 1).min(6)));
    };
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or_default(),
    )
}

/// HEAD first, and GET for servers that do not answer HEAD properly.
fn fetch(agent: &ureq::Agent, url: &str) -> Outcome {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        r.map(|resp| {
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            (resp.status().as_u16(), retry_after)
        })
    };
    let head = status(agent.head(url).call());
    let result = match head {
        Ok((405 | 501 | 403, _)) | Err(_) => status(agent.get(url).call()),
        other => other,
    };
    match result {
        Ok((code, _)) if code < 400 => Outcome::Ok,
        Ok((code @ (429 | 503), retry_after)) => Outcome::Busy(code, retry_after),
        Ok((code, _)) => Outcome::Status(code),
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

    #[test]
    fn retry_delays_follow_retry_after() {
        let now = chrono::DateTime::parse_from_rfc3339("2025-01-01T12:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let s = Duration::from_secs;
        let cases = [
            (None, 1, Some(s(1))),
            (None, 2, Some(s(2))),
            (None, 3, Some(s(4))),
            (Some("3"), 1, Some(s(3))),
            (Some(" 120 "), 1, Some(s(120))),
            (Some("Wed, 01 Jan 2025 12:00:07 GMT"), 1, Some(s(7))),
            (Some("Wed, 01 Jan 2025 11:00:00 GMT"), 1, Some(s(0))),
            (Some("soon"), 1, None),
            (Some("-1"), 1, None),
        ];
        for (header, attempt, want) in cases {
            assert_eq!(retry_delay(header, attempt, now), want, "{header:?}");
        }
    }
}
