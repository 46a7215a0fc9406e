"""The ledger core at national scale: validation, writing, and the breakdown report.

    python bench/ledger_bench.py                       # 1,000,000 lines; 100,000 into PostgreSQL
    python bench/ledger_bench.py --lines 200000 --postgres-lines 20000 --repeats 3

A synthetic ledger (`bench/synthetic.py`: seeded, valid by construction) is generated, then:

* validation: `ledger.rules.check` over the whole ledger, every rule (parent/child sums too);
* SQLite: `ledger.store.commit` of the whole ledger into a fresh database file, the way an
  import writes (the rules run again inside the commit, then the rows are written, then the
  snapshot of the ledger it leaves);
* SQLite reads: the ledger read back from its rows (the first read of a revision, which keeps
  a snapshot of it), from the snapshot, and with the report engine's atoms kept beside it
  (`tracker.loading`);
* breakdown year x initiative x region (appropriations, depth 1, to the ledger's last year):
  `tracker.reports.breakdown` as the first report on a ledger loaded with its kept atoms, as
  the first report on a ledger with none kept (making the atoms of every kind, which the
  engine then keeps) and as every later report (from the kept atoms); the same
  report in pandas and in DuckDB on the same data, from the lines and from atoms made
  beforehand, all checked to give the identical table, and the ratios;
* PostgreSQL: `commit` of a second synthetic ledger into a private server started from the
  Debian binaries, listening on a Unix socket in a temporary folder only.

Each figure is the best of several runs after a warm-up run. Results are printed and written
to bench/out/ledger_bench.json. Targets (issue 3): validation of 1M lines < 1 s; breakdown
< 0.25 s and no slower than 2x DuckDB.
"""

from __future__ import annotations

import argparse
import gc
import glob
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from bench import breakdown_engines as engines  # noqa: E402
from bench.synthetic import LAST, describe, generate  # noqa: E402
from ledger import models, rules, store  # noqa: E402
from ledger.changes import diff  # noqa: E402
from tracker import loading, services  # noqa: E402
from ledger.domain import KINDS as KIND_NAMES  # noqa: E402
from tracker.reports import Filters, breakdown, prepare  # noqa: E402

OUT = ROOT / "bench" / "out"
BY = ["year", "initiative", "region"]
KINDS = ("appropriation",)
ALL_KINDS = tuple(KIND_NAMES)


def timed(fn, repeats: int, warmup: int = 1):
    """Best and every time of `repeats` runs after `warmup` runs, the CPU time of each run
    (all threads), and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times, cpu = [], []
    for _ in range(repeats):
        start, used = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    return min(times), times, cpu, result


# -- writing -----------------------------------------------------------------------------------


def commit_into(url: str, ledger, reads: int = 0) -> dict:
    """Commit the whole ledger into the empty database at `url`; seconds for the commit and
    for the rules inside it, then for reading it back: from its rows (the first read, which
    then keeps a snapshot) and, `reads` times, from the snapshot and with the kept atoms."""
    engine = services.open_ledger(url)
    try:
        store.put_reference_data(engine, regions=ledger.regions)
        changes = diff(store.load(engine), ledger.tables())
        spent = {}
        check = store.check

        def counted(proposed):
            start = time.perf_counter()
            found = check(proposed)
            spent["rules"] = time.perf_counter() - start
            return found

        store.check = counted
        try:
            start = time.perf_counter()
            store.commit(engine, changes, author="bench", action="import", reason="benchmark")
            spent["commit"] = time.perf_counter() - start
        finally:
            store.check = check
        # the commit kept a snapshot of what it wrote; without it, a read goes to the rows
        with engine.begin() as connection:
            connection.execute(models.Snapshot.__table__.delete())
        start = time.perf_counter()
        back = store.load(engine)
        spent["load"] = time.perf_counter() - start
        assert back.lines.height == ledger.lines.height
        if reads:
            spent.update(snapshot_reads(engine, ledger, reads))
        return spent
    finally:
        engine.dispose()


def snapshot_reads(engine, ledger, repeats: int) -> dict:
    """What a process that opens the ledger meets once someone has read this revision: the
    ledger from its snapshot; the atoms made and kept (once per revision); then the ledger with
    its kept atoms, and the first report on it (each run a new `Ledger` object)."""
    filters = Filters(kinds=KINDS, until=LAST)
    snapshot = timed(lambda: store.load(engine), repeats)
    start = time.perf_counter()
    made = loading.load(engine)
    atoms_kept = time.perf_counter() - start
    reference = breakdown(made, BY, filters)
    del made
    loads, firsts, first_cpu = [], [], []
    for _ in range(repeats + 1):  # the first run warms up
        gc.collect()
        start = time.perf_counter()
        loaded = loading.load(engine)
        loads.append(time.perf_counter() - start)
        start, used = time.perf_counter(), time.process_time()
        first = breakdown(loaded, BY, filters)
        firsts.append(time.perf_counter() - start)
        first_cpu.append(time.process_time() - used)
        assert first.equals(reference) and loaded.lines.height == ledger.lines.height
        del loaded
    return {
        "load_snapshot": snapshot[0], "load_snapshot_runs": snapshot[1],
        "atoms_made_and_kept": atoms_kept,
        "load_with_atoms": min(loads[1:]), "load_with_atoms_runs": loads[1:],
        "first_report": {"best_s": min(firsts[1:]), "runs": firsts[1:], "cpu_s": first_cpu[1:]},
    }


def best_commit(make_url, ledger, repeats: int, reads: int = 0) -> dict:
    runs = [commit_into(make_url(), ledger, reads if number == 0 else 0) for number in range(repeats)]
    best = min(runs, key=lambda r: r["commit"])
    return {**runs[0], **best, "runs": [r["commit"] for r in runs]}


@contextmanager
def postgres():
    """A throwaway PostgreSQL server on a Unix socket (no network address), as the tests do."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries (Debian package postgresql) are not installed")
    bindir = Path(found[-1]).parent
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="ledger-bench-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    pg_ctl = [*as_postgres, str(bindir / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run([*as_postgres, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "tracker",
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
        subprocess.run([*pg_ctl, "-w", "-l", str(base / "log"), "-o", f"-c listen_addresses='' -k {sock}", "start"],
                       check=True, capture_output=True)
        admin = sa.create_engine(f"postgresql+psycopg://tracker@/postgres?host={sock}", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            version = connection.execute(sa.text("SHOW server_version")).scalar()

        def fresh() -> str:
            name = "bench_" + uuid.uuid4().hex[:10]
            with admin.connect() as connection:
                connection.execute(sa.text(f"CREATE DATABASE {name}"))
            return f"postgresql+psycopg://tracker@/{name}?host={sock}"

        yield fresh, version
        admin.dispose()
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


# -- the run -----------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        memory = next(line.split(":", 1)[1].strip() for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        pass
    import duckdb
    import pandas

    return {
        "cores": os.cpu_count(), "cpu": model, "memory": memory, "system": platform.platform(),
        "python": platform.python_version(), "polars": pl.__version__, "pandas": pandas.__version__,
        "duckdb": duckdb.__version__, "sqlalchemy": sa.__version__,
    }


def cpu_pressure() -> float | None:
    """Share of the last 60 s in which some task waited for a CPU (Linux PSI), in per cent:
    other work on the machine, which slows every figure here."""
    try:
        line = open("/proc/pressure/cpu").readline()
        return float(line.split("avg60=")[1].split()[0])
    except (OSError, IndexError, ValueError):
        return None


def run(args) -> dict:
    results: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
                     "load_before": os.getloadavg(), "cpu_pressure_before": cpu_pressure(), "args": vars(args)}
    print(f"generating {args.lines:,} lines (seed {args.seed}) ...", flush=True)
    start = time.perf_counter()
    ledger = generate(args.lines, seed=args.seed)
    results["generate_s"] = time.perf_counter() - start
    results["ledger"] = describe(ledger)
    print(f"  {results['generate_s']:.1f} s: {json.dumps(results['ledger'])}", flush=True)

    print("validation ...", flush=True)
    best, times, cpu, found = timed(lambda: rules.check(ledger), args.repeats)
    assert found == [], f"the synthetic ledger breaks rules: {found[:3]}"
    results["validation"] = {"best_s": best, "runs": times, "cpu_s": cpu, "violations": len(found)}

    print("SQLite: commit ...", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    try:
        files = iter(range(1_000))
        results["sqlite"] = best_commit(
            lambda: f"sqlite:///{folder / f'bench{next(files)}.sqlite'}", ledger, args.write_repeats, args.repeats
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    if args.postgres_lines:
        print(f"PostgreSQL: commit of {args.postgres_lines:,} lines ...", flush=True)
        smaller = generate(args.postgres_lines, seed=args.seed)
        try:
            with postgres() as (fresh, version):
                results["postgres"] = {**best_commit(fresh, smaller, args.write_repeats), "lines": smaller.lines.height,
                                       "server": version}
        except (RuntimeError, subprocess.CalledProcessError) as error:
            results["postgres"] = {"skipped": str(error)}
    gc.collect()

    print("breakdown: polars, pandas and DuckDB, in turn ...", flush=True)
    # The engines take turns, run by run, so that other work on the machine weighs on all
    # three alike; pandas, at seconds a run, runs at most three times.
    #
    # The report engine makes a ledger's atoms (every kind) once and keeps them while the ledger
    # lives. "breakdown" is the first report on a ledger: each run gets a new `Ledger` object
    # (the same frames), so it makes the atoms again. "group" is every later report: from the
    # kept atoms in polars, and from atoms made beforehand (every kind) in pandas and DuckDB.
    filters = Filters(kinds=KINDS, until=LAST)
    tables = engines.pandas_tables(ledger)
    con = engines.duckdb_connection(ledger)
    prepare(ledger, LAST)
    given = {"pandas": engines.pandas_atoms(tables, LAST, ALL_KINDS)}
    engines.duckdb_atoms_table(con, LAST, ALL_KINDS)
    steps = {
        "breakdown": {
            "polars": lambda: breakdown(replace(ledger), BY, filters),
            "pandas": lambda: engines.pandas_breakdown(tables, LAST, KINDS),
            "duckdb": lambda: engines.duckdb_breakdown(con, LAST, KINDS),
        },
        "atoms": {
            "polars": lambda: prepare(replace(ledger), LAST),
            "pandas": lambda: engines.pandas_atoms(tables, LAST, ALL_KINDS),
            "duckdb": lambda: engines.duckdb_atoms_table(con, LAST, ALL_KINDS, name="atoms_timed"),
        },
        "group": {
            "polars": lambda: breakdown(ledger, BY, filters),
            "pandas": lambda: engines.pandas_breakdown(tables, LAST, KINDS, atoms=given["pandas"]),
            "duckdb": lambda: engines.duckdb_breakdown(con, LAST, KINDS, atoms_table="atoms_given"),
        },
    }
    outputs = {}
    for step, calls in steps.items():
        times = {engine: [] for engine in calls}
        cpu = {engine: [] for engine in calls}
        for engine, call in calls.items():  # warm-up
            outputs[(step, engine)] = call()
        for run_number in range(args.repeats):
            for engine, call in calls.items():
                if engine == "pandas" and run_number >= 3:
                    continue
                start, used = time.perf_counter(), time.process_time()
                outputs[(step, engine)] = call()
                times[engine].append(time.perf_counter() - start)
                cpu[engine].append(time.process_time() - used)
        for engine, runs in times.items():
            results[f"{step}_{engine}"] = {"best_s": min(runs), "runs": runs, "cpu_s": cpu[engine]}
    results["atoms_polars"]["rows"] = sum(part.height for part in outputs[("atoms", "polars")].by_kind.values())
    polars_result = outputs[("breakdown", "polars")]
    results["breakdown_polars"]["rows"] = polars_result.height
    from_atoms, pandas_result, pandas_from_atoms, duckdb_result, duckdb_from_atoms = (
        outputs[("group", "polars")], outputs[("breakdown", "pandas")], outputs[("group", "pandas")],
        outputs[("breakdown", "duckdb")], outputs[("group", "duckdb")],
    )
    con.close()
    del tables, given

    reference = engines.as_polars(polars_result)
    others = {"polars, later report": from_atoms, "pandas": pandas_result, "pandas from atoms": pandas_from_atoms,
              "DuckDB": duckdb_result, "DuckDB from atoms": duckdb_from_atoms}
    for name, other in others.items():
        assert engines.as_polars(other).equals(reference), f"{name} differs from the polars breakdown"
    results["identical"] = {"rows": reference.height, "total": str(reference["amount"].sum())}
    for step in ("breakdown", "group", "atoms"):
        ours = results[f"{step}_polars"]["best_s"]
        results[f"{step}_ratios"] = {
            "polars_over_duckdb": ours / results[f"{step}_duckdb"]["best_s"],
            "polars_over_pandas": ours / results[f"{step}_pandas"]["best_s"],
        }

    results["load_after"] = os.getloadavg()
    results["cpu_pressure_after"] = cpu_pressure()
    return results


def report(r: dict) -> str:
    lines_ = r["ledger"]["lines"]

    def s(x: float) -> str:
        return f"{x:.3f} s"

    def c(name: str | dict) -> str:
        """CPU seconds (all threads) of the best run: what the work costs, apart from waiting
        for a core other work holds."""
        figure = r[name] if isinstance(name, str) else name
        return f"{figure['cpu_s'][figure['runs'].index(figure['best_s'])]:.2f}"

    v, b = r["validation"]["best_s"], r["breakdown_polars"]["best_s"]
    g = r["group_polars"]["best_s"]
    f = r["sqlite"]["first_report"]["best_s"]
    at_scale = lines_ >= 1_000_000  # the targets are for a million lines

    def verdict(ok: bool) -> str:
        return ("met" if ok else "missed") if at_scale else "(at 1M)"

    ratio = "{:.2f}".format
    rows = [
        ("validation: rules.check, every rule", s(v), c("validation"), "< 1 s", verdict(v < 1)),
        ("SQLite: commit (rules + write)", s(r["sqlite"]["commit"]), "", "", ""),
        ("  of which the rules", s(r["sqlite"]["rules"]), "", "", ""),
        ("SQLite: load back from the rows (then a snapshot is kept)", s(r["sqlite"]["load"]), "", "", ""),
        ("SQLite: load back from the snapshot", s(r["sqlite"]["load_snapshot"]), "", "", ""),
        ("  atoms made and kept with the snapshot (once a revision)", s(r["sqlite"]["atoms_made_and_kept"]), "", "", ""),
        ("  load back with the kept atoms", s(r["sqlite"]["load_with_atoms"]), "", "", ""),
        ("breakdown, polars: first report on a loaded ledger", s(f), c(r["sqlite"]["first_report"]), "< 0.25 s", verdict(f < 0.25)),
        ("breakdown, polars: first report, atoms made (none kept)", s(b), c("breakdown_polars"), "", ""),
        ("breakdown, DuckDB", s(r["breakdown_duckdb"]["best_s"]), c("breakdown_duckdb"), "", ""),
        ("breakdown, pandas", s(r["breakdown_pandas"]["best_s"]), c("breakdown_pandas"), "", ""),
        ("  polars / DuckDB", ratio(r["breakdown_ratios"]["polars_over_duckdb"]), "", "<= 2",
         verdict(r["breakdown_ratios"]["polars_over_duckdb"] <= 2)),
        ("  polars / pandas", ratio(r["breakdown_ratios"]["polars_over_pandas"]), "", "", ""),
        ("atoms of every kind, polars (prepare)", s(r["atoms_polars"]["best_s"]), c("atoms_polars"), "", ""),
        ("atoms of every kind, DuckDB", s(r["atoms_duckdb"]["best_s"]), c("atoms_duckdb"), "", ""),
        ("atoms of every kind, pandas", s(r["atoms_pandas"]["best_s"]), c("atoms_pandas"), "", ""),
        ("breakdown, polars: every later report", s(g), c("group_polars"), "< 0.25 s", verdict(g < 0.25)),
        ("breakdown from atoms made before, DuckDB", s(r["group_duckdb"]["best_s"]), c("group_duckdb"), "", ""),
        ("breakdown from atoms made before, pandas", s(r["group_pandas"]["best_s"]), c("group_pandas"), "", ""),
        ("  polars / DuckDB", ratio(r["group_ratios"]["polars_over_duckdb"]), "", "<= 2",
         verdict(r["group_ratios"]["polars_over_duckdb"] <= 2)),
        ("  polars / pandas", ratio(r["group_ratios"]["polars_over_pandas"]), "", "", ""),
    ]
    pg = r.get("postgres")
    if pg and "skipped" not in pg:
        rows += [
            (f"PostgreSQL {pg['server']}: commit of {pg['lines']:,} lines", s(pg["commit"]), "", "", ""),
            ("  of which the rules", s(pg["rules"]), "", "", ""),
            ("PostgreSQL: load back", s(pg["load"]), "", "", ""),
        ]
    elif pg:
        rows.append(("PostgreSQL", "skipped: " + pg["skipped"], "", "", ""))
    width = max(len(row[0]) for row in rows)
    m = r["machine"]
    head = [
        f"Ledger core, {lines_:,} lines ({r['ledger']['agreements']:,} agreements, "
        f"{r['ledger']['initiatives']:,} initiatives, {r['ledger']['line_years']:,} line-years)",
        f"{m['cores']} cores, {m['cpu']}; polars {m['polars']}, DuckDB {m['duckdb']}, pandas {m['pandas']}; "
        f"load average {r['load_before'][0]:.1f} before, {r['load_after'][0]:.1f} after; "
        f"CPU pressure {r['cpu_pressure_before']}% before, {r['cpu_pressure_after']}% after",
        f"breakdown: {r['identical']['rows']:,} rows, identical in all three engines (total {r['identical']['total']})",
        "",
        f"{'measure':{width}}  {'best':>10}  {'cpu s':>6}  {'target':>8}",
    ]
    body = [f"{a:{width}}  {b_:>10}  {cpu:>6}  {t:>8}  {d}".rstrip() for a, b_, cpu, t, d in rows]
    return "\n".join(head + body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--postgres-lines", type=int, default=100_000, help="0 to leave PostgreSQL out")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of validation and breakdown")
    parser.add_argument("--write-repeats", type=int, default=2, help="timed commits into fresh databases")
    parser.add_argument("--seed", type=int, default=20231)
    args = parser.parse_args()
    results = run(args)
    text = report(results)
    print()
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "ledger_bench.json").write_text(json.dumps(results, indent=2, default=str))
    (OUT / "ledger_bench.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
