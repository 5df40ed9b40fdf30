//! One image's bytes to what pages need of it (`probe`) and to its
//! resized copies (`resize`): decoded with `image`, turned upright by its
//! EXIF orientation, resized with `fast_image_resize` and encoded as WebP
//! (libwebp, lossy) and in its own format. Copies are made from pixels
//! alone, so they carry none of the original's metadata (EXIF, GPS,
//! camera, ICC profile).

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, metadata::Orientation};

use super::{Format, Probe, hash_of};

/// What a file holds: its format (from its first bytes), its upright
/// size and the hash of its bytes. `named` is the format its name says;
/// an SVG is taken at its word.
pub fn probe(bytes: &[u8], named: Format) -> Result<Probe, String> {
    if named == Format::Svg {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
        if !head.contains("<svg") {
            return Err("it is not an SVG image (no `<svg` element)".into());
        }
        return Ok(Probe {
            format: Format::Svg,
            width: 0,
            height: 0,
            hash: hash_of(bytes),
        });
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = match reader.format() {
        Some(ImageFormat::Jpeg) => Format::Jpeg,
        Some(ImageFormat::Png) => Format::Png,
        Some(ImageFormat::WebP) => Format::Webp,
        Some(ImageFormat::Gif) => Format::Gif,
        Some(other) => {
            return Err(format!(
                "it is a {} image, which browsers may not show",
                other
                    .extensions_str()
                    .first()
                    .unwrap_or(&"?")
                    .to_uppercase()
            ));
        }
        None => return Err("it is not a JPEG, PNG, WebP, GIF or SVG image".into()),
    };
    if format == Format::Jpeg && !jpeg_is_whole(bytes) {
        // The JPEG decoder shows what it has of a file cut short, grey below.
        return Err("it is cut short (the JPEG ends before its end marker)".into());
    }
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err("it has no pixels".into());
    }
    let turned = match format {
        Format::Jpeg | Format::Webp | Format::Png => decoder
            .orientation()
            .map_err(|e| e.to_string())
            .map(turns)?,
        _ => false,
    };
    let (width, height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Probe {
        format,
        width,
        height,
        hash: hash_of(bytes),
    })
}

/// Whether a JPEG has an end marker (FF D9) after its last scan starts
/// (FF DA). Inside a scan, FF is always followed by 00 or a restart
/// marker, so the end marker cannot appear by chance; a thumbnail in the
/// EXIF data comes before the image's own scans.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let Some(scan) = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[scan..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// Whether an orientation shows the image a quarter turn round.
fn turns(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// One copy made: its width, format and bytes.
pub struct Resized {
    pub width: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// Decodes `bytes` (a JPEG, PNG or WebP), turns it upright, and makes a
/// copy at each of `sizes` (width, height) in each of `formats`.
pub fn resize(
    bytes: &[u8],
    sizes: &[(u32, u32)],
    formats: &[Format],
    quality: u8,
) -> Result<Vec<Resized>, String> {
    let image = decode(bytes)?;
    let alpha = image.color().has_alpha();
    let (pixel, buffer) = if alpha {
        (
            fast_image_resize::PixelType::U8x4,
            image.to_rgba8().into_raw(),
        )
    } else {
        (
            fast_image_resize::PixelType::U8x3,
            image.to_rgb8().into_raw(),
        )
    };
    let (width, height) = (image.width(), image.height());
    drop(image);
    let source = fast_image_resize::images::Image::from_vec_u8(width, height, buffer, pixel)
        .map_err(|e| e.to_string())?;
    let mut resizer = fast_image_resize::Resizer::new();
    let mut copies = Vec::with_capacity(sizes.len() * formats.len());
    for &(w, h) in sizes {
        let resized;
        let pixels: &[u8] = if (w, h) == (width, height) {
            source.buffer()
        } else {
            let mut target = fast_image_resize::images::Image::new(w, h, pixel);
            resizer
                .resize(
                    &source,
                    &mut target,
                    &fast_image_resize::ResizeOptions::new(),
                )
                .map_err(|e| e.to_string())?;
            resized = target.into_vec();
            &resized
        };
        for &format in formats {
            let bytes = encode(pixels, w, h, alpha, format, quality)?;
            copies.push(Resized {
                width: w,
                format,
                bytes,
            });
        }
    }
    Ok(copies)
}

/// The pixels of an image, upright.
fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    format: Format,
    quality: u8,
) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    let color = if alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut out = Vec::new();
    match format {
        Format::Webp => {
            let encoder = if alpha {
                webp::Encoder::from_rgba(pixels, width, height)
            } else {
                webp::Encoder::from_rgb(pixels, width, height)
            };
            let encoded = encoder
                .encode_simple(false, f32::from(quality))
                .map_err(|e| format!("the WebP encoder failed ({e:?})"))?;
            out.extend_from_slice(&encoded);
        }
        Format::Jpeg => {
            let rgb;
            let pixels = if alpha {
                // A JPEG has no transparency: drop it.
                rgb = pixels
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect::<Vec<u8>>();
                &rgb
            } else {
                pixels
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .write_image(pixels, width, height, image::ExtendedColorType::Rgb8)
                .map_err(|e| e.to_string())?;
        }
        Format::Png => {
            image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Default,
                image::codecs::png::FilterType::Adaptive,
            )
            .write_image(pixels, width, height, color)
            .map_err(|e| e.to_string())?;
        }
        Format::Gif | Format::Svg => {
            return Err(format!("{} files are not resized", format.name()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 5) as u8, 128])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
            .unwrap();
        out
    }

    #[test]
    fn probes_and_resizes_a_jpeg() {
        let bytes = jpeg(40, 20);
        let h = probe(&bytes, Format::Jpeg).unwrap();
        assert_eq!((h.format, h.width, h.height), (Format::Jpeg, 40, 20));
        let copies = resize(&bytes, &[(20, 10)], &[Format::Jpeg, Format::Webp], 80).unwrap();
        assert_eq!(copies.len(), 2);
        let back = image::load_from_memory(&copies[1].bytes).unwrap();
        assert_eq!((back.width(), back.height()), (20, 10));
        assert!(copies[1].bytes.starts_with(b"RIFF"));
    }

    #[test]
    fn text_is_not_an_image() {
        let e = probe(b"hello, world", Format::Jpeg).unwrap_err();
        assert!(e.contains("not a JPEG"), "{e}");
        let whole = jpeg(40, 20);
        let e = probe(&whole[..whole.len() / 2], Format::Jpeg).unwrap_err();
        assert!(e.contains("cut short"), "{e}");
    }
}
