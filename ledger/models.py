"""Tables of the ledger (SQLModel).

Ledger entities are versioned and append-only: a correction closes the current version
(`superseded_at`) and adds a new one, a removal closes it and adds none. The current ledger
is every row with `superseded_at IS NULL`; the ledger as of a time T is every row with
`recorded_at <= T < superseded_at`. Nothing is ever deleted, so any past state can be shown.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

AMOUNT_SCALE = 6  # mio. kr. with six decimals = whole kroner


class ExactDecimal(TypeDecorator):
    """NUMERIC(18, 6) where the database has it; exact decimal text on SQLite.

    SQLite has no decimal type and would round through a binary float, so there the amount
    is kept as its canonical decimal text.
    """

    impl = sa.Numeric(18, AMOUNT_SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(40))
        return dialect.type_descriptor(sa.Numeric(18, AMOUNT_SCALE, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value).quantize(Decimal(1).scaleb(-AMOUNT_SCALE))
        return format(value, "f") if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


class Versioned(SQLModel):
    """Columns every ledger entity has: which version, and the journal entries that made and
    closed it. A closed version with no successor was removed."""

    row_id: int | None = Field(default=None, primary_key=True)
    version: int = 1
    recorded_at: datetime = Field(index=True)
    recorded_in: int = Field(index=True)  # journal entry that wrote this version
    superseded_at: datetime | None = Field(default=None, index=True)
    superseded_in: int | None = Field(default=None, index=True)  # journal entry that closed it


class Region(SQLModel, table=True):
    """A region and the years it exists (None = open-ended)."""

    code: str = Field(primary_key=True)
    name: str
    valid_from: int | None = None
    valid_to: int | None = None
    successor: str | None = None
    note: str = ""


class Source(Versioned, table=True):
    __table_args__ = (sa.UniqueConstraint("id", "version"),)
    id: str = Field(index=True)
    document: str
    case_no: str = ""
    date: str = ""  # ISO date, possibly partial: 2024, 2024-11 or 2024-11-21
    location: str = ""  # page or line
    url: str = ""
    note: str = ""


class Agreement(Versioned, table=True):
    __table_args__ = (sa.UniqueConstraint("id", "version"),)
    id: str = Field(index=True)
    title: str
    kind: str
    parties: str = ""
    date_agreed: str = ""
    status: str = "agreed"
    classification: str = "public"
    source_id: str | None = None
    note: str = ""


class Initiative(Versioned, table=True):
    __table_args__ = (sa.UniqueConstraint("id", "version"),)
    id: str = Field(index=True)
    agreement_id: str = Field(index=True)
    parent_id: str | None = None
    title: str
    recipient: str = ""
    channel: str = ""
    note: str = ""


class Line(Versioned, table=True):
    """An allocation line: an amount for an initiative, a span of years and a region."""

    __tablename__ = "allocation_line"
    __table_args__ = (sa.UniqueConstraint("id", "version"),)
    id: int = Field(index=True)
    initiative_id: str = Field(index=True)
    year_from: int
    year_to: int | None = None  # None = permanent ("varigt") from year_from on
    region: str
    amount: Decimal = Field(sa_type=ExactDecimal)
    kind: str
    price_level: int | None = None
    source_id: str
    classification: str = "public"
    note: str = ""


class StatedTotal(Versioned, table=True):
    """A total a source states, checked against the lines like a balance assertion."""

    __tablename__ = "stated_total"
    __table_args__ = (sa.UniqueConstraint("id", "version"),)
    id: str = Field(index=True)
    agreement_id: str | None = None
    initiative_id: str | None = None
    year_from: int | None = None  # None: the source gives no years; shown, not checked
    year_to: int | None = None
    per_year: bool = False  # True: the amount holds for each year; False: for the whole span
    amount: Decimal = Field(sa_type=ExactDecimal)
    kind: str = "appropriation"
    source_id: str
    classification: str = "public"
    note: str = ""


class JournalEntry(SQLModel, table=True):
    """One change to the ledger: who, when, why. The values before and after are the entity
    versions it closed (`superseded_in`) and wrote (`recorded_in`)."""

    __tablename__ = "journal"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    author: str
    action: str  # init, import, edit, correct, remove, ...
    reason: str = ""
    summary: str = ""  # JSON: counts of what was added, changed and removed
    # `author` is always the authenticated actor; a run for someone else names them here
    on_behalf_of: str = Field(default="", sa_column_kwargs={"server_default": ""})


class Snapshot(SQLModel, table=True):
    """The current ledger's frames, and what is derived from them, as Arrow IPC, made once per
    revision: loading them is a fraction of reading every row. A copy, never the record: a
    snapshot is only used for the revision it was made of, and can be deleted at any time."""

    revision: int = Field(primary_key=True)  # see `ledger.store.revision`
    part: str = Field(primary_key=True)  # "ledger/lines", ..., or a name a reader of the ledger gives
    made_at: datetime
    data: bytes = Field(sa_type=sa.LargeBinary)


class DistributionKey(SQLModel, table=True):
    """A named, dated key that splits national money among regions."""

    __tablename__ = "distribution_key"
    id: str = Field(primary_key=True)
    name: str
    as_of: str = ""
    source: str = ""
    note: str = ""


class DistributionWeight(SQLModel, table=True):
    __tablename__ = "distribution_weight"
    key_id: str = Field(primary_key=True)
    region: str = Field(primary_key=True)
    weight: Decimal = Field(sa_type=ExactDecimal)


class PriceIndex(SQLModel, table=True):
    """The general price and wage rise (pris- og lønudvikling) of a year, in per cent."""

    __tablename__ = "price_index"
    year: int = Field(primary_key=True)
    rise_pct: Decimal = Field(sa_type=ExactDecimal)
    source: str = ""
    note: str = ""


ENTITY_MODELS: dict[str, type[Versioned]] = {
    "source": Source,
    "agreement": Agreement,
    "initiative": Initiative,
    "line": Line,
    "stated_total": StatedTotal,
}
