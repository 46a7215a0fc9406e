"""One clock for every door: times are stored in UTC and shown in Danish time.

A bare date typed by a user ("as of 2025-06-01") means the end of that day in Danish time, in
the app, the CLI and the brief alike; a time of day without a zone is Danish time too, since that
is what a Danish user reads on the wall. "Today" can be fixed with TRACKER_TODAY (YYYY-MM-DD) for
demos and tests, and is honoured by everything that asks this module.

The zone comes from the `tzdata` package where the system has no zone database, so it never
falls back to UTC silently.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
LOCAL = ZoneInfo("Europe/Copenhagen")  # tzdata is a dependency: this never falls back


def now() -> datetime:
    """Now, in UTC (aware)."""
    return datetime.now(UTC)


def today() -> date:
    """Today in Denmark, or the date in TRACKER_TODAY."""
    fixed = os.environ.get("TRACKER_TODAY")
    if fixed:
        return date.fromisoformat(fixed.strip())
    return now().astimezone(LOCAL).date()


def utc(moment: datetime | None) -> datetime | None:
    """An aware UTC time; a naive one is taken as UTC (as the database returns them)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local(moment: datetime) -> datetime:
    """A stored (UTC or naive-UTC) time in Danish time."""
    return utc(moment).astimezone(LOCAL)


def local_day(moment: datetime) -> date:
    return local(moment).date()


def start_of_day(day: date) -> datetime:
    """The first moment of a day in Danish time, in UTC ("since the 1st of June")."""
    return datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """The last moment of a day in Danish time, in UTC ("as it stood on the 1st of June")."""
    start = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL)
    return (start - timedelta(microseconds=1)).astimezone(UTC)


def at_local(day: date, clock: time) -> datetime:
    """A day and a time of day on a Danish wall clock, in UTC."""
    return datetime.combine(day, clock, tzinfo=LOCAL).astimezone(UTC)


def parse_moment(text: str | None, end_of_day_: bool = True) -> datetime | None:
    """A date (YYYY-MM-DD: the end of that day in Danish time, or its start with
    `end_of_day_=False`) or an ISO date and time (Danish time unless it names a zone), in UTC.
    Raises ValueError for anything else."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if len(text) == 10:
        day = date.fromisoformat(text)
        return end_of_day(day) if end_of_day_ else start_of_day(day)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment.astimezone(UTC)
