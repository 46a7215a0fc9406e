"""The report engine: seeded figures, and "of which" money never counted twice."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from ledger.readers import read_seeds
from tracker.reports import Filters, atoms, breakdown
from tracker.services import SEEDS

from .builders import ledger, line

SEEDED = read_seeds(SEEDS).ledger
ALL_KINDS = ("appropriation", "expected", "estimate", "proposal", "savings")


def by_agreement_year(frame: pl.DataFrame) -> dict[tuple[str, int], Decimal]:
    return {(a, y): v for y, a, v in frame.select("year", "agreement_id", "amount").iter_rows()}


@pytest.fixture(scope="module")
def seeded_report():
    return by_agreement_year(breakdown(SEEDED, ["year", "agreement"], Filters(until=2030)))


def test_life_science_is_100_in_each_of_2024_to_2027_and_ends(seeded_report):
    assert [seeded_report.get(("life-science-2030", y)) for y in range(2024, 2029)] == [100, 100, 100, 100, None]


def test_akutpsykiatri_is_112_5_in_2025_and_150_every_later_year_to_the_horizon(seeded_report):
    assert seeded_report[("akutpsykiatri-2025", 2025)] == Decimal("112.5")
    assert [seeded_report[("akutpsykiatri-2025", y)] for y in range(2026, 2031)] == [150] * 5
    assert ("akutpsykiatri-2025", 2031) not in seeded_report


def test_kraeftplan_v_is_600_a_year_never_700(seeded_report):
    assert [seeded_report[("kraeftplan-v", y)] for y in range(2025, 2031)] == [600] * 6
    # and the Sundhedspakke's cancer frame it draws on is not counted again
    assert ("sundhedspakke-2023", 2025) not in seeded_report
    total_2025 = breakdown(SEEDED, ["year"], Filters(until=2025, year_from=2025))["amount"].item()
    assert total_2025 == Decimal("600") + Decimal("112.5") + Decimal("100") + Decimal("68.2")


def test_the_dose_dispensing_estimate_shows_only_under_estimates(seeded_report):
    assert not any(a == "dosisdispensering" for a, _ in seeded_report)
    estimates = breakdown(SEEDED, ["year", "agreement"], Filters(kinds=["estimate"], until=2027))
    assert set(estimates["agreement_id"]) == {"dosisdispensering"}
    assert set(estimates["amount"]) == {Decimal("60.45")}


def test_a_frame_shows_as_its_children_plus_a_remainder():
    frame = breakdown(SEEDED, ["initiative"], Filters(agreements=["kraeftplan-v"], year_from=2025, until=2025), depth=2)
    rows = dict(frame.select("initiative_title", "amount").iter_rows())
    assert rows == {"Kræftplan V (ikke udmøntet)": Decimal(500), "Udvidet tilskud til tandpleje": Decimal(100)}
    at_depth_one = breakdown(SEEDED, ["initiative"], Filters(agreements=["kraeftplan-v"], year_from=2025, until=2025))
    assert at_depth_one.select("initiative_title", "amount").rows() == [("Kræftplan V", Decimal(600))]


def test_money_drawn_by_another_agreement_leaves_the_remainder_of_the_frame(seeded_report):
    assert seeded_report[("udmoentning-kraeft-2023", 2023)] == 97
    assert seeded_report[("sundhedspakke-2023", 2023)] == 3


def test_kinds_are_shown_apart_and_never_added_unless_asked():
    frame = breakdown(SEEDED, ["kind", "year"], Filters(kinds=ALL_KINDS, until=2026))
    got = {(k, y): v for k, y, v in frame.iter_rows()}
    assert got[("appropriation", 2024)] == 400 and got[("expected", 2024)] == 270
    assert got[("proposal", 2025)] == 111 and got[("estimate", 2025)] == Decimal("60.45")


def test_every_total_is_the_exact_sum_of_the_source_figures():
    # 2025: Kræftplan V 600 + life science 100 + akutpsykiatri 112,5 + fødeområdet 68,2
    rows = breakdown(SEEDED, ["year", "initiative"], Filters(year_from=2025, until=2025), depth=3)
    assert rows["amount"].sum() == Decimal("880.7")


def test_regional_lines_are_part_of_the_national_line():
    small = ledger([
        line("frame", 2025, 100),
        line("frame", 2025, 30, region="nordjylland"),
        line("child", 2025, 20, region="syddanmark"),
    ])
    frame = breakdown(small, ["region"], Filters(until=2025))
    assert dict(frame.iter_rows()) == {"Hele landet": 50, "Region Nordjylland": 30, "Region Syddanmark": 20}
    assert frame["amount"].sum() == 100


def test_a_report_across_2026_and_2027_shows_the_merger():
    small = ledger([
        line("frame", 2026, 10, region="hovedstaden"),
        line("frame", 2026, 5, region="sjaelland"),
        line("frame", 2027, 15, year_to=None, region="oestdanmark"),
    ])
    frame = breakdown(small, ["year", "region"], Filters(until=2028))
    assert frame.rows() == [
        (2026, "Region Hovedstaden", 10), (2026, "Region Sjælland", 5),
        (2027, "Region Østdanmark", 15), (2028, "Region Østdanmark", 15),
    ]


def test_atoms_sum_to_the_top_level_frames():
    result = atoms(SEEDED, 2030, ["appropriation"])
    top = SEEDED.lines.filter(pl.col("initiative_id").is_in(
        ["sundhedspakke-kraeft", "life-science-2030", "akutpsykiatri", "foedeomraadet"])
        & (pl.col("kind") == "appropriation"))
    expected = sum(
        row["amount"] * (min(row["year_to"] or 2030, 2030) - row["year_from"] + 1) for row in top.iter_rows(named=True)
    )
    assert result["amount"].sum() == expected


def test_an_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="unknown dimension"):
        breakdown(SEEDED, ["colour"])


# --- prepared atoms: made once per ledger, never stale ----------------------------------------


def test_the_atoms_are_made_once_per_ledger_and_every_report_starts_from_them(monkeypatch):
    from tracker import reports

    made = []
    real = reports._atoms_coded
    monkeypatch.setattr(reports, "_atoms_coded", lambda *args: made.append(args[1:]) or real(*args))
    small = ledger([line("frame", 2025, 100, year_to=None), line("child", 2025, 40, year_to=None)])
    first = breakdown(small, ["year", "initiative"], Filters(until=2027), depth=2)
    again = breakdown(small, ["initiative"], Filters(kinds=ALL_KINDS, until=2026), depth=2)
    by_region = atoms(small, 2025, ["appropriation"])
    assert made == [(2027, None)]  # every kind, to the latest year asked for
    assert first["amount"].sum() == 300 and again["amount"].sum() == 200 and by_region["amount"].sum() == 100
    breakdown(small, ["year"], Filters(until=2030))  # later than prepared: made again, further
    assert made == [(2027, None), (2030, None)]


def test_a_changed_ledger_is_never_reported_from_the_atoms_of_the_old_one():
    from dataclasses import replace

    before = ledger([line("frame", 2025, 100)])
    assert breakdown(before, ["year"], Filters(until=2025))["amount"].to_list() == [100]
    after = replace(before, lines=before.lines.with_columns(pl.lit(Decimal("250.5")).cast(pl.Decimal(38, 6)).alias("amount")))
    assert breakdown(after, ["year"], Filters(until=2025))["amount"].to_list() == [Decimal("250.5")]
    assert breakdown(before, ["year"], Filters(until=2025))["amount"].to_list() == [100]


def test_the_atoms_of_a_ledger_no_longer_used_are_let_go():
    import gc

    from tracker import reports

    small = ledger([line("frame", 2025, 100)])
    breakdown(small, ["year"], Filters(until=2025))
    key = id(small)
    assert key in reports._PREPARED
    del small
    gc.collect()
    assert key not in reports._PREPARED


def test_amounts_stay_exact_to_the_last_decimal_however_large():
    # sums this large do not fit the engine's fast integer form: it keeps exact decimals instead
    huge = Decimal("999999999999.999999")
    big = ledger([line("frame", 2025, huge, year_to=2044, line_id=1),
                  line("frame", 2025, huge, year_to=2044, region="nordjylland", line_id=2),
                  line("child", 2025, Decimal("0.000001"), year_to=2044, line_id=3)])
    frame = breakdown(big, ["initiative"], Filters(until=2044), depth=2)
    assert dict(frame.select("initiative_id", "amount").iter_rows()) == {
        "frame": (huge - Decimal("0.000001")) * 20, "child": Decimal("0.000020"),  # the regional line is of the national
    }
    by_year = breakdown(big, ["year", "initiative", "region"], Filters(until=2044), depth=2)
    assert by_year.filter(pl.col("year") == 2030).rows() == [
        (2030, "child", "Initiativ child", "Hele landet", Decimal("0.000001")),
        (2030, "frame", "Initiativ frame (ikke udmøntet)", "Hele landet", Decimal("-0.000001")),
        (2030, "frame", "Initiativ frame (ikke udmøntet)", "Region Nordjylland", huge),
    ]
    small = ledger([line("a", 2025, Decimal("0.000001")), line("b", 2025, Decimal("112.499999"))],
                   initiatives=[("a", "agr", None), ("b", "agr", None)])
    assert breakdown(small, [], Filters(until=2025))["amount"].item() == Decimal("112.5")
