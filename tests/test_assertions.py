"""Stated totals, checked like balance assertions."""

from decimal import Decimal

from ledger.assertions import check_totals
from ledger.readers import read_seeds
from tracker.services import SEEDS

from .builders import ledger, line


def findings():
    return {f.stated_total_id: f for f in check_totals(read_seeds(SEEDS).ledger)}


def test_kraeftplan_v_500_differs_from_600_by_the_dental_care_money():
    found = findings()["st-kraeftplan-500-001"]
    assert found.status == "differs"
    assert found.difference == Decimal(100)
    assert found.explained_by == ("kraeftplan-v-tandpleje", "Udvidet tilskud til tandpleje")
    assert "difference equals the sub-initiative 'Udvidet tilskud til tandpleje'" in found.message()
    assert "forskel 100" in found.message("da")


def test_totals_that_hold():
    found = findings()
    assert found["st-kraeftplan-600"].status == "holds"
    assert found["st-life-science-400"].status == "holds"


def test_a_total_without_years_is_shown_but_not_checked():
    found = findings()["st-mere-behandling-hjemme"]
    assert found.status == "unchecked" and "kan ikke afstemmes" in found.message("da")


def test_a_difference_with_no_known_cause_has_no_explanation():
    stated = [{"id": "st", "agreement_id": None, "initiative_id": "frame", "year_from": 2025, "year_to": 2026,
               "per_year": False, "amount": Decimal(250), "kind": "appropriation", "source_id": "src",
               "classification": "public"}]
    result = check_totals(ledger([line("frame", 2025, 100, year_to=2026), line("child", 2025, 20)], stated=stated))
    assert result[0].status == "differs" and result[0].difference == Decimal(-50) and result[0].explained_by is None
