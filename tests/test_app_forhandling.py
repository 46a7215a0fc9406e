"""The Forhandling page (the negotiators' workspace), run headless with Streamlit's AppTest on
a fresh seeded ledger: key figures, frames, expiring money, compensation claims, a scenario
made from a proposal and shared by its link, the price level, and the brief's downloads."""

from __future__ import annotations

import polars as pl
import pytest

from streamlit.testing.v1 import AppTest

from ledger import scenarios, store
from ledger.db import engine_for

from .headless_app import open_app
from .test_app_pages import row, tables, texts

CAPACITY_LINES = [9, 10]  # the seeded proposal lines: 111 in 2025 and in 2026 (seeds/lines.csv)


@pytest.fixture
def app(app_ledger_url):
    """The app on a fresh seeded ledger, "this year" 2025, opened on the Forhandling page."""

    def open_page(**params) -> AppTest:
        return open_app("forhandling", **params)

    open_page.url = app_ledger_url
    return open_page


def test_key_figures_frames_expiring_and_unfunded(app):
    at = app()
    assert [t.label for t in at.tabs] == ["Nøgletal", "Rammer", "Udløber", "Ufinansieret", "Forslag og scenarier",
                                          "Brief"]
    summary, frames, expiring, unfunded, proposals = tables(at)[:5]
    assert row(summary, "Besluttet")["2025"] == "880,7"
    assert row(summary, "Heraf ikke udmøntet")["2025"] == "582,3"
    assert row(summary, "Udløbne midler")["2028"] == "100"
    assert row(summary, "Ufinansieret")["2026"] == "60,45"

    kraeftplan = frames[frames["Ramme"] == "Kræftplan V"].set_index("Post")
    assert kraeftplan.loc["Ramme", "2025"] == "600" and kraeftplan.loc["Udmøntet (underinitiativer)", "2025"] == "100"
    assert kraeftplan.loc["Rest (ikke udmøntet)", "2026"] == "500"
    assert kraeftplan.loc["Rest efter forslag", "2026"] == "389"
    life = frames[frames["Ramme"].str.contains("life science")].set_index("Post")
    assert life.loc["Rest (ikke udmøntet)", "2024"] == "76,6" and life.loc["Rest (ikke udmøntet)", "2028"] == ""
    assert "EMN-2023-01179" in row(frames, "Kræftplan V")["Kilder"]  # every figure with its source

    assert list(expiring["Initiativ"]) == ["Strategi for life science (samlet ramme)"]
    assert row(expiring, "life science")["Bortfalder fra"] == "2028"
    assert row(expiring, "life science")["Årligt beløb"] == "100"
    assert row(unfunded, "Kompensationskrav i alt")["2025"] == "60,45"
    assert row(proposals, "Videreførelse af kapacitet")["2026"] == "111"
    assert row(proposals, "Videreførelse af kapacitet")["Ramme"] == "Kræftplan V"


def test_a_price_level_flags_every_line_without_one(app):
    at = app(pl="2025")
    assert at.selectbox(key="pl").value == 2025
    assert "24 linje(r) har intet prisniveau" in at.warning[0].value
    frames = tables(at)[1]
    assert set(frames["Prisniveau"]) == {"ikke omregnet"}
    assert row(tables(at)[0], "Besluttet")["2025"] == "880,7"  # kept as given, never converted silently


def test_a_scenario_made_from_the_capacity_proposal_leaves_the_ledger_unchanged(app, tmp_path):
    at = app()
    assert store.load(engine_for(app.url)).lines.filter(pl.col("kind") == "proposal")["id"].to_list() == CAPACITY_LINES
    at.text_input(key="ny_navn").input("Kapacitet fra Kræftplan V")
    at.text_area(key="ny_beskrivelse").input("222 mio. kr. årligt, et halvt år i 2025 og i 2026")
    at.multiselect(key="vedtag").set_value(CAPACITY_LINES).run()
    at.button(key="gem").click().run()
    assert not at.exception, at.exception
    assert "Scenariet «Kapacitet fra Kræftplan V» er gemt. Ledgeren er uændret." in [s.value for s in at.success]
    assert at.selectbox(key="scenario").value == "kapacitet-fra-kraeftplan-v"
    assert at.query_params["scenario"] in ("kapacitet-fra-kraeftplan-v", ["kapacitet-fra-kraeftplan-v"])  # the link
    compare = next(t for t in tables(at) if "Grundlag" in t.columns and "Post" in t.columns)
    not_drawn = compare[compare["Post"] == "Heraf ikke udmøntet i rammer"].set_index("Grundlag")
    assert not_drawn.loc["Ledger", "2025"] == "582,3" and not_drawn.loc["Scenarie", "2025"] == "471,3"
    assert not_drawn.loc["Forskel", "2026"] == "-111"
    decided = compare[compare["Post"] == "Besluttet (bevillinger)"].set_index("Grundlag")
    assert decided.loc["Forskel", "2025"] == "0"
    rest = next(t for t in tables(at) if "Grundlag" in t.columns and "Ramme" in t.columns)
    assert list(rest["Ramme"].unique()) == ["Kræftplan V"]
    assert rest.set_index("Grundlag").loc["Scenarie", "2025"] == "389"
    assert "[Link til scenariet](forhandling?scenario=kapacitet-fra-kraeftplan-v)" in texts(at)

    # the ledger of record is as seeded: the proposals are still proposals
    url = app.url
    led = store.load(engine_for(url))
    assert led.lines.filter(pl.col("kind") == "proposal").height == 2
    assert store.journal(engine_for(url)).height == 1
    assert [s.id for s in scenarios.list_scenarios(engine_for(url))] == ["kapacitet-fra-kraeftplan-v"]


def test_a_shared_link_opens_the_scenario_and_a_bad_one_is_refused(app):
    app()  # seeds the ledger
    url = app.url
    rows = ("initiative_id,year_from,region,amount_mio_dkk,kind,source\n"
            "dosisdispensering,2026,Hele landet,30,bevilling,Økonomiaftale 2026 (eksempel)\n")
    engine = engine_for(url)
    scenarios.save(engine, "Delvis kompensation", rows, store.load(engine))
    at = app(scenario="delvis-kompensation")
    assert at.selectbox(key="scenario").value == "delvis-kompensation"
    compare = next(t for t in tables(at) if "Grundlag" in t.columns and "Post" in t.columns)
    unfunded = compare[compare["Post"] == "Ufinansieret (kompensationskrav)"].set_index("Grundlag")
    assert unfunded.loc["Scenarie", "2026"] == "30,45" and unfunded.loc["Forskel", "2026"] == "-30"

    # a file whose rows break a rule is refused with the import's messages, and nothing is saved
    at.text_input(key="ny_navn").input("For meget").run()
    at.button(key="gem").click().run()
    assert any("Vælg forslag eller hent en fil" in e.value for e in at.error)
    at.text_input(key="ny_navn").input("").run()
    at.multiselect(key="vedtag").set_value(CAPACITY_LINES[:1]).run()
    at.button(key="gem").click().run()
    assert any("Giv scenariet et navn" in e.value for e in at.error)
    assert [s.id for s in scenarios.list_scenarios(engine)] == ["delvis-kompensation"]


def test_the_brief_downloads(app):
    at = app(pl="2025")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Brief (Excel)" in labels and "Sammendrag på én side (HTML)" in labels
    assert labels.count("CSV") == labels.count("Excel") >= 5  # every table with its downloads
