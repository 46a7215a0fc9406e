"""The breakdown year x initiative x region in pandas and in DuckDB, for comparison with
`tracker.reports.breakdown` (polars) on the same data.

Each does the whole work the report engine does, netting included: lines spread over their
years, regional lines taken off their initiative's national line, sub-initiatives' money taken
off their parent's frame of the same kind (in the region the parent names, else nationally),
then each atom summed under the initiative shown at `depth` and labelled. Amounts stay exact:
decimal(38, 6) in DuckDB, and pyarrow's decimal128(38, 6) in pandas. They are written for
valid ledgers (no missing keys), which is all the benchmark feeds them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

from ledger.domain import NATIONAL
from ledger.frames import Ledger
from tracker.reports import REMAINDER_DA

KEYS = ["initiative_id", "year", "kind"]


# -- pandas ------------------------------------------------------------------------------------


def pandas_tables(ledger: Ledger) -> dict[str, pd.DataFrame]:
    """The ledger's frames as pandas frames (pyarrow-backed), made before any timing."""
    return {
        "lines": ledger.lines.select("initiative_id", "year_from", "year_to", "region", "kind", "amount")
        .to_pandas(types_mapper=pd.ArrowDtype),
        "initiatives": ledger.initiatives.select("id", "agreement_id", "parent_id", "title").to_pandas(),
        "regions": ledger.regions.select("code", "name").to_pandas(),
    }


def pandas_atoms(t: dict[str, pd.DataFrame], until: int, kinds: tuple[str, ...]) -> pd.DataFrame:
    lines = t["lines"]
    lines = lines[lines["kind"].isin(list(kinds))]
    first = lines["year_from"].to_numpy(dtype=np.int64)
    last = np.minimum(lines["year_to"].fillna(until).to_numpy(dtype=np.int64), until)
    count = np.maximum(last - first + 1, 0)
    row = np.repeat(np.arange(len(lines)), count)
    start = np.repeat(np.cumsum(count) - count, count)
    expanded = pd.DataFrame({
        "initiative_id": lines["initiative_id"].to_numpy()[row],
        "year": first[row] + (np.arange(len(row)) - start),
        "kind": lines["kind"].to_numpy()[row],
        "region": lines["region"].to_numpy()[row],
        "amount": lines["amount"].array.take(row),
    })
    national = expanded["region"] == NATIONAL
    has_national = expanded.loc[national, KEYS].drop_duplicates()
    within = expanded.loc[~national].merge(has_national, on=KEYS)
    within = within.assign(region=NATIONAL, amount=-within["amount"])
    own = (
        pd.concat([expanded, within], ignore_index=True)
        .groupby([*KEYS, "region"], sort=False, as_index=False)["amount"].sum()
    )
    parents = t["initiatives"][["id", "parent_id"]].rename(columns={"id": "initiative_id"}).dropna()
    parent_regions = (
        expanded.loc[~national, [*KEYS, "region"]].drop_duplicates()
        .rename(columns={"initiative_id": "parent_id"}).assign(named=True)
    )
    parent_kinds = expanded[KEYS].drop_duplicates().rename(columns={"initiative_id": "parent_id"})
    drawn = (
        own.merge(parents, on="initiative_id")
        .merge(parent_kinds, on=["parent_id", "year", "kind"])
        .merge(parent_regions, on=["parent_id", "year", "kind", "region"], how="left")
    )
    drawn = pd.DataFrame({
        "initiative_id": drawn["parent_id"],
        "year": drawn["year"],
        "kind": drawn["kind"],
        "region": drawn["region"].where(drawn["named"].notna(), NATIONAL),
        "amount": -drawn["amount"],
    })
    atoms = (
        pd.concat([own, drawn], ignore_index=True)
        .groupby([*KEYS, "region"], sort=False, as_index=False)["amount"].sum()
    )
    return atoms[atoms["amount"] != 0]


def pandas_tree(initiatives: pd.DataFrame, depth: int) -> pd.DataFrame:
    """Per initiative: the one shown at `depth` (its ancestor inside its agreement) and
    whether it shows only its remainder."""
    ini = initiatives.set_index("id")
    agreement = ini["agreement_id"]
    parent = ini["parent_id"]
    up = parent.where(agreement.reindex(parent.to_numpy()).to_numpy() == agreement.to_numpy())
    chain = [pd.Series(ini.index, index=ini.index)]
    while chain[-1].notna().any():
        chain.append(pd.Series(up.reindex(chain[-1].to_numpy()).to_numpy(), index=ini.index))
    ancestors = pd.concat(chain[:-1], axis=1)  # column j: the ancestor j steps up
    levels = ancestors.notna().sum(axis=1).to_numpy()
    pick = levels - np.minimum(levels, depth)
    shown = ancestors.to_numpy()[np.arange(len(ini)), pick]
    has_children = ini.index.isin(parent.dropna().unique())
    return pd.DataFrame({"initiative_id": ini.index, "shown": shown, "remainder": has_children & (levels < depth)})


def pandas_breakdown(
    t: dict[str, pd.DataFrame], until: int, kinds: tuple[str, ...], depth: int = 1, atoms: pd.DataFrame | None = None
) -> pd.DataFrame:
    atoms = pandas_atoms(t, until, kinds) if atoms is None else atoms
    atoms = atoms[(atoms["year"] <= until) & atoms["kind"].isin(list(kinds))]
    grouped = (
        atoms.merge(pandas_tree(t["initiatives"], depth), on="initiative_id", how="left")
        .groupby(["year", "shown", "remainder", "region"], sort=False, as_index=False)["amount"].sum()
    )
    titles = t["initiatives"].set_index("id")["title"]
    title = pd.Series(titles.reindex(grouped["shown"].to_numpy()).to_numpy(), index=grouped.index)
    names = t["regions"].set_index("code")["name"]
    out = pd.DataFrame({
        "year": grouped["year"],
        "initiative_id": grouped["shown"],
        "initiative_title": title.where(~grouped["remainder"], title + f" ({REMAINDER_DA})"),
        "region": grouped["region"].map(names).fillna(grouped["region"]),
        "amount": grouped["amount"],
    })
    return out.sort_values(["year", "initiative_title", "region"], ignore_index=True)


# -- DuckDB ------------------------------------------------------------------------------------


def duckdb_connection(ledger: Ledger):
    """An in-memory DuckDB holding the ledger's tables as its own tables, made before timing."""
    import duckdb

    con = duckdb.connect()
    for name, frame in (
        ("lines", ledger.lines.select("initiative_id", "year_from", "year_to", "region", "kind", "amount")),
        ("initiatives", ledger.initiatives.select("id", "agreement_id", "parent_id", "title")),
        ("regions", ledger.regions.select("code", "name")),
    ):
        arrow = frame.to_arrow()
        con.register("_incoming", arrow)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _incoming")
        con.unregister("_incoming")
    return con


def _atoms_sql(until: int, kinds: tuple[str, ...]) -> str:
    kind_list = ", ".join(f"'{k}'" for k in kinds)
    return f"""
    expanded AS (
        SELECT initiative_id, UNNEST(generate_series(year_from, LEAST(COALESCE(year_to, {until}), {until}))) AS year,
               kind, region, amount
        FROM lines WHERE kind IN ({kind_list})
    ),
    has_national AS (SELECT DISTINCT initiative_id, year, kind FROM expanded WHERE region = '{NATIONAL}'),
    own AS (
        SELECT initiative_id, year, kind, region, SUM(amount) AS amount FROM (
            SELECT initiative_id, year, kind, region, amount FROM expanded
            UNION ALL
            SELECT e.initiative_id, e.year, e.kind, '{NATIONAL}', -e.amount
            FROM expanded e JOIN has_national USING (initiative_id, year, kind)
            WHERE e.region <> '{NATIONAL}'
        ) GROUP BY ALL
    ),
    parent_regions AS (
        SELECT DISTINCT initiative_id AS parent_id, year, kind, region FROM expanded WHERE region <> '{NATIONAL}'
    ),
    parent_kinds AS (SELECT DISTINCT initiative_id AS parent_id, year, kind FROM expanded),
    -- each child's atoms with its parent first: left to itself, DuckDB joins the parent's
    -- kinds on year and kind alone and multiplies the rows a hundredfold
    own_parent AS MATERIALIZED (
        SELECT o.*, i.parent_id FROM own o JOIN initiatives i ON i.id = o.initiative_id WHERE i.parent_id IS NOT NULL
    ),
    drawn AS (
        SELECT o.parent_id AS initiative_id, o.year, o.kind,
               CASE WHEN pr.parent_id IS NULL THEN '{NATIONAL}' ELSE o.region END AS region, -o.amount AS amount
        FROM own_parent o
        JOIN parent_kinds pk ON pk.parent_id = o.parent_id AND pk.year = o.year AND pk.kind = o.kind
        LEFT JOIN parent_regions pr
            ON pr.parent_id = o.parent_id AND pr.year = o.year AND pr.kind = o.kind AND pr.region = o.region
    ),
    atoms AS (
        SELECT initiative_id, year, kind, region, SUM(amount) AS amount
        FROM (SELECT * FROM own UNION ALL SELECT * FROM drawn)
        GROUP BY ALL HAVING SUM(amount) <> 0
    )"""


def _breakdown_sql(source: str, until: int, kinds: tuple[str, ...], depth: int) -> str:
    kind_list = ", ".join(f"'{k}'" for k in kinds)
    return f"""
    chain AS (
        SELECT id, agreement_id, id AS node, 0 AS steps FROM initiatives
        UNION ALL
        SELECT c.id, c.agreement_id, p.id, c.steps + 1
        FROM chain c
        JOIN initiatives i ON i.id = c.node
        JOIN initiatives p ON p.id = i.parent_id AND p.agreement_id = c.agreement_id
    ),
    levels AS (SELECT id, MAX(steps) + 1 AS depth FROM chain GROUP BY id),
    tree AS (
        SELECT l.id, c.node AS shown,
               (l.depth < {depth} AND l.id IN (SELECT parent_id FROM initiatives WHERE parent_id IS NOT NULL))
                   AS remainder
        FROM levels l JOIN chain c ON c.id = l.id AND c.steps = l.depth - LEAST(l.depth, {depth})
    ),
    grouped AS (
        SELECT a.year, t.shown, t.remainder, a.region, SUM(a.amount) AS amount
        FROM {source} a LEFT JOIN tree t ON t.id = a.initiative_id
        WHERE a.year <= {until} AND a.kind IN ({kind_list})
        GROUP BY ALL
    )
    SELECT g.year, g.shown AS initiative_id,
           CASE WHEN g.remainder THEN i.title || ' ({REMAINDER_DA})' ELSE i.title END AS initiative_title,
           COALESCE(r.name, g.region) AS region, g.amount
    FROM grouped g
    LEFT JOIN initiatives i ON i.id = g.shown
    LEFT JOIN regions r ON r.code = g.region
    ORDER BY g.year, initiative_title, region
    """


def duckdb_atoms_table(con, until: int, kinds: tuple[str, ...], name: str = "atoms_given") -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS WITH {_atoms_sql(until, kinds)} SELECT * FROM atoms")


def duckdb_breakdown(con, until: int, kinds: tuple[str, ...], depth: int = 1, atoms_table: str | None = None) -> pa.Table:
    """The breakdown as an Arrow table; from the lines, or from a table of atoms made earlier."""
    if atoms_table is None:
        sql = f"WITH RECURSIVE {_atoms_sql(until, kinds)}, {_breakdown_sql('atoms', until, kinds, depth)}"
    else:
        sql = f"WITH RECURSIVE {_breakdown_sql(atoms_table, until, kinds, depth)}"
    return con.sql(sql).to_arrow_table()


# -- comparing the three -----------------------------------------------------------------------


def as_polars(result) -> pl.DataFrame:
    """Any engine's result in one shape, sorted the same way, for an exact comparison."""
    if isinstance(result, pd.DataFrame):
        result = pl.from_pandas(result)
    elif isinstance(result, pa.Table):
        result = pl.from_arrow(result)
    return result.select(
        pl.col("year").cast(pl.Int64), pl.col("initiative_id"), pl.col("initiative_title"), pl.col("region"),
        pl.col("amount").cast(pl.Decimal(38, 6)),
    ).sort("year", "initiative_id", "region", "initiative_title")
