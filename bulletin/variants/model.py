"""What a variant is, and which paths are pages (one per variant) or shared files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..script.markers import SCRIPTS

DEFAULT_LANG = {"zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant", "zh-HK": "zh-Hant-HK",
                "zh-TW": "zh-Hant-TW"}
DEFAULT_LABEL = {"zh-Hans": "简", "zh-Hant": "繁", "zh-HK": "繁", "zh-TW": "繁"}
# Files each variant has its own copy of, although they are not HTML.
PER_VARIANT = frozenset({"sitemap.xml", "sitemap.xml.gz"})


@dataclass(frozen=True)
class Variant:
    """One published script: where it lives and how it is named."""

    code: str          # zh-Hans | zh-Hant | zh-HK | zh-TW
    prefix: str = ""   # "" for the default, at the root; else a folder such as "zh-hk"
    label: str = ""    # what the switch shows: 简 / 繁
    lang: str = ""     # BCP 47 tag for <html lang> and hreflang
    phrases: bool = False
    corner_quotes: bool | None = None  # “”‘’ as 「」『』; None: as its readers print (Traditional: yes)

    def __post_init__(self) -> None:
        if self.code not in SCRIPTS:
            raise ValueError(f"unknown script {self.code!r}; expected one of {SCRIPTS}")
        object.__setattr__(self, "prefix", self.prefix.strip("/"))
        object.__setattr__(self, "label", self.label or DEFAULT_LABEL[self.code])
        object.__setattr__(self, "lang", self.lang or DEFAULT_LANG[self.code])
        if self.corner_quotes is None:
            object.__setattr__(self, "corner_quotes", self.code != "zh-Hans")

    @property
    def depth(self) -> int:
        return len(self.prefix.split("/")) if self.prefix else 0

    @property
    def folder(self) -> str:
        """How its pages' paths start: "" at the root, else "zh-hk/"."""
        return self.prefix + "/" if self.prefix else ""

    @property
    def key(self) -> str:
        """Its `lang` in lower case: how Pagefind, and search after it, name its index."""
        return self.lang.lower()

    def to_extra(self) -> dict[str, str]:
        """The mapping the switch template reads from config.extra.bulletin_variants."""
        return {"code": self.code, "label": self.label, "prefix": self.prefix, "lang": self.lang}


def preferred_traditional(variants: Iterable[Variant]) -> str:
    """The Traditional standard short text is taken to be in. Short Traditional text often
    cannot tell Hong Kong from OpenCC forms: assume the Traditional variant the site
    publishes (else Hong Kong's), so such text is never converted into itself."""
    return next((v.code for v in variants if v.code != "zh-Hans"), "zh-HK")


def as_variants(items: Iterable[Variant | Mapping], default: str) -> list[Variant]:
    """Variants from config mappings; the default is put first and served at the root."""
    out = [v if isinstance(v, Variant) else Variant(**dict(v)) for v in items]
    codes = [v.code for v in out]
    if default not in codes:
        raise ValueError(f"default variant {default!r} is not among {codes}")
    if len(set(codes)) != len(codes):
        raise ValueError(f"a script appears twice among the variants: {codes}")
    out = [Variant(v.code, "", v.label, v.lang, v.phrases, v.corner_quotes) if v.code == default else v for v in out]
    for v in out:
        if v.code != default and not v.prefix:
            raise ValueError(f"variant {v.code} needs a prefix (a folder name such as "
                             f"{v.code.lower()!r}); only the default lives at the root")
    prefixes = [v.prefix for v in out]
    if len(set(prefixes)) != len(prefixes):
        raise ValueError(f"two variants share a prefix: {prefixes}")
    return sorted(out, key=lambda v: v.code != default)


def page_url(rel: str) -> str:
    """The URL path of page file `rel` relative to its variant root ("plans/x/", "", "404.html")."""
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def up(path_dir: str) -> str:
    return "../" * len([p for p in path_dir.split("/") if p])


def is_page_path(path: str) -> bool:
    """Whether a site-relative path names a page (every variant has one) or a shared file."""
    if path in PER_VARIANT:
        return True
    if path in ("", ".") or path.endswith("/"):
        return True
    last = path.rsplit("/", 1)[-1]
    if last.endswith((".html", ".htm")):
        return True
    return "." not in last  # "plans/x": a directory, served as its index page
