"""好人榜 (honor roll): profiles of residents, published only with their consent.

`review(index)` reads every profile once and sorts it into the people who may be
published and the ones withheld (no consent record, consent withdrawn, a minor without a
guardian's consent, past `until`, or a profile with errors). Everything the site shows —
profile pages, the monthly lists, category pages, the home page, the screen, the names fed
to the 简/繁 name protection — comes from `Roll.people`, so a withheld person cannot leak
through one output while missing from another.

The consent record is a map in the front matter:

    consent:
      by: 本人                # who agreed: 本人, or the name of whoever signed
      date: 2026-10-20        # when
      show_portrait: true     # the photo may be shown; anything else shows a placeholder
      guardian: 于建华        # required when minor: true (the guardian who agreed)
      withdrawn: 2026-11-20   # optional: consent withdrawn on this date (or `true`)
"""

from .model import (CATEGORIES, CATEGORY_NAMES, MESSAGES, PORTRAIT_ASPECT, SUMMARY_MAX, Category, CategoryPage,
                    Consent, Month, Person, Roll, Withheld, category_by_slug, month_label, normalise_category,
                    parse_honored)
from .pages import (HIDE, INDEX_REL, attach_photos, category_pages, context_for, current, generated_pages, months,
                    names, page_meta, portrait_jobs, portrait_settings, template_for, unpublished)
from .review import collect, mentions, review

__all__ = [
    "CATEGORIES", "CATEGORY_NAMES", "HIDE", "INDEX_REL", "MESSAGES", "PORTRAIT_ASPECT", "SUMMARY_MAX", "Category",
    "CategoryPage", "Consent", "Month", "Person", "Roll", "Withheld", "attach_photos", "category_by_slug",
    "category_pages", "collect", "context_for", "current", "generated_pages", "mentions", "month_label", "months",
    "names", "normalise_category", "page_meta", "parse_honored", "portrait_jobs", "portrait_settings", "review",
    "template_for", "unpublished",
]
