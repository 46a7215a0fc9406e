"""The benchmarks' synthetic ledger: valid, deterministic, and its reports add up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

import polars as pl
import pytest

from bench.synthetic import FIRST, LAST, describe, generate
from ledger.domain import NATIONAL
from ledger.rules import check
from tracker.reports import Filters, breakdown


@pytest.fixture(scope="module")
def synthetic():
    return generate(5_000, seed=7)


def root_frames(ledger) -> dict[int, Decimal]:
    """Per year, what the initiatives without a parent hold: each one's national line, or its
    regional lines together where it has none. Worked out line by line, apart from the report
    engine."""
    roots = set(ledger.initiatives.filter(pl.col("parent_id").is_null())["id"])
    national: dict[tuple, Decimal] = defaultdict(Decimal)
    regional: dict[tuple, Decimal] = defaultdict(Decimal)
    for line in ledger.lines.filter(pl.col("kind") == "appropriation").iter_rows(named=True):
        if line["initiative_id"] not in roots:
            continue
        for year in range(line["year_from"], (line["year_to"] or LAST) + 1):
            target = national if line["region"] == NATIONAL else regional
            target[(line["initiative_id"], year)] += line["amount"]
    per_year: dict[int, Decimal] = defaultdict(Decimal)
    for key in set(national) | set(regional):
        per_year[key[1]] += national[key] if key in national else regional[key]
    return dict(per_year)


def test_it_has_the_shape_asked_for(synthetic):
    shape = describe(synthetic)
    assert shape["lines"] == 5_000
    assert shape["years"] == [FIRST, LAST]
    assert shape["initiatives_level_3"] > 0  # two levels of "of which"
    assert shape["regional_lines"] > 0 and shape["permanent_lines"] > 0
    assert set(shape["kinds"]) > {"appropriation", "proposal"}
    assert shape["kinds"]["appropriation"] > shape["lines"] / 2


def test_it_is_the_same_for_the_same_seed(synthetic):
    again = generate(5_000, seed=7)
    for name, frame in synthetic.tables().items():
        assert frame.equals(getattr(again, name)), name
    assert not generate(5_000, seed=8).lines.equals(synthetic.lines)


def test_it_keeps_every_rule(synthetic):
    assert check(synthetic) == []


def test_a_child_over_its_parent_is_caught(synthetic):
    # the rules do bind on this data: one sub-initiative's line a thousand times larger
    children = synthetic.initiatives.filter(pl.col("parent_id").is_not_null())["id"]
    line_id = synthetic.lines.filter(
        pl.col("initiative_id").is_in(children.implode()) & (pl.col("kind") == "appropriation")
    )["id"][0]
    lines = synthetic.lines.with_columns(
        pl.when(pl.col("id") == line_id).then(pl.col("amount") * 1000).otherwise(pl.col("amount")).alias("amount")
    )
    assert "children_within_parent" in {v.rule for v in check(replace(synthetic, lines=lines))}


@pytest.mark.parametrize("depth", [1, 3])
def test_the_breakdown_adds_up_to_the_top_level_frames(synthetic, depth):
    expected = root_frames(synthetic)
    assert len(expected) == LAST - FIRST + 1
    report = breakdown(synthetic, ["year", "initiative", "region"], Filters(until=LAST), depth=depth)
    per_year = report.group_by("year").agg(pl.col("amount").sum())
    assert dict(per_year.iter_rows()) == expected


def test_pandas_and_duckdb_make_the_same_breakdown(synthetic):
    pytest.importorskip("duckdb")
    pytest.importorskip("pandas")
    from bench import breakdown_engines as engines

    kinds = ("appropriation",)
    for depth in (1, 3):
        expected = engines.as_polars(breakdown(synthetic, ["year", "initiative", "region"], Filters(until=LAST), depth=depth))
        tables = engines.pandas_tables(synthetic)
        assert engines.as_polars(engines.pandas_breakdown(tables, LAST, kinds, depth)).equals(expected)
        con = engines.duckdb_connection(synthetic)
        assert engines.as_polars(engines.duckdb_breakdown(con, LAST, kinds, depth)).equals(expected)
