"""The front-matter schema of each content kind, and validation against it."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any


from ..report import Report

KINDS = ("plan", "album", "person", "page")


@dataclass(frozen=True)
class Field:
    """One front-matter key: its Chinese label, expected type and an example value."""

    label: str
    type: str  # str | int | year | date | bool | tags | map | number | list
    required: bool = False
    example: str = ""


PLAN_FIELDS: dict[str, Field] = {
    "title": Field("标题", "str", True, "title: 社区精神文明建设工作计划"),
    "community": Field("发文单位", "str", example="community: 幸福街道办事处"),
    "year": Field("年份", "year", example="year: 2026"),
    "year_placeholder": Field("年份是占位符", "bool"),
    "date": Field("日期", "date", example="date: 2026-02-03"),
    "recipient": Field("报送单位", "str"),
    "tags": Field("主题标签", "tags", example="tags: [环境卫生, 志愿服务]"),
    "source": Field("来源", "str"),
    "summary": Field("摘要", "str"),
    "variant_of": Field("相似计划", "map", example="variant_of: {plan: plan-16, similarity: 0.93}"),
    "normalised": Field("导入时的规范化", "map"),
}

ALBUM_FIELDS: dict[str, Field] = {
    "title": Field("标题", "str", True, "title: 学雷锋志愿服务活动"),
    "date": Field("活动日期", "date", True, "date: 2026-03-05"),
    "location": Field("地点", "str", example="location: 社区文化广场"),
    "cover": Field("封面照片", "str", example="cover: IMG_0012.jpg"),
    "captions": Field("照片说明", "map", example="captions: {IMG_0012.jpg: 志愿者为老人理发}"),
    "order": Field("照片顺序", "list", example="order: [IMG_0012.jpg, IMG_0013.jpg]"),
    "summary": Field("简介", "str"),
    "tags": Field("主题标签", "tags"),
}

PERSON_FIELDS: dict[str, Field] = {
    "name": Field("姓名", "str", True, "name: 王秀英"),
    "name_hant": Field("繁体姓名", "str"),
    "category": Field("类别", "str", True, "category: 助人为乐"),
    "honored": Field("上榜年月", "str", True, "honored: 2026-11"),
    "community": Field("所在社区", "str"),
    "portrait": Field("照片", "str", example="portrait: wang.jpg"),
    "focus": Field("照片焦点", "list", example="focus: [0.5, 0.3]"),
    "summary": Field("一句话事迹", "str", True, "summary: 十年如一日照顾孤寡老人"),
    "consent": Field("本人同意记录", "map", example="consent: {by: 本人, date: 2026-10-20, show_portrait: true}"),
    "minor": Field("未成年人", "bool"),
    # An age or a birth date under 18 makes the person a minor (people.review): known keys,
    # so that writing one instead of `minor: true` can never pass as an ignored typo.
    "age": Field("年龄", "int", example="age: 35"),
    "born": Field("出生日期", "date", example="born: 1990-05-01"),
    "birthday": Field("出生日期", "date", example="born: 1990-05-01"),
    "birth": Field("出生日期", "date", example="born: 1990-05-01"),
    "until": Field("展示截止日期", "date", example="until: 2027-10-31"),
    "tags": Field("主题标签", "tags"),
}

# Ordinary pages (home, about, docs-like pages) accept Material's own keys.
PAGE_FIELDS: dict[str, Field] = {
    "title": Field("标题", "str"),
    "description": Field("页面描述", "str"),
    "summary": Field("摘要", "str"),
    "tags": Field("主题标签", "tags"),
    "hide": Field("隐藏的页面部件", "list"),
    "template": Field("模板", "str"),
    "icon": Field("图标", "str"),
    "status": Field("状态", "str"),
    "search": Field("搜索设置", "map"),
}

SCHEMAS = {"plan": PLAN_FIELDS, "album": ALBUM_FIELDS, "person": PERSON_FIELDS, "page": PAGE_FIELDS}

TYPE_NAMES = {
    "str": "一段文字", "int": "整数", "year": "四位年份（或占位的 20xx）", "date": "日期（如 2026-03-05）",
    "bool": "true 或 false", "tags": "标签列表（如 [环境卫生, 志愿服务]）", "map": "「键: 值」的组合",
    "number": "数字", "list": "列表（如 [a, b]）",
}


def validate(meta: dict, lines: dict[str, int], kind: str, display: str, report: Report) -> dict | None:
    """Check keys and types against the kind's schema; return normalised meta or None.

    Unknown keys are warnings (a typo should not hide a page); missing required keys and
    wrong types are errors, and the page is skipped.
    """
    schema = SCHEMAS[kind]
    ok = True
    clean: dict[str, Any] = {}
    for key, value in meta.items():
        key = str(key)
        line = lines.get(key)
        spec = schema.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"是不是「{close[0]}」？" if close else f"可用的项：{'、'.join(schema)}。"
            report.add("CONTENT003", display, line, key=key, hint=hint)
            continue
        if value is None or value == "" or value == []:
            if spec.required:
                continue  # reported below as missing
            report.add("CONTENT010", display, line, key=key)
            continue
        normalised = _coerce(value, spec.type)
        if normalised is _BAD:
            shown = str(value)
            shown = shown if len(shown) <= 40 else shown[:40] + "…"
            report.add("CONTENT005", display, line, key=key, label=spec.label,
                       expected=TYPE_NAMES[spec.type], value=shown,
                       hint=f"例如：{spec.example}" if spec.example else "")
            ok = False
            continue
        clean[key] = normalised
    for key, spec in schema.items():
        if spec.required and key not in clean and not (key in meta and meta[key] not in (None, "", [])):
            report.add("CONTENT004", display, lines.get(key) or 1, key=key, label=spec.label,
                       example=spec.example or f"{key}: …")
            ok = False
    return clean if ok else None


_BAD = object()


def _coerce(value: Any, type_: str) -> Any:
    if type_ == "str":
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value).strip()
        if isinstance(value, dt.date):
            return value.isoformat()
        return _BAD
    if type_ == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else _BAD
    if type_ == "number":
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else _BAD
    if type_ == "year":
        if isinstance(value, int) and not isinstance(value, bool) and 1949 <= value <= 2100:
            return value
        if isinstance(value, str) and re.fullmatch(r"(?:19|20)(?:\d\d|[xX]{2})|[xX]{2,4}", value.strip()):
            return value.strip()
        return _BAD
    if type_ == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and value.strip():
            return value.strip()
        return _BAD
    if type_ == "bool":
        return value if isinstance(value, bool) else _BAD
    if type_ == "tags":
        if isinstance(value, str):
            items = re.split(r"[,，、;；]\s*", value)
        elif isinstance(value, list):
            items = value
        else:
            return _BAD
        if not all(isinstance(i, (str, int)) for i in items):
            return _BAD
        return [str(i).strip() for i in items if str(i).strip()]
    if type_ == "map":
        return value if isinstance(value, dict) else _BAD
    if type_ == "list":
        return value if isinstance(value, list) else _BAD
    raise ValueError(type_)
