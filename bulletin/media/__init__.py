"""The image pipeline: originals in, clean derivatives out.

    jobs = [Job(src=path, display="site_src/albums/x/IMG_1.jpg")]
    made = build(jobs, cache_dir, report)          # MediaBuild
    made.results[job]                              # Derivatives: renditions, placeholder
    made.published                                 # {"media/…/img_1-800.webp": cache file}
    scan_published_images(site_dir, originals)     # Report: refuses EXIF/GPS/XMP/IPTC, copies

Each photo is decoded in a worker process with a time and memory limit, turned upright,
converted to sRGB and re-encoded as WebP and JPEG at several widths with no metadata.
Derivatives are cached by the content hash of the original and the settings; a bad photo
is reported (MEDIA001–010) and skipped. Settings can crop to an aspect ratio around a
focus point, for portrait cards.
"""

from .build import DEFAULT_MEMORY, DEFAULT_TIMEOUT, MediaBuild, build, publish
from .cache import prune
from .messages import MESSAGES
from .model import Derivatives, Job, Rendition, Settings, url_name
from .process import ALLOWED_FORMATS
from .scan import find_metadata, scan_published_images

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".heic", ".heif", ".avif")

__all__ = [
    "ALLOWED_FORMATS", "DEFAULT_MEMORY", "DEFAULT_TIMEOUT", "IMAGE_SUFFIXES", "MESSAGES", "Derivatives", "Job",
    "MediaBuild", "Rendition", "Settings", "build", "find_metadata", "prune", "publish", "scan_published_images",
    "url_name",
]
