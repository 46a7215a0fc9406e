"""The app in a real browser: `streamlit run app.py` on a temporary seeded ledger, driven by
Playwright with Debian's chromium (never a downloaded browser).

Opens every page, checks a figure on each, changes filters, and finds no exception anywhere.
Without chromium the tests are skipped, unless TRACKER_REQUIRE_BROWSER=1 (as in CI), where
they fail.
"""

from __future__ import annotations

import pytest

from .in_browser import settle

pytestmark = pytest.mark.browser


def open_page(page, server: str, path: str = "") -> None:
    page.goto(f"{server}/{path}")
    settle(page)


def grid_text(page) -> str:
    """What the tables hold (the grid keeps a text copy of the cells in view, for screen
    readers): each table is scrolled into view first."""
    texts = []
    grids = page.locator('[data-testid="stDataFrame"]')
    grids.first.wait_for()  # a grid's code loads after the page's script has run
    count = -1
    while count != grids.count():  # until every grid is there
        count = grids.count()
        page.wait_for_timeout(300)
    for i in range(count):
        grid = grids.nth(i)
        grid.scroll_into_view_if_needed()
        grid.locator('[data-testid^="glide-cell"]').first.wait_for(state="attached")
        texts += grid.locator('[data-testid^="glide-cell"]').all_text_contents()
    return " | ".join(texts)


def chart_text(page) -> str:
    return " | ".join(page.locator('[data-testid="stVegaLiteChart"] svg text').all_text_contents())


def test_every_page_opens_with_its_figures(page, server):
    open_page(page, server)
    page.get_by_text("880,7 mio. kr.").first.wait_for()  # this year's appropriations
    page.locator('[data-testid="stVegaLiteChart"] svg path').first.wait_for()
    assert "1.000" in chart_text(page)  # Danish thousands on the axis
    assert "112.5" in grid_text(page)  # akutpsykiatri 2025 (the grid's copy holds the raw number)

    open_page(page, server, "aftaler?vis=kraeftplan-v")
    page.get_by_role("heading", name="Kræftplan V").first.wait_for()
    cells = grid_text(page)
    assert "Ikke udmøntet" in cells and "500" in cells and "Udvidet tilskud til tandpleje" in cells

    open_page(page, server, "fordeling")
    page.locator('[data-testid="stVegaLiteChart"] svg path').first.wait_for()
    assert "112.5" in grid_text(page)
    page.wait_for_function("() => Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart] svg text'))"
                           ".some(t => t.textContent === '57,9')")  # the heatmap, Danish, key-derived

    open_page(page, server, "regioner")
    page.get_by_text("Region Østdanmark", exact=False).first.wait_for()
    page.wait_for_function("() => Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart] svg text'))"
                           ".some(t => t.textContent.includes('Østdanmark fra 2027'))")
    assert "beregnet efter nøgle" in grid_text(page)

    open_page(page, server, "kilder")
    page.get_by_text("aftale om styrket akutpsykiatrisk hjælp", exact=False).first.wait_for()

    open_page(page, server, "afstemning")
    page.get_by_role("heading", name="Stemmer ikke (2)").wait_for()
    assert "500 | 600 | 100" in grid_text(page)  # stated, in the ledger, difference


# every key figure's text, and whether any of it is hidden (cut off with "…" or overflowing)
KEY_FIGURES = """
() => Array.from(document.querySelectorAll('[data-testid="stMetricValue"]')).map(v => {
  const text = v.querySelector('[data-testid="stMarkdownContainer"]');
  return [v.innerText.replace(/\\s+/g, ' '), text.scrollWidth > text.clientWidth];
})
"""


@pytest.mark.parametrize("viewport", [{"width": 1024, "height": 768}])
def test_a_key_figure_is_never_cut_off(page, server):
    """On a small laptop screen the cards are narrower than "880,7 mio. kr.": the unit wraps
    to a line of its own rather than hide digits behind "…"."""
    open_page(page, server)
    page.get_by_text("880,7", exact=False).first.wait_for()
    # the style may land a moment after the figures: wait until the page has laid them out
    try:
        page.wait_for_function(f"() => ({KEY_FIGURES})().every(([_, hidden]) => !hidden)", timeout=10_000)
    except Exception:  # noqa: BLE001 - Playwright's timeout: the assertions below say what was hidden
        pass
    figures = page.evaluate(KEY_FIGURES)
    assert ["880,7 mio. kr.", False] in figures, figures
    assert not any(hidden for _, hidden in figures), figures


def test_a_filter_change_rerenders_and_lands_in_the_url(page, server):
    open_page(page, server)
    page.locator('[data-testid="stSidebar"] button', has_text="Forventet").click()
    page.get_by_role("heading", name="Vist for sig: forventet").wait_for()
    settle(page)
    assert "art=expected" in page.url
    assert "270" in grid_text(page)  # the expected acute cancer effort in 2024, shown apart

    # the shared link opens the same view
    shared = page.url
    page.goto(shared)
    settle(page)
    page.get_by_role("heading", name="Vist for sig: forventet").wait_for()

    # the last year one back, with the keyboard: the tables lose a year
    thumb = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').last
    thumb.focus()
    thumb.press("ArrowLeft")
    page.wait_for_url("**aar=*")
    settle(page)
    assert "aar=2023" in page.url


def test_agreements_are_chosen_in_the_sidebar_popover(page, server):
    open_page(page, server)
    popover = page.locator('[data-testid="stSidebar"] [data-testid="stPopover"] button')
    popover.filter(has_text="Aftaler: alle aftaler").click()
    page.get_by_test_id("stPopoverBody").locator('[data-testid="stMultiSelect"]').click()
    page.get_by_role("option", name="Aftale om styrket akutpsykiatrisk hjælp").click()
    page.wait_for_url("**aftale=akutpsykiatri-2025*")
    settle(page)
    popover.filter(has_text="Aftaler: Aftale om styrket akutpsykiatrisk hjælp").wait_for()
    page.get_by_text("112,5 mio. kr.").first.wait_for()  # this year's appropriations, that agreement only


def test_a_heatmap_cell_opens_the_sources_behind_it(page, server):
    open_page(page, server, "fordeling")
    # Vega names each mark by its fields: the cell of Region Hovedstaden's key-derived share in
    # 2025, clicked in its middle, where its figure lies on top of it
    cell = page.locator('[data-testid="stVegaLiteChart"] svg path[aria-label*="row: Region Hovedstaden *;"]'
                        '[aria-label^="year: 2025;"]').first
    cell.scroll_into_view_if_needed()
    cell.click()
    page.wait_for_url("**/kilder?*felt=2025~appropriation~hovedstaden~key~befolkning-2024*")
    settle(page)
    page.get_by_role("heading", name="Kilder").wait_for()
    page.get_by_text("Kilderne bag feltet 2025 · Region Hovedstaden (beregnet efter nøgle)", exact=False).wait_for()
    cells = grid_text(page)
    assert "112.5" in cells and "68.2" in cells  # akutpsykiatri, fødeområdet


def test_the_english_switch(page, server):
    open_page(page, server, "afstemning")
    page.locator('[data-testid="stSidebar"] button', has_text="English").click()
    page.get_by_role("heading", name="Reconciliation").wait_for()
    settle(page)
    assert "sprog=en" in page.url
    page.get_by_role("heading", name="Do not hold (2)").wait_for()


def test_a_source_link_opens_the_source(page, server):
    open_page(page, server, "kilder?kilde=s001-akutpsyk")
    page.get_by_text("EMN-2024-00398", exact=False).first.wait_for()
    cells = grid_text(page)
    assert "112.5" in cells and "150" in cells
