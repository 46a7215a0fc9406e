"""The negotiators' workspace on the seeded ledger: frames and remainders, expiring money,
unfunded costs, the key figures per year, and a scenario beside the ledger."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from ledger import store
from ledger.readers import read_seeds
from ledger.scenarios import evaluate
from tracker import workspace
from tracker.services import SEEDS

from .builders import ledger, line

SEEDED = read_seeds(SEEDS).ledger
D = Decimal
CAPACITY_FROM_KRAEFTPLAN_V = (
    "initiative_id,year_from,region,amount_mio_dkk,kind,source\n"
    "kraeft-kapacitet,2025,Hele landet,111,bevilling,s001-kapacitet\n"
    "kraeft-kapacitet,2026,Hele landet,111,bevilling,s001-kapacitet\n"
)


def frame_rows(frame: pl.DataFrame, frame_id: str) -> dict[int, dict]:
    return {r["year"]: r for r in frame.filter(pl.col("frame_id") == frame_id).iter_rows(named=True)}


def test_kraeftplan_v_is_a_frame_of_600_with_100_drawn_and_500_remaining():
    rows = frame_rows(workspace.frames(SEEDED, 2025, 2028), "kraeftplan-v")
    assert sorted(rows) == [2025, 2026, 2027, 2028]
    for year in rows:
        assert (rows[year]["frame"], rows[year]["drawn"], rows[year]["remaining"]) == (600, 100, 500)
    # the capacity proposal (111 in 2025 and 2026) is on the table against it, not drawn
    assert [rows[y]["pending"] for y in (2025, 2026, 2027)] == [111, 111, 0]
    assert [rows[y]["remaining_after_pending"] for y in (2025, 2026, 2027)] == [389, 389, 500]


def test_life_science_frame_remainders_follow_its_sub_initiatives():
    rows = frame_rows(workspace.frames(SEEDED, 2024, 2030), "life-science-2030")
    assert sorted(rows) == [2024, 2025, 2026, 2027]  # the frame ends with 2027
    assert [rows[y]["drawn"] for y in sorted(rows)] == [D("23.4"), D("17.7"), D("14.9"), D("14.9")]
    assert [rows[y]["remaining"] for y in sorted(rows)] == [D("76.6"), D("82.3"), D("85.1"), D("85.1")]


def test_the_sundhedspakke_cancer_frame_is_drawn_in_full_by_kraeftplan_v_and_awaits_the_270_in_2024():
    rows = frame_rows(workspace.frames(SEEDED, 2023, 2026), "sundhedspakke-kraeft")
    assert (rows[2023]["frame"], rows[2023]["drawn"], rows[2023]["remaining"]) == (100, 97, 3)
    assert (rows[2024]["remaining"], rows[2024]["pending"], rows[2024]["remaining_after_pending"]) == (300, 270, 30)
    assert (rows[2025]["frame"], rows[2025]["drawn"], rows[2025]["remaining"]) == (600, 600, 0)


def test_frames_from_the_database_match_the_seed_files(seeded):
    from_db = workspace.frames(store.load(seeded), 2023, 2030)
    assert from_db.equals(workspace.frames(SEEDED, 2023, 2030))


def test_life_science_expires_after_2027_with_100_a_year_falling_away():
    expired = workspace.expiring(SEEDED, 2026, 2030)
    assert expired.select("initiative_id", "last_year", "falls_away_from", "amount").rows() == [
        ("life-science-2030", 2027, 2028, D(100))
    ]
    assert expired["source_ids"].item() == "s001-lifescience"
    # its sub-initiatives end with it (or earlier, inside the frame): not listed again
    by_year = workspace.expiring_by_year(expired, 2026, 2030)
    assert by_year.select("year", "falls_away", "expired").rows() == [
        (2026, 0, 0), (2027, 0, 0), (2028, D(100), D(100)), (2029, 0, D(100)), (2030, 0, D(100)),
    ]


def test_nothing_expires_when_the_horizon_stops_before_the_money_ends_or_starts_after_it():
    assert workspace.expiring(SEEDED, 2025, 2027).height == 0  # falls away in 2028
    assert workspace.expiring(SEEDED, 2029, 2032).height == 0  # fell away already
    # permanent money ("varigt") never expires
    assert "akutpsykiatri" not in workspace.expiring(SEEDED, 2020, 2040)["initiative_id"].to_list()


def test_a_sub_initiative_ending_outside_a_running_frame_is_listed_but_not_inside_one():
    led = ledger(
        [line("frame", 2025, 100, year_to=2030), line("child", 2025, 20, year_to=2026),
         line("solo", 2025, 5, year_to=2026)],
        initiatives=[("frame", "agr", None), ("child", "agr", "frame"), ("solo", "agr", None)],
    )
    expired = workspace.expiring(led, 2025, 2030)
    assert expired["initiative_id"].to_list() == ["solo"]  # the child's 20 stays in the frame until 2030


def test_dose_dispensing_is_unfunded_60_45_a_year_the_compensation_claim():
    claims = workspace.unfunded(SEEDED, 2025, 2028)
    assert set(claims["initiative_id"]) == {"dosisdispensering"}
    assert claims.select("year", "estimate", "funded", "unfunded").rows() == [
        (y, D("60.45"), 0, D("60.45")) for y in range(2025, 2029)
    ]
    totals = workspace.unfunded_by_year(claims, 2024, 2026)
    assert totals.rows() == [(2024, 0), (2025, D("60.45")), (2026, D("60.45"))]


def test_an_appropriation_for_the_same_initiative_funds_an_estimate():
    rows = ("initiative_id,year_from,region,amount_mio_dkk,kind,source\n"
            "dosisdispensering,2026,Hele landet,30,bevilling,Økonomiaftale 2026 (eksempel)\n"
            "dosisdispensering,2027,Hele landet,70,bevilling,Økonomiaftale 2026 (eksempel)\n")
    scenario = evaluate(SEEDED, rows)
    assert scenario.ok, scenario.violations
    claims = workspace.unfunded(scenario.ledger, 2025, 2027)
    assert claims.select("year", "funded", "unfunded").rows() == [(2025, 0, D("60.45")), (2026, 30, D("30.45"))]


def test_the_key_figures_per_year():
    summary = {r["year"]: r for r in workspace.summary(SEEDED, 2024, 2028).iter_rows(named=True)}
    assert summary[2025]["decided"] == D("880.7")  # = 600 + 112,5 + 100 + 68,2: nothing counted twice
    assert summary[2025]["not_drawn"] == D("582.3")  # Kræftplan V 500 + life science 82,3
    assert summary[2025]["unfunded"] == D("60.45") and summary[2025]["proposed"] == 111
    assert summary[2024]["expected"] == 270
    assert (summary[2027]["expired"], summary[2028]["expired"]) == (0, 100)
    assert summary[2028]["decided"] == summary[2027]["decided"] - 100


def test_funding_the_capacity_from_kraeftplan_v_changes_remainders_not_totals():
    scenario = evaluate(SEEDED, CAPACITY_FROM_KRAEFTPLAN_V)
    assert scenario.ok and scenario.adopted["kind"].to_list() == ["proposal", "proposal"]
    compared = workspace.compare(SEEDED, scenario.ledger, 2025, 2027)
    kv = {r["year"]: r for r in compared["frames"].filter(pl.col("frame_id") == "kraeftplan-v").iter_rows(named=True)}
    assert [(kv[y]["remaining_ledger"], kv[y]["remaining_scenario"], kv[y]["remaining_difference"])
            for y in (2025, 2026, 2027)] == [(500, 389, -111), (500, 389, -111), (500, 500, 0)]
    assert kv[2025]["pending_scenario"] == 0  # the adopted proposal is no longer on the table
    totals = {r["year"]: r for r in compared["totals"].iter_rows(named=True)}
    assert all(totals[y]["decided_difference"] == 0 for y in (2025, 2026, 2027))
    assert [totals[y]["not_drawn_difference"] for y in (2025, 2026, 2027)] == [-111, -111, 0]
    assert [totals[y]["proposed_difference"] for y in (2025, 2026, 2027)] == [-111, -111, 0]
    assert SEEDED.lines.filter(pl.col("kind") == "proposal").height == 2  # the ledger itself is untouched


@pytest.mark.parametrize("since,until,frames", [(2020, 2022, set()), (2030, 2031, {"kraeftplan-v", "sundhedspakke-kraeft"})])
def test_every_year_of_the_period_has_figures_and_only_running_frames_show(since, until, frames):
    assert set(workspace.frames(SEEDED, since, until)["frame_id"]) == frames
    summary = workspace.summary(SEEDED, since, until)
    assert summary["year"].to_list() == list(range(since, until + 1))
