//! What templates can call besides Tera's built-ins: `url()` for every link,
//! the interface strings as `t`, and filters for dates, digits and counts.

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::config::Config;
use crate::date::FORMATS;
use crate::url::UrlPath;

pub fn register(tera: &mut Tera, config: &Config) {
    tera.global_context().insert("t", config.strings.words());
    // The plural forms themselves, for scripts that count in the browser.
    tera.global_context()
        .insert("t_counts", &config.strings.count_forms());

    let base = config.base_url.clone();
    // `url(path="style.css")` → `/archive/style.css`;
    // `url(path="atom.xml", absolute=true)` → `https://…/archive/atom.xml`.
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: String = kwargs.must_get::<&str>("path")?.to_owned();
            let absolute = kwargs.get::<bool>("absolute")?.unwrap_or(false);
            let page = site_path(&path);
            Ok(if absolute {
                base.permalink(&page)
            } else {
                base.href(&page)
            })
        },
    );

    let style = config.date_style.clone();
    // `{{ article.date | arabic_date }}` → "19 سبتمبر/أيلول 2023";
    // `format=` one of `long`, `full`, `short`, `month`, `time`, `hijri`, `iso`.
    tera.register_filter(
        "arabic_date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let date = chrono::DateTime::parse_from_rfc3339(value).map_err(|_| {
                tera::Error::message(format!("arabic_date: `{value}` is not an RFC 3339 date"))
            })?;
            let format = kwargs.get::<&str>("format")?.unwrap_or("long");
            style.format(&date, format).ok_or_else(|| {
                tera::Error::message(format!(
                    "arabic_date: unknown format `{format}`; use one of {}",
                    FORMATS.join(", ")
                ))
            })
        },
    );

    let digits = config.date_style.digits;
    // `{{ count | digits }}` writes a number in the site's digits.
    tera.register_filter(
        "digits",
        move |value: &Value, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(digits.apply(&value_text(value)))
        },
    );

    let strings = config.strings.clone();
    // `{{ 3 | plural(of="articles") }}` → "3 مقالات"; `{{ 11 | plural(of="articles") }}` → "11 مقالة".
    tera.register_filter(
        "plural",
        move |n: u64, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let noun = kwargs.must_get::<&str>("of")?;
            strings.count(noun, n, digits).ok_or_else(|| {
                let nouns: Vec<&str> = strings.nouns().collect();
                tera::Error::message(format!(
                    "plural: unknown noun `{noun}`; use one of {}",
                    nouns.join(", ")
                ))
            })
        },
    );

    // `{{ t.page_n | fill(n=3) }}` → "صفحة 3": fills `{n}` (in the site's
    // digits) and `{period}` placeholders of an interface string.
    tera.register_filter(
        "fill",
        move |text: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let mut out = text.to_owned();
            if let Some(n) = kwargs.get::<&Value>("n")? {
                out = out.replace("{n}", &digits.apply(&value_text(n)));
            }
            if let Some(period) = kwargs.get::<&str>("period")? {
                out = out.replace("{period}", period);
            }
            Ok(out)
        },
    );
}

fn value_text(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_owned(),
        None => value.to_string(),
    }
}

/// A template's path argument as a site path: `style.css`, `/style.css` and
/// `tags/` all name files from the site root.
pub fn site_path(path: &str) -> UrlPath {
    let trimmed = path.trim_start_matches('/');
    match trimmed.rsplit_once('/') {
        _ if trimmed.is_empty() => UrlPath::root(),
        Some((dir, "")) => UrlPath::dir(dir.split('/')),
        Some((dir, file)) => UrlPath::file(dir.split('/'), file),
        None => UrlPath::file::<&str>([], trimmed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_paths() {
        assert_eq!(site_path("style.css").as_str(), "/style.css");
        assert_eq!(site_path("/fonts/a.woff2").as_str(), "/fonts/a.woff2");
        assert_eq!(site_path("tags/").as_str(), "/tags/");
        assert_eq!(site_path("/").as_str(), "/");
        assert_eq!(site_path("").as_str(), "/");
    }
}
