"""What the CLI and the app do with the ledger: each a function that takes its inputs and
returns data, so both front ends share it and neither holds business rules."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from ledger import store
from ledger.access import Actor, require
from ledger.changes import diff
from ledger.frames import Ledger
from ledger.imports import plan_file
from ledger.db import engine_for, migrate
from ledger.readers import read_seeds
from ledger.rules import RuleViolations

from . import loading

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


# -- acting as a user: every service below takes the actor and filters or refuses itself ----


def ledger_for(engine: sa.Engine, actor: Actor, as_of: datetime | None = None, for_reports: bool = True) -> Ledger:
    """The ledger as this user may see it: without confidential figures for a reader, so
    every total, chart, export and message built from it is computed from what they may see."""
    require(actor, "read", "read the ledger", engine)
    if not for_reports:  # (the report engine's atoms are of no use to it)
        return store.load(engine, as_of=as_of, include_confidential=actor.may_see_confidential)
    return loading.load(engine, as_of=as_of, include_confidential=actor.may_see_confidential)


def commit_as(
    engine: sa.Engine, actor: Actor, changes, action: str, reason: str = "", author: str | None = None
) -> store.Commit:
    """Write changes as this user: finance staff and administrators only. The journal names
    `author` when given (an import run for someone), else the user."""
    require(actor, "write", "change the ledger", engine)
    return store.commit(engine, changes, author=author or actor.name, action=action, reason=reason)


def journal_for(engine: sa.Engine, actor: Actor, since: datetime | None = None):
    """The journal: its reasons may speak of confidential figures, so negotiators and up."""
    require(actor, "see_confidential", "read the journal", engine)
    return store.journal(engine, since=since)


def plan_import_as(engine: sa.Engine, actor: Actor, path, data: bytes | None = None):
    """Preview an import: only for those who may write, and checked against the whole ledger
    (a writer may see every figure, so the messages may name any)."""
    require(actor, "write", "import files", engine)
    return plan_file(store.load(engine), path, data, next_id=store.next_line_id(engine))
