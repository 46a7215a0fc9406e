"""Every page of the app, run headless with Streamlit's AppTest on a fresh seeded ledger.

The app opens (and seeds) its own SQLite file, named by TRACKER_DATABASE_URL. "This year" is
fixed at 2025 (TRACKER_TODAY) so the key figures do not move with the calendar. Figures are
asserted as the page shows them: Danish text (112,5), or English with the switch.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from .headless_app import open_app, popovers


@pytest.fixture
def app(app_ledger_url):
    """app(page, **query parameters): the app on a fresh ledger it seeds itself."""
    return open_app


def shown(table) -> pd.DataFrame:
    """A table as the page shows it: the text of every cell."""
    display = table.proto.arrow_data.styler.display_values
    if display:
        return pa.ipc.open_stream(display).read_all().to_pandas()
    return table.value.astype(str)


def row(frame: pd.DataFrame, label: str, column: str | None = None) -> pd.Series:
    """The row whose first (or given) column contains `label`."""
    column = column or frame.columns[0]
    found = frame[frame[column].astype(str).str.contains(label, regex=False)]
    assert len(found) >= 1, f"no row '{label}' in {list(frame[column])}"
    return found.iloc[0]


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [shown(t) for t in at.dataframe]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


# --- Overblik ------------------------------------------------------------------------------


def test_overview_key_figures_and_money_per_agreement(app):
    at = app()
    figures = {m.label: m.value for m in at.metric}
    assert figures["I år (2025)"] == "880,7 mio. kr."
    assert figures["Næste år (2026)"] == "918,2 mio. kr."
    assert figures["Varigt fra 2028, årligt"] == "818,2 mio. kr."  # Kræftplan V 600 + 150 + 68,2
    assert figures["Fund at se på"] == "6"  # 2 do not hold, 4 cannot be checked
    table = tables(at)[0]
    assert row(table, "akutpsykiatrisk")["2025"] == "112,5"
    assert row(table, "akutpsykiatrisk")["2026"] == "150"
    life = row(table, "life science")
    assert [life[str(y)] for y in range(2024, 2028)] == ["100"] * 4
    kraeftplan = row(table, "Kræftplan V")
    assert kraeftplan["2025"] == "600"  # not 700: the dental care subsidy is "of which"
    total = row(table, "I alt")
    assert total["2025"] == "880,7" and total["I alt"] == "4.035,3"
    assert row(table, "akutpsykiatrisk")["Kilde"].startswith("kilder?")  # one click to its source
    assert at.get("vega_lite_chart"), "the chart by agreement is drawn"


def test_a_change_of_years_keeps_the_charts_spec_and_swaps_its_rows(app):
    """The browser then updates the chart it has instead of building it anew (`charts.show`)."""
    for page in ("", "fordeling"):
        at = app(page) if page else app()
        before = at.get("vega_lite_chart")[0].proto
        spec, rows = before.spec, chart_data(at.get("vega_lite_chart")[0])
        at.slider(key="aar").set_value((2024, 2026)).run()
        after = at.get("vega_lite_chart")[0]
        assert after.proto.spec == spec, page
        assert [d.name for d in after.proto.datasets] == ["rows"]
        shown = chart_data(after)
        assert sorted(set(shown["year"])) == [2024, 2025, 2026] and len(shown) < len(rows)


def test_overview_shows_other_kinds_apart(app):
    at = app(art=["appropriation", "estimate"])
    assert "Vist for sig: skøn" in texts(at)
    estimate = tables(at)[1]
    assert row(estimate, "dosisdispensering")["2025"] == "60,45"
    # appropriations are not changed by the estimate
    assert row(tables(at)[0], "I alt")["2025"] == "880,7"


def test_overview_in_english(app):
    at = app(sprog="en")
    figures = {m.label: m.value for m in at.metric}
    assert figures["This year (2025)"] == "DKK 880.7m"
    assert row(tables(at)[0], "Total")["Total"] == "4,035.3"
    assert at.title[0].value == "Overview"


def test_overview_filters_by_agreement(app):
    at = app(aftale="akutpsykiatri-2025")
    figures = {m.label: m.value for m in at.metric}
    assert figures["I år (2025)"] == "112,5 mio. kr."
    assert figures["Varigt fra 2026, årligt"] == "150 mio. kr."


def test_sidebar_popovers_name_their_choice(app):
    """The "as of" day and the agreements sit in popovers; their labels say what is chosen."""
    at = app()
    assert popovers(at) == ["Ledgeren som nu", "Aftaler: alle aftaler"]
    at.multiselect(key="aftale").set_value(["akutpsykiatri-2025"]).run()
    assert popovers(at)[1] == "Aftaler: Aftale om styrket akutpsykiatrisk hjælp"
    assert {m.label: m.value for m in at.metric}["I år (2025)"] == "112,5 mio. kr."
    at.multiselect(key="aftale").set_value(["akutpsykiatri-2025", "kraeftplan-v"]).run()
    assert popovers(at)[1] == "Aftaler: 2 valgt"
    assert at.query_params["aftale"] == ["akutpsykiatri-2025", "kraeftplan-v"]
    english = app(sprog="en", aftale=["akutpsykiatri-2025", "kraeftplan-v"])
    assert popovers(english) == ["The ledger as it is now", "Agreements: 2 chosen"]


def test_a_sidebar_change_reruns_and_keeps_the_url(app):
    at = app()
    at.slider(key="aar").set_value((2025, 2026)).run()
    assert not at.exception
    table = tables(at)[0]
    assert [c for c in table.columns if c.isdigit()] == ["2025", "2026"]
    assert at.query_params["aar"] == ["2025", "2026"]


# --- Aftaler -------------------------------------------------------------------------------


def test_agreement_tree_with_remainder_and_stated_totals(app):
    at = app("aftaler", vis="kraeftplan-v")
    assert at.header[0].value == "Kræftplan V"
    listing, tree, stated, sources = tables(at)
    assert row(tree, "Kræftplan V", "Initiativ")["2025"] == "600"
    assert row(tree, "Udvidet tilskud til tandpleje", "Initiativ")["2026"] == "100"
    assert row(tree, "Ikke udmøntet", "Initiativ")["2027"] == "500"
    assert row(tree, "I alt", "Initiativ")["2025"] == "600"
    differs = stated[stated["Status"] == "stemmer ikke"]
    assert len(differs) == 2
    assert set(differs["Opgjort"]) == {"500"} and set(differs["Ledgeren"]) == {"600"}
    assert set(differs["Forskel"]) == {"100"}
    assert differs["Forklaring"].str.contains("tandpleje").all()
    assert (stated[stated["Status"] == "stemmer"]["Opgjort"] == "600").all()
    assert len(sources) == 3  # the case presentation and the two summaries


def test_life_science_frame_and_its_remainder(app):
    at = app("aftaler", vis="life-science-2030")
    tree = tables(at)[1]
    frame = row(tree, "samlet ramme", "Initiativ")
    assert [frame[str(y)] for y in range(2024, 2028)] == ["100"] * 4
    assert row(tree, "Ikke udmøntet", "Initiativ")["2024"] == "76,6"
    assert row(tree, "Trial Nation", "Initiativ")["2025"] == "4,7"
    stated = tables(at)[2]
    assert row(stated, "life science", "Gælder")["Status"] == "stemmer"


def test_agreement_list_has_every_agreement(app):
    at = app("aftaler")
    listing = tables(at)[0]
    assert len(listing) == 12
    assert row(listing, "Sundhedspakke 2023", "Titel")["Status"] == "indgået"


# --- Fordeling -----------------------------------------------------------------------------


def test_breakdown_default_and_chosen_dimensions(app):
    at = app("fordeling")
    table = tables(at)[0]
    assert row(table, "akutpsykiatrisk")["2025"] == "112,5"
    assert at.get("vega_lite_chart"), "a chart beside the table and the heatmap"
    at.multiselect(key="rk").set_value(["initiative"]).run()
    at.button_group(key="niveau").set_value(2).run()
    assert not at.exception
    table = tables(at)[0]
    assert row(table, "Kræftplan V (ikke udmøntet)")["2025"] == "500"
    assert row(table, "Udvidet tilskud til tandpleje")["2025"] == "100"
    assert row(table, "I alt")["2025"] == "880,7"


def test_breakdown_by_region_chosen_in_its_popover(app):
    """Columns are a row of choices; the regions filter sits in a popover naming the choice."""
    at = app("fordeling")
    assert at.button_group(key="kol").value == "year"
    at.button_group(key="kol").set_value("region").run()
    # stated nationally: 112,5 in 2025 and 150 a year in 2026-2028, the years shown
    assert row(tables(at)[0], "akutpsykiatrisk")["Hele landet"] == "562,5"
    assert popovers(at, at.main) == ["Regioner: alle regioner"]
    at.multiselect(key="region").set_value(["hele-landet", "hovedstaden"]).run()
    assert popovers(at, at.main) == ["Regioner: 2 valgt"]
    at.multiselect(key="region").set_value(["hovedstaden"]).run()
    assert popovers(at, at.main) == ["Regioner: Region Hovedstaden"]
    assert not at.dataframe  # no source gives a region money of its own
    assert at.query_params["kol"] == "region" and at.query_params["region"] == "hovedstaden"


def chart_data(chart) -> pd.DataFrame:
    """The rows a chart draws (its datasets, as sent to the browser)."""
    return pd.concat([pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets])


def test_breakdown_chart_names_the_ten_largest_and_folds_the_rest(app):
    at = app("fordeling")
    at.multiselect(key="rk").set_value(["initiative"]).run()
    at.button_group(key="niveau").set_value(2).run()  # 12 initiatives
    drawn = chart_data(at.get("vega_lite_chart")[0])
    assert drawn["series"].nunique() == 11 and "Øvrige (2)" in set(drawn["series"])
    assert "Udvidet tilskud til tandpleje" in set(drawn["series"])  # 100 a year: among the largest
    assert "de øvrige 2 samlet; tabellen viser dem alle" in texts(at)
    # the table keeps every initiative, and each year's bars add up to its total
    table = tables(at)[0]
    assert len(table) == 13  # 12 initiatives and the total
    year = drawn[drawn["year"] == 2025]
    assert round(year["value"].sum(), 6) == 880.7


def test_breakdown_chart_of_several_kinds_is_not_folded(app):
    # an "Øvrige" bar would add appropriations and proposals together
    at = app("fordeling", art=["appropriation", "proposal"], rk=["initiative", "kind"], niveau="2")
    drawn = chart_data(at.get("vega_lite_chart")[0])
    assert drawn["series"].nunique() > 11
    assert not drawn["series"].str.startswith("Øvrige").any()
    assert "samlet; tabellen viser dem alle" not in texts(at)


def test_breakdown_by_kind_has_no_total_across_kinds(app):
    at = app("fordeling", art=["appropriation", "proposal"], rk="kind", kol="year")
    table = tables(at)[0]
    assert row(table, "Bevilling", "Art")["2025"] == "880,7"
    assert row(table, "Forslag", "Art")["2025"] == "111"
    assert not (table["Art"] == "I alt").any()
    assert "Arterne lægges ikke sammen" in texts(at)


def test_breakdown_heatmap_marks_key_derived_cells(app):
    at = app("fordeling")
    assert "beregnet efter fordelingsnøglen" in texts(at)
    heat = [c for c in at.get("vega_lite_chart") if "Region Hovedstaden *" in str(c.proto)]
    assert heat, "the heatmap has key-derived rows, marked with *"


def heat_cells(at: AppTest) -> list[dict]:
    """The cells of the page's heatmaps, as sent to the browser."""
    return [r for c in at.get("vega_lite_chart") if c.proto.datasets for r in chart_data(c).to_dict("records")
            if "row" in r]


def test_a_heatmap_cell_links_to_the_sources_behind_it(app):
    at = app("fordeling")
    cells = [r for r in heat_cells(at) if r["row"] == "Region Hovedstaden *"]
    (cell,) = [r for r in cells if r["year"] == 2025]
    assert cell["amount_text"] == "57,929103 mio. kr."  # exact: 180,7 x 1.911.067 / 5.961.249, whole kroner
    # the link names the cell, not its sources, so it stays short however many they are
    link = urlsplit(cell["link"])
    assert link.path == "kilder" and "kilde" not in parse_qs(link.query)
    params = parse_qs(link.query)
    assert params["felt"] == ["2025~appropriation~hovedstaden~key~befolkning-2024"]

    sources = app("kilder", **params)
    assert "Kilderne bag feltet 2025 · Region Hovedstaden (beregnet efter nøgle)" in texts(sources)
    assert "57,929103 mio. kr." in texts(sources)
    # the national money meant for the regions in 2025: akutpsykiatri and fødeområdet, not Kræftplan V
    assert sources.multiselect(key="kilde").value == ["s001-akutpsyk", "s004-foedsel"]
    amounts = set().union(*(set(t["Beløb"]) for t in tables(sources)))
    assert {"112,5", "68,2"} <= amounts and "600" not in amounts

    # another choice of sources leaves the cell: its note goes, and so does the link's cell
    sources.multiselect(key="kilde").set_value(["s001-akutpsyk"]).run()
    assert "Kilderne bag feltet" not in texts(sources) and "felt" not in sources.query_params


def test_a_heatmap_cell_as_stated_links_to_every_source_it_adds_up(app):
    at = app("fordeling", fordel="0")
    (cell,) = [r for r in heat_cells(at) if r["row"] == "Hele landet" and r["year"] == 2025]
    assert cell["amount_text"] == "880,7 mio. kr." and cell["basis_text"] == "landsdækkende, som oplyst i kilderne"
    sources = app("kilder", **parse_qs(urlsplit(cell["link"]).query))
    chosen = sources.multiselect(key="kilde").value
    assert {"s001-akutpsyk", "s004-foedsel", "s001-kraeftplan"} <= set(chosen)
    assert "880,7 mio. kr." in texts(sources) and "som oplyst i kilderne" in texts(sources)


@pytest.mark.parametrize("felt", ["2031~appropriation~hovedstaden~key~befolkning-2024",  # a year not in view
                                  "2025~appropriation~hovedstaden~key~no-such-key"])
def test_a_link_to_a_cell_that_is_not_there_shows_every_source(app, felt):
    at = app("kilder", felt=felt)
    assert "Feltet, linket kom fra, findes ikke" in "\n".join(w.value for w in at.warning)
    assert at.multiselect(key="kilde").value == []
    assert len(at.expander) == 14


# --- Regioner ------------------------------------------------------------------------------


def test_regions_split_by_population_and_marked(app):
    at = app("regioner")
    text = texts(at)
    assert "Region Østdanmark" in text and "2027" in text  # the merger is shown
    derived = tables(at)[0]
    assert (derived["Grundlag"] == "beregnet efter nøgle").all()
    # 180,7 (akutpsykiatri 112,5 + fødeområdet 68,2) x 1.911.067 / 5.961.249
    assert row(derived, "Region Hovedstaden")["2025"] == "57,9"
    assert row(derived, "Region Hovedstaden")["2027"] == ""  # merged from 2027
    assert row(derived, "Region Østdanmark")["2027"] == "101,2"
    assert row(derived, "Region Østdanmark")["2025"] == ""
    assert row(derived, "I alt")["2025"] == "180,7"
    national = tables(at)[1]
    assert row(national, "Hele landet")["2025"] == "700"  # Kræftplan V and life science: not split


def test_regions_per_inhabitant(app):
    at = app("regioner", maal="per_inhabitant")
    derived = tables(at)[0]
    # 218,2 mio. kr. shared by population: the same kroner per inhabitant in every region
    assert row(derived, "Region Midtjylland")["2026"] == "36,60"
    assert row(derived, "Region Østdanmark")["2027"] == "36,60"


# --- Kilder --------------------------------------------------------------------------------


def test_sources_with_every_figure_citing_them(app):
    at = app("kilder", kilde="s001-akutpsyk", art=["appropriation"])
    figures = tables(at)[0]
    assert set(figures["Beløb"]) >= {"112,5", "150"}
    assert row(figures, "2026 og frem", "År")["Beløb"] == "150"
    assert "EMN-2024-00398" in texts(at)


def test_sources_page_lists_every_document(app):
    at = app("kilder")
    assert len(at.expander) == 14  # documents (a document may hold several cited places)


# --- Afstemning ----------------------------------------------------------------------------


def test_findings_with_difference_and_explanation(app):
    at = app("afstemning", art=["appropriation", "expected", "savings"])
    differs, unchecked, holds = tables(at)
    assert len(differs) == 2
    assert set(differs["Forskel"]) == {"100"}
    assert differs["Forklaring"].str.contains("Udvidet tilskud til tandpleje").all()
    # the explanation in view beside the difference, the long citation of the sources after it
    columns = list(differs.columns)
    assert columns.index("Forskel") < columns.index("Forklaring") < columns.index("Kilde") < columns.index("Kilder")
    assert list(unchecked.columns).index("Forklaring") < list(unchecked.columns).index("Kilder")
    assert len(unchecked) == 4 and len(holds) == 2
    assert set(holds["Opgjort"]) == {"600", "400"}


# --- downloads -----------------------------------------------------------------------------


def test_every_table_and_chart_has_csv_and_xlsx(app):
    for page in (None, "aftaler", "fordeling", "regioner", "kilder", "afstemning"):
        at = app(page)
        labels = [b.proto.label for b in at.get("download_button")]
        assert labels.count("CSV") == labels.count("Excel") >= 1, page
        shown_items = len(at.dataframe) + len(at.get("vega_lite_chart"))
        assert labels.count("CSV") >= len(at.dataframe), page
        assert shown_items >= 1
