#!/usr/bin/env python3
"""Golden SFace embeddings from the published model as it is, for kyc-core's test
`sface_as_rewritten_at_load_matches_the_published_graph`.

kyc rewrites SFace's PRelu nodes when it loads the model (`model::GraphEdit::PReluAsBatchNorm`);
this runs the unedited file with onnxruntime's own Python package on
`fixtures/faces/astronaut_arcface_112.png` and on the same crop mirrored left-right (one run each),
RGB values 0..255 in NCHW as OpenCV's `FaceRecognizerSF` feeds them, and writes
`fixtures/expected/sface_astronaut.json`.

Run once in a throwaway venv (never the project's):
    python3 -m venv /tmp/v && /tmp/v/bin/pip install "numpy<2" pillow onnxruntime==1.32.0
    /tmp/v/bin/python scripts/reference/sface_golden.py <face_recognition_sface_2021dec.onnx>
"""

import hashlib
import json
import pathlib
import sys

import numpy as np
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[2]
CROP = ROOT / "fixtures" / "faces" / "astronaut_arcface_112.png"
OUT = ROOT / "fixtures" / "expected" / "sface_astronaut.json"


def main() -> None:
    import onnxruntime as ort

    model = pathlib.Path(sys.argv[1])
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    rgb = np.asarray(Image.open(CROP).convert("RGB"), dtype=np.float32)
    rows = []
    for crop in (rgb, rgb[:, ::-1, :]):
        blob = crop.transpose(2, 0, 1)[None].copy()
        rows.append(session.run(None, {"data": blob})[0][0].astype(np.float64))
    raw = np.stack(rows)
    unit = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    OUT.write_text(json.dumps({
        "comment": f"face_recognition_sface_2021dec.onnx as published (sha256 {digest[:8]}...), "
                   f"unedited, run by onnxruntime {ort.__version__} (Python, CPU, one thread) on "
                   "[crop, crop mirrored left-right], RGB 0..255 NCHW; L2-normalised. Made by "
                   "scripts/reference/sface_golden.py.",
        "crop": "faces/astronaut_arcface_112.png",
        "raw_norms": [float(n) for n in np.linalg.norm(raw, axis=1)],
        "embeddings": [[round(float(v), 7) for v in row] for row in unit],
    }, indent=1) + "\n")
    print("wrote", OUT, "norms", np.linalg.norm(raw, axis=1))
    print("cosine crop vs mirrored:", float(unit[0] @ unit[1]))


if __name__ == "__main__":
    main()
