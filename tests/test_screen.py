"""The lobby screen without a browser: slide data, QR codes, play order, page and bundle."""

from __future__ import annotations

import collections
import datetime as dt
import html as htmllib
import json
import re
from pathlib import Path

import opencc
import pytest
import zxingcpp
from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from bulletin import content, plans, screen
from bulletin.notices import Notice, parse_notices, read_page
from bulletin.report import Report
from bulletin.screen import qr_svg
from bulletin.screen_config import ScreenConfig
from bulletin.script import strip_marks
from bulletin.variants import Variant
from helpers_screen import (LONG_TITLE, SITE_URL, TODAY, album, albums, build, make_sources, people, person, photo,
                            plan, site_model)


def page_json(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="screen-data">(.*?)</script>', page, re.S)
    assert match, "the slide data is inlined in the page"
    return json.loads(match[1])


def decode_qr(svg: str) -> str:
    """Rasterise the SVG path of a QR code and read it back with zxing."""
    from PIL import Image, ImageDraw

    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg)[1])
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    path = re.search(r'stroke="#000" d="([^"]+)"', svg)[1]
    x = y = 0.0
    for op, args in re.findall(r"([Mmhv])([-\d. ]+)", path):
        nums = [float(n) for n in args.split()]
        if op == "M":
            x, y = nums
        elif op == "m":
            x, y = x + nums[0], y + nums[1]
        elif op == "h":
            end = x + nums[0]
            draw.rectangle([min(x, end) * scale, (y - 0.5) * scale, max(x, end) * scale - 1, (y + 0.5) * scale - 1], fill=0)
            x = end
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found"
    return results[0].text


# Configuration --------------------------------------------------------------------------

class Holder(Config):
    screen = c.SubConfig(ScreenConfig)


def load_screen(value: dict):
    holder = Holder()
    holder.load_dict({"screen": value})
    return holder.validate(), holder


def test_config_defaults_match_the_issue():
    (failed, warnings), holder = load_screen({})
    assert failed == [] and warnings == []
    conf = holder["screen"]
    assert conf["enabled"] is True
    assert dict(conf["dwell"]) == {"person": 12, "photo": 8, "plan": 15, "notice": 10, "honor_roll": 15, "album": 10}
    assert dict(conf["kinds"]) == {"person": 3, "photo": 2, "plan": 1, "notice": 1, "honor_roll": 1, "album": 1}
    assert dict(conf["kinds"]) == screen.Settings().kinds and dict(conf["dwell"]) == screen.Settings().dwell
    assert (conf["on_hours"], conf["orientation"], conf["check_interval"]) == ("07:00-22:00", "auto", 300)
    defaults = screen.Settings()  # mkdocs.yml's defaults are the screen's own, written once
    for key in ("on_hours", "orientation", "check_interval", "max_points", "plans", "photos_per_album"):
        assert conf[key] == getattr(defaults, key), key


@pytest.mark.parametrize("value, fragment", [
    ({"on_hours": "7点到22点"}, "开机时段「7点到22点」看不懂"),
    ({"on_hours": "07:00-25:00"}, "时间不存在"),
    ({"orientation": "sideways"}, "orientation"),
    ({"dwell": {"photo": 0}}, "应不小于 1"),
    ({"kinds": {"notice": -1}}, "应不小于 0"),
    ({"check_interval": 2}, "应不小于 10"),
])
def test_config_rejects_bad_values(value, fragment):
    (failed, _), _ = load_screen(value)
    assert failed and fragment in str(failed[0][1])


def test_config_warns_on_unknown_key_and_accepts_overnight_hours():
    (failed, warnings), holder = load_screen({"on_hours": "20:00-02:00", "dwel": {}})
    assert failed == []
    assert "dwel" in warnings[0][1]
    assert screen.parse_hours(holder["screen"]["on_hours"]) == (1200, 120)


def test_settings_from_the_mounted_config_object():
    (_, _), holder = load_screen({"dwell": {"photo": 5}, "kinds": {"plan": 0}})
    conf = screen.settings(holder["screen"], site_url=SITE_URL, site_name="站")
    assert conf.dwell["photo"] == 5 and conf.dwell["person"] == 12
    assert conf.kinds["plan"] == 0 and conf.site_url == SITE_URL


# Slides ---------------------------------------------------------------------------------

@pytest.fixture
def fixture_slides(tmp_path):
    src = make_sources(tmp_path)
    index = content.load(src)
    conf = screen.settings({}, site_url=SITE_URL)
    site = site_model(plans=plans.collect(index), albums=albums(), people=people(), notices=read_page(index).notices)
    result = screen.slides(site, conf, today=TODAY)
    return result, index


def test_every_kind_has_slides_with_qr_to_the_absolute_page(fixture_slides):
    result, _ = fixture_slides
    assert {s["kind"] for s in result} == {"person", "photo", "plan", "notice", "honor_roll", "album"}
    for slide in result:
        assert slide["link"].startswith(("https://bulletin.example.org/")), slide
        assert decode_qr(slide["qr"]) == slide["link"]
    plan = next(s for s in result if s["url"] == "plans/plan-01/")
    assert plan["link"] == "https://bulletin.example.org/plans/plan-01/"


def test_honor_roll_latest_month_first_and_expired_left_out(fixture_slides):
    result, _ = fixture_slides
    persons = [s for s in result if s["kind"] == "person"]
    assert [s["name"] for s in persons] == ["孙志强", "欧阳明远", "王秀英", "李建国", "赵敏"]
    assert persons[0]["honored_text"] == "2026年11月"
    assert persons[4]["image"] is None  # no portrait: the card is shown without one


def test_plan_highlights_are_title_community_and_h2_headings(fixture_slides):
    result, _ = fixture_slides
    plan = next(s for s in result if s["url"] == "plans/plan-01/")
    assert plan["title"] == "幸福社区2026年精神文明建设工作计划"
    assert plan["community"] == "幸福社区居委会" and plan["date_text"] == "2026年3月1日"
    assert plan["points"] == ["一、指导思想", "二、工作目标", "三、主要措施", "四、工作要求"]
    long = next(s for s in result if s["url"] == "plans/plan-02/")
    assert long["title"] == LONG_TITLE and len(long["title"]) == 200
    assert len(long["points"]) == 6  # max_points


def test_plan_variants_are_shown_once(tmp_path):
    src = make_sources(tmp_path, {"plans/plan-04.md": "---\ntitle: 重复的计划\nvariant_of: {plan: plan-01, similarity: 0.95}\n---\n## 一、甲\n"})
    index = content.load(src)
    result = screen.plan_slides(plans.collect(index), screen.settings())
    assert "plans/plan-04/" not in [s["url"] for s in result] and len(result) == 3


def test_album_photos_newest_album_first_with_captions(fixture_slides):
    result, _ = fixture_slides
    photos = [s for s in result if s["kind"] == "photo"]
    assert [s["image"].rsplit("/", 1)[-1] for s in photos] == ["IMG_0100.screen.jpg"] + [
        f"IMG_020{i}.screen.jpg" for i in range(1, 7)] + ["IMG_0001.screen.jpg", "IMG_0002.screen.jpg"]
    assert photos[7]["caption"] == "志愿者为老人义务理发" and photos[7]["title"] == "学雷锋志愿服务活动"
    assert photos[7]["image"] == "media/albums/spring/IMG_0001.screen.jpg"
    assert photos[7]["link"] == "https://bulletin.example.org/albums/spring/"


def test_missing_kinds_simply_have_no_slides():
    result = screen.slides(site_model(), {})
    assert result == []
    page = screen.render(result, {"site_name": "宣传栏"})
    data = page_json(page)
    assert data["slides"] == [] and data["order"] == []
    assert data["site"]["qr"]  # the standby slide still has a QR code


def test_notices_date_ranges_links_and_expiry(fixture_slides):
    result, index = fixture_slides
    notices = [s for s in result if s["kind"] == "notice"]
    assert len(notices) == 2  # the third one ended on 2026-11-01
    first, second = notices
    assert first["text"].startswith("12月1日上午9点") and first["start"] == "2026-11-25" and first["until"] == "2026-12-31"
    assert first["period_text"] == "11月25日至12月31日"
    assert first["link"] == "https://bulletin.example.org/notices/"
    assert second["text"] == "社区图书室开放时间调整为每天 8:30—20:00，详情。"
    assert second["link"] == "https://bulletin.example.org/library/" and decode_qr(second["qr"]) == second["link"]
    assert index.report.problems == []


def test_notice_syntax_variants_and_bad_range_reported_with_line():
    body = ("\n- 至 2026-12-01：只写截止日期。\n"
            "- 2026年12月2日 起：**从某天起**显示，\n  第二行接在同一条。\n"
            "- 2026-13-45 至 2026-12-01：日期写错了。\n"
            "- 没有日期的通知\n\n不是列表的段落\n")
    report = Report()
    notices = parse_notices(body, "site_src/notices.md", 5, report)
    assert [n.text for n in notices] == ["只写截止日期。", "从某天起显示， 第二行接在同一条。", "日期写错了。", "没有日期的通知"]
    assert notices[0].until == dt.date(2026, 12, 1) and notices[0].start is None
    assert notices[1].start == dt.date(2026, 12, 2) and notices[1].until is None
    assert report.codes() == [("SCREEN001", "site_src/notices.md", 9)]
    assert "2026-13-45 至 2026-12-01" in report.problems[0].message


def test_relative_link_when_site_url_is_empty():
    conf = screen.settings({})
    assert screen.page_url("plans/plan-01/", conf) == "../plans/plan-01/"
    assert screen.page_url("https://other.example/x", conf) == "https://other.example/x"
    with_site = screen.settings({}, site_url="https://a.example/sub/")
    assert screen.page_url("plans/p/", with_site, "zh-Hant/") == "https://a.example/sub/zh-Hant/plans/p/"


# Play order -----------------------------------------------------------------------------

def kinds_of(order, slide_list):
    return [slide_list[i]["kind"] for i in order]


def test_playlist_interleaves_kinds_in_proportion_and_covers_every_slide():
    slide_list = ([{"kind": "person"}] * 5 + [{"kind": "photo"}] * 7 + [{"kind": "plan"}] * 2 + [{"kind": "notice"}])
    order = screen.playlist(slide_list, {"person": 3, "photo": 2, "plan": 1, "notice": 1})
    assert set(order) == set(range(len(slide_list)))
    counts = collections.Counter(kinds_of(order, slide_list))
    assert counts["person"] / counts["notice"] == pytest.approx(3, rel=0.01)
    assert counts["photo"] / counts["plan"] == pytest.approx(2, rel=0.01)
    first = kinds_of(order[:7], slide_list)
    assert collections.Counter(first) == {"person": 3, "photo": 2, "plan": 1, "notice": 1}
    assert all(a != b or a == "person" for a, b in zip(first, first[1:]))  # interleaved, not in blocks


def test_playlist_leaves_out_kinds_with_weight_zero_or_no_slides():
    slide_list = [{"kind": "person"}, {"kind": "plan"}]
    assert kinds_of(screen.playlist(slide_list, {"person": 3, "plan": 0, "photo": 2}), slide_list) == ["person"]
    assert screen.playlist(slide_list, {"person": 0, "plan": 0}) == []


# The page -------------------------------------------------------------------------------

def test_page_inlines_everything_and_cannot_be_broken_out_of():
    evil = "</script><script>alert(1)</script>"
    slide_list = screen.slides(site_model(notices=[Notice(evil)]), {"site_url": SITE_URL}, today=TODAY)
    page = screen.render(slide_list, screen.settings({}, site_name="宣传栏<b>"))
    assert "<script>alert(1)" not in page
    assert all(link.startswith('<link rel="icon" href="data:') for link in re.findall(r"<link[^>]*>", page))
    assert 'src="http' not in page and "fetch('http" not in page
    assert page.count("<script") == 2  # the data and the slideshow, both inline
    data = page_json(page)
    assert data["slides"][0]["text"] == evil
    assert "宣传栏&lt;b&gt;" in page
    assert data["labels"]["weekdays"][0] == "星期日"


def test_script_has_no_chinese_ui_text():
    script = (screen.THEME_DIR / "screen.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    assert not re.search(r"[\u4e00-\u9fff]", code)


def tag_each_text(page: str) -> str:
    """A converter that marks every text node, script content included (the worst case)."""
    return re.sub(r">([^<]*[\u4e00-\u9fff][^<]*)<", lambda m: ">[T]" + m[1] + "<", page)


class Tagging:
    """A script.Converter stand-in that marks every text it converts (the worst case)."""

    def text(self, text: str, source: str = "zh-Hans") -> str:
        text = strip_marks(text)
        return "[T]" + text if re.search(r"[\u4e00-\u9fff]", text) else text

    def html(self, page: str) -> str:
        return tag_each_text(page)


HANT = Variant("zh-Hant", "zh-Hant")


def test_variant_conversion_reaches_every_text_exactly_once():
    slide_list = screen.slides(site_model(people=people()[:1], notices=[Notice("通知")]), {"site_url": SITE_URL}, today=TODAY)
    page = screen.render(slide_list, screen.settings({}, site_url=SITE_URL, site_name="宣传栏"), HANT, Tagging())
    data = page_json(page)
    person = data["slides"][0]
    for key in ("name", "category", "honored_text", "community", "summary"):
        assert person[key].startswith("[T]") and person[key].count("[T]") == 1, key
    assert data["slides"][1]["text"] == "[T]通知"
    assert all(w.count("[T]") == 1 for w in data["labels"]["weekdays"])
    assert "<title>[T]宣传栏 · 宣传栏大屏</title>" in page
    assert page.count("[T][T]") == 0
    assert person["link"] == "https://bulletin.example.org/zh-Hant/people/2026-10-li/"
    assert decode_qr(person["qr"]) == person["link"]
    assert '<html lang="zh-Hant">' in page and data["base"] == "../../"


def test_variant_with_opencc_gives_traditional_text():
    s2t = opencc.OpenCC("s2t.json")

    class Convert:
        def text(self, text: str, source: str = "zh-Hans") -> str:
            return s2t.convert(strip_marks(text))

        def html(self, page: str) -> str:
            parts = re.split(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]+>)", page, flags=re.S)
            return "".join(p if p.startswith("<") else s2t.convert(p) for p in parts)

    slide_list = screen.slides(site_model(people=people()[:2]), {"site_url": SITE_URL}, today=TODAY)
    page = screen.render(slide_list, {"site_name": "幸福街道文明宣传栏"}, HANT, Convert())
    data = page_json(page)
    assert data["slides"][0]["summary"].startswith("十年如一日照顧社區孤寡老人")
    assert data["labels"]["photo"] == "活動相冊" and data["labels"]["person"] == "好人榜"
    # The QR label the page shows when a text had to be shortened is converted like the rest.
    assert (data["labels"]["qr"], data["labels"]["qr_more"]) == ("掃碼看詳情", "掃碼看全文")
    assert "幸福街道文明宣傳欄" in page


# Publishing -----------------------------------------------------------------------------

def test_write_publishes_page_worker_version_and_bundle(tmp_path):
    site, slide_list, versions = build(tmp_path)
    out = site / "screen"
    for name in ("index.html", "sw.js", "version.json", "bundle.json"):
        assert (out / name).is_file(), name
    version = versions[""]
    assert json.loads((out / "version.json").read_text()) == {"version": version}
    bundle = json.loads((out / "bundle.json").read_text())
    assert bundle["version"] == version and bundle["files"][0] == "./"
    images = [f for f in bundle["files"][1:]]
    assert len(images) == 12 and all(re.search(r"^\.\./media/.+\.jpg\?v=[0-9a-f]{10}$", f) for f in images)
    for file in images:
        assert (out / file.split("?")[0]).is_file()
    data = page_json((out / "index.html").read_text(encoding="utf-8"))
    assert data["version"] == version
    assert {data["base"] + image for s in data["slides"] for image in screen.slide_images(s)} == set(images)
    roll, mosaic = (next(s for s in data["slides"] if s["kind"] == k) for k in ("honor_roll", "album"))
    assert all(re.search(r"\?v=[0-9a-f]{10}$", m["image"]) for m in roll["members"] if m["image"])
    assert all(re.search(r"\?v=[0-9a-f]{10}$", image) for image in mosaic["images"])
    assert not list(out.glob(".*.tmp"))


def test_version_changes_only_when_the_build_changes(tmp_path):
    _, _, first = build(tmp_path / "a")
    _, _, same = build(tmp_path / "b")
    _, _, changed = build(tmp_path / "c", notices_text="- 新通知\n")
    assert first == same
    assert changed[""] != first[""]


def test_missing_image_drops_the_slide_with_a_warning(tmp_path):
    site = tmp_path / "site"
    report = Report()
    slide_list = screen.slides(site_model(albums=albums()), {"site_url": SITE_URL})
    versions = screen.write(site, slide_list, {}, report=report)
    assert sorted(code for code, _, _ in report.codes()) == ["SCREEN002"] * 9 + ["SCREEN003"] * 9
    assert "media/albums/autumn/IMG_0100.screen.jpg" in report.problems[0].message
    data = page_json((site / "screen/index.html").read_text(encoding="utf-8"))
    assert data["slides"] == [] and versions[""]


def test_each_variant_gets_its_own_folder(tmp_path):
    variants = ((Variant("zh-Hans"), None), (HANT, Tagging()))
    site, _, versions = build(tmp_path, variants=variants)
    assert set(versions) == {"", "zh-Hant/"} and versions[""] != versions["zh-Hant/"]
    hant = page_json((site / "zh-Hant/screen/index.html").read_text(encoding="utf-8"))
    bundle = json.loads((site / "zh-Hant/screen/bundle.json").read_text())
    assert all(f.startswith("../../media/") for f in bundle["files"][1:])
    assert all((site / "zh-Hant/screen" / f.split("?")[0]).is_file() for f in bundle["files"][1:])
    assert hant["slides"][0]["name"].startswith("[T]")


def test_the_screen_takes_the_sites_variants_and_converters(tmp_path):
    from bulletin.script import Converter
    from bulletin.variants import as_variants

    site_variants = as_variants([{"code": "zh-Hans"}, {"code": "zh-HK", "prefix": "zh-hk"}], "zh-Hans")
    site, _, versions = build(tmp_path, variants=[(v, Converter(v.code)) for v in site_variants])
    assert set(versions) == {"", "zh-hk/"}
    page = (site / "zh-hk/screen/index.html").read_text(encoding="utf-8")
    data = page_json(page)
    assert '<html lang="zh-Hant-HK">' in page and data["lang"] == "zh-Hant-HK" and data["base"] == "../../"
    assert data["site"]["link"] == "https://bulletin.example.org/zh-hk/"
    assert data["labels"]["photo"] == "活動相冊"


# The other modules' models -------------------------------------------------------------

def derivatives(stem: str):
    from bulletin.media.model import Derivatives, Rendition

    renditions = tuple(Rendition(f"media/abc123/{stem}-{w}.{ext}", w, w * 3 // 4, fmt, 1000, Path("/nonexistent"))
                       for w in (400, 800, 1600) for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")))
    return Derivatives(stem, 1600, 1200, renditions, "", "#808080")


def test_slides_from_album_and_person_models():
    from bulletin.albums import Album, Photo
    from bulletin.people import Consent, Person, normalise_category

    album = Album("spring", "albums/spring/index.md", "site_src/albums/spring/index.md", "学雷锋志愿服务活动",
                  dt.date(2026, 3, 5), "2026年3月5日", "文化广场", "", [], "",
                  photos=[Photo("IMG_1.jpg", "albums/spring/IMG_1.jpg", "", "理发", None, derivatives("img_1")),
                          Photo("IMG_2.jpg", "albums/spring/IMG_2.jpg", "", "", None, None)])
    source = content.Source("people/2026-11-yu.md", "site_src/people/2026-11-yu.md", "person", {}, {}, "", 1, "")
    person = Person("2026-11-yu", source, "于秀兰", normalise_category("助人為樂"), "2026-11", "照顾孤寡老人",
                    Consent("本人", dt.date(2026, 10, 1), True), photo=derivatives("yu"))
    result = screen.slides(site_model(albums=[album], people=[person]), {"site_url": SITE_URL}, today=TODAY)
    photo, card = (next(s for s in result if s["kind"] == k) for k in ("photo", "person"))
    assert [s["image"] for s in result if s["kind"] == "photo"] == [photo["image"]]  # IMG_2 was not built
    assert photo["image"] == "media/abc123/img_1-1600.jpg" and photo["date_text"] == "2026年3月5日"
    assert photo["link"] == "https://bulletin.example.org/albums/spring/"
    assert card["category"] == "助人为乐" and card["image"] == person.screen_image
    assert card["link"] == "https://bulletin.example.org/people/2026-11-yu/"


def test_slide_texts_go_through_the_text_api_and_only_the_page_as_html():
    class Recording(Tagging):
        def __init__(self):
            self.pages: list[str] = []

        def html(self, page: str) -> str:
            self.pages.append(page)
            return super().html(page)

    notices = [Notice("<b>通知</b> & 说明")]
    slide_list = screen.slides(site_model(people=people()[:1], notices=notices), {"site_url": SITE_URL}, today=TODAY)
    converter = Recording()
    data = page_json(screen.render(slide_list, screen.settings({}, site_url=SITE_URL), HANT, converter))
    assert len(converter.pages) == 1 and "<p>" not in converter.pages[0]  # the page, never a document of texts
    assert data["slides"][1]["text"] == "[T]<b>通知</b> & 说明"  # plain text in, plain text out


def test_a_stray_marker_in_one_text_does_not_reach_the_next():
    from bulletin.script import PROTECT, Converter

    notices = [Notice(f"注意{PROTECT}开会"),
               Notice("发展社区")]
    slide_list = screen.slides(site_model(notices=notices), {"site_url": SITE_URL}, today=TODAY)
    data = page_json(screen.render(slide_list, {}, HANT, Converter("zh-Hant")))
    assert [s["text"] for s in data["slides"]] == ["注意开会", "發展社區"]


def test_scripts_the_screen_detects_use_the_sites_traditional_variant():
    from bulletin.script import Converter

    # 後台 and 説 fit Hong Kong and Taiwan alike: on a site publishing zh-TW, text in them is zh-TW.
    written = "社區後台管理系統升級，請勿登入"
    notices = [Notice(written)]
    tw = Variant("zh-TW", "zh-tw")
    for prefer, kept in (("zh-TW", True), ("zh-HK", False)):
        site = site_model([plan("p", written, "## 一、總體要求\n")],
                          [album("a", written, photos=[photo("a", "1.jpg", written, "media/1.jpg")])], [], notices, prefer)
        slide_list = screen.slides(site, {"site_url": SITE_URL}, today=TODAY)
        assert {s["kind"]: s["script"] for s in slide_list} == {
            "plan": "zh-TW" if kept else "zh-HK", "photo": "zh-TW" if kept else "zh-HK",
            "notice": "zh-TW" if kept else "zh-HK", "album": "zh-TW" if kept else "zh-HK"}
        data = page_json(screen.render(slide_list, {}, tw, Converter("zh-TW")))
        texts = {s["kind"]: s.get("text") or s["title"] for s in data["slides"]}
        assert set(texts.values()) == ({written} if kept else {"社區後臺管理系統升級，請勿登入"}), prefer


def test_traditional_variant_through_the_script_converter_keeps_names():
    from bulletin.script import Converter

    yu = person("于秀兰", "助人为乐", "2026-11", slug="yu", summary="于秀兰发扬助人为乐精神，十年照顾孤寡老人。")
    slide_list = screen.slides(site_model(people=[yu]), {"site_url": SITE_URL}, today=TODAY)
    converter = Converter("zh-Hant", names=["于秀兰"])
    page = screen.render(slide_list, {"site_name": "幸福街道文明宣传栏"}, HANT, converter)
    card = page_json(page)["slides"][0]
    assert card["name"] == "于秀蘭"  # the surname keeps its character (not 於)
    assert card["summary"].startswith("于秀蘭發揚助人") and card["summary"].endswith("十年照顧孤寡老人。")
    assert "幸福街道文明宣傳欄" in page and "\ue000" not in page


def test_text_written_in_traditional_is_converted_for_simplified_and_kept_for_traditional(tmp_path):
    from bulletin.script import Converter

    src = make_sources(tmp_path, {"plans/plan-09.md": "---\ntitle: 社區後台管理與環境衛生計劃\ncommunity: 和平社區\n---\n"
                                                      "## 一、總體要求\n\n為進一步加強社區環境衛生工作，現制定本計劃。\n"})
    index = content.load(src)
    slide = next(s for s in screen.plan_slides(plans.collect(index), screen.settings()) if s["url"] == "plans/plan-09/")
    assert slide["script"] in ("zh-Hant", "zh-HK", "zh-TW")
    hans = page_json(screen.render([slide], {}, Variant("zh-Hans"), Converter("zh-Hans")))
    hant = page_json(screen.render([slide], {}, HANT, Converter("zh-Hant")))
    assert hans["slides"][0]["title"] == "社区后台管理与环境卫生计划"
    assert hans["slides"][0]["points"] == ["一、总体要求"]
    assert hant["slides"][0]["title"] == "社區後台管理與環境衛生計劃"  # never round-tripped (後台 would become 後臺)
    assert hant["labels"]["photo"] == "活動相冊" and "script" not in hant["slides"][0]


def test_qr_codes_are_kept_between_builds(tmp_path, monkeypatch):
    url = "https://bulletin.example.org/zh-hk/plans/plan-01/"
    drawn = qr_svg(url)
    assert qr_svg(url, str(tmp_path)) == drawn
    assert len(list(tmp_path.glob("*.svg"))) == 1
    qr_svg.cache_clear()

    def fail(*args, **kwargs):
        raise AssertionError("the kept code should have been used")

    monkeypatch.setattr("bulletin.screen.kinds.segno.make", fail)
    assert qr_svg(url, str(tmp_path)) == drawn
    with pytest.raises(AssertionError):
        qr_svg(url + "other/", str(tmp_path))


def test_slide_ids_carry_no_file_name_and_are_unique_and_stable():
    """A photo's original name (a resident's name, a phone number) never reaches the screen page."""
    from bulletin.albums import Album, Photo

    names = ["王秀英家门口.jpg", "IMG_13800138000.jpg", "same-photo.jpg"]
    album = Album("spring", "albums/spring/index.md", "site_src/albums/spring/index.md", "学雷锋志愿服务活动",
                  dt.date(2026, 3, 5), "2026年3月5日", "文化广场", "", [], "",
                  photos=[Photo(name, f"albums/spring/{name}", "", "", None, derivatives(f"p{i}"))
                          for i, name in enumerate(names)]
                  + [Photo("copy.jpg", "albums/spring/copy.jpg", "", "", None, derivatives("p2"))])
    notices = [Notice("停水通知"), Notice("停水通知")]
    config = {"site_url": SITE_URL, "photos_per_album": 10}
    first = screen.slides(site_model(albums=[album], people=people(), notices=notices), config, today=TODAY)
    again = screen.slides(site_model(albums=[album], people=people(), notices=notices), config, today=TODAY)
    ids = [s["id"] for s in first]
    # the same photo twice, the same notice twice: still unique (4 photos, 5 people, 2 notices,
    # the month's honor roll and the album's overview)
    assert len(ids) == len(set(ids)) == 4 + 5 + 2 + 1 + 1
    assert ids == [s["id"] for s in again]  # stable: a screen resumes on the same slide after an update
    for slide in first:
        assert re.fullmatch(rf"{slide['kind']}-[0-9a-f]{{10}}(-\d)?", slide["id"]), slide["id"]
    page = screen.render(first, config)
    for secret in ("王秀英家门口", "13800138000", "same-photo", "2026-11-wang", "2026-10-li"):
        assert secret not in page_json(page)["slides"][0]["id"]
        assert secret not in "".join(ids)
    data = json.dumps(page_json(page)["slides"], ensure_ascii=False)
    for secret in ("王秀英家门口", "13800138000", "IMG_", "same-photo"):
        assert secret not in data


# The month's honor roll and the album overview -------------------------------------------

def test_honor_roll_shows_the_months_honorees_together_in_category_order(fixture_slides):
    result, _ = fixture_slides
    (roll,) = [s for s in result if s["kind"] == "honor_roll"]
    assert [m["name"] for m in roll["members"]] == ["王秀英", "欧阳明远", "孙志强"]  # 助人为乐, 诚实守信, 敬业奉献
    assert [m["category"] for m in roll["members"]] == ["助人为乐", "诚实守信", "敬业奉献"]
    assert (roll["year_text"], roll["title"], roll["count_text"]) == ("2026年", "11月", "本期 3 位")
    assert [m["image"] for m in roll["members"]] == ["media/people/2026-11-wang.screen.jpg", None,
                                                     "media/people/2026-11-sun.screen.jpg"]
    assert roll["link"] == "https://bulletin.example.org/people/#month-2026-11" and decode_qr(roll["qr"]) == roll["link"]


@pytest.mark.parametrize("today, month", [(dt.date(2026, 11, 2), "2026-11"), (dt.date(2027, 2, 1), "2026-11"),
                                          (dt.date(2026, 10, 31), "2026-10"), (dt.date(2025, 12, 1), "2026-11")])
def test_honor_roll_is_this_months_or_else_the_latest_months(today, month):
    (roll,) = screen.honor_roll_slides(people()[:5], screen.Settings(), today)
    assert roll["url"] == f"people/#month-{month}"


@pytest.mark.parametrize("count, sizes", [(1, [1]), (3, [3]), (4, [2, 2]), (5, [3, 2]), (7, [3, 2, 2]), (9, [3, 3, 3])])
def test_a_large_month_is_shared_out_evenly_over_slides_of_at_most_three(count, sizes):
    members = [person(f"居民{i:02d}", "助人为乐", "2026-11") for i in range(count)]
    slides = screen.honor_roll_slides(members, screen.Settings(), TODAY)
    assert [len(s["members"]) for s in slides] == sizes
    assert [m["name"] for s in slides for m in s["members"]] == [m.name for m in members]
    assert all(s["count_text"] == f"本期 {count} 位" for s in slides)
    assert len({s["id"] for s in screen.slides(site_model(people=members), today=TODAY) if s["kind"] == "honor_roll"}) == len(sizes)


def test_honor_roll_leaves_out_a_member_past_until_and_the_page_knows_the_rest():
    members = [person("甲", "助人为乐", "2026-11", until=dt.date(2026, 11, 1)),
               person("乙", "见义勇为", "2026-11", until=dt.date(2026, 12, 31)),
               person("丙", "孝老爱亲", "2026-11")]
    (roll,) = screen.honor_roll_slides(members, screen.Settings(), TODAY)
    assert [(m["name"], m["until"]) for m in roll["members"]] == [("乙", "2026-12-31"), ("丙", None)]
    assert roll["until"] is None  # 丙 has no end: the slide stays
    (roll,) = screen.honor_roll_slides(members[:2], screen.Settings(), TODAY)
    assert roll["until"] == "2026-12-31"  # everyone's display ends: the page drops the slide that day


def test_honor_roll_from_person_models_shows_only_published_portraits(tmp_path):
    """The roll reads the published people: a portrait only where the profile has a published one
    (show_portrait), and whoever is not in the list (no consent, withdrawn) cannot appear."""
    from bulletin.people import Consent, Person, normalise_category

    source = content.Source("people/2026-11-yu.md", "site_src/people/2026-11-yu.md", "person", {}, {}, "", 1, "")
    shown = Person("2026-11-yu", source, "于秀兰", normalise_category("助人為樂"), "2026-11", "照顾孤寡老人",
                   Consent("本人", dt.date(2026, 10, 1), True), photo=derivatives("yu"))
    hidden = Person("2026-11-he", source, "何平", normalise_category("见义勇为"), "2026-11", "勇救落水儿童",
                    Consent("本人", dt.date(2026, 10, 1), False), script="zh-Hant")
    (roll,) = screen.slides(site_model(people=[shown, hidden]), {"site_url": SITE_URL}, today=TODAY)[-1:]
    assert roll["kind"] == "honor_roll"
    assert [(m["name"], m["category"], m["image"]) for m in roll["members"]] == [
        ("于秀兰", "助人为乐", shown.screen_image), ("何平", "见义勇为", None)]
    assert roll["members"][1]["script"] == "zh-Hant" and roll["members"][1]["scripts"] == {"category": "zh-Hans"}


def test_album_overview_has_title_date_place_and_a_mosaic_cover_first(fixture_slides):
    result, _ = fixture_slides
    albums_shown = [s for s in result if s["kind"] == "album"]
    assert [s["title"] for s in albums_shown] == ["重阳节敬老活动", "“我们的节日·端午”邻里包粽子", "学雷锋志愿服务活动"]
    summer = albums_shown[1]
    assert [i.rsplit("/", 1)[-1] for i in summer["images"]] == [
        "IMG_0203.screen.jpg", "IMG_0201.screen.jpg", "IMG_0202.screen.jpg", "IMG_0204.screen.jpg",
        "IMG_0205.screen.jpg", "IMG_0206.screen.jpg"]
    assert (summer["date_text"], summer["location"], summer["count_text"]) == ("2026年6月19日", "幸福社区党群服务中心", "6 张照片")
    assert summer["summary"].startswith("三十多户居民")
    assert summer["link"] == "https://bulletin.example.org/albums/summer/" and decode_qr(summer["qr"]) == summer["link"]


def test_album_overview_from_the_album_model_uses_a_tile_sized_photo():
    from bulletin.albums import Album, Photo

    photos = [Photo(f"IMG_{i}.jpg", f"albums/spring/IMG_{i}.jpg", "", "", None, derivatives(f"img_{i}")) for i in range(12)]
    photos.append(Photo("IMG_X.jpg", "albums/spring/IMG_X.jpg", "", "", None, None))  # not built
    album = Album("spring", "albums/spring/index.md", "site_src/albums/spring/index.md", "学雷锋志愿服务活动",
                  dt.date(2026, 3, 5), "2026年3月5日", "文化广场", "志愿者走进社区。", [], "", photos=photos,
                  cover_name="IMG_5.jpg")
    (overview,) = screen.album_slides([album], screen.Settings())
    assert overview["images"][0] == "media/abc123/img_5-800.jpg"
    assert len(overview["images"]) == screen.MOSAIC_SIZE and overview["count_text"] == "12 张照片"
    assert all(i.endswith("-800.jpg") for i in overview["images"])
    assert overview["summary"] == "志愿者走进社区。" and overview["url"] == "albums/spring/"


def test_members_and_overview_texts_are_converted_once_in_their_script():
    slide_list = screen.slides(site_model(albums=albums()[1:2], people=people()[:2]), {"site_url": SITE_URL}, today=TODAY)
    page = screen.render(slide_list, screen.settings({}, site_url=SITE_URL), HANT, Tagging())
    data = page_json(page)
    roll, overview = (next(s for s in data["slides"] if s["kind"] == k) for k in ("honor_roll", "album"))
    for member in roll["members"]:
        for key in ("name", "category", "community", "summary"):
            assert member[key].startswith("[T]") and member[key].count("[T]") == 1, key
        assert "script" not in member and "scripts" not in member
    for key in ("year_text", "title", "count_text"):
        assert roll[key].count("[T]") == 1
    for key in ("title", "date_text", "location", "count_text", "summary"):
        assert overview[key].count("[T]") == 1, key
    assert data["labels"]["honor_roll"] == "[T]月度好人榜" and roll["link"] == "https://bulletin.example.org/zh-Hant/people/#month-2026-11"


def test_a_missing_portrait_or_mosaic_photo_is_left_out_of_its_slide(tmp_path):
    site, _, _ = build(tmp_path)
    (site / "media/people/2026-11-sun.screen.jpg").unlink()
    (site / "media/albums/summer/IMG_0201.screen.jpg").unlink()
    report = Report()
    slide_list = screen.slides(site_model(albums=albums(), people=people()), {"site_url": SITE_URL}, today=TODAY)
    screen.write(site, slide_list, {}, report=report)
    codes = report.codes()
    assert sorted(c for c, _, _ in codes) == ["SCREEN002", "SCREEN002", "SCREEN003", "SCREEN003"]
    assert any("media/albums/summer/IMG_0201.screen.jpg" in p.message and p.code == "SCREEN003" for p in report.problems)
    data = page_json((site / "screen/index.html").read_text(encoding="utf-8"))
    roll = next(s for s in data["slides"] if s["kind"] == "honor_roll")
    assert [m["name"] for m in roll["members"]] == ["王秀英", "欧阳明远", "孙志强"] and roll["members"][2]["image"] is None
    summer = next(s for s in data["slides"] if s["kind"] == "album" and "summer" in s["url"])
    assert len(summer["images"]) == 5 and not any("IMG_0201" in i for i in summer["images"])
    bundle = json.loads((site / "screen/bundle.json").read_text())
    assert all((site / "screen" / f.split("?")[0]).is_file() for f in bundle["files"][1:])


def test_new_kinds_can_be_left_out_in_mkdocs_yml():
    (failed, _), holder = load_screen({"kinds": {"honor_roll": 0, "album": 2}, "dwell": {"album": 6}})
    assert failed == []
    conf = screen.settings(holder["screen"])
    slide_list = screen.slides(site_model(albums=albums(), people=people()), conf, today=TODAY)
    kinds = collections.Counter(slide_list[i]["kind"] for i in screen.playlist(slide_list, conf.kinds))
    assert "honor_roll" not in kinds and kinds["album"] > 0 and conf.dwell["album"] == 6
