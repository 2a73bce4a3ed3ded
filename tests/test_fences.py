"""Where fenced code is: one rule for the sanitizer, the -{…}- protection and the risk check.

Each case is also rendered by the site's Markdown (Python-Markdown + superfences): the
sanitizer may treat a line as code only where the rendered page shows it as code, or a
<script> would be published without its warning.
"""

from __future__ import annotations

import time

import markdown
import pytest

from bulletin import sanitize
from bulletin.fences import fenced_lines
from bulletin.script import protect_markdown
from bulletin.script.markers import END, PROTECT

# id, Markdown, which lines are fenced code (1-based)
CASES = [
    ("backticks", "```\n<script>x</script>\n```\n<script>y</script>", {1, 2, 3}),
    ("tildes", "~~~\n<script>x</script>\n~~~\n<script>y</script>", {1, 2, 3}),
    ("three-spaces", "   ```\n<script>x</script>\n   ```\n<script>y</script>", {1, 2, 3}),
    ("info-string", "```html title=\"a\"\n<script>x</script>\n```\n<script>y</script>", {1, 2, 3}),
    ("longer-closer-of-tildes", "~~~\n<script>x</script>\n~~~~~\n<script>y</script>", {1, 2, 3}),
    ("other-character-does-not-close", "~~~\n<script>x</script>\n```\n<script>y</script>\n~~~", {1, 2, 3, 4, 5}),
    ("shorter-does-not-close", "````\n```\n<script>x</script>\n````\n<script>y</script>", {1, 2, 3, 4}),
    ("text-after-closer-does-not-close", "```\n<script>x</script>\n``` a\n<script>y</script>\n```", {1, 2, 3, 4, 5}),
    ("four-spaces-is-not-a-fence", "para\n\n    ```\n<script>x</script>\n    ```\n<script>y</script>", set()),
    ("tab-is-not-a-fence", "\t```\n<script>x</script>\n\t```\n<script>y</script>", set()),
    ("backtick-in-info-is-not-a-fence", "``` a`b\n<script>x</script>\n```\n<script>y</script>", set()),
    ("unclosed-is-text", "text\n\n```\n<script>x</script>\n\nmore <script>y</script>", set()),
    ("unclosed-then-closed", "~~~~\n```\n<script>x</script>\n```\n<script>y</script>", {2, 3, 4}),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_fenced_lines(text, expected):
    lines = text.splitlines(keepends=True)
    assert {n for n, code in enumerate(fenced_lines(lines), 1) if code} == expected


# Where superfences parts from CommonMark (it wants content lines indented like the opener,
# a closer of exactly the opener's length, and does not look for fences inside an unclosed
# one) the script is rendered as HTML but sits in what the rule calls code: no warning, and
# clean_html still removes it from the page. The old any-indent rule hid these as well.
RENDERER_DIFFERS = {"three-spaces", "longer-closer-of-tildes", "unclosed-then-closed"}


@pytest.mark.parametrize("text, expected", [
    pytest.param(*c[1:], id=c[0], marks=[pytest.mark.xfail(strict=True)] if c[0] in RENDERER_DIFFERS else [])
    for c in CASES])
def test_the_sanitizer_warns_about_every_script_the_rendered_page_would_run(text, expected):
    rendered = markdown.markdown(text, extensions=["attr_list", "md_in_html", "pymdownx.superfences"])
    warned = {text.count("\n", 0, c.offset) + 1 for c in sanitize.find_constructs(text) if c.code == "XSS001"}
    raw_scripts = rendered.count("<script>")
    assert len(warned) == raw_scripts
    scripts = {n for n, line in enumerate(text.split("\n"), 1) if "<script>" in line}
    assert warned == scripts - expected


def test_protection_skips_fenced_code_only():
    md = "~~~\n-{a}-\n~~~\n-{b}-\n\n    ```\n-{c}-\n\n```\n-{d}-\n"
    out = protect_markdown(md)
    assert "\n-{a}-\n" in out
    assert f"{PROTECT}b{END}" in out and f"{PROTECT}c{END}" in out and f"{PROTECT}d{END}" in out


def test_many_unclosed_fences_are_read_in_linear_time():
    """An opener that finds no closer is not searched for again (an upload of hostile text)."""
    lines = ["~~~~ x\n"] * 20000 + ["~~~\n"] * 20000
    start = time.perf_counter()
    fenced = fenced_lines(lines)
    assert time.perf_counter() - start < 2
    assert not any(fenced[:20000]) and all(fenced[20000:])
