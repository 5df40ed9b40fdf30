//! Images: resized to the widths of site.yaml (never upscaled), written
//! as WebP and in their own format, shown with `srcset`, `width` and
//! `height`, turned upright and stripped of metadata, encoded once and
//! then taken from the cache, and reported when they cannot be read.

use std::io::Cursor;

use image::{DynamicImage, ImageEncoder, ImageFormat};

use crate::build_cache::same_as_clean;
use crate::harness::{SiteTest, snapshot_tree};

/// A small photo-like JPEG, different for each `seed`.
fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 255 / width) as u8 ^ seed,
            (y * 255 / height) as u8,
            seed.wrapping_mul(37),
        ])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    out
}

/// A JPEG whose EXIF says to show it turned (6: a quarter turn clockwise),
/// as phones write them, with a camera name to strip.
fn turned_jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, _| {
        image::Rgb(if x < width / 2 {
            [255, 0, 0]
        } else {
            [0, 0, 255]
        })
    });
    // A little-endian TIFF header and one IFD entry: Orientation = 6.
    let mut exif = b"II\x2a\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
    exif.extend_from_slice(&[6, 0, 0, 0, 0, 0, 0, 0]);
    exif.extend_from_slice(b"CameraMakerSecret");
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    encoder.set_exif_metadata(exif).unwrap();
    encoder
        .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// A site whose images are resized to 40, 80 and 160 pixels.
fn site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.org/archive/\ntimezone: \"+03:00\"\nimages: {widths: [160, 40, 80], quality: 75}\n",
    );
    site.write_bytes("content/2023/wide.jpg", &jpeg(200, 100, 1));
    site.write_bytes("content/2023/mid.jpg", &jpeg(100, 50, 2));
    site.write_bytes("content/2023/tiny.jpg", &jpeg(30, 20, 3));
    site.write(
        "content/2023/photos.md",
        "---\ntitle: صور\ndate: 2023-09-19\ntags: [صور]\nimage: {src: wide.jpg, caption: تعليق الصورة}\n---\n\nنص المقال.\n\n![صورة وسطى](mid.jpg \"عنوان\")\n\n![](tiny.jpg)\n",
    );
    site.write(
        "content/2023/plain.md",
        "---\ntitle: بلا صورة\ndate: 2023-09-18\ntags: [صور]\n---\n\nنص.\n",
    );
    site
}

/// The counts of the summary line: resized images encoded, and taken from
/// the cache.
fn counts(stdout: &str) -> (usize, usize) {
    let (_, rest) = stdout
        .split_once("resized images: ")
        .unwrap_or_else(|| panic!("no image counts in {stdout}"));
    let mut numbers = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap());
    (numbers.next().unwrap(), numbers.next().unwrap())
}

const PAGE: &str = "public/2023/09/19/photos/";

#[test]
fn images_are_resized_to_the_widths_asked_for_and_never_upscaled() {
    let site = site();
    let run = site.build().expect_success();
    // wide: 40, 80, 160; mid: 40, 80, 100; tiny: 30 alone; each twice.
    assert_eq!(counts(&run.stdout()), (14, 0), "{}", run.stdout());
    let files: Vec<String> = std::fs::read_dir(site.root().join(PAGE))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let widths = |stem: &str, ext: &str| {
        let mut w: Vec<u32> = files
            .iter()
            .filter(|f| f.starts_with(&format!("{stem}-")) && f.ends_with(&format!(".{ext}")))
            .map(|f| {
                f[stem.len() + 1..]
                    .split('w')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        w.sort();
        w
    };
    assert_eq!(widths("wide", "webp"), [40, 80, 160], "{files:?}");
    assert_eq!(widths("wide", "jpg"), [40, 80, 160], "{files:?}");
    assert_eq!(widths("mid", "webp"), [40, 80, 100], "{files:?}");
    assert_eq!(widths("tiny", "jpg"), [30], "{files:?}");
    for f in &files {
        if let Some(w) = f.split_once("w-").and_then(|(s, _)| s.rsplit('-').next()) {
            let img = image::open(site.root().join(PAGE).join(f)).unwrap();
            assert_eq!(img.width().to_string(), w, "{f}");
        }
    }
    assert!(
        files.contains(&"wide.jpg".to_owned()),
        "the original is kept"
    );

    let page = site.page("/2023/09/19/photos/");
    let wide = files
        .iter()
        .find(|f| f.starts_with("wide-160w-") && f.ends_with(".jpg"))
        .unwrap();
    let hash = &wide["wide-160w-".len()..wide.len() - 4];
    let at = "/archive/2023/09/19/photos/";
    // The lead image: eager, with every copy, its size, and a WebP source.
    let lead = format!(
        "<picture><source type=\"image/webp\" srcset=\"{at}wide-40w-{hash}.webp 40w, {at}wide-80w-{hash}.webp 80w, {at}wide-160w-{hash}.webp 160w\" sizes=\"(max-width: 52rem) 100vw, 48rem\"><img src=\"{at}wide-160w-{hash}.jpg\" srcset=\"{at}wide-40w-{hash}.jpg 40w, {at}wide-80w-{hash}.jpg 80w, {at}wide-160w-{hash}.jpg 160w\" sizes=\"(max-width: 52rem) 100vw, 48rem\" width=\"160\" height=\"80\" alt=\"تعليق الصورة\" fetchpriority=\"high\" decoding=\"async\"></picture>"
    );
    assert!(page.contains(&lead), "no lead picture in {page}");
    // Images of the text: lazy, beside the page, with their title.
    assert!(
        page.contains("srcset=\"mid-40w-") && page.contains("width=\"100\" height=\"50\" alt=\"صورة وسطى\" title=\"عنوان\" loading=\"lazy\" decoding=\"async\"></picture>"),
        "{page}"
    );
    assert!(
        page.contains("width=\"30\" height=\"20\" alt=\"\""),
        "{page}"
    );
    assert!(!page.contains("<img src=\"mid.jpg\""), "{page}");

    // Lists show a thumbnail, decorative, lazy and sized; only where
    // there is an image.
    for list in ["/", "/tags/صور/", "/2023/09/", "/2023/"] {
        let html = site.page(list);
        let thumb = format!(
            "<picture class=\"item-thumb\"><source type=\"image/webp\" srcset=\"{at}wide-40w-{hash}.webp 40w"
        );
        assert!(html.contains(&thumb), "no thumbnail on {list}: {html}");
        assert!(
            html.contains(&format!("src=\"{at}wide-160w-{hash}.jpg\""))
                && html.contains(
                    "sizes=\"8rem\" width=\"160\" height=\"80\" alt=\"\" loading=\"lazy\""
                ),
            "{list}: {html}"
        );
        assert_eq!(html.matches("item-thumb").count(), 1, "{list}");
    }
}

#[test]
fn a_second_build_encodes_nothing_even_a_clean_one() {
    let site = site();
    let first = site.build().expect_success();
    assert_eq!(counts(&first.stdout()), (14, 0));
    let before = snapshot_tree(&site.public());
    let again = site.build().expect_success();
    assert_eq!(counts(&again.stdout()), (0, 14), "{}", again.stdout());
    let clean = site.run(&["build", "--clean"]).expect_success();
    assert_eq!(counts(&clean.stdout()), (0, 14), "{}", clean.stdout());
    // Nothing changed since, so the next build leaves the output as it is
    // (linking and unlinking the copies moved their change time).
    #[cfg(unix)]
    {
        let inode = |p: &std::path::Path| {
            std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap())
        };
        let output = inode(&site.public());
        let same = site.build().expect_success();
        assert!(
            same.stdout().contains("(0 pages rendered anew)"),
            "{}",
            same.stdout()
        );
        assert_eq!(inode(&site.public()), output, "the output was made again");
    }
    std::fs::remove_file(site.root().join(".public.cache")).unwrap();
    let cold = site.build().expect_success();
    assert_eq!(counts(&cold.stdout()), (0, 14), "{}", cold.stdout());
    assert_eq!(snapshot_tree(&site.public()), before);
    // `check` reads them from the cache too.
    assert!(site.run(&["check"]).ok());

    // A copy cut short in the cache is made again, never published.
    let cache = site.root().join(".public.images");
    let entry = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "webp"))
        .unwrap();
    let len = std::fs::metadata(&entry).unwrap().len();
    std::fs::File::options()
        .write(true)
        .open(&entry)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    // The site's copy is a hard link to the cache's, cut short with it.
    let mended = site.build().expect_success();
    let (encoded, reused) = counts(&mended.stdout());
    assert!(
        (1..14).contains(&encoded) && encoded + reused == 14,
        "{}",
        mended.stdout()
    );
    let after = snapshot_tree(&site.public());
    let differ: Vec<_> = before
        .keys()
        .filter(|k| after.get(*k) != before.get(*k))
        .collect();
    assert!(differ.is_empty(), "{differ:?}");
    assert_eq!(after.len(), before.len());
}

#[test]
fn exif_orientation_is_followed_and_metadata_is_not_copied() {
    let site = site();
    site.write_bytes("content/2023/wide.jpg", &turned_jpeg(60, 20));
    site.build().expect_success();
    // Shown upright: 20 wide, 60 high.
    let page = site.page("/2023/09/19/photos/");
    assert!(
        page.contains("width=\"20\" height=\"60\" alt=\"تعليق الصورة\""),
        "{page}"
    );
    let dir = site.root().join(PAGE);
    let copies: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("wide-")
        })
        .collect();
    assert_eq!(copies.len(), 2, "{copies:?}");
    for copy in copies {
        let bytes = std::fs::read(&copy).unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (20, 60), "{copy:?}");
        // The left half was red: upright, the top is red.
        let top = img.to_rgb8().get_pixel(10, 5).0;
        assert!(top[0] > 200 && top[2] < 60, "{copy:?}: {top:?}");
        for marker in [&b"Exif"[..], b"EXIF", b"CameraMakerSecret"] {
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker),
                "{copy:?} keeps metadata"
            );
        }
    }
}

#[test]
fn images_that_cannot_be_read_are_errors_naming_the_article_and_the_file() {
    let site = site();
    let whole = jpeg(200, 100, 9);
    site.write_bytes("content/2023/wide.jpg", &whole[..whole.len() / 3]);
    site.write("content/2023/mid.jpg", "this is text, not a photo\n");
    let mut bmp = Vec::new();
    DynamicImage::ImageRgb8(image::RgbImage::new(4, 4))
        .write_to(&mut Cursor::new(&mut bmp), ImageFormat::Bmp)
        .unwrap_or_else(|_| bmp.extend_from_slice(b"BM\0\0\0\0"));
    site.write_bytes("content/2023/tiny.jpg", &bmp);
    let run = site.build().expect_failure();
    let err = run.stderr();
    for (line, file) in [
        (5, "content/2023/wide.jpg"),
        (10, "content/2023/mid.jpg"),
        (12, "content/2023/tiny.jpg"),
    ] {
        assert!(
            err.contains(&format!("content/2023/photos.md:{line}:"))
                && err.contains(&format!("({file}) cannot be used")),
            "no error for {file} at line {line}:\n{err}"
        );
    }
    assert!(
        err.contains("not a JPEG, PNG, WebP, GIF or SVG image"),
        "{err}"
    );
    assert!(err.contains("save it again as a JPEG"), "{err}");
    assert!(!site.public().exists(), "nothing is published");
}

#[test]
fn gif_and_svg_files_are_shown_as_they_are() {
    let site = site();
    let mut gif = Vec::new();
    DynamicImage::ImageRgba8(image::RgbaImage::new(12, 8))
        .write_to(&mut Cursor::new(&mut gif), ImageFormat::Gif)
        .unwrap();
    site.write_bytes("content/2023/anim.gif", &gif);
    site.write(
        "content/2023/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>\n",
    );
    site.write(
        "content/2023/other.md",
        "---\ntitle: رسوم\ndate: 2023-09-17\n---\n\n![رسم](chart.svg)\n\n![حركة](anim.gif)\n\n![بعيدة](https://example.com/a.jpg)\n",
    );
    site.build().expect_success();
    let page = site.page("/2023/09/17/other/");
    assert!(
        page.contains("<img src=\"chart.svg\" alt=\"رسم\" loading=\"lazy\" decoding=\"async\">"),
        "{page}"
    );
    assert!(
        page.contains(
            "<img src=\"anim.gif\" alt=\"حركة\" width=\"12\" height=\"8\" loading=\"lazy\""
        ),
        "{page}"
    );
    assert!(
        page.contains("<img src=\"https://example.com/a.jpg\" alt=\"بعيدة\""),
        "{page}"
    );
    assert_eq!(
        std::fs::read(site.root().join("public/2023/09/17/other/anim.gif")).unwrap(),
        gif
    );
    let files = std::fs::read_dir(site.root().join("public/2023/09/17/other"))
        .unwrap()
        .count();
    assert_eq!(files, 3, "index.html and the two files, no copies");
}

#[test]
fn an_edited_image_rebuilds_its_pages_as_a_clean_build_would() {
    let site = site();
    same_as_clean(&site, "the first build");
    let old = site.page("/2023/09/19/photos/");
    site.write_bytes("content/2023/wide.jpg", &jpeg(120, 90, 4));
    let out = same_as_clean(&site, "a new lead image");
    assert_eq!(counts(&out).0, 6, "{out}");
    let page = site.page("/2023/09/19/photos/");
    assert_ne!(page, old);
    assert!(page.contains("width=\"120\" height=\"90\""), "{page}");
    assert!(site.page("/").contains("width=\"120\" height=\"90\""));
    site.write_bytes("content/2023/mid.jpg", &jpeg(100, 50, 5));
    same_as_clean(&site, "a new image in the text");
    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.org/archive/\ntimezone: \"+03:00\"\nimages: {widths: [50]}\n",
    );
    same_as_clean(&site, "new widths");
    assert!(site.page("/2023/09/19/photos/").contains("wide-50w-"));
}

#[test]
fn image_settings_are_checked() {
    let site = site();
    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.org/\nimages: {widths: [0, 20000], quality: 0, sizes: 3}\n",
    );
    let err = site.build().expect_failure().stderr();
    assert!(err.contains("site.yaml:3:"), "{err}");
    assert!(err.contains("unknown field `sizes`"), "{err}");
    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.org/\nimages: {widths: [0, 20000], quality: 0}\n",
    );
    let err = site.build().expect_failure().stderr();
    assert!(
        err.contains("`images.widths` must list widths in pixels from 16 to 8192"),
        "{err}"
    );
    assert!(
        err.contains("`images.quality` must be from 1 to 100"),
        "{err}"
    );
}

#[test]
fn the_preview_shows_an_edited_image_as_a_clean_build_would() {
    let site = site();
    let mut preview = arshif::incremental::Incremental::default();
    crate::incremental::same(&mut preview, &site, "the first build");
    site.write_bytes("content/2023/mid.jpg", &jpeg(300, 100, 6));
    let rendered = crate::incremental::same(&mut preview, &site, "an image edited");
    assert!(
        (1..10).contains(&rendered),
        "only the pages that show it: {rendered}"
    );
    site.remove("content/2023/tiny.jpg");
    site.write(
        "content/2023/photos.md",
        &std::fs::read_to_string(site.root().join("content/2023/photos.md"))
            .unwrap()
            .replace("![](tiny.jpg)", "![](wide.jpg)"),
    );
    crate::incremental::same(&mut preview, &site, "an image replaced by another");
}

#[test]
fn the_same_image_in_two_folders_is_encoded_once() {
    let site = site();
    // The bytes of wide.jpg, beside another article.
    site.write_bytes("content/2022/copy.jpg", &jpeg(200, 100, 1));
    site.write(
        "content/2022/again.md",
        "---\ntitle: مرة أخرى\ndate: 2022-01-01\nimage: copy.jpg\n---\n\nنص.\n",
    );
    let run = site.build().expect_success();
    assert_eq!(counts(&run.stdout()), (14, 6), "{}", run.stdout());
    let page = site.page("/2022/01/01/again/");
    assert!(page.contains("copy-160w-"), "{page}");
}

/// A JPEG segment: its marker, length and payload.
fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// The words hidden in `spied`'s metadata.
const SECRETS: [&str; 7] = [
    "GpsSecret",
    "ThumbSecret",
    "XmpSecret",
    "IptcSecret",
    "CommentSecret",
    "TrailerSecret",
    "CameraMakerSecret",
];

/// A phone's photo: turned by its EXIF (with a place in it), with XMP,
/// IPTC, a comment and a colour profile, and a second picture after its
/// end as some phones append.
fn spied(width: u32, height: u32) -> Vec<u8> {
    let plain = turned_jpeg(width, height);
    let mut exif = b"Exif\0\0II\x2a\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
    exif.extend_from_slice(&[6, 0, 0, 0, 0, 0, 0, 0]);
    exif.extend_from_slice(b"GpsSecret CameraMakerSecret");
    let mut out = vec![0xFF, 0xD8];
    out.extend(segment(0xE1, &exif));
    out.extend(segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>XmpSecret</x:xmpmeta>",
    ));
    out.extend(segment(0xED, b"Photoshop 3.0\08BIM\x04\x04IptcSecret"));
    out.extend(segment(0xFE, b"CommentSecret"));
    out.extend(segment(0xE0, b"JFXX\0\x10ThumbSecret"));
    out.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01ProfileKept"));
    // The encoder's own segments and scan, without its EXIF.
    let mut at = 2;
    while plain[at + 1] != 0xDA {
        let len = u16::from_be_bytes([plain[at + 2], plain[at + 3]]) as usize;
        if plain[at + 1] != 0xE1 {
            out.extend_from_slice(&plain[at..at + 2 + len]);
        }
        at += 2 + len;
    }
    out.extend_from_slice(&plain[at..]);
    out.extend_from_slice(&[0xFF, 0xD8]);
    out.extend(segment(0xE1, b"Exif\0\0TrailerSecret"));
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

fn holds(bytes: &[u8], word: &str) -> bool {
    bytes.windows(word.len()).any(|w| w == word.as_bytes())
}

fn orientation(bytes: &[u8]) -> image::metadata::Orientation {
    let mut decoder = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    image::ImageDecoder::orientation(&mut decoder).unwrap()
}

#[test]
fn originals_are_published_without_their_metadata() {
    let site = site();
    let photo = spied(60, 20);
    for word in SECRETS {
        assert!(holds(&photo, word), "the fixture hides {word}");
    }
    site.write_bytes("content/2023/wide.jpg", &photo);
    // A file of static/ no article shows, and a PNG with text and EXIF.
    site.write_bytes("static/photos/unshown.jpg", &photo);
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&[9; 4 * 4 * 3], 4, 4, image::ExtendedColorType::Rgb8)
        .unwrap();
    let mut parts = img_parts::png::Png::from_bytes(png.into()).unwrap();
    let text = img_parts::png::PngChunk::new(*b"tEXt", b"Author\0GpsSecret"[..].into());
    parts.chunks_mut().insert(1, text);
    let png = parts.encoder().bytes().to_vec();
    site.write_bytes("static/chart.png", &png);
    let run = site.build().expect_success();
    for (file, source) in [
        ("public/2023/09/19/photos/wide.jpg", &photo),
        ("public/photos/unshown.jpg", &photo),
        ("public/chart.png", &png),
    ] {
        let published = std::fs::read(site.root().join(file)).unwrap();
        for word in SECRETS {
            assert!(!holds(&published, word), "{file} keeps {word}");
        }
        // The same pixels, shown the same way.
        let (a, b) = (
            image::load_from_memory(source).unwrap(),
            image::load_from_memory(&published).unwrap(),
        );
        assert_eq!(a.to_rgb8(), b.to_rgb8(), "{file}");
        assert_eq!(orientation(source), orientation(&published), "{file}");
    }
    let wide = std::fs::read(site.root().join(PAGE).join("wide.jpg")).unwrap();
    assert!(holds(&wide, "ProfileKept"), "the colour profile is kept");
    assert_eq!(
        orientation(&wide),
        image::metadata::Orientation::Rotate90,
        "{}",
        run.stdout()
    );

    // A second build reads nothing again and publishes the same.
    let before = snapshot_tree(&site.public());
    site.run(&["build", "--clean"]).expect_success();
    assert_eq!(snapshot_tree(&site.public()), before);

    // Asked to, the site publishes its files as they are.
    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.org/archive/\nimages: {metadata: keep}\n",
    );
    site.build().expect_success();
    assert_eq!(
        std::fs::read(site.root().join(PAGE).join("wide.jpg")).unwrap(),
        photo
    );
    assert_eq!(std::fs::read(site.public().join("chart.png")).unwrap(), png);
    same_as_clean(&site, "metadata kept");
}

#[test]
fn an_original_whose_metadata_cannot_be_read_is_an_error() {
    let site = site();
    // A PNG cut short inside its first chunk.
    site.write_bytes("static/broken.png", b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHD");
    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.org/\nimages: {metadata: nothing}\n",
    );
    let err = site.build().expect_failure().stderr();
    assert!(
        err.contains("`images.metadata` must be `strip` or `keep`, not `nothing`"),
        "{err}"
    );
    site.write(
        "site.yaml",
        "title: أرشيف\nbase_url: https://example.org/\n",
    );
    let err = site.build().expect_failure().stderr();
    assert!(err.contains("static/broken.png"), "{err}");
    assert!(err.contains("cannot be published"), "{err}");
    assert!(err.contains("images: {metadata: keep}"), "{err}");
    assert!(!site.public().exists(), "nothing is published");
}
