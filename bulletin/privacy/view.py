"""The view: what a reader sees of a text around its digits, one character for one."""

from __future__ import annotations

import html
import re
import unicodedata
from itertools import chain
from typing import Iterable
from urllib.parse import unquote


# Full-width digits and the marks that go with numbers, mapped one code point to one:
# what the address pattern reads.
_WIDE = str.maketrans(
    "０１２３４５６７８９Ｘｘ＋－\u3000\u2010\u2011\u2012\u2013\u2014\u2212",
    "0123456789Xx+-" + " " + "-" * 6,
)

# What the view is read for: digits, ASCII letters (a letter next to a digit glues it
# into a code such as a file hash), the separators " ", "\n", "-", ".", "/", and two
# marks of our own. Every other character ends a number.
_T = "\x00"  # transparent: markup or an invisible character; digits on both sides stay together
_B = "\x01"  # barrier: a block tag (<p>, <td>); a number does not continue across it

# Tags that sit inside a run of text: a number may be split by them. Shared with
# sitecheck, which joins the text pieces of a built page across exactly these tags.
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd mark q s samp small span strike "
    "strong sub sup time tt u var wbr".split()
)
# Attributes that hold coordinates, styling or hashes, not words: their digit strings
# are never a number someone wrote.
NOT_TEXT_ATTRS = frozenset({"d", "points", "viewbox", "transform", "style", "class", "integrity"})


def _table() -> dict[int, str]:
    """NFKC, reduced to what matters around digits, one code point to one.

    Only the BMP outside the CJK ideographs and the few supplementary blocks with
    digits or format characters are examined: the rest normalises to nothing we read.
    """
    kept = set("0123456789+-./ ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    table: dict[int, str] = {}
    points = chain(range(0x3400), range(0xA000, 0x10000), range(0x1D7CE, 0x1D800), range(0x1FBF0, 0x1FBFA),
                   (0x110BD, 0x110CD), range(0x13430, 0x13440), range(0x1BCA0, 0x1BCA4),
                   range(0x1D173, 0x1D17B), range(0xE0000, 0xE0080))
    for point in points:
        char = chr(point)
        category = unicodedata.category(char)
        if category == "Cf":
            table[point] = _T
        elif category == "Zs" or char in "\t\r\v\f":
            table[point] = " "
        elif category in ("Zl", "Zp"):
            table[point] = "\n"
        elif category == "Pd" or char == "\u2212":  # hyphens, dashes, the minus sign
            table[point] = "-"
        elif category[0] != "L" or not char.isascii():
            normal = unicodedata.normalize("NFKC", char)
            if len(normal) == 1 and normal != char and normal in kept:
                table[point] = normal
    table.update({ord(mark): _T for mark in "*_~`"})  # Markdown emphasis and code marks
    table.update({ord(_T): "?", ord(_B): "?"})  # our marks must not come from the text
    return table


_TABLE = _table()


# A short note in a comment is read through, as the browser shows the digits around it
# as one run; a long one, or commented-out markup, ends a number and is read as text.
# Bounded and stopping at "<": an unclosed comment costs no scan to the end of the page.
_COMMENT = r"<!--(?:[^<>-]|-(?!->)){0,200}+-->"
_COMMENT_RE = re.compile(_COMMENT)


def read_through(comment: str) -> bool:
    """True if the view reads digits on both sides of `<!--comment-->` as one run.

    `sitecheck` asks this, to join the text of a built page exactly where the view does.
    """
    return _COMMENT_RE.fullmatch(f"<!--{comment}-->") is not None


def _class(points: Iterable[int]) -> str:
    """A character class body of ranges: the search engine scans ranges fast, long lists slowly."""
    spans: list[list[int]] = []
    for point in sorted(set(points)):
        if spans and point == spans[-1][1] + 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in spans)


def _window_re() -> re.Pattern:
    """Eleven digits or more, each written any way, with nothing but markup between them.

    A digit: any character the view makes a digit, or an entity or percent escape that
    spells one. Between digits: any tag, any other entity or escape, and any character
    the view makes a space, dash, dot, slash, line break or transparent mark. A search
    that fails reads at most the ten digits' chain again from each of them: linear.
    """
    digits = _class(chain(range(0x30, 0x3A), (k for k, v in _TABLE.items() if v.isdigit())))
    gaps = _class(chain(map(ord, " \n-./"), (k for k, v in _TABLE.items() if v in (" ", "-", ".", "/", "\n", _T))))
    x = _class(chain(map(ord, "Xx"), (k for k, v in _TABLE.items() if v in "Xx")))
    # Escapes that spell a digit, ASCII or full-width (a browser percent-encodes "tel:１３８…").
    entity = r"#0*(?:4[89]|5[0-7]|6529[6-9]|6530[0-5])(?![0-9]);?|#[xX]0*(?:3|[fF][fF]1)[0-9](?![0-9A-Fa-f]);?"
    percent = r"3[0-9]|[eE][fF]%[bB][cC]%9[0-9]"
    escape = rf"&(?:{entity})|%(?:{percent})"
    digit = rf"(?:[{digits}]|{escape})"
    gap = rf"(?:(?!{escape})(?:<[A-Za-z/][^<>]*>|{_COMMENT}|&#?[A-Za-z0-9]{{1,32}};|%[0-9A-Fa-f]{{2}}|[{gaps}]))"
    # The first digit is matched as one class, then told apart: a pattern that starts
    # with a class lets the engine skip to candidates quickly. Possessive repeats: a gap
    # never starts like a digit, so there is nothing to take back.
    first = rf"[{digits}&%](?:(?<=&)(?:{entity})|(?<=%)(?:{percent})|(?<=[{digits}]))"
    return re.compile(rf"{first}(?:{gap}*+{digit}){{10,}}+(?:{gap}*+[{x}])?")


_WINDOW_RE = _window_re()
_PLAIN_DIGITS = "0123456789０１２３４５６７８９"
_OTHER_DIGIT_RE = re.compile("[%s]" % _class(k for k, v in _TABLE.items() if v.isdigit() and chr(k) not in _PLAIN_DIGITS))


_TOKEN_RE = re.compile(
    rf"(?P<comment>{_COMMENT})"
    r"|<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^<>]*>"
    r"|&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)"
    r"|(?:%[0-9A-Fa-f]{2})+"
)
_ELEVEN_DIGITS = re.compile(r"[0-9](?:[^0-9]*[0-9]){10}")


def view(text: str) -> str:
    """What a reader sees of `text` around digits, as a string of the same length.

    NFKC; spaces of every kind to " "; dashes to "-"; zero-width and other format
    characters, Markdown emphasis marks, inline HTML tags and short comments to a
    transparent mark; an entity or a percent escape to the character it encodes
    followed by transparent marks; a line break in HTML (<br>) to a space; other tags
    to a barrier. Linear in the length of the text: one translation, then one pass over
    the markup tokens.
    """
    return _view(text)[0]


def _view(text: str) -> tuple[str, list[tuple[int, int, bool]]]:
    """The view, and what it hides that could hold a number.

    (start, end, is a comment) for each tag with eleven digits or more, and for the
    text of each comment it reads through: both are published with the page.
    """
    plain = text.translate(_TABLE)
    if "<" not in text and "&" not in text and "%" not in text:
        return plain, []
    pieces: list[str] = []
    hidden: list[tuple[int, int, bool]] = []
    last = 0
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        token = m.group()
        if m.group("comment"):
            shown = ""  # a browser shows the digits around it as one run
            hidden.append((start + 4, end - 3, True))
        elif m.group(3):
            name = m.group(3).lower()
            if name == "br":
                shown = " "  # a space, not "\n": Markdown writes "<br />\n", which is not a blank line
            elif name in INLINE_TAGS:
                shown = ""
            else:
                shown = _B * (end - start)
            if _ELEVEN_DIGITS.search(plain, start, end):
                hidden.append((start, end, False))
        else:
            decoded = unquote(token, errors="replace") if token[0] == "%" else html.unescape(token)
            if decoded == token:
                continue
            shown = decoded.translate(_TABLE)
        pieces.append(plain[last:start])
        pieces.append(shown + _T * (end - start - len(shown)))
        last = end
    pieces.append(plain[last:])
    return "".join(pieces), hidden
