"""Posters for the notice board: the sample's posters made once, then read back as a printer would.

The sample (plus a withdrawn profile with a portrait and a plan with a mobile number, both
of which the site refuses) goes through the plugin's own steps up to the posters, without
rendering the web pages. Each PDF is checked with pdfplumber (sizes, text, images) and
poppler (fonts, pages rendered to find the QR codes).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
import yaml
from mkdocs.exceptions import PluginError
from PIL import Image

from bulletin import cli, posters, privacy
from bulletin.config import BulletinConfig
from bulletin.posters import engine
from tests.conftest import ROOT

SITE_URL = "https://bulletin.example.org/"
A3 = (841.89, 1190.55)  # points
WITHDRAWN = "钱立新"
CLOSING = "。，、」』）》！？；："
OPENING = "「『（《"


def _project(tmp: Path) -> Path:
    """A copy of the sample with a withdrawn profile, a plan that holds a mobile number and a small photo."""
    src = tmp / "site_src"
    shutil.copytree(ROOT / "site_src", src)
    shutil.copy(src / "people" / "2026-11-yu-xiulan.jpg", src / "people" / "2026-11-qian-lixin.jpg")
    (src / "people" / "2026-11-qian-lixin.md").write_text(
        f"---\nname: {WITHDRAWN}\ncategory: 助人为乐\nhonored: 2026-11\ncommunity: 幸福社区\n"
        "portrait: 2026-11-qian-lixin.jpg\nsummary: 多年义务为邻居修理家电\n"
        "consent: {by: 本人, date: 2026-10-20, show_portrait: true, withdrawn: 2026-11-25}\n---\n\n故事。\n",
        encoding="utf-8")
    # A photo with few pixels: its poster must print it smaller rather than below 200 dpi.
    small = src / "albums" / "weekend-cleanup" / "DSC_0101.jpg"
    Image.open(small).resize((640, 480)).save(small, quality=90)
    (src / "plans" / "phone.md").write_text(
        "---\ntitle: 楼道清洁安排\n---\n\n有事请联系王师傅，电话 13912345678。\n", encoding="utf-8")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(src), site_dir=str(tmp / "site"), site_url=SITE_URL)
    config["theme"]["custom_dir"] = str(ROOT / "theme")
    config["plugins"] = [p if p != "bulletin" else {"bulletin": {
        "cache_dir": str(tmp / "cache"), "posters": {"enabled": True}}} for p in config["plugins"]]
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _make(config_file: Path, site: Path):
    """The plugin's steps up to its posters, as MkDocs runs them: on_config, on_files, then make_posters."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    config = load_config(config_file=str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)  # as MkDocs' build does before on_files
    config.plugins.on_files(files, config=config)
    plugin = config.plugins["bulletin"]
    return plugin.make_posters(site, config), plugin


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("posters")
    config_file = _project(tmp)
    result, plugin = _make(config_file, tmp / "site")
    return {"made": result, "plugin": plugin, "site": tmp / "site", "config": config_file, "tmp": tmp}


def _pdf(made, rel: str) -> Path:
    return made["site"] / "posters" / rel


def _flat(text: str) -> str:
    return text.replace("\n", "")


def _text(path: Path) -> str:
    """The poster's text in the order it is drawn, line by line (poppler: fast, and one column at a time)."""
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def texts(made) -> dict[str, str]:
    return {rel: _text(path) for rel, path in made["made"].files.items()}


def test_one_poster_per_month_plan_and_album_in_both_scripts(made):
    plans = sorted(p.stem for p in (ROOT / "site_src" / "plans").glob("*.md"))
    albums = sorted(p.name for p in (ROOT / "site_src" / "albums").iterdir() if p.is_dir())
    names = {"people/2026-10.pdf", "people/2026-11.pdf"} | {f"plans/{p}.pdf" for p in plans} | \
        {f"albums/{a}.pdf" for a in albums}
    expected = {f"posters/{n}" for n in names} | {f"posters/zh-hk/{n}" for n in names}
    assert set(made["made"].files) == expected
    assert all(path.is_file() and path.stat().st_size > 10_000 for path in made["made"].files.values())


def test_a3_pages_one_page_for_rolls_and_albums_and_running_headers_on_long_plans(made):
    for rel, path in made["made"].files.items():
        with pdfplumber.open(path) as pdf:
            assert all(abs(p.width - A3[0]) < 0.5 and abs(p.height - A3[1]) < 0.5 for p in pdf.pages), rel
            if "/plans/" not in rel:
                assert len(pdf.pages) == 1, rel
            else:
                assert 1 <= len(pdf.pages) <= 3, rel
    with pdfplumber.open(_pdf(made, "zh-hk/plans/plan-14.pdf")) as pdf:
        assert len(pdf.pages) >= 2
        second = pdf.pages[1].extract_text()
        assert "精神文明創建工作計劃（續）" in second and "第 2 頁 / 共" in second


def test_fonts_are_noto_cjk_embedded_in_the_script_of_the_poster(made):
    for rel, family in (("plans/plan-01.pdf", "Noto-Sans-CJK-SC"), ("zh-hk/plans/plan-01.pdf", "Noto-Sans-CJK-HK"),
                        ("people/2026-11.pdf", "Noto-Serif-CJK-SC"), ("zh-hk/albums/square-gala.pdf", "Noto-Serif-CJK-HK")):
        rows = subprocess.run(["pdffonts", str(_pdf(made, rel))], capture_output=True, text=True, check=True).stdout
        fonts = [line.split() for line in rows.splitlines()[2:] if line.strip()]
        assert fonts and all(f[-5] == "yes" for f in fonts), rows  # the emb column
        assert any(family in f[0] for f in fonts), rows
        assert not any("Type 3" in " ".join(f) for f in fonts)


def test_text_is_in_the_script_of_the_poster_through_the_site_converter(texts):
    simplified, traditional = texts["posters/plans/plan-01.pdf"], _flat(texts["posters/zh-hk/plans/plan-01.pdf"])
    simplified = _flat(simplified)
    assert "市容环境卫生迎检工作实施方案" in simplified and "環境" not in simplified  # written in Traditional
    assert "市容環境衞生迎檢工作實施方案" in traditional
    roll = _flat(texts["posters/zh-hk/people/2026-11.pdf"])
    # Names keep their surname (于 never 於), quotes are corner quotes, the site's words converted.
    assert "于秀蘭" in roll and "於秀蘭" not in roll and "「銀髮互助隊」" in roll and "掃碼看好人事蹟" in roll
    assert "“银发互助队”" in _flat(texts["posters/people/2026-11.pdf"])
    album = _flat(texts["posters/zh-hk/albums/square-gala.pdf"])
    assert "廣場文藝晚會" in album and "幸福街道" in album and "印製日期" in album


def test_qr_codes_lead_to_the_page_in_the_same_script(made, tmp_path):
    import zxingcpp

    for rel, url in (("people/2026-11.pdf", "people/#month-2026-11"), ("zh-hk/plans/plan-14.pdf", "zh-hk/plans/plan-14/"),
                     ("zh-hk/albums/square-gala.pdf", "zh-hk/albums/square-gala/")):
        out = tmp_path / rel.replace("/", "_")
        subprocess.run(["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", "-singlefile", str(_pdf(made, rel)),
                        str(out)], check=True)
        found = [b.text for b in zxingcpp.read_barcodes(Image.open(f"{out}.png"))]
        assert found == [SITE_URL + url], rel


def test_no_withheld_person_and_portraits_only_with_consent(made, texts):
    assert all(WITHDRAWN not in text and "錢立新" not in text for text in texts.values())
    assert "余建国" in texts["posters/people/2026-11.pdf"]  # published, without his portrait
    with pdfplumber.open(_pdf(made, "people/2026-11.pdf")) as pdf:
        # six honorees, five portraits: 余建国 agreed to his page but not his photo
        assert len(pdf.pages[0].images) == 5
    with pdfplumber.open(_pdf(made, "people/2026-10.pdf")) as pdf:
        assert len(pdf.pages[0].images) == 4  # 刘洋 and 赵德顺 show the placeholder


def test_no_personal_numbers_and_the_refused_page_has_no_poster(made, texts):
    assert not any("phone" in rel for rel in made["made"].files)
    for rel, path in made["made"].files.items():
        assert not list(privacy.numbers_in(texts[rel])), rel
        assert "13912345678" not in texts[rel] and b"13912345678" not in path.read_bytes()


def test_photos_print_at_200_dpi_or_more_without_metadata(made):
    for rel in ("albums/weekend-cleanup.pdf", "albums/square-gala.pdf", "albums/xueleifeng-2026.pdf", "people/2026-10.pdf"):
        path = _pdf(made, rel)
        with pdfplumber.open(path) as pdf:
            images = pdf.pages[0].images
            assert images, rel
            for image in images:
                width_in = (image["x1"] - image["x0"]) / 72
                height_in = (image["bottom"] - image["top"]) / 72
                assert image["srcsize"][0] / width_in >= 199.5 and image["srcsize"][1] / height_in >= 199.5, rel
        data = path.read_bytes()
        assert b"Exif" not in data and b"GPS" not in data and b"http://ns.adobe.com/xap" not in data


def test_chinese_line_breaking(texts):
    lines = [(rel, line.strip()) for rel, text in texts.items() for line in text.splitlines() if line.strip()]
    assert len(lines) > 3000
    starts = [(rel, line) for rel, line in lines if line[0] in CLOSING]
    ends = [(rel, line) for rel, line in lines if line[-1] in OPENING]
    assert not starts and not ends, (starts[:3], ends[:3])


def test_body_text_is_at_least_14_pt_on_a3(made):
    for rel in ("plans/plan-08.pdf", "zh-hk/plans/plan-14.pdf", "plans/plan-02.pdf", "zh-hk/people/2026-10.pdf"):
        with pdfplumber.open(_pdf(made, rel)) as pdf:
            for page in pdf.pages:
                sizes = Counter(round(c["size"], 1) for c in page.chars)
                assert sizes.most_common(1)[0][0] >= 14, (rel, sizes.most_common(3))


def test_unchanged_posters_are_not_made_again_and_a_changed_one_is(made):
    first = made["made"]
    assert first.made == len(first.files) and first.reused == 0
    again, _ = _make(made["config"], made["tmp"] / "site-again")
    assert again.made == 0 and again.reused == len(first.files)
    plan = made["tmp"] / "site_src" / "plans" / "plan-05.md"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n新增一段：本计划自发布之日起施行。\n", encoding="utf-8")
    changed, _ = _make(made["config"], made["tmp"] / "site-changed")
    assert changed.made == 2 and sorted(changed.seconds) == ["posters/plans/plan-05.pdf", "posters/zh-hk/plans/plan-05.pdf"]
    assert "本計劃自發佈之日起施行" in _flat(_text(changed.files["posters/zh-hk/plans/plan-05.pdf"]))


def test_paper_option_sets_the_page_and_the_type(made, tmp_path):
    assert posters.parse_paper("A4-landscape") == posters.Paper("A4", True)
    assert posters.parse_paper("a3") == posters.Paper("A3", False)
    with pytest.raises(ValueError, match="A5"):
        posters.parse_paper("A5")
    plugin = made["plugin"]
    options = posters.options_from({"paper": "A4-landscape"}, {"site_url": SITE_URL, "extra": {"short_name": "幸福街道"}})
    roll = next(p for p in posters.collect(plugin.site) if p.name == "people/2026-11.pdf")
    rendered = posters.render(roll, plugin.variants[0], plugin.converter(plugin.variants[0]), options)
    out = tmp_path / "a4.pdf"
    assert engine.make_pdf({"htmls": rendered.htmls, "out": str(out), "roots": [str(made["tmp"] / "cache")]})["status"] == "ok"
    with pdfplumber.open(out) as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == (842, 595)


def test_the_command_turns_posters_on_and_takes_a_paper(made, capsys):
    """`bulletin posters` tells the MkDocs process it runs, in its environment; the plugin obeys."""
    env = cli._child_env(argparse.Namespace(posters=True, paper=posters.Paper("A4", True)))
    options = BulletinConfig()
    options.load_dict({})
    assert not options.validate()[0] and options.posters["enabled"] is False
    options.apply_command(env)
    assert options.posters["enabled"] is True and options.posters["paper"] == "A4-landscape"
    with pytest.raises(PluginError, match="纸张「B5」不认识"):
        options.apply_command({"BULLETIN_POSTERS": "1", "BULLETIN_POSTERS_PAPER": "B5"})
    assert "BULLETIN_POSTERS" not in cli._child_env(argparse.Namespace(posters=False))
    with pytest.raises(SystemExit) as exit_:
        cli.main(["-f", str(made["config"]), "posters", "--paper", "B5"])
    assert exit_.value.code == 2 and "纸张「B5」不认识，可选：A3、A4、A3-landscape、A4-landscape" in capsys.readouterr().err


def test_missing_fonts_are_named(monkeypatch):
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, "DejaVu Sans\n", ""))
    assert posters.missing_fonts(["zh-HK"]) == ["Noto Sans CJK HK", "Noto Serif CJK HK"]


def test_photo_boxes_shrink_to_keep_200_dpi():
    assert posters.largest_box(2400, 1800, 200, 150) == (200, 150)  # 305 dpi: the box stays
    width, height = posters.largest_box(1200, 900, 200, 150)  # 152 dpi over 200 mm: shrink
    assert width == pytest.approx(152.4, abs=0.01) and height == pytest.approx(114.3, abs=0.01)
    assert re.fullmatch(r"\d+\.\d+|\d+", str(width))
