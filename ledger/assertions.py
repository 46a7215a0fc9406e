"""Stated totals, checked like balance assertions: a sum a source states against the lines.

A mismatch is not a rule violation (sources do disagree); it is a *finding* shown to users
with the difference, and with its explanation where the ledger knows one: when the difference
equals a sub-initiative, the statement left that "of which" money out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from .frames import Ledger, expand_years, initiative_totals
from .money import format_amount


@dataclass(frozen=True)
class Finding:
    stated_total_id: str
    subject: str  # "agreement" or "initiative"
    subject_id: str
    subject_title: str
    year_from: int | None
    year_to: int | None
    per_year: bool
    kind: str
    stated: Decimal
    status: str  # "holds", "differs" or "unchecked"
    source_id: str
    # per checked year (or once for a span): what the ledger holds and the difference
    actual: dict[int | str, Decimal] = field(default_factory=dict)
    difference: Decimal | None = None  # ledger minus stated, when the same in every year
    explained_by: tuple[str, str] | None = None  # (initiative id, title) equal to the difference
    note: str = ""

    def years_label(self, lang: str = "en") -> str:
        if self.year_from is None:
            return "years not stated" if lang == "en" else "år ikke oplyst"
        if self.year_to is None:
            return f"{self.year_from} on" if lang == "en" else f"{self.year_from} og frem"
        if self.year_to == self.year_from:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"

    def message(self, lang: str = "en") -> str:
        amount = format_amount(self.stated, lang)
        scope = ("a year" if lang == "en" else "årligt") if self.per_year else ("in all" if lang == "en" else "i alt")
        head = f"{self.subject_title}: {amount} mio. kr. {scope} ({self.years_label(lang)})"
        if self.status == "unchecked":
            return head + (
                ": the source gives no years, so the ledger cannot check it"
                if lang == "en"
                else ": kilden oplyser ingen år, så tallet kan ikke afstemmes"
            )
        if self.status == "holds":
            return head + (": holds" if lang == "en" else ": stemmer")
        if self.difference is not None:
            held = next(iter(self.actual.values()))
            text = (
                f": the ledger holds {format_amount(held, lang)}, difference {format_amount(self.difference, lang)}"
                if lang == "en"
                else f": ledgeren har {format_amount(held, lang)}, forskel {format_amount(self.difference, lang)}"
            )
        else:
            parts = ", ".join(f"{y}: {format_amount(v, lang)}" for y, v in self.actual.items())
            text = f": the ledger holds {parts}" if lang == "en" else f": ledgeren har {parts}"
        if self.explained_by:
            _, title = self.explained_by
            text += (
                f"; the difference equals the sub-initiative '{title}', which the statement leaves out"
                if lang == "en"
                else f"; forskellen svarer til delinitiativet '{title}', som opgørelsen ikke medregner"
            )
        return head + text


def _subject_totals(ledger: Ledger, until: int) -> pl.DataFrame:
    """Whole amounts per subject (initiative and agreement), year and kind."""
    totals = initiative_totals(expand_years(ledger.lines, until)).collect()
    ini = ledger.initiatives.select("id", "agreement_id", "parent_id")
    parent_agreement = ini.select(pl.col("id").alias("parent_id"), pl.col("agreement_id").alias("parent_agreement"))
    top = (
        ini.join(parent_agreement, on="parent_id", how="left")
        .filter(pl.col("parent_id").is_null() | (pl.col("parent_agreement") != pl.col("agreement_id")))
        .select(pl.col("id").alias("initiative_id"), "agreement_id")
    )
    by_initiative = totals.select(
        pl.lit("initiative").alias("subject"), pl.col("initiative_id").alias("subject_id"), "year", "kind", "total"
    )
    by_agreement = (
        totals.join(top, on="initiative_id")
        .group_by("agreement_id", "year", "kind")
        .agg(pl.col("total").sum())
        .select(pl.lit("agreement").alias("subject"), pl.col("agreement_id").alias("subject_id"), "year", "kind", "total")
    )
    return pl.concat([by_initiative, by_agreement])


def check_totals(ledger: Ledger) -> list[Finding]:
    stated = ledger.stated_totals
    if stated.height == 0:
        return []
    last = max(ledger.last_year() or 0, 2000)
    totals = _subject_totals(ledger, last)
    lookup: dict[tuple, Decimal] = {
        (s, i, y, k): t for s, i, y, k, t in totals.select("subject", "subject_id", "year", "kind", "total").iter_rows()
    }
    titles = dict(ledger.initiatives.select("id", "title").iter_rows())
    agreement_titles = dict(ledger.agreements.select("id", "title").iter_rows())
    children: dict[str, list[str]] = {}
    for child, parent in ledger.initiatives.select("id", "parent_id").iter_rows():
        if parent:
            children.setdefault(parent, []).append(child)
    zero = Decimal(0)

    findings = []
    for row in stated.sort("id").iter_rows(named=True):
        subject = "initiative" if row["initiative_id"] else "agreement"
        subject_id = row["initiative_id"] or row["agreement_id"]
        title = (titles if subject == "initiative" else agreement_titles).get(subject_id, subject_id)
        base = dict(
            stated_total_id=row["id"], subject=subject, subject_id=subject_id, subject_title=title,
            year_from=row["year_from"], year_to=row["year_to"], per_year=bool(row["per_year"]),
            kind=row["kind"], stated=row["amount"], source_id=row["source_id"], note=row["note"] or "",
        )
        if row["year_from"] is None:
            findings.append(Finding(status="unchecked", **base))
            continue
        years = list(range(row["year_from"], (row["year_to"] or max(last, row["year_from"])) + 1))

        def held(sid: str, kind: str, year: int, subj: str = subject) -> Decimal:
            return lookup.get((subj, sid, year, kind), zero)

        if row["per_year"]:
            actual = {y: held(subject_id, row["kind"], y) for y in years}
            diffs = {y: a - row["amount"] for y, a in actual.items()}
        else:
            total = sum((held(subject_id, row["kind"], y) for y in years), zero)
            actual = {f"{years[0]}–{years[-1]}": total}
            diffs = {"all": total - row["amount"]}
        if all(d == 0 for d in diffs.values()):
            findings.append(Finding(status="holds", actual=actual, difference=zero, **base))
            continue
        distinct = set(diffs.values())
        difference = distinct.pop() if len(distinct) == 1 else None
        explained = None
        if subject == "initiative":
            for child in children.get(subject_id, []):
                if row["per_year"]:
                    child_amounts = {y: held(child, row["kind"], y, "initiative") for y in years}
                else:
                    child_amounts = {"all": sum((held(child, row["kind"], y, "initiative") for y in years), zero)}
                if all(diffs[y] == child_amounts[y] and diffs[y] > 0 for y in diffs):
                    explained = (child, titles.get(child, child))
                    break
        findings.append(
            Finding(status="differs", actual=actual, difference=difference, explained_by=explained, **base)
        )
    return findings
