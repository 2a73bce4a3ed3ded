"""Notice slides (通知公告), from the site model's notices (bulletin.notices).

The screen drops expired notices at build time, and the page hides them on the day they
end without a rebuild. NOTICES_FILE and page_markdown (the notices page as residents read
it) are bulletin.notices', named here too for the plugin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..dates import period_text
from ..notices import NOTICES_FILE, Notice, page_markdown
from .options import Settings

__all__ = ["NOTICES_FILE", "notice_slides", "page_markdown"]


def notice_slides(notices: Iterable[Notice], settings: Settings, today: dt.date,
                  page: str = "notices/") -> list[dict]:
    """Notice slides; ended ones are left out. The QR leads to the notice's link or the notices page."""
    result = []
    for number, notice in enumerate(notices, 1):
        if notice.ended(today):
            continue
        start, until = notice.start, notice.until
        result.append({
            "kind": "notice", "id": f"notice:{number}", "url": notice.link or page,
            "text": notice.text, "period_text": period_text(start, until),
            "start": start.isoformat() if start else None, "until": until.isoformat() if until else None,
        })
    return result
