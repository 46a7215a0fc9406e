"""Storage: every write validated, nothing lost, the past kept (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import polars as pl
import pytest

from ledger import store
from ledger.changes import diff
from ledger.rules import RuleViolations
from tracker import services

from .builders import with_amount


def akut_2025(ledger):
    return ledger.lines.filter((pl.col("initiative_id") == "akutpsykiatri") & (pl.col("year_from") == 2025))


def test_init_loads_the_seeds_once_and_twice_changes_nothing(engine):
    first = services.init(engine)
    assert first.summary["lines"]["added"] == 24
    before = store.load(engine)
    assert services.init(engine) is None
    after = store.load(engine)
    assert before.lines.equals(after.lines) and store.journal(engine).height == 1


def test_amounts_come_back_exact(seeded):
    ledger = store.load(seeded)
    assert akut_2025(ledger)["amount"].item() == Decimal("112.5")
    dose = ledger.lines.filter(pl.col("initiative_id") == "dosisdispensering")["amount"].item()
    assert dose == Decimal("60.45")
    assert ledger.lines["amount"].sum() == Decimal("2876.75")


def test_a_refused_write_writes_nothing(seeded):
    current = store.load(seeded)
    bad = akut_2025(current).with_columns(pl.lit(-1).cast(current.lines["amount"].dtype).alias("amount"))
    new = akut_2025(current).with_columns(pl.lit(999).alias("id"), pl.lit(2040).alias("year_from"),
                                          pl.lit(2040).alias("year_to"), pl.lit("gave").alias("kind"))
    changes = diff(current, {"lines": pl.concat([bad, new], how="vertical_relaxed")})
    with pytest.raises(RuleViolations) as refused:
        store.commit(seeded, changes, author="anna", action="edit", reason="test")
    assert {v.rule for v in refused.value.violations} == {"amount_non_negative", "kind_known"}
    assert store.load(seeded).lines.equals(current.lines)
    assert store.journal(seeded).height == 1


def test_a_correction_keeps_the_old_figure_and_records_who_when_and_why(seeded):
    current = store.load(seeded)
    corrected = with_amount(akut_2025(current), "115")
    moment = datetime.now(timezone.utc)
    result = store.commit(seeded, diff(current, {"lines": corrected}), author="anna", action="correct",
                          reason="typo in the agenda", at=moment + timedelta(seconds=1))
    assert result.summary["lines"]["changed"] == 1
    assert akut_2025(store.load(seeded))["amount"].item() == Decimal("115")
    assert akut_2025(store.load(seeded))["version"].item() == 2
    # as it stood before the correction
    assert akut_2025(store.load(seeded, as_of=moment))["amount"].item() == Decimal("112.5")
    entry = store.journal(seeded).row(-1, named=True)
    assert (entry["author"], entry["action"], entry["reason"]) == ("anna", "correct", "typo in the agenda")


def test_the_second_of_two_editors_of_the_same_line_gets_a_conflict(seeded):
    seen_by_anna = store.load(seeded)
    seen_by_bo = store.load(seeded)
    anna = with_amount(akut_2025(seen_by_anna), "113")
    bo = with_amount(akut_2025(seen_by_bo), "114")
    store.commit(seeded, diff(seen_by_anna, {"lines": anna}), author="anna", action="correct", reason="first")
    with pytest.raises(store.Conflict) as conflict:
        store.commit(seeded, diff(seen_by_bo, {"lines": bo}), author="bo", action="correct", reason="second")
    assert "anna" in str(conflict.value) and "version 2" in str(conflict.value)
    assert akut_2025(store.load(seeded))["amount"].item() == Decimal("113")


def test_confidential_figures_are_left_out_for_those_without_the_right(seeded):
    current = store.load(seeded)
    secret = akut_2025(current).with_columns(
        pl.lit(500).alias("id"), pl.lit("expected").alias("kind"), pl.lit("confidential").alias("classification"))
    store.commit(seeded, diff(current, {"lines": secret}), author="anna", action="edit")
    assert store.load(seeded).lines.height == 25
    public = store.load(seeded, include_confidential=False)
    assert public.lines.height == 24
    assert "confidential" not in public.lines["classification"].to_list()
