"""What the CLI and the app do with the ledger: each a function that takes its inputs and
returns data, so both front ends share it and neither holds business rules."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from ledger import store
from ledger.changes import diff
from ledger.db import engine_for, migrate
from ledger.readers import read_seeds
from ledger.rules import RuleViolations

SEEDS = Path(os.environ.get("TRACKER_SEEDS", Path(__file__).resolve().parents[1] / "seeds"))


def open_ledger(url: str | None = None) -> sa.Engine:
    """The engine for the ledger database, its schema brought up to date."""
    engine = engine_for(url)
    migrate(engine)
    return engine


def init(engine: sa.Engine, seeds: Path = SEEDS, author: str = "tracker init") -> store.Commit | None:
    """Load the seed ledger into an empty database; on a ledger that has data, do nothing."""
    if not store.is_empty(engine):
        return None
    seeded = read_seeds(seeds)
    if seeded.violations:
        raise RuleViolations(seeded.violations)
    store.put_reference_data(engine, seeded.ledger.regions, seeded.keys, seeded.price_index)
    changes = diff(store.load(engine), seeded.ledger.tables())
    return store.commit(engine, changes, author=author, action="init", reason="seed ledger from the source documents")


def parse_moment(text: str | None) -> datetime | None:
    """A date (the end of that day) or an ISO date and time."""
    if not text:
        return None
    if len(text) == 10:
        return datetime.fromisoformat(text + "T23:59:59.999999")
    return datetime.fromisoformat(text)
