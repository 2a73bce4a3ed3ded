"""Typing left-overs in a compilation, repaired one kind at a time and counted.

Compilations copied from the web carry half-width punctuation inside Chinese text
("創建工作,按照"), stray spaces and hyphens that once defeated word filters ("城 管",
"和-諧"), and paragraphs broken in the middle of a word. Each repair has a kind; every
change is counted per kind so the import report can say what was touched.

Only the marks themselves change: no character of the text is added or removed except
the stray spaces and hyphens, so the Han characters and digits read exactly as before.
"""

from __future__ import annotations

from collections import Counter

# Kinds in report order, each with the Chinese label the report prints.
KINDS: dict[str, str] = {
    "comma": "半角逗号 , → ，",
    "colon": "半角冒号 : → ：",
    "semicolon": "半角分号 ; → ；",
    "question": "半角问号 ? → ？",
    "exclamation": "半角叹号 ! → ！",
    "paren": "半角括号 ( ) → （ ）",
    "quote": "半角引号 \" → “ ”",
    "space": "汉字之间多余的空格（已删除）",
    "hyphen": "汉字之间多余的连字符 -（已删除）",
    "joined_line": "一句话被断成两段（已接回）",
}

SIMPLE = {",": ("comma", "，"), ":": ("colon", "："), ";": ("semicolon", "；"),
          "?": ("question", "？"), "!": ("exclamation", "！")}

SENTENCE_END = "。！？"

# Full-width and CJK punctuation that counts as "Chinese" context, besides Han characters.
_CJK_MARKS = set("“”‘’…—·〃﹪•") | {chr(c) for c in range(0x2460, 0x24FF + 1)}


def is_han(ch: str | None) -> bool:
    """A Han character (CJK unified ideographs, extension A and compatibility forms)."""
    if not ch:
        return False
    code = ord(ch)
    return (0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3FFFF)


def is_cjk(ch: str | None) -> bool:
    """Han, or punctuation that belongs to Chinese text (、。《》 full-width forms and the like)."""
    if not ch:
        return False
    code = ord(ch)
    return (is_han(ch) or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or ch in _CJK_MARKS)


def _neighbour(chars: list[str], index: int, step: int) -> str | None:
    """The nearest character that is not a space, looking left (step -1) or right (+1)."""
    index += step
    while 0 <= index < len(chars):
        if chars[index] not in " \t":
            return chars[index]
        index += step
    return None


def _chinese_context(chars: list[str], index: int) -> bool:
    left, right = _neighbour(chars, index, -1), _neighbour(chars, index, 1)
    if left and right and left.isascii() and right.isascii() and left.isalnum() and right.isalnum():
        return False  # 1,000 / 8:30 / a,b stay as typed
    return is_cjk(left) or is_cjk(right)


def _parens(chars: list[str], counts: Counter) -> None:
    """Pair ( ) on the line; a pair turns full-width when it encloses or touches Chinese text.

    Pairs are decided together so that "(1)把" becomes "（1）把" rather than "(1）把".
    """
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    lone: list[int] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")":
            if stack:
                pairs.append((stack.pop(), i))
            else:
                lone.append(i)
    lone.extend(stack)
    for start, end in pairs:
        inside = chars[start + 1:end]
        if (any(is_cjk(c) for c in inside) or is_cjk(_neighbour(chars, start, -1))
                or is_cjk(_neighbour(chars, end, 1))):
            chars[start], chars[end] = "（", "）"
            counts["paren"] += 2
    for i in lone:
        if _chinese_context(chars, i):
            chars[i] = "（" if chars[i] == "(" else "）"
            counts["paren"] += 1


def _quotes(chars: list[str], counts: Counter) -> bool:
    """Straight double quotes become “ ” in turn; False if they cannot be paired safely."""
    where = [i for i, ch in enumerate(chars) if ch == '"']
    if not where:
        return True
    if len(where) % 2 or not all(_chinese_context(chars, i) for i in where):
        return False
    for n, i in enumerate(where):
        chars[i] = "“" if n % 2 == 0 else "”"
    counts["quote"] += len(where)
    return True


def _spaces_and_hyphens(chars: list[str], counts: Counter) -> list[str]:
    """Drop spaces between Chinese characters and hyphens between Han characters.

    Spaces inside a book title 《…》 are kept: there they separate the title's phrases.
    """
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(chars):
        ch = chars[i]
        if ch == "《":
            depth += 1
        elif ch == "》":
            depth = max(0, depth - 1)
        if ch in " \t" and out and depth == 0:
            j = i
            while j < len(chars) and chars[j] in " \t":
                j += 1
            if j < len(chars) and is_cjk(out[-1]) and is_cjk(chars[j]):
                counts["space"] += 1
                i = j
                continue
        if ch == "-" and out and is_han(out[-1]) and i + 1 < len(chars) and is_han(chars[i + 1]):
            counts["hyphen"] += 1
            i += 1
            continue
        out.append(ch)
        i += 1
    return out


def normalise_line(text: str, counts: Counter) -> tuple[str, bool]:
    """Repair one paragraph; add what changed to `counts`.

    Returns (text, quotes_ok). quotes_ok is False when straight quotes were left alone
    because they do not pair up, so the caller can tell the editor to check that line.
    """
    chars = list(text.strip())
    _parens(chars, counts)
    quotes_ok = _quotes(chars, counts)
    for i, ch in enumerate(chars):
        if ch in SIMPLE and _chinese_context(chars, i):
            kind, full = SIMPLE[ch]
            chars[i] = full
            counts[kind] += 1
    return "".join(_spaces_and_hyphens(chars, counts)), quotes_ok


def is_broken_paragraph(text: str, following: str) -> bool:
    """True when `text` stops mid-sentence and `following` carries on with the same sentence.

    The compilation sometimes breaks a paragraph inside a word ("…教育、快" / "樂童聲…").
    Such a paragraph already holds a full sentence (a 。) yet ends on a Han character,
    and the next one starts with one. A short heading such as "一、指導思想" has no 。 and
    is never joined.
    """
    return (bool(text) and bool(following) and is_han(text[-1]) and is_han(following[0])
            and any(mark in text for mark in SENTENCE_END))
