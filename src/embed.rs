//! Embeds without trusting all HTML: a video or post of a provider the
//! site allows, given as its address alone on a paragraph (or, under
//! `raw_html: sanitize`, as the provider's iframe), becomes a link that a
//! small script turns into the player when the reader clicks. Nothing is
//! asked of the provider before that click.

use serde::Deserialize;

use crate::text::escape_html;

/// The providers a site can allow (site.yaml `embeds:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Youtube,
    Vimeo,
    /// X, formerly Twitter.
    X,
    Facebook,
    Soundcloud,
}

impl Provider {
    pub const ALL: [Provider; 5] = [
        Provider::Youtube,
        Provider::Vimeo,
        Provider::X,
        Provider::Facebook,
        Provider::Soundcloud,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Provider::Youtube => "YouTube",
            Provider::Vimeo => "Vimeo",
            Provider::X => "X",
            Provider::Facebook => "Facebook",
            Provider::Soundcloud => "SoundCloud",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Provider::Youtube => "youtube",
            Provider::Vimeo => "vimeo",
            Provider::X => "x",
            Provider::Facebook => "facebook",
            Provider::Soundcloud => "soundcloud",
        }
    }
}

/// What a site allows, and the words of its play link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embeds {
    pub allowed: Vec<Provider>,
    /// "شغّل من {provider}": the link's text before the click.
    pub play: String,
}

/// One embed: where the reader's click goes without the script, and the
/// player the script loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    pub provider: Provider,
    /// The page on the provider's site.
    pub page: String,
    /// The player's address, loaded only after a click.
    pub player: String,
}

impl Embeds {
    /// The embed for an address written alone on a paragraph, if its
    /// provider is allowed.
    pub fn for_page(&self, url: &str) -> Option<Embed> {
        let e = from_page(url.trim())?;
        self.allowed.contains(&e.provider).then_some(e)
    }

    /// The embed for an iframe's `src`, if its provider is allowed.
    pub fn for_player(&self, src: &str) -> Option<Embed> {
        let e = from_player(src.trim())?;
        self.allowed.contains(&e.provider).then_some(e)
    }

    /// The HTML of an embed: a figure with a link to the provider's page,
    /// which `embed.js` replaces with the player on click.
    pub fn html(&self, e: &Embed) -> String {
        let label = self.play.replace("{provider}", e.provider.name());
        format!(
            "<figure class=\"embed embed-{class}\" data-embed=\"{player}\" data-title=\"{title}\">\
             <a class=\"embed-poster\" href=\"{page}\" rel=\"external noopener\">\
             <span class=\"embed-play\" aria-hidden=\"true\"></span>\
             <span class=\"embed-label\">{label}</span></a></figure>",
            class = e.provider.class(),
            player = escape_html(&e.player),
            title = escape_html(e.provider.name()),
            page = escape_html(&e.page),
            label = escape_html(&label),
        )
    }
}

/// `https://www.youtube.com/watch?v=ID` and the like → its embed.
fn from_page(url: &str) -> Option<Embed> {
    let (host, path, query) = split(url)?;
    let provider_embed = |provider, player: String| {
        Some(Embed {
            provider,
            page: url.to_owned(),
            player,
        })
    };
    match host {
        "youtube.com" | "m.youtube.com" | "youtu.be" => {
            let id = if host == "youtu.be" {
                path.trim_start_matches('/')
            } else if path == "/watch" {
                param(query, "v")?
            } else {
                path.strip_prefix("/shorts/")
                    .or_else(|| path.strip_prefix("/live/"))
                    .or_else(|| path.strip_prefix("/embed/"))?
            };
            let id = video_id(id)?;
            let start = param(query, "t")
                .or_else(|| param(query, "start"))
                .map(|t| t.trim_end_matches('s'))
                .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
            let player = match start {
                Some(t) => {
                    format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1&start={t}")
                }
                None => format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
            };
            provider_embed(Provider::Youtube, player)
        }
        "vimeo.com" => {
            let id = path.trim_start_matches('/');
            (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(())?;
            provider_embed(
                Provider::Vimeo,
                format!("https://player.vimeo.com/video/{id}?autoplay=1&dnt=1"),
            )
        }
        "x.com" | "twitter.com" | "mobile.twitter.com" => {
            let id = path.split('/').skip_while(|s| *s != "status").nth(1)?;
            id.bytes().all(|b| b.is_ascii_digit()).then_some(())?;
            provider_embed(
                Provider::X,
                format!("https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true"),
            )
        }
        "facebook.com" | "m.facebook.com" | "fb.watch" => {
            let video = host == "fb.watch" || path.contains("/videos/") || path == "/watch/";
            video.then_some(())?;
            provider_embed(
                Provider::Facebook,
                format!(
                    "https://www.facebook.com/plugins/video.php?href={}&autoplay=1",
                    encode(url)
                ),
            )
        }
        "soundcloud.com" => {
            (path.matches('/').count() >= 2).then_some(())?;
            provider_embed(
                Provider::Soundcloud,
                format!(
                    "https://w.soundcloud.com/player/?url={}&auto_play=true",
                    encode(url)
                ),
            )
        }
        _ => None,
    }
}

/// The page of a provider's player (an iframe's `src`), allowed or not:
/// `youtube.com/embed/ID` → `https://www.youtube.com/watch?v=ID`.
pub fn page_of_player(src: &str) -> Option<String> {
    from_player(src.trim()).map(|e| e.page)
}

/// A provider's player address (an iframe's `src`) → its embed.
fn from_player(src: &str) -> Option<Embed> {
    let (host, path, query) = split(src)?;
    let page = match host {
        "youtube.com" | "youtube-nocookie.com" => {
            let id = video_id(path.strip_prefix("/embed/")?)?;
            format!("https://www.youtube.com/watch?v={id}")
        }
        "player.vimeo.com" => format!("https://vimeo.com/{}", path.strip_prefix("/video/")?),
        "platform.twitter.com" => format!("https://x.com/i/status/{}", param(query, "id")?),
        "facebook.com" if path.starts_with("/plugins/video.php") => {
            percent_encoding::percent_decode_str(param(query, "href")?)
                .decode_utf8()
                .ok()?
                .into_owned()
        }
        "w.soundcloud.com" => percent_encoding::percent_decode_str(param(query, "url")?)
            .decode_utf8()
            .ok()?
            .into_owned(),
        _ => return None,
    };
    from_page(&page)
}

/// `https://www.host/path?query` → host without `www.`, path, query.
fn split(url: &str) -> Option<(&str, &str, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.split('#').next().unwrap_or(rest);
    let (host, path_query) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let host = host.strip_prefix("www.").unwrap_or(host);
    Some((host, if path.is_empty() { "/" } else { path }, query))
}

fn param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .filter(|v| !v.is_empty())
}

/// A YouTube id: letters, digits, `-` and `_`, nothing after it.
fn video_id(id: &str) -> Option<&str> {
    let id = id.split(['/', '?', '&']).next()?;
    (!id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(id)
}

fn encode(url: &str) -> String {
    percent_encoding::utf8_percent_encode(url, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Embeds {
        Embeds {
            allowed: Provider::ALL.to_vec(),
            play: "شغّل من {provider}".into(),
        }
    }

    #[test]
    fn pages_of_each_provider() {
        let e = all();
        let player = |u: &str| e.for_page(u).map(|e| e.player);
        assert_eq!(
            player("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=42")
        );
        assert_eq!(
            player("https://youtu.be/dQw4w9WgXcQ").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1")
        );
        assert!(player("https://www.youtube.com/shorts/abc_-1").is_some());
        assert_eq!(
            player("https://vimeo.com/76979871").as_deref(),
            Some("https://player.vimeo.com/video/76979871?autoplay=1&dnt=1")
        );
        assert!(
            player("https://x.com/Reuters/status/1234567890")
                .unwrap()
                .contains("id=1234567890")
        );
        assert!(player("https://twitter.com/i/status/1234567890").is_some());
        assert!(player("https://www.facebook.com/Reuters/videos/123456/").is_some());
        assert!(player("https://soundcloud.com/artist/track").is_some());
        for no in [
            "https://www.youtube.com/",
            "https://www.youtube.com/watch?v=bad<id>",
            "https://vimeo.com/channels/x",
            "https://x.com/Reuters",
            "https://example.com/watch?v=abc",
            "ftp://youtube.com/watch?v=abc",
        ] {
            assert!(player(no).is_none(), "{no}");
        }
    }

    #[test]
    fn players_become_their_pages() {
        let e = all();
        let page = |u: &str| e.for_player(u).map(|e| e.page);
        assert_eq!(
            page("https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0").as_deref(),
            Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
        );
        assert_eq!(
            page("https://player.vimeo.com/video/76979871").as_deref(),
            Some("https://vimeo.com/76979871")
        );
        assert!(page("https://maps.example.com/embed").is_none());
    }

    #[test]
    fn only_allowed_providers_and_escaped_markup() {
        let e = Embeds {
            allowed: vec![Provider::Vimeo],
            play: "Play on {provider}".into(),
        };
        assert!(e.for_page("https://youtu.be/dQw4w9WgXcQ").is_none());
        let v = e.for_page("https://vimeo.com/76979871").unwrap();
        let html = e.html(&v);
        assert!(
            html.contains(
                "data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1&amp;dnt=1\""
            ),
            "{html}"
        );
        assert!(html.contains(">Play on Vimeo</span>"));
        assert!(!html.contains("<iframe"));
    }
}
