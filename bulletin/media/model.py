"""What the image pipeline is asked to make, and what it hands back.

A `Job` is one original photo plus the `Settings` that say which derivatives to make.
`Derivatives` describe the published files of one job: each `Rendition` is one width in
one format, at a site-relative URL, with its size in pixels so pages can reserve space.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

# Bump when the pixels the pipeline produces change for the same settings: every cache
# entry made by an older pipeline then misses and is remade.
PIPELINE_VERSION = 1

FORMATS = {"webp": ("image/webp", "webp"), "jpeg": ("image/jpeg", "jpg")}


@dataclass(frozen=True)
class Settings:
    """How to make the derivatives of one photo.

    widths: the widths to publish; a photo narrower than one of them is published at its own
        width instead (never upscaled).
    long_side: the widths bound the longer side instead, so a portrait photo is published
        1200×1600 rather than 1600×2133 for 1600 (a lightbox shows it screen-high, not wide).
    formats: "webp" and/or "jpeg"; pages offer WebP first with JPEG as the fallback.
    aspect: crop to this width/height ratio before resizing (e.g. 3/4 for a portrait card);
        None keeps the whole photo.
    focus: (x, y) in 0–1 of the oriented photo; the crop keeps this point as central as the
        photo's edges allow. Only used with `aspect`.
    background: what transparent pixels are flattened onto (JPEG has no alpha, and a
        transparent PNG on a dark page would otherwise show black).
    placeholder: longest side in pixels of the inline placeholder image; 0 for none.
    """

    widths: tuple[int, ...] = (400, 800, 1600)
    long_side: bool = False
    formats: tuple[str, ...] = ("webp", "jpeg")
    webp_quality: int = 80
    jpeg_quality: int = 82
    aspect: float | None = None
    focus: tuple[float, float] = (0.5, 0.5)
    background: str = "#ffffff"
    placeholder: int = 16

    def __post_init__(self) -> None:
        if not self.widths or any(int(w) <= 0 for w in self.widths):
            raise ValueError(f"widths must be positive: {self.widths}")
        unknown = set(self.formats) - set(FORMATS)
        if unknown or not self.formats:
            raise ValueError(f"formats must be among {sorted(FORMATS)}: {self.formats}")
        if self.aspect is not None and not self.aspect > 0:
            raise ValueError(f"aspect must be > 0: {self.aspect}")
        fx, fy = self.focus
        object.__setattr__(self, "focus", (min(max(float(fx), 0.0), 1.0), min(max(float(fy), 0.0), 1.0)))
        object.__setattr__(self, "widths", tuple(sorted({int(w) for w in self.widths})))

    def fingerprint(self) -> str:
        """A stable text of everything that changes the output pixels."""
        return json.dumps({"pipeline": PIPELINE_VERSION, **asdict(self)}, sort_keys=True)


@dataclass(frozen=True)
class Job:
    """One original photo to turn into derivatives.

    src: the original's path. display: how problems name it ("site_src/albums/x/IMG_1.jpg").
    name: base name of the published files; defaults to an ASCII form of the file's stem
        (photos keep phone names such as「微信图片_2024.jpg」, which make poor URLs).
    """

    src: Path
    display: str
    settings: Settings = field(default_factory=Settings)
    name: str = ""

    @property
    def public_name(self) -> str:
        return url_name(self.name or Path(self.src).stem)


def url_name(stem: str) -> str:
    """An ASCII file name for URLs: letters, digits, '-' and '_'; 'photo' if nothing is left."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_").lower()
    return cleaned[:60] or "photo"


def cache_key(source_sha256: str, settings: Settings) -> str:
    """The content hash of the original combined with the settings that made the output."""
    digest = hashlib.sha256()
    digest.update(settings.fingerprint().encode())
    digest.update(b"\0")
    digest.update(source_sha256.encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Rendition:
    """One published file: a width in one format."""

    url: str  # site-relative, POSIX: "media/3fa9c2d1e0ab/img_0012-800.webp"
    width: int
    height: int
    format: str  # "webp" | "jpeg"
    size: int  # bytes
    path: Path  # the file in the cache it is published from

    @property
    def mime(self) -> str:
        return FORMATS[self.format][0]


@dataclass(frozen=True)
class Derivatives:
    """Everything a page needs to show one photo."""

    key: str
    width: int  # of the largest rendition (the photo as oriented and cropped)
    height: int
    renditions: tuple[Rendition, ...]
    placeholder: str  # "data:image/webp;base64,…" (tiny, blurred by the browser) or ""
    colour: str  # "#rrggbb", the photo's average colour

    def of(self, format: str) -> list[Rendition]:
        """Renditions in `format`, narrowest first."""
        return sorted((r for r in self.renditions if r.format == format), key=lambda r: r.width)

    def formats(self) -> list[str]:
        return [f for f in FORMATS if self.of(f)]

    def fallback(self) -> str:
        """The format every browser shows: JPEG if made, else the only one."""
        return "jpeg" if self.of("jpeg") else self.formats()[0]

    def pick(self, format: str, at_least: int) -> Rendition:
        """The narrowest rendition of `format` at least `at_least` px wide (else the widest)."""
        options = self.of(format)
        return next((r for r in options if r.width >= at_least), options[-1])

    def srcset(self, format: str, root: str = "") -> str:
        """"url 400w, url 800w" for `format`, each URL prefixed by `root` (e.g. "../..")."""
        prefix = root.rstrip("/") + "/" if root else ""
        return ", ".join(f"{prefix}{r.url} {r.width}w" for r in self.of(format))
