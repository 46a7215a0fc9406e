"""The page Prisindeks (administrators: the price and wage index), run headless with Streamlit's
AppTest on a fresh seeded ledger with users: an administrator adds a year and corrects one (the
table, the journal with the value before, and the price levels Forhandling offers all follow),
bad input is refused in Danish with nothing written, and no one below administrator gets the
form. The index of the seeds: 2022 4,3 · 2023 2,5 · 2024 4,0 · 2025 2,8 (Finansministeriet)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from ledger import access, store
from ledger.access import SINGLE_ADMIN
from ledger.db import engine_for
from tracker import history, services
from tracker.negotiation import set_price_rise_as

from .builders import add_users
from .headless_app import PAGES, sign_in
from .test_app_pages import shown

ADMIN, ADMIN_PASSWORD = "ada", "ada password 1234"
ROLES = {"lis": "læser", "frede": "forhandler", "anna": "økonomi"}
SEEDED_2025 = "Finansministeriet, pris- og lønudvikling for regionerne"  # seeds/price_index.csv


@pytest.fixture
def ledger_url(app_ledger_url):
    """The seed ledger with an administrator, a reader, a negotiator and finance staff."""
    engine = services.open_ledger(app_ledger_url)
    services.init(engine)
    add_users(engine, **ROLES)
    access.add_user(engine, SINGLE_ADMIN, ADMIN, "administrator", ADMIN_PASSWORD)
    engine.dispose()
    return app_ledger_url


def admin(page: str | None = "prisindeks", **params) -> AppTest:
    """The app signed in as the administrator, on the page Prisindeks unless told otherwise."""
    return sign_in(ADMIN, page, password=ADMIN_PASSWORD, **params)


def enter(at: AppTest, year: str, rise: str, source: str, note: str = "") -> AppTest:
    at.text_input(key="pi_aar").input(year)
    at.text_input(key="pi_stigning").input(rise)
    at.text_input(key="pi_kilde").input(source)
    at.text_input(key="pi_note").input(note)
    at.button(key="pi_gem").click().run()
    assert not at.exception, at.exception
    return at


def index_shown(at: AppTest) -> dict[str, dict]:
    """The index table as the page shows it: year -> its row's text."""
    frame = shown(at.dataframe[0])
    return {r["År"]: r for r in frame.to_dict("records")}


def price_changes(url: str) -> pl.DataFrame:
    engine = engine_for(url)
    try:
        return store.journal(engine).filter(pl.col("action") == "price-index")
    finally:
        engine.dispose()


def stored_index(url: str) -> list[dict]:
    engine = engine_for(url)
    try:
        return store.load_price_index(engine).to_dicts()
    finally:
        engine.dispose()


def test_an_administrator_adds_a_year_and_corrects_one(ledger_url):
    at = admin("forhandling")
    assert "i 2026-pl" not in at.selectbox(key="pl").options  # the index ends with 2025: 2026-pl cannot be reached
    at.switch_page(f"{PAGES}/prisindeks.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Prisindeks"
    before = index_shown(at)
    assert {y: r["Stigning (%)"] for y, r in before.items()} == {"2022": "4,3", "2023": "2,5", "2024": "4,0",
                                                                 "2025": "2,8"}
    assert before["2025"]["Kilde"] == SEEDED_2025

    # a new year, with a decimal comma
    at.text_input(key="pi_aar").input("2026").run()
    assert "2026 er ikke i indekset: året tilføjes." in [c.value for c in at.caption]
    enter(at, "2026", "2,9", "Finansministeriet, ØA 2027 (eksempel)")
    assert [s.value for s in at.success] == [
        "Gemt: 2026 er tilføjet med 2,9 % (kilde: Finansministeriet, ØA 2027 (eksempel))."]
    assert index_shown(at)["2026"]["Stigning (%)"] == "2,9"
    assert at.text_input(key="pi_aar").value == ""  # a fresh form

    # a correction: the page says what the value is before it is replaced
    at.text_input(key="pi_aar").input("2025").run()
    assert any(c.value.startswith(f"2025 står i indekset med 2,8 % (kilde: {SEEDED_2025}).") for c in at.caption)
    enter(at, "2025", "3,05", "Finansministeriet, rettet", note="Rettet efter ØA 2027, tabel 3")
    assert [s.value for s in at.success] == [
        f"Gemt: 2025 er rettet fra 2,8 % (kilde: {SEEDED_2025}) til 3,05 % (kilde: Finansministeriet, rettet)."]
    after = index_shown(at)
    # every figure exact: two decimals now that one has them
    assert {y: r["Stigning (%)"] for y, r in after.items()} == {"2022": "4,30", "2023": "2,50", "2024": "4,00",
                                                                "2025": "3,05", "2026": "2,90"}
    assert after["2025"]["Kilde"] == "Finansministeriet, rettet"
    assert after["2025"]["Note"] == "Rettet efter ØA 2027, tabel 3"

    # the journal: who, when, why and the value before
    entries = price_changes(ledger_url)
    assert entries["author"].to_list() == ["ada", "ada"]
    assert all((datetime.now(timezone.utc) - at_).total_seconds() < 600 for at_ in entries["at"])
    added, corrected = (json.loads(s)["price_index"] for s in entries["summary"])
    assert added == {"year": 2026, "before": None,
                     "after": {"rise_pct": "2.9", "source": "Finansministeriet, ØA 2027 (eksempel)"}}
    assert corrected["before"] == {"rise_pct": "2.8", "source": SEEDED_2025}
    assert corrected["after"] == {"rise_pct": "3.05", "source": "Finansministeriet, rettet",
                                  "note": "Rettet efter ØA 2027, tabel 3"}
    assert entries["reason"][-1].endswith(": Rettet efter ØA 2027, tabel 3")
    changes = shown(at.dataframe[1])  # the page's own view of the journal, newest first
    assert changes[["År", "Før (%)", "Efter (%)", "Hvem"]].values.tolist() == [
        ["2025", "2,8", "3,05", "ada"], ["2026", "(nyt år)", "2,9", "ada"]]
    assert changes["Note (begrundelse)"].tolist() == ["Rettet efter ØA 2027, tabel 3", ""]

    # the history shows it too, and Forhandling offers the new level at once (its cache of the
    # index is keyed by the ledger's version, which the change moved on)
    at.switch_page(f"{PAGES}/historik.py").run()
    at.multiselect(key="h_handling").select("price-index").run()  # one click away, as sign-ins are
    assert not at.exception, at.exception
    journal = at.dataframe[0].value
    assert journal[journal["Handling"] == "prisindeks"]["Ændringer"].tolist() == [
        "2025: 2,8 % → 3,05 %", "2026: ny, 2,9 %"]
    at.switch_page(f"{PAGES}/forhandling.py").run()
    assert not at.exception, at.exception
    assert "i 2026-pl" in at.selectbox(key="pl").options
    at.selectbox(key="pl").select(2026).run()
    assert not at.exception and not at.error  # the level is reachable: no "no rise for 2026"
    assert at.selectbox(key="pl").value == 2026


@pytest.mark.parametrize("year, rise, source, message", [
    ("20x6", "2,9", "Finansministeriet", "År: «20x6» er ikke et årstal. Skriv et helt årstal mellem 2000 og 2100"),
    ("2150", "2,9", "Finansministeriet", "År: 2150 ligger uden for 2000–2100."),
    ("1999", "2,9", "Finansministeriet", "År: 1999 ligger uden for 2000–2100."),
    ("2026", "to komma ni", "Finansministeriet", "Stigning: «to komma ni» er ikke et tal."),
    ("2026", "2,1234567", "Finansministeriet", "Stigning: «2,1234567» er ikke et tal. Skriv procenten med højst "
                                               "seks decimaler"),
    ("2026", "-100", "Finansministeriet", "Stigning: -100 % er for lavt. En stigning skal være over -100 %."),
    ("2026", "2,9", "   ", "Kilde: feltet er tomt. Hvert tal i prisindekset skal have sin kilde"),
    ("2025", "", "Finansministeriet", "Stigning: feltet er tomt."),
])
def test_bad_input_is_refused_in_danish_and_nothing_is_written(ledger_url, year, rise, source, message):
    index = stored_index(ledger_url)
    at = enter(admin(), year, rise, source, note="forsøg")
    errors = [e.value for e in at.error]
    assert errors[0] == "Intet er gemt: 1 fejl skal rettes først."
    assert any(e.startswith(message) for e in errors[1:]), errors
    assert not at.success
    assert stored_index(ledger_url) == index and price_changes(ledger_url).height == 0
    assert at.text_input(key="pi_aar").value == year  # the input stays, to be corrected


def test_a_correction_without_a_reason_is_refused_and_nothing_is_written(ledger_url):
    index = stored_index(ledger_url)
    at = enter(admin(), "2025", "3,05", "Finansministeriet, rettet")
    errors = [e.value for e in at.error]
    assert errors[0] == "Intet er gemt: 1 fejl skal rettes først."
    assert errors[1].startswith("Note (begrundelse): feltet er tomt. 2025 står allerede i indekset med 2,8 %; "
                                "en rettelse skal have en begrundelse")
    assert stored_index(ledger_url) == index and price_changes(ledger_url).height == 0
    enter(at, "2026", "2,9", "Finansministeriet")  # a new year needs no reason
    assert [s.value for s in at.success] == ["Gemt: 2026 er tilføjet med 2,9 % (kilde: Finansministeriet)."]


def test_every_bad_field_at_once_and_the_same_value_again(ledger_url):
    at = enter(admin(), "år", "x", "")
    assert [e.value for e in at.error][0] == "Intet er gemt: 3 fejl skal rettes først."
    enter(at, "2025", "2.8", SEEDED_2025)  # a point works too; nothing differs, so nothing is written
    assert [i.value for i in at.info] == ["Intet at gemme: 2025 står allerede med 2,8 %, samme kilde og note."]
    assert price_changes(ledger_url).height == 0


def test_in_english(ledger_url):
    at = enter(admin(sprog="en"), "2150", "2.9", "Finansministeriet")
    assert at.title[0].value == "Price index"
    assert "Year: 2150 is outside 2000–2100. The price index only takes years from 2000 to 2100." in [
        e.value for e in at.error]
    enter(at, "2026", "2.9", "Finansministeriet")
    assert [s.value for s in at.success] == ["Saved: 2026 was added with 2.9 % (source: Finansministeriet)."]
    frame = shown(at.dataframe[0])
    assert dict(zip(frame["Year"], frame["Rise (%)"]))["2026"] == "2.9"


@pytest.mark.parametrize("name, pages", [("lis", ["overblik"]), ("frede", ["forhandling", "historik"]),
                                         ("anna", ["forhandling", "indtastning", "historik"])])
def test_no_form_for_anyone_below_administrator(ledger_url, name, pages):
    at = sign_in(name)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"{PAGES}/prisindeks.py")  # not among their pages: not by its address either
    for page in pages:
        at.switch_page(f"{PAGES}/{page}.py").run()
        assert not at.exception, at.exception
        assert not [w for w in at.text_input if w.key and w.key.startswith("pi_")], page
        assert not [b for b in at.button if b.key == "pi_gem"], page
    engine = engine_for(ledger_url)
    try:  # and below the user interface the service refuses them
        with pytest.raises(access.Forbidden):
            set_price_rise_as(engine, access.Actor(name, access.role_code(ROLES[name])), 2026, Decimal("2.9"), "x")
        assert store.load_price_index(engine)["year"].to_list() == [2022, 2023, 2024, 2025]
    finally:
        engine.dispose()


def test_nothing_can_be_changed_in_the_past(ledger_url):
    today = history.local_day(datetime.now(timezone.utc)).isoformat()
    at = admin(pr=today)
    assert "Der kan kun rettes i ledgeren, som den er nu" in at.info[0].value
    assert not [w for w in at.text_input if w.key and w.key.startswith("pi_")]
