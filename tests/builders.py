"""Small ledgers built in code, for tests that read like specifications, and what tests add to a
stored ledger: users with known passwords, a confidential agreement, a corrected amount."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from ledger import access, store
from ledger.access import SINGLE_ADMIN
from ledger.changes import diff
from ledger.frames import AMOUNT, Ledger
from ledger.readers import read_seeds
from tracker.services import SEEDS

REGIONS = read_seeds(SEEDS).ledger.regions
PASSWORDS = {"lis": "lis password 123", "frede": "frede password 123", "anna": "anna password 123",
             "bo": "bo password 1234"}


def line(initiative: str, year_from: int, amount, *, year_to="same", region="hele-landet",
         kind="appropriation", source="src", classification="public", line_id=None, row=None, **extra) -> dict:
    return {
        "id": line_id, "initiative_id": initiative, "year_from": year_from,
        "year_to": year_from if year_to == "same" else year_to, "region": region,
        "amount": Decimal(str(amount)), "kind": kind, "price_level": None, "source_id": source,
        "classification": classification, "note": "", "version": 1, "_row": row, **extra,
    }


def ledger(lines: list[dict], initiatives: list[tuple] | None = None, agreements: list[tuple] | None = None,
           stated: list[dict] | None = None) -> Ledger:
    """A ledger with one source 'src'. initiatives: (id, agreement_id, parent_id);
    agreements: (id, classification). Unnumbered lines are numbered in order."""
    initiatives = initiatives or [("frame", "agr", None), ("child", "agr", "frame")]
    agreements = agreements or [("agr", "public")]
    for number, item in enumerate(lines, start=1):
        if item["id"] is None:
            item["id"] = number
    lines_frame = pl.DataFrame(lines, schema_overrides={"amount": AMOUNT, "year_to": pl.Int64, "price_level": pl.Int64,
                                                        "_row": pl.Int64, "id": pl.Int64}) if lines else None
    frames = dict(
        regions=REGIONS,
        sources=pl.DataFrame({"id": ["src"], "document": ["Et dokument"], "date": ["2025"]}),
        agreements=pl.DataFrame(
            {"id": [a for a, _ in agreements], "title": [f"Aftale {a}" for a, _ in agreements],
             "kind": ["politisk aftale"] * len(agreements), "status": ["agreed"] * len(agreements),
             "classification": [c for _, c in agreements], "date_agreed": ["2025"] * len(agreements)}
        ),
        initiatives=pl.DataFrame(
            {"id": [i for i, _, _ in initiatives], "agreement_id": [a for _, a, _ in initiatives],
             "parent_id": [p for _, _, p in initiatives], "title": [f"Initiativ {i}" for i, _, _ in initiatives]},
            schema_overrides={"parent_id": pl.String},
        ),
    )
    if lines_frame is not None:
        frames["lines"] = lines_frame
    if stated:
        frames["stated_totals"] = pl.DataFrame(stated, schema_overrides={"amount": AMOUNT, "year_from": pl.Int64, "year_to": pl.Int64})
    return Ledger.of(**frames)


def add_users(engine, **roles: str) -> None:
    """Users with their passwords from PASSWORDS, e.g. add_users(engine, lis="læser", anna="økonomi")."""
    for name, role in roles.items():
        access.add_user(engine, SINGLE_ADMIN, name, role, PASSWORDS[name])


def add_confidential_agreement(engine) -> None:
    """A confidential agreement "Fortroligt punkt 2" with one confidential line: 4.711,5 in 2025 for
    "Hemmeligt initiativ"."""
    current = store.load(engine)
    changes = diff(current, {
        "agreements": pl.DataFrame({"id": ["fortroligt-punkt"], "title": ["Fortroligt punkt 2"], "kind": ["forslag"],
                                    "status": ["proposed"], "classification": ["confidential"]}),
        "initiatives": pl.DataFrame({"id": ["hemmelig"], "agreement_id": ["fortroligt-punkt"],
                                     "title": ["Hemmeligt initiativ"]}),
        "lines": pl.DataFrame({"id": [900], "initiative_id": ["hemmelig"], "year_from": [2025], "year_to": [2025],
                               "region": ["hele-landet"], "amount": [Decimal("4711.5")], "kind": ["appropriation"],
                               "source_id": ["s001-akutpsyk"], "classification": ["confidential"], "note": [""]}
                              ).with_columns(pl.col("amount").cast(current.lines["amount"].dtype)),
    })
    store.commit(engine, changes, author="test", action="edit")


def with_amount(lines: pl.DataFrame, amount: str) -> pl.DataFrame:
    """These lines with another amount (in the lines' own amount type), as an edit of them."""
    return lines.with_columns(pl.lit(Decimal(amount)).cast(lines["amount"].dtype).alias("amount"))


def correct_line(engine, line_id: int, amount: str, *, author: str, reason: str, at=None):
    """A correction of one stored line's amount, committed by `author` (at `at`, or now)."""
    seen = store.load(engine)
    line = with_amount(seen.lines.filter(pl.col("id") == line_id), amount)
    return store.commit(engine, diff(seen, {"lines": line}), author=author, action="correct", reason=reason, at=at)
