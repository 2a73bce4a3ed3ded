"""Turn one original photo into clean derivatives: the work a pipeline worker does.

Every published image is rebuilt from pixels: decoded, turned upright, converted to sRGB
RGB, resized and encoded anew with no metadata at all, so EXIF (GPS, device), XMP, IPTC,
comments and ICC profiles cannot survive. Anything wrong with the file becomes a
`MediaError(code, **fields)` that names one of the MEDIA… messages.

This module runs inside worker processes (see pool.py) with a memory and time limit, so a
decoder that crashes or hangs costs one photo, not the build. Reading and decoding the
original is in decode.py; this module resizes, encodes, checks and writes the cache entry.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
from pathlib import Path

from PIL import Image

from .decode import (ALLOWED_FORMATS, DECODE_ERRORS, MediaError, _draft, crop_box, decode, memory_limit_text,
                     open_image, orientation_of, output_sizes, sniff)
from .model import FORMATS, Settings
from .scan import find_metadata

__all__ = ["ALLOWED_FORMATS", "DECODE_ERRORS", "MANIFEST", "MediaError", "_draft", "crop_box", "decode", "encode",
           "memory_limit_text", "open_image", "orientation_of", "output_sizes", "placeholder", "process", "render",
           "sniff", "write_entry"]

MANIFEST = "manifest.json"


def encode(image: Image.Image, format: str, settings: Settings) -> bytes:
    """Encode with no metadata at all; checked afterwards, since the promise is the point."""
    image.info = {}  # Pillow would otherwise carry a JPEG comment or XMP over from info
    buffer = io.BytesIO()
    if format == "webp":
        image.save(buffer, "WEBP", quality=settings.webp_quality, method=4)
    else:
        image.save(buffer, "JPEG", quality=settings.jpeg_quality, optimize=True, progressive=True)
    data = buffer.getvalue()
    leaked = find_metadata(data)
    if leaked:
        raise AssertionError(f"encoder wrote metadata: {leaked}")
    return data


def placeholder(image: Image.Image, side: int) -> tuple[str, str]:
    """(data URI of a tiny WebP, average colour "#rrggbb") shown while the photo loads."""
    red, green, blue = image.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    colour = f"#{red:02x}{green:02x}{blue:02x}"
    if side <= 0:
        return "", colour
    scale = side / max(image.size)
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                         Image.Resampling.BOX)
    small.info = {}
    buffer = io.BytesIO()
    small.save(buffer, "WEBP", quality=40, method=6)
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"), colour


def render(data: bytes, settings: Settings) -> tuple[dict, dict[str, bytes]]:
    """(manifest without file hashes, {file name: bytes}) for one photo."""
    image = decode(data, settings)
    files: dict[str, bytes] = {}
    entries = []
    current = image
    for width, height in reversed(output_sizes(image.size, settings)):
        if (width, height) != current.size:
            current = current.resize((width, height), Image.Resampling.LANCZOS)
        for format in settings.formats:
            name = f"{width}.{FORMATS[format][1]}"
            files[name] = encode(current, format, settings)
            entries.append({"name": name, "width": current.width, "height": current.height, "format": format})
    uri, colour = placeholder(current, settings.placeholder)
    manifest = {"status": "ok", "width": image.width, "height": image.height, "files": entries,
                "placeholder": uri, "colour": colour}
    return manifest, files


def write_entry(entry: Path, manifest: dict, files: dict[str, bytes]) -> None:
    """Write a cache entry to a temporary folder, then rename it into place.

    A build that dies half-way leaves only a temporary folder, never a partial entry under
    the real name; the manifest records each file's size and hash so later damage is seen.
    """
    entry.parent.mkdir(parents=True, exist_ok=True)
    temporary = entry.parent / f".{entry.name}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    for item in manifest.get("files", []):
        blob = files[item["name"]]
        (temporary / item["name"]).write_bytes(blob)
        item["size"] = len(blob)
        item["sha256"] = hashlib.sha256(blob).hexdigest()
    (temporary / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    try:
        os.rename(temporary, entry)
    except OSError:
        # Another build made the same entry first (same content, same settings): keep theirs.
        shutil.rmtree(temporary, ignore_errors=True)
        if not (entry / MANIFEST).exists():
            raise


def process(task: dict) -> dict:
    """Make (or fail to make) the cache entry of one photo. Runs in a worker.

    task: {"src": path, "sha256": expected content hash, "entry": cache folder to create,
    "settings": Settings as a dict}. Returns {"status": "ok"} or {"status": "failed",
    "code", "fields", "cacheable"}; a deterministic failure is cached too, so a bad photo
    is not decoded again on every rebuild.
    """
    entry = Path(task["entry"])
    settings = Settings(**{k: tuple(v) if isinstance(v, list) else v for k, v in task["settings"].items()})
    try:
        data = Path(task["src"]).read_bytes()
    except OSError as exc:
        return _failed(MediaError("MEDIA009", cacheable=False, detail=exc.strerror or str(exc)))
    if hashlib.sha256(data).hexdigest() != task["sha256"]:
        return _failed(MediaError("MEDIA010", cacheable=False))
    try:
        manifest, files = render(data, settings)
    except MediaError as error:
        if error.cacheable:
            write_entry(entry, {"status": "failed", "code": error.code, "fields": error.fields}, {})
        return _failed(error)
    except MemoryError:
        return _failed(MediaError("MEDIA008", cacheable=False, limit=memory_limit_text()))
    write_entry(entry, manifest, files)
    return {"status": "ok"}


def _failed(error: MediaError) -> dict:
    return {"status": "failed", "code": error.code, "fields": {k: str(v) for k, v in error.fields.items()},
            "cacheable": error.cacheable}
