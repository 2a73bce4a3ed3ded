"""Valid HTML: the Nu Html Checker (vnu) over every page of both script variants finds no
error but the few Material's own markup makes (each listed in helpers_a11y.KNOWN with its
reason); and the content's headings never skip a level."""

from __future__ import annotations

import pytest

from bulletin.a11y import close_heading_gaps, has_lightbox
from helpers_a11y import KNOWN, VNU_JAR, require, vnu_errors


@pytest.fixture(scope="module")
def sample_errors(sample_site):
    require(VNU_JAR, "vnu.jar")
    return vnu_errors(sample_site)


def test_no_vnu_error_from_our_templates_and_assets(sample_site, sample_errors):
    pages = list(sample_site.rglob("*.html"))
    assert len(pages) > 100  # every page of both variants, the screen and 404 included
    assert {"404.html", "zh-hk/404.html", "screen/index.html", "zh-hk/screen/index.html"} <= {
        p.relative_to(sample_site).as_posix() for p in pages}
    ours = [str(error) for error in sample_errors if not error.known()]
    assert ours == []


def test_each_known_error_is_still_made_by_material(sample_errors):
    """A known error Material no longer makes comes off the list, so the list stays honest."""
    seen = {error.known() for error in sample_errors} - {None}
    assert [k.reason for k in KNOWN if k not in seen] == []


def test_vnu_reports_what_our_templates_used_to_write(tmp_path):
    """The checker and the known list let through none of the errors our templates made."""
    require(VNU_JAR, "vnu.jar")
    (tmp_path / "page.html").write_text(
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>t</title></head><body>'
        '<input class="md-toggle" type="checkbox" id="__search" autocomplete="off">'
        '<div><p>x</p><style>.a{}</style></div>'
        '<label class="md-header__button md-icon" for="__search" aria-label="查找">x</label>'
        '<label class="md-nav__title" for="__toc">目录</label>'
        '<img alt="" data-field="image">'
        '</body></html>', encoding="utf-8")
    errors = vnu_errors(tmp_path)
    assert [e.known() is not None for e in errors].count(True) == 1  # Material's toggle only
    messages = " ".join(e.message for e in errors if not e.known())
    for expected in ("“style” element", "aria-label", "“for” attribute", "“img”"):
        assert expected in messages


@pytest.mark.parametrize("html,expected", [
    ("<h2>一、</h2><h4 id=a>1、</h4><h2>二、</h2>", "<h2>一、</h2><h3 id=a>1、</h3><h2>二、</h2>"),
    ("<h4>1、</h4><p>x</p><h2>二、</h2><h3>（一）</h3><h5>①</h5>",
     "<h2>1、</h2><p>x</p><h2>二、</h2><h3>（一）</h3><h4>①</h4>"),
    ("<h1>题</h1><h3>a</h3><h6>b</h6><h1>c</h1>", "<h1>题</h1><h2>a</h2><h3>b</h3><h1>c</h1>"),
    ("<h2>a</h2><h3>b</h3><h4>c</h4><h2>d</h2>", "<h2>a</h2><h3>b</h3><h4>c</h4><h2>d</h2>"),
    ("<p>h4 <code>&lt;h4&gt;</code></p><header>x</header>", "<p>h4 <code>&lt;h4&gt;</code></p><header>x</header>"),
])
def test_heading_levels_are_closed_up_never_raised(html, expected):
    assert close_heading_gaps(html) == expected


def test_a_page_has_a_lightbox_only_with_a_link_that_opens_it():
    assert has_lightbox('<a class="glightbox bl-album-link" href="a.jpg"><img src="a.jpg" alt=""></a>')
    assert has_lightbox('<a href="a.jpg" class="x glightbox">x</a>')
    assert not has_lightbox('<a class="bl-album-card" href="albums/x/">相册</a><p>glightbox</p>')
    assert not has_lightbox('<div class="glightbox">x</div>')
