"""The browser's Back and Forward buttons in a real browser (Debian's chromium through
Playwright, on `streamlit run app.py` with a temporary seeded ledger): the URL holds the view, so
going back to an earlier address shows that view again, in the widgets and in the figures, and
Forward brings the later one back. Each filter change is one history entry, and so is each page
change (with every parameter: the sidebar's filters and the page's own). Skipped without
chromium unless TRACKER_REQUIRE_BROWSER=1 (as in CI)."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from .in_browser import settle
from .test_browser import grid_text

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'
EXPECTED = "Vist for sig: forventet"  # the section of expected money, shown apart
DEFAULT_AGREEMENT = "Sundhedspakke 2023"  # Aftaler opens on it unless told (the most money)
# what the browser shows: the page's title, the years on the slider, the kinds switched on, and
# the agreement chosen on Aftaler
SHOWN = """
() => ({
  title: document.querySelector('[data-testid="stMain"] h1')?.textContent.trim() ?? null,
  years: Array.from(document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]'))
    .map(thumb => Number(thumb.value)),
  kinds: Array.from(document.querySelectorAll('[data-testid="stSidebar"] button[aria-pressed="true"]'))
    .map(pill => pill.textContent.trim()),
  agreement: document.querySelector('[data-testid="stMain"] [data-testid="stSelectbox"] input[role="combobox"]')
    ?.value ?? null,
})
"""
ON = ["Bevilling", "Forventet"]
YEARS = {"aar": ["2023", "2027"]}
BOTH = {**YEARS, "art": ["appropriation", "expected"]}


def shown(page) -> dict:
    return page.evaluate(SHOWN)


def address(page) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(page.url)
    return parts.path.strip("/"), parse_qs(parts.query)


def showing(page, title: str, years: list[int], kinds: list[str], path: str, params: dict,
            agreement: str | None = None) -> None:
    """Wait until the browser shows this view (page, sidebar, agreement chosen), then the URL
    must say the same: after Back, the app must not write the later view back into it."""
    wanted = {"title": title, "years": years, "kinds": kinds, "agreement": agreement}
    deadline = time.time() + 30
    while shown(page) != wanted:
        if time.time() > deadline:
            pytest.fail(f"at {page.url} the browser should show {wanted}, but shows {shown(page)}")
        page.wait_for_timeout(100)
    settle(page)
    assert shown(page) == wanted
    assert address(page) == (path, params)


def grid_holds(page, present: str, absent: str) -> None:
    """The tables (redrawn after the script has run) hold `present` and not `absent`."""
    deadline = time.time() + 30
    while True:
        cells = grid_text(page)
        if present in cells and absent not in cells:
            return
        if time.time() > deadline:
            pytest.fail(f"the tables should hold {present} and not {absent}: {cells[:500]}")
        page.wait_for_timeout(200)


def overview_a(page) -> None:
    """Overblik as it opens: 2023-2028, appropriations; akutpsykiatri 562,5 over the years."""
    showing(page, "Overblik", [2023, 2028], ["Bevilling"], "", {})
    page.get_by_text("2023–2028", exact=False).first.wait_for()
    assert page.get_by_role("heading", name=EXPECTED).count() == 0
    grid_holds(page, "562.5", "412.5")


def overview_b(page) -> None:
    """The last year one back: 2023-2027; akutpsykiatri 412,5."""
    showing(page, "Overblik", [2023, 2027], ["Bevilling"], "", YEARS)
    page.get_by_text("2023–2027", exact=False).first.wait_for()
    assert page.get_by_role("heading", name=EXPECTED).count() == 0
    grid_holds(page, "412.5", "562.5")


def overview_c(page) -> None:
    """Expected money switched on as well: its own section, with the acute cancer effort's 270."""
    showing(page, "Overblik", [2023, 2027], ON, "", BOTH)
    page.get_by_role("heading", name=EXPECTED).wait_for()
    grid_holds(page, "270", "562.5")


def pill(page, label: str):
    return page.locator(f"{SIDEBAR} button", has_text=label)


def test_back_and_forward_restore_the_filters(page, server):
    page.goto(server)
    settle(page)
    overview_a(page)

    # each filter change is a history entry: the years, then a kind
    thumb = page.locator(f'{SIDEBAR} [data-testid="stSlider"] input[type="range"]').last
    thumb.focus()
    thumb.press("ArrowLeft")
    page.wait_for_url("**aar=2027*")
    overview_b(page)
    pill(page, "Forventet").click()
    page.wait_for_url("**art=expected*")
    overview_c(page)

    page.go_back()
    overview_b(page)
    page.go_back()
    overview_a(page)
    page.go_forward()
    overview_b(page)
    page.go_forward()
    overview_c(page)


def test_back_and_forward_across_pages(page, server):
    page.goto(f"{server}/?aar=2023&aar=2027&art=appropriation&art=expected")
    settle(page)
    overview_c(page)

    # to Aftaler: the filters go along; there an agreement is chosen and a kind switched off
    page.get_by_test_id("stTopNavLink").filter(has_text="Aftaler").click()
    showing(page, "Aftaler", [2023, 2027], ON, "aftaler", BOTH, DEFAULT_AGREEMENT)
    chooser = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input[role="combobox"]')
    chooser.click()
    chooser.fill("Kræftplan V")
    page.get_by_role("option", name="Kræftplan V", exact=True).click()
    page.wait_for_url("**vis=kraeftplan-v*")
    showing(page, "Aftaler", [2023, 2027], ON, "aftaler", {**BOTH, "vis": ["kraeftplan-v"]}, "Kræftplan V")
    pill(page, "Forventet").click()
    page.wait_for_url(lambda url: "art=" not in url)
    showing(page, "Aftaler", [2023, 2027], ["Bevilling"], "aftaler", {**YEARS, "vis": ["kraeftplan-v"]},
            "Kræftplan V")
    # back to Overblik through the top bar: one history entry, the agreement stays in the URL
    page.get_by_test_id("stTopNavLink").filter(has_text="Overblik").click()
    showing(page, "Overblik", [2023, 2027], ["Bevilling"], "", {**YEARS, "vis": ["kraeftplan-v"]})
    grid_holds(page, "412.5", "562.5")

    # Back steps through exactly the views shown, each page with its filters and its agreement
    page.go_back()
    showing(page, "Aftaler", [2023, 2027], ["Bevilling"], "aftaler", {**YEARS, "vis": ["kraeftplan-v"]},
            "Kræftplan V")
    page.go_back()
    showing(page, "Aftaler", [2023, 2027], ON, "aftaler", {**BOTH, "vis": ["kraeftplan-v"]}, "Kræftplan V")
    page.go_back()
    showing(page, "Aftaler", [2023, 2027], ON, "aftaler", BOTH, DEFAULT_AGREEMENT)
    page.go_back()
    overview_c(page)
    page.go_forward()
    showing(page, "Aftaler", [2023, 2027], ON, "aftaler", BOTH, DEFAULT_AGREEMENT)
    page.go_forward()
    showing(page, "Aftaler", [2023, 2027], ON, "aftaler", {**BOTH, "vis": ["kraeftplan-v"]}, "Kræftplan V")

    # a change after going back is a new entry (the later ones are gone): Back returns before it
    page.go_back()
    page.go_back()
    overview_c(page)
    pill(page, "Skøn").click()
    page.wait_for_url("**art=estimate*")
    showing(page, "Overblik", [2023, 2027], [*ON, "Skøn"], "",
            {**YEARS, "art": ["appropriation", "expected", "estimate"]})
    page.go_back()
    overview_c(page)
