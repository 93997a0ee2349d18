"""Where the models and ONNX Runtime are, without configuration.

The engine (Rust) calls these when `kyc.Engine` is made without explicit paths:

- ONNX Runtime: the library inside the installed `onnxruntime` package
  (`onnxruntime/capi/libonnxruntime.so*`), found without importing the package; else `None`, and
  the core falls back to `ORT_DYLIB_PATH`, then `libonnxruntime.so` beside the models.
- Models: `KYC_MODEL_DIR`, else `$KYC_CACHE/models`, else `~/.cache/kyc/models`, where
  `python3 scripts/fetch_models.py` installs them (sha256-checked when loaded).
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
from typing import Optional


def onnxruntime_library() -> Optional[str]:
    """The ONNX Runtime shared library of the installed `onnxruntime` package, or None."""
    try:
        spec = importlib.util.find_spec("onnxruntime")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        capi = pathlib.Path(root) / "capi"
        names = sorted(p for p in capi.glob("libonnxruntime.so*") if p.is_file())
        # The versioned file (libonnxruntime.so.1.32.0) is the library itself.
        names.sort(key=lambda p: (len(p.name), p.name), reverse=True)
        if names:
            return str(names[0])
    return None


def default_model_dir() -> str:
    """`KYC_MODEL_DIR`, else `$KYC_CACHE/models`, else `~/.cache/kyc/models`."""
    explicit = os.environ.get("KYC_MODEL_DIR")
    if explicit:
        return explicit
    cache = os.environ.get("KYC_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "kyc")
    return os.path.join(cache, "models")
