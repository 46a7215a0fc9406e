"""Entering the ledger by hand: the app's forms and its grid of lines, as ledger changes.

Pure functions, no Streamlit. A form or the grid gives values as the user typed them; these
functions read them (years, amounts in Danish or English notation, "varigt"), turn them into
proposed rows for `ledger.changes.diff`, and check the ledger as it would be with
`ledger.rules.check`: the same rules as every other write path, every error at once, each
naming the grid row or the form field it concerns. `ledger.store.commit` checks them again
under its lock before it writes.

Optimistic versions: a correction or removal names the version the user *read* (when the form
or grid was opened), not the newest one. If someone else changed the row since, the store raises
`Conflict` instead of silently overwriting their change; `describe_conflict` says what they did.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from ledger.changes import TABLES, Changes, apply, diff, value_columns
from ledger.domain import CLASSIFICATION_ALIASES, KIND_ALIASES, NATIONAL, PERMANENT_WORDS
from ledger.frames import ROW, SCHEMAS, Ledger
from ledger.money import parse_amount, plain
from ledger.readers import region_codes
from ledger.rules import Violation, check
from ledger.store import Conflict
from tracker.history import field_label, moment_text, subject_label, value_text

ENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "agreements": ("id", "title", "kind", "parties", "date_agreed", "status", "classification", "source_id", "note"),
    "initiatives": ("id", "agreement_id", "parent_id", "title", "recipient", "channel", "note"),
    "sources": ("id", "document", "case_no", "date", "location", "url", "note"),
}
OPTIONAL_REFS = ("source_id", "parent_id")  # empty means none
# the grid's editable columns, in order (plus the hidden `id` and `version` of each line)
GRID_FIELDS = ("year_from", "year_to", "region", "amount", "kind", "price_level", "source_id", "classification", "note")
_YEAR = re.compile(r"^\d{4}$")


@dataclass
class Proposal:
    """What a form or the grid would change, and every rule it breaks (empty: it may be saved)."""

    changes: Changes
    violations: list[Violation] = field(default_factory=list)
    ref: str | None = None  # a form's row: its id (a new row's as made from its title)

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def is_empty(self) -> bool:
        return self.changes.is_empty()

    @property
    def needs_reason(self) -> bool:
        """A correction or a removal must say why (the store refuses it otherwise)."""
        return any(self.changes.count(kind, t) for kind in ("changed", "removed") for t in TABLES)

    @property
    def action(self) -> str:
        return action_for(self.changes)

    def at_row(self, row: int) -> list[Violation]:
        return [v for v in self.violations if v.row == row]

    def at_field(self, table: str, ref: str, name: str) -> list[Violation]:
        return [v for v in self.violations if v.table == table and v.ref == ref and v.field == name and v.row is None]

    def elsewhere(self, table: str, ref: str | None = None) -> list[Violation]:
        """Violations not tied to a grid row, nor (with `ref`) to the form's own row."""
        return [v for v in self.violations if v.row is None and not (v.table == table and ref is not None and v.ref == ref)]


def action_for(changes: Changes) -> str:
    """The journal's action: add, correct or remove when the change is only that, else edit."""
    kinds = {kind for kind in ("added", "changed", "removed") for t in TABLES if changes.count(kind, t)}
    return {frozenset({"added"}): "add", frozenset({"changed"}): "correct",
            frozenset({"removed"}): "remove"}.get(frozenset(kinds), "edit")


# --- reading what people type --------------------------------------------------------------


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip()) \
        or str(value) in ("<NA>", "NaT", "nan", "None")


def _text(value) -> str:
    return "" if _missing(value) else str(value).strip()


def _year(value) -> tuple[int | None, bool]:
    """(the year, whether it reads as one); empty is (None, True)."""
    if _missing(value):
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int):
        return value, True
    if isinstance(value, float):
        return (int(value), True) if value.is_integer() else (None, False)
    text = str(value).strip()
    if text.endswith(".0") and _YEAR.match(text[:-2]):
        text = text[:-2]
    return (int(text), True) if _YEAR.match(text) else (None, False)


def _int(value) -> int | None:
    if _missing(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _shown(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


def slug(text: str) -> str:
    """An id from a title: lower case, æ ø å written ae oe aa, words joined by '-'."""
    text = text.strip().lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def amount_text(amount: Decimal | None, lang: str = "da") -> str:
    """An amount as it is edited: every decimal, no thousands mark (1234,5 in Danish), so what
    is shown reads back as the same number."""
    text = plain(amount)
    return text.replace(".", ",") if lang == "da" else text


def year_to_text(year_to: int | None, lang: str = "da") -> str:
    if year_to is None:
        return "varigt" if lang == "da" else "permanent"
    return str(year_to)


# --- agreements, initiatives, sources (forms) ----------------------------------------------


def read_row(ledger: Ledger, table: str, row_id) -> dict | None:
    """The row as it is now, with its version: what a form opens with."""
    rows = getattr(ledger, table).filter(pl.col("id") == row_id).drop(ROW).to_dicts()
    return rows[0] if rows else None


def propose_entity(current: Ledger, table: str, values: dict, read: dict | None) -> Proposal:
    """A new row (`read` None) or a correction of the row as it was read. An empty id of a new
    row is made from its title (document for a source)."""
    row = {f: _text(values.get(f)) for f in ENTITY_FIELDS[table]}
    for ref in OPTIONAL_REFS:
        if ref in row:
            row[ref] = row[ref] or None
    existing = set(getattr(current, table)["id"].to_list())
    if read is not None:
        row["id"] = read["id"]
    elif not row["id"]:
        row["id"] = slug(row.get("title") or row.get("document") or "")
    if not row["id"]:
        return Proposal(Changes(), [Violation(table, None, "", "id", "", "required")], "")
    if read is None and row["id"] in existing:
        return Proposal(Changes(), [Violation(table, None, row["id"], "id", row["id"], "id_unique")], row["id"])
    changes = diff(current, {table: pl.DataFrame([row])})
    if read is not None:
        changes = as_read(changes, table, {read["id"]: read["version"]})
    if changes.is_empty():
        return Proposal(changes, ref=row["id"])
    return Proposal(changes, check(apply(current, changes)), row["id"])


# --- the grid of an initiative's lines -----------------------------------------------------


def grid_rows(ledger: Ledger, initiative_id: str, lang: str = "da") -> list[dict]:
    """The initiative's lines as the grid shows them: codes for the drop-downs, amounts and
    last years as text, the id and version read kept (hidden)."""
    lines = ledger.lines.filter(pl.col("initiative_id") == initiative_id).sort("year_from", "region", "kind", "id")
    return [
        {
            "id": line["id"], "version": line["version"],
            "year_from": line["year_from"], "year_to": year_to_text(line["year_to"], lang),
            "region": line["region"], "amount": amount_text(line["amount"], lang), "kind": line["kind"],
            "price_level": line["price_level"], "source_id": line["source_id"],
            "classification": line["classification"], "note": line["note"] or "",
        }
        for line in lines.iter_rows(named=True)
    ]


def grid_defaults(ledger: Ledger, initiative_id: str) -> dict:
    """What a new row starts with: the whole country, an appropriation, the initiative's most
    cited source and its agreement's classification."""
    sources = ledger.lines.filter(pl.col("initiative_id") == initiative_id)["source_id"]
    common = sources.value_counts(sort=True)["source_id"][0] if sources.len() else None
    return {"region": NATIONAL, "kind": "appropriation", "source_id": common,
            "classification": agreement_classification(ledger, initiative_id)}


def agreement_classification(ledger: Ledger, initiative_id: str) -> str:
    agreement = ledger.initiatives.filter(pl.col("id") == initiative_id)["agreement_id"]
    if agreement.len() == 0:
        return "public"
    found = ledger.agreements.filter(pl.col("id") == agreement[0])["classification"]
    return found[0] if found.len() else "public"


def _same(row: dict, read: dict) -> bool:
    return all(_shown(row.get(f)) == _shown(read.get(f)) for f in GRID_FIELDS)


def _blank(row: dict) -> bool:
    return all(_missing(row.get(f)) for f in ("year_from", "year_to", "amount", "price_level", "note"))


def parse_line(row: dict, number: int, current: Ledger, initiative_id: str, regions: dict[str, str],
               default_class: str) -> tuple[dict, list[Violation]]:
    """A grid row as a ledger line, and what in it does not read (year_format, amount_format).
    Everything else is for the rules."""
    errors: list[Violation] = []
    ref = _text(row.get("id"))

    def bad(name: str, rule: str) -> None:
        errors.append(Violation("lines", number, ref, name, _shown(row.get(name)), rule))

    year_from, ok = _year(row.get("year_from"))
    if not ok:
        bad("year_from", "year_format")
    to_text = _text(row.get("year_to")).lower()
    if not to_text:
        year_to = year_from
    elif any(word in to_text for word in PERMANENT_WORDS):
        year_to = None
    else:
        year_to, ok = _year(to_text)
        if not ok:
            bad("year_to", "year_format")
    amount = None
    if not _missing(row.get("amount")):
        amount = parse_amount(_text(row.get("amount")).replace("\u2212", "-"))
        if amount is None:
            bad("amount", "amount_format")
    price_level, ok = _year(row.get("price_level"))
    if not ok:
        bad("price_level", "year_format")
    region = _text(row.get("region"))
    kind = _text(row.get("kind"))
    classification = _text(row.get("classification"))
    line = {
        "initiative_id": initiative_id,
        "year_from": year_from,
        "year_to": year_to,
        "region": regions.get(region.lower(), region) or None,
        "amount": amount,
        "kind": KIND_ALIASES.get(kind.lower(), kind) or None,
        "price_level": price_level,
        "source_id": _text(row.get("source_id")) or None,
        "classification": CLASSIFICATION_ALIASES.get(classification.lower(), classification) or default_class,
        "note": _text(row.get("note")),
        ROW: number,
    }
    return line, errors


def propose_lines(current: Ledger, initiative_id: str, read_rows: list[dict], edited_rows: list[dict],
                  next_id: int) -> Proposal:
    """The grid as edited against the grid as read: rows that differ are corrections, rows
    without an id are new lines (numbered from `next_id`), rows read but gone are removals.
    Rows left as read are not proposed at all, so a change someone else made to a line this
    user did not touch is never undone. Each edited row carries its grid row number in `_row`."""
    read_by_id = {r["id"]: r for r in read_rows}
    regions = region_codes(current.regions)
    default_class = agreement_classification(current, initiative_id)
    lines, errors, seen = [], [], set()
    new_id = next_id
    for row in edited_rows:
        line_id = _int(row.get("id"))
        if line_id not in read_by_id:
            line_id = None
        if line_id is None and _blank(row):
            continue  # an empty row added by mistake
        if line_id is not None:
            seen.add(line_id)
            if _same(row, read_by_id[line_id]):
                continue
        line, bad = parse_line(row, row[ROW], current, initiative_id, regions, default_class)
        errors += bad
        if line_id is None:
            line_id, new_id = new_id, new_id + 1
        lines.append({"id": line_id, **line})
    removed = [i for i in read_by_id if i not in seen]
    proposed = pl.DataFrame(lines, schema={**SCHEMAS["lines"], ROW: pl.Int64}) if lines else None
    changes = diff(current, {"lines": proposed} if proposed is not None else {})
    changes = as_read(changes, "lines", {i: r["version"] for i, r in read_by_id.items()}, removed)
    if changes.is_empty() and not errors:
        return Proposal(changes)
    unreadable = {(v.row, v.field) for v in errors}
    found = [v for v in check(apply(current, changes))
             if not (v.rule == "required" and (v.row, v.field) in unreadable)]
    return Proposal(changes, sorted(errors + found, key=lambda v: (v.row is None, v.row or 0, v.field)))


def as_read(changes: Changes, table: str, read_versions: dict, removed: list | None = None) -> Changes:
    """The changes naming the versions the user read: a corrected row replaces the version read;
    a row read but since removed by someone else is still a correction of the version read (so
    the store reports the conflict); a removal closes the version read."""
    if not read_versions:
        return changes
    id_type = SCHEMAS[table]["id"]
    versions = pl.col("id").replace_strict(read_versions, default=pl.col("version"), return_dtype=pl.Int64)
    changed = changes.changed.get(table)
    if table in changes.added:
        added = changes.added[table]
        gone = added.filter(pl.col("id").is_in(list(read_versions)))
        if gone.height:
            rest = added.filter(~pl.col("id").is_in(list(read_versions)))
            if rest.height:
                changes.added[table] = rest
            else:
                del changes.added[table]
            changed = gone if changed is None else pl.concat([changed, gone.select(changed.columns)])
    if changed is not None:
        changes.changed[table] = changed.with_columns(versions.alias("version"))
    if removed:
        changes.removed[table] = pl.DataFrame(
            {"id": list(removed), "version": [read_versions[i] for i in removed]},
            schema={"id": id_type, "version": pl.Int64},
        )
    return changes


def rebase(read_rows: list[dict], edited_rows: list[dict], fresh: Ledger, ids: list) -> tuple[list[dict], list[dict]]:
    """After a conflict, keep this user's values but read the rows again: the conflicting rows
    take their newest version; one removed meanwhile becomes a new line."""
    versions = dict(fresh.lines.filter(pl.col("id").is_in(list(ids))).select("id", "version").iter_rows())
    read_out, edited_out = [], []
    for row in read_rows:
        if row["id"] in ids:
            if row["id"] not in versions:
                continue
            row = {**row, "version": versions[row["id"]]}
        read_out.append(row)
    kept = {r["id"] for r in read_out}
    for row in edited_rows:
        line_id = row.get("id")
        if line_id in ids and line_id not in kept:
            row = {**row, "id": None, "version": None}
        edited_out.append(row)
    return read_out, edited_out


# --- conflicts -----------------------------------------------------------------------------


@dataclass
class ConflictNote:
    """One row someone else changed first: who, when, why, and their values beside this user's."""

    table: str
    id: object
    text: str
    fields: list[tuple[str, str, str]]  # field, their value, this user's value


def describe_conflict(conflict: Conflict, fresh: Ledger, changes: Changes, lang: str = "da",
                      read: dict | None = None) -> list[ConflictNote]:
    """The store's conflict in words, with the other person's values (from the ledger as it is
    now) beside the ones this user tried to save. `read`: id -> the row as this user read it."""
    da = lang == "da"
    notes = []
    for c in conflict.conflicts:
        table, row_id = c["table"], c["id"]
        theirs = _row_of(getattr(fresh, table), row_id)
        mine = None
        for kind in ("changed", "added"):
            if table in getattr(changes, kind):
                mine = mine or _row_of(getattr(changes, kind)[table], row_id)
        subject = subject_label(table, theirs or mine or (read or {}).get(row_id) or {"id": row_id}, fresh, lang)
        at = c.get("at")
        when = moment_text(at, lang) if hasattr(at, "astimezone") else str(at or "")
        why = f" («{c['reason']}»)" if c.get("reason") else ""
        if c.get("current"):
            text = (f"{subject} er ændret af {c['author']} {when}{why}, efter du hentede den."
                    if da else f"{subject} was changed by {c['author']} at {when}{why} after you opened it.")
        else:
            text = (f"{subject} er fjernet af {c['author']} {when}{why}, efter du hentede den."
                    if da else f"{subject} was removed by {c['author']} at {when}{why} after you opened it.")
        fields = []
        columns = [f for f in value_columns(table) if f != ROW]
        gone = "(fjernet)" if da else "(removed)"
        if theirs is not None and mine is not None:
            fields = [(field_label(f, lang), value_text(table, f, theirs[f], fresh, lang), value_text(table, f, mine[f], fresh, lang))
                      for f in columns if theirs[f] != mine[f]]
        elif theirs is not None:  # this user removes what they changed
            before = (read or {}).get(row_id) or {}
            fields = [(field_label(f, lang), value_text(table, f, theirs[f], fresh, lang), gone)
                      for f in columns if f in before and theirs[f] != before[f]] or [
                      (field_label("amount", lang) if "amount" in columns else "", "", gone)]
        elif mine is not None:  # they removed what this user corrects
            fields = [(field_label(f, lang), gone, value_text(table, f, mine[f], fresh, lang))
                      for f in columns if f == "amount" or f == "title"]
        notes.append(ConflictNote(table, row_id, text, fields))
    return notes


def _row_of(frame: pl.DataFrame, row_id) -> dict | None:
    rows = frame.filter(pl.col("id") == row_id).to_dicts()
    return rows[0] if rows else None
