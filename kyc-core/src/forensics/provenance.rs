//! Marks of synthetic media in a file's own metadata: what image generators and the content
//! credential standards write when a picture was made or altered by a generative model.
//!
//! - IPTC's digital source type (in XMP, and in C2PA manifests): `trainedAlgorithmicMedia`
//!   (made by a generative model), `compositeWithTrainedAlgorithmicMedia` (partly),
//!   `compositeSynthetic` and `algorithmicMedia`. Adobe Firefly, OpenAI's image tools, Google's
//!   and Microsoft's generators label their output this way.
//! - The parameters block Stable Diffusion front-ends write into a PNG (`parameters` with the
//!   sampler settings; ComfyUI's `prompt`/`workflow` node graph; InvokeAI's metadata keys).
//! - Generator and face-swap tools that name themselves in the software fields.
//!
//! This reads labels, not pixels: a generated or swapped face whose file was stripped or
//! re-encoded carries none and passes. A mark found is strong evidence, as a camera never writes
//! one.

use super::metadata::texts;
use crate::check::CheckResult;
use crate::check::catalogue::CheckSpec;

/// IPTC digital source types that say a generative model made all or part of the picture,
/// matched case-insensitively; the more specific first, as each contains the last.
const SYNTHETIC_SOURCE_TYPES: [&str; 4] = [
    "compositewithtrainedalgorithmicmedia",
    "trainedalgorithmicmedia",
    "compositesynthetic",
    "algorithmicmedia",
];

/// Generators and face-swap tools, matched case-insensitively in the metadata's text. Names that
/// are ordinary words or sit inside them are left out, since a mark fails the check critically:
/// Imagen (Spanish for "image"), Ideogram, Reface (in "preface").
const GENERATORS: [&str; 14] = [
    "stable diffusion",
    "stablediffusion",
    "midjourney",
    "dall-e",
    "dall\u{b7}e",
    "firefly",
    "novelai",
    "comfyui",
    "invokeai",
    "automatic1111",
    "openai",
    "faceapp",
    "facefusion",
    "deepfacelab",
];

/// PNG text keywords that Stable Diffusion front-ends write, with a word their value must hold
/// (so that an unrelated `prompt` key is not taken for one).
const GENERATOR_KEYWORDS: [(&str, &str, &str); 6] = [
    ("parameters", "steps:", "stable diffusion webui"),
    ("prompt", "class_type", "comfyui"),
    ("workflow", "nodes", "comfyui"),
    ("dream", "", "invokeai"),
    ("sd-metadata", "", "invokeai"),
    ("invokeai_metadata", "", "invokeai"),
];

/// What marks a file as synthetic: the mark, and the metadata field it was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntheticMark {
    /// The digital source type, generator or tool named.
    pub mark: &'static str,
    /// Where: `xmp`, `c2pa`, `exif.software`, `png.text`, `jpeg.comment`.
    pub field: &'static str,
}

/// The first mark of synthetic media in the metadata of `bytes` (a JPEG or PNG file as
/// received), or `None` when it carries none.
pub fn synthetic_mark(bytes: &[u8]) -> Option<SyntheticMark> {
    for (field, text) in texts(bytes) {
        if field == "png.text"
            && let Some(mark) = generator_keyword(text)
        {
            return Some(SyntheticMark { mark, field });
        }
        let lower = String::from_utf8_lossy(text).to_lowercase();
        let found = SYNTHETIC_SOURCE_TYPES
            .iter()
            .chain(GENERATORS.iter())
            .find(|m| lower.contains(*m));
        if let Some(mark) = found {
            return Some(SyntheticMark { mark, field });
        }
    }
    None
}

/// `row` (`document.editing.synthetic`, `selfie.deepfake`): whether the file's metadata marks it
/// as synthetic (`mark`, from [`synthetic_mark`]); unavailable under the row's `no_file` code
/// when there was no file to read (`metadata_read` false: a raw frame). A mark fails under the
/// row's `synthetic_mark_in_metadata` code and is a fraud signal. A pass says only that no label
/// was found.
pub fn synthetic_media_check(
    row: &CheckSpec,
    metadata_read: bool,
    mark: Option<SyntheticMark>,
) -> CheckResult {
    match (metadata_read, mark) {
        (false, _) => row.not_made("a raw frame has no file metadata to read"),
        (true, Some(SyntheticMark { mark, field })) => row.rule(
            false,
            format!("the file's {field} marks it as made by a generative model ({mark})"),
        ),
        (true, None) => row.rule(
            true,
            "no generator or synthetic-media label in the file's metadata (pixels not examined)",
        ),
    }
}

/// The generator a PNG text chunk's keyword names (`keyword\0value`).
fn generator_keyword(chunk: &[u8]) -> Option<&'static str> {
    let nul = chunk.iter().position(|&b| b == 0)?;
    let keyword = String::from_utf8_lossy(chunk.get(..nul)?).to_ascii_lowercase();
    let value = String::from_utf8_lossy(chunk.get(nul + 1..)?).to_ascii_lowercase();
    GENERATOR_KEYWORDS
        .iter()
        .find(|(key, word, _)| keyword == *key && value.contains(word))
        .map(|(_, _, generator)| *generator)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_with_text(keyword: &str, value: &str) -> Vec<u8> {
        let body = [keyword.as_bytes(), b"\0", value.as_bytes()].concat();
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&(body.len() as u32).to_be_bytes());
        png.extend_from_slice(b"tEXt");
        png.extend_from_slice(&body);
        png.extend_from_slice(&[0, 0, 0, 0]);
        png.extend_from_slice(&[0, 0, 0, 0]);
        png.extend_from_slice(b"IEND");
        png
    }

    fn jpeg_with_segment(marker: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8, 0xFF, marker];
        out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(&[0xFF, 0xDA, 0, 2]);
        out
    }

    #[test]
    fn finds_generator_parameters_source_types_and_credentials() {
        let a1111 = png_with_text(
            "parameters",
            "portrait photo of a man\nSteps: 30, Sampler: DPM++ 2M, CFG scale: 7, Seed: 1",
        );
        assert_eq!(
            synthetic_mark(&a1111),
            Some(SyntheticMark {
                mark: "stable diffusion webui",
                field: "png.text"
            })
        );
        let comfy = png_with_text("prompt", r#"{"3": {"class_type": "KSampler"}}"#);
        assert_eq!(synthetic_mark(&comfy).map(|m| m.mark), Some("comfyui"));
        // An unrelated `prompt` key is not a generator's.
        assert_eq!(synthetic_mark(&png_with_text("prompt", "say cheese")), None);

        let xmp = jpeg_with_segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description \
              Iptc4xmpExt:DigitalSourceType=\"http://cv.iptc.org/newscodes/digitalsourcetype/\
              trainedAlgorithmicMedia\"/></x:xmpmeta>",
        );
        assert_eq!(
            synthetic_mark(&xmp),
            Some(SyntheticMark {
                mark: "trainedalgorithmicmedia",
                field: "xmp"
            })
        );
        let composite = jpeg_with_segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
        );
        assert_eq!(
            synthetic_mark(&composite).map(|m| m.mark),
            Some("compositewithtrainedalgorithmicmedia")
        );
        // A C2PA manifest in JUMBF (APP11): the claim generator and the action's source type.
        let c2pa = jpeg_with_segment(
            0xEB,
            b"JP\0\x01\0\0\0\x01jumbc2pa claim_generator Adobe_Firefly c2pa.created",
        );
        assert_eq!(
            synthetic_mark(&c2pa),
            Some(SyntheticMark {
                mark: "firefly",
                field: "c2pa"
            })
        );
    }

    #[test]
    fn cameras_editors_and_captions_carry_no_mark() {
        let camera = jpeg_with_segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0digitalsourcetype/digitalCapture Pixel 8 Pro",
        );
        assert_eq!(synthetic_mark(&camera), None);
        assert_eq!(
            synthetic_mark(&jpeg_with_segment(0xFE, b"Created with GIMP")),
            None
        );
        for caption in ["imagen de la playa", "Preface: an ideogram"] {
            assert_eq!(synthetic_mark(&png_with_text("Description", caption)), None);
        }
        assert_eq!(synthetic_mark(b"not an image"), None);
    }

    #[test]
    fn truncated_files_end_quietly() {
        let full = png_with_text("parameters", "Steps: 20");
        assert!(synthetic_mark(&full).is_some());
        // Every cut ends without a panic; a chunk cut short is not read.
        let chunk_end = full.len() - 16;
        for cut in 0..chunk_end {
            assert_eq!(synthetic_mark(&full[..cut]), None, "cut {cut}");
        }
    }
}
