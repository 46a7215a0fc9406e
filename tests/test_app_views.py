"""The pure parts behind the app: number formats, downloads, the views and the regional split,
on the seed ledger (read from the seed files, no database)."""

from __future__ import annotations

import io
import math
import json
import random
from decimal import Decimal

import polars as pl
import pytest

from ledger.assertions import check_totals
from ledger.readers import read_seeds
from tracker import formatting, regional, tables, views
from tracker.reports import Filters, atoms, breakdown
from tracker.services import SEEDS

D = Decimal
UNTIL = 2029


@pytest.fixture(scope="module")
def seeded():
    read = read_seeds(SEEDS)
    assert not read.violations
    return read


@pytest.fixture(scope="module")
def ledger(seeded):
    return seeded.ledger


@pytest.fixture(scope="module")
def parts(ledger):
    a = atoms(ledger, UNTIL)
    return a, views.whole_amounts(a, views.ancestors(ledger))


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("value, da, en", [
    (D("112.5"), "112,5", "112.5"),
    (D("1234.5"), "1.234,5", "1,234.5"),
    (D("600.000000"), "600", "600"),
    (D("60.45"), "60,45", "60.45"),
    (D("0.000001"), "0,000001", "0.000001"),
    (D("-3.25"), "-3,25", "-3.25"),
    (D("12345678"), "12.345.678", "12,345,678"),
    (4.7, "4,7", "4.7"),
    (None, "", ""),
])
def test_numbers_in_danish_and_english(value, da, en):
    assert formatting.number(value, "da") == da
    assert formatting.number(value, "en") == en


def test_fixed_decimals_round_half_up_and_never_show_minus_zero():
    assert formatting.number(D("57.929103"), "da", 1) == "57,9"
    assert formatting.number(D("0.05"), "da", 1) == "0,1"
    assert formatting.number(D("-0.04"), "da", 1) == "0,0"
    assert formatting.kroner(D("36.6"), "da") == "36,60 kr."


def test_money_and_years():
    assert formatting.money(D("112.5"), "da") == "112,5 mio. kr."
    assert formatting.money(D("112.5"), "en") == "DKK 112.5m"
    assert formatting.years(2025, None, "da") == "2025 og frem"
    assert formatting.years(2024, 2027, "da") == "2024–2027"
    assert formatting.years(2025, 2025, "en") == "2025"
    assert formatting.years(None, None, "da") == "år ikke oplyst"


# --- downloads -----------------------------------------------------------------------------


def test_an_amount_column_is_as_wide_as_its_longest_figure():
    """The grid cuts a figure wider than its column off at the left, hiding its first digits."""
    from tracker.app.ui import AMOUNT_WIDTH, amount_width

    small = pl.Series([D("112.5"), D("1234.5"), None])
    assert amount_width(small, "da") == AMOUNT_WIDTH  # the compact default, room for 1.234,5
    assert amount_width(pl.Series([None], dtype=pl.Decimal(38, 6)), "da") == AMOUNT_WIDTH
    wide = amount_width(pl.Series([D("601.01"), D("1535.734")]), "da")  # 1.535,734
    wider = amount_width(pl.Series([D("138950.482")]), "da")  # 138.950,482, a total
    assert AMOUNT_WIDTH < wide < wider
    assert amount_width(pl.Series([D("-1535.734")]), "da") > wide  # the minus sign too
    assert amount_width(pl.Series([D("1535.734")]), "en") == wide  # 1,535.734
    assert amount_width(pl.Series([D("1234.5")]), "da", decimals=3) > AMOUNT_WIDTH  # 1.234,500 as shown


def test_an_amount_columns_width_is_measured_on_the_figures_as_shown():
    """The column is measured at once, not cell by cell; it must agree with the text shown."""
    from tracker.app.ui import AMOUNT_PADDING_PX, AMOUNT_WIDTH, amount_width, text_pixels

    rng = random.Random(7)
    for _ in range(300):
        scale = rng.choice([0, 1, 3, 6])
        values = [D(rng.randint(-10**9, 10**9)).scaleb(-rng.randint(0, scale)) for _ in range(rng.randint(1, 8))]
        column = pl.Series(values, dtype=pl.Decimal(38, scale))
        widest = max(text_pixels(formatting.number(v, "da")) for v in values)
        assert amount_width(column, "da") == max(AMOUNT_WIDTH, math.ceil(widest + AMOUNT_PADDING_PX)), values


def _table() -> tables.Table:
    frame = pl.DataFrame({"Aftale": ["Kræftplan V", "I alt"], "2025": [D("600"), D("1234.5")],
                          "Kilde": ["kilder?kilde=x", None]}, schema_overrides={"2025": pl.Decimal(38, 6)})
    return tables.Table(frame, ("2025",), links={"Kilde": "Vis kilde"})


def test_csv_is_the_table_as_shown():
    data = tables.to_csv(_table(), "da")
    assert data.startswith("\ufeff".encode())  # Excel reads æ, ø, å
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["Aftale;2025", "Kræftplan V;600", "I alt;1.234,5"]
    assert tables.to_csv(_table(), "en").decode().splitlines()[2] == 'I alt,"1,234.5"'


def test_xlsx_holds_the_numbers():
    frame = pl.read_excel(io.BytesIO(tables.to_xlsx(_table(), "da")))
    assert frame.columns == ["Aftale", "2025"]
    assert frame["2025"].to_list() == [600, 1234.5]


# --- views ---------------------------------------------------------------------------------


def test_key_figures(ledger, parts):
    a, _ = parts
    figures = views.key_figures(ledger, a, "appropriation", None, 2025)
    assert (figures.this_year, figures.next_year) == (D("880.7"), D("918.2"))
    assert (figures.permanent, figures.permanent_from) == (D("818.2"), 2028)
    assert "s001-akutpsyk" in figures.sources_permanent
    only = views.key_figures(ledger, a, "appropriation", ("life-science-2030",), 2025)
    assert (only.this_year, only.permanent, only.permanent_from) == (D("100"), D("0"), None)


def _tree_years(tree: pl.DataFrame, title: str, role: str = "initiative") -> dict:
    rows = tree.filter(pl.col("title").str.contains(title, literal=True), pl.col("role") == role)
    return {y: a for y, a in rows.select("year", "amount").iter_rows() if a is not None}


def test_agreement_tree_parts_add_up_to_the_frame(ledger, parts):
    a, wholes = parts
    tree = views.agreement_tree(ledger, a, wholes, "life-science-2030", "appropriation", 2023, UNTIL)
    frame = _tree_years(tree, "samlet ramme")
    assert frame == {y: D("100") for y in range(2024, 2028)}
    assert _tree_years(tree, "Ikke udmøntet", "remainder")[2024] == D("76.6")
    children = tree.filter(pl.col("level") == 1).group_by("year").agg(pl.col("amount").sum())
    assert {y: s for y, s in children.iter_rows() if s is not None and y in frame} == frame


def test_agreement_tree_shows_children_in_other_agreements(ledger, parts):
    a, wholes = parts
    tree = views.agreement_tree(ledger, a, wholes, "sundhedspakke-2023", "appropriation", 2023, UNTIL)
    assert _tree_years(tree, "Kræftplan V (i Kræftplan V)", "elsewhere")[2025] == D("600")
    remainder = _tree_years(tree, "Ikke udmøntet", "remainder")
    assert (remainder[2023], remainder[2024], remainder[2025]) == (D("3"), D("300"), D("0"))
    kraeftplan = views.agreement_tree(ledger, a, wholes, "kraeftplan-v", "appropriation", 2023, UNTIL)
    assert _tree_years(kraeftplan, "Kræftplan V")[2026] == D("600")  # not 700
    assert _tree_years(kraeftplan, "Ikke udmøntet", "remainder")[2026] == D("500")


def test_aftaler_opens_on_the_agreement_with_the_most_money(ledger, parts):
    """Not on the oldest agreement, which may hold none of the kind shown."""
    _, wholes = parts

    def listing(kinds, year_from=2023, until=UNTIL):
        totals = views.agreement_totals(ledger, wholes, kinds, year_from, until)
        return views.agreement_list(ledger, totals, kinds)

    everything = listing(("appropriation",))
    oldest = everything["id"][0]
    assert everything.filter(pl.col("id") == oldest)["appropriation"][0] is None  # no appropriations
    # Sundhedspakke 2023's frame: the 3 and 300 it keeps and the 600 a year Kræftplan V draws on it
    assert views.default_agreement(everything, ("appropriation",)) == "sundhedspakke-2023"
    assert views.default_agreement(listing(("estimate", "appropriation")), ("estimate", "appropriation")) == \
        "dosisdispensering"  # the first kind shown decides
    # the agreements chosen in the sidebar: Kræftplan V, 3.000 in 2025-2029, before akutpsykiatri's 712,5
    chosen = everything.filter(pl.col("id").is_in(["akutpsykiatri-2025", "kraeftplan-v", oldest]))
    assert views.default_agreement(chosen, ("appropriation",)) == "kraeftplan-v"
    assert views.default_agreement(listing(("saving",)), ("saving",)) == oldest  # no money: the first
    assert views.default_agreement(everything.clear(), ("appropriation",)) is None


def test_pivot_totals_are_exact_sums(ledger):
    filters = Filters(until=UNTIL, year_from=2023)
    frame = views.with_sources(breakdown(ledger, ["year", "agreement"], filters),
                               views.cell_sources(ledger, ["year", "agreement"], filters))
    wide, amounts = views.pivot(frame, ["agreement_id", "agreement_title"], "year", "I alt",
                                column_order=list(range(2023, UNTIL + 1)), label_column="agreement_title")
    total = wide.filter(pl.col("agreement_title") == "I alt").row(0, named=True)
    assert total["2025"] == D("880.7") and total["I alt"] == frame["amount"].sum()
    assert wide.filter(pl.col("agreement_title") == "Kræftplan V")["2025"].item() == D("600")
    assert wide.filter(pl.col("agreement_title") == "Kræftplan V")["source_ids"].item().to_list() == ["s001-kraeftplan"]


def _by_initiative(ledger):
    filters = Filters(until=UNTIL, year_from=2023)
    return views.with_sources(breakdown(ledger, ["year", "initiative"], filters, depth=2),
                              views.cell_sources(ledger, ["year", "initiative"], filters, depth=2))


def test_a_chart_names_its_largest_series_and_folds_the_rest_exactly(ledger):
    frame = _by_initiative(ledger)
    series = frame["initiative_title"].n_unique()
    assert series > 6
    folded, n = views.fold_series(frame, "initiative_title", lambda n: f"Øvrige ({n})", keep=5)
    assert n == series - 5
    # the five largest by money keep their rows untouched
    sizes = frame.group_by("initiative_title").agg(pl.col("amount").abs().sum()).sort(
        ["amount", "initiative_title"], descending=[True, False])
    named = set(sizes["initiative_title"].head(5))
    assert set(folded.filter(~pl.col("folded"))["initiative_title"]) == named
    assert folded.filter(~pl.col("folded")).drop("folded").equals(frame.filter(pl.col("initiative_title").is_in(named)))
    # the rest: one row per year, the exact sum of that year's other amounts, every source cited
    rest = folded.filter(pl.col("folded"))
    assert set(rest["initiative_title"]) == {f"Øvrige ({n})"}
    others = frame.filter(~pl.col("initiative_title").is_in(named))
    for row in rest.iter_rows(named=True):
        year = others.filter(pl.col("year") == row["year"])
        assert row["amount"] == year["amount"].sum()
        assert set(row["source_ids"]) == set(year["source_ids"].explode().drop_nulls())
    assert sorted(rest["year"]) == sorted(others["year"].unique())
    # every year's total and the grand total are unchanged to the last decimal
    assert folded["amount"].sum() == frame["amount"].sum()
    assert folded.group_by("year").agg(pl.col("amount").sum()).sort("year").equals(
        frame.group_by("year").agg(pl.col("amount").sum()).sort("year"))


def test_a_chart_with_few_series_is_not_folded(ledger):
    frame = _by_initiative(ledger)
    series = frame["initiative_title"].n_unique()
    for keep in (series, series - 1):  # folding one series alone would only lose its name
        folded, n = views.fold_series(frame, "initiative_title", lambda n: f"Øvrige ({n})", keep=keep)
        assert n == 0 and folded.equals(frame)
    folded, n = views.fold_series(frame, "initiative_title", lambda n: f"Øvrige ({n})", keep=series - 2)
    assert n == 2


def test_a_chart_of_several_kinds_is_not_folded(ledger):
    filters = Filters(until=UNTIL, kinds=("appropriation", "proposal"))
    frame = breakdown(ledger, ["year", "initiative", "kind"], filters, depth=2)
    assert frame["kind"].n_unique() == 2
    folded, n = views.fold_series(frame, "initiative_title", lambda n: f"Øvrige ({n})", keep=3)
    assert n == 0 and folded.equals(frame)  # "Øvrige" would add proposals to appropriations
    one_kind = frame.filter(pl.col("kind") == "appropriation")
    assert views.fold_series(one_kind, "initiative_title", lambda n: f"Øvrige ({n})", keep=3)[1] > 0


def test_folding_without_years_gives_one_row_for_the_rest(ledger):
    frame = _by_initiative(ledger).group_by("initiative_title").agg(
        pl.col("amount").sum(), pl.col("source_ids").list.explode(keep_nulls=False, empty_as_null=False).unique().sort())
    folded, n = views.fold_series(frame, "initiative_title", lambda n: f"Others ({n})", keep=3)
    assert folded.filter(pl.col("folded")).height == 1 and n == frame.height - 3
    assert folded["amount"].sum() == frame["amount"].sum()


def test_every_cell_has_its_sources(ledger):
    filters = Filters(until=UNTIL)
    frame = views.with_sources(breakdown(ledger, ["year", "initiative"], filters, depth=2),
                               views.cell_sources(ledger, ["year", "initiative"], filters, depth=2))
    assert frame.filter(pl.col("source_ids").is_null() | (pl.col("source_ids").list.len() == 0)).height == 0
    labels = views.source_labels(ledger)
    assert "linje 499-500" in views.cite(["s001-akutpsyk"], labels)


def test_findings_table(ledger):
    table = views.findings_table(ledger, check_totals(ledger), "da")
    differs = table.filter(pl.col("status") == "differs")
    assert differs.height == 2 and set(differs["difference"]) == {D("100")}
    assert differs["explanation"].str.contains("tandpleje").all()
    assert table["status"].to_list()[:2] == ["differs", "differs"]  # what needs attention first


def test_figures_citing_a_source(ledger):
    figures = views.figures_citing(ledger, ["s001-kraeftplan"], "da")
    lines = figures.filter(pl.col("figure") == "bevillingslinje")
    assert sorted(lines["amount"].to_list()) == [D("100"), D("600")]
    assert set(lines["years"]) == {"2025 og frem"}
    assert figures.filter(pl.col("figure") == "opgjort total")["amount"].to_list() == [D("600")]


# --- regions -------------------------------------------------------------------------------


def test_national_money_for_the_regions_is_split_exactly(ledger, seeded, parts):
    a, _ = parts
    split = regional.by_region(ledger, a, seeded.keys)
    # nothing lost or added: per year and kind the parts add up to the national atoms
    before = a.group_by("year", "kind").agg(pl.col("amount").sum()).sort("year", "kind")
    after = split.group_by("year", "kind").agg(pl.col("amount").sum()).sort("year", "kind")
    assert before.equals(after)
    appropriations = split.filter(pl.col("kind") == "appropriation", pl.col("basis") == "key")
    in_2026 = appropriations.filter(pl.col("year") == 2026)
    assert set(in_2026["region"]) == {"hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland"}
    assert in_2026["amount"].sum() == D("218.2")  # akutpsykiatri 150 + fødeområdet 68,2
    in_2027 = appropriations.filter(pl.col("year") == 2027)
    assert set(in_2027["region"]) == {"oestdanmark", "syddanmark", "midtjylland", "nordjylland"}
    ost = in_2027.filter(pl.col("region") == "oestdanmark")["amount"].item()
    assert abs(ost - D("218.2") * 2764020 / 5961249) < D("0.000001")
    kept = split.filter(pl.col("basis") == "national", pl.col("kind") == "appropriation", pl.col("year") == 2025)
    assert kept["amount"].item() == D("700")  # Kræftplan V and life science have no regional recipient


def test_as_stated_folds_the_key_split_back_into_hele_landet(ledger, seeded, parts):
    a, _ = parts
    cells = regional.by_region(ledger, a, seeded.keys).with_columns(
        pl.concat_list(pl.format("src-{}", pl.col("region"))).alias("source_ids"))
    stated = regional.as_stated(cells)
    assert set(stated["basis"]) <= {"stated", "national"}
    in_2025 = stated.filter(pl.col("kind") == "appropriation", pl.col("year") == 2025)
    # 700 kept national + 180,7 meant for the regions (akutpsykiatri 112,5 + fødeområdet 68,2)
    assert in_2025.filter(pl.col("region") == "hele-landet")["amount"].item() == D("880.7")
    # the folded cell cites the sources of every part, once each
    sources = in_2025.filter(pl.col("region") == "hele-landet")["source_ids"].item().to_list()
    assert sources == sorted(set(sources)) and {"src-hele-landet", "src-hovedstaden", "src-nordjylland"} <= set(sources)
    totals = [f.group_by("year", "kind").agg(pl.col("amount").sum()).sort("year", "kind") for f in (cells, stated)]
    assert totals[0].equals(totals[1])


def test_the_default_key_is_population_else_the_first_held(seeded):
    assert regional.default_key(seeded.keys) == "befolkning-2024"
    assert regional.default_key(pl.DataFrame({"key_id": ["bloktilskud"]})) == "bloktilskud"
    assert regional.default_key(pl.DataFrame({"key_id": []}, schema={"key_id": pl.String})) is None


def test_a_heatmap_cell_is_named_in_its_link_and_found_again():
    cell = views.Cell(2025, "appropriation", "hovedstaden", "key", "befolkning-2024")
    assert str(cell) == "2025~appropriation~hovedstaden~key~befolkning-2024"
    assert views.Cell.parse(str(cell)) == cell
    as_stated = views.Cell(2025, "appropriation", "hele-landet", "national")
    assert views.Cell.parse(str(as_stated)) == as_stated and as_stated.key == ""
    for bad in (None, "", "2025~appropriation~hovedstaden~key", "x~appropriation~hovedstaden~key~k",
                "2025~gift~hovedstaden~key~k", "2025~appropriation~hovedstaden~guess~k", "2025~appropriation~~key~k",
                "2025~appropriation~hovedstaden~key~"):  # a key-derived cell names its key
        assert views.Cell.parse(bad) is None, bad
    cells = pl.DataFrame({"year": [2025, 2025, 2026], "kind": ["appropriation"] * 3,
                          "region": ["hovedstaden", "hovedstaden", "hovedstaden"], "basis": ["key", "stated", "key"],
                          "amount": [D("57.9"), D("1"), D("2")], "source_ids": [["a", "b"], ["c"], ["d"]]},
                         schema_overrides={"amount": pl.Decimal(38, 6)})
    found = views.find_cell(cells, cell)
    assert found["amount"] == D("57.9") and found["source_ids"] == ["a", "b"]
    assert views.find_cell(cells, views.Cell(2027, "appropriation", "hovedstaden", "key", "k")) is None


def test_split_exact_never_loses_a_krone():
    rng = random.Random(7)
    weights = pl.DataFrame({"year": [2026] * 5, "region": list("abcde"),
                            "weight_units": [rng.randint(1, 10**12) for _ in range(5)]},
                           schema={"year": pl.Int64, "region": pl.String, "weight_units": pl.Int128})
    amounts = pl.DataFrame({"year": [2026] * 200, "row": list(range(200)),
                            "amount": [D(rng.randint(0, 10**12)).scaleb(-6) for _ in range(200)]},
                           schema={"year": pl.Int64, "row": pl.Int64, "amount": pl.Decimal(38, 6)})
    parts = regional.split_exact(amounts, weights, ["year", "row"])
    sums = parts.group_by("row").agg(pl.col("amount").sum()).sort("row")
    assert sums["amount"].to_list() == amounts["amount"].to_list()


def test_who_the_money_is_for(ledger):
    marked = dict(regional.for_regions(ledger).iter_rows())
    assert marked["akutpsykiatri"] and marked["akut-kraeft-2024-166"]
    assert not marked["kraeftplan-v"] and not marked["ls-atmp"]


def test_the_2027_merger(ledger):
    (change,) = regional.merger_years(ledger.regions)
    assert change["year"] == 2027 and change["successor_name"] == "Region Østdanmark"
    assert sorted(change["predecessors"]) == ["hovedstaden", "sjaelland"]
    regions = regional.regions_by_year(ledger.regions, [2026, 2027])
    assert regions.filter(pl.col("year") == 2026).height == 5
    assert regions.filter(pl.col("year") == 2027).height == 4


def test_per_inhabitant(seeded):
    key, population = regional.population(seeded.keys)
    assert key == "befolkning-2024"
    frame = pl.DataFrame({"region": ["midtjylland"], "amount": [D("50")]}, schema_overrides={"amount": pl.Decimal(38, 6)})
    assert regional.per_inhabitant(frame, population)["per_inhabitant"].item() == D("36.61")  # 50e6 / 1.365.688


@pytest.mark.parametrize("by", [
    ("year", "agreement"), ("agreement", "year"), ("initiative", "year"), ("region",), ("kind", "year"),
    ("year",), ("initiative", "region", "kind"), (),
])
@pytest.mark.parametrize("depth", [1, 2])
def test_a_filtered_base_breakdown_is_the_engines_breakdown(ledger, by, depth):
    """The app asks the engine once per choice of dimensions and filters that answer for
    each choice of years, kinds and agreements: the same rows, amounts and sources."""
    everything = Filters(kinds=None, until=UNTIL)
    dims = views.base_dimensions(by)
    base = views.with_sources(breakdown(ledger, dims, everything, depth=depth),
                              views.cell_sources(ledger, dims, everything, depth))
    for filters in (
        Filters(until=2028),
        Filters(kinds=("appropriation", "proposal"), year_from=2025, until=2027),
        Filters(kinds=("expected",), agreements=("akut-kraeft-2024", "sundhedspakke-2023"), until=UNTIL),
        Filters(kinds=("savings",), until=UNTIL),
    ):
        direct = views.with_sources(breakdown(ledger, list(by), filters, depth=depth),
                                    views.cell_sources(ledger, list(by), filters, depth))
        narrowed = views.narrow(base, by, filters)
        if not by:
            assert narrowed["amount"].item() == (direct["amount"].item() or D(0))
            continue
        assert narrowed.drop("source_ids").equals(direct.drop("source_ids")), (by, filters)
        # every row cites sources, all among those of the lines behind it
        for mine, theirs in zip(narrowed["source_ids"].to_list(), direct["source_ids"].to_list()):
            assert mine and set(mine) <= set(theirs)


def _shown(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """A frame as `ui.chart_frame` gives it to a chart: year, series, category, folded, value."""
    return frame.select(pl.col("year"), pl.col(column).alias("series"), pl.col(column).alias("category"),
                        pl.col("folded"), pl.col("amount").cast(pl.Float64).alias("value"))


def test_a_folded_series_is_drawn_last_and_in_grey(ledger):
    from tracker.app import charts

    frame = _by_initiative(ledger)
    folded, n = views.fold_series(frame, "initiative_title", lambda n: f"Øvrige ({n})", keep=3)
    shown = _shown(folded, "initiative_title")
    spec, rows = charts.split(charts.stacked_bars(shown, "Initiativ", "da", tooltip=[("series", "Initiativ")]))
    color = spec["encoding"]["color"]
    # series are ordered by their rank in the rows: the three named by name, then "Øvrige",
    # which the stack draws the other way round, at its foot
    assert color["sort"] == {"field": "rank", "op": "min"}
    assert spec["encoding"]["order"] == {"field": "rank", "type": "quantitative", "sort": "descending"}
    ranked = rows.group_by("series").agg(pl.col("rank").min()).sort("rank")["series"].to_list()
    named = sorted(shown.filter(~pl.col("folded"))["series"].unique().to_list())
    assert ranked == [*named, f"Øvrige ({n})"]
    assert color["scale"]["range"][-1] == charts.FOLDED_COLOR and len(set(color["scale"]["range"])) == 4
    spec, rows = charts.split(charts.bars(shown.drop("year"), "Initiativ", "da",
                                            tooltip=[("category", "Initiativ")]))
    largest = shown.filter(~pl.col("folded")).group_by("category").agg(pl.col("value").sum()).sort(
        "value", descending=True)["category"].to_list()
    assert spec["encoding"]["y"]["sort"] == {"field": "rank", "op": "min"}
    assert rows.group_by("category").agg(pl.col("rank").min()).sort("rank")["category"].to_list() == [
        *largest, f"Øvrige ({n})"]


def test_a_chart_spec_does_not_change_with_its_figures(ledger):
    """Other years, other agreements: the same spec, so the browser swaps the rows of the chart
    it has instead of building it anew (`charts.show`)."""
    from tracker.app import charts

    frame = _by_initiative(ledger)
    specs = []
    for years, keep in (((2024, 2025), 3), ((2026, 2029), 3), ((2025, 2030), 4)):
        part = frame.filter(pl.col("year").is_between(*years))
        folded, n = views.fold_series(part, "initiative_title", lambda n: f"Øvrige ({n})", keep=keep)
        assert n > 0
        chart = charts.stacked_bars(_shown(folded, "initiative_title"), "Initiativ", "da",
                                    tooltip=[("series", "Initiativ")])
        spec, rows = charts.split(chart)
        specs.append(json.dumps(spec, sort_keys=True))
        assert rows["series"].n_unique() == keep + 1
    assert specs[0] == specs[1], "other years, the same number of series: the same spec"
    assert specs[0] != specs[2], "one more colour for a series more"
