"""Writes the hostile images of fixtures/hostile/: small files that claim huge pixel buffers.

Standard library only (zlib, struct), so the files are reproducible byte for byte:
    python3 scripts/make_hostile.py fixtures/hostile
"""

import struct
import sys
import zlib
from pathlib import Path


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def flat_png(width: int, height: int, depth: int, colour: int, bytes_per_pixel: int) -> bytes:
    """A PNG of one flat colour: each row is a filter byte and the same sample, so it deflates
    about a thousand times."""
    row = b"\0" + b"\xee" * (width * bytes_per_pixel)
    deflate = zlib.compressobj(9)
    idat = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "fixtures/hostile")
    out.mkdir(parents=True, exist_ok=True)
    # 12,000 x 4,166 8-bit RGB: 150 MB of pixels from about 155 KB.
    (out / "flat_rgb8_12000x4166.png").write_bytes(flat_png(12_000, 4_166, 8, 2, 3))
    # 7,071 x 7,071 16-bit RGBA, at the default pixel limit: 400 MB from about 400 KB.
    (out / "flat_rgba16_7071x7071.png").write_bytes(flat_png(7_071, 7_071, 16, 6, 8))
    # A header claiming 100,000 x 100,000 with almost no data behind it.
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    (out / "bomb_header_100000x100000.png").write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    main()
