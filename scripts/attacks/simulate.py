"""An attack simulator written apart from the project's document generator, to REPORT on (never to
tune on): other code, other parameter ranges, other source images (real specimen scans), other
ways of making each attack. The engine's thresholds are set on `gen_documents`' attacks; this says
whether they hold on attacks someone else made.

Input: the specimens (`../shared/data/documents/passporteye`, or any folder of page images) and the
JSON lines `cargo run --release --example ocr_lines` printed for them (where each text line and the
portrait are, and the MRZ's fields). Output: one folder per attack and `labels.jsonl`:

    python3 scripts/attacks/simulate.py --lines lines.jsonl --out target/attacks --seed 11

Each label: `file`, `source` (the genuine original), `attack`, `variant`, `params`, and `relevant`
(the checks that should catch it). Needs numpy and Pillow (pinned in scripts/attacks/requirements.txt).

The attacks, each drawn from its own parameter ranges:
- `edit`: a field overwritten: the surname, given names or a date redrawn in another font on a
  paper-coloured patch, then saved at another JPEG quality (`resaved`) or the one the original
  seems to have (`same_quality`).
- `portrait`: the portrait replaced by another face (the public-domain fixture faces), feathered or
  gradient-blended into the page, re-saved.
- `glare`: blown-out blobs and streaks (saturated in every channel, with a specular fall-off)
  covering 3 to 16 per cent of the page, some over the MRZ, the portrait or a field.
- `screen`: the page shown on an LCD (RGB stripes) or OLED (diamond sub-pixels) of varied pitch and
  photographed: perspective, defocus, exposure, noise, JPEG.
- `print`: printed halftone (rotated dots) or dithered (error diffusion), then photographed or
  scanned.
- `blur`: motion (8 to 28 px) or defocus (radius 2.5 to 7 px).
- `crop`: the page cut by the frame by 10 to 30 per cent on one or two sides.
- `grey`: a greyscale photocopy (contrast, toner noise, optional paper tint).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import pathlib
import re

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = pathlib.Path(__file__).resolve().parents[2]
FONTS = [
    ROOT / "fixtures/fonts/DejaVuSansCondensed-latin.ttf",
    ROOT / "fixtures/fonts/DejaVuSansCondensed-Bold-latin.ttf",
    ROOT / "fixtures/fonts/OCRB.otf",
]
FACES = [ROOT / "fixtures/faces/astronaut.png", ROOT / "fixtures/faces/grace_hopper.jpg"]

RELEVANT = {
    "edit": ["document.editing", "document.visual_mrz_match"],
    "portrait": ["document.editing", "document.portrait"],
    "glare": ["document.glare_blur.glare"],
    "screen": ["document.screen_photo"],
    "print": ["document.printout"],
    "blur": ["document.glare_blur.blur"],
    "crop": ["document.fully_visible"],
    "grey": ["document.printout"],
}


def jpeg(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    img.convert("RGB").save(out, "JPEG", quality=int(quality), subsampling=2 if quality < 90 else 0)
    return out.getvalue()


def estimate_quality(path: pathlib.Path) -> int:
    """The JPEG quality the original was saved at, from its first quantisation table (PNG: 95)."""
    with Image.open(path) as img:
        tables = getattr(img, "quantization", None)
    if not tables:
        return 95
    q0 = list(tables.values())[0]
    # The standard luminance table's first entry is 16 at quality 50.
    scale = q0[0] / 16.0
    quality = 100 - 50 * scale if scale <= 1 else 50 / scale
    return int(max(10, min(98, round(quality))))


def axis_box(line: dict) -> tuple[float, float, float, float]:
    """The axis-aligned box of a rotated line box: x0, y0, x1, y1."""
    cx, cy = line["center"]
    ux, uy = line["u"]
    vx, vy = -uy, ux
    hw, hh = line["width"] / 2, line["height"] / 2
    xs = [cx + sx * hw * ux + sy * hh * vx for sx in (-1, 1) for sy in (-1, 1)]
    ys = [cy + sx * hw * uy + sy * hh * vy for sx in (-1, 1) for sy in (-1, 1)]
    return min(xs), min(ys), max(xs), max(ys)


def inside_mrz(line: dict, mrz_lines: list[dict]) -> bool:
    x0, y0, x1, y1 = axis_box(line)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    for m in mrz_lines:
        a0, b0, a1, b1 = axis_box(m)
        if a0 <= cx <= a1 and b0 <= cy <= b1:
            return True
    return False


def fold(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def other_name(name: str, rng: np.random.Generator) -> str:
    """A different name of about the same length: letters swapped for others, kept upper case."""
    letters = list(name)
    positions = [i for i, c in enumerate(letters) if c.isalpha()]
    for i in rng.choice(positions, size=min(len(positions), max(2, len(positions) // 2)), replace=False):
        old = letters[i]
        while letters[i] == old:
            letters[i] = chr(ord("A") + int(rng.integers(0, 26)))
    return "".join(letters)


DATE_PATTERNS = [
    (re.compile(r"\b(\d{2})[ .\-/](\d{2})[ .\-/](\d{4})\b"), "dmy"),
    (re.compile(r"\b(\d{4})[ .\-/](\d{2})[ .\-/](\d{2})\b"), "ymd"),
    (re.compile(r"\b(\d{2}) ?([A-Z]{3})[A-Z/ ]* ?(\d{2,4})\b"), "dMy"),
]


def find_field(record: dict, what: str) -> tuple[dict, str, str] | None:
    """The visual line printing `what` (surname, given_names, birth_date, expiry_date), the text to
    replace in it and its replacement basis."""
    mrz = record["mrz"] or {}
    lines = [l for l in record["lines"] if not inside_mrz(l, mrz.get("lines", []))]
    if what in ("surname", "given_names"):
        value = (mrz.get(what) or "").split(" ")[0]
        if len(value) < 3:
            return None
        for line in lines:
            if value in fold(line["text"]) and line["confidence"] > 0.6:
                return line, value, value
        return None
    date = mrz.get(what)
    if not date:
        return None
    year, month, day = date.split("-")
    for line in lines:
        text = line["text"].upper()
        for pattern, _ in DATE_PATTERNS:
            for m in pattern.finditer(text):
                found = m.group(0)
                if year in found or year[2:] in found:
                    if day in found:
                        return line, found, year
    return None


def paper_and_ink(arr: np.ndarray, box: tuple[int, int, int, int]) -> tuple[tuple, tuple]:
    x0, y0, x1, y1 = box
    region = arr[y0:y1, x0:x1].reshape(-1, 3).astype(float)
    luma = region @ np.array([0.299, 0.587, 0.114])
    order = np.argsort(luma)
    ink = region[order[: max(1, len(order) // 12)]].mean(axis=0)
    paper = region[order[len(order) // 2 :]].mean(axis=0)
    return tuple(int(v) for v in paper), tuple(int(v) for v in ink)


def attack_edit(img: Image.Image, record: dict, rng: np.random.Generator, quality: int):
    fields = ["surname", "given_names", "birth_date", "expiry_date"]
    rng.shuffle(fields)
    for what in fields:
        found = find_field(record, what)
        if found is None:
            continue
        line, old, basis = found
        x0, y0, x1, y1 = axis_box(line)
        text = line["text"]
        upper = text.upper()
        if what in ("surname", "given_names"):
            start = fold(upper).find(old)
            new = other_name(old, rng)
            replaced = old
        else:
            start = upper.find(old)
            new_year = str(int(basis) + int(rng.choice([-9, -7, -4, 4, 6])))
            replaced = old
            new = old.replace(basis, new_year) if basis in old else old.replace(basis[2:], new_year[2:])
        if start < 0:
            continue
        # The word's extent along the line, by its share of the characters.
        n = max(1, len(text))
        a = x0 + (x1 - x0) * start / n
        b = x0 + (x1 - x0) * min(n, start + len(replaced) + 1) / n
        box = (int(max(0, a - 2)), int(max(0, y0 - 1)), int(min(img.width, b + 2)), int(min(img.height, y1 + 1)))
        if box[2] - box[0] < 6 or box[3] - box[1] < 5:
            continue
        arr = np.asarray(img.convert("RGB"))
        paper, ink = paper_and_ink(arr, box)
        out = img.convert("RGB").copy()
        draw = ImageDraw.Draw(out)
        draw.rectangle(box, fill=paper)
        font_path = FONTS[int(rng.integers(0, len(FONTS)))]
        size = max(6, int((box[3] - box[1]) * rng.uniform(0.72, 0.9)))
        font = ImageFont.truetype(str(font_path), size)
        draw.text((box[0] + 1, box[1] + (box[3] - box[1] - size) / 2), new, fill=ink, font=font)
        resave = bool(rng.integers(0, 2))
        q = int(rng.integers(60, 96)) if resave else quality
        return out, {
            "field": what,
            "old": replaced,
            "new": new,
            "box": box,
            "font": font_path.name,
            "quality": q,
        }, ("resaved" if resave else "same_quality"), q
    return None


def feather_mask(w: int, h: int, width: float, kind: str) -> Image.Image:
    yy, xx = np.mgrid[0:h, 0:w].astype(float)
    d = np.minimum.reduce([xx, yy, w - 1 - xx, h - 1 - yy])
    if kind == "feathered":
        m = np.clip(d / max(1.0, width), 0, 1)
    else:  # gradient: an elliptical fall-off
        cx, cy = (w - 1) / 2, (h - 1) / 2
        r = np.sqrt(((xx - cx) / (w / 2)) ** 2 + ((yy - cy) / (h / 2)) ** 2)
        m = np.clip((1.0 - r) / 0.35, 0, 1)
    return Image.fromarray((m * 255).astype(np.uint8))


def attack_portrait(img: Image.Image, record: dict, rng: np.random.Generator, quality: int):
    if not record.get("portrait"):
        return None
    x, y, w, h = record["portrait"]
    # The printed portrait is larger than the face: widen the box.
    grow = rng.uniform(1.25, 1.5)
    cx, cy = x + w / 2, y + h / 2 + 0.05 * h
    bw, bh = w * grow, h * grow * 1.05
    box = [int(cx - bw / 2), int(cy - bh / 2), int(cx + bw / 2), int(cy + bh / 2)]
    box = [max(0, box[0]), max(0, box[1]), min(img.width, box[2]), min(img.height, box[3])]
    bw, bh = box[2] - box[0], box[3] - box[1]
    if bw < 16 or bh < 16:
        return None
    face_path = FACES[int(rng.integers(0, len(FACES)))]
    face = Image.open(face_path).convert("RGB")
    # The other face cropped to the box's proportions, scaled into it, matched in brightness.
    fw, fh = face.size
    target = bw / bh
    if fw / fh > target:
        nw = int(fh * target)
        face = face.crop(((fw - nw) // 2, 0, (fw - nw) // 2 + nw, fh))
    else:
        nh = int(fw / target)
        face = face.crop((0, 0, fw, nh))
    face = face.resize((bw, bh), Image.LANCZOS)
    region = np.asarray(img.convert("RGB").crop(box)).astype(float)
    f = np.asarray(face).astype(float)
    f = np.clip((f - f.mean()) * (region.std() / max(1.0, f.std())) * 0.9 + region.mean(), 0, 255)
    face = Image.fromarray(f.astype(np.uint8))
    kind = ["feathered", "gradient"][int(rng.integers(0, 2))]
    mask = feather_mask(bw, bh, rng.uniform(3, 10), kind)
    out = img.convert("RGB").copy()
    out.paste(face, (box[0], box[1]), mask)
    q = int(rng.integers(70, 96))
    return out, {"box": box, "face": face_path.name, "blend": kind, "quality": q}, kind, q


def attack_glare(img: Image.Image, record: dict, rng: np.random.Generator, quality: int):
    arr = np.asarray(img.convert("RGB")).astype(float)
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(float)
    target = rng.uniform(0.03, 0.16)
    light = np.zeros((h, w))
    targets = []
    mrz = (record.get("mrz") or {}).get("lines") or []
    if mrz:
        x0, y0, x1, y1 = axis_box(mrz[0])
        targets.append(("mrz", (x0 + x1) / 2, (y0 + y1) / 2))
    if record.get("portrait"):
        px, py, pw, ph = record["portrait"]
        targets.append(("portrait", px + pw / 2, py + ph / 2))
    over = None
    for _ in range(20):
        if (light > 1.0).mean() >= target:
            break
        if targets and rng.random() < 0.5:
            over, cx, cy = targets[int(rng.integers(0, len(targets)))]
            cx += rng.normal(0, 0.05 * w)
            cy += rng.normal(0, 0.05 * h)
        else:
            cx, cy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.1, 0.9) * h
        streak = rng.random() < 0.4
        a = rng.uniform(0.04, 0.12) * w * (3.0 if streak else 1.0)
        b = rng.uniform(0.03, 0.09) * h * (0.35 if streak else 1.0)
        t = rng.uniform(0, math.pi)
        dx, dy = xx - cx, yy - cy
        u = (dx * math.cos(t) + dy * math.sin(t)) / a
        v = (-dx * math.sin(t) + dy * math.cos(t)) / b
        light += 1.8 * np.exp(-(u * u + v * v) * 1.5)
    out = arr + light[..., None] * 255.0
    q = int(rng.integers(75, 95))
    covered = float((np.clip(out, 0, 255) >= 254.5).all(axis=2).mean())
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), {
        "covered": round(covered, 4),
        "over": over,
        "quality": q,
    }, ("over_" + over if over else "page"), q


def perspective(img: Image.Image, rng: np.random.Generator, amount: float) -> Image.Image:
    w, h = img.size
    d = amount * min(w, h)
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    dst = [(x + rng.uniform(-d, d), y + rng.uniform(-d, d)) for x, y in src]
    # Solve the 8 coefficients PIL's PERSPECTIVE wants (output -> input).
    a = []
    b = []
    for (x, y), (u, v) in zip(dst, src):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    coeffs = np.linalg.solve(np.array(a, float), np.array(b, float))
    return img.transform((w, h), Image.PERSPECTIVE, tuple(coeffs), Image.BICUBIC, fillcolor=(40, 40, 40))


def camera(img: Image.Image, rng: np.random.Generator, blur: tuple[float, float], noise: float):
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(*blur)))
    arr = np.asarray(img).astype(float)
    gain = rng.uniform(0.85, 1.15)
    arr = arr * gain + rng.uniform(-12, 12)
    arr += rng.normal(0, noise, arr.shape)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def attack_screen(img: Image.Image, record: dict, rng: np.random.Generator, quality: int):
    kind = ["lcd", "oled"][int(rng.integers(0, 2))]
    pitch = rng.uniform(2.2, 6.5)  # screen pixels per page pixel of the photo
    w, h = img.size
    scale = 3
    big = img.convert("RGB").resize((w * scale, h * scale), Image.NEAREST)
    arr = np.asarray(big).astype(float)
    yy, xx = np.mgrid[0 : h * scale, 0 : w * scale].astype(float)
    period = pitch * scale
    phase = (xx % period) / period
    mask = np.zeros_like(arr)
    if kind == "lcd":
        for c in range(3):
            mask[..., c] = ((phase >= c / 3) & (phase < (c + 1) / 3)).astype(float)
        rows = ((yy % period) / period) < 0.85
        mask *= rows[..., None]
    else:
        vphase = (yy % period) / period
        for c, (ox, oy) in enumerate([(0.25, 0.25), (0.75, 0.25), (0.5, 0.75)]):
            d = np.sqrt((phase - ox) ** 2 + (vphase - oy) ** 2)
            mask[..., c] = (d < 0.22).astype(float)
    shown = arr * (0.35 + 0.65 * mask) * 1.25
    shown = Image.fromarray(np.clip(shown, 0, 255).astype(np.uint8))
    shown = shown.resize((w, h), Image.BILINEAR)
    shown = perspective(shown, rng, 0.03)
    shown = camera(shown, rng, (0.3, 0.9), rng.uniform(2, 6))
    q = int(rng.integers(70, 93))
    return shown, {"kind": kind, "pitch": round(pitch, 2), "quality": q}, kind, q


def attack_print(img: Image.Image, record: dict, rng: np.random.Generator, quality: int):
    kind = ["halftone", "dither"][int(rng.integers(0, 2))]
    arr = np.asarray(img.convert("RGB")).astype(float) / 255.0
    h, w = arr.shape[:2]
    if kind == "halftone":
        cell = rng.uniform(2.5, 5.5)
        out = np.zeros_like(arr)
        yy, xx = np.mgrid[0:h, 0:w].astype(float)
        for c, angle in enumerate([15, 75, 0]):
            t = math.radians(angle + rng.uniform(-3, 3))
            u = (xx * math.cos(t) + yy * math.sin(t)) / cell
            v = (-xx * math.sin(t) + yy * math.cos(t)) / cell
            d = np.sqrt((u - np.round(u)) ** 2 + (v - np.round(v)) ** 2)
            ink = 1.0 - arr[..., c]  # subtractive: the dot's area is the ink's amount
            radius = np.sqrt(np.clip(ink, 0, 1) / math.pi)
            out[..., c] = np.where(d < radius, 0.08, 1.0)
    else:
        out = arr.copy()
        levels = 2
        for y in range(h):
            for x in range(w):
                old = out[y, x]
                new = np.round(old * (levels - 1)) / (levels - 1)
                err = old - new
                out[y, x] = new
                if x + 1 < w:
                    out[y, x + 1] += err * 7 / 16
                if y + 1 < h:
                    if x > 0:
                        out[y + 1, x - 1] += err * 3 / 16
                    out[y + 1, x] += err * 5 / 16
                    if x + 1 < w:
                        out[y + 1, x + 1] += err * 1 / 16
        out = np.clip(out, 0, 1) * 0.9 + 0.06
    printed = Image.fromarray((np.clip(out, 0, 1) * 255).astype(np.uint8))
    capture = ["camera", "scanner"][int(rng.integers(0, 2))]
    if capture == "camera":
        printed = perspective(printed, rng, 0.02)
        printed = camera(printed, rng, (0.4, 1.1), rng.uniform(2, 5))
        q = int(rng.integers(72, 92))
    else:
        printed = printed.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))
        q = int(rng.integers(85, 96))
    return printed, {"kind": kind, "capture": capture, "quality": q}, f"{kind}_{capture}", q


def attack_blur(img: Image.Image, record: dict, rng: np.random.Generator, quality: int):
    kind = ["motion", "defocus"][int(rng.integers(0, 2))]
    if kind == "motion":
        length = int(rng.integers(8, 29))
        angle = rng.uniform(0, 180)
        k = np.zeros((length, length))
        c = (length - 1) / 2
        for i in range(length * 3):
            t = i / (length * 3 - 1) - 0.5
            x = int(round(c + t * (length - 1) * math.cos(math.radians(angle))))
            y = int(round(c + t * (length - 1) * math.sin(math.radians(angle))))
            k[y, x] = 1
        params = {"length": length, "angle": round(angle, 1)}
    else:
        r = rng.uniform(2.5, 7)
        n = int(math.ceil(r)) * 2 + 1
        yy, xx = np.mgrid[0:n, 0:n] - (n - 1) / 2
        k = ((xx * xx + yy * yy) <= r * r).astype(float)
        params = {"radius": round(r, 2)}
    k /= k.sum()
    arr = np.asarray(img.convert("RGB")).astype(float)
    # Convolution in the frequency domain (edges wrap; the page's margin hides it).
    out = np.empty_like(arr)
    kh, kw = k.shape
    pad = np.zeros(arr.shape[:2])
    pad[:kh, :kw] = k
    pad = np.roll(pad, (-(kh // 2), -(kw // 2)), axis=(0, 1))
    fk = np.fft.rfft2(pad)
    for c in range(3):
        out[..., c] = np.fft.irfft2(np.fft.rfft2(arr[..., c]) * fk, s=arr.shape[:2])
    q = int(rng.integers(75, 95))
    params["quality"] = q
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), params, kind, q


def attack_crop(img: Image.Image, record: dict, rng: np.random.Generator, quality: int):
    w, h = img.size
    sides = ["left", "right", "top", "bottom"]
    chosen = list(rng.choice(sides, size=int(rng.integers(1, 3)), replace=False))
    box = [0, 0, w, h]
    cut = {}
    for side in chosen:
        share = rng.uniform(0.10, 0.30)
        cut[side] = round(share, 3)
        if side == "left":
            box[0] = int(w * share)
        elif side == "right":
            box[2] = int(w * (1 - share))
        elif side == "top":
            box[1] = int(h * share)
        else:
            box[3] = int(h * (1 - share))
    q = int(rng.integers(80, 96))
    return img.convert("RGB").crop(tuple(box)), {"cut": cut, "quality": q}, "+".join(chosen), q


def attack_grey(img: Image.Image, record: dict, rng: np.random.Generator, quality: int):
    luma = np.asarray(img.convert("L")).astype(float)
    gamma = rng.uniform(0.7, 1.4)
    luma = 255 * (luma / 255) ** gamma
    luma = (luma - 128) * rng.uniform(1.0, 1.4) + 128 + rng.normal(0, rng.uniform(2, 7), luma.shape)
    tint = rng.random() < 0.5
    rgb = np.repeat(np.clip(luma, 0, 255)[..., None], 3, axis=2)
    if tint:
        rgb = rgb * np.array([1.0, 0.99, 0.95])
    q = int(rng.integers(75, 95))
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)), {"tint": tint, "quality": q}, (
        "tinted" if tint else "plain"
    ), q


ATTACKS = {
    "edit": attack_edit,
    "portrait": attack_portrait,
    "glare": attack_glare,
    "screen": attack_screen,
    "print": attack_print,
    "blur": attack_blur,
    "crop": attack_crop,
    "grey": attack_grey,
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lines", required=True, help="JSON lines from the ocr_lines example")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--per-source", type=int, default=2, help="variants of each attack per source image")
    p.add_argument("--attacks", default=",".join(ATTACKS))
    args = p.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = [a for a in args.attacks.split(",") if a]
    records = [json.loads(l) for l in open(args.lines)]
    labels = []
    for index, record in enumerate(records):
        source = pathlib.Path(record["file"])
        img = Image.open(source).convert("RGB")
        quality = estimate_quality(source)
        stem = f"{index:02d}_{source.stem}"
        for attack in wanted:
            for k in range(args.per_source):
                rng = np.random.default_rng([args.seed, index, list(ATTACKS).index(attack), k])
                made = ATTACKS[attack](img, record, rng, quality)
                if made is None:
                    continue
                result, params, variant, q = made
                folder = out / attack
                folder.mkdir(exist_ok=True)
                name = f"{stem}_{attack}{k}.jpg"
                (folder / name).write_bytes(jpeg(result, q))
                labels.append(
                    {
                        "file": f"{attack}/{name}",
                        "source": str(source),
                        "attack": attack,
                        "variant": variant,
                        "params": params,
                        "relevant": RELEVANT[attack],
                    }
                )
    with open(out / "labels.jsonl", "w") as f:
        for label in labels:
            f.write(json.dumps(label) + "\n")
    print(f"{len(labels)} attack images from {len(records)} sources in {out}")


if __name__ == "__main__":
    main()
