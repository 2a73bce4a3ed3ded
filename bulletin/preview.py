"""The local preview's quick path: a saved change to a page's text shows in about a second.

`mkdocs serve` builds the whole site again on every save; at 1,000 plans that takes as
long as `bulletin build`. Most saves while writing change only the text under a page's
front matter, and then only that page can show it: titles, dates, summaries, tags and
consent (what listings, navigation, the home page and other pages print) all live in the
front matter. So when every file saved since the last build is a published page whose
front matter is byte for byte what it was, and its new text passes the same checks a build
makes (personal numbers, links out of site_src/, a withheld person named, dangerous
markup), only that page is rendered again, in every script, through MkDocs' own page
steps and every plugin's hooks. Two front-matter changes are shown the same way, with the
pages that list them: an album's captions (the albums index and the home page show covers)
and a profile's summary or community (the honor roll, its category and the home page).
The search index and the lobby screen (which lists a plan's headings) follow behind, in
the background.

Anything else builds the whole site as before: a new, removed or renamed file, a photo,
the glossary, mkdocs.yml, other front matter, a page that would now carry an error or be held
back, a page whose script or title (from its first heading) changed, a page with a tag
listing, the notices page.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import albums, checks, content, notices, people, safeinput, script, search, tags
from .report import Report

log = logging.getLogger("mkdocs.plugins.bulletin.preview")

MAX_FILES = 20  # more files saved at once (a copy, a checkout): build everything
ALBUMS_INDEX, HOME = "albums/index.md", "index.md"


@dataclass
class Update:
    """One saved page the quick path can show: its source (updated in place), the new
    reading, the problems found, other pages that show what changed, and how the model
    takes the new front-matter values."""

    source: content.Source
    new: content.Source
    report: Report
    pages: set[str] = field(default_factory=set)
    apply: Callable[[], None] | None = None


class Quick:
    """One serve session's quick path, around the builder `mkdocs serve` calls on a change.

    `plugin` is the bulletin plugin (kept across rebuilds by MkDocs); its `last_build` holds
    what the pages of the last full build were built from: (config, files, nav, env).
    """

    def __init__(self, plugin, watcher: safeinput.SafeWatcher) -> None:
        self.plugin = plugin
        self.watcher = watcher
        self.lock = threading.Lock()  # held by a full build and by the background refresh
        self._pending = False
        self._worker: threading.Thread | None = None

    def wrap(self, full_build: Callable[[], None]) -> Callable[[], None]:
        """The builder to give the live-reload server in place of `full_build`."""

        def builder() -> None:
            changed = self.watcher.take_changes()
            started = time.perf_counter()
            try:
                done = bool(changed) and self.patch(changed)
            except Exception:  # never worse than the full build it replaces
                log.debug("quick path failed", exc_info=True)
                done = False
            if done:
                log.info(f"已更新 {'、'.join(sorted(changed))}（{time.perf_counter() - started:.2f} 秒）；"
                         "搜索和大屏随后更新。")
                return
            with self.lock:
                self._pending = False
                self.plugin.last_build = None
                full_build()

        return builder

    def patch(self, changed: set[str]) -> bool:
        """Render the changed pages again if nothing else can show the change; False: build all."""
        plugin = self.plugin
        if plugin.last_build is None or plugin.index is None or len(changed) > MAX_FILES:
            return False
        config, files, nav, env = plugin.last_build
        updates = []
        for rel in sorted(changed):
            update = self._check(plugin.index, rel)
            if update is None:
                return False
            updates.append(update)
        pages = {}
        for rel in [u.source.rel for u in updates] + sorted(set().union(*(u.pages for u in updates)) - changed):
            page_file = files.get_file_from_path(rel)
            if page_file is None or page_file.page is None:
                return False
            pages[rel] = page_file.page
        for update in updates:
            source, new = update.source, update.new
            if _front_matter(new) != _front_matter(source):  # else keep the meta the build settled (plans)
                source.meta, source.lines, source.body_line = new.meta, new.lines, new.body_line
            source.text, source.body = new.text, new.body
            if update.apply is not None:
                update.apply()
            update.report.log(log, summary=False)
        if ALBUMS_INDEX in pages and files.get_file_from_path(ALBUMS_INDEX).generated_by:
            files.get_file_from_path(ALBUMS_INDEX).content_string = albums.index_markdown(
                plugin.prepared.albums, theme_dir=plugin.theme_dirs)
        for page in pages.values():
            title = page.title
            _render(page, config, files, nav, env, plugin)
            if page.title != title:  # a title from the first heading: in nav and listings too
                return False
        plugin.writer.flush()
        self._refresh_later()
        return True

    def _check(self, index: content.ContentIndex, rel: str) -> Update | None:
        """What saving `rel` changed, if the quick path can show it; None: build all."""
        plugin = self.plugin
        source = index.sources.get(rel)
        if source is None or rel == notices.NOTICES_FILE or tags.DIRECTIVE in source.text:
            return None
        if rel in (plugin.config.glossary, plugin.config.search.synonyms):
            return None
        report = Report()
        new = content.read_source(index.root, rel, report)
        if new is None or new.kind != source.kind:
            return None
        single = content.ContentIndex(index.root, {rel: new}, [rel], report=report)
        if safeinput.check_safety(single):
            return None
        update = Update(source, new, report)
        album = plugin.albums_by_rel.get(rel)
        roll = plugin.prepared.roll
        person = next((p for p in roll.people if p.source is source), None)
        if album is not None:
            update.apply = functools.partial(setattr, album, "description", new.body)
        shown: dict[str, str] = {}  # a profile's new summary and community
        if _front_matter(new) != _front_matter(source):
            changed = {k for k in new.meta.keys() | source.meta.keys() if new.meta.get(k) != source.meta.get(k)}
            if album is not None and changed == {"captions"}:
                update = self._captions(update, album)
            elif person is not None and changed <= {"summary", "community"}:
                update, shown = self._summary(update, person)
            else:
                return None
            if update is None:
                return None
        report.problems.extend(people.mentions(single, roll.names_to_avoid(), roll=roll))
        if report.errors or report.skipped:
            return None
        prefer = plugin.prefer
        if (script.detect_script(new.body, prefer) or "zh-Hans") != plugin.scripts.get(rel):
            return None
        if person is not None and person.script != people.profile_script(person, prefer, body=new.body, **shown):
            return None
        checks.risky_conversions(single, {v.label: plugin.converter(v) for v in plugin.variants}, prefer)
        return update

    def _captions(self, update: Update, album) -> Update | None:
        """An album's new captions, when each names one of its photos: the album index and
        the home page show the covers' captions too."""
        names = [photo.name for photo in album.photos]
        scratch = Report()
        made = albums.album_of(update.new, self.plugin.index.root, album.rel.rsplit("/", 1)[0], names, scratch)
        if scratch.problems or [photo.name for photo in made.photos] != names:
            return None
        captions = {photo.name: photo.caption for photo in made.photos}

        def apply() -> None:
            album.description = update.new.body
            for photo in album.photos:
                photo.caption = captions[photo.name]

        update.apply, update.pages = apply, {ALBUMS_INDEX, HOME}
        return update

    def _summary(self, update: Update, person) -> tuple[Update | None, dict[str, str]]:
        """A profile's new summary or community, read as the build reads a profile: the
        honor-roll pages, the person's category and the home page list them."""
        plugin = self.plugin
        scratch = content.ContentIndex(plugin.index.root, {update.source.rel: update.new}, plugin.index.files)
        read = people.read_person(update.new, scratch)
        same = ("name", "name_hant", "category", "honored", "consent", "portrait", "focus", "minor", "until", "tags")
        if scratch.report.problems or not isinstance(read, people.Person) or \
                any(getattr(read, key) != getattr(person, key) for key in same):
            return None, {}

        def apply() -> None:
            person.summary, person.community = read.summary, read.community

        update.apply = apply
        update.pages = {people.INDEX_REL, f"people/{person.category.slug}/index.md", HOME}
        return update, {"summary": read.summary, "community": read.community}

    def _refresh_later(self) -> None:
        """Bring the search index and the screen up to date in the background (one at a time)."""
        self._pending = True
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._refresh_loop, name="bulletin-refresh", daemon=True)
            self._worker.start()

    def _refresh_loop(self) -> None:
        while self._pending:
            with self.lock:
                if not self._pending or self.plugin.last_build is None:
                    return
                self._pending = False
                try:
                    self.refresh()
                    log.info("预览的搜索和大屏已更新。")
                except Exception as exc:  # the preview goes on; the next full build tries again
                    log.warning(f"预览的搜索或大屏没有更新：{exc}")

    def refresh(self) -> None:
        """The screen and the search index from the pages as they are now."""
        plugin = self.plugin
        config = plugin.last_build[0]
        site_dir = Path(config.site_dir)
        if plugin.config.screen.enabled:
            plugin.write_screen(site_dir, config)
        if plugin.config.search.enabled:
            staging = Path(tempfile.mkdtemp(prefix=".bulletin-search-", dir=site_dir.parent))
            try:
                search.index_site(site_dir, plugin.variants, cache_dir=plugin.cache_dir, synonyms=plugin.synonyms,
                                  bundle=staging / search.BUNDLE, fields=search.site_fields(
                                      plugin.site, plugin.page_dests, plugin.scripts, plugin.converter))
                move_bundle(staging / search.BUNDLE, site_dir / search.BUNDLE)
            finally:
                shutil.rmtree(staging, ignore_errors=True)


def move_bundle(new: Path, live: Path) -> None:
    """Move a search bundle built aside into the one being served, file by file (a rename each).

    A page already open may still hold the old entry file and ask for the old index's
    files later, so those stay; the files every query starts from (the entry file, the
    manifests) move last, once everything they name is in place.
    """
    found = [p for p in new.rglob("*") if p.is_file()]
    found.sort(key=lambda p: (p.parent == new, p.name == "pagefind-entry.json", p.as_posix()))
    for path in found:
        target = live / path.relative_to(new)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)


def _front_matter(source: content.Source) -> list[str]:
    """The file's lines before its body (the front matter and its fences)."""
    return source.text.split("\n", source.body_line - 1)[: source.body_line - 1]


def _render(page, config, files, nav, env, plugin) -> None:
    """One page through MkDocs' own steps (every plugin's page hooks run), without the page cache."""
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.structure.files import InclusionLevel

    cache, plugin.page_cache = plugin.page_cache, None
    try:
        _populate_page(page, config, files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
    finally:
        plugin.page_cache = cache
