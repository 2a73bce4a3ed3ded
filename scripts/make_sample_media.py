"""Make the sample site's activity albums: drawn "photos" with real phone EXIF.

    python scripts/make_sample_media.py [--out site_src/albums]

Writes three albums (index.md in Simplified Chinese plus JPEG photos) under
site_src/albums/. The photos are drawn scenes, not noise, at phone-like 1600×1200, and carry
the EXIF a phone writes — make and model, time taken, GPS position and an orientation tag
(several photos are stored sideways or mirrored, as phones do) — so that the build's
promises are exercised by the sample site itself: the published derivatives must be
upright and carry none of it. The output is deterministic, and small enough for git.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1600, 1200)
QUALITY = 68

# Stored pixels = upright photo transformed by the inverse of what the tag asks a viewer to do.
INVERSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    ramp = Image.linear_gradient("L").resize(size)
    return ImageOps.colorize(ramp, top, bottom)


def glow(canvas: Image.Image, centre: tuple[int, int], radius: int, colour: str, strength: float = 1.0) -> Image.Image:
    """Add a soft light (a sun, a spotlight) by screening a radial gradient over the canvas."""
    # radial_gradient is 0 at the centre and 181 at the middle of each edge: fade to 0 there.
    spot = Image.radial_gradient("L").resize((radius * 2, radius * 2))
    spot = spot.point(lambda v: int(255 * strength * max(0.0, 1 - v / 181) ** 1.6))
    layer = Image.new("RGB", canvas.size, "black")
    tint = Image.new("RGB", spot.size, colour)
    layer.paste(tint, (centre[0] - radius, centre[1] - radius), spot)
    return ImageChops.screen(canvas, layer)


def buildings(draw: ImageDraw.ImageDraw, rng: random.Random, base: int, colours: list[str], width: int) -> None:
    x = -20
    while x < width:
        w, h = rng.randint(90, 200), rng.randint(180, 420)
        colour = rng.choice(colours)
        draw.rectangle((x, base - h, x + w, base), fill=colour)
        for wy in range(base - h + 20, base - 30, 34):
            for wx in range(x + 14, x + w - 20, 30):
                if rng.random() < 0.7:
                    draw.rectangle((wx, wy, wx + 14, wy + 18), fill="#f4e7c5" if rng.random() < 0.35 else "#9fb3c8")
        x += w + rng.randint(4, 30)


def tree(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, leaf: str) -> None:
    draw.rectangle((x - 8 * scale, y - 60 * scale, x + 8 * scale, y), fill="#6d4c41")
    for dx, dy, r in ((0, -120, 70), (-50, -85, 55), (50, -85, 55), (0, -170, 50)):
        draw.ellipse((x + (dx - r) * scale, y + (dy - r) * scale, x + (dx + r) * scale, y + (dy + r) * scale), fill=leaf)


def person(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, vest: str, skin: str = "#f1c9a5",
           hair: str = "#2b2b2b", tool: str | None = None) -> None:
    """A simple figure: head, body in a coloured vest, legs; optionally a broom or a flag."""
    s = scale
    draw.rounded_rectangle((x - 34 * s, y - 150 * s, x + 34 * s, y - 40 * s), radius=int(22 * s), fill=vest)
    draw.rectangle((x - 26 * s, y - 45 * s, x - 6 * s, y), fill="#37474f")
    draw.rectangle((x + 6 * s, y - 45 * s, x + 26 * s, y), fill="#37474f")
    draw.ellipse((x - 24 * s, y - 200 * s, x + 24 * s, y - 150 * s), fill=skin)
    draw.pieslice((x - 25 * s, y - 203 * s, x + 25 * s, y - 160 * s), 180, 360, fill=hair)
    if tool == "broom":
        draw.line((x + 30 * s, y - 120 * s, x + 80 * s, y - 5 * s), fill="#8d6e63", width=max(2, int(6 * s)))
        draw.polygon([(x + 62 * s, y), (x + 100 * s, y), (x + 84 * s, y - 28 * s)], fill="#d7b46a")
    elif tool == "flag":
        draw.line((x + 30 * s, y - 100 * s, x + 30 * s, y - 260 * s), fill="#5d4037", width=max(2, int(5 * s)))
        draw.polygon([(x + 30 * s, y - 260 * s), (x + 110 * s, y - 240 * s), (x + 30 * s, y - 215 * s)], fill="#d32f2f")


def lantern(draw: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    draw.line((x, y - r - 40, x, y - r), fill="#5d4037", width=3)
    draw.ellipse((x - r, y - r, x + r, y + r), fill="#e53935")
    draw.rectangle((x - r // 3, y - r - 6, x + r // 3, y - r + 4), fill="#ffca28")
    draw.rectangle((x - r // 3, y + r - 4, x + r // 3, y + r + 6), fill="#ffca28")
    for i in range(3):
        draw.line((x - 6 + i * 6, y + r + 6, x - 6 + i * 6, y + r + 36), fill="#ffca28", width=2)


def banner(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
    draw.rectangle(box, fill="#c62828")
    x0, y0, x1, y1 = box
    for i in range(x0 + 40, x1 - 40, 70):
        draw.rectangle((i, y0 + 18, i + 44, y1 - 18), fill="#ffd54f")  # characters, abstracted


# Scenes: each takes a random source and the upright size and returns an RGB image.


def volunteer_square(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    w, h = size
    image = gradient(size, "#7fb3e6", "#e8f1f8")
    image = glow(image, (int(w * 0.78), int(h * 0.18)), int(h * 0.3), "#fff3c4", 0.9)
    draw = ImageDraw.Draw(image)
    horizon = int(h * 0.55)
    buildings(draw, rng, horizon, ["#b0bec5", "#cfd8dc", "#a7b6c2"], w)
    draw.rectangle((0, horizon, w, h), fill="#d7ccc8")
    for i in range(0, w, 120):
        draw.line((i, horizon, i - 300, h), fill="#c8bbb5", width=3)
    banner(draw, (int(w * 0.18), int(h * 0.30), int(w * 0.62), int(h * 0.38)))
    draw.rectangle((int(w * 0.52), int(h * 0.60), int(w * 0.86), int(h * 0.70)), fill="#eeeeee")  # service table
    draw.rectangle((int(w * 0.52), int(h * 0.60), int(w * 0.86), int(h * 0.62)), fill="#c62828")
    for i in range(7):
        x = int(w * (0.1 + i * 0.13 + rng.uniform(-0.03, 0.03)))
        vest = "#d32f2f" if i % 2 == 0 else rng.choice(["#1e88e5", "#43a047", "#fb8c00", "#8e24aa"])
        hair = "#bdbdbd" if i % 3 == 1 else "#2b2b2b"
        person(draw, x, int(h * rng.uniform(0.86, 0.95)), rng.uniform(1.4, 1.8), vest, hair=hair,
               tool="flag" if i == 2 else None)
    return image.filter(ImageFilter.GaussianBlur(1.2))


def cleanup_park(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    w, h = size
    image = gradient(size, "#9ed0f0", "#f1f8e9")
    draw = ImageDraw.Draw(image)
    horizon = int(h * 0.45)
    draw.rectangle((0, horizon, w, h), fill="#8bc34a")
    draw.polygon([(int(w * 0.42), h), (int(w * 0.5), horizon), (int(w * 0.56), horizon), (int(w * 0.75), h)], fill="#d7ccc8")
    for i in range(9):
        x = int(w * (i / 8) + rng.randint(-40, 40))
        tree(draw, x, horizon + rng.randint(10, 60), rng.uniform(0.8, 1.3), rng.choice(["#388e3c", "#2e7d32", "#558b2f"]))
    for i in range(5):
        x = int(w * (0.15 + i * 0.18 + rng.uniform(-0.04, 0.04)))
        person(draw, x, int(h * rng.uniform(0.82, 0.97)), rng.uniform(1.5, 1.9), "#d32f2f", tool="broom")
    for x in (int(w * 0.08), int(w * 0.9)):  # sorting bins
        for j, colour in enumerate(("#1e88e5", "#43a047", "#e53935", "#757575")):
            draw.rounded_rectangle((x + j * 46 - 90, int(h * 0.70), x + j * 46 - 52, int(h * 0.80)), radius=6, fill=colour)
    return image.filter(ImageFilter.GaussianBlur(1.0))


def evening_gala(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    w, h = size
    image = gradient(size, "#0d1033", "#3a1c4a")
    for i in range(4):
        image = glow(image, (int(w * (0.2 + i * 0.2)), int(h * 0.25)), int(h * 0.35),
                     rng.choice(["#ffb74d", "#4fc3f7", "#f06292", "#fff176"]), 0.55)
    draw = ImageDraw.Draw(image)
    stage_top, stage_bottom = int(h * 0.62), int(h * 0.70)
    draw.rectangle((0, 0, int(w * 0.1), stage_top), fill="#8e0000")
    draw.rectangle((int(w * 0.9), 0, w, stage_top), fill="#8e0000")
    draw.rectangle((0, stage_top, w, stage_bottom), fill="#4e342e")
    banner(draw, (int(w * 0.25), int(h * 0.08), int(w * 0.75), int(h * 0.16)))
    for i in range(4):
        x = int(w * (0.3 + i * 0.13))
        person(draw, x, stage_top, 1.3, rng.choice(["#ec407a", "#ffca28", "#ab47bc", "#26c6da"]))
    for x in range(int(w * 0.05), w, int(w * 0.15)):
        lantern(draw, x, int(h * 0.08) + rng.randint(0, 30), 34)
    for i in range(26):  # the audience, from behind
        x, y = rng.randint(0, w), rng.randint(int(h * 0.80), int(h * 1.02))
        r = rng.randint(32, 48)
        draw.ellipse((x - r, y - r, x + r, y + r), fill="#1a1a24")
        draw.rounded_rectangle((x - r * 1.6, y + r * 0.6, x + r * 1.6, y + r * 4), radius=r, fill="#15151c")
    return image.filter(ImageFilter.GaussianBlur(1.4))


@dataclass(frozen=True)
class Shot:
    name: str
    scene: object
    seed: int
    orientation: int  # EXIF orientation tag written into the file
    portrait: bool  # upright photo is taller than wide
    taken: str  # "2026:03:05 09:12:30"
    gps: tuple[tuple[float, float, float], tuple[float, float, float]]


@dataclass(frozen=True)
class AlbumSpec:
    slug: str
    index: str
    shots: tuple[Shot, ...]


BEIJING = ((39.0, 54.0, 27.6), (116.0, 23.0, 50.4))  # a plausible position: exactly what must not leak
SHANGHAI = ((31.0, 13.0, 43.2), (121.0, 28.0, 26.4))


ALBUMS = (
    AlbumSpec(
        "xueleifeng-2026",
        """---
title: 学雷锋志愿服务活动
date: 2026-03-05
location: 幸福社区文化广场
cover: IMG_20260305_091230.jpg
summary: 社区志愿者在文化广场为居民义诊、理发、磨剪刀，传承雷锋精神。
tags: [志愿服务, 学雷锋]
order: [IMG_20260305_091230.jpg, IMG_20260305_093015.jpg]
captions:
  IMG_20260305_091230.jpg: 志愿服务队在文化广场集合，举起学雷锋旗帜
  IMG_20260305_093015.jpg: 党员志愿者为社区老人测量血压
  IMG_20260305_095542.jpg: 便民服务台前排起了长队
  IMG_20260305_101108.jpg: 活动结束后志愿者合影留念
---

3 月 5 日上午，幸福社区组织党员、青年志愿者和辖区单位在文化广场开展“学雷锋志愿服务”活动。
志愿者们为居民提供义诊、理发、家电维修、法律咨询等便民服务，共服务居民 300 余人次。

雷锋精神不只在三月，社区志愿服务队每月第一个周六都会在这里为大家服务。
""",
        (
            Shot("IMG_20260305_091230.jpg", volunteer_square, 11, 1, False, "2026:03:05 09:12:30", BEIJING),
            Shot("IMG_20260305_093015.jpg", volunteer_square, 12, 6, True, "2026:03:05 09:30:15", BEIJING),
            Shot("IMG_20260305_095542.jpg", volunteer_square, 13, 3, False, "2026:03:05 09:55:42", BEIJING),
            Shot("IMG_20260305_101108.jpg", volunteer_square, 14, 8, True, "2026:03:05 10:11:08", BEIJING),
        ),
    ),
    AlbumSpec(
        "weekend-cleanup",
        """---
title: 周末环境卫生日
date: 2026-04-18
location: 幸福社区滨河公园
summary: 居民和志愿者一起清理公园落叶和垃圾，宣传垃圾分类。
tags: [环境卫生, 垃圾分类]
captions:
  DSC_0101.jpg: 志愿者清扫公园主路上的落叶
  DSC_0102.jpg: 垃圾分类宣传点：可回收物、厨余垃圾、有害垃圾、其他垃圾
  DSC_0107.jpg: 小朋友也拿起了扫帚
---

4 月 18 日是社区的周末环境卫生日。50 多位居民和志愿者分成四个小组，清理了滨河公园的落叶、
白色垃圾和卫生死角，并在公园入口设立垃圾分类宣传点，现场讲解分类知识。
""",
        (
            Shot("DSC_0101.jpg", cleanup_park, 21, 1, False, "2026:04:18 08:40:02", SHANGHAI),
            Shot("DSC_0102.jpg", cleanup_park, 22, 2, False, "2026:04:18 08:55:37", SHANGHAI),
            Shot("DSC_0107.jpg", cleanup_park, 23, 5, True, "2026:04:18 09:21:50", SHANGHAI),
            Shot("DSC_0110.jpg", cleanup_park, 24, 1, False, "2026:04:18 09:48:13", SHANGHAI),
        ),
    ),
    AlbumSpec(
        "square-gala",
        """---
title: 广场文艺晚会
date: 2026-05-01
location: 幸福社区文化广场
cover: P5010033.jpg
summary: 居民自编自演的歌舞、戏曲和诗朗诵，欢度劳动节。
tags: [文化活动]
captions:
  P5010021.jpg: 开场舞《红红火火》
  P5010033.jpg: 舞台上的灯光和红灯笼
  P5010047.jpg: 社区合唱团演唱《歌唱祖国》
---

五一劳动节晚上，社区在文化广场举办文艺晚会。节目全部由居民自编自演，有广场舞、京剧选段、
诗朗诵和合唱，吸引了 600 多位居民观看。
""",
        (
            Shot("P5010021.jpg", evening_gala, 31, 1, False, "2026:05:01 19:32:10", BEIJING),
            Shot("P5010033.jpg", evening_gala, 32, 7, True, "2026:05:01 19:47:55", BEIJING),
            Shot("P5010047.jpg", evening_gala, 33, 4, False, "2026:05:01 20:15:31", BEIJING),
        ),
    ),
)


def exif_for(shot: Shot) -> Image.Exif:
    """The EXIF a phone writes: make, model, time, orientation and a GPS fix."""
    exif = Image.Exif()
    exif[0x010F] = "Xiaomi"  # Make
    exif[0x0110] = "Redmi Note 12"  # Model
    exif[0x0131] = "sample-camera 1.0"  # Software
    exif[0x0132] = shot.taken  # DateTime
    exif[0x0112] = shot.orientation
    details = exif.get_ifd(0x8769)
    details[0x9003] = shot.taken  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    (lat, lon) = shot.gps
    gps[1], gps[2] = "N", lat
    gps[3], gps[4] = "E", lon
    return exif


def make_shot(shot: Shot) -> bytes:
    size = (SIZE[1], SIZE[0]) if shot.portrait else SIZE
    upright = shot.scene(random.Random(shot.seed), size)
    stored = upright.transpose(INVERSE[shot.orientation]) if shot.orientation != 1 else upright
    from io import BytesIO

    buffer = BytesIO()
    stored.save(buffer, "JPEG", quality=QUALITY, exif=exif_for(shot).tobytes(), subsampling="4:2:0")
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site_src" / "albums")
    args = parser.parse_args(argv)
    total = 0
    for album in ALBUMS:
        folder = args.out / album.slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text(album.index, encoding="utf-8")
        for shot in album.shots:
            data = make_shot(shot)
            (folder / shot.name).write_bytes(data)
            total += len(data)
        print(f"{folder}: {len(album.shots)} 张照片")
    print(f"共 {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
