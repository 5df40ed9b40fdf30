//! Embeds of allowed providers: the page asks nothing of the provider
//! until the reader clicks, then shows the player; other iframes are
//! removed with a warning at their line.

use crate::browser::{Chromium, chromium};
use crate::harness::SiteTest;
use crate::server::StaticServer;

const PAGE: &str = "/2023/09/19/video/";

fn video_site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "content/video.md",
        "---\ntitle: فيديو القمة\ndate: 2023-09-19\n---\n\nنص.\n\n\
         https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n\
         <iframe src=\"https://player.vimeo.com/video/76979871\"></iframe>\n\n\
         <iframe src=\"https://maps.example.com/embed?q=1\"></iframe>\n",
    );
    site
}

#[test]
fn allowed_addresses_and_iframes_become_embeds_and_others_a_warning() {
    let site = video_site();
    let run = site.build().expect_success();
    let page = site.page(PAGE);
    assert!(page.contains("<figure class=\"embed embed-youtube\" data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\""), "{page}");
    assert!(
        page.contains("<figure class=\"embed embed-vimeo\""),
        "{page}"
    );
    assert!(page.contains(">شغّل من YouTube</span>"), "{page}");
    assert!(page.contains("src=\"/embed.js\" defer"), "{page}");
    assert!(!page.contains("<iframe"), "{page}");
    assert!(site.exists("embed.js"));
    let err = run.stderr();
    assert!(
        err.contains("`<iframe>` is removed") && err.contains("content/video.md:12:1"),
        "{err}"
    );
    assert_eq!(err.matches("is removed").count(), 1, "{err}");

    // Only the providers listed: the YouTube address stays a paragraph.
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}embeds: [vimeo]\n"));
    site.build().expect_success();
    let page = site.page(PAGE);
    assert!(
        !page.contains("embed-youtube") && page.contains("embed-vimeo"),
        "{page}"
    );
    site.write("site.yaml", &format!("{yaml}embeds: [youtube, myspace]\n"));
    let bad = site.build().expect_failure().stderr();
    assert!(bad.contains("site.yaml") && bad.contains("embeds"), "{bad}");
}

/// Loads the page, records what it fetched and whether there is a player,
/// clicks the embed, and records again.
const CLICK_PROBE: &str = r#"<script>
window.addEventListener("load", function () {
  function state() {
    return {
      frames: Array.prototype.map.call(document.querySelectorAll("iframe"), function (f) { return f.src; }),
      fetched: performance.getEntriesByType("resource").map(function (e) { return e.name; })
    };
  }
  var before = state();
  document.querySelector(".embed-youtube .embed-poster").click();
  setTimeout(function () {
    var pre = document.createElement("pre");
    pre.className = "__embed_probe";
    pre.textContent = JSON.stringify({ before: before, after: state(), origin: location.origin });
    document.body.appendChild(pre);
  }, 300);
});
</script>"#;

#[test]
fn browser_an_embed_asks_nothing_of_its_provider_until_a_click() {
    let Some(bin) = chromium() else { return };
    let site = video_site();
    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.github.io/archive/\n",
    );
    site.build().expect_success();
    let server = StaticServer::start_injecting(site.public(), "/archive/", CLICK_PROBE);
    // Every host but loopback fails to resolve: nothing leaves the machine.
    let dom = Chromium { bin }.run(
        &[
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--dump-dom",
        ],
        &server.url(&format!("/archive{PAGE}")),
    );
    let json = dom
        .split("<pre class=\"__embed_probe\">")
        .nth(1)
        .and_then(|p| p.split("</pre>").next())
        .unwrap_or_else(|| panic!("no probe result in:\n{dom}"));
    let v: serde_json::Value = serde_json::from_str(&json.replace("&amp;", "&")).unwrap();
    let origin = v["origin"].as_str().unwrap();
    let before = &v["before"];
    assert_eq!(before["frames"].as_array().unwrap().len(), 0, "{v}");
    for url in before["fetched"].as_array().unwrap() {
        assert!(
            url.as_str().unwrap().starts_with(origin),
            "fetched before a click: {url}"
        );
    }
    let frames = v["after"]["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 1, "{v}");
    assert!(
        frames[0]
            .as_str()
            .unwrap()
            .starts_with("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        "{v}"
    );
}
