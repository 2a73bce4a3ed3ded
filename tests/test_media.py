"""The image pipeline: clean, upright derivatives; bad photos skipped with the right problem."""

from __future__ import annotations

import base64
import io
import shutil
import struct
import time
import zlib
from pathlib import Path

import pytest

from conftest import SHARED
from PIL import Image, ImageCms, ImageFile, PngImagePlugin

import helpers_media as h
from bulletin import media
from bulletin.media import Job, Settings, find_metadata, scan_published_images
from bulletin.media.process import _draft, crop_box
from bulletin.report import Report, Severity

PILLOW_IMAGES = SHARED / "testdata" / "pillow-images"

# Files of Pillow's test suite that must be refused, and why. Every other file must publish.
SKIPPED = {
    "LICENSE-Pillow.txt": "MEDIA002",  # text, not an image
    "SOURCE-COMMIT.txt": "MEDIA002",
    "broken_data_stream.png": "MEDIA003",  # corrupt pixel data
    "truncated_image.png": "MEDIA003",  # would be published half grey with LOAD_TRUNCATED_IMAGES
    "truncated_end_chunk.png": "MEDIA003",
    "truncated_jpeg.jpg": "MEDIA003",
    "decompression_bomb.gif": "MEDIA004",  # 4.3 gigapixels declared
}
UPRIGHT_HOPPERS = [f"hopper_orientation_{n}.jpg" for n in range(2, 9)]
PER_PHOTO_SECONDS = 20


def one(tmp_path: Path, src: Path, settings: Settings = Settings(), workers: int = 0, **options):
    """Build one photo; (derivatives or None, report, MediaBuild)."""
    report = Report()
    job = Job(src, f"site_src/albums/t/{src.name}", settings)
    made = media.build([job], tmp_path / "cache", report, out_dir=tmp_path / "site", workers=workers,
                       progress=None, **options)
    return made.results.get(job), report, made


def largest(derivatives, format: str = "jpeg") -> Image.Image:
    image = Image.open(derivatives.of(format)[-1].path)
    image.load()
    return image


# Pillow's own test images ------------------------------------------------------------


@pytest.fixture(scope="module")
def pillow_build(tmp_path_factory):
    """All of Pillow's test images through one real build: worker processes, limits on."""
    tmp = tmp_path_factory.mktemp("pillow")
    jobs = {p.name: Job(p, f"site_src/albums/pillow/{p.name}") for p in sorted(PILLOW_IMAGES.iterdir())}
    report = Report()
    started = time.monotonic()
    made = media.build(jobs.values(), tmp / "cache", report, out_dir=tmp / "site", workers=2,
                       timeout=PER_PHOTO_SECONDS, progress=None)
    return jobs, made, report, time.monotonic() - started, tmp / "site"


def test_pillow_images_are_all_present():
    names = {p.name for p in PILLOW_IMAGES.iterdir()}
    assert len(names) >= 30 and set(SKIPPED) <= names and set(UPRIGHT_HOPPERS) <= names


@pytest.mark.parametrize("name", sorted(p.name for p in PILLOW_IMAGES.iterdir()))
def test_pillow_image_published_clean_or_skipped_with_reason(pillow_build, name):
    jobs, made, report, _, site = pillow_build
    job = jobs[name]
    problems = [p for p in report.problems if p.path == job.display]
    if name in SKIPPED:
        assert job not in made.results
        assert [p.code for p in problems] == [SKIPPED[name]]
        assert problems[0].severity is Severity.WARNING  # a bad photo never stops the site
        return
    assert problems == [], [str(p) for p in problems]
    derivatives = made.results[job]
    assert {r.format for r in derivatives.renditions} == {"webp", "jpeg"}
    for rendition in derivatives.renditions:
        published = site / rendition.url
        data = published.read_bytes()
        assert find_metadata(data) == [], (rendition.url, find_metadata(data))
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            assert image.mode == "RGB"
            assert image.size == (rendition.width, rendition.height)


def test_pillow_images_each_within_time_bound(pillow_build):
    _, made, report, seconds, _ = pillow_build
    assert "MEDIA006" not in {p.code for p in report.problems}
    assert seconds < PER_PHOTO_SECONDS * 2, seconds  # 38 small files: a hang would show here


@pytest.mark.parametrize("name", UPRIGHT_HOPPERS)
def test_pillow_orientation_files_come_out_upright(pillow_build, name):
    jobs, made, _, _, _ = pillow_build
    reference = largest(made.results[jobs["hopper.jpg"]]).convert("L")
    turned = largest(made.results[jobs[name]]).convert("L")
    assert turned.size == reference.size
    difference = sum(abs(a - b) for a, b in zip(reference.tobytes(), turned.tobytes())) / (128 * 128)
    assert difference < 12, difference  # a flipped or turned Hopper differs by ~60


def test_pillow_bomb_message_names_pixels_and_limit(pillow_build):
    jobs, _, report, _, _ = pillow_build
    (problem,) = [p for p in report.problems if p.path == jobs["decompression_bomb.gif"].display]
    assert "4,364,696,535" in problem.message and f"{Image.MAX_IMAGE_PIXELS:,}" in problem.message


# Orientation and metadata -----------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(tmp_path, orientation):
    src = h.phone_jpeg(tmp_path / f"o{orientation}.jpg", orientation)
    derivatives, report, _ = one(tmp_path, src)
    assert report.problems == []
    for format in ("jpeg", "webp"):
        image = largest(derivatives, format)
        assert image.size == (320, 240)  # landscape again, even when stored portrait
        colours = h.quadrant_colours(image)
        for quadrant, expected in h.QUADRANTS.items():
            assert h.close(colours[quadrant], expected), (orientation, format, quadrant, colours[quadrant])


def test_orientation_applied_once_even_when_pixels_already_upright(tmp_path):
    # A photo whose tag says "normal" must not be turned by any other rule.
    src = h.phone_jpeg(tmp_path / "normal.jpg", 1, size=(240, 320))
    derivatives, _, _ = one(tmp_path, src)
    assert largest(derivatives).size == (240, 320)


def test_gps_exif_xmp_comment_in_none_out(tmp_path):
    src = tmp_path / "IMG_0001.jpg"
    h.quadrants().save(src, "JPEG", exif=h.phone_exif(6).tobytes(), comment=b"Shot on iPhone 15",
                       xmp=h.XMP, icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    assert {"exif", "gps", "xmp", "comment", "icc"} <= set(find_metadata(src.read_bytes()))
    derivatives, _, _ = one(tmp_path, src)
    assert len(derivatives.renditions) == 2
    for rendition in derivatives.renditions:
        data = (tmp_path / "site" / rendition.url).read_bytes()
        assert find_metadata(data) == []
        assert b"iPhone" not in data and b"Apple" not in data
    assert "base64," in derivatives.placeholder
    assert find_metadata(base64.b64decode(derivatives.placeholder.split(",", 1)[1])) == []


def test_png_with_exif_chunk_and_text_is_cleaned(tmp_path):
    src = tmp_path / "screenshot.png"
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "家庭住址：幸福路 1 号")
    h.quadrants().transpose(h.INVERSE[3]).save(src, "PNG", exif=h.phone_exif(3).tobytes(), pnginfo=text)
    assert {"exif", "gps", "text"} <= set(find_metadata(src.read_bytes()))
    derivatives, _, _ = one(tmp_path, src)
    image = largest(derivatives)
    assert h.close(h.quadrant_colours(image)["top-left"], h.QUADRANTS["top-left"])  # orientation 3 undone
    for rendition in derivatives.renditions:
        assert find_metadata((tmp_path / "site" / rendition.url).read_bytes()) == []


# Colour, depth, alpha, frames, formats --------------------------------------------------


def test_cmyk_jpeg_becomes_srgb(tmp_path):
    src = tmp_path / "print.jpg"
    Image.new("CMYK", (64, 64), (255, 0, 0, 0)).save(src, "JPEG", quality=95)  # pure cyan ink
    derivatives, _, _ = one(tmp_path, src)
    red, green, blue = largest(derivatives).getpixel((32, 32))
    assert red < 80 and green > 150 and blue > 150


def test_icc_profile_converted_not_dropped(tmp_path):
    # Pillow's xmp_tags_orientation.png carries a ColorMatch RGB profile (gamma 1.8, wider
    # than sRGB): the same numbers are a different colour there than in sRGB.
    with Image.open(PILLOW_IMAGES / "xmp_tags_orientation.png") as donor:
        profile = donor.info["icc_profile"]
    assert "ColorMatch" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    src = tmp_path / "wide.png"
    Image.new("RGB", (64, 64), (40, 160, 90)).save(src, "PNG", icc_profile=profile)
    expected = ImageCms.profileToProfile(Image.new("RGB", (1, 1), (40, 160, 90)),
                                         ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                                         ImageCms.createProfile("sRGB")).getpixel((0, 0))
    assert not h.close(expected, (40, 160, 90), 10)  # the conversion matters for this colour
    derivatives, _, _ = one(tmp_path, src)
    assert h.close(largest(derivatives, "jpeg").getpixel((32, 32)), expected, 6)


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path):
    src = tmp_path / "scan.png"
    ramp = Image.linear_gradient("L").resize((256, 64)).transpose(Image.Transpose.ROTATE_90)
    wide = ramp.point(lambda v: v * 257, "I").convert("I;16")  # 0 … 65535
    wide.save(src, "PNG")
    with Image.open(src) as check:
        assert check.mode.startswith("I;16")
    derivatives, _, _ = one(tmp_path, src)
    image = largest(derivatives).convert("L")
    low, high = image.getextrema()
    histogram = image.histogram()
    assert low < 10 and high > 245
    assert histogram[255] < image.width * image.height * 0.1  # clipping would make almost all white


def test_transparency_flattened_onto_white(tmp_path):
    src = tmp_path / "logo.png"
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (25, 25, 75, 75))
    image.save(src, "PNG")
    derivatives, _, _ = one(tmp_path, src)
    flat = largest(derivatives)
    assert flat.mode == "RGB"
    assert h.close(flat.getpixel((5, 5)), (255, 255, 255), 8)  # not black
    assert h.close(flat.getpixel((50, 50)), (200, 0, 0), 20)


def test_palette_transparency_flattened(tmp_path):
    src = tmp_path / "icon.gif"
    image = Image.new("P", (40, 40), 1)
    image.putpalette([0, 0, 0, 0, 128, 255] + [0] * 762)
    image.paste(0, (0, 0, 20, 40))
    image.save(src, "GIF", transparency=0)
    derivatives, _, _ = one(tmp_path, src)
    flat = largest(derivatives)
    assert h.close(flat.getpixel((5, 20)), (255, 255, 255), 8)
    assert h.close(flat.getpixel((35, 20)), (0, 128, 255), 20)


def test_animated_gif_shows_first_frame(tmp_path):
    src = tmp_path / "fireworks.gif"
    frames = [Image.new("RGB", (60, 40), colour) for colour in ((220, 0, 0), (0, 0, 220), (0, 220, 0))]
    frames[0].save(src, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    derivatives, _, _ = one(tmp_path, src)
    assert h.close(largest(derivatives).getpixel((30, 20)), (220, 0, 0), 30)


def test_heic_from_an_iphone_is_decoded_upright_and_clean(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    if not pillow_heif.libheif_info().get("encoders", {}).get("x265"):
        pytest.fail("pillow-heif was built without a HEVC encoder; cannot make a HEIC test photo")
    src = tmp_path / "IMG_4001.HEIC"
    stored = h.quadrants().transpose(h.INVERSE[6])
    heif = pillow_heif.from_pillow(stored)
    heif.save(src, quality=90, exif=h.phone_exif(6).tobytes())
    assert "gps" in find_metadata(src.read_bytes())
    derivatives, report, _ = one(tmp_path, src)
    assert report.problems == []
    image = largest(derivatives)
    assert image.size == (320, 240)
    for quadrant, expected in h.QUADRANTS.items():
        assert h.close(h.quadrant_colours(image)[quadrant], expected, 50), quadrant
    for rendition in derivatives.renditions:
        assert find_metadata((tmp_path / "site" / rendition.url).read_bytes()) == []
        assert not rendition.url.lower().endswith((".heic", ".heif"))


def test_large_jpeg_decoded_in_draft_mode(tmp_path):
    src = tmp_path / "big.jpg"
    Image.new("RGB", (4000, 3000), (90, 120, 150)).save(src, "JPEG", quality=80)
    with Image.open(src) as image:
        _draft(image, 1, Settings(widths=(400, 800)))
        assert image.size == (1000, 750)  # libjpeg decodes at 1/4: still wider than 800
    with Image.open(src) as image:
        _draft(image, 6, Settings(widths=(1400,), aspect=1.0))
        assert image.size == (2000, 1500)  # the 3000-px square crop, halved, still covers 1400
    with Image.open(src) as image:
        _draft(image, 6, Settings(widths=(1600,), aspect=1.0))
        assert image.size == (4000, 3000)  # halved it would be 1500 < 1600: full size
    derivatives, _, _ = one(tmp_path, src, Settings(widths=(400, 800)))
    assert [r.width for r in derivatives.of("jpeg")] == [400, 800]


def test_long_side_bounds_portrait_photos_by_height(tmp_path):
    src = h.phone_jpeg(tmp_path / "tall.jpg", 6, size=(4000, 3000))  # stored landscape, shown landscape
    tall = tmp_path / "portrait.jpg"
    h.phone_jpeg(tall, 6, image=h.quadrants(4000, 3000).rotate(90, expand=True))  # shown 3000×4000
    settings = Settings(widths=(400, 1600), long_side=True)
    wide, _, _ = one(tmp_path / "a", src, settings)
    high, _, _ = one(tmp_path / "b", tall, settings)
    assert [(r.width, r.height) for r in wide.of("jpeg")] == [(400, 300), (1600, 1200)]
    assert [(r.width, r.height) for r in high.of("jpeg")] == [(300, 400), (1200, 1600)]
    with Image.open(tall) as image:
        _draft(image, 6, settings)
        assert image.size == (2000, 1500)  # the 4000-px long side at 1/2 still covers 1600


def test_small_photo_is_not_upscaled(tmp_path):
    src = tmp_path / "small.jpg"
    h.quadrants(300, 200).save(src, "JPEG")
    derivatives, _, _ = one(tmp_path, src)
    assert [r.width for r in derivatives.of("webp")] == [300]
    assert (derivatives.width, derivatives.height) == (300, 200)


def test_published_names_are_ascii_and_shared_by_identical_photos(tmp_path):
    first, second = tmp_path / "微信图片_2024 (1).jpg", tmp_path / "copy.jpg"
    h.phone_jpeg(first)
    second.write_bytes(first.read_bytes())
    report = Report()
    jobs = [Job(first, "a"), Job(second, "b")]
    made = media.build(jobs, tmp_path / "cache", report, workers=0, progress=None)
    urls = [r.url for r in made.results[jobs[0]].renditions]
    assert all(url.isascii() and " " not in url for url in urls)
    assert urls[0].startswith("media/") and "/2024-1-320." in urls[0]
    assert made.decoded == 1  # same content, same settings: made once
    assert made.results[jobs[0]].key == made.results[jobs[1]].key


# Cropping for portrait cards -------------------------------------------------------------


def test_crop_box_keeps_focus_inside_and_aspect():
    assert crop_box((400, 300), 0.75, (0.5, 0.5)) == (88, 0, 313, 300)
    assert crop_box((400, 300), 0.75, (1.0, 0.5)) == (175, 0, 400, 300)  # clamped to the edge
    assert crop_box((300, 400), 1.0, (0.5, 0.0)) == (0, 0, 300, 300)
    assert crop_box((300, 400), None, (0.2, 0.2)) == (0, 0, 300, 400)


def test_crop_to_card_around_focus(tmp_path):
    src = tmp_path / "portrait.jpg"
    image = Image.new("RGB", (800, 600), (200, 200, 200))
    image.paste((200, 0, 0), (650, 250, 750, 350))  # the face is on the right
    image.save(src, "JPEG", quality=95)
    right, _, _ = one(tmp_path / "right", src, Settings(widths=(240,), aspect=3 / 4, focus=(0.875, 0.5)))
    centred, _, _ = one(tmp_path / "centre", src, Settings(widths=(240,), aspect=3 / 4))
    face = largest(right)
    assert face.size == (240, 320)
    assert h.close(face.getpixel((face.width * 3 // 4, face.height // 2)), (200, 0, 0), 40)
    middle = largest(centred)
    assert all(not h.close(middle.getpixel((x, middle.height // 2)), (200, 0, 0), 60) for x in range(0, 240, 10))


# Bad photos -------------------------------------------------------------------------------


def test_zero_byte_photo(tmp_path):
    src = tmp_path / "empty.jpg"
    src.write_bytes(b"")
    derivatives, report, _ = one(tmp_path, src)
    assert derivatives is None
    assert report.codes() == [("MEDIA001", "site_src/albums/t/empty.jpg", None)]


@pytest.mark.parametrize("head, label", [
    (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "EPS"),
    (b"\xc5\xd0\xd3\xc6" + b"\0" * 40, "EPS"),
    (b"%PDF-1.7\n", "PDF"),
])
def test_postscript_and_pdf_never_reach_a_decoder(tmp_path, head, label):
    src = tmp_path / "poster.jpg"
    src.write_bytes(head + b"\n" * 100)
    derivatives, report, _ = one(tmp_path, src)
    assert derivatives is None
    (problem,) = report.problems
    assert problem.code == "MEDIA005" and label in problem.message


def test_video_is_not_a_photo(tmp_path):
    src = tmp_path / "IMG_0012.MOV"
    src.write_bytes(b"\0\0\0\x14ftypqt  \0\0\0\0qt  " + b"\0" * 200)
    _, report, _ = one(tmp_path, src)
    (problem,) = report.problems
    assert problem.code == "MEDIA002" and "视频" in problem.message


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_decompression_bomb_warning_is_treated_as_error(tmp_path):
    # 100 megapixels: above Pillow's limit but below twice it, where Pillow only warns.
    assert Image.MAX_IMAGE_PIXELS < 100_000_000 < 2 * Image.MAX_IMAGE_PIXELS
    src = tmp_path / "huge.png"
    src.write_bytes(_png_header_only(10_000, 10_000))
    derivatives, report, _ = one(tmp_path, src)
    assert derivatives is None
    (problem,) = report.problems
    assert problem.code == "MEDIA004"
    assert "100,000,000" in problem.message and f"{Image.MAX_IMAGE_PIXELS:,}" in problem.message


def test_truncated_jpeg_is_refused_not_published_grey(tmp_path):
    whole = h.phone_jpeg(tmp_path / "whole.jpg", size=(640, 480))
    src = tmp_path / "cut.jpg"
    src.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    derivatives, report, _ = one(tmp_path, src)
    assert derivatives is None and [p.code for p in report.problems] == ["MEDIA003"]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_hanging_crashing_and_greedy_decoders_cost_one_photo_each(tmp_path):
    good = h.phone_jpeg(tmp_path / "good.jpg")
    hang, crash, hog = (tmp_path / "hang.jpg", tmp_path / "crash.jpg", tmp_path / "hog.jpg")
    for path, seed in ((hang, 1), (crash, 2), (hog, 3)):
        h.phone_jpeg(path, image=h.quadrants().rotate(seed * 10))
    report = Report()
    jobs = {p.name: Job(p, f"site_src/albums/t/{p.name}") for p in (good, hang, crash, hog)}
    started = time.monotonic()
    made = media.build(jobs.values(), tmp_path / "cache", report, workers=2, timeout=3,
                       memory_limit=1 * 2**30, process=h.faulty, progress=None)
    elapsed = time.monotonic() - started
    codes = {Path(p.path).name: p.code for p in report.problems}
    assert codes == {"hang.jpg": "MEDIA006", "crash.jpg": "MEDIA007", "hog.jpg": "MEDIA008"}
    assert "SIGSEGV" in next(p.message for p in report.problems if p.code == "MEDIA007")
    assert list(made.results) == [jobs["good.jpg"]]
    assert elapsed < 15, elapsed
    # Environmental failures are not cached: the next build tries them again.
    again = media.build([jobs["good.jpg"], jobs["crash.jpg"]], tmp_path / "cache", Report(), workers=1,
                        timeout=3, process=h.faulty, progress=None)
    assert again.decoded == 1 and again.reused == 1


# Cache ------------------------------------------------------------------------------------


@pytest.fixture
def count_opens(monkeypatch):
    """How many times Image.open was called (in-process builds only)."""
    calls = []
    real = Image.open

    def counting(*args, **kwargs):
        calls.append(args[0] if args else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(Image, "open", counting)
    return calls


def test_rebuild_with_nothing_changed_decodes_nothing(tmp_path, count_opens):
    photos = [h.phone_jpeg(tmp_path / f"IMG_{i}.jpg", image=h.quadrants().rotate(i * 7)) for i in range(3)]
    jobs = [Job(p, p.name) for p in photos]
    first = media.build(jobs, tmp_path / "cache", Report(), out_dir=tmp_path / "s1", workers=0, progress=None)
    assert first.decoded == 3 and len(count_opens) == 3
    count_opens.clear()
    second = media.build(jobs, tmp_path / "cache", Report(), out_dir=tmp_path / "s2", workers=0, progress=None)
    assert second.decoded == 0 and second.reused == 3 and count_opens == []
    assert second.hashed == 0  # unchanged file status: originals not even re-read
    assert sorted(p.relative_to(tmp_path / "s2") for p in (tmp_path / "s2").rglob("*.*")) == \
        sorted(p.relative_to(tmp_path / "s1") for p in (tmp_path / "s1").rglob("*.*"))


def test_touched_but_unchanged_photo_is_rehashed_not_decoded(tmp_path, count_opens):
    src = h.phone_jpeg(tmp_path / "IMG_1.jpg")
    job = Job(src, "IMG_1.jpg")
    media.build([job], tmp_path / "cache", Report(), workers=0, progress=None)
    count_opens.clear()
    src.write_bytes(src.read_bytes())  # new mtime, same content
    again = media.build([job], tmp_path / "cache", Report(), workers=0, progress=None)
    assert again.hashed == 1 and again.decoded == 0 and count_opens == []


def test_changed_photo_is_remade_under_a_new_url(tmp_path):
    src = h.phone_jpeg(tmp_path / "IMG_1.jpg")
    job = Job(src, "IMG_1.jpg")
    first = media.build([job], tmp_path / "cache", Report(), workers=0, progress=None)
    h.phone_jpeg(src, image=h.quadrants().transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    second = media.build([job], tmp_path / "cache", Report(), workers=0, progress=None)
    assert second.decoded == 1
    assert set(first.published).isdisjoint(second.published)  # browsers never see a stale photo
    colours = h.quadrant_colours(largest(second.results[job]))
    assert h.close(colours["top-left"], h.QUADRANTS["top-right"])


def test_changed_settings_miss_the_cache(tmp_path):
    src = h.phone_jpeg(tmp_path / "IMG_1.jpg")
    media.build([Job(src, "a")], tmp_path / "cache", Report(), workers=0, progress=None)
    other = media.build([Job(src, "a", Settings(widths=(100,)))], tmp_path / "cache", Report(), workers=0,
                        progress=None)
    assert other.decoded == 1


@pytest.mark.parametrize("damage", ["truncate", "flip-byte", "delete-file", "delete-manifest", "bad-manifest"])
def test_damaged_cache_entry_is_detected_and_remade(tmp_path, damage):
    src = h.phone_jpeg(tmp_path / "IMG_1.jpg")
    job = Job(src, "IMG_1.jpg")
    first = media.build([job], tmp_path / "cache", Report(), workers=0, progress=None)
    target = first.results[job].of("webp")[-1].path
    entry = target.parent
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:100])
    elif damage == "flip-byte":
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "delete-file":
        target.unlink()
    elif damage == "delete-manifest":
        (entry / "manifest.json").unlink()
    else:
        (entry / "manifest.json").write_text("{not json", encoding="utf-8")
    second = media.build([job], tmp_path / "cache", Report(), out_dir=tmp_path / "site", workers=0, progress=None)
    assert second.decoded == 1
    published = tmp_path / "site" / second.results[job].of("webp")[-1].url
    with Image.open(published) as image:
        image.load()
        assert image.size == (320, 240)


def test_leftover_partial_entry_is_ignored(tmp_path):
    src = h.phone_jpeg(tmp_path / "IMG_1.jpg")
    job = Job(src, "IMG_1.jpg")
    first = media.build([job], tmp_path / "cache", Report(), workers=0, progress=None)
    entry = first.results[job].of("jpeg")[0].path.parent
    partial = entry.parent / f".{entry.name}.tmp-99999"
    partial.mkdir()
    (partial / "400.webp").write_bytes(b"half")
    shutil.rmtree(entry)
    second = media.build([job], tmp_path / "cache", Report(), workers=0, progress=None)
    assert second.decoded == 1 and job in second.results


def test_bad_photo_is_reported_again_without_decoding(tmp_path, count_opens):
    src = tmp_path / "cut.jpg"
    src.write_bytes(h.phone_jpeg(tmp_path / "w.jpg").read_bytes()[:300])
    job = Job(src, "site_src/albums/t/cut.jpg")
    media.build([job], tmp_path / "cache", Report(), workers=0, progress=None)
    count_opens.clear()
    report = Report()
    again = media.build([job], tmp_path / "cache", report, workers=0, progress=None)
    assert again.decoded == 0 and count_opens == []
    assert report.codes() == [("MEDIA003", "site_src/albums/t/cut.jpg", None)]


def test_progress_line_on_long_runs_only(tmp_path):
    photos = []
    for i in range(22):
        path = tmp_path / f"p{i:02d}.png"
        Image.new("RGB", (40, 30), (i * 10, 100, 100)).save(path)
        photos.append(Job(path, path.name, Settings(widths=(40,), formats=("jpeg",))))
    stream = io.StringIO()
    media.build(photos, tmp_path / "cache", Report(), workers=0, progress=stream)
    lines = stream.getvalue().splitlines()
    assert lines and lines[-1] == "处理相册照片：22/22（100%）"
    quiet = io.StringIO()
    media.build(photos[:3], tmp_path / "cache2", Report(), workers=0, progress=quiet)
    assert quiet.getvalue() == ""


# The post-build scan -------------------------------------------------------------------------


def test_scan_refuses_metadata_heic_and_copies_of_originals(tmp_path):
    site, originals = tmp_path / "site", tmp_path / "site_src" / "albums" / "a"
    site.mkdir()
    originals.mkdir(parents=True)
    original = h.phone_jpeg(originals / "IMG_1.jpg", gps=False)
    (site / "copied.jpg").write_bytes(original.read_bytes())
    h.phone_jpeg(site / "gps.jpg")
    h.quadrants().save(site / "xmp.png", "PNG", pnginfo=_xmp_png_info())
    h.quadrants().save(site / "clean.webp", "WEBP")
    h.quadrants().save(site / "clean.jpg", "JPEG")
    (site / "IMG_2.heic").write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic")
    (site / "notes.txt").write_text("Exif", encoding="utf-8")
    report = scan_published_images(site, [original])
    codes = sorted((p.code, p.path) for p in report.problems)
    assert codes == [
        ("MEDIA020", "site/copied.jpg"),  # the copy also carries EXIF
        ("MEDIA020", "site/gps.jpg"),
        ("MEDIA020", "site/xmp.png"),
        ("MEDIA021", "site/copied.jpg"),
        ("MEDIA022", "site/IMG_2.heic"),
    ]
    gps = next(p for p in report.problems if p.path == "site/gps.jpg")
    assert "GPS" in gps.message and gps.severity is Severity.ERROR


def _xmp_png_info():
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", h.XMP.decode())
    return info


def test_scan_of_a_built_album_is_clean(tmp_path):
    photos = [h.phone_jpeg(tmp_path / f"IMG_{o}.jpg", o) for o in (1, 6, 8)]
    media.build([Job(p, p.name) for p in photos], tmp_path / "cache", Report(), out_dir=tmp_path / "site",
                workers=0, progress=None)
    assert scan_published_images(tmp_path / "site", photos).problems == []
