"""The lobby screen (宣传栏大屏): slides from the content, one self-contained page per variant.

`slides()` turns the site model (bulletin.model.Site: its plans, albums, published people and
notices) into small dicts, one per slide: a person's card, a month's honor roll, an album
photo, an album's overview (a mosaic), a plan, a notice.
`render()` puts them, as inline JSON, into one HTML page with its CSS and script inlined,
so the page also runs from a USB stick (file://) without fetching anything.
`write()` publishes site/<prefix>/screen/: the page, a service worker that keeps the
page and its photos cached, `version.json` (polled by the page) and `bundle.json`
(every file of this build, fetched in full before the screen switches to it).

A kind the site has no content for has no slides.
"""

from . import messages
from .kinds import (HUMAN_KEYS, MOSAIC_SIZE, ROLL_SIZE, album_slides, date_text, headings, honor_roll_slides,
                    human_texts, month_text, page_url, person_slides, photo_slides, plan_slides, playlist, qr_svg,
                    slides)
from .messages import MESSAGES
from .notices import notice_slides
from .options import KINDS, Settings, parse_hours, settings
from .page import LABELS, THEME_DIR, page_data, render, slide_images, write

__all__ = [
    "HUMAN_KEYS", "KINDS", "LABELS", "MESSAGES", "MOSAIC_SIZE", "ROLL_SIZE", "THEME_DIR", "Settings",
    "album_slides", "date_text", "honor_roll_slides", "slide_images",
    "headings", "human_texts", "messages", "month_text", "notice_slides", "page_data", "page_url", "parse_hours",
    "person_slides", "photo_slides", "plan_slides", "playlist", "qr_svg", "render", "settings",
    "slides", "write",
]
