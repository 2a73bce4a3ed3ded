"""Pages whose output cannot have changed are taken from the previous build, not rendered again.

MkDocs renders every page on every build: Markdown, then the theme's template, then the
plugins' post-processing. Two results of that are kept in `.cache/`, each keyed by all it
reads (see `incremental`):

- rendered: what `page.render()` and every plugin's `on_page_content` made of a page
  (content, table of contents, title, metadata, anchors, messages), keyed by the page's
  Markdown and metadata after every `on_page_markdown`, its file and URL, the site's file
  list, the configuration, the theme files and the code. On a hit the Markdown is not
  converted: `page.render` is replaced for that page by one that restores the result.
- outputs: the page as written (the writer's key of its copies in every script), keyed by
  the rendered result, the navigation with every title, the page's template context taken
  apart value by value (the plan, profile or listing shown, the tag links, ...), the
  converters and the day of the build. On a hit the template is not rendered.

A page is rendered through a stand-in template (`STUB`) that prints what `on_page_context`
put in the context: the real template's output (rendered there, with the same environment
and context MkDocs would use) or nothing when the page comes from the cache. A key is
made only of values it can take apart (keys.py); anything else (an object it does not
know, a callable) makes the page uncacheable, never a stale one. The cache is off when the
site uses a plugin or hook whose page events are not known to be safe to skip.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path
from typing import Any

from .. import incremental
from .keys import Unfingerprintable, config_digest, files_digest, fingerprint, nav_digest, theme_digest

# Plugins whose page events only look at what the key covers (their code is in the key
# through the versions in incremental.code_digest and `keys.config_digest`).
KNOWN_PLUGINS = frozenset({"bulletin", "tags", "material/tags", "glightbox"})
STUB = "bulletin-page.html"  # the stand-in template: prints the page rendered in on_page_context
STUB_VAR = "bulletin_page_html"
STUB_SOURCE = "{{ " + STUB_VAR + " }}"
# context entries with a digest of their own (or nothing a template may print)
_COVERED = frozenset({"nav", "pages", "config", "page", "build_date_utc", STUB_VAR})
_PAGE_SKIP = frozenset({"render", "markdown", "active", "present_anchor_ids", "links_to_anchors"})  # validation only


@dataclasses.dataclass
class _PageState:
    render_key: str
    rendered: dict[str, Any] | None = None  # from the cache
    template: str | None = None  # the page's own template while STUB stands in
    output_key: str | None = None
    texts: list[str] | None = None  # the page's copies, from the cache
    logs: list[tuple[str, int, str]] = dataclasses.field(default_factory=list)
    capture: "_Capture | None" = None


class _Capture(logging.Handler):
    """Messages logged while a page is rendered, to be logged again when it is reused."""

    def __init__(self, into: list[tuple[str, int, str]]):
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.into.append((record.name, record.levelno, record.getMessage()))


class PageCache:
    """The two stores and the keys of one build (see the module's docstring)."""

    def __init__(self, cache_dir: Path, config, *, extra: tuple[str, ...] = ()):
        self.rendered = incremental.Store(Path(cache_dir) / "rendered")
        self.outputs = incremental.Store(Path(cache_dir) / "page-outputs")
        self.base = incremental.digest("page-cache", config_digest(config), theme_digest(list(config.theme.dirs)),
                                       dt.date.today().isoformat(), *extra)
        self.states: dict[str, _PageState] = {}
        self._files: str | None = None
        self._nav: str | None = None

    @staticmethod
    def usable(config) -> bool:
        """Only with plugins whose page events are known, and no hooks."""
        return not config.hooks and all(name in KNOWN_PLUGINS for name in config.plugins)

    # -- before page.render (the last on_page_markdown) --------------------------------
    def before_render(self, page, markdown: str, files, *parts: str) -> None:
        if page.file.inclusion.is_excluded():
            return  # a draft: MkDocs marks its content after on_page_context
        if self._files is None:
            self._files = files_digest(files)
        try:
            meta = fingerprint(page.meta)
        except Unfingerprintable:
            return
        key = incremental.digest(self.base, "rendered", self._files, page.file.src_uri, page.file.dest_uri,
                                 page.file.url, page.url, repr(page.is_homepage), markdown, meta, *parts)
        state = self.states[page.file.src_uri] = _PageState(key)
        done = self.rendered.get(key)
        if done is not None:
            state.rendered = done
            page.render = lambda config, files: _restore_render(page, done, files)
            return
        state.capture = _Capture(state.logs)
        for logger in _loggers():
            logger.addHandler(state.capture)

    # -- the last on_page_content ------------------------------------------------------
    def reused_content(self, page) -> str | None:
        """The page's content after every on_page_content, when the cache had it (restored)."""
        state = self.states.get(page.file.src_uri)
        if state is None or state.rendered is None:
            return None
        done, state.rendered = state.rendered, {}  # {}: taken from the cache (the page holds it now)
        for name, level, message in done["logs"]:
            logging.getLogger(name).log(level, "%s", message)
        page.meta.clear()
        page.meta.update(done["meta"])
        page.title = done["title"]
        page.toc = done["toc"]
        page.content = done["content"]
        return page.content

    def keep_content(self, page, content: str) -> None:
        """After on_page_content made `content` of a page that was rendered: keep it."""
        state = self.states.get(page.file.src_uri)
        if state is None or state.rendered is not None:
            return
        self._stop_capture(state)
        links = {f.src_uri: dict(v) for f, v in (page.links_to_anchors or {}).items()}
        self.rendered.put(state.render_key, {
            "content": content, "meta": dict(page.meta), "title": page.title, "toc": page.toc,
            "title_from_render": page._title_from_render, "anchors": set(page.present_anchor_ids or ()),
            "links": links, "logs": list(state.logs)})

    def use_stub(self, page) -> None:
        """Have MkDocs fetch the stand-in template; the page's own is used in `context`."""
        state = self.states.get(page.file.src_uri)
        if state is None:
            return
        state.template = page.meta.get("template", "main.html")
        page.meta["template"] = STUB

    def _stop_capture(self, state: _PageState) -> None:
        if state.capture is not None:
            for logger in _loggers():
                logger.removeHandler(state.capture)
            state.capture = None

    def stop(self) -> None:
        """The build failed: stop listening to pages' messages (the stores stay as they are)."""
        for state in self.states.values():
            self._stop_capture(state)

    # -- the last on_page_context ------------------------------------------------------
    def context(self, context, *, page, nav, env, parts: tuple[str, ...], load) -> None:
        """Put the page's HTML in `context` for the stand-in: the template's output, or
        nothing when `load(key)` gives the page's copies from an earlier build."""
        state = self.states.get(page.file.src_uri)
        if state is None or state.template is None:
            return
        template = state.template
        if template == "main.html":
            page.meta.pop("template", None)
        else:
            page.meta["template"] = template
        if self._nav is None:
            self._nav = nav_digest(nav)
        try:
            view = {k: v for k, v in vars(page).items() if k not in _PAGE_SKIP}
            rest = {k: v for k, v in context.items() if k not in _COVERED}
            key = incremental.digest(self.base, "output", state.render_key, self._nav, page.title or "",
                                     fingerprint(view), fingerprint(rest), *parts)
        except Unfingerprintable:
            key = None
        if key is not None:
            writer_key = self.outputs.get(key)
            texts = load(writer_key) if writer_key is not None else None
            if texts is not None:
                state.texts = texts
                page.meta["glightbox"] = False  # the kept page has its lightbox already
                context[STUB_VAR] = ""
                return
        state.output_key = key
        context[STUB_VAR] = env.get_template(template).render(context)

    def reused_texts(self, page) -> list[str] | None:
        """The page's copies when on_page_context took them from the cache (handed over once)."""
        state = self.states.get(page.file.src_uri)
        if state is None:
            return None
        texts, state.texts = state.texts, None
        return texts

    def keep_output(self, page, writer_key: str | None) -> None:
        state = self.states.get(page.file.src_uri)
        if state is not None and state.output_key is not None and writer_key is not None:
            self.outputs.put(state.output_key, writer_key)

    def finish(self) -> str:
        """Drop the entries no page of this build used; a line for the build's log."""
        self.stop()
        self.rendered.finish()
        self.outputs.finish()
        pages = len(self.states)
        return (f"页面缓存：{pages} 页中 {self.rendered.hits} 页沿用上次转换的 Markdown，"
                f"{self.outputs.hits} 页沿用上次生成的整页")


def _loggers() -> list[logging.Logger]:
    """Where a page's messages end up: the root logger, and MkDocs' own when it does not pass
    them on to the root (as on the command line)."""
    mkdocs = logging.getLogger("mkdocs")
    return [logging.getLogger()] + ([] if mkdocs.propagate else [mkdocs])


def _restore_render(page, done: dict[str, Any], files) -> None:
    """What page.render() set, as it set it when the page was last rendered."""
    page.content = ""  # what other plugins' on_page_content see; ours puts the kept content back
    page.toc = done["toc"]
    page._title_from_render = done["title_from_render"]
    page.present_anchor_ids = set(done["anchors"])
    links = {}
    for src_uri, anchors in done["links"].items():
        target = files.get_file_from_path(src_uri)
        if target is not None:
            links[target] = dict(anchors)
    if links:
        page.links_to_anchors = links
