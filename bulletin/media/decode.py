"""Reading an editor's photo safely: what it is, decoding it under limits, upright and in sRGB.

Anything wrong with the file becomes a `MediaError(code, **fields)` that names one of the
MEDIA… messages.
"""

from __future__ import annotations

import io
import math
import re
import struct
import warnings
import zlib

from PIL import Image, ImageCms, UnidentifiedImageError

from .messages import ALLOWED_LABEL
from .model import Settings

try:
    import pillow_heif
except ImportError:  # HEIC photos are then reported as unreadable, everything else works
    pillow_heif = None
else:
    pillow_heif.register_heif_opener()


# Pillow plugins we let read editors' files. Never EPS/PS/PDF (they run Ghostscript), nor
# the long tail of rarely used decoders. The JPEG plugin also opens MPO, the multi-picture
# JPEG many phones save.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP", "AVIF", "HEIF")

# Exceptions Pillow's decoders raise for damaged data.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error,
                 IndexError, TypeError, RuntimeError)

# The EXIF orientation tag and the operation that undoes each value (ImageOps.exif_transpose).
ORIENTATION = 0x0112
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.createProfile("sRGB")



class MediaError(Exception):
    """A photo that cannot be published; `code` names the message, `fields` fill it."""

    def __init__(self, code: str, cacheable: bool = True, **fields: object) -> None:
        super().__init__(code, fields)
        self.code = code
        self.fields = fields
        self.cacheable = cacheable


# Files that are not photos, told apart by their first bytes so the message can say what
# the file is. "forbidden" ones are never handed to any decoder.
_FORBIDDEN = (
    (b"%!PS", "PostScript/EPS"),
    (b"\xc5\xd0\xd3\xc6", "EPS"),
    (b"%PDF", "PDF"),
    (b"8BPS", "Photoshop（PSD）"),
)
_NOT_IMAGES = (
    (b"PK\x03\x04", "这是压缩包或 Office 文档"),
    (b"\xd0\xcf\x11\xe0", "这是旧版 Office 文档"),
    (b"Rar!", "这是 RAR 压缩包"),
    (b"\x1aE\xdf\xa3", "这是视频文件（MKV/WebM）"),
    (b"ID3", "这是音频文件（MP3）"),
)
_IMAGE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"mif2",
                 b"avif", b"avis"}


def sniff(head: bytes) -> tuple[str, str] | None:
    """('forbidden', format) or ('not-image', detail) for files known not to be photos."""
    for magic, label in _FORBIDDEN:
        if head.startswith(magic):
            return "forbidden", label
    for magic, label in _NOT_IMAGES:
        if head.startswith(magic):
            return "not-image", label
    if head[4:8] == b"ftyp" and head[8:12] not in _IMAGE_BRANDS:
        return "not-image", "这是视频文件（MP4/MOV），相册只收照片"
    if head.startswith(b"RIFF") and head[8:12] in (b"AVI ", b"WAVE"):
        return "not-image", "这是视频或音频文件"
    stripped = head.lstrip()
    if stripped.startswith((b"<svg", b"<?xml", b"<!DOCTYPE", b"<html")):
        return "not-image", "这是 SVG/XML/HTML 文本，不是照片"
    return None


def _describe_unknown(head: bytes) -> str:
    text = head.decode("utf-8", "replace")[:200]  # the cut at 512 bytes may split a character
    if text and text.count("\ufffd") <= 1 and all(ch.isprintable() or ch in "\r\n\t\ufffd" for ch in text):
        return "这是文本文件"
    return "不是支持的图片格式"


def _decode_detail(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if "truncated" in text.lower() or isinstance(exc, EOFError):
        return "文件在中途就结束了"
    if "broken" in text.lower() or "crc" in text.lower():
        return "数据校验失败"
    if "unrecognized data stream" in text.lower():
        return "图像数据无法解读"
    return f"解码失败：{text[:120]}"


def open_image(data: bytes) -> Image.Image:
    """Open `data` as one of the allowed formats, or raise MediaError.

    A DecompressionBombWarning is an error here: Pillow only warns between 1× and 2× its
    pixel limit, and a warning would let a 150-megapixel bomb through.
    """
    if not data:
        raise MediaError("MEDIA001")
    known = sniff(data[:64])
    if known and known[0] == "forbidden":
        raise MediaError("MEDIA005", format=known[1], allowed=ALLOWED_LABEL)
    if known:
        raise MediaError("MEDIA002", detail=known[1], allowed=ALLOWED_LABEL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            # Only the first frame is published (an animated GIF shows its first frame).
            image.seek(0)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError("MEDIA004", **_bomb_fields(exc)) from None
    except UnidentifiedImageError:
        raise MediaError("MEDIA002", detail=_describe_unknown(data[:512]), allowed=ALLOWED_LABEL) from None
    except DECODE_ERRORS as exc:
        raise MediaError("MEDIA003", detail=_decode_detail(exc)) from None
    return image


def _bomb_fields(exc: BaseException) -> dict[str, str]:
    match = re.search(r"\((\d+) pixels\)", str(exc))
    pixels = f"{int(match.group(1)):,}" if match else "过多"
    return {"pixels": pixels, "limit": f"{Image.MAX_IMAGE_PIXELS:,}"}


def orientation_of(image: Image.Image) -> int:
    """The EXIF (or XMP) orientation 1–8; 1 when absent, unreadable or out of range."""
    try:
        value = image.getexif().get(ORIENTATION, 1)
    except DECODE_ERRORS + (KeyError,):
        return 1
    return value if value in TRANSPOSE else 1


def crop_box(size: tuple[int, int], aspect: float | None, focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest box of width/height `aspect` that keeps `focus` as central as it can."""
    width, height = size
    if aspect is None:
        return 0, 0, width, height
    if width / height > aspect:
        crop_w, crop_h = max(1, round(height * aspect)), height
    else:
        crop_w, crop_h = width, max(1, round(width / aspect))
    left = min(max(round(focus[0] * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focus[1] * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def output_sizes(size: tuple[int, int], settings: Settings) -> list[tuple[int, int]]:
    """The (width, height) of each output, smallest first.

    Each requested width (or longest side, with `long_side`) the photo can fill, plus the
    photo's own size in place of the ones it cannot: nothing is ever upscaled.
    """
    width, height = size
    measure = max(size) if settings.long_side else width
    fits = [w for w in settings.widths if w < measure]
    if len(fits) < len(settings.widths):
        fits.append(measure)
    return [(max(1, round(width * m / measure)), max(1, round(height * m / measure))) for m in fits]


def _draft(image: Image.Image, orientation: int, settings: Settings) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 size when that still covers the largest output.

    A 48-megapixel photo then needs a quarter of the memory and time. The request is made
    in stored (pre-rotation) orientation, since that is what the decoder sees.
    """
    if image.format not in ("JPEG", "MPO"):
        return
    stored_w, stored_h = image.size
    upright = (stored_h, stored_w) if orientation in (5, 6, 7, 8) else (stored_w, stored_h)
    left, top, right, bottom = crop_box(upright, settings.aspect, settings.focus)
    measure = max(right - left, bottom - top) if settings.long_side else right - left
    scale = min(1.0, max(settings.widths) / measure)
    request = (max(1, math.ceil(stored_w * scale)), max(1, math.ceil(stored_h * scale)))
    image.draft(None, request)


def _working_mode(image: Image.Image) -> Image.Image:
    """Bring any mode to L, LA, RGB, RGBA or CMYK.

    16-bit and float images are scaled into 0–255 (converting directly would clip
    everything above 255 to white). Transparency kept as a `transparency` entry (palette,
    grey or RGB PNGs) becomes a real alpha channel.
    """
    mode = image.mode
    if mode.startswith("I") or mode == "F":
        alpha = image.convert("RGBA").getchannel("A") if "transparency" in image.info else None
        wide = image.convert("F")
        low, high = wide.getextrema()
        if mode.startswith("I;16") or (mode == "I" and low >= 0 and high <= 65535 and high > 255):
            scale, offset = 255 / 65535, 0.0
        elif mode == "F" and low >= 0 and high <= 1:
            scale, offset = 255.0, 0.0
        elif high > low:
            scale, offset = 255 / (high - low), -low * 255 / (high - low)
        else:
            scale, offset = 1.0, 0.0
        grey = wide.point(lambda v: v * scale + offset).convert("L")
        if alpha is not None:
            grey.putalpha(alpha)  # becomes LA
        return grey
    if mode == "P":
        has_alpha = "transparency" in image.info or (image.palette is not None and image.palette.mode == "RGBA")
        return image.convert("RGBA" if has_alpha else "RGB")
    if mode in ("L", "RGB") and "transparency" in image.info:
        return image.convert("RGBA")
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    if mode == "1":
        return image.convert("L")
    if mode in ("La", "PA", "RGBa"):
        return image.convert("RGBA")
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc: bytes | None, background: str) -> Image.Image:
    """RGB pixels in sRGB, alpha flattened onto `background`.

    Phone photos are often in Display P3 or Adobe RGB and CMYK JPEGs carry a press
    profile; dropping the profile without converting would publish dull or wrong colours.
    """
    alpha = image.getchannel("A") if image.mode in ("LA", "RGBA") else None
    colour = image.convert({"LA": "L", "RGBA": "RGB"}[image.mode]) if alpha is not None else image
    converted = None
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(colour, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # an unusable profile: fall back to the numbers as they are
    if converted is None:
        converted = colour.convert("RGB")
    if alpha is None:
        return converted
    flat = Image.new("RGB", converted.size, background)
    flat.paste(converted, mask=alpha)
    return flat


def decode(data: bytes, settings: Settings) -> Image.Image:
    """Decode `data` into an upright, cropped sRGB image at the size of the largest output."""
    image = open_image(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "Corrupt EXIF data": orientation is then 1
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # A JPEG's EXIF sits before the pixels, so its orientation is known before
            # decoding (draft mode needs it). Other formats may keep EXIF after the pixels,
            # and reading it would decode them first, swallowing the decoder's error.
            early = image.format in ("JPEG", "MPO")
            orientation = orientation_of(image) if early else 1
            if early:
                _draft(image, orientation, settings)
            image.load()
            if not early:
                orientation = orientation_of(image)
        icc = image.info.get("icc_profile")
        image = _working_mode(image)
        turned = orientation in (5, 6, 7, 8)
        if settings.aspect is None:
            # Resize first, then turn: turning the small image is cheaper, and the
            # full-size turned copy never exists.
            upright = (image.height, image.width) if turned else image.size
            target = output_sizes(upright, settings)[-1]
            if target != upright:
                stored = (target[1], target[0]) if turned else target
                image = image.resize(stored, Image.Resampling.LANCZOS, reducing_gap=3.0)
            if orientation != 1:
                image = image.transpose(TRANSPOSE[orientation])
        else:
            if orientation != 1:
                image = image.transpose(TRANSPOSE[orientation])
            image = image.crop(crop_box(image.size, settings.aspect, settings.focus))
            target = output_sizes(image.size, settings)[-1]
            if target != image.size:
                image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        return _to_srgb(image, icc, settings.background)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError("MEDIA004", **_bomb_fields(exc)) from None
    except MemoryError:
        raise MediaError("MEDIA008", cacheable=False, limit=memory_limit_text()) from None
    except DECODE_ERRORS as exc:
        raise MediaError("MEDIA003", detail=_decode_detail(exc)) from None


def memory_limit_text() -> str:
    """The address-space limit of this process, as an editor reads it ("3 GiB")."""
    try:
        import resource
    except ImportError:  # not on POSIX: no limit was set
        return "本机可用内存"
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return "本机可用内存"
    return f"{soft / 2**30:.1f} GiB"
