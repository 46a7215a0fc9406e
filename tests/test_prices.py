"""Price levels: exact factors, one documented rounding, round trips, and lines without a level."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import polars as pl
import pytest

from ledger import store
from ledger.readers import read_seeds
from tracker.negotiation import build
from ledger.store import ReasonRequired
from tracker.prices import PriceIndex, PriceIndexError, convert_ledger, load_index, set_rise
from tracker.reports import Filters
from tracker.services import SEEDS

from .builders import ledger, line

SEEDS_READ = read_seeds(SEEDS)
INDEX = PriceIndex.from_frame(SEEDS_READ.price_index)  # 2022 4,3 · 2023 2,5 · 2024 4,0 · 2025 2,8
D = Decimal


def test_the_seeded_index_is_cited():
    assert INDEX.rises == {2022: D("4.3"), 2023: D("2.5"), 2024: D("4.0"), 2025: D("2.8")}
    assert all("Finansministeriet" in INDEX.sources[y] for y in INDEX.rises)


def test_2024_pl_to_2025_pl_multiplies_by_1_028_and_factors_are_exact_products():
    assert INDEX.factor(2024, 2025) == D("1.028")
    assert INDEX.convert(D("100"), 2024, 2025) == D("102.8")
    assert INDEX.growth(2021, 2025) == D("1.043") * D("1.025") * D("1.040") * D("1.028")
    assert INDEX.convert(D("60.45"), 2023, 2025) == D("64.628304")  # 60,45 * 1,04 * 1,028 exactly
    assert INDEX.convert(D("102.8"), 2025, 2024) == D("100")
    assert INDEX.convert(D("7.5"), 2025, 2025) == D("7.5")


def test_converted_amounts_are_rounded_once_half_to_even_to_whole_kroner():
    half = PriceIndex({2026: D("50")}, {})  # factor 1,5: puts amounts exactly on half a krone
    assert half.convert(D("0.000001"), 2025, 2026) == D("0.000002")  # 1,5 kr. -> 2 kr. (to even)
    assert half.convert(D("0.000003"), 2025, 2026) == D("0.000004")  # 4,5 kr. -> 4 kr. (to even)
    assert half.convert(D("0.000005"), 2025, 2026) == D("0.000008")  # 7,5 kr. -> 8 kr.
    assert INDEX.convert(D("1"), 2025, 2022) == D("0.912535")  # 1 / (1,025 * 1,04 * 1,028) = 0,9125353..., rounded


def test_round_trip_to_a_later_level_and_back_is_exact():
    rng = random.Random(2026)
    amounts = [D(rng.randrange(0, 10**12)) / 10**6 for _ in range(400)] + [D("0.000001"), D("60.45"), D("111")]
    for a in range(2021, 2026):
        for b in range(a, 2026):
            for x in amounts:
                assert INDEX.convert(INDEX.convert(x, a, b), b, a) == x, (x, a, b)


def test_round_trip_to_an_earlier_level_and_back_is_within_one_krone():
    rng = random.Random(7)
    amounts = [D(rng.randrange(0, 10**12)) / 10**6 for _ in range(400)]
    for a in range(2022, 2026):
        for b in range(2021, a):
            for x in amounts:
                back = INDEX.convert(INDEX.convert(x, a, b), b, a)
                assert abs(back - x) <= D("0.000001"), (x, a, b)


def test_a_missing_year_is_a_clear_error():
    with pytest.raises(PriceIndexError) as refused:
        INDEX.convert(D("1"), 2025, 2026)
    message = str(refused.value)
    assert "2025-pl to 2026-pl" in message and "no rise for 2026" in message and "2022–2025" in message
    assert "tracker price-index set" in message
    with pytest.raises(PriceIndexError, match="no rise for 2020, 2021"):
        INDEX.factor(2019, 2023)


def test_lines_with_a_level_are_converted_lines_without_are_kept_and_flagged():
    led = ledger([
        line("frame", 2025, 100, price_level=2024),
        line("child", 2025, 40, price_level=2025),
        line("frame", 2026, 50),  # no price level
    ])
    conversion = convert_ledger(led, INDEX, 2025)
    amounts = dict(conversion.ledger.lines.select("id", "amount").iter_rows())
    assert amounts == {1: D("102.8"), 2: D("40"), 3: D("50")}
    assert conversion.ledger.lines["price_level"].to_list() == [2025, 2025, None]
    assert conversion.unconverted["id"].to_list() == [3]
    assert conversion.converted == 1
    part = conversion.unconverted_part().lines
    assert dict(part.select("id", "amount").iter_rows()) == {1: 0, 2: 0, 3: D("50")}


def test_no_price_level_is_invented_for_the_seeded_lines():
    seeded = SEEDS_READ.ledger
    assert seeded.lines["price_level"].null_count() == seeded.lines.height
    conversion = convert_ledger(seeded, INDEX, 2025)
    assert conversion.unconverted.height == seeded.lines.height
    assert conversion.ledger.lines["amount"].to_list() == seeded.lines["amount"].to_list()


def test_a_report_in_a_target_level_says_how_much_of_each_figure_is_not_converted():
    led = ledger([line("frame", 2025, 100, price_level=2024), line("frame", 2026, 50),
                  line("child", 2026, 10, price_level=2024)])
    ws = build(led, INDEX, target=2025, since=2025, until=2026)
    rows = {r["year"]: r for r in ws.breakdown(["year"], Filters(until=2026)).iter_rows(named=True)}
    assert rows[2025]["amount"] == D("102.8") and rows[2025]["not_converted"] == 0
    # 2026: the frame's 50 is as given, its child's 10 (2024-pl) is 10,28 in 2025-pl; the frame holds the child
    assert rows[2026]["amount"] == D("50") and rows[2026]["not_converted"] == D("39.72") + D("10.28")
    frames = ws.view("frames")
    assert frames.filter(pl.col("year") == 2026)["not_converted"].item() is True
    assert frames.filter(pl.col("year") == 2025)["not_converted"].item() is False


def test_the_index_in_the_database_is_editable_with_a_source_and_journalled(seeded):
    index = load_index(seeded)
    assert index.rises == INDEX.rises and index.sources == INDEX.sources
    with pytest.raises(ValueError, match="needs its source"):
        set_rise(seeded, 2026, D("2.9"), "  ", author="admin")
    set_rise(seeded, 2026, D("2.9"), "Finansministeriet, ØA 2027 (eksempel)", author="admin")
    with pytest.raises(ReasonRequired, match="a correction needs a note"):  # and nothing is written
        set_rise(seeded, 2026, D("3.1"), "Finansministeriet, rettet", author="admin", note="  ")
    assert load_index(seeded).rises[2026] == D("2.9")
    assert store.journal(seeded).filter(pl.col("action") == "price-index").height == 1
    set_rise(seeded, 2026, D("3.1"), "Finansministeriet, rettet", author="admin", note="ØA 2027 rettet")
    assert load_index(seeded).rises[2026] == D("3.1")
    assert load_index(seeded).convert(D("100"), 2025, 2026) == D("103.1")
    entries = store.journal(seeded).filter(pl.col("action") == "price-index")
    assert entries["author"].to_list() == ["admin", "admin"]
    last = json.loads(entries["summary"][-1])["price_index"]
    assert last["before"] == {"rise_pct": "2.9", "source": "Finansministeriet, ØA 2027 (eksempel)"}
    assert last["after"]["rise_pct"] == "3.1"


def test_cli_report_in_a_price_level_flags_every_seeded_line(cli):
    cli("init")
    result = cli("report", "--by", "year", "--since", "2025", "--until", "2025", "--price-level", "2025",
                 "--format", "csv")
    assert result.stdout.splitlines() == ["year,amount_mio_dkk,not_converted_mio_dkk", "2025,880.7,880.7"]
    assert "24 line(s) have no price level" in result.stderr and "not converted to 2025-pl" in result.stderr


def test_cli_price_level_outside_the_index_fails_clearly_and_an_admin_can_add_the_year(cli):
    cli("init")
    refused = cli("report", "--price-level", "2026", code=1)
    assert "no rise for 2026" in refused.output
    out = cli("price-index", "set", "2026", "2,9", "--source", "Finansministeriet (eksempel)").output
    assert "2026: 2.9 % (Finansministeriet (eksempel)); new year" in out
    assert "2026,2.9,Finansministeriet (eksempel)" in cli("price-index", "list", "--format", "csv").output
    cli("report", "--price-level", "2026")
    assert "source" in cli("price-index", "set", "2027", "3", code=2).output


def test_cli_export_in_a_price_level(cli, tmp_path):
    cli("init")
    out = tmp_path / "ledger.csv"
    result = cli("export", str(out), "--price-level", "2025")
    assert "24 line(s) have no price level" in result.stderr
    assert ",68.2," in out.read_text(encoding="utf-8")  # kept as given
