"""Notice slides (通知公告), from the site model's notices (bulletin.notices).

The screen drops expired notices at build time, and the page hides them on the day they
end without a rebuild.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..dates import period_text
from ..notices import Notice
from .options import Settings

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
