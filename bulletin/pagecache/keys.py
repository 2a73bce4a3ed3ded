"""The keys of the page cache: values taken apart to plain data and digested
(`fingerprint`), and the digests of what every page of a build shares: the configuration,
the theme's files, the file list and the navigation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import inspect
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

from markupsafe import Markup
from mkdocs.structure.files import File
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page


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
