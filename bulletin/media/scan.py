"""Find metadata in image files, and refuse a built site whose images still carry it.

`find_metadata(data)` reads the file structure (JPEG segments, PNG chunks, WebP chunks)
and also searches the bytes for the signatures of EXIF, XMP and IPTC blocks, which catches
them in formats we do not parse (HEIF, AVIF, GIF, TIFF) and after a JPEG's image data
(where the second picture of an MPO keeps its own EXIF).
"""

from __future__ import annotations

import os
import struct
import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from .. import tree
from ..digests import file_sha256
from ..report import Report

REFUSED = ("exif", "gps", "xmp", "iptc")
LABELS = {"exif": "EXIF 信息（拍摄设备、时间等）", "gps": "GPS 定位信息", "xmp": "XMP 元数据",
          "iptc": "IPTC 信息"}

_EXIF = b"Exif\x00\x00"
_XMP = (b"http://ns.adobe.com/xap/1.0/", b"<x:xmpmeta", b"XMP DataXMP")
_IPTC = b"Photoshop 3.0\x00"
_GPS_IFD = 0x8825
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"mif2"}


def find_metadata(data: bytes) -> list[str]:
    """Kinds of metadata in an image file: exif, gps, xmp, iptc, comment, icc, text."""
    found: set[str] = set()
    if data.startswith(b"\xff\xd8"):
        found |= _jpeg(data)
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        found |= _png(data)
    elif data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        found |= _webp(data)
    elif data[:4] in (b"II*\x00", b"MM\x00*"):
        found |= _tiff(data)
    start = data.find(_EXIF)
    while start >= 0:
        found.add("exif")
        if _has_gps(data[start:]):
            found.add("gps")
        start = data.find(_EXIF, start + 1)
    if any(marker in data for marker in _XMP):
        found.add("xmp")
    if _IPTC in data:
        found.add("iptc")
    return sorted(found)


def _exif(payload: bytes) -> set[str]:
    """What an EXIF block holds: "exif", and "gps" when it has a GPS directory."""
    return {"exif", "gps"} if _has_gps(payload) else {"exif"}


def _has_gps(payload: bytes) -> bool:
    exif = Image.Exif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "Corrupt EXIF data": still EXIF
            exif.load(payload)
    except (SyntaxError, ValueError, OSError, struct.error, TypeError, KeyError, IndexError):
        return False
    return _GPS_IFD in exif


def _jpeg(data: bytes) -> set[str]:
    found: set[str] = set()
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            break
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image / start of scan: headers are over
            break
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        body = data[pos + 4:pos + 2 + length]
        if marker == 0xE1 and body.startswith(_EXIF):
            found |= _exif(body)
        elif marker == 0xE1 and body.startswith((b"http://ns.adobe.com/xap/1.0/", b"http://ns.adobe.com/xmp/extension/")):
            found.add("xmp")
        elif marker == 0xED:
            found.add("iptc")
        elif marker == 0xE2 and body.startswith(b"ICC_PROFILE\x00"):
            found.add("icc")
        elif marker == 0xFE:
            found.add("comment")
        pos += 2 + length
    return found


def _chunks(data: bytes, png: bool) -> Iterator[tuple[bytes, bytes]]:
    """(type, body) of each chunk: PNG's (length, type, body, CRC) after its 8-byte
    signature, or RIFF's (type, length, body padded to even) after WebP's 12-byte header."""
    pos = 8 if png else 12
    while pos + 8 <= len(data):
        if png:
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        else:
            kind, length = struct.unpack("<4sI", data[pos:pos + 8])
        yield kind, data[pos + 8:pos + 8 + length]
        pos += 8 + length + (4 if png else length & 1)


def _png(data: bytes) -> set[str]:
    found: set[str] = set()
    for kind, body in _chunks(data, png=True):
        if kind == b"eXIf":
            found |= _exif(body)
        elif kind in (b"tEXt", b"zTXt", b"iTXt"):
            keyword = body.split(b"\x00", 1)[0]
            if keyword == b"XML:com.adobe.xmp":
                found.add("xmp")
            elif keyword.lower().startswith(b"raw profile type exif") or keyword.lower() == b"raw profile type app1":
                found.add("exif")
            elif keyword.lower().startswith(b"raw profile type iptc"):
                found.add("iptc")
            else:
                found.add("text")
        elif kind == b"iCCP":
            found.add("icc")
        elif kind == b"IEND":
            break
    return found


def _webp(data: bytes) -> set[str]:
    found: set[str] = set()
    for kind, body in _chunks(data, png=False):
        if kind == b"EXIF":
            found |= _exif(body)
        elif kind == b"XMP ":
            found.add("xmp")
        elif kind == b"ICCP":
            found.add("icc")
    return found


def _tiff(data: bytes) -> set[str]:
    exif = Image.Exif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            exif.load(data)
    except (SyntaxError, ValueError, OSError, struct.error, TypeError, KeyError, IndexError):
        return set()
    found = set()
    if 0x8769 in exif:
        found.add("exif")
    if _GPS_IFD in exif:
        found |= {"exif", "gps"}
    if 700 in exif:
        found.add("xmp")
    if 33723 in exif:
        found.add("iptc")
    if 34675 in exif:
        found.add("icc")
    return found


def image_kind(head: bytes, name: str) -> str | None:
    """'heif' for HEIC/HEIF, 'image' for other image formats, None for anything else."""
    lower = name.lower()
    if lower.endswith((".heic", ".heif")) or (head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS):
        return "heif"
    if head.startswith((b"\xff\xd8", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*", b"BM", b"\x00\x00\x01\x00")):
        return "image"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "image"
    return None


def scan_published_images(site_dir: Path, originals: list[Path], report: Report | None = None) -> Report:
    """Refuse images in `site_dir` that carry EXIF/GPS/XMP/IPTC, HEIC files, and copies of originals.

    site_dir: the built site. originals: the editors' photos (absolute paths) that must
    never be published byte for byte. Returns the report (a new one unless given), with
    one MEDIA020/021/022 error per offending file; an empty report means the site is clean.
    Only sizes are compared until two files could be equal, so the originals are hashed
    only when a published file has the same size.
    """
    report = report if report is not None else Report()
    site_dir = Path(site_dir)
    by_size: dict[int, list[Path]] = {}
    for original in originals:
        try:
            by_size.setdefault(os.stat(original).st_size, []).append(Path(original))
        except OSError:
            continue
    hashes: dict[Path, str] = {}
    for path, rel in tree.files(site_dir):
        display = f"{site_dir.name}/{rel}"
        try:
            stat = path.lstat()
            if not path.is_file() or path.is_symlink():
                continue
            with open(path, "rb") as handle:
                head = handle.read(16)
        except OSError:
            continue
        kind = image_kind(head, path.name)
        if kind == "heif":
            report.add("MEDIA022", display)
            continue
        same_size = by_size.get(stat.st_size)
        if same_size:
            digest = file_sha256(path)
            for original in same_size:
                if original not in hashes:
                    hashes[original] = file_sha256(original)
                if hashes[original] == digest:
                    report.add("MEDIA021", display, original=_short(original))
                    break
        if kind == "image":
            found = find_metadata(path.read_bytes())
            refused = [LABELS[k] for k in REFUSED if k in found]
            if refused:
                report.add("MEDIA020", display, what="、".join(refused))
    return report


def _short(path: Path) -> str:
    parts = Path(path).parts
    return "/".join(parts[-4:])
