"""Draw the placeholder portraits of the sample honor roll (site_src/people/*.jpg).

The sample profiles are fictional, so their portraits are drawn, not photographed: a
flat head-and-shoulders figure in colours picked from the file name. Each JPEG carries
the EXIF a phone would write (camera, time, GPS) so the site build can be seen stripping
it, and some are stored sideways with an EXIF orientation, or off-centre in a landscape
frame, so rotation and the focal-point crop are exercised too.

    .venv/bin/python scripts/make_sample_people.py [--out site_src/people]
"""

from __future__ import annotations

import argparse
import hashlib
import random
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]

# slug -> (size, figure centre as a fraction of the width, EXIF orientation)
PORTRAITS: dict[str, tuple[tuple[int, int], float, int]] = {
    "2026-11-yu-xiulan": ((480, 640), 0.5, 1),
    "2026-11-yu-jianguo": ((480, 640), 0.5, 1),
    "2026-11-hou-xiaohong": ((480, 640), 0.5, 6),
    "2026-11-gan-zhiqiang": ((800, 600), 0.3, 1),
    "2026-11-fan-lihua": ((480, 640), 0.5, 8),
    "2026-11-wang-guizhi": ((480, 640), 0.5, 1),
    "2026-10-li-minghui": ((480, 640), 0.5, 3),
    "2026-10-zhang-xiuyun": ((480, 640), 0.5, 1),
    "2026-10-chen-yuqing": ((800, 600), 0.72, 1),
    "2026-10-zhou-xiaomei": ((480, 640), 0.5, 1),
}
# slug -> (woman or man, elder or adult): the figure should look like the person in the profile
LOOKS: dict[str, tuple[str, str]] = {
    "2026-11-yu-xiulan": ("woman", "elder"),  # retired, 银发互助队
    "2026-11-yu-jianguo": ("man", "adult"),
    "2026-11-hou-xiaohong": ("woman", "adult"),  # a nurse
    "2026-11-gan-zhiqiang": ("man", "adult"),
    "2026-11-fan-lihua": ("woman", "adult"),
    "2026-11-wang-guizhi": ("woman", "elder"),
    "2026-10-li-minghui": ("man", "adult"),
    "2026-10-zhang-xiuyun": ("woman", "adult"),
    "2026-10-chen-yuqing": ("man", "elder"),  # twenty years behind the counter
    "2026-10-zhou-xiaomei": ("woman", "adult"),
}

SKIN = ["#f1c7a5", "#e0ac89", "#c68863", "#f5d0b5"]
HAIR = ["#2b2b2b", "#4a3728", "#1f1a17", "#3b2f2a"]
GREY = ["#bdbdbd", "#9e9e9e", "#d6d6d6"]
CLOTHES = ["#c62828", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457"]
BACKGROUNDS = ["#fde9e7", "#e3f2fd", "#e8f5e9", "#fff3e0", "#f3e5f5", "#e0f7fa", "#fffde7"]

# What the drawing on the other side of an EXIF orientation must be so that a viewer that
# honours the tag shows the figure upright.
STORE = {1: None, 3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


def draw_figure(size: tuple[int, int], centre: float, seed: str,
                look: tuple[str, str] = ("man", "adult")) -> Image.Image:
    """An upright head-and-shoulders figure on a soft background with a few dots: long hair
    for a woman, a bun for an older one, short hair for a man, grey for the elders."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    width, height = size
    image = Image.new("RGB", size, rng.choice(BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(6, 28)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(BACKGROUNDS[:4] + ["#ffffff"]))
    unit = min(width, height) / 640
    u = lambda v: int(v * unit)  # noqa: E731 - lengths are drawn for a 640 px frame
    cx = int(width * centre)
    head_r, head_y = u(88), int(height * 0.42)
    body_top = head_y + u(112)
    clothes, skin, hair = rng.choice(CLOTHES), rng.choice(SKIN), rng.choice(HAIR)
    woman, elder = look[0] == "woman", look[1] == "elder"
    if elder:
        hair = rng.choice(GREY)
    if woman and elder:  # a bun on top
        draw.ellipse((cx - u(40), head_y - head_r - u(60), cx + u(40), head_y - head_r + u(16)), fill=hair)
    if woman and not elder:  # long hair behind the head and shoulders
        draw.rounded_rectangle((cx - head_r - u(14), head_y - head_r - u(12), cx + head_r + u(14), head_y + u(120)),
                               radius=u(70), fill=hair)
    draw.rounded_rectangle((cx - u(200), body_top, cx + u(200), height + u(200)), radius=u(150), fill=clothes)
    draw.polygon([(cx - u(46), body_top), (cx + u(46), body_top), (cx, body_top + u(70))], fill=skin)
    draw.rectangle((cx - u(30), head_y + u(50), cx + u(30), body_top + u(4)), fill=skin)
    draw.ellipse((cx - head_r, head_y - head_r, cx + head_r, head_y + head_r), fill=skin)
    draw.chord((cx - head_r - u(8), head_y - head_r - u(16), cx + head_r + u(8), head_y + u(30)), 180, 360, fill=hair)
    eye_y, eye_dx, eye_r = head_y + u(12), u(32), max(u(7), 2)
    for dx in (-eye_dx, eye_dx):
        draw.ellipse((cx + dx - eye_r, eye_y - eye_r, cx + dx + eye_r, eye_y + eye_r), fill="#3e2723")
    for dx in (-u(52), u(52)):
        draw.ellipse((cx + dx - u(12), head_y + u(32), cx + dx + u(12), head_y + u(46)), fill="#f4a6a0")
    draw.arc((cx - u(28), head_y + u(22), cx + u(28), head_y + u(58)), 20, 160, fill="#8d4a3a", width=max(u(5), 2))
    return image


def exif_for(seed: str, orientation: int) -> Image.Exif:
    """Camera, time, GPS and orientation, as a phone would write them."""
    exif = Image.Exif()
    exif[0x010F] = "SampleCam"  # Make
    exif[0x0110] = "Illustration 1"  # Model
    exif[0x0131] = "make_sample_people.py"  # Software
    exif[0x0132] = "2026:10:18 09:30:00"  # DateTime
    exif[0x0112] = orientation
    rng = random.Random(seed)
    exif[0x8825] = {  # GPSInfo: a made-up point, there to be stripped
        1: "N", 2: (30.0, float(rng.randrange(60)), 0.0),
        3: "E", 4: (120.0, float(rng.randrange(60)), 0.0),
    }
    return exif


def make(out: Path) -> list[Path]:
    """Write every sample portrait into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for slug, (size, centre, orientation) in PORTRAITS.items():
        image = draw_figure(size, centre, slug, LOOKS.get(slug, ("man", "adult")))
        if STORE[orientation] is not None:
            image = image.transpose(STORE[orientation])
        path = out / f"{slug}.jpg"
        image.save(path, "JPEG", quality=78, optimize=True, exif=exif_for(slug, orientation))
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site_src" / "people")
    args = parser.parse_args()
    for path in make(args.out):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
