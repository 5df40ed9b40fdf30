//! Authors and sources as a newsroom knows them (site.yaml `authors:` and
//! `sources:`): the name to show, the other spellings articles use
//! (`Reuters`, `رويترز `), a description, a photo and links. Articles
//! under any spelling land on one page, shown with the chosen name.

use std::collections::HashMap;

use serde::Deserialize;

use crate::text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The name pages show.
    pub name: String,
    pub spellings: Vec<String>,
    pub description: Option<String>,
    /// A file of static/ (`/images/a.jpg`) or an `https://` URL.
    pub photo: Option<String>,
    pub links: Vec<String>,
}

/// As site.yaml writes one: its other spellings, or everything.
#[derive(Deserialize)]
#[serde(untagged)]
enum Written {
    Spellings(Vec<String>),
    Full(Full),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Full {
    #[serde(default)]
    spellings: Vec<String>,
    description: Option<String>,
    photo: Option<String>,
    #[serde(default)]
    links: Vec<String>,
}

/// Reads `name: [spellings…]` or `name: {spellings, description, photo,
/// links}` entries; each problem is a message about one name.
pub fn read(value: &serde_yaml::Value) -> Result<Vec<Profile>, Vec<String>> {
    let Some(map) = value.as_mapping() else {
        return Err(vec![
            "must be a map of names, e.g. `رويترز: [Reuters]`".into(),
        ]);
    };
    let mut profiles = Vec::new();
    let mut problems = Vec::new();
    let mut claimed: HashMap<String, String> = HashMap::new();
    for (k, v) in map {
        let Some(name) = k.as_str().map(str::trim).filter(|n| !n.is_empty()) else {
            problems.push("every key must be a name".into());
            continue;
        };
        let written = if v.is_null() {
            Ok(Written::Spellings(Vec::new()))
        } else {
            serde_yaml::from_value::<Written>(v.clone())
        };
        let full = match written {
            Ok(Written::Spellings(spellings)) => Full {
                spellings,
                description: None,
                photo: None,
                links: Vec::new(),
            },
            Ok(Written::Full(f)) => f,
            Err(_) => {
                problems.push(format!(
                    "`{name}`: give a list of other spellings, or a map of `spellings`, `description`, `photo` and `links`"
                ));
                continue;
            }
        };
        for spelling in std::iter::once(name).chain(full.spellings.iter().map(String::as_str)) {
            if let Some(other) = claimed.insert(text::term_key(spelling), name.to_owned())
                && other != name
            {
                problems.push(format!(
                    "`{spelling}` is a spelling of both `{other}` and `{name}`"
                ));
            }
        }
        if let Some(photo) = &full.photo
            && !(photo.starts_with('/') || photo.starts_with("https://"))
        {
            problems.push(format!(
                "`{name}`: the photo `{photo}` must be a file of static/ from the site's root (`/images/a.jpg`) or an https:// address"
            ));
        }
        for link in &full.links {
            if !crate::markdown::is_web(link) {
                problems.push(format!(
                    "`{name}`: the link `{link}` is not an http(s) address"
                ));
            }
        }
        profiles.push(Profile {
            name: name.to_owned(),
            spellings: full.spellings,
            description: full.description.filter(|d| !d.trim().is_empty()),
            photo: full.photo.filter(|p| !p.trim().is_empty()),
            links: full.links,
        });
    }
    if problems.is_empty() {
        Ok(profiles)
    } else {
        Err(problems)
    }
}

/// Each spelling's term key (with the site's `letters`) → the profile it
/// belongs to.
pub fn by_key(profiles: &[Profile], letters: text::Letters) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, p) in profiles.iter().enumerate() {
        for s in std::iter::once(&p.name).chain(&p.spellings) {
            map.insert(text::term_key_with(s, letters), i);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_full_forms() {
        let v: serde_yaml::Value = serde_yaml::from_str(
            "رويترز: [Reuters, \"رويترز \"]\nأسوشيتد برس:\n  spellings: [Associated Press]\n  description: وكالة\n  links: [https://apnews.com]\nهوين لو:\n",
        )
        .unwrap();
        let p = read(&v).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].spellings, ["Reuters", "رويترز "]);
        assert_eq!(p[1].description.as_deref(), Some("وكالة"));
        let keys = by_key(&p, text::Letters::default());
        assert_eq!(keys[&text::term_key("reuters")], 0);
    }

    #[test]
    fn problems_name_the_entry() {
        let v: serde_yaml::Value = serde_yaml::from_str(
            "أ: [Reuters]\nب: [reuters]\nج: {bio: x}\nد: {links: [ftp://x], photo: a.jpg}\n",
        )
        .unwrap();
        let e = read(&v).unwrap_err();
        assert!(
            e.iter().any(|m| m.contains("spelling of both `أ` and `ب`")),
            "{e:?}"
        );
        assert!(e.iter().any(|m| m.starts_with("`ج`")), "{e:?}");
        assert!(e.iter().any(|m| m.contains("ftp://x")), "{e:?}");
        assert!(e.iter().any(|m| m.contains("the photo `a.jpg`")), "{e:?}");
    }
}
