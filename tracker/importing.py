"""The app's import of a file in the interchange format (docs/interchange.md): a preview, then
one transaction.

The preview is `ledger.imports.plan`, the same as `tracker import`: every error in the file at
once, each with the row number the spreadsheet shows (the header is row 1), or, when the file is
valid, what it adds, corrects and leaves unchanged. Confirming writes the plan's changes with
`services.commit_as` in one transaction; the changes name the versions the preview compared
against, so a line someone corrected after the preview is a conflict, never overwritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
import sqlalchemy as sa

from ledger import store
from ledger.access import Actor, require
from ledger.frames import ROW, Ledger
from ledger.imports import ImportPlan, plan
from ledger.readers import read_interchange
from tracker import formatting, services
from tracker.history import field_label, value_text

Progress = Callable[[float, str], None]  # (fraction done, stage: read_ledger, read_file, check, done)


@dataclass
class Preview:
    plan: ImportPlan
    current: Ledger  # the ledger the file was compared with
    name: str
    digest: str

    @property
    def ok(self) -> bool:
        return self.plan.ok

    def counts(self) -> dict[str, dict[str, int]]:
        return self.plan.changes.summary()

    @property
    def corrects(self) -> bool:
        return any(c["changed"] or c["removed"] for c in self.counts().values())

    @property
    def is_empty(self) -> bool:
        return self.plan.changes.is_empty()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def preview(engine: sa.Engine, actor: Actor, name: str, data: bytes, progress: Progress | None = None) -> Preview:
    """Read and check the file against the ledger as it is now; writes nothing. Raises
    `ledger.readers.FormatError` when the file is not the interchange format at all, and
    `ledger.access.Forbidden` for anyone below finance staff."""
    step = progress or (lambda _fraction, _stage: None)
    require(actor, "write", "import files", engine)
    step(0.0, "read_ledger")
    current, next_id = store.load(engine), store.next_line_id(engine)
    step(0.2, "read_file")
    batch = read_interchange(name, current, data)
    step(0.5, "check")
    planned = plan(current, batch, next_id)
    step(1.0, "done")
    return Preview(planned, current, name, digest(data))


def confirm(engine: sa.Engine, actor: Actor, shown: Preview, reason: str) -> store.Commit:
    """Write the previewed changes in one transaction (raises `Conflict`, `RuleViolations`,
    `ReasonRequired` or `Forbidden`, and then writes nothing)."""
    return services.commit_as(engine, actor, shown.plan.changes, action="import", reason=reason.strip())


# --- the preview as tables -------------------------------------------------------------------


def error_table(shown: Preview, lang: str = "da") -> pl.DataFrame:
    """Every error: the spreadsheet's row number, the column, the value and what is wrong."""
    da = lang == "da"
    rows = [
        (v.row, field_label(v.field, lang) if v.field else "", v.value,
         v.message(lang) if v.row is not None else f"{v.where(lang)}: {v.message(lang)}")
        for v in shown.plan.violations
    ]
    return pl.DataFrame(rows, schema={("Række" if da else "Row"): pl.Int64, ("Kolonne" if da else "Column"): pl.String,
                                      ("Værdi" if da else "Value"): pl.String, ("Fejl" if da else "Error"): pl.String},
                        orient="row")


def _titles(ledger: Ledger, shown: Preview) -> dict[str, str]:
    titles = dict(ledger.initiatives.select("id", "title").iter_rows())
    added = shown.plan.changes.added.get("initiatives")
    if added is not None:
        titles.update(dict(added.select("id", "title").iter_rows()))
    return titles


def new_lines(shown: Preview, lang: str = "da", limit: int = 500) -> tuple[pl.DataFrame, int]:
    """The lines the file adds (at most `limit`), and how many there are."""
    frame = shown.plan.changes.added.get("lines")
    if frame is None:
        return _line_table(pl.DataFrame(), shown, lang), 0
    return _line_table(frame.sort(ROW).head(limit), shown, lang), frame.height


def changed_lines(shown: Preview, lang: str = "da", limit: int = 500) -> tuple[pl.DataFrame, int]:
    """The lines the file corrects (at most `limit`): the amount before and after, and every
    other value that changes."""
    frame = shown.plan.changes.changed.get("lines")
    if frame is None:
        return _line_table(pl.DataFrame(), shown, lang, before=True), 0
    return _line_table(frame.sort(ROW).head(limit), shown, lang, before=True), frame.height


def _line_table(frame: pl.DataFrame, shown: Preview, lang: str, before: bool = False) -> pl.DataFrame:
    da = lang == "da"
    led = shown.current
    titles = _titles(led, shown)
    now = {r["id"]: r for r in led.lines.to_dicts()} if before and frame.height else {}
    names = {"row": "Række" if da else "Row", "line": "Linje" if da else "Line",
             "initiative": "Initiativ" if da else "Initiative", "years": "År" if da else "Years",
             "region": "Region", "kind": "Art" if da else "Kind", "before": "Før" if da else "Before",
             "amount": "Beløb" if da else "Amount", "after": "Efter" if da else "After",
             "other": "Andre ændringer" if da else "Other changes", "source": "Kilde" if da else "Source"}
    out = []
    for row in frame.iter_rows(named=True) if frame.height else []:
        item = {names["row"]: row[ROW]}
        if before:
            item[names["line"]] = row["id"]
        item.update({
            names["initiative"]: titles.get(row["initiative_id"], row["initiative_id"]),
            names["years"]: formatting.years(row["year_from"], row["year_to"], lang),
            names["region"]: value_text("lines", "region", row["region"], led, lang),
            names["kind"]: value_text("lines", "kind", row["kind"], led, lang),
        })
        if before:
            old = now.get(row["id"], {})
            item[names["before"]] = formatting.number(old.get("amount"), lang)
            item[names["after"]] = formatting.number(row["amount"], lang)
            item[names["other"]] = "; ".join(
                f"{field_label(f, lang).lower()}: {value_text('lines', f, old.get(f), led, lang) or '–'} → "
                f"{value_text('lines', f, row[f], led, lang) or '–'}"
                for f in ("year_to", "price_level", "source_id", "classification", "note") if old.get(f) != row[f]
            )
        else:
            item[names["amount"]] = formatting.number(row["amount"], lang)
            item[names["source"]] = row["source_id"] or ""
        out.append(item)
    columns = [names["row"], *([names["line"]] if before else []), names["initiative"], names["years"],
               names["region"], names["kind"],
               *([names["before"], names["after"], names["other"]] if before else [names["amount"], names["source"]])]
    schema = {c: (pl.Int64 if c in (names["row"], names["line"]) else pl.String) for c in columns}
    return pl.DataFrame(out, schema=schema) if out else pl.DataFrame(schema=schema)
