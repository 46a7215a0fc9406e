"""Every read of the ledger the app makes, behind caches.

Pages call these functions and nothing else to get figures. Each cached result is keyed by a
`LedgerRef`: the database, the newest journal entry (it changes with every change to the
ledger or the price index, so a change invalidates every cache) and what the viewer may see.
The ledger itself is kept per revision (`ledger.store.revision`), which sign-ins and other
journal entries leave as it is: after one, only the cheap derived tables are made again.
Access control comes from the signed-in user (`actor()`), so a reader's caches never hold a
confidential figure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
import sqlalchemy as sa
import streamlit as st

from ledger import access, models, store
from ledger.access import SINGLE_ADMIN, Actor
from ledger.assertions import check_totals
from ledger.db import database_url
from ledger.frames import Ledger
from tracker import loading, regional, services, views
from tracker.reports import Filters, default_horizon, initiative_tree, prepare
from tracker.reports import atoms as report_atoms
from tracker.reports import breakdown as report_breakdown


@dataclass(frozen=True)
class Viewer:
    name: str = "administrator"
    include_confidential: bool = True


@dataclass(frozen=True)
class LedgerRef:
    url: str
    version: int
    include_confidential: bool = True
    as_of: datetime | None = None  # the ledger as it stood then (None: now); see `current`
    revision: int | None = None  # the ledger's revision (now only)


ACTOR_KEY = "_actor"  # set by `auth` when someone signs in
# Every cache below is keyed by a ref and often by filters. Streamlit hashes a dataclass by
# copying it into a dict and hashing that field by field, about a millisecond a call; their
# repr holds every field exactly (no two differ in repr and not in value) and is quick.
KEYS = {LedgerRef: repr, Filters: repr}


def actor() -> Actor:
    """The signed-in user; with no users yet, the single local administrator."""
    who = st.session_state.get(ACTOR_KEY)
    if who is not None:
        return who
    if not access.has_users(engine()):
        return SINGLE_ADMIN
    st.stop()  # not signed in: the entry point shows the sign-in form instead of pages


def viewer() -> Viewer:
    """Who is looking, and so what they may see: a reader never gets confidential figures,
    because the ledger every page reads is loaded without them (`ledger.store.public_part`)."""
    who = actor()
    return Viewer(name=who.name, include_confidential=who.may_see_confidential)


@st.cache_resource(show_spinner=False, hash_funcs=KEYS)
def _engine(url: str) -> sa.Engine:
    # first start: create the schema and load the seed ledger (a no-op on a ledger with data)
    engine = services.open_ledger(url)
    services.init(engine)
    return engine


def engine() -> sa.Engine:
    return _engine(database_url())


def current(who: Viewer | None = None, as_of: datetime | None = None) -> LedgerRef:
    """The ledger as it is now, for this viewer: one cheap query for the newest change. With
    `as_of`, the ledger as it stood then: its version is the newest change up to that moment, so
    every cache keyed by the ref holds the past ledger apart from today's."""
    url = database_url()
    journal = models.JournalEntry.__table__
    query = sa.select(sa.func.max(journal.c.id))
    if as_of is not None:
        query = query.where(journal.c.at <= as_of)
    with _engine(url).connect() as connection:
        newest = connection.execute(query).scalar() or 0
        revision = store.revision(connection) if as_of is None else None
    who = who or viewer()
    return LedgerRef(url, int(newest), who.include_confidential, as_of, revision)


# --- the ledger and what every page derives from it (one entry per ledger version) ---------


def ledger(ref: LedgerRef) -> Ledger:
    """The ledger of `ref`: one object per revision, with its atoms (`tracker.loading`)."""
    by_revision = ref.as_of is None and ref.revision is not None
    known = ref.revision if by_revision else ref.version
    return _ledger(ref.url, known, by_revision, ref.include_confidential, ref.as_of)


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def _ledger(url: str, known: int, by_revision: bool, include_confidential: bool, as_of: datetime | None) -> Ledger:
    # `known` (a revision, or a past ledger's newest journal entry) and `by_revision` only key
    # the cache
    return loading.load(_engine(url), as_of=as_of, include_confidential=include_confidential)


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def keys(ref: LedgerRef) -> pl.DataFrame:
    return store.load_keys(_engine(ref.url))


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def years(ref: LedgerRef, today: date) -> tuple[int, int, int]:
    """(first year, default last year, last year offered)."""
    led = ledger(ref)
    return views.first_year(led, today), default_horizon(today), views.horizon(led, today)


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def atoms(ref: LedgerRef) -> pl.DataFrame:
    """All kinds, every year up to the last year offered: filters only ever narrow this."""
    return report_atoms(prepared(ref), years(ref, today())[2])


def prepared(ref: LedgerRef) -> Ledger:
    """The ledger, with the report engine's atoms made for every year offered: the engine keeps
    them while the ledger lives, so every report on this version starts from them."""
    led = ledger(ref)
    prepare(led, years(ref, today())[2])
    return led


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def tree(ref: LedgerRef) -> pl.DataFrame:
    return initiative_tree(ledger(ref))


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def line_years(ref: LedgerRef) -> pl.DataFrame:
    return views.line_years(ledger(ref), years(ref, today())[2])


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def wholes(ref: LedgerRef) -> pl.DataFrame:
    return views.whole_amounts(atoms(ref), views.ancestors(ledger(ref)))


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def source_labels(ref: LedgerRef) -> dict[str, str]:
    return views.source_labels(ledger(ref))


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def findings(ref: LedgerRef):
    return check_totals(ledger(ref))


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def agreement_titles(ref: LedgerRef) -> dict[str, str]:
    """Agreement id -> title, in title order (for the sidebar)."""
    frame = ledger(ref).agreements.select("id", "title").sort("title")
    return dict(frame.iter_rows())


# --- views (many entries per version: one per filter setting) ------------------------------


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=KEYS)
def _breakdown_base(ref: LedgerRef, dims: tuple[str, ...], regions: tuple[str, ...] | None, depth: int,
                    lang: str) -> pl.DataFrame:
    """The report engine's breakdown by `dims` plus year, agreement and kind, for every kind and
    year offered, with the sources of each row: once per choice of dimensions."""
    led = prepared(ref)
    by = views.base_dimensions(dims)
    filters = Filters(kinds=None, regions=regions, until=years(ref, today())[2])
    result = report_breakdown(led, by, filters, depth=depth, lang=lang)
    sources = views.cell_sources(led, by, filters, depth, tree=tree(ref), lines=line_years(ref))
    return views.with_sources(result, sources)


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs=KEYS)
def breakdown(ref: LedgerRef, by: tuple[str, ...], filters: Filters, depth: int = 1, lang: str = "da") -> pl.DataFrame:
    """`tracker.reports.breakdown` with the sources of each row (`source_ids`). A change of
    years, kinds or agreements filters a cached answer instead of asking the engine again."""
    if filters.initiatives is not None:  # not kept in the base: ask the engine
        led = prepared(ref)
        result = report_breakdown(led, list(by), filters, depth=depth, lang=lang)
        return views.with_sources(result, views.cell_sources(led, list(by), filters, depth, tree=tree(ref),
                                                             lines=line_years(ref)))
    regions = tuple(filters.regions) if filters.regions is not None else None
    base = _breakdown_base(ref, tuple(sorted(by)), regions, depth, lang)
    return views.narrow(base, by, filters)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=KEYS)
def key_figures(ref: LedgerRef, kind: str, agreements: tuple[str, ...] | None, year: int) -> views.KeyFigures:
    return views.key_figures(ledger(ref), atoms(ref), kind, agreements, year, lines=line_years(ref), tree=tree(ref))


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=KEYS)
def agreement_list(ref: LedgerRef, kinds: tuple[str, ...], year_from: int, until: int, lang: str) -> pl.DataFrame:
    led = ledger(ref)
    totals = views.agreement_totals(led, wholes(ref), kinds, year_from, until)
    return views.agreement_list(led, totals, kinds, lang)


@st.cache_resource(show_spinner=False, max_entries=128, hash_funcs=KEYS)
def agreement_tree(ref: LedgerRef, agreement_id: str, kind: str, year_from: int, until: int, lang: str) -> pl.DataFrame:
    return views.agreement_tree(ledger(ref), atoms(ref), wholes(ref), agreement_id, kind, year_from, until, lang)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=KEYS)
def regional_split(
    ref: LedgerRef, key_id: str, kinds: tuple[str, ...], agreements: tuple[str, ...] | None, year_from: int, until: int
) -> pl.DataFrame:
    """Money per year, kind, region and basis (stated / key / national) with the sources of
    each row; key-derived rows also cite the key."""
    led = ledger(ref)
    chosen = atoms(ref).filter(pl.col("kind").is_in(list(kinds)), pl.col("year").is_between(year_from, until))
    if agreements is not None:
        ids = tree(ref).filter(pl.col("agreement_id").is_in(list(agreements)))["id"]
        chosen = chosen.filter(pl.col("initiative_id").is_in(ids.implode()))
    split = regional.by_region(led, chosen, keys(ref), key_id, group=("year", "kind", "initiative_id"))
    sources = (
        line_years(ref)
        .group_by("initiative_id", "year", "kind")
        .agg(pl.col("source_id").unique().sort().alias("source_ids"))
    )
    return (
        split.join(sources, on=["initiative_id", "year", "kind"], how="left")
        .group_by("year", "kind", "region", "basis")
        .agg(pl.col("amount").sum(), pl.col("source_ids").list.explode(keep_nulls=False, empty_as_null=False).unique().sort())
        .sort("kind", "year", "basis", "region")
    )


def heat_cells(ref: LedgerRef, key_id: str | None, split: bool, kind: str, agreements: tuple[str, ...] | None,
               year_from: int, until: int) -> pl.DataFrame:
    """The cells of Fordeling's heatmap for one kind: the money meant for the regions split by
    `key_id`, or left national as the sources state it (`split` off, or no key). The Kilder page
    asks for the same cells to find the sources of the one a link names."""
    cells = regional_split(ref, key_id or "", (kind,), agreements, year_from, until)
    return cells if split and key_id else regional.as_stated(cells)


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=KEYS)
def findings_table(ref: LedgerRef, lang: str) -> pl.DataFrame:
    return views.findings_table(ledger(ref), findings(ref), lang)


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def source_table(ref: LedgerRef) -> pl.DataFrame:
    return views.source_table(ledger(ref))


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=KEYS)
def figures_citing(ref: LedgerRef, source_ids: tuple[str, ...], lang: str) -> pl.DataFrame:
    return views.figures_citing(ledger(ref), source_ids, lang)


def agreement_sources(ref: LedgerRef, agreement_id: str) -> list[str]:
    return views.sources_of_agreement(ledger(ref), agreement_id)


def without_amounts(ref: LedgerRef, agreement_id: str) -> list[str]:
    return views.initiatives_without_amounts(ledger(ref), agreement_id)


def today() -> date:
    """Today, or the date in TRACKER_TODAY (YYYY-MM-DD): "this year" in tests and demos."""
    fixed = os.environ.get("TRACKER_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def region_names(ref: LedgerRef) -> dict[str, str]:
    return dict(ledger(ref).regions.select("code", "name").iter_rows())


def mergers(ref: LedgerRef) -> list[dict]:
    return regional.merger_years(ledger(ref).regions)


def population(ref: LedgerRef) -> tuple[str | None, pl.DataFrame]:
    return regional.population(keys(ref))


def agreement(ref: LedgerRef, agreement_id: str) -> dict | None:
    rows = ledger(ref).agreements.filter(pl.col("id") == agreement_id).to_dicts()
    return rows[0] if rows else None



# --- the negotiators' workspace (tracker.negotiation): price levels, scenarios, the brief ----


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def price_index(ref: LedgerRef):
    """The price and wage index (a change to it is journalled, so it is keyed by the ledger's
    version like every other read)."""
    from tracker.prices import load_index

    return load_index(_engine(ref.url))


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def price_index_table(ref: LedgerRef) -> pl.DataFrame:
    """The index as stored, for the page Prisindeks: year, rise_pct (exact), source, note. Keyed
    like `price_index`: a change to the index writes a journal entry, a new ledger version."""
    return store.load_price_index(_engine(ref.url))


def set_price_rise(year: int, rise_pct, source: str, note: str = "") -> dict:
    """Add or correct a year of the price index as the signed-in user (`negotiation.set_price_rise_as`:
    administrators only, the value before kept in the journal). Its journal entry makes a new
    ledger version, so `price_index`, `price_index_table` and `workspace` are read afresh on the
    next run. Raises Forbidden or ValueError."""
    from tracker import negotiation

    return negotiation.set_price_rise_as(engine(), actor(), year, rise_pct, source, note)


def scenario_list(ref: LedgerRef) -> list:
    """Every saved scenario (not cached: saving one does not change the ledger's version)."""
    from ledger import scenarios

    return scenarios.list_scenarios(_engine(ref.url))


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=KEYS)
def workspace(ref: LedgerRef, price_level: int | None, scenario_id: str | None, scenario_saved: str | None,
              year_from: int, until: int, public: bool = False):
    """The ledger (and the scenario beside it) in a price level, for the years shown;
    `scenario_saved` (when the scenario was saved) keys the cache so a replaced scenario is
    read again; `public` leaves confidential figures out (for a brief to send on). Raises
    PriceIndexError or negotiation.ScenarioBroken."""
    from ledger import scenarios
    from tracker import negotiation

    led = store.public_part(ledger(ref)) if public else ledger(ref)
    chosen = scenarios.get(_engine(ref.url), scenario_id) if scenario_id else None
    return negotiation.build(led, price_index(ref), price_level, chosen, year_from, until,
                             include_confidential=ref.include_confidential and not public)


def save_scenario(ref: LedgerRef, name: str, rows: str, description: str = "", replace_existing: bool = False):
    """Check the rows against the ledger of record and save them as a scenario (never a change
    to the ledger). Raises RuleViolations, ScenarioExists or ValueError."""
    from ledger import scenarios

    engine_ = _engine(ref.url)
    return scenarios.save(engine_, name, rows, store.load(engine_), description=description,
                          created_by=viewer().name, replace_existing=replace_existing)


# --- finance staff: entering, importing and the history (docs/finance.md) --------------------


def now() -> Ledger:
    """The ledger as it is now, every figure in it: what a form or an import is compared with
    (only finance staff and administrators write, and they may see every figure)."""
    ref = current()
    return ledger(LedgerRef(ref.url, ref.version, True, None, ref.revision))


def commit(changes, action: str, reason: str) -> store.Commit:
    """Write as the signed-in user (`services.commit_as`: finance staff and up, every rule,
    one transaction). Raises Conflict, RuleViolations, ReasonRequired or Forbidden."""
    return services.commit_as(engine(), actor(), changes, action, reason)


def next_line_id() -> int:
    """The next free line number: after every line ever written (a removed line keeps its
    number in the history)."""
    return store.next_line_id(engine())


def import_preview(name: str, content: bytes, progress=None):
    from tracker import importing

    return importing.preview(engine(), actor(), name, content, progress)


def import_confirm(preview, reason: str) -> store.Commit:
    from tracker import importing

    return importing.confirm(engine(), actor(), preview, reason)


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=KEYS)
def template(ref: LedgerRef, with_lines: bool = False) -> bytes:
    """The import template (XLSX with drop-downs), empty or holding the ledger's lines."""
    from ledger.writers import interchange
    from tracker.template import template_xlsx

    led = ledger(ref)
    return template_xlsx(led, interchange(led) if with_lines else None)


def journal(ref: LedgerRef) -> pl.DataFrame:
    """The whole journal up to the ref's moment (negotiators and up: reasons may speak of
    confidential figures)."""
    entries = services.journal_for(engine(), actor())
    return entries if ref.as_of is None else entries.filter(pl.col("at") <= ref.as_of)


def versions(ref: LedgerRef, table: str, ids: tuple) -> pl.DataFrame:
    """Every version of these rows as they stood at the ref's moment (`tracker.history`)."""
    from tracker import history

    return history.versions(engine(), table, list(ids), ref.as_of)


def ids_ever(table: str, column: str, values: tuple) -> list:
    from tracker import history

    return history.ids_ever(engine(), table, column, list(values))


def entry_versions(journal_id: int):
    from tracker import history

    return history.entry_versions(engine(), journal_id)


def first_day() -> date:
    """The day of the ledger's first change (the earliest "as of" date worth choosing)."""
    from tracker import history

    journal_ = models.JournalEntry.__table__
    with engine().connect() as connection:
        first = connection.execute(sa.select(sa.func.min(journal_.c.at))).scalar()
    return history.local_day(first) if first is not None else history.local_day(datetime.now(history.LOCAL))
