"""好人榜 in real Chromium: the cards at phone width and on a 1920×1080 screen, then a profile."""

from __future__ import annotations

import pytest

from bulletin import content, people

from conftest import ROOT, foreign_requests

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def current_month():
    index = content.load(ROOT / "site_src")
    return people.current(people.review(index).people)


def open_roll(page_log, serve, sample_site, viewport):
    server = serve(sample_site)
    page, requests = page_log(viewport=viewport)
    response = page.goto(server.url + "people/")
    assert response.status == 200
    # Portraits load lazily: scroll through the page so every one is fetched.
    page.evaluate("""async () => {
        for (let y = 0; y < document.body.scrollHeight; y += 400) {
            window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30));
        }
        window.scrollTo(0, 0);
    }""")
    page.wait_for_load_state("networkidle")
    return server, page, requests


def card_report(page):
    """What a reader sees of each card in the first (current) month."""
    return page.evaluate("""() => {
        const section = document.querySelector('.bl-people-month');
        return [...section.querySelectorAll('.bl-person-card')].map(card => {
            const box = card.getBoundingClientRect();
            const portrait = card.querySelector('.bl-portrait').getBoundingClientRect();
            const img = card.querySelector('.bl-portrait img');
            return {
                name: card.querySelector('.bl-person-name').textContent.trim(),
                badge: card.querySelector('.bl-badge').textContent.trim(),
                href: card.querySelector('a').getAttribute('href'),
                x: box.left, y: box.top, width: box.width,
                portraitRatio: portrait.height / portrait.width,
                img: img ? {complete: img.complete, natural: img.naturalWidth} : null,
                placeholder: !!card.querySelector('svg.bl-portrait-placeholder'),
            };
        });
    }""")


def assert_cards_whole(cards, month):
    assert [c["name"] for c in cards] == [p.name for p in month.people]
    assert [c["badge"] for c in cards] == [p.category.name for p in month.people]
    for card, person in zip(cards, month.people):
        # 3:4, or taller on a phone, where it runs the card's height (the photo cropped to fit)
        assert card["portraitRatio"] > 4 / 3 - 0.03, card
        if person.portrait:
            assert card["img"] and card["img"]["complete"] and card["img"]["natural"] > 0, card
        else:
            assert card["img"] is None and card["placeholder"], card


def test_cards_at_phone_width_then_the_profile(page_log, serve, sample_site, current_month):
    server, page, requests = open_roll(page_log, serve, sample_site, PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heading = page.locator(".bl-people-month h2").first.inner_text()
    assert current_month.label in heading
    cards = card_report(page)
    assert_cards_whole(cards, current_month)
    assert len({round(c["x"]) for c in cards}) == 1  # one column
    assert all(c["width"] <= PHONE["width"] for c in cards)
    broken = page.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)")
    assert broken == []

    first = current_month.people[0]
    page.locator(".bl-person-card a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == server.url + first.url
    assert page.locator("h1").inner_text().strip() == first.name
    badge = page.locator(".bl-profile-head a.bl-badge")
    assert badge.inner_text().strip() == first.category.name
    assert badge.get_attribute("href").endswith(first.category.url)
    assert page.locator(".bl-profile-head .bl-portrait img, .bl-profile-head svg.bl-portrait-placeholder").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert foreign_requests(requests) == []


def test_cards_on_a_1920_screen_sit_in_rows(page_log, serve, sample_site, current_month):
    server, page, requests = open_roll(page_log, serve, sample_site, SCREEN)
    cards = card_report(page)
    assert_cards_whole(cards, current_month)
    first_row = [c for c in cards if abs(c["y"] - cards[0]["y"]) < 2]
    assert len(first_row) >= 3 and len(cards) - len(first_row) != 1  # rows, and no lone card (test_grids_browser)
    assert all(c["width"] < 400 for c in cards)
    months = page.locator(".bl-people-month h2").all_inner_texts()
    assert len(months) >= 2 and current_month.label in months[0]
    page.locator(".bl-people-month").nth(1).locator(".bl-person-card a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/people/" in page.url and page.locator("article.bl-profile h1").count() == 1
    assert foreign_requests(requests) == []
