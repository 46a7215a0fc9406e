"""Nothing is lost: concurrent editors and killed imports (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from decimal import Decimal

import polars as pl

from ledger import store
from ledger.changes import diff
from ledger.db import engine_for
from ledger.writers import write_interchange

from .builders import with_amount


def _edit(engine, amount: str, author: str, seen, barrier, outcome):
    line = with_amount(seen.lines.filter(pl.col("initiative_id") == "foedeomraadet"), amount)
    barrier.wait()
    try:
        store.commit(engine, diff(seen, {"lines": line}), author=author, action="correct", reason=f"{author} edits")
        outcome[author] = "written"
    except store.Conflict as conflict:
        outcome[author] = str(conflict)


def test_two_editors_at_once_one_writes_the_other_is_told(seeded, database_url):
    engines = {"anna": engine_for(database_url), "bo": engine_for(database_url)}
    seen = {name: store.load(e) for name, e in engines.items()}
    barrier, outcome = threading.Barrier(2), {}
    threads = [
        threading.Thread(target=_edit, args=(engines[name], amount, name, seen[name], barrier, outcome))
        for name, amount in (("anna", "70"), ("bo", "71"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcome.values(), key=len)[0] == "written"
    winner = next(n for n, o in outcome.items() if o == "written")
    loser = next(n for n in outcome if n != winner)
    assert f"written by {winner}" in outcome[loser] and f"({winner} edits)" in outcome[loser]
    final = store.load(seeded).lines.filter(pl.col("initiative_id") == "foedeomraadet")
    assert final["amount"].item() == Decimal("70" if winner == "anna" else "71")
    assert final["version"].item() == 2
    for e in engines.values():
        e.dispose()


def test_an_import_killed_half_way_leaves_the_ledger_as_it_was(seeded, database_url, tmp_path):
    before = store.load(seeded)
    journal_before = store.journal(seeded)
    # a file that corrects a line and adds a hundred
    path = tmp_path / "big.csv"
    write_interchange(before, path)
    text = path.read_text(encoding="utf-8")
    rows = [text.replace(",68.2,", ",69,")]
    rows += [f"personlig-medicin,,personlig-medicin,,,{2000 + i % 100},,Hele landet,1,forventet,,s001-persmed,,nr {i}\n"
             for i in range(100)]
    path.write_text("".join(rows), encoding="utf-8")
    env = {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_PAUSE_BEFORE_COMMIT": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "import", str(path), "--reason", "killed"],
                            env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        for message in proc.stderr:  # wait until everything is written but not committed
            if "written, not committed" in message:
                break
        else:
            raise AssertionError(f"the import ended before the pause: {proc.wait()} {proc.stdout.read()}")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    after = store.load(seeded)
    assert after.lines.equals(before.lines)
    assert store.journal(seeded).equals(journal_before)
