"""Small ledgers built in code, for tests that read like specifications."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from ledger.frames import AMOUNT, Ledger
from ledger.readers import read_seeds
from tracker.services import SEEDS

REGIONS = read_seeds(SEEDS).ledger.regions


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
