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
made only of values it can take apart; anything else (an object it does not know, a
callable) makes the page uncacheable, never a stale one. The cache is off when the site
uses a plugin or hook whose page events are not known to be safe to skip.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import inspect
import hashlib
import logging
import re
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

from markupsafe import Markup
from mkdocs.structure.files import File
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from . import incremental

# Plugins whose page events only look at what the key covers (their code is in the key
# through the versions in incremental.code_digest and `_plugin_code`).
KNOWN_PLUGINS = frozenset({"bulletin", "tags", "material/tags", "glightbox"})
STUB = "bulletin-page.html"  # the stand-in template: prints the page rendered in on_page_context
STUB_VAR = "bulletin_page_html"
STUB_SOURCE = "{{ " + STUB_VAR + " }}"
# context entries with a digest of their own (or nothing a template may print)
_COVERED = frozenset({"nav", "pages", "config", "page", "build_date_utc", STUB_VAR})
_PAGE_SKIP = frozenset({"render", "markdown", "active", "present_anchor_ids", "links_to_anchors"})  # validation only


class Unfingerprintable(TypeError):
    """A value a key cannot take apart: the page is built as usual and not kept."""


def fingerprint(*values: Any, code: bool = False) -> str:
    """A digest of values taken apart to plain data, in the order a template would see them.

    Mappings and sequences keep their order; sets are sorted (a template iterating one
    gets an order that differs between processes anyway). Objects are taken apart by
    their attributes; a MkDocs page, file or section met inside a value stands for its
    URL and title (the navigation and the file list have digests of their own). A value
    met twice is written as a reference to the first time, so cycles end. With `code`, a
    function stands for its name (and a partial for its function and arguments): for the
    configuration, whose functions come from code in the key; elsewhere a callable is
    refused.
    """
    out: list[str] = []  # tag, length, text: framed, so no two values run together
    seen: dict[int, int] = {}
    keep: list[Any] = []  # the objects in `seen` stay alive (their ids stay theirs)

    def put(tag: str, text: str) -> None:
        out.append(f"{tag}{len(text)}:")
        out.append(text)

    def walk(value: Any, depth: int) -> None:
        kind = type(value)
        if kind is str:
            out.append(f"s{len(value)}:")
            out.append(value)
            return
        if kind is int or kind is bool or kind is float or value is None:
            put("v", repr(value))
            return
        if depth > 200:
            raise Unfingerprintable("too deep")
        if isinstance(value, str):
            put("M" if isinstance(value, Markup) else f"s:{kind.__qualname__}", value)
            return
        if isinstance(value, enum.Enum):
            put("e", f"{kind.__qualname__}.{value.name}")
            walk(value.value, depth + 1)
            return
        if isinstance(value, (bool, int, float)):
            put("v", f"{kind.__qualname__}:{value!r}")
            return
        if isinstance(value, bytes):
            put("b", value.hex())
            return
        if isinstance(value, (dt.date, dt.time, dt.timedelta)):
            put("d", f"{kind.__name__}:{value.isoformat() if hasattr(value, 'isoformat') else value}")
            return
        if isinstance(value, PurePath):
            put("p", value.as_posix())
            return
        if isinstance(value, re.Pattern):
            put("x", f"{value.flags}:{value.pattern}")
            return
        ref = seen.get(id(value))
        if ref is not None:
            put("r", str(ref))
            return
        seen[id(value)] = len(seen)
        keep.append(value)
        if kind is list or kind is tuple:
            put("[", f"{kind.__qualname__}:{len(value)}")
            for item in value:
                walk(item, depth + 1)
            return
        if kind is dict:
            put("{", f"dict:{len(value)}")
            for key, item in value.items():
                walk(key, depth + 1)
                walk(item, depth + 1)
            return
        if isinstance(value, _MKDOCS):
            put("m", _shallow(value))
            return
        if isinstance(value, Mapping):
            put("{", f"{kind.__qualname__}:{len(value)}")
            for key, item in value.items():
                walk(key, depth + 1)
                walk(item, depth + 1)
            return
        if isinstance(value, (set, frozenset)):
            parts = sorted(fingerprint(item, code=code) for item in value)
            put("S", ",".join(parts))
            return
        if isinstance(value, (list, tuple)):
            put("[", f"{kind.__qualname__}:{len(value)}")
            for item in value:
                walk(item, depth + 1)
            return
        if isinstance(value, functools.partial) and code:
            put("f", "partial")
            walk((value.func, value.args, value.keywords), depth + 1)
            return
        if inspect.isroutine(value) or isinstance(value, type):
            if not code:
                raise Unfingerprintable(f"callable {kind.__qualname__}")
            put("f", f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}")
            return
        if callable(value) and not code:
            raise Unfingerprintable(f"callable {kind.__qualname__}")
        state = _state(value)
        put("o", f"{kind.__module__}.{kind.__qualname__}:{len(state)}")
        for key, item in state.items():
            put("k", key)
            walk(item, depth + 1)

    for value in values:
        walk(value, 0)
    return hashlib.sha256("".join(out).encode("utf-8", "surrogatepass")).hexdigest()


_MKDOCS = (Page, File, Section, Link, Navigation)


def _shallow(value: Any) -> str:
    """MkDocs' structures inside a context value: what identifies them (see `fingerprint`)."""
    if isinstance(value, Page):
        return f"page {value.file.src_uri} {value.url} {value.title}"
    if isinstance(value, File):
        return f"file {value.src_uri} {value.dest_uri} {value.url}"
    if isinstance(value, Section):
        return f"section {value.title}"
    if isinstance(value, Link):
        return f"link {value.title} {value.url}"
    return "navigation"


def _state(value: Any) -> dict[str, Any]:
    """An object's attributes (its __dict__ and __slots__), callables refused."""
    state: dict[str, Any] = {}
    if hasattr(value, "__dict__"):
        state.update(vars(value))
    for cls in type(value).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if name not in state and name not in ("__dict__", "__weakref__") and hasattr(value, name):
                state[name] = getattr(value, name)
    if not state and not dataclasses.is_dataclass(value):
        raise Unfingerprintable(f"opaque {type(value).__qualname__}")
    return state


def config_digest(config) -> str:
    """Everything in the MkDocs configuration a page may show, plugins' options included."""
    parts: list[Any] = []
    for key in sorted(config.keys()):
        if key in ("site_dir", "watch", "dev_addr", "plugins", "theme", "hooks"):
            continue
        value = config[key]
        parts.append((key, [str(v) for v in value] if key == "extra_javascript" else value))
    theme = config.theme
    parts.append(("theme", theme.name, list(theme.dirs), {k: theme[k] for k in theme}))
    for name, plugin in config.plugins.items():
        parts.append(("plugin", name, type(plugin).__module__, type(plugin).__qualname__, dict(plugin.config),
                      _plugin_code(plugin)))
    return fingerprint(parts, code=True)


def _plugin_code(plugin) -> str:
    """The source file of a plugin's class (its package's version is not always known)."""
    try:
        return hashlib.sha256(Path(inspect.getfile(type(plugin))).read_bytes()).hexdigest()
    except (OSError, TypeError):
        return "-"


def theme_digest(dirs: list[str]) -> str:
    """Every file of the theme's folders, except those of installed packages (their version
    is in the code digest)."""
    import material
    import mkdocs

    installed = [Path(material.__file__).resolve().parent, Path(mkdocs.__file__).resolve().parent]
    h = hashlib.sha256()
    for folder in dirs:
        root = Path(folder).resolve()
        h.update(str(root).encode() + b"\0")
        if any(root == p or p in root.parents for p in installed):
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(root).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def files_digest(files) -> str:
    """Every file of the build with its URL: what a page's links are resolved against."""
    h = hashlib.sha256()
    for file in files:
        h.update(f"{file.src_uri}\0{file.dest_uri}\0{file.url}\0{file.inclusion.name}\n".encode())
    return h.hexdigest()


def nav_digest(nav) -> str:
    """The navigation as every page shows it: titles, URLs, nesting, the home page."""
    def walk(items):
        out = []
        for item in items:
            out.append((type(item).__name__, item.title, getattr(item, "url", None),
                        getattr(getattr(item, "file", None), "src_uri", None),
                        walk(item.children) if getattr(item, "children", None) else None))
        return out

    return fingerprint(walk(nav.items), nav.homepage.url if nav.homepage else None)


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
