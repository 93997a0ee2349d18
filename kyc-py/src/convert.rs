//! Conversions between Python values and the core's: JSON values, instants, dates, test seeds and
//! images (bytes, paths, numpy-style arrays). No decisions: limits and codes are the core's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use kyc_core::Entropy;
use kyc_core::analysis::{ImageData, PixelFormat};
use kyc_core::image::{ImageError, ImageLimits, check_dimensions};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use crate::error::{err, invalid_input};

/// A serde value as a Python object (through `json.loads`, so types are the usual ones).
pub(crate) fn to_py<'py>(
    py: Python<'py>,
    value: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    json_loads(py, &text)
}

/// `json.loads(text)`.
pub(crate) fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// An instant from a Unix time in seconds (int or float), an RFC 3339 string or an aware
/// `datetime`.
pub(crate) fn timestamp(value: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    let bad = |e: jiff::Error| PyValueError::new_err(format!("not an instant: {e}"));
    if let Ok(text) = value.cast::<PyString>() {
        return text.to_cow()?.parse::<Timestamp>().map_err(bad);
    }
    if value.hasattr("utcoffset")? {
        if value.call_method0("utcoffset")?.is_none() {
            return Err(PyValueError::new_err(
                "a naive datetime has no instant: give it a tzinfo",
            ));
        }
        let seconds: f64 = value.call_method0("timestamp")?.extract()?;
        return Timestamp::from_nanosecond((seconds * 1e9).round() as i128).map_err(bad);
    }
    if let Ok(seconds) = value.extract::<i64>() {
        return Timestamp::from_second(seconds).map_err(bad);
    }
    if let Ok(seconds) = value.extract::<f64>()
        && seconds.is_finite()
    {
        return Timestamp::from_nanosecond((seconds * 1e9).round() as i128).map_err(bad);
    }
    Err(PyTypeError::new_err(
        "expected Unix seconds, an RFC 3339 string or an aware datetime",
    ))
}

/// A date from `YYYY-MM-DD` or a `datetime.date`.
pub(crate) fn date(value: &Bound<'_, PyAny>) -> PyResult<Date> {
    let text = if value.hasattr("isoformat")? {
        value.call_method0("isoformat")?.extract::<String>()?
    } else {
        value.extract::<String>()?
    };
    let day = text.get(..10).unwrap_or(&text);
    day.parse::<Date>()
        .map_err(|e| PyValueError::new_err(format!("not a date: {e}")))
}

/// The host's "now": a fixed instant when given, else the system clock (this binding is a host).
pub(crate) fn now_or_system(now: Option<&Bound<'_, PyAny>>) -> PyResult<Timestamp> {
    match now {
        Some(v) => timestamp(v),
        None => Ok(Timestamp::now()),
    }
}

/// Entropy for an engine or a link issuer: the operating system's (`OsEntropy`, read afresh on
/// every draw, so processes forked after the engine was built never share a stream), or a test
/// stream from `kyc.testing.SeededEntropy` (tests only: a fork copies it).
pub(crate) fn entropy(test: Option<&Bound<'_, SeededEntropy>>) -> PyResult<Arc<dyn Entropy>> {
    match test {
        Some(test) => Ok(match test.get() {
            SeededEntropy::Number(n) => Arc::new(kyc_core::SeededEntropy::from_u64(*n)),
            SeededEntropy::Bytes(seed) => Arc::new(kyc_core::SeededEntropy::from_seed(*seed)),
        }),
        None => kyc_core::OsEntropy::new()
            .map(|os| Arc::new(os) as Arc<dyn Entropy>)
            .map_err(|e| PyValueError::new_err(format!("no OS randomness: {e}"))),
    }
}

/// `kyc.testing.SeededEntropy(seed)`: a reproducible stream for tests and golden files (an int of
/// 0..2**64 or 32 bytes). Engines and links given none use the OS's randomness.
#[pyclass(module = "kyc.testing", frozen)]
pub(crate) enum SeededEntropy {
    /// `kyc_core::SeededEntropy::from_u64`.
    Number(u64),
    /// `kyc_core::SeededEntropy::from_seed`.
    Bytes([u8; 32]),
}

#[pymethods]
impl SeededEntropy {
    #[new]
    fn new(seed: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(n) = seed.extract::<u64>() {
            return Ok(Self::Number(n));
        }
        let bytes: Vec<u8> = seed.extract()?;
        bytes
            .try_into()
            .map(Self::Bytes)
            .map_err(|_| PyValueError::new_err("seed: an int of 0..2**64 or exactly 32 bytes"))
    }
}

/// Image bytes from what a Python host has: encoded bytes (`bytes`, `bytearray`, `memoryview`), a
/// path to an encoded file as an `os.PathLike` (`pathlib.Path`), or an `H x W x 3` (RGB) or
/// `H x W x 4` (RGBA) `uint8` array (numpy or anything with `shape`, `dtype` and `tobytes`). Sizes
/// are checked against the core's limits before anything is copied. A `str` is refused with a
/// `TypeError`: it could be a path or an image's text, and guessing would read files the caller
/// never meant to name.
pub(crate) fn image(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    limits: &ImageLimits,
) -> PyResult<ImageData> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(ImageData::Encoded(b.as_bytes().to_vec()));
    }
    if let Ok(b) = value.cast::<PyByteArray>() {
        return Ok(ImageData::Encoded(b.to_vec()));
    }
    if value.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "an image is bytes (the file's contents) or a path as os.PathLike, not a str: \
             pass pathlib.Path(\"photo.jpg\") for a file, or its bytes",
        ));
    }
    if value.hasattr("__fspath__")? {
        let path: PathBuf = value.extract()?;
        return read_file(py, &path, limits);
    }
    if value.hasattr("shape")? && value.hasattr("dtype")? && value.hasattr("tobytes")? {
        return array(py, value, limits);
    }
    if value.get_type().name()?.to_cow()? == "memoryview" {
        let bytes = value.call_method0("tobytes")?;
        return Ok(ImageData::Encoded(
            bytes.cast::<PyBytes>()?.as_bytes().to_vec(),
        ));
    }
    Err(invalid_input(
        py,
        ImageError::UnsupportedFormat.code(),
        &format!(
            "expected image bytes, an os.PathLike path or an HxWx3 uint8 array, got {}",
            value.get_type().name()?
        ),
    ))
}

/// An encoded image file, its size checked before it is read; the GIL is released meanwhile.
fn read_file(py: Python<'_>, path: &Path, limits: &ImageLimits) -> PyResult<ImageData> {
    let read = py.detach(|| -> std::io::Result<Result<Vec<u8>, usize>> {
        let size = usize::try_from(std::fs::metadata(path)?.len()).unwrap_or(usize::MAX);
        if size > limits.max_bytes {
            return Ok(Err(size));
        }
        std::fs::read(path).map(Ok)
    })?;
    read.map(ImageData::Encoded).map_err(|size| {
        err(
            py,
            ImageError::TooLarge {
                size,
                limit: limits.max_bytes,
            },
        )
    })
}

fn array(py: Python<'_>, value: &Bound<'_, PyAny>, limits: &ImageLimits) -> PyResult<ImageData> {
    let unsupported = |what: String| {
        invalid_input(
            py,
            ImageError::UnsupportedFormat.code(),
            &format!("arrays must be HxWx3 (RGB) or HxWx4 (RGBA) uint8: {what}"),
        )
    };
    let dtype = value.getattr("dtype")?.str()?.to_cow()?.into_owned();
    if dtype != "uint8" {
        return Err(unsupported(format!("dtype {dtype}")));
    }
    let shape: Vec<u64> = value
        .getattr("shape")?
        .extract()
        .map_err(|_| unsupported("shape is not a tuple of sizes".into()))?;
    let [height, width, channels] = shape[..] else {
        return Err(unsupported(format!("shape {shape:?}")));
    };
    let format = match channels {
        3 => PixelFormat::Rgb8,
        4 => PixelFormat::Rgba8,
        _ => return Err(unsupported(format!("shape {shape:?}"))),
    };
    let side = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let (width, height) = (side(width), side(height));
    check_dimensions(width, height, limits).map_err(|e| err(py, e))?;
    // `tobytes` is C order whatever the array's strides.
    let pixels = value.call_method0("tobytes")?;
    let pixels = pixels.cast::<PyBytes>()?.as_bytes().to_vec();
    Ok(ImageData::Raw {
        width,
        height,
        format,
        pixels,
    })
}
