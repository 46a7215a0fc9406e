"""Sections drawn once and replayed (`tracker.app.ui.replayed`): a view seen before costs the
server no chart or table conversion, and is the same view; links carry the filters of their
own section; a change to the ledger, or another viewer, never gets a replayed section."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tracker import services
from tracker.app import charts, ui

from .builders import add_confidential_agreement
from .test_app_pages import row, tables


@pytest.fixture
def app(app_ledger_url):
    from .headless_app import open_app

    return open_app


@pytest.fixture
def drawn(monkeypatch):
    """How many charts and tables Overblik has drawn (not replayed) so far."""
    counts = {"charts": 0, "tables": 0}
    stacked_bars, grid = charts.stacked_bars, ui.grid

    def counting_chart(*args, **kwargs):
        counts["charts"] += 1
        return stacked_bars(*args, **kwargs)

    def counting_grid(*args, **kwargs):
        counts["tables"] += 1
        return grid(*args, **kwargs)

    monkeypatch.setattr(charts, "stacked_bars", counting_chart)
    monkeypatch.setattr(ui, "grid", counting_grid)
    return counts


def kinds(at):
    return next(p for p in at.sidebar.button_group if p.label == "Arter")


def page_as_shown(at) -> tuple:
    """Every table's text and every chart's spec and data."""
    charts_ = [(c.proto.spec, [(d.name, d.data.data) for d in c.proto.datasets]) for c in at.get("vega_lite_chart")]
    return [t.to_dict() for t in tables(at)], charts_


def test_a_kind_switched_on_draws_only_its_own_section(app, drawn):
    at = app()
    assert drawn == {"charts": 1, "tables": 1}
    first = page_as_shown(at)
    kinds(at).set_value(["appropriation", "expected"]).run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 2 and len(at.dataframe) == 2
    assert drawn == {"charts": 2, "tables": 2}  # appropriations replayed, expected drawn
    kinds(at).set_value(["appropriation"]).run()
    assert drawn == {"charts": 2, "tables": 2}  # the first view again: nothing drawn
    assert page_as_shown(at) == first


def test_a_view_seen_before_is_replayed_with_the_same_figures(app, drawn):
    at = app()
    at.slider(key="aar").set_value((2025, 2026)).run()
    assert drawn == {"charts": 2, "tables": 2}
    narrow = page_as_shown(at)
    at.slider(key="aar").set_value((2023, 2029)).run()
    at.slider(key="aar").set_value((2025, 2026)).run()
    assert drawn == {"charts": 2, "tables": 2}
    assert page_as_shown(at) == narrow
    assert [c for c in tables(at)[0].columns if c.isdigit()] == ["2025", "2026"]
    assert row(tables(at)[0], "akutpsykiatrisk")["2025"] == "112,5"


def test_a_change_to_the_ledger_is_shown_at_once(app, app_ledger_url, drawn):
    at = app()
    assert row(tables(at)[0], "I alt")["2025"] == "880,7"
    engine = services.open_ledger(app_ledger_url)
    add_confidential_agreement(engine)  # 4.711,5 in 2025; the administrator may see it
    engine.dispose()
    at.run()
    assert drawn == {"charts": 2, "tables": 2}
    assert row(tables(at)[0], "I alt")["2025"] == "5.592,2"
    assert {m.label: m.value for m in at.metric}["I år (2025)"] == "5.592,2 mio. kr."


def links(table, column: str = "Kilde") -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(link).query) for link in table[column] if link and link != "None"]


def test_source_links_carry_the_filters_of_their_section(app):
    at = app(art=["appropriation", "expected"], aar=["2024", "2027"])
    appropriations, expected = tables(at)
    for query in links(appropriations):
        assert query["aar"] == ["2024", "2027"]
        assert "art" not in query  # appropriations: the default kind
        assert query["kilde"]
    for query in links(expected):
        assert query["art"] == ["expected"]
        assert query["aar"] == ["2024", "2027"]
    assert row(appropriations, "akutpsykiatrisk")["Kilde"].startswith("kilder?aar=2024&aar=2027&kilde=")


def test_source_links_in_english_and_by_agreement(app):
    at = app(sprog="en", aftale="akutpsykiatri-2025")
    query = links(tables(at)[0], "Source")[0]
    assert query["sprog"] == ["en"]
    assert query["aftale"] == ["akutpsykiatri-2025"]
    assert "aar" not in query  # the default years are left out, as the sidebar leaves them out
