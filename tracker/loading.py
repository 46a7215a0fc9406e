"""The ledger loaded for reports, with the report engine's atoms kept beside its snapshot.

`ledger.store` keeps a snapshot of the current ledger per revision. Making the atoms is most of
the first report's work at a million lines (`tracker.reports.prepare`), so they are kept as
parts of the same snapshot, one set per scope (the whole ledger, or what a reader may see): a
process that loads a revision someone already reported on starts with its atoms made.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from ledger import store
from ledger.frames import Ledger

from . import reports, views


def load(
    engine: sa.Engine,
    as_of: datetime | None = None,
    include_confidential: bool = True,
    today: date | None = None,
) -> Ledger:
    """The ledger (as `store.load`), its atoms made or taken from the snapshot, up to the last
    year any view offers."""
    ledger, revision = store.load_revision(engine, as_of, include_confidential)
    if revision:
        attach_atoms(engine, ledger, revision, include_confidential, views.horizon(ledger, today))
    return ledger


def attach_atoms(engine: sa.Engine, ledger: Ledger, revision: int, include_confidential: bool, until: int) -> None:
    """Give the ledger of `revision` its atoms up to `until`: from the snapshot where they are
    there, else made now and kept there."""
    prefix = f"atoms/{'all' if include_confidential else 'public'}/"
    with engine.connect() as connection:
        parts = store.read_snapshot(connection, revision, prefix)
    if parts:
        kept = reports.Prepared.from_frames({name.removeprefix(prefix): frame for name, frame in parts.items()})
        if kept.until >= until:
            reports.adopt(ledger, kept)
            return
    made = reports.prepare(ledger, until)
    if made is not None:
        reports.warm(ledger, made)
        store.keep_snapshot(engine, revision, {prefix + name: frame for name, frame in made.frames().items()})
