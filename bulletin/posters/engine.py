"""HTML → PDF with WeasyPrint, in a pipeline worker process.

WeasyPrint over Chromium's print: it embeds Noto CJK as real CID fonts (Chromium's Skia
turns these CFF fonts into Type 3 glyph procedures, which print shops' preflight flags and
which carry no font name), makes the same A3 plan in about a third of the time without a
browser, and gives exact page sizes. Both keep 。，、」 off the start of a line. The poster
may fetch nothing but the photo files it was given: no network, no other file.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ENGINE = "weasyprint"


def engine_version() -> str:
    """Part of every poster's cache key: a new WeasyPrint may set type differently."""
    import weasyprint

    return f"{ENGINE}-{weasyprint.__version__}"


def _fetcher(roots: list[str]):
    """A URL fetcher that serves data: URLs and files under `roots`, and refuses the rest."""
    from weasyprint.urls import URLFetcher

    allowed = [Path(r).resolve() for r in roots]

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in allowed):
                    return super().fetch(url, headers)
            raise ValueError(f"posters fetch only their own photos, not {url[:80]}")

    return LocalOnly(allowed_protocols=("file", "data"))


def _fewest_pages(htmls: list[str], fetcher) -> tuple[int, int, object]:
    """(index, pages, document) of the first candidate that needs the fewest pages.

    Candidates are ordered by decreasing type size, so pages never grow along the list:
    the largest size is laid out first (one page ends the search), then the smallest;
    sizes in between are tried only when the smallest saves a page.
    """
    import weasyprint

    laid: dict[int, object] = {}

    def pages(index: int) -> int:
        if index not in laid:
            laid[index] = weasyprint.HTML(string=htmls[index], url_fetcher=fetcher).render()
        return len(laid[index].pages)

    last = len(htmls) - 1
    if pages(0) == 1 or last == 0 or pages(last) == pages(0):
        return 0, pages(0), laid[0]
    fewest = pages(last)
    index = next(i for i in range(1, last + 1) if pages(i) == fewest)
    return index, fewest, laid[index]


def make_pdf(task: dict) -> dict:
    """Write task["out"] from the first of task["htmls"] that needs the fewest pages.

    The candidates are the same poster at decreasing body sizes. Returns {"status": "ok",
    "pages": n, "choice": index, "seconds": …} (the pipeline pool's result shape).
    """
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    started = time.monotonic()
    index, pages, document = _fewest_pages(task["htmls"], _fetcher(task.get("roots", [])))
    out = Path(task["out"])
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    document.write_pdf(partial)
    os.replace(partial, out)
    return {"status": "ok", "pages": pages, "choice": index, "seconds": round(time.monotonic() - started, 3)}
