"""What the site shows of the roll: listings, generated pages, template context, portraits."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from ..content import ContentIndex, display_path
from ..media.model import Derivatives, Job, Settings
from .model import (CATEGORIES, CATEGORY_NAMES, PORTRAIT_ASPECT, CategoryPage, Month, Person, Roll,
                    category_by_slug, month_label)


def names(people: list[Person]) -> list[dict[str, str]]:
    """{"name": …, "name_hant": …} for every published person, in the form
    `script.Converter(target, names=…)` takes; name_hant only where the editor gave one.

    Only published people: the list is build input, and a withheld person's name has no
    business anywhere in the build.
    """
    seen: dict[str, str | None] = {}
    for person in people:
        if person.name not in seen or person.name_hant:
            seen[person.name] = person.name_hant
    return [{"name": name, "name_hant": hant} if hant else {"name": name} for name, hant in sorted(seen.items())]


def months(people: list[Person]) -> list[Month]:
    """The monthly lists, latest month first (people keep the roll's order)."""
    grouped: dict[str, list[Person]] = {}
    for person in people:
        grouped.setdefault(person.honored, []).append(person)
    return [Month(key, month_label(key), grouped[key]) for key in sorted(grouped, reverse=True)]


def current(people: list[Person]) -> Month | None:
    """The latest month's list: what the home page and the 好人榜 page lead with."""
    listed = months(people)
    return listed[0] if listed else None


def category_pages(people: list[Person]) -> list[CategoryPage]:
    """One page per official category, in official order, empty ones included."""
    return [CategoryPage(c, months([p for p in people if p.category == c])) for c in CATEGORIES]


INDEX_REL = "people/index.md"
HIDE = ("navigation", "toc")  # card grids and profiles use the full width; they have no headings to list


def generated_pages(index: ContentIndex) -> dict[str, str]:
    """{rel: Markdown} of the pages to add: the 好人榜 page (unless the editor wrote one)
    and one page per category. Their listings are rendered by their templates."""
    hide = "hide: [" + ", ".join(HIDE) + "]\n"
    pages: dict[str, str] = {}
    if INDEX_REL not in index.sources:
        pages[INDEX_REL] = ("---\ntitle: 好人榜\ndescription: 身边好人，" + CATEGORY_NAMES
                            + "\ntemplate: people-index.html\n" + hide + "---\n")
    for category in CATEGORIES:
        pages[f"people/{category.slug}/index.md"] = (
            f"---\ntitle: {category.name}\ndescription: 好人榜 · {category.name}\n"
            f"template: people-category.html\n{hide}---\n")
    return pages


def template_for(rel: str) -> str | None:
    """The template of a honor-roll page (profile, 好人榜 page, category page), else None."""
    if rel == INDEX_REL:
        return "people-index.html"
    parts = rel.split("/")
    if len(parts) == 3 and parts[0] == "people" and parts[2] == "index.md" and category_by_slug(parts[1]):
        return "people-category.html"
    if len(parts) == 2 and parts[0] == "people":
        return "person.html"
    return None


def page_meta(rel: str) -> dict[str, Any]:
    """Defaults for a honor-roll page's meta (template, Material's `hide`), {} for other pages.

    The caller applies them with setdefault, so what an editor wrote wins.
    """
    template = template_for(rel)
    return {"template": template, "hide": list(HIDE)} if template else {}


def unpublished(index: ContentIndex, roll: Roll) -> set[str]:
    """Files under people/ that must not be published as they are.

    Every withheld profile, and every file that is not a published profile's Markdown:
    portraits are published only as derivatives, and anything else dropped beside the
    profiles (a scanned consent form, say) is private.
    """
    keep = {p.source.rel for p in roll.people} | {INDEX_REL}
    under = [rel for rel in list(index.files) + list(index.sources) if rel.startswith("people/")]
    return {rel for rel in under if rel not in keep} | {w.rel for w in roll.withheld}


def context_for(rel: str, roll: Roll, *, is_homepage: bool = False) -> dict[str, Any]:
    """Template context for a page: `person` on a profile, `people_months` on the 好人榜 page,
    `people_category` (+ `people_categories`) on a category page, `current_people` at home."""
    context: dict[str, Any] = {}
    template = template_for(rel)
    if template == "person.html":
        slug = PurePosixPath(rel).stem
        context["person"] = next((p for p in roll.people if p.slug == slug), None)
    elif template == "people-index.html":
        context["people_months"] = months(roll.people)
        context["people_categories"] = category_pages(roll.people)
    elif template == "people-category.html":
        slug = rel.split("/")[1]
        pages = category_pages(roll.people)
        context["people_category"] = next(c for c in pages if c.category.slug == slug)
        context["people_categories"] = pages
    if is_homepage:
        context["current_people"] = current(roll.people)
    return context


def portrait_settings(person: Person) -> Settings:
    """media.Settings for a card photo: cropped to 3:4 around the person's focus point."""
    return Settings(widths=(240, 480, 960), aspect=PORTRAIT_ASPECT, focus=person.focus)


def portrait_jobs(roll: Roll, root: Path) -> dict[str, Job]:
    """{slug: media.Job} for every published person whose photo may be shown.

    root: site_src/ (the docs_dir). Hand the jobs to media.build with the album photos,
    then to `attach_photos`.
    """
    return {p.slug: Job(src=Path(root) / p.portrait, display=display_path(Path(root), p.portrait),
                        settings=portrait_settings(p), name=f"portrait-{p.slug}")
            for p in roll.people if p.portrait}


def attach_photos(roll: Roll, jobs: dict[str, Job], results: dict[Job, Derivatives]) -> None:
    """Give each person the derivatives made for their job.

    jobs: what `portrait_jobs` returned; results: media.MediaBuild.results (Job →
    Derivatives). A photo the pipeline skipped (reported as MEDIA…) leaves the placeholder.
    """
    for person in roll.people:
        job = jobs.get(person.slug)
        person.photo = results.get(job) if job is not None else None
