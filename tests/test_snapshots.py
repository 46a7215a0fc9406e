"""Snapshots: the current ledger read back from its Arrow copy, never a stale one, with the
report engine's atoms kept beside it (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
import sqlalchemy as sa

from ledger import access, models, store
from ledger.access import SINGLE_ADMIN
from ledger.changes import diff
from tracker import loading, reports
from tracker.reports import Filters

from .builders import add_confidential_agreement, correct_line

TABLES = ("regions", "sources", "agreements", "initiatives", "lines", "stated_totals")
AKUT_2025 = (pl.col("initiative_id") == "akutpsykiatri") & (pl.col("year_from") == 2025)


def revision_of(engine) -> int:
    with engine.connect() as connection:
        return store.revision(connection)


def parts(engine) -> list[tuple[int, str]]:
    t = models.Snapshot.__table__
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.select(t.c.revision, t.c.part).order_by(t.c.revision, t.c.part))]


def akut_2025(ledger) -> Decimal:
    return ledger.lines.filter(AKUT_2025)["amount"].item()


def tamper(engine, amount: str) -> None:
    """Put another amount for akutpsykiatri 2025 into the current revision's snapshot."""
    known = revision_of(engine)
    with engine.connect() as connection:
        lines = store.read_snapshot(connection, known, "ledger/lines")["ledger/lines"]
    changed = lines.with_columns(
        pl.when(AKUT_2025).then(pl.lit(Decimal(amount))).otherwise(pl.col("amount")).cast(lines["amount"].dtype).alias("amount")
    )
    assert store.keep_snapshot(engine, known, {"ledger/lines": changed})


def test_the_revision_moves_with_every_change_to_the_ledger_and_with_nothing_else(seeded):
    first = revision_of(seeded)
    assert first >= 1
    access.add_user(seeded, SINGLE_ADMIN, "anna", "økonomi", "et langt kodeord 1")
    access.sign_in(seeded, "anna", "et langt kodeord 1")
    assert revision_of(seeded) == first  # sign-ins and user changes are journalled, not ledger changes
    line_id = store.load(seeded).lines.filter(AKUT_2025)["id"].item()
    done = correct_line(seeded, line_id, "115", author="anna", reason="ny aftale")
    assert revision_of(seeded) == done.journal_id > first


def rows_read(engine):
    """The ledger read from its rows (every snapshot deleted first; a read on a connection
    keeps none)."""
    with engine.begin() as connection:
        connection.execute(models.Snapshot.__table__.delete())
    with engine.connect() as connection:
        return store.load(connection)


def snapshot_read(engine):
    """The ledger read from the snapshot the last commit kept (it must be there)."""
    known = revision_of(engine)
    assert {part for revision, part in parts(engine) if revision == known} == {
        f"ledger/{t}" for t in TABLES if t != "regions"}, "the commit kept no snapshot"
    with engine.connect() as connection:
        return store.load(connection)


def same_ledger(a, b) -> None:
    for table in TABLES:
        assert getattr(a, table).equals(getattr(b, table)), table


def test_every_commit_keeps_a_snapshot_exactly_as_its_rows_read_back(seeded):
    same_ledger(snapshot_read(seeded), rows_read(seeded))  # the seeds' commit
    add_confidential_agreement(seeded)  # new rows in three tables
    same_ledger(snapshot_read(seeded), rows_read(seeded))
    line_id = store.load(seeded).lines.filter(AKUT_2025)["id"].item()
    correct_line(seeded, line_id, "115", author="anna", reason="ny aftale")  # a row closed, its next version
    same_ledger(snapshot_read(seeded), rows_read(seeded))
    current = store.load(seeded)
    gone = current.lines.filter(pl.col("initiative_id") == "dosisdispensering").select("id", "version")
    done = store.commit(seeded, diff(current, {}, removals={"lines": gone["id"].to_list()}), author="anna",
                        action="remove", reason="ikke længere skøn")
    assert done.summary["lines"]["removed"] == 1
    same_ledger(snapshot_read(seeded), rows_read(seeded))
    assert akut_2025(store.load(seeded)) == Decimal("115")


def test_a_commit_of_many_rows_leaves_the_snapshot_to_the_next_read(seeded, monkeypatch):
    monkeypatch.setattr(store, "SNAPSHOT_AT_COMMIT_ROWS", 2)
    add_confidential_agreement(seeded)  # three rows
    assert [p for revision, p in parts(seeded) if revision == revision_of(seeded)] == []
    ledger, known = store.load_revision(seeded)  # from the rows; keeps one
    assert known == revision_of(seeded)
    same_ledger(snapshot_read(seeded), ledger)


def test_a_read_from_the_rows_keeps_a_snapshot_for_the_next_reader(seeded):
    from_rows = rows_read(seeded)
    ledger, known = store.load_revision(seeded)  # from the rows again, and now keeps one
    assert known == revision_of(seeded)
    same_ledger(ledger, from_rows)
    same_ledger(snapshot_read(seeded), from_rows)


def test_the_snapshot_is_what_is_read_while_the_revision_stands_and_never_after(seeded):
    store.load(seeded)
    tamper(seeded, "999")  # (a test's doing: proves the copy is read, not the rows)
    assert akut_2025(store.load(seeded)) == Decimal("999")
    line_id = store.load(seeded).lines.filter(AKUT_2025)["id"].item()
    correct_line(seeded, line_id, "115", author="anna", reason="ny aftale")  # a new revision
    assert akut_2025(store.load(seeded)) == Decimal("115")


def test_a_past_ledger_is_always_read_from_the_rows(seeded):
    store.load(seeded)
    tamper(seeded, "999")
    past, known = store.load_revision(seeded, as_of=store.utcnow())
    assert known is None and akut_2025(past) == Decimal("112.5")


def test_a_ledger_changed_while_it_was_read_gets_no_revision_and_no_snapshot(seeded, monkeypatch):
    rows_read(seeded)  # no snapshot, so the load reads the rows
    revisions = iter([7, 8])  # the revision read before the rows, then after them
    monkeypatch.setattr(store, "revision", lambda connection: next(revisions))
    ledger, known = store.load_revision(seeded)
    assert known is None and ledger.lines.height == 24
    assert parts(seeded) == []


def test_a_reader_loaded_from_the_snapshot_sees_no_confidential_figure(seeded):
    add_confidential_agreement(seeded)
    store.load(seeded)  # the snapshot holds everything
    reader = store.load(seeded, include_confidential=False)
    assert "fortroligt-punkt" not in reader.agreements["id"].to_list()
    assert reader.lines.filter(pl.col("classification") == "confidential").height == 0
    seen = loading.load(seeded, include_confidential=False)
    assert not seen.lines.filter(pl.col("amount") == Decimal("4711.5")).height


def test_snapshots_of_old_revisions_are_dropped_and_any_can_be_deleted(seeded):
    store.load(seeded)
    ids = store.load(seeded).lines.filter(AKUT_2025)["id"].item()
    for amount in ("113", "114", "115"):
        correct_line(seeded, ids, amount, author="anna", reason="rettelse")
        store.load(seeded)
    kept = sorted({revision for revision, _ in parts(seeded)})
    assert kept == list(range(revision_of(seeded) - len(kept) + 1, revision_of(seeded) + 1))
    assert len(kept) == store.SNAPSHOT_REVISIONS_KEPT
    with seeded.begin() as connection:
        connection.execute(models.Snapshot.__table__.delete())
    assert akut_2025(store.load(seeded)) == Decimal("115")


# --- the report engine's atoms, kept with the snapshot ----------------------------------------

BY = [["year"], ["year", "initiative", "region"], ["agreement", "initiative", "kind"], ["region", "year"]]


@pytest.mark.parametrize("include_confidential", [True, False])
def test_kept_atoms_give_the_same_reports_as_atoms_made_afresh(seeded, include_confidential):
    add_confidential_agreement(seeded)
    made = loading.load(seeded, include_confidential=include_confidential, today=None)
    scope = "all" if include_confidential else "public"
    assert any(part == f"atoms/{scope}/atoms" for _, part in parts(seeded))
    kept = loading.load(seeded, include_confidential=include_confidential)
    fresh = store.load(seeded, include_confidential=include_confidential)
    assert kept is not made
    filters = Filters(kinds=("appropriation", "estimate"), until=2029)
    for by in BY:
        for depth, lang in ((1, "da"), (2, "en"), (3, "da")):
            expected = reports.breakdown(fresh, by, filters, depth=depth, lang=lang)
            assert reports.breakdown(kept, by, filters, depth=depth, lang=lang).equals(expected), (by, depth, lang)


def test_kept_atoms_are_taken_not_made_again(seeded, monkeypatch):
    loading.load(seeded)
    made = []
    original = reports._prepare
    monkeypatch.setattr(reports, "_prepare", lambda *a: made.append(a) or original(*a))
    ledger = loading.load(seeded)
    reports.breakdown(ledger, ["year", "initiative"], Filters(until=2028))
    assert made == []


def test_atoms_kept_to_an_earlier_year_are_made_again_and_replaced(seeded):
    ledger, known = store.load_revision(seeded)
    loading.attach_atoms(seeded, ledger, known, True, 2028)
    loading.attach_atoms(seeded, store.load(seeded), known, True, 2031)
    with seeded.connect() as connection:
        meta = store.read_snapshot(connection, known, "atoms/all/meta")["atoms/all/meta"]
    assert meta["until"].to_list() == [2031]
    later = store.load(seeded)
    loading.attach_atoms(seeded, later, known, True, 2031)
    permanent = reports.breakdown(later, ["year"], Filters(initiatives=["akutpsykiatri"], until=2031))
    assert permanent.filter(pl.col("year") == 2031)["amount"].item() == Decimal("150")


def test_prepared_atoms_round_trip_through_frames(seeded):
    ledger = store.load(seeded)
    prepared = reports.prepare(ledger, 2030)
    reports.warm(ledger, prepared)
    back = reports.Prepared.from_frames(prepared.frames())
    assert back.until == prepared.until and back.steps == prepared.steps
    assert back.by_kind.keys() == prepared.by_kind.keys()
    assert all(back.by_kind[k].equals(prepared.by_kind[k]) for k in prepared.by_kind)
    assert back.memo.keys() == prepared.memo.keys()
