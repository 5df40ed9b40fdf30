//! What a deploy will do, decided in full before the first write: the
//! built files with the bytes they will be stored as, compared with the
//! bucket's listing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use md5::Digest;
use rayon::prelude::*;

use super::headers::{self, Headers};
use crate::config::deploy::Target;
use crate::error::Result;

/// Files of the output that only GitHub Pages reads.
const PAGES_ONLY: [&str; 2] = [".nojekyll", "CNAME"];

/// One built file, as it will be stored.
#[derive(Debug, Clone)]
pub struct Local {
    /// Relative to the output folder, `/`-separated.
    pub rel: String,
    pub key: String,
    /// Of the bytes stored (compressed when the headers say so).
    pub size: u64,
    pub md5: [u8; 16],
    pub headers: Headers,
}

/// An object of the bucket, from its listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub size: u64,
    pub e_tag: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    New,
    Changed,
}

#[derive(Debug, Default)]
pub struct Plan {
    /// Sorted by key.
    pub uploads: Vec<(Local, Why)>,
    /// Keys the site no longer has, sorted.
    pub deletes: Vec<String>,
    pub kept: usize,
    /// Bytes the uploads send.
    pub bytes: u64,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty() && self.deletes.is_empty()
    }
}

/// Every file of the output with its headers, size and MD5 as stored.
pub fn scan(output: &Path, target: &Target) -> Result<Vec<Local>> {
    let rels: Vec<PathBuf> = crate::output::list_files(output)?;
    let mut files: Vec<Local> = rels
        .par_iter()
        .map(|rel| crate::output::key(rel))
        .filter(|rel| !PAGES_ONLY.contains(&rel.as_str()))
        .map(|rel| {
            let headers = headers::for_file(&rel, target);
            let bytes = headers::encode(crate::fs::read(&output.join(&rel))?, &headers);
            Ok(Local {
                key: format!("{}{rel}", target.prefix),
                size: bytes.len() as u64,
                md5: md5::Md5::digest(&bytes).into(),
                rel,
                headers,
            })
        })
        .collect::<Result<_>>()?;
    files.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(files)
}

/// The uploads and deletions that make `remote` hold `local`. With
/// `resend`, every file is sent again (the headers' settings changed).
/// `ignore` names keys that belong to the deploy itself.
pub fn diff(
    local: Vec<Local>,
    remote: &BTreeMap<String, Remote>,
    resend: bool,
    ignore: &[&str],
) -> Plan {
    let mut plan = Plan::default();
    for file in &local {
        match remote.get(&file.key) {
            None => plan.uploads.push((file.clone(), Why::New)),
            Some(r) if resend || !same(file, r) => plan.uploads.push((file.clone(), Why::Changed)),
            Some(_) => plan.kept += 1,
        }
    }
    let wanted: std::collections::HashSet<&str> = local.iter().map(|f| f.key.as_str()).collect();
    plan.deletes = remote
        .keys()
        .filter(|k| !wanted.contains(k.as_str()) && !ignore.contains(&k.as_str()))
        .cloned()
        .collect();
    plan.bytes = plan.uploads.iter().map(|(f, _)| f.size).sum();
    plan
}

/// Size first, then the ETag, which S3 and the stores that copy it make
/// the MD5 of an object sent in one request (as every upload here is).
/// An ETag that is not an MD5 (multipart uploads, some encryption
/// settings) cannot vouch for the bytes, so the file is sent again.
fn same(file: &Local, remote: &Remote) -> bool {
    if file.size != remote.size {
        return false;
    }
    let Some(tag) = &remote.e_tag else {
        return false;
    };
    let tag = tag.trim_start_matches("W/").trim_matches('"');
    tag.len() == 32 && tag.eq_ignore_ascii_case(&headers::hex(&file.md5))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(key: &str, bytes: &[u8]) -> Local {
        Local {
            rel: key.into(),
            key: key.into(),
            size: bytes.len() as u64,
            md5: md5::Md5::digest(bytes).into(),
            headers: Headers {
                content_type: "text/html; charset=utf-8",
                cache_control: "x".into(),
                content_encoding: None,
            },
        }
    }

    fn remote(bytes: &[u8], tag: Option<String>) -> Remote {
        Remote {
            size: bytes.len() as u64,
            e_tag: tag,
        }
    }

    fn etag(bytes: &[u8]) -> Option<String> {
        Some(format!("\"{}\"", headers::hex(&md5::Md5::digest(bytes))))
    }

    #[test]
    fn new_changed_kept_and_gone() {
        let files = vec![
            local("a.html", b"same"),
            local("b.html", b"new bytes"),
            local("c.html", b"fresh"),
            local("d.html", b"abcd"),
        ];
        let remote: BTreeMap<String, Remote> = [
            ("a.html", remote(b"same", etag(b"same"))),
            ("b.html", remote(b"old", etag(b"old"))),
            // Same size, other bytes: only the MD5 tells.
            ("d.html", remote(b"wxyz", etag(b"wxyz"))),
            ("gone.html", remote(b"x", etag(b"x"))),
            (".arshif-deploy.json", remote(b"{}", etag(b"{}"))),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let plan = diff(files, &remote, false, &[".arshif-deploy.json"]);
        let ups: Vec<(&str, Why)> = plan
            .uploads
            .iter()
            .map(|(f, w)| (f.key.as_str(), *w))
            .collect();
        assert_eq!(
            ups,
            [
                ("b.html", Why::Changed),
                ("c.html", Why::New),
                ("d.html", Why::Changed)
            ]
        );
        assert_eq!(plan.deletes, ["gone.html"]);
        assert_eq!(plan.kept, 1);
        assert_eq!(plan.bytes, 9 + 5 + 4);
    }

    #[test]
    fn etags_that_are_not_md5_mean_send_again() {
        let f = local("a", b"same");
        assert!(same(&f, &remote(b"same", etag(b"same"))));
        let upper = etag(b"same").map(|t| t.to_uppercase());
        assert!(same(&f, &remote(b"same", upper)));
        assert!(!same(&f, &remote(b"same", Some("\"abc-2\"".into()))));
        assert!(!same(&f, &remote(b"same", None)));
    }

    #[test]
    fn resend_sends_everything_again() {
        let remote: BTreeMap<String, Remote> = [("a".to_owned(), remote(b"same", etag(b"same")))]
            .into_iter()
            .collect();
        let plan = diff(vec![local("a", b"same")], &remote, true, &[]);
        assert_eq!(plan.uploads.len(), 1);
        assert_eq!(plan.kept, 0);
    }
}
