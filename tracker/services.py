"""What the CLI and the app do with the ledger: each a function that takes its inputs and
returns data, so both front ends share it and neither holds business rules."""

from __future__ import annotations

import os
from datetime import datetime, timezone
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


def parse_moment(text: str | None, end_of_day: bool = True) -> datetime | None:
    """A date or an ISO date and time; a bare date means the end of that day ("as it stood on
    the 1st of June") or, with `end_of_day=False`, its start ("since the 1st of June").
    Times without a zone are UTC."""
    if not text:
        return None
    if len(text.strip()) == 10:
        moment = datetime.fromisoformat(text.strip()).replace(hour=23, minute=59, second=59, microsecond=999999) \
            if end_of_day else datetime.fromisoformat(text.strip())
    else:
        moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
