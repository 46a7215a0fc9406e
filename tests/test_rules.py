"""Every ledger rule, each with an example that breaks it and one that keeps it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import polars as pl
import pytest

from ledger.readers import read_seeds
from ledger.rules import RULES, check
from tracker.services import SEEDS

from .builders import ledger, line


def rules_of(found) -> set[str]:
    return {v.rule for v in found}


def test_the_seed_ledger_keeps_every_rule():
    assert check(read_seeds(SEEDS).ledger) == []


def test_a_frame_with_a_child_within_it_is_valid():
    assert check(ledger([line("frame", 2025, 600, year_to=None), line("child", 2025, 100, year_to=None)])) == []


@pytest.mark.parametrize("year", [1999, 2101])
def test_years_outside_2000_to_2100_are_refused(year):
    found = check(ledger([line("frame", year, 1)]))
    assert [(v.rule, v.field, v.value) for v in found] == [("year_range", "year_from", str(year))]


def test_year_to_before_year_from_is_refused():
    found = check(ledger([line("frame", 2026, 1, year_to=2025)]))
    assert rules_of(found) == {"year_order"}
    assert "before year_from 2026" in found[0].message()


def test_a_negative_amount_is_refused():
    found = check(ledger([line("frame", 2025, -5)]))
    assert [(v.rule, v.field, v.value) for v in found] == [("amount_non_negative", "amount", "-5")]


def test_savings_are_positive_amounts_of_kind_savings():
    assert check(ledger([line("frame", 2025, 9, kind="savings")])) == []


def test_an_unknown_kind_is_refused():
    found = check(ledger([line("frame", 2025, 1, kind="gave")]))
    assert [(v.rule, v.value) for v in found] == [("kind_known", "gave")]


def test_an_unknown_region_is_refused():
    found = check(ledger([line("frame", 2025, 1, region="bornholm")]))
    assert [(v.rule, v.value) for v in found] == [("region_known", "bornholm")]


def test_a_region_must_exist_in_every_year_of_the_line():
    # Region Hovedstaden ends with 2026; Region Østdanmark begins in 2027
    found = check(ledger([
        line("frame", 2026, 10, year_to=None, region="hovedstaden"),
        line("frame", 2026, 10, region="oestdanmark"),
    ]))
    assert sorted((v.rule, v.value, v.detail["year"]) for v in found) == [
        ("region_in_years", "hovedstaden", 2027),
        ("region_in_years", "oestdanmark", 2026),
    ]
    assert check(ledger([line("frame", 2025, 10, year_to=2026, region="hovedstaden"),
                         line("frame", 2027, 10, year_to=None, region="oestdanmark")])) == []


def test_every_line_has_a_known_source():
    found = check(ledger([line("frame", 2025, 1, source=None), line("frame", 2026, 1, source="nowhere")]))
    assert sorted((v.rule, v.value) for v in found) == [("required", ""), ("source_known", "nowhere")]


def test_a_line_names_a_known_initiative():
    found = check(ledger([line("ghost", 2025, 1)]))
    assert [(v.rule, v.value) for v in found] == [("initiative_known", "ghost")]


def test_two_lines_for_the_same_initiative_year_region_and_kind_are_refused():
    found = check(ledger([line("frame", 2024, 100, year_to=2027), line("frame", 2026, 5, row=7)]))
    assert [(v.rule, v.row, v.detail["year"]) for v in found] == [("line_unique", 7, 2026)]
    # the same year in another region or of another kind is fine
    assert check(ledger([line("frame", 2026, 5), line("frame", 2026, 5, kind="estimate")])) == []


def test_a_permanent_line_overlaps_every_later_line():
    found = check(ledger([line("frame", 2025, 1, year_to=None), line("frame", 2040, 1)]))
    assert rules_of(found) == {"line_unique"}


def test_children_never_exceed_their_parent_in_any_year():
    found = check(ledger([
        line("frame", 2025, 600, year_to=None),
        line("child", 2025, 100, year_to=2027),
        line("child", 2028, 700, row=9),
    ]))
    assert [(v.rule, v.row, v.detail["year"], str(v.detail["children"]), str(v.detail["frame"])) for v in found] == [
        ("children_within_parent", 9, 2028, "700.000000", "600.000000")
    ]
    assert "sum to 700 mio. kr." in found[0].message()
    assert "summer delinitiativerne under 'frame' til 700 mio. kr." in found[0].message("da")


def test_children_together_are_held_against_the_parent():
    found = check(ledger(
        [line("frame", 2025, 100), line("a", 2025, 60), line("b", 2025, 50)],
        initiatives=[("frame", "agr", None), ("a", "agr", "frame"), ("b", "agr", "frame")],
    ))
    assert rules_of(found) == {"children_within_parent"}
    assert len(found) == 2  # both children are named


def test_a_child_in_a_year_without_a_parent_line_exceeds_it():
    found = check(ledger([line("frame", 2025, 100), line("child", 2026, 1)]))
    assert rules_of(found) == {"children_within_parent"}


def test_a_proposal_drawing_on_an_appropriated_frame_is_held_against_it():
    assert check(ledger([line("frame", 2025, 600), line("child", 2025, 111, kind="proposal")])) == []
    found = check(ledger([line("frame", 2025, 600), line("child", 2025, 700, kind="proposal")]))
    assert rules_of(found) == {"children_within_parent"}


def test_children_never_exceed_their_parent_in_a_region_the_parent_names():
    found = check(ledger([
        line("frame", 2025, 30, region="nordjylland"),
        line("frame", 2025, 70, region="syddanmark"),
        line("child", 2025, 40, region="nordjylland"),
    ]))
    assert [(v.rule, v.value) for v in found] == [("children_within_parent", "40")]


def test_a_regional_line_never_exceeds_the_national_line():
    found = check(ledger([
        line("frame", 2025, 100),
        line("frame", 2025, 60, region="nordjylland"),
        line("frame", 2025, 50, region="syddanmark"),
    ]))
    assert rules_of(found) == {"regions_within_national"}
    assert check(ledger([line("frame", 2025, 100), line("frame", 2025, 60, region="nordjylland")])) == []


def test_a_line_is_at_least_as_confidential_as_its_agreement():
    found = check(ledger([line("frame", 2025, 1)], agreements=[("agr", "confidential")]))
    assert [(v.rule, v.value) for v in found] == [("classification_below_agreement", "public")]
    assert check(ledger([line("frame", 2025, 1, classification="confidential")], agreements=[("agr", "confidential")])) == []
    assert check(ledger([line("frame", 2025, 1, classification="confidential")])) == []


def test_an_unknown_classification_is_refused():
    found = check(ledger([line("frame", 2025, 1, classification="hemmelig")]))
    assert [(v.rule, v.value) for v in found] == [("classification_known", "hemmelig")]


def test_a_price_level_is_a_year():
    found = check(ledger([line("frame", 2025, 1, price_level=1990)]))
    assert [(v.rule, v.value) for v in found] == [("price_level_range", "1990")]


def test_initiatives_need_a_known_agreement_and_parent_and_no_cycle():
    base = ledger([])
    bad = replace(base, initiatives=pl.concat([base.initiatives, pl.DataFrame(
        {"id": ["x", "y", "z", "w"], "agreement_id": ["agr", "nowhere", "agr", "agr"],
         "parent_id": ["y", "x", "ghost", None], "title": ["X", "Y", "Z", ""]},
    )], how="diagonal_relaxed"))
    found = {(v.ref, v.rule) for v in check(bad)}
    assert found == {("x", "parent_cycle"), ("y", "parent_cycle"), ("y", "agreement_known"),
                     ("z", "parent_known"), ("w", "required")}


def test_ids_are_unique_and_slugs():
    base = ledger([])
    bad = replace(base, agreements=pl.concat([base.agreements, base.agreements.with_columns(pl.lit("Agr X").alias("id")),
                                              base.agreements]))
    found = {(v.rule, v.value) for v in check(bad)}
    assert ("id_format", "Agr X") in found and ("id_unique", "agr") in found


def test_agreement_vocabularies_and_dates():
    base = ledger([])
    bad = replace(base, agreements=base.agreements.with_columns(
        pl.lit("fantasi").alias("kind"), pl.lit("måske").alias("status"), pl.lit("2025-13").alias("date_agreed")))
    assert rules_of(check(bad)) == {"agreement_kind_known", "status_known", "date_format"}


def test_a_stated_total_names_one_subject_and_a_known_source():
    stated = [{"id": "st", "agreement_id": "agr", "initiative_id": "frame", "year_from": 2025, "year_to": None,
               "per_year": True, "amount": Decimal(1), "kind": "appropriation", "source_id": "nowhere",
               "classification": "public"}]
    found = check(ledger([], stated=stated))
    assert rules_of(found) == {"subject_required", "source_known"}


def test_errors_are_collected_all_at_once_and_name_row_field_value_and_rule():
    found = check(ledger([
        line("frame", 1999, 1, row=2),
        line("frame", 2025, -1, row=3),
        line("frame", 2026, 1, kind="gave", row=4),
        line("frame", 2027, 1, region="bornholm", row=5),
    ]))
    assert [(v.row, v.field, v.value, v.rule) for v in found] == [
        (2, "year_from", "1999", "year_range"),
        (3, "amount", "-1", "amount_non_negative"),
        (4, "kind", "gave", "kind_known"),
        (5, "region", "bornholm", "region_known"),
    ]
    assert found[1].as_text() == (
        "row 3, amount = '-1': amount -1 is negative (savings are positive amounts of kind 'savings') "
        "[amount_non_negative]"
    )
    assert found[1].as_text("da").startswith("række 3, beløb = '-1': beløbet -1 er negativt")


def test_every_rule_has_an_english_and_a_danish_message():
    for code, (en, da) in RULES.items():
        assert en and da and en != da, code
