"""Paper sizes: A3 or A4, portrait or landscape, and the type size that goes with each."""

from __future__ import annotations

import math
from dataclasses import dataclass

SIZES_MM = {"A3": (297, 420), "A4": (210, 297)}
CHOICES = ("A3", "A4", "A3-landscape", "A4-landscape")
DPI = 200  # the least resolution a photo is printed at
# `bulletin posters` runs MkDocs in a child process and tells it, in its environment, to make
# the posters whatever mkdocs.yml says ("1"), and on which paper (a label parse_paper reads)
ENV_POSTERS = "BULLETIN_POSTERS"
ENV_PAPER = "BULLETIN_POSTERS_PAPER"
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Paper:
    """One sheet: its ISO name, orientation and size in millimetres.

    `scale` sets every size on the poster relative to A3, so an A4 poster is the A3 design
    shrunk: body text 16 pt on A3 (never below 14 pt when a plan is fitted) is 11.3 pt on A4.
    """

    name: str = "A3"
    landscape: bool = False

    @property
    def width_mm(self) -> float:
        w, h = SIZES_MM[self.name]
        return h if self.landscape else w

    @property
    def height_mm(self) -> float:
        w, h = SIZES_MM[self.name]
        return w if self.landscape else h

    @property
    def scale(self) -> float:
        return SIZES_MM[self.name][0] / SIZES_MM["A3"][0]

    @property
    def css_size(self) -> str:
        return f"{self.name} {'landscape' if self.landscape else 'portrait'}"

    @property
    def label(self) -> str:
        return self.name + ("-landscape" if self.landscape else "")

    def pt(self, a3_points: float) -> float:
        """A type size given for A3, on this paper."""
        return round(a3_points * self.scale, 2)


def parse_paper(value: str) -> Paper:
    """"A3", "a4", "A4-landscape", "A3 横向" → Paper; ValueError naming the choices otherwise."""
    text = str(value or "").strip().replace("_", "-").replace(" ", "-")
    name, _, orientation = text.partition("-")
    name = name.upper()
    orientation = orientation.lower()
    if name not in SIZES_MM or orientation not in ("", "portrait", "landscape", "横向", "竖向", "纵向"):
        raise ValueError(f"纸张「{value}」不认识，可选：{'、'.join(CHOICES)}")
    return Paper(name, orientation in ("landscape", "横向"))


def largest_box(px_w: int, px_h: int, box_w_mm: float, box_h_mm: float, dpi: int = DPI) -> tuple[float, float]:
    """The box (mm) a photo of px_w × px_h is printed in, so that it keeps at least `dpi`.

    The photo fills the box and is cropped to it (CSS object-fit: cover), so both of its
    sides must have `dpi` over the box's. A photo with too few pixels gets a proportionally
    smaller box rather than a blurred print; a large one keeps the box it was given.
    """
    if px_w <= 0 or px_h <= 0:
        return box_w_mm, box_h_mm
    ratio = min(px_w / (box_w_mm / MM_PER_INCH * dpi), px_h / (box_h_mm / MM_PER_INCH * dpi))
    if ratio >= 1:
        return box_w_mm, box_h_mm
    return math.floor(box_w_mm * ratio * 100) / 100, math.floor(box_h_mm * ratio * 100) / 100
