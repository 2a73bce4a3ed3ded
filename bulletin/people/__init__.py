"""好人榜 (honor roll): profiles of residents, published only with their consent.

`review(index)` reads every profile once and sorts it into the people who may be
published and the ones withheld (no consent record, consent withdrawn, a minor without a
guardian's consent, past `until`, or a profile with errors). Consent is closed by default:
a record that is incomplete, has a key it does not know, is dated after today, or a
withdrawal written anywhere in the front matter (top level, misspelt, 撤回/撤銷…) withholds
the person; so does an age or birth date under 18 without a guardian, and a profile kept
anywhere but people/<slug>.md is refused. A page that still names a withheld person is an
error and is left out, unless the profile's consent.mention_ok lists it. Everything the site shows —
profile pages, the monthly lists, category pages, the home page, the screen, the names fed
to the 简/繁 name protection — comes from `Roll.people`, so a withheld person cannot leak
through one output while missing from another.

The consent record is a map in the front matter:

    consent:
      by: 本人                # who agreed: 本人, or the name of whoever signed
      date: 2026-10-20        # when
      show_portrait: true     # the photo may be shown; anything else shows a placeholder
      guardian: 于建华        # required for a minor: minor: true, or age/born under 18
      withdrawn: 2026-11-20   # optional: consent withdrawn on this date (or `true`)
      mention_ok: [plans/plan-03.md]  # optional: pages that may still name a withheld person
"""

from .consent import is_withdrawal_key
from .model import (AVOID, CATEGORIES, CATEGORY_NAMES, MESSAGES, PORTRAIT_ASPECT, REASONS, SUMMARY_MAX, Category,
                    CategoryPage, Consent, Month, Person, Roll, Withheld, category_by_slug, month_label, name_forms,
                    normalise_category, parse_honored)
from .pages import (HIDE, INDEX_REL, attach_photos, category_pages, context_for, current, generated_pages, months,
                    names, page_meta, portrait_jobs, portrait_settings, template_for, unpublished)
from .review import collect, mentions, profile_script, read_person, refuse_misplaced, review

__all__ = [
    "AVOID", "REASONS", "is_withdrawal_key", "name_forms", "refuse_misplaced",
    "CATEGORIES", "CATEGORY_NAMES", "HIDE", "INDEX_REL", "MESSAGES", "PORTRAIT_ASPECT", "SUMMARY_MAX", "Category",
    "CategoryPage", "Consent", "Month", "Person", "Roll", "Withheld", "attach_photos", "category_by_slug",
    "category_pages", "collect", "context_for", "current", "generated_pages", "mentions", "profile_script", "read_person", "month_label", "months",
    "names", "normalise_category", "page_meta", "parse_honored", "portrait_jobs", "portrait_settings", "review",
    "template_for", "unpublished",
]
