"""Images made in code for the media and album tests, and decoders that misbehave.

The misbehaving `faulty` process function is sent to pipeline workers by name, so it must
live in an importable module (this one), not inside a test.
"""

from __future__ import annotations

import io
import os
import signal
import time
from pathlib import Path

from PIL import Image, ImageDraw

from bulletin.media.process import process as real_process

# What each EXIF orientation asks a viewer to do, inverted: stored = upright.transpose(INVERSE[o]).
INVERSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
QUADRANTS = {"top-left": (220, 30, 30), "top-right": (30, 200, 30), "bottom-left": (30, 60, 220),
             "bottom-right": (240, 220, 40)}
GPS = {1: "N", 2: (39.0, 54.0, 27.6), 3: "E", 4: (116.0, 23.0, 50.4)}


def quadrants(width: int = 320, height: int = 240) -> Image.Image:
    """An upright reference: four colours, one per quadrant, so any flip or turn shows."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    half_w, half_h = width // 2, height // 2
    draw.rectangle((0, 0, half_w - 1, half_h - 1), fill=QUADRANTS["top-left"])
    draw.rectangle((half_w, 0, width - 1, half_h - 1), fill=QUADRANTS["top-right"])
    draw.rectangle((0, half_h, half_w - 1, height - 1), fill=QUADRANTS["bottom-left"])
    draw.rectangle((half_w, half_h, width - 1, height - 1), fill=QUADRANTS["bottom-right"])
    return image


def quadrant_colours(image: Image.Image) -> dict[str, tuple[int, int, int]]:
    """The colour at the centre of each quadrant of `image`."""
    w, h = image.size
    points = {"top-left": (w // 4, h // 4), "top-right": (3 * w // 4, h // 4),
              "bottom-left": (w // 4, 3 * h // 4), "bottom-right": (3 * w // 4, 3 * h // 4)}
    rgb = image.convert("RGB")
    return {name: rgb.getpixel(point) for name, point in points.items()}


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def phone_exif(orientation: int = 1, gps: bool = True) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15"
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9003] = "2026:03:05 09:12:30"
    if gps:
        exif.get_ifd(0x8825).update(GPS)
    return exif


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="39,54.46N"/>'
       b"</rdf:RDF></x:xmpmeta>")


def phone_jpeg(path: Path, orientation: int = 1, size: tuple[int, int] = (320, 240), gps: bool = True,
               image: Image.Image | None = None, **save) -> Path:
    """A JPEG as a phone writes it: the pixels stored sideways for `orientation`, EXIF with GPS."""
    upright = image or quadrants(*size)
    stored = upright.transpose(INVERSE[orientation]) if orientation != 1 else upright
    stored.save(path, "JPEG", quality=92, exif=phone_exif(orientation, gps).tobytes(), **save)
    return path


def png_bytes(image: Image.Image, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **save)
    return buffer.getvalue()


def faulty(task: dict) -> dict:
    """A decoder that hangs, crashes or asks for 8 GiB on files named so; otherwise the real one."""
    name = Path(task["src"]).name
    if name.startswith("hang"):
        time.sleep(3600)
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("hog"):
        blob = bytearray(8 * 2**30)
        return {"status": "failed", "code": "MEDIA007", "fields": {"detail": f"allocated {len(blob)}"}}
    return real_process(task)
