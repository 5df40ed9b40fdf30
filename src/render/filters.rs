//! What templates can call besides Tera's built-ins: `url()` for every link,
//! and the Arabic date and digit filters.

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::config::Config;
use crate::url::UrlPath;

pub fn register(tera: &mut Tera, config: &Config) {
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

    let style = config.date_style();
    // `{{ article.date | arabic_date }}` → "19 سبتمبر/أيلول 2023";
    // `format="month"` → "سبتمبر/أيلول 2023".
    tera.register_filter(
        "arabic_date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let date = chrono::DateTime::parse_from_rfc3339(value).map_err(|_| {
                tera::Error::message(format!("arabic_date: `{value}` is not an RFC 3339 date"))
            })?;
            match kwargs.get::<&str>("format")?.unwrap_or("long") {
                "long" => Ok(style.long(&date)),
                "month" => Ok(style.month_year(
                    chrono::Datelike::year(&date),
                    chrono::Datelike::month(&date),
                )),
                other => Err(tera::Error::message(format!(
                    "arabic_date: unknown format `{other}`; use `long` or `month`"
                ))),
            }
        },
    );

    let digits = style.digits;
    // `{{ count | digits }}` writes a number in the site's digits.
    tera.register_filter(
        "digits",
        move |value: &Value, _: Kwargs, _: &State| -> TeraResult<String> {
            let text = match value.as_str() {
                Some(s) => s.to_owned(),
                None => value.to_string(),
            };
            Ok(digits.apply(&text))
        },
    );
}

/// A template's path argument as a site path: `style.css`, `/style.css` and
/// `tags/` all name files from the site root.
fn site_path(path: &str) -> UrlPath {
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
