//! The bucket, through object_store's S3 client: credentials from the
//! environment, listing, uploads, deletions, and errors said plainly with
//! the secret never in them.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Key;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, PutOptions,
    PutPayload, RetryConfig,
};

use super::plan::{Local, Remote};
use crate::config::deploy::Target;

/// AWS's variables and shared credentials file: never site.yaml.
#[derive(Clone)]
pub struct Credentials {
    pub key_id: String,
    pub secret: String,
    pub token: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// From AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and
/// AWS_SESSION_TOKEN), else from the profile AWS_PROFILE (default
/// `default`) of AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials.
pub fn credentials(env: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, String> {
    let var = |k: &str| env(k).filter(|v| !v.trim().is_empty());
    if let (Some(key_id), Some(secret)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
        return Ok(Credentials {
            key_id,
            secret,
            token: var("AWS_SESSION_TOKEN"),
        });
    }
    let profile = var("AWS_PROFILE").unwrap_or_else(|| "default".into());
    let file = var("AWS_SHARED_CREDENTIALS_FILE")
        .map(std::path::PathBuf::from)
        .or_else(|| var("HOME").map(|h| std::path::Path::new(&h).join(".aws/credentials")));
    let none = || {
        format!(
            "no credentials for the bucket\n  = help: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a [{profile}] profile with aws_access_key_id and aws_secret_access_key to ~/.aws/credentials (AWS_PROFILE picks another)"
        )
    };
    let Some(file) = file else { return Err(none()) };
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Err(none());
    };
    let values = profile_values(&text, &profile);
    match (
        values.get("aws_access_key_id"),
        values.get("aws_secret_access_key"),
    ) {
        (Some(k), Some(s)) => Ok(Credentials {
            key_id: k.clone(),
            secret: s.clone(),
            token: values.get("aws_session_token").cloned(),
        }),
        _ => Err(format!(
            "{} has no aws_access_key_id and aws_secret_access_key under [{profile}]\n  = help: add them there, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            file.display()
        )),
    }
}

/// The `key = value` lines under `[profile]` of an INI file.
fn profile_values(text: &str, profile: &str) -> BTreeMap<String, String> {
    let mut inside = false;
    let mut values = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim();
            inside = name == profile || name.strip_prefix("profile ") == Some(profile);
        } else if inside && let Some((k, v)) = line.split_once('=') {
            values.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    values
}

pub struct Store {
    s3: Arc<AmazonS3>,
    secret: String,
    /// Where the bucket is, for messages: `archive at https://…`.
    place: String,
}

impl Store {
    pub fn connect(target: &Target, creds: Credentials, region: String) -> Result<Store, String> {
        // TLS and signing both use ring, already built for ureq.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&target.bucket)
            .with_region(&region)
            .with_access_key_id(&creds.key_id)
            .with_secret_access_key(&creds.secret)
            .with_disable_tagging(true)
            .with_retry(RetryConfig {
                backoff: BackoffConfig {
                    init_backoff: Duration::from_millis(200),
                    max_backoff: Duration::from_secs(10),
                    base: 2.0,
                },
                max_retries: 5,
                retry_timeout: Duration::from_secs(60),
            })
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(10))
                    .with_timeout(Duration::from_secs(120))
                    .with_allow_http(
                        target
                            .endpoint
                            .as_deref()
                            .is_some_and(|e| e.starts_with("http://")),
                    ),
            );
        if let Some(token) = &creds.token {
            b = b.with_token(token);
        }
        if let Some(e) = &target.endpoint {
            b = b.with_endpoint(e);
        }
        let place = format!(
            "bucket `{}` at {}",
            target.bucket,
            target
                .endpoint
                .clone()
                .unwrap_or_else(|| format!("Amazon S3 ({region})"))
        );
        let s3 = b
            .build()
            .map_err(|e| scrub(&format!("cannot set up the {place}: {e}"), &creds.secret))?;
        Ok(Store {
            s3: Arc::new(s3),
            secret: creds.secret,
            place,
        })
    }

    /// Every object under `prefix`, by key.
    pub async fn list(&self, prefix: &str) -> Result<BTreeMap<String, Remote>, String> {
        let prefix = (!prefix.is_empty()).then(|| Key::from(prefix.trim_end_matches('/')));
        self.s3
            .list(prefix.as_ref())
            .map_ok(|m| {
                (
                    m.location.to_string(),
                    Remote {
                        size: m.size,
                        e_tag: m.e_tag,
                    },
                )
            })
            .try_collect()
            .await
            .map_err(|e| self.explain("list", &e))
    }

    /// An object's bytes, or None when there is none.
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let key = self.key(name)?;
        let doing = format!("read {name}");
        match self.s3.get(&key).await {
            Ok(r) => Ok(Some(
                r.bytes()
                    .await
                    .map_err(|e| self.explain(&doing, &e))?
                    .to_vec(),
            )),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.explain(&doing, &e)),
        }
    }

    pub async fn put(&self, file: &Local, bytes: Vec<u8>) -> Result<(), String> {
        let key = self.key(&file.key)?;
        let h = &file.headers;
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, h.content_type.into());
        attributes.insert(Attribute::CacheControl, h.cache_control.clone().into());
        if let Some(enc) = h.content_encoding {
            attributes.insert(Attribute::ContentEncoding, enc.into());
        }
        // For stores whose ETag is not the MD5 of the bytes.
        attributes.insert(
            Attribute::Metadata("md5".into()),
            super::headers::hex(&file.md5).into(),
        );
        let opts = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.s3
            .put_opts(&key, PutPayload::from(bytes), opts)
            .await
            .map(|_| ())
            .map_err(|e| self.explain(&format!("upload {}", file.rel), &e))
    }

    pub async fn put_plain(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &'static str,
    ) -> Result<(), String> {
        let path = self.key(key)?;
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, content_type.into());
        attributes.insert(Attribute::CacheControl, "no-cache".into());
        let opts = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.s3
            .put_opts(&path, PutPayload::from(bytes), opts)
            .await
            .map(|_| ())
            .map_err(|e| self.explain(&format!("upload {key}"), &e))
    }

    /// Deletes `keys` (in requests of up to 1,000 where the store allows),
    /// calling `done` for each.
    pub async fn delete(
        &self,
        keys: &[String],
        done: &(dyn Fn(&str) + Sync),
    ) -> Result<(), String> {
        let paths: Vec<_> = keys.iter().map(|k| self.key(k)).collect::<Result<_, _>>()?;
        let mut results = self
            .s3
            .delete_stream(futures_util::stream::iter(paths.into_iter().map(Ok)).boxed());
        while let Some(r) = results.next().await {
            match r {
                Ok(p) => done(p.as_ref()),
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(self.explain("delete", &e)),
            }
        }
        Ok(())
    }

    fn key(&self, key: &str) -> Result<Key, String> {
        Key::parse(key).map_err(|e| format!("`{key}` cannot be an object name: {e}"))
    }

    /// What went wrong, said for a person, without the secret.
    fn explain(&self, doing: &str, e: &object_store::Error) -> String {
        let mut full = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            full.push_str(": ");
            full.push_str(&s.to_string());
            source = s.source();
        }
        let has = |s: &str| full.contains(s);
        let (what, help) = if has("InvalidAccessKeyId")
            || has("SignatureDoesNotMatch")
            || has("InvalidToken")
            || has("ExpiredToken")
        {
            (
                "the store does not accept these credentials",
                "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the profile in ~/.aws/credentials) for this store",
            )
        } else if has("NoSuchBucket") {
            (
                "there is no such bucket",
                "check `bucket` (and `endpoint`) of this target in site.yaml, or create the bucket first",
            )
        } else if has("AccessDenied")
            || matches!(
                e,
                object_store::Error::PermissionDenied { .. }
                    | object_store::Error::Unauthenticated { .. }
            )
        {
            (
                "the store refused: access denied",
                "these credentials need permission to list, read, write and delete objects in this bucket",
            )
        } else if has("onnection refused")
            || has("error sending request")
            || has("dns error")
            || has("timed out")
            || has("connect")
        {
            (
                "cannot reach the store",
                "check `endpoint` of this target in site.yaml and the network; nothing was changed after this point",
            )
        } else if has("PermanentRedirect") || has("redirect") {
            (
                "the bucket is in another region",
                "set `region` of this target in site.yaml to the bucket's region",
            )
        } else {
            (
                "the store answered with an error",
                "run again: what already arrived is not sent twice",
            )
        };
        let detail = short(&full);
        scrub(
            &format!(
                "cannot {doing} in the {}: {what}\n  = detail: {detail}\n  = help: {help}",
                self.place
            ),
            &self.secret,
        )
    }
}

/// The store's code and status, without its whole XML answer.
fn short(full: &str) -> String {
    let code = full
        .split("<Code>")
        .nth(1)
        .and_then(|r| r.split("</Code>").next());
    let status = ["400", "401", "403", "404", "409", "429", "500", "503"]
        .into_iter()
        .find(|s| full.contains(&format!("status {s}")) || full.contains(&format!("{s} ")));
    let retries = full
        .split(", after ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .map_or(String::new(), |r| format!(", after {r}"));
    match (code, status) {
        (Some(c), Some(s)) => format!("{c} (HTTP {s})"),
        (Some(c), None) => c.to_owned(),
        _ if full.contains("onnection refused") => format!("connection refused{retries}"),
        _ if full.contains("timed out") => format!("timed out{retries}"),
        _ => {
            let one_line: String = full.split_whitespace().collect::<Vec<_>>().join(" ");
            crate::text::truncate(&one_line, 300)
        }
    }
}

/// `text` with every occurrence of the secret blotted out.
pub fn scrub(text: &str, secret: &str) -> String {
    if secret.len() < 4 {
        return text.to_owned();
    }
    text.replace(secret, "********")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_first_then_the_profile() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials");
        std::fs::write(
            &file,
            "[default]\naws_access_key_id = DEF\naws_secret_access_key = defsecret\n\n[profile news]\n# comment\naws_access_key_id=NEWS\naws_secret_access_key=newssecret\naws_session_token = tok\n",
        )
        .unwrap();
        let path = file.to_string_lossy().into_owned();
        let env = |vars: Vec<(&'static str, String)>| {
            move |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
        };
        let c = credentials(&env(vec![
            ("AWS_ACCESS_KEY_ID", "ENV".into()),
            ("AWS_SECRET_ACCESS_KEY", "envsecret".into()),
            ("AWS_SHARED_CREDENTIALS_FILE", path.clone()),
        ]))
        .unwrap();
        assert_eq!((c.key_id.as_str(), c.token), ("ENV", None));
        let c = credentials(&env(vec![("AWS_SHARED_CREDENTIALS_FILE", path.clone())])).unwrap();
        assert_eq!(c.key_id, "DEF");
        let c = credentials(&env(vec![
            ("AWS_SHARED_CREDENTIALS_FILE", path.clone()),
            ("AWS_PROFILE", "news".into()),
        ]))
        .unwrap();
        assert_eq!(
            (c.key_id.as_str(), c.secret.as_str(), c.token.as_deref()),
            ("NEWS", "newssecret", Some("tok"))
        );
        let e = credentials(&env(vec![
            ("AWS_SHARED_CREDENTIALS_FILE", path),
            ("AWS_PROFILE", "other".into()),
        ]))
        .unwrap_err();
        assert!(e.contains("[other]"), "{e}");
        assert!(!format!("{c:?}").contains("newssecret"));
        let e = credentials(&env(vec![])).unwrap_err();
        assert!(e.contains("AWS_ACCESS_KEY_ID"), "{e}");
    }

    #[test]
    fn secrets_are_blotted_out() {
        assert_eq!(
            scrub("key=abcdef12 and abcdef12", "abcdef12"),
            "key=******** and ********"
        );
    }
}
