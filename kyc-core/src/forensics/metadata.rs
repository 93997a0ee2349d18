//! Editing software named in a file's own metadata: the EXIF `Software` tag, XMP (`CreatorTool`,
//! the edit history's `softwareAgent`), a Photoshop resource block, a JPEG comment, a PNG text
//! chunk, C2PA content credentials. Cameras and phones write their firmware there; editors write their name. Absent metadata
//! proves nothing (most pipelines strip it); present, it is strong evidence.

/// Most metadata segments or chunks read before giving up: a file is untrusted input.
const MAX_SEGMENTS: usize = 256;

/// Editors, matched case-insensitively inside the metadata's text.
pub const EDITORS: [&str; 20] = [
    "photoshop",
    "gimp",
    "paint.net",
    "pixelmator",
    "affinity photo",
    "lightroom",
    "snapseed",
    "picsart",
    "canva",
    "fotor",
    "krita",
    "paintshop",
    "corel",
    "photopea",
    "facetune",
    "photoscape",
    "luminar",
    "capture one",
    "acdsee",
    "befunky",
];

/// The first editor named in the metadata of `bytes` (a JPEG or PNG file as received), with the
/// metadata field it was found in.
pub fn editing_software(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    for (field, text) in texts(bytes) {
        let lower = String::from_utf8_lossy(text).to_ascii_lowercase();
        if let Some(editor) = EDITORS.iter().find(|e| lower.contains(*e)) {
            return Some((editor, field));
        }
    }
    None
}

/// The metadata blocks of a JPEG or PNG file, each with the field it came from; none for other
/// formats.
pub(super) fn texts(bytes: &[u8]) -> Vec<(&'static str, &[u8])> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_texts(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_texts(bytes)
    } else {
        Vec::new()
    }
}

/// The metadata segments of a JPEG, up to the start of the image data, by kind.
fn jpeg_texts(bytes: &[u8]) -> Vec<(&'static str, &[u8])> {
    let mut out = Vec::new();
    let mut i = 2usize;
    for _ in 0..MAX_SEGMENTS {
        let (Some(&0xFF), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) else {
            break;
        };
        // Fill bytes and markers without a length.
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        // Start of scan or end of image: the metadata is behind us.
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let (Some(&hi), Some(&lo)) = (bytes.get(i + 2), bytes.get(i + 3)) else {
            break;
        };
        let len = usize::from(u16::from_be_bytes([hi, lo]));
        if len < 2 {
            break;
        }
        let Some(body) = bytes.get(i + 4..i + 2 + len) else {
            break;
        };
        match marker {
            0xE1 if body.starts_with(b"Exif\0\0") => {
                if let Some(s) = exif_software(body.get(6..).unwrap_or_default()) {
                    out.push(("exif.software", s));
                }
            }
            0xE1 if body.starts_with(b"http://ns.adobe.com/xap/1.0/") => out.push(("xmp", body)),
            0xED if body.starts_with(b"Photoshop 3.0") => out.push(("photoshop_irb", b"photoshop")),
            0xFE => out.push(("jpeg.comment", body)),
            // JUMBF boxes, where C2PA content credentials travel.
            0xEB => out.push(("c2pa", body)),
            _ => {}
        }
        i += 2 + len;
    }
    out
}

/// The `Software` (0x0131) ASCII value of IFD0 in a TIFF structure.
fn exif_software(tiff: &[u8]) -> Option<&[u8]> {
    let little = match tiff.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |o: usize| {
        let b = tiff.get(o..o + 2)?;
        let a = [*b.first()?, *b.get(1)?];
        Some(if little {
            u16::from_le_bytes(a)
        } else {
            u16::from_be_bytes(a)
        })
    };
    let u32_at = |o: usize| {
        let b = tiff.get(o..o + 4)?;
        let a = [*b.first()?, *b.get(1)?, *b.get(2)?, *b.get(3)?];
        Some(if little {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let entries = usize::from(u16_at(ifd)?).min(MAX_SEGMENTS);
    for k in 0..entries {
        let e = ifd + 2 + 12 * k;
        if u16_at(e)? != 0x0131 {
            continue;
        }
        let count = usize::try_from(u32_at(e + 4)?).ok()?;
        // Four bytes or fewer are stored in the entry itself.
        let start = if count <= 4 {
            e + 8
        } else {
            usize::try_from(u32_at(e + 8)?).ok()?
        };
        return tiff.get(start..start.checked_add(count)?);
    }
    None
}

/// The text chunks of a PNG (`tEXt`, `iTXt`, `zTXt` keywords and uncompressed values).
fn png_texts(bytes: &[u8]) -> Vec<(&'static str, &[u8])> {
    let mut out = Vec::new();
    let mut i = 8usize;
    for _ in 0..MAX_SEGMENTS {
        let Some(head) = bytes.get(i..i + 8) else {
            break;
        };
        let len = head
            .get(..4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_be_bytes) as usize;
        let kind = head.get(4..8).unwrap_or_default();
        let Some(body) = i.checked_add(8 + len).and_then(|end| bytes.get(i + 8..end)) else {
            break;
        };
        if kind == b"IDAT" || kind == b"IEND" {
            break;
        }
        if kind == b"tEXt" || kind == b"iTXt" {
            out.push(("png.text", body));
        }
        // C2PA content credentials in a PNG.
        if kind == b"caBX" {
            out.push(("c2pa", body));
        }
        i += 12 + len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG header with one APP1 EXIF segment naming `software`, then a start of scan.
    fn jpeg_with_exif(software: &str) -> Vec<u8> {
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend_from_slice(&1u16.to_le_bytes());
        let value = format!("{software}\0");
        tiff.extend_from_slice(&0x0131u16.to_le_bytes());
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&(value.len() as u32).to_le_bytes());
        tiff.extend_from_slice(&26u32.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(value.as_bytes());
        let mut body = b"Exif\0\0".to_vec();
        body.extend_from_slice(&tiff);
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&body);
        out.extend_from_slice(&[0xFF, 0xDA, 0, 2]);
        out
    }

    #[test]
    fn names_editors_in_exif_and_comments_but_not_cameras() {
        assert_eq!(
            editing_software(&jpeg_with_exif("Adobe Photoshop 25.1 (Windows)")),
            Some(("photoshop", "exif.software"))
        );
        assert_eq!(editing_software(&jpeg_with_exif("Android 14 camera")), None);
        let comment = [
            &[0xFF, 0xD8, 0xFF, 0xFE, 0, 20][..],
            b"Created with GIMP\0",
            &[0xFF, 0xD9],
        ]
        .concat();
        assert_eq!(editing_software(&comment), Some(("gimp", "jpeg.comment")));
    }

    #[test]
    fn truncated_and_hostile_headers_end_quietly() {
        let full = jpeg_with_exif("GIMP 2.10");
        for cut in 0..full.len() {
            let _ = editing_software(&full[..cut]);
        }
        // A length pointing far past the end, and a huge EXIF entry count.
        assert_eq!(
            editing_software(&[0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 1, 2]),
            None
        );
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&[0, 0, 0, 20]);
        png.extend_from_slice(b"tEXtSoftware\0paint.net 5");
        png.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(editing_software(&png), Some(("paint.net", "png.text")));
        assert_eq!(editing_software(b"not an image"), None);
    }
}
