"""Times one selfie pipeline per image on one thread, in the same way as examples/time_faces.rs.

    bench_py.py opencv|ort <model_dir> <reps> <image>...

opencv: OpenCV's own C++ pipeline for the same models: cv2.FaceDetectorYN (YuNet 2023mar),
        cv2.FaceRecognizerSF.alignCrop and .feature (SFace 2021dec), cv2.setNumThreads(1).
ort:    a plain Python reference: onnxruntime (intra_op_num_threads=1) running the same two
        models, with numpy for the tensor layout, the head decoding, NMS and the similarity
        transform, and cv2.resize / cv2.warpAffine for the two image operations.

Both get the same input as kyc: the photo decoded once (cv2.imread, outside the timings) and
letterboxed to YuNet's fixed 640x640 input (scaled so the longer side is 640, zero-padded right and
bottom), score threshold 0.9, NMS IoU 0.3; the largest face is aligned and embedded. Prints one JSON
object: per image the median over `reps` runs (after one warm-up run) of each stage, and the
medians over the images.
"""
import json
import os
import statistics
import sys
import time

import cv2
import numpy as np

SIDE = 640
STRIDES = (8, 16, 32)
ARCFACE = np.array(
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]],
    dtype=np.float64,
)


def letterbox(img):
    h, w = img.shape[:2]
    scale = SIDE / max(w, h)
    nw, nh = min(SIDE, max(1, round(w * scale))), min(SIDE, max(1, round(h * scale)))
    small = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_LINEAR)
    return cv2.copyMakeBorder(small, 0, SIDE - nh, 0, SIDE - nw, cv2.BORDER_CONSTANT, value=0), scale


class OpenCv:
    name = "opencv"

    def __init__(self, models):
        cv2.setNumThreads(1)
        self.det = cv2.FaceDetectorYN.create(
            os.path.join(models, "face_detection_yunet_2023mar.onnx"), "", (SIDE, SIDE), 0.9, 0.3, 5000
        )
        self.rec = cv2.FaceRecognizerSF.create(os.path.join(models, "face_recognition_sface_2021dec.onnx"), "")

    def detect(self, img):
        padded, scale = letterbox(img)
        _, faces = self.det.detect(padded)
        if faces is None:
            return []
        faces = faces.copy()
        faces[:, :14] /= scale
        return list(faces)

    def align(self, img, face):
        return self.rec.alignCrop(img, face)

    def embed(self, crop):
        return self.rec.feature(crop)


class Ort:
    name = "python-onnxruntime"

    def __init__(self, models):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        providers = ["CPUExecutionProvider"]
        self.yunet = ort.InferenceSession(
            os.path.join(models, "face_detection_yunet_2023mar.onnx"), opts, providers=providers
        )
        self.sface = ort.InferenceSession(
            os.path.join(models, "face_recognition_sface_2021dec.onnx"), opts, providers=providers
        )
        self.names = [o.name for o in self.yunet.get_outputs()]
        self.grids = {}
        for s in STRIDES:
            cols = SIDE // s
            r, c = np.divmod(np.arange(cols * cols), cols)
            self.grids[s] = (c.astype(np.float32), r.astype(np.float32))

    def detect(self, img):
        padded, scale = letterbox(img)
        blob = np.ascontiguousarray(padded.transpose(2, 0, 1)[None], dtype=np.float32)  # BGR, NCHW
        out = dict(zip(self.names, self.yunet.run(None, {"input": blob})))
        rows = []
        for s in STRIDES:
            cls = out[f"cls_{s}"].reshape(-1)
            obj = out[f"obj_{s}"].reshape(-1)
            score = np.sqrt(np.clip(cls, 0, 1) * np.clip(obj, 0, 1))
            keep = np.nonzero(score >= 0.9)[0]
            if keep.size == 0:
                continue
            b = out[f"bbox_{s}"].reshape(-1, 4)[keep]
            k = out[f"kps_{s}"].reshape(-1, 10)[keep]
            c, r = self.grids[s][0][keep], self.grids[s][1][keep]
            cx, cy = (c + b[:, 0]) * s, (r + b[:, 1]) * s
            w, h = np.exp(b[:, 2]) * s, np.exp(b[:, 3]) * s
            kx = (k[:, 0::2] + c[:, None]) * s
            ky = (k[:, 1::2] + r[:, None]) * s
            lm = np.stack([kx, ky], axis=2).reshape(-1, 10)
            rows.append(np.column_stack([cx - w / 2, cy - h / 2, w, h, lm, score[keep]]))
        if not rows:
            return []
        faces = np.concatenate(rows)
        faces = faces[self.nms(faces, 0.3)]
        faces[:, :14] /= scale
        return list(faces)

    @staticmethod
    def nms(faces, iou):
        order = np.argsort(-faces[:, 14], kind="stable")
        x1, y1 = faces[:, 0], faces[:, 1]
        x2, y2 = x1 + faces[:, 2], y1 + faces[:, 3]
        area = faces[:, 2] * faces[:, 3]
        kept = []
        while order.size:
            i = order[0]
            kept.append(i)
            rest = order[1:]
            iw = np.maximum(0, np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]))
            ih = np.maximum(0, np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]))
            inter = iw * ih
            order = rest[inter / (area[i] + area[rest] - inter) <= iou]
        return kept

    def align(self, img, face):
        src = face[4:14].reshape(5, 2).astype(np.float64)
        # Least-squares similarity (Umeyama, 2-D closed form) from the landmarks to the template.
        ms, mt = src.mean(0), ARCFACE.mean(0)
        a, t = src - ms, ARCFACE - mt
        norm = (a * a).sum()
        re = (a * t).sum() / norm
        im = (a[:, 0] * t[:, 1] - a[:, 1] * t[:, 0]).sum() / norm
        m = np.array([[re, -im, 0.0], [im, re, 0.0]])
        m[:, 2] = mt - m[:, :2] @ ms
        return cv2.warpAffine(img, m, (112, 112))

    def embed(self, crop):
        blob = np.ascontiguousarray(crop[:, :, ::-1].transpose(2, 0, 1)[None], dtype=np.float32)  # RGB
        v = self.sface.run(["fc1"], {"data": blob})[0].reshape(-1)
        return v / np.linalg.norm(v)


def largest(faces):
    return max(faces, key=lambda f: f[2] * f[3]) if len(faces) else None


def main():
    which, models, reps, paths = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    impl = OpenCv(models) if which == "opencv" else Ort(models)
    per_image = []
    for path in paths:
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            continue
        d, a, e, s = [], [], [], []
        nfaces = 0
        for rep in range(reps + 1):
            t = time.perf_counter()
            faces = impl.detect(img)
            td = time.perf_counter() - t
            ta = te = 0.0
            face = largest(faces)
            nfaces = len(faces)
            if face is not None:
                t = time.perf_counter()
                crop = impl.align(img, face)
                ta = time.perf_counter() - t
                t = time.perf_counter()
                impl.embed(crop)
                te = time.perf_counter() - t
            t = time.perf_counter()
            face = largest(impl.detect(img))
            if face is not None:
                impl.embed(impl.align(img, face))
            ts = time.perf_counter() - t
            if rep > 0:
                d.append(td * 1e3)
                a.append(ta * 1e3)
                e.append(te * 1e3)
                s.append(ts * 1e3)
        per_image.append(
            {
                "image": path,
                "faces": nfaces,
                "width": img.shape[1],
                "height": img.shape[0],
                "detect_ms": statistics.median(d),
                "align_ms": statistics.median(a),
                "embed_ms": statistics.median(e),
                "selfie_ms": statistics.median(s),
            }
        )
    with_face = [r for r in per_image if r["faces"]]
    med = lambda rows, k: statistics.median(r[k] for r in rows) if rows else float("nan")
    print(
        json.dumps(
            {
                "impl": impl.name,
                "images": len(per_image),
                "with_face": len(with_face),
                "reps": reps,
                "detect_ms": med(per_image, "detect_ms"),
                "align_ms": med(with_face, "align_ms"),
                "embed_ms": med(with_face, "embed_ms"),
                "selfie_ms": med(per_image, "selfie_ms"),
                "selfie_total_ms": sum(r["selfie_ms"] for r in per_image),
                "per_image": per_image,
            }
        )
    )


if __name__ == "__main__":
    main()
