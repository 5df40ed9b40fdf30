//! An original image as the site publishes it: without the metadata that
//! can say where, when and with what it was taken (EXIF with its GPS
//! position, XMP, IPTC, comments, text chunks, and whatever a camera
//! appends after the image), without touching its pixels. What browsers
//! need to show it as before is kept: its colour profile, the JPEG
//! headers that say how its colours are stored, and its orientation,
//! rewritten as the only entry of a new EXIF block.

use image::metadata::Orientation;
use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::{self, WebP};
use img_parts::{Bytes, ImageEXIF};

/// `bytes` without their metadata: none when they hold none (or are not
/// a JPEG, PNG or WebP file, whose metadata is not known here), or why
/// they cannot be read.
pub fn strip(bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let stripped = if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes)?
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)?
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp(bytes)?
    } else {
        return Ok(None);
    };
    Ok((stripped != bytes).then_some(stripped))
}

fn unreadable(e: img_parts::Error) -> String {
    format!("its metadata cannot be read ({e})")
}

fn jpeg(bytes: &[u8]) -> Result<Vec<u8>, String> {
    // What follows the image's end marker (a phone's second picture with
    // its own EXIF, an editor's trailer) is not part of it.
    let end = jpeg_end(bytes).unwrap_or(bytes.len());
    let mut image = Jpeg::from_bytes(Bytes::copy_from_slice(&bytes[..end])).map_err(unreadable)?;
    let turned = image
        .exif()
        .as_deref()
        .and_then(Orientation::from_exif_chunk);
    image.segments_mut().retain(|s| {
        let m = s.marker();
        let is_app = (markers::APP0..=markers::APP15).contains(&m);
        // JFIF's header, not its JFXX extension: that holds a thumbnail,
        // which may show what a crop took out.
        let kept_app = (m == markers::APP0 && s.contents().starts_with(b"JFIF\0"))
            || m == markers::APP14
            || (m == markers::APP2 && s.contents().starts_with(b"ICC_PROFILE\0"));
        (!is_app || kept_app) && m != markers::COM
    });
    if let Some(exif) = turned.and_then(orientation_only) {
        image.set_exif(Some(exif.into()));
    }
    // The last segment holds the scans as they were, up to the end marker.
    Ok(image.encoder().bytes().to_vec())
}

/// Where a JPEG's image ends: just after its end marker (FF D9), found by
/// walking its segments and scans (inside a scan FF is always followed by
/// 00, a restart marker or another FF).
fn jpeg_end(bytes: &[u8]) -> Option<usize> {
    let mut at = 2;
    loop {
        // At a marker: FF, perhaps more FF, then its code.
        if bytes.get(at) != Some(&0xFF) {
            return None;
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let code = *bytes.get(at)?;
        at += 1;
        match code {
            markers::EOI => return Some(at),
            markers::RST0..=markers::RST7 | 0x01 => continue,
            _ => {}
        }
        let len = u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]) as usize;
        if len < 2 {
            return None;
        }
        at += len;
        if code == markers::SOS {
            // The scan's data, up to the next marker.
            loop {
                let ff = at + bytes.get(at..)?.iter().position(|&b| b == 0xFF)?;
                match *bytes.get(ff + 1)? {
                    0x00 | 0xFF | markers::RST0..=markers::RST7 => at = ff + 1,
                    _ => {
                        at = ff;
                        break;
                    }
                }
            }
        }
    }
}

/// The chunks of a PNG that hold text, EXIF and times.
const PNG_METADATA: [[u8; 4]; 6] = [*b"tEXt", *b"zTXt", *b"iTXt", *b"eXIf", *b"tIME", *b"dSIG"];

fn png(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut image = Png::from_bytes(Bytes::copy_from_slice(bytes)).map_err(unreadable)?;
    // An eXIf chunk after the image data is read neither by browsers nor
    // by the decoder the copies are made with: it turns nothing.
    let turned = image
        .chunks()
        .iter()
        .take_while(|c| c.kind() != *b"IDAT")
        .find(|c| c.kind() == *b"eXIf")
        .and_then(|c| Orientation::from_exif_chunk(c.contents()));
    image
        .chunks_mut()
        .retain(|c| !PNG_METADATA.contains(&c.kind()));
    if let Some(exif) = turned.and_then(orientation_only) {
        // Browsers read eXIf only before the image data.
        let at = image
            .chunks()
            .iter()
            .position(|c| c.kind() == *b"IDAT")
            .unwrap_or(1);
        let chunk = img_parts::png::PngChunk::new(*b"eXIf", exif.into());
        image.chunks_mut().insert(at, chunk);
    }
    Ok(image.encoder().bytes().to_vec())
}

/// VP8X's flags for EXIF and XMP data.
const WEBP_EXIF: u8 = 0x08;
const WEBP_XMP: u8 = 0x04;

fn webp(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut image = WebP::from_bytes(Bytes::copy_from_slice(bytes)).map_err(unreadable)?;
    let turned = image
        .chunk_by_id(webp::CHUNK_EXIF)
        .and_then(|c| c.content().data())
        .and_then(|d| Orientation::from_exif_chunk(d.strip_prefix(b"Exif\0\0").unwrap_or(d)));
    image.remove_chunks_by_id(webp::CHUNK_EXIF);
    image.remove_chunks_by_id(webp::CHUNK_XMP);
    let exif = turned.and_then(orientation_only);
    // Only the extended format (VP8X) has metadata, and flags for it.
    if let Some(vp8x) = image
        .chunks_mut()
        .iter_mut()
        .find(|c| c.id() == webp::CHUNK_VP8X)
        && let Some(data) = vp8x.content().data()
        && !data.is_empty()
    {
        let mut data = data.to_vec();
        data[0] &= !(WEBP_EXIF | WEBP_XMP);
        if exif.is_some() {
            data[0] |= WEBP_EXIF;
        }
        *vp8x = RiffChunk::new(webp::CHUNK_VP8X, RiffContent::Data(data.into()));
        if let Some(exif) = exif {
            let chunk = RiffChunk::new(webp::CHUNK_EXIF, RiffContent::Data(exif.into()));
            image.chunks_mut().push(chunk);
        }
    }
    Ok(image.encoder().bytes().to_vec())
}

/// An EXIF block (TIFF, little-endian) holding only `o`; none for the
/// upright orientation, which needs none.
fn orientation_only(o: Orientation) -> Option<Vec<u8>> {
    if o == Orientation::NoTransforms {
        return None;
    }
    let mut tiff = Vec::with_capacity(26);
    tiff.extend_from_slice(b"II\x2a\x00");
    tiff.extend_from_slice(&8u32.to_le_bytes()); // the first IFD
    tiff.extend_from_slice(&1u16.to_le_bytes()); // one entry:
    tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation,
    tiff.extend_from_slice(&3u16.to_le_bytes()); // a SHORT,
    tiff.extend_from_slice(&1u32.to_le_bytes()); // one of them,
    tiff.extend_from_slice(&u32::from(o.to_exif()).to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
    Some(tiff)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use image::{ImageDecoder, ImageEncoder};

    use super::*;

    fn seg(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    #[test]
    fn a_jpeg_ends_at_its_end_marker_whatever_its_tables_and_scans_hold() {
        let mut j = vec![0xFF, 0xD8];
        j.extend(seg(markers::DQT, &[0, 0xFF, 0xD9, 1]));
        j.extend(seg(markers::SOS, &[1, 2, 3]));
        j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF]);
        j.extend(seg(markers::DHT, &[0xFF, 0xD9]));
        j.extend(seg(markers::SOS, &[1]));
        j.extend_from_slice(&[0x77, 0xFF, 0xD9]);
        let end = j.len();
        j.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xD9]);
        assert_eq!(jpeg_end(&j), Some(end));
        assert_eq!(jpeg_end(&j[..end - 2]), None, "cut short");
    }

    fn pixels() -> (Vec<u8>, u32, u32) {
        let (w, h) = (6u32, 4u32);
        let px = (0..w * h * 3).map(|i| (i * 7) as u8).collect();
        (px, w, h)
    }

    fn orientation(bytes: &[u8]) -> Orientation {
        image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap()
            .orientation()
            .unwrap()
    }

    fn holds(bytes: &[u8], word: &[u8]) -> bool {
        bytes.windows(word.len()).any(|w| w == word)
    }

    /// TIFF data turning the image by `o`, with a secret after it.
    fn exif(o: Orientation) -> Vec<u8> {
        let mut e = orientation_only(o).unwrap();
        e.extend_from_slice(b"GpsSecret");
        e
    }

    #[test]
    fn a_png_keeps_only_its_orientation() {
        let (px, w, h) = pixels();
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(&px, w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        let mut parts = Png::from_bytes(png.clone().into()).unwrap();
        let turn = img_parts::png::PngChunk::new(*b"eXIf", exif(Orientation::Rotate90).into());
        parts.chunks_mut().insert(1, turn);
        let text = img_parts::png::PngChunk::new(*b"tEXt", b"Comment\0GpsSecret"[..].into());
        parts.chunks_mut().insert(1, text);
        let spied = parts.encoder().bytes().to_vec();
        let clean = strip(&spied).unwrap().unwrap();
        assert!(!holds(&clean, b"GpsSecret"));
        assert_eq!(orientation(&clean), Orientation::Rotate90);
        let kinds: Vec<[u8; 4]> = Png::from_bytes(clean.clone().into())
            .unwrap()
            .chunks()
            .iter()
            .map(|c| c.kind())
            .collect();
        let exif_at = kinds.iter().position(|k| k == b"eXIf").unwrap();
        let data_at = kinds.iter().position(|k| k == b"IDAT").unwrap();
        assert!(exif_at < data_at, "{kinds:?}");
        let same = |b: &[u8]| image::load_from_memory(b).unwrap().to_rgb8();
        assert_eq!(same(&clean), same(&png));
        assert_eq!(strip(&png).unwrap(), None, "nothing to strip");
    }

    #[test]
    fn a_webp_loses_its_exif_and_xmp_and_says_so_in_its_flags() {
        let (px, w, h) = pixels();
        let mut plain = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut plain)
            .write_image(&px, w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        let vp8l = &plain[12..];
        let chunk = |id: &[u8], data: &[u8]| {
            let mut c = id.to_vec();
            c.extend_from_slice(&(data.len() as u32).to_le_bytes());
            c.extend_from_slice(data);
            if data.len() % 2 == 1 {
                c.push(0);
            }
            c
        };
        let mut vp8x = vec![WEBP_EXIF | WEBP_XMP, 0, 0, 0];
        vp8x.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
        vp8x.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
        let mut body = b"WEBP".to_vec();
        body.extend(chunk(b"VP8X", &vp8x));
        body.extend_from_slice(vp8l);
        body.extend(chunk(b"EXIF", &exif(Orientation::Rotate180)));
        body.extend(chunk(b"XMP ", b"<x:xmpmeta>XmpSecret</x:xmpmeta>"));
        let mut spied = b"RIFF".to_vec();
        spied.extend_from_slice(&(body.len() as u32).to_le_bytes());
        spied.extend(body);
        let clean = strip(&spied).unwrap().unwrap();
        assert!(!holds(&clean, b"GpsSecret") && !holds(&clean, b"XmpSecret"));
        // The flags say EXIF (the orientation) and no XMP.
        assert_eq!(clean[20] & (WEBP_EXIF | WEBP_XMP), WEBP_EXIF);
        assert_eq!(
            u32::from_le_bytes(clean[4..8].try_into().unwrap()) as usize,
            clean.len() - 8
        );
        assert_eq!(orientation(&clean), Orientation::Rotate180);
        let same = |b: &[u8]| image::load_from_memory(b).unwrap().to_rgb8();
        assert_eq!(same(&clean), same(&plain));
    }

    #[test]
    fn files_that_are_not_jpeg_png_or_webp_are_left_alone() {
        assert_eq!(strip(b"GIF89a...").unwrap(), None);
        assert_eq!(strip(b"<svg></svg>").unwrap(), None);
        assert!(strip(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHD").is_err());
    }
}
