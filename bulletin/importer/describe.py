"""Title, summary and topic tags for a plan that came without any.

The compilation gives its pieces no titles of their own, but most plans name themselves
in their opening paragraph ("特擬定市容環境衞生迎檢工作實施方案如下", "現將20xx年惠泉社區
文明創建工作制定如下"). The title is that self-description, cleaned of placeholder years
(the year lives in `year:`); when it is too generic to tell plans apart ("工作計劃") the
plan's theme ("做好精神文明創建工作") or its community ("利民社區") is put in front;
when nothing usable is found the title is 精神文明建設工作計劃（篇N）. Titles stay in the
source's script: the few words a title adds of its own are written in the plan's script.

Tags are normalised values (STYLE.md: "values editors type are normalised once"), so
they are Simplified whatever the script of the plan: the text is converted to Simplified
only to match the keyword table, never written back.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .layout import Block, numbering

# Words the title adds of its own, in the two scripts; the plan's script decides.
_WORDS_HANT = {"plan": "計劃", "default": "精神文明建設工作", "scheme": "實施方案"}
_WORDS_HANS = {"plan": "计划", "default": "精神文明建设工作", "scheme": "实施方案"}
SUMMARY_MAX = 80

_DOC = r"(?:計劃|计划|方案|規劃|规划|安排|要點|要点|思路)"
_SELF_PATTERNS = [
    re.compile(r"(?P<t>[^，。：；]{4,40}?工作)(?:制定|製定|提出|安排)(?:如下|以下)"),
    re.compile(r"(?:擬定|拟定|制定|製定|制訂|制订|作出|提出)(?:了|出)?(?P<t>[^，。：；]{2,40}?" + _DOC + r")"),
    re.compile(r"^(?P<t>[^，。：；]{4,40}?" + _DOC + r")："),
]
_THEMES = [
    re.compile(r"(?:做好|推進|推进|開展|开展)(?P<t>[^，。：；、]{4,16}?)工作"),
    re.compile(r"(?P<t>創建[^，。：；、的]{2,10}|创建[^，。：；、的]{2,10})(?:的)?工作"),
]
_LEADING = re.compile(r"^(?:現將|现将|現就|现就|如下|以下|特|現|现|我|本|了|將|将|就)+")
_YEAR = re.compile(r"(?:19|20)(?:\d\d|[xX]{2})年度?|[xX]{2,4}年度?|^年度?")
_GENERIC = re.compile(r"^(?:社區|社区|街道)?(?:年度)?(?:工作)?(?:實施|实施)?(?:安排)?" + _DOC + r"$")
_DOC_END = ("方案", "計劃", "计划", "規劃", "规划", "要點", "要点", "思路", "安排")
TITLE_MAX = 24

# A community, street or town named in the text: "利民社區", "殿前街道", "金蝦河社區". A
# name is a rare word (found in few plans of the compilation: "推動社區", "圍繞社區" are
# everywhere) standing after punctuation or a function word. In the opening paragraph,
# where a plan names its issuer ("，利民社區在殿前街道…"), any such boundary will do;
# further on only a location phrase counts ("從金蝦河社區實際出發", "《桃樹村村規民約》").
# Quoted slogans ("“商貿活鎮、農業穩鎮”") name nobody and are passed over.
_SUFFIXES = ("社區", "社区", "街道", "鎮", "镇", "村")
_PUNCT = set("，。、：；（）《》 ")
_BOUNDARY = _PUNCT | set("在從从和與与為为是了將将到及至向對对由於于把被讓让給给以即並并年現现")
_LOCATION = set("在從从由《")
_NOT_IN_NAME = _BOUNDARY | set("我本各該该全每等的之其此這这那個个")
_NOT_NAMES = {"文明", "和諧", "和谐", "平安", "新型", "轄區", "辖区", "示範", "示范", "全國", "全国", "基層", "基层"}


class Names:
    """Knows which words are rare in the compilation, to tell names from ordinary words."""

    def __init__(self, texts: list[str], share: float = 0.2) -> None:
        self.texts = texts
        self.limit = max(3, int(len(texts) * share))

    def rare(self, word: str) -> bool:
        return sum(word in text for text in self.texts) <= self.limit

    def find(self, intro: str, opening: str) -> str:
        """The first named place ("利民社區") in `intro`, else in `opening`, or ""."""
        return self._scan(intro, _BOUNDARY) or self._scan(opening, _LOCATION)

    def _scan(self, text: str, boundary: set[str]) -> str:
        quoted = 0
        for i in range(len(text)):
            quoted += {"“": 1, "”": -1}.get(text[i - 1], 0) if i else 0
            if quoted > 0 or (i and text[i - 1] not in boundary):
                continue
            for length in (3, 2):
                name = text[i:i + length]
                kind = next((k for k in _SUFFIXES if text.startswith(k, i + length)), "")
                if (kind and len(name) == length and name[-1] not in "社區区街鎮镇村"
                        and all("\u4e00" <= ch <= "\u9fff" for ch in name)
                        and not set(name) & _NOT_IN_NAME and name not in _NOT_NAMES and self.rare(name)):
                    return name + kind
        return ""


def _clean(title: str) -> str:
    title = _LEADING.sub("", title)
    title = _YEAR.sub("", title)
    return _LEADING.sub("", title).strip()


def self_description(intro: str) -> str:
    """What the opening paragraph calls the plan ("市容環境衞生迎檢工作實施方案"), or ""."""
    for pattern in _SELF_PATTERNS:
        for match in pattern.finditer(intro):
            found = _clean(match["t"])
            if not found or found[0] in "的之" or any(q in found for q in "“”\"") or len(found) > TITLE_MAX:
                continue
            return found if found.endswith(_DOC_END) else found + _words(intro)["plan"]
    return ""


def theme(intro: str) -> str:
    """The work the opening paragraph sets out to do ("精神文明創建"), or ""."""
    for pattern in _THEMES:
        match = pattern.search(intro)
        if match:
            found = _clean(match["t"])
            if found and not any(q in found for q in "“”\""):
                return found
    return ""


def is_simplified(text: str) -> bool:
    """True when `text` reads as Simplified: converting it to Simplified changes (almost) nothing."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return False
    converted = _to_simplified().convert("".join(han))
    return sum(a != b for a, b in zip(han, converted)) <= len(han) // 200


def _words(text: str) -> dict[str, str]:
    return _WORDS_HANS if is_simplified(text) else _WORDS_HANT


def title(number: int, parts: list[Block], names: Names) -> tuple[str, bool]:
    """(title, found) for a plan; found is False when the fallback title was used.

    Order: the plan's self-description; if that is generic ("工作計劃") or missing, the
    theme of its opening ("精神文明創建" + 工作實施方案); then the community named in
    its first lines goes in front ("利民社區" + 精神文明建設工作計劃).
    """
    intro = parts[0].text if parts and parts[0].level == 0 and not numbering(parts[0].text) else ""
    words = _words("".join(block.text for block in parts[:8]))
    found = self_description(intro) if intro else ""
    if not found or _GENERIC.match(found):
        doc = next((w for w in _DOC_END if found.endswith(w)), words["plan"])
        subject = theme(intro) if intro else ""
        if found and subject:
            found = subject + "工作" + (words["scheme"] if found.endswith(("實施方案", "实施方案")) else doc)
        elif found:
            found = words["default"] + doc
    name = names.find(intro, "".join(block.text for block in parts)[:400])
    if name and found and name not in found:
        found = name + re.sub(r"^(?:社區|社区|街道)", "", found)
    elif name and not found:
        found = name + words["default"] + words["plan"]
    if found:
        return found, True
    return f"{words['default']}{words['plan']}（篇{number}）", False


def strip_numbering(text: str) -> str:
    return text[len(numbering(text)):]


def summary(parts: list[Block]) -> str:
    """The plan's first sentence, at most SUMMARY_MAX characters (cut at a clause, then "……").

    Taken from the opening paragraph; a plan that opens straight with a heading uses that
    heading when it says something (at least 10 characters), else its first paragraph.
    """
    source = ""
    for block in parts:
        text = strip_numbering(block.text)
        if block.level == 0 or len(text) >= 10:
            source = text
            break
    end = re.search(r"[。！？]", source)
    sentence = source[:end.end()] if end else source
    if len(sentence) <= SUMMARY_MAX:
        return sentence
    cut = max(sentence.rfind(mark, 0, SUMMARY_MAX - 2) for mark in "，、；")
    if cut < SUMMARY_MAX // 2:
        cut = SUMMARY_MAX - 2
    return sentence[:cut] + "……"


# Topic table: tag (Simplified) → keywords (Simplified) and how many hits make the tag.
TOPICS: dict[str, tuple[tuple[str, ...], int]] = {
    "环境卫生": (("环境卫生", "卫生", "保洁", "垃圾", "市容", "绿化", "整洁", "清洁"), 4),
    "志愿服务": (("志愿", "学雷锋", "雷锋"), 3),
    "未成年人": (("未成年人", "青少年", "儿童", "中小学"), 3),
    "文明创建": (("文明城市", "文明社区", "文明单位", "文明家庭", "文明村", "文明镇", "创建"), 6),
    "宣传教育": (("宣传", "宣传栏", "板报", "讲座", "报告会"), 5),
    "理论学习": (("理论学习", "科学发展观", "政治理论", "学习贯彻", "中心组"), 3),
    "道德建设": (("道德", "荣辱观", "八荣八耻", "道德模范", "好人"), 5),
    "文化活动": (("文化活动", "文体", "文艺", "广场", "我们的节日", "传统节日", "演出"), 4),
    "移风易俗": (("移风易俗", "陈规陋习", "封建迷信", "铺张浪费", "婚育新风", "婚丧"), 1),
    "诚信建设": (("诚信", "守信"), 2),
    "平安建设": (("平安", "治安", "综合治理", "普法", "防范", "调解"), 3),
    "科学普及": (("科普", "科学知识", "科技活动"), 3),
    "社区教育": (("社区教育", "学习型", "课程", "市民学校", "文明学校"), 4),
    "计划生育": (("计划生育", "计生", "优生优育"), 2),
}
MAX_TAGS = 4


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("hk2s.json")


def tags(text: str) -> list[str]:
    """Up to MAX_TAGS topics whose keywords occur often enough, most hits first."""
    simple = _to_simplified().convert(text)
    scored = []
    for order, (tag, (words, needed)) in enumerate(TOPICS.items()):
        hits = sum(simple.count(word) for word in words)
        if hits >= needed:
            scored.append((-hits / needed, order, tag))
    return [tag for _, _, tag in sorted(scored)[:MAX_TAGS]]
