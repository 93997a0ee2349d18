#!/usr/bin/env python3
"""Writes the committed seed corpora under fuzz/seeds/<target>/ from the repository's fixtures.

A handful of valid inputs per target, so each fuzz run starts from the formats' real structure.
Run from anywhere: `python3 fuzz/make_seeds.py` (the image seeds need Pillow; the project's
virtual environment has it: `$KYC_VENV/bin/python fuzz/make_seeds.py`). The output is
deterministic, so a re-run leaves git clean unless a fixture changed.
"""

import base64
import hashlib
import hmac
import io
import json
import pathlib
import shutil
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
OUT = ROOT / "fuzz" / "seeds"


def write(target, name, data):
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / name).write_bytes(data)


def hkdf(ikm, info, salt=b"kyc-core"):
    """HKDF-SHA256 to 32 bytes, as scenario::SecretKey::subkey."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def mrz():
    for i, line in enumerate((FIX / "mrz" / "samples.jsonl").read_text().splitlines()[:8]):
        rec = json.loads(line)
        write("mrz_parse", f"sample{i}", "\n".join(rec["lines"]))


def scenarios():
    for path in sorted((FIX / "scenarios").glob("*.json")):
        write("scenario_json", path.name, path.read_bytes())


# Must equal KEY in fuzz_targets/session_json.rs.
SESSION_KEY = bytes([0x5A]) * 32


def sessions():
    lines = (FIX / "sessions" / "sample.jsonl").read_text().splitlines()
    for i, line in enumerate(lines):
        write("session_json", f"sample{i}.json", line)
    json_text = lines[0]
    tag = hmac.new(SESSION_KEY, b"kyc.session.v1\0" + json_text.encode(), hashlib.sha256).digest()
    seal = base64.urlsafe_b64encode(tag).rstrip(b"=").decode()
    write("session_json", "sealed0", f"kys1.{seal}.{json_text}")


def images():
    from PIL import Image

    docs = FIX / "documents"
    for name, side in [("0000_passport_genuine_photo.jpg", 96), ("0001_id_card_front_genuine_clean.jpg", 64)]:
        im = Image.open(docs / name)
        im.thumbnail((side, side))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=70)
        write("image_precheck", name.replace(".jpg", f"_{side}.jpg"), buf.getvalue())
        buf = io.BytesIO()
        im.save(buf, "PNG")
        write("image_precheck", name.replace(".jpg", f"_{side}.png"), buf.getvalue())
        buf = io.BytesIO()
        im.save(buf, "WEBP", quality=60)
        write("image_precheck", name.replace(".jpg", f"_{side}.webp"), buf.getvalue())
    # EXIF orientation 6 on a small JPEG.
    im = Image.open(FIX / "faces" / "astronaut_arcface_112.png").convert("RGB").resize((72, 72))
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=60, exif=exif.tobytes())
    write("image_precheck", "astronaut_72_orient6.jpg", buf.getvalue())
    grey = Image.new("LA", (40, 30), (128, 255))
    buf = io.BytesIO()
    grey.save(buf, "PNG")
    write("image_precheck", "grey_alpha_40x30.png", buf.getvalue())
    # Hostile headers: refused from the header (the flat amplifiers are too big to seed).
    shutil.copy(FIX / "hostile" / "bomb_header_100000x100000.png", OUT / "image_precheck" / "bomb_header.png")


def jpeg_segment(marker, body):
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def exif_software(text, little=True):
    value = text.encode() + b"\0"
    e = "<" if little else ">"
    tiff = (b"II" if little else b"MM") + struct.pack(e + "HI", 42, 8)
    tiff += struct.pack(e + "H", 1)
    tiff += struct.pack(e + "HHII", 0x0131, 2, len(value), 8 + 2 + 12 + 4)
    tiff += struct.pack(e + "I", 0) + value
    return b"Exif\0\0" + tiff


def png_chunk(kind, body):
    import zlib

    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def metadata():
    soi, eoi = b"\xff\xd8", b"\xff\xd9"
    sos = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
    write("metadata", "exif_photoshop_le.jpg", soi + jpeg_segment(0xE1, exif_software("Adobe Photoshop 25.0")) + sos + eoi)
    write("metadata", "exif_gimp_be.jpg", soi + jpeg_segment(0xE1, exif_software("GIMP 2.10", little=False)) + sos + eoi)
    xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description Iptc4xmpExt:DigitalSourceType=\"http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia\"/></x:xmpmeta>"
    write("metadata", "xmp_synthetic.jpg", soi + jpeg_segment(0xE1, xmp) + sos + eoi)
    write("metadata", "comment_c2pa.jpg", soi + jpeg_segment(0xFE, b"made with midjourney") + jpeg_segment(0xEB, b"JP\0\x01c2pa.claim") + jpeg_segment(0xED, b"Photoshop 3.0\0") + sos + eoi)
    sig = b"\x89PNG\r\n\x1a\n"
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    write("metadata", "text_parameters.png", sig + ihdr + png_chunk(b"tEXt", b"parameters\0a portrait, Steps: 20, Sampler: Euler") + png_chunk(b"IEND", b""))
    write("metadata", "itxt_software.png", sig + ihdr + png_chunk(b"iTXt", b"Software\0\0\0\0\0Snapseed") + png_chunk(b"caBX", b"c2pa") + png_chunk(b"IEND", b""))
    # A real camera-style file: the smallest document photo's own segments, its scan cut off.
    raw = (FIX / "documents" / "0003_id_card_back_genuine_clean.jpg").read_bytes()
    write("metadata", "document_head.jpg", raw[: raw.find(b"\xff\xda") + 2])


CALLBACK_SECRET = b"fuzz-scenario-secret-0123456789abcdef"  # callback_verify.rs SECRET


def callbacks():
    key = hkdf(CALLBACK_SECRET, b"kyc webhook hmac-sha256 v1")
    ts = 1790000000
    notification = {
        "schema_version": 1,
        "idempotency_key": "s0:1",
        "kind": "status",
        "scenario_id": "passport-selfie",
        "session_id": "s0",
        "seq": 1,
        "at": "2026-09-21T13:46:40Z",
        "status": "approved",
        "reason_code": "decision.all_steps_passed",
        "is_final": True,
    }
    envelope = {
        "encryption": "A256GCM-HKDF-SHA256",
        "scenario_id": "passport-selfie",
        "session_id": "s0",
        "timestamp": ts,
        "nonce": base64.b64encode(bytes(12)).decode(),
        "ciphertext": base64.b64encode(bytes(48)).decode(),
    }
    for name, body in [("plain", notification), ("encrypted", envelope)]:
        body = json.dumps(body, separators=(",", ":")).encode()
        msg_id = f"msg_{name}"
        tag = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
        head = (
            f"webhook-id: {msg_id}\nwebhook-timestamp: {ts}\n"
            f"webhook-signature: v1,{base64.b64encode(tag).decode()}\n\n"
        )
        write("callback_verify", name, head.encode() + body)


def links():
    scenario = json.loads((FIX / "scenarios" / "passport_selfie.json").read_text())
    key = hkdf(scenario["secret_key"].encode(), b"kyc link token v1")
    sid = scenario["id"].encode()
    for i, (expires, scenario_id) in enumerate([(1790003600, sid), (1790000001, sid), (1, sid), (1790003600, b"other")]):
        signed = bytes([1]) + bytes(range(16 * i, 16 * i + 16)) + struct.pack(">q", expires) + bytes([len(scenario_id)]) + scenario_id
        tag = hmac.new(key, signed, hashlib.sha256).digest()
        write("link_token", f"token{i}", "kyl1_" + base64.urlsafe_b64encode(signed + tag).rstrip(b"=").decode())


def gallery(model, people):
    out = b"KYCGAL01" + struct.pack("<I", len(model)) + model.encode()
    dim = len(people[0][1]) if people else 4
    out += struct.pack("<II", dim, len(people))
    for pid, vec in people:
        out += struct.pack("<I", len(pid)) + pid.encode() + struct.pack(f"<{len(vec)}f", *vec)
    return out


def face_lists():
    write("face_list", "empty", gallery("sface", []))
    write("face_list", "two", gallery("sface", [("alice", [1.0, 0.0, 0.0, 0.0]), ("bob", [0.0, 0.6, 0.8, 0.0])]))
    n = 128
    write("face_list", "dim128", gallery("mobilefacenet", [(f"p{i}", [(1.0 if j == i else 0.0) for j in range(n)]) for i in range(3)]))


def varint(v):
    out = b""
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def ld(number, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def vi(number, value):
    return varint(number << 3) + varint(value & (2**64 - 1))


def value_info(name, dims):
    shape = b"".join(ld(1, vi(1, d)) for d in dims)
    tensor_type = vi(1, 1) + ld(2, shape)
    return ld(1, name) + ld(2, ld(1, tensor_type))


def node(op, inputs, outputs, name):
    return b"".join(ld(1, i) for i in inputs) + b"".join(ld(2, o) for o in outputs) + ld(3, name) + ld(4, op)


def float_tensor(name, dims, values):
    return b"".join(vi(1, d) for d in dims) + vi(2, 1) + ld(8, name) + ld(9, struct.pack(f"<{len(values)}f", *values))


def int64_tensor(name, values):
    return vi(1, len(values)) + vi(2, 7) + ld(7, b"".join(varint(v & (2**64 - 1)) for v in values)) + ld(8, name)


def model(graph):
    return vi(1, 8) + ld(7, graph) + ld(8, vi(2, 13))


def onnx_models():
    slope = float_tensor("slope", [3, 1, 1], [0.25, 0.5, 0.125])
    prelu = (
        ld(1, node("PRelu", ["input", "slope"], ["y"], "prelu0"))
        + ld(5, slope)
        + ld(11, value_info("input", [1, 3, 640, 640]))
        + ld(11, value_info("slope", [3, 1, 1]))
        + ld(12, value_info("y", [1, 3, 640, 640]))
        + ld(13, value_info("y", [1, 3, 640, 640]))
    )
    write("onnx_edit", "prelu.onnx", model(prelu))
    reshape = (
        ld(1, node("Reshape", ["input", "shape"], ["out"], "reshape0"))
        + ld(5, int64_tensor("shape", [2, 128]))
        + ld(11, value_info("input", [2, 128, 1, 1]))
        + ld(12, value_info("out", [2, 128]))
    )
    write("onnx_edit", "reshape.onnx", model(reshape))
    # The TFLite spelling of PRelu: Relu(x) + slope * (x - Relu(x)) with a negated slope.
    spelled = (
        ld(1, node("Relu", ["input"], ["r"], "relu"))
        + ld(1, node("Sub", ["input", "r"], ["neg"], "sub"))
        + ld(1, node("Mul", ["neg", "alpha"], ["m"], "mul"))
        + ld(1, node("Add", ["r", "m"], ["y"], "add"))
        + ld(5, float_tensor("alpha", [1, 2, 1, 1], [0.1, 0.2]))
        + ld(11, value_info("input", [1, 2, 8, 8]))
        + ld(12, value_info("y", [1, 2, 8, 8]))
    )
    write("onnx_edit", "spelled_prelu.onnx", model(spelled))


def aml():
    ftm = [
        {"id": "NK-1", "schema": "Person", "properties": {"name": ["Ivan Petrovich Ivanov"], "alias": ["Иван Петрович Иванов", "Iwan Iwanow"], "birthDate": ["1961-03-05", "1961"], "nationality": ["ru"], "topics": ["sanction"]}, "datasets": ["test_sanctions"]},
        {"id": "NK-2", "schema": "Company", "properties": {"name": ["Acme"]}},
        {"id": "NK-3", "schema": "Person", "properties": {"firstName": ["Maria"], "lastName": ["Lopez"], "birthDate": ["1970-02"], "topics": ["role.pep"]}},
    ]
    lines = "\n".join(json.dumps(e, ensure_ascii=False) for e in ftm) + "\nnot json\n"
    write("aml_import", "ftm", b"\x00" + lines.encode())
    write("aml_import", "ftm_pep", b"\x01" + lines.encode())
    sdn = (
        '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        '1001,"IVANOV, Ivan Petrovich","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        '"DOB 05 Mar 1961; alt. DOB 1962; POB Moscow, Russia; nationality Russia; Gender Male."\r\n'
        '1003,"LOPEZ, Maria","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB circa 1970 to 1972; citizenship Atlantis."\r\n'
        "\x1a\r\n"
    )
    alt = '1001,201,"a.k.a.","IWANOW, Iwan",-0- \r\n1001,202,"a.k.a.","ИВАНОВ, Иван Петрович",-0- \r\n'
    write("aml_import", "sdn_alt", b"\x02" + sdn.encode() + b"\x00" + alt.encode())
    write("aml_import", "sdn", b"\x03" + sdn.encode())


if __name__ == "__main__":
    if OUT.exists():
        shutil.rmtree(OUT)
    for make in [mrz, scenarios, sessions, images, metadata, callbacks, links, face_lists, onnx_models, aml]:
        make()
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"seeds: {sum(1 for p in OUT.rglob('*') if p.is_file())} files, {total} bytes")
