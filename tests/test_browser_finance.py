"""Finance staff in a real browser (Debian's chromium through Playwright, on `streamlit run
app.py` with a temporary seeded ledger with users):

* issue 5: upload a file with errors, see them with their spreadsheet rows, fix it, upload it
  again, confirm, and see the new figures and the journal entry;
* issue 7: sign in as a reader and see no confidential figure, sign out, sign in as finance
  staff and change a line in the grid.

Skipped without chromium unless TRACKER_REQUIRE_BROWSER=1 (as in CI)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from ledger import store
from ledger.db import engine_for
from tracker import services

from .builders import PASSWORDS, add_confidential_agreement, add_users
from .in_browser import app_running, settle

pytestmark = pytest.mark.browser
SECRETS = ("4.711,5", "4711.5", "Fortroligt punkt 2", "Hemmeligt initiativ")


@pytest.fixture
def server(tmp_path):
    """The app for each journey on its own ledger: the seed ledger, a confidential agreement with
    4.711,5 in 2025, a reader and finance staff."""
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    engine = services.open_ledger(url)
    services.init(engine)
    add_confidential_agreement(engine)
    add_users(engine, lis="læser", anna="økonomi")
    engine.dispose()
    with app_running(url, tmp_path) as address:
        yield {"address": address, "url": url}


@pytest.fixture
def viewport():
    """A taller window than the other browser tests use."""
    return {"width": 1440, "height": 1000}


def sign_in(page, name: str) -> None:
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(PASSWORDS[name])
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text(f"Logget ind som {name}").wait_for()
    settle(page)


def go(page, name: str) -> None:
    """To a page through the top bar; entering, import and history are under "Ledgeren"."""
    link = page.locator('[data-testid^="stTopNav"][href]', has_text=name).first
    if not link.is_visible():
        page.locator('[data-testid="stTopNav"], header').get_by_text("Ledgeren", exact=True).first.click()
    link.click()
    page.get_by_role("heading", name=name).first.wait_for()
    settle(page)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def shows(page, text: str) -> None:
    """The page shows `text` (within a few seconds: a rerun may still be drawing); else fail
    with the key figures it shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.get_by_text(text).first.wait_for(timeout=10_000)
    except PlaywrightTimeout:
        figures = page.locator('[data-testid="stMetric"]').all_inner_texts()
        pytest.fail(f"the page should show {text}; its key figures: {figures}")


def grid_cells(page, nth: int = 0) -> str:
    grid = page.locator('[data-testid="stDataFrame"]:visible').nth(nth)
    grid.scroll_into_view_if_needed()
    grid.locator('[data-testid^="glide-cell"]').first.wait_for(state="attached")
    page.wait_for_timeout(300)
    return " | ".join(grid.locator('[data-testid^="glide-cell"]').all_text_contents())


def edit_cell(page, right: int, text: str) -> None:
    """Type into a cell of the first row of the grid, as a user does: click the row's first
    cell, arrow right, Enter to edit, type, Enter. Once more if the grid was still drawing."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    grid.locator('[data-testid^="glide-cell"]').first.wait_for(state="attached")
    for _attempt in range(3):
        page.wait_for_timeout(500)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 110, box["y"] + 35 + 17)
        for _ in range(right):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        page.wait_for_timeout(400)
        page.keyboard.press("Control+A")
        page.keyboard.type(text, delay=50)
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        if f"| {text} |" in " | ".join(grid.locator('[data-testid^="glide-cell"]').all_text_contents()) + " |":
            return
        page.keyboard.press("Escape")
    raise AssertionError(f"could not type {text} into the grid")


def reason(page, text: str) -> None:
    page.locator('[data-testid="stTextInput"]').filter(has_text="Begrundelse").locator("input").fill(text)


def upload(page, path) -> None:
    """Choose the file, as the first file or instead of the one chosen before (given as its
    content: choosing the same path twice is no change to the browser's file input)."""
    chosen = page.locator('[data-testid="stFileChipDeleteBtn"] button')
    if chosen.count():
        chosen.first.click()
        settle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": path.name, "mimeType": "text/csv", "buffer": path.read_bytes()})
    settle(page)


HEADER = "agreement_id;initiative_id;year_from;year_to;region;amount_mio_dkk;kind;source;note\n"
WITH_ERRORS = HEADER + (
    "akutpsykiatri-2025;akutpsykiatri;2025;;Hele landet;120;bevilling;s001-akutpsyk;Afsat til regionerne\n"
    "akutpsykiatri-2025;akutpsykiatri;2027;;Region Hovedstaden;10;forventet;s001-akutpsyk;\n"
    "akutpsykiatri-2025;akutpsykiatri;2028;;Nordjylland;12,5x;forventet;s001-akutpsyk;\n"
)
FIXED = HEADER + (
    "akutpsykiatri-2025;akutpsykiatri;2025;;Hele landet;120;bevilling;s001-akutpsyk;Afsat til regionerne\n"
    "akutpsykiatri-2025;akutpsykiatri;2027;;Region Østdanmark;10;forventet;s001-akutpsyk;\n"
    "akutpsykiatri-2025;akutpsykiatri;2028;;Nordjylland;12,5;forventet;s001-akutpsyk;\n"
)


def test_an_import_with_errors_fixed_confirmed_and_seen_in_the_figures_and_the_journal(page, server, tmp_path):
    page.goto(server["address"])
    sign_in(page, "anna")
    shows(page, "5.592,2 mio. kr.")  # this year, before: 880,7 + the confidential 4.711,5

    go(page, "Import")
    path = tmp_path / "akutpsykiatri.csv"
    path.write_text(WITH_ERRORS, encoding="utf-8")
    upload(page, path)
    page.get_by_text("akutpsykiatri.csv har 2 fejl i 2 række(r). Intet er gemt.").wait_for()
    cells = grid_cells(page)
    assert "regionen 'hovedstaden' findes ikke i 2027" in cells and "'12,5x' er ikke et beløb" in cells
    assert "3 | Region" in cells and "4 | Beløb" in cells  # the rows the spreadsheet shows
    assert page.get_by_role("button", name="Gem").count() == 0

    path.write_text(FIXED, encoding="utf-8")
    upload(page, path)
    page.get_by_text("Nye linjer").first.wait_for()
    metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
    assert [m.split("\n")[-1] for m in metrics] == ["2", "1", "0"]  # new, corrected, unchanged
    assert "112,5 | 120" in grid_cells(page, 1)  # the correction: before and after
    reason(page, "ØA 2026, s. 12")
    page.get_by_role("button", name="Gem 3 linje(r) i ledgeren").click()
    page.get_by_text("Importeret som ændring nr.").wait_for()
    settle(page)
    with engine_for(server["url"]).connect() as connection:
        amounts = store.load(connection).lines.filter(pl.col("initiative_id") == "akutpsykiatri").sort("year_from")["amount"]
    assert amounts.to_list() == [Decimal("120"), Decimal("150"), Decimal("10"), Decimal("12.5")]

    # the new figures
    page.get_by_role("link", name="Se tallene i Overblik").click()
    page.get_by_role("heading", name="Overblik").wait_for()
    settle(page)
    page.get_by_text("5.599,7 mio. kr.").first.wait_for()  # 112,5 became 120

    # the journal entry, with the values before and after
    go(page, "Historik")
    journal = grid_cells(page)
    assert "anna | import | ØA 2026, s. 12 | 2 nye, 1 rettet linje(r)" in journal
    entry = grid_cells(page, 1)
    assert "Linje 21: 2025, Hele landet, bevilling | Beløb | 112,5 | 120" in entry
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_reader_sees_no_confidential_figure_then_finance_staff_make_a_change(page, server):
    page.goto(server["address"])
    sign_in(page, "lis")
    page.get_by_text("880,7 mio. kr.").first.wait_for()  # this year without the confidential 4.711,5
    shown = main_text(page) + grid_cells(page)
    assert not [secret for secret in SECRETS if secret in shown]
    assert page.get_by_text("Ledgeren", exact=True).count() == 0  # no entering, import or history
    go(page, "Aftaler")
    assert "Fortroligt punkt" not in main_text(page) + grid_cells(page)

    page.get_by_role("button", name="Log ud").click()
    page.get_by_role("button", name="Log ind").wait_for()
    sign_in(page, "anna")
    go(page, "Overblik")
    page.get_by_text("5.592,2 mio. kr.").first.wait_for()  # now with the confidential money

    go(page, "Indtastning")
    page.get_by_role("heading", name="Linjer: Styrkelse af fødeområdet").wait_for()
    edit_cell(page, right=3, text="70,5")  # the first line's amount: first year, last year, region, amount
    reason(page, "Rettet efter aftaleteksten")
    page.get_by_role("button", name="Gem linjerne").click()
    page.get_by_text("Gemt som ændring nr.").wait_for()
    settle(page)
    assert "70,5" in grid_cells(page)
    with engine_for(server["url"]).connect() as connection:
        line = store.load(connection).lines.filter(pl.col("initiative_id") == "foedeomraadet").row(0, named=True)
        entry = store.journal(connection.engine).row(-1, named=True)
    assert (line["amount"], line["version"]) == (Decimal("70.5"), 2)
    assert (entry["author"], entry["action"], entry["reason"]) == ("anna", "correct", "Rettet efter aftaleteksten")
    assert page.locator('[data-testid="stException"]').count() == 0
