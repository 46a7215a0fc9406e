"""The interchange format: read, validate all or nothing, write back exactly."""

from __future__ import annotations

import polars as pl
import pytest

from ledger import store
from ledger.imports import plan_file
from ledger.readers import FormatError, read_interchange
from ledger.writers import interchange, write_interchange

HEADER = ("agreement_id,agreement_title,initiative_id,initiative_title,parent_initiative_id,year_from,year_to,"
          "region,amount_mio_dkk,kind,price_level,source,classification,note\n")


def write(tmp_path, text: str, name="in.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_export_then_import_changes_nothing(seeded, tmp_path):
    current = store.load(seeded)
    for name in ("out.csv", "out.xlsx"):
        write_interchange(current, tmp_path / name)
        result = plan_file(current, tmp_path / name)
        assert result.ok, [v.as_text() for v in result.violations]
        assert result.changes.is_empty()
        assert result.changes.unchanged["lines"] == current.lines.height


def test_the_export_has_the_interchange_columns_and_exact_amounts(seeded):
    frame = interchange(store.load(seeded))
    assert frame.columns[:3] == ["agreement_id", "agreement_title", "initiative_id"]
    akut = frame.filter(pl.col("initiative_id") == "akutpsykiatri").select("year_from", "year_to", "amount_mio_dkk")
    assert akut.rows() == [("2025", "", "112.5"), ("2026", "varigt", "150")]


def test_a_file_with_many_errors_is_refused_whole_and_names_each_row_and_value(seeded, tmp_path):
    before = store.load(seeded)
    ok = "personlig-medicin,,personlig-medicin,,,{year},,{region},{amount},{kind},,s001-persmed,,\n"
    path = write(tmp_path, HEADER
        + ok.format(year=2025, region="Hele landet", amount="30", kind="forventet")
        + ok.format(year=2026, region="Hele landet", amount="12 mio", kind="forventet")
        + ok.format(year="20x5", region="Hele landet", amount="1", kind="forventet")
        + ok.format(year=2027, region="Bornholm", amount="1", kind="forventet")
        + ok.format(year=2028, region="Hele landet", amount="1", kind="gave")
        + "nyt,,ukendt-initiativ,,,2025,,Hele landet,1,bevilling,,s001-persmed,,\n"
        + ok.format(year=2029, region="Hele landet", amount="-3", kind="forventet"))
    result = plan_file(before, path)
    assert not result.ok
    got = [(v.row, v.field, v.value, v.rule) for v in result.violations]
    assert got == [
        (3, "amount_mio_dkk", "12 mio", "amount_format"),
        (4, "year_from", "20x5", "year_format"),
        (5, "region", "bornholm", "region_known"),
        (6, "kind", "gave", "kind_known"),
        (7, "initiative_id", "ukendt-initiativ", "initiative_known"),
        (8, "amount_mio_dkk", "-3", "amount_non_negative"),
    ]
    assert "række 3" in result.violations[0].as_text("da")


def test_csv_with_bom_semicolons_and_danish_decimals(seeded, tmp_path):
    path = write(tmp_path, HEADER.replace(",", ";")
        + "akutpsykiatri-2025;;akutpsykiatri;;;2025;;hele landet;112,5;Bevilling;;s001-akutpsyk;;Afsat til regionerne\n"
        + "akutpsykiatri-2025;;akutpsykiatri;;;2026;varigt;Hele Landet;150;appropriation;;s001-akutpsyk;;Afsat til regionerne\n",
        encoding="utf-8-sig")
    result = plan_file(store.load(seeded), path)
    assert result.ok, [v.as_text() for v in result.violations]
    assert result.changes.is_empty()


def test_a_changed_amount_is_a_change_and_a_new_row_a_new_line(seeded, tmp_path):
    current = store.load(seeded)
    path = write(tmp_path, HEADER
        + "foedeomraadet,,foedeomraadet,,,2025,varigt,Hele landet,\"1.068,2\",appropriation,2025,s004-foedsel,,\n"
        + "foedeomraadet,,foedeomraadet,,,2025,2026,Region Nordjylland,10,appropriation,,s004-foedsel,,\n")
    result = plan_file(current, path)
    assert result.ok, [v.as_text() for v in result.violations]
    summary = result.changes.summary()["lines"]
    assert (summary["added"], summary["changed"]) == (1, 1)
    changed = result.changes.changed["lines"].row(0, named=True)
    assert str(changed["amount"]) == "1068.200000" and changed["price_level"] == 2025


def test_a_row_may_introduce_an_agreement_and_initiative_by_title(seeded, tmp_path):
    path = write(tmp_path, HEADER
        + "ny-aftale,Ny aftale om hjertesygdomme,hjerte,Hjerteplan,,2026,2027,Hele landet,25,bevilling,2026,"
        + "\"Økonomiaftale 2026, s. 12\",,\n"
        + "ny-aftale,,hjerte-del,Heraf: rehabilitering,hjerte,2026,,Region Midtjylland,5,bevilling,,"
        + "\"Økonomiaftale 2026, s. 12\",fortrolig,\n")
    result = plan_file(store.load(seeded), path)
    assert result.ok, [v.as_text() for v in result.violations]
    s = result.changes.summary()
    assert (s["agreements"]["added"], s["initiatives"]["added"], s["sources"]["added"], s["lines"]["added"]) == (1, 2, 1, 2)
    store.commit(seeded, result.changes, author="test", action="import")
    after = store.load(seeded)
    assert after.initiatives.filter(pl.col("id") == "hjerte-del")["parent_id"].item() == "hjerte"
    assert after.sources.filter(pl.col("document") == "Økonomiaftale 2026, s. 12").height == 1


def test_an_unknown_id_without_a_title_is_an_error(seeded, tmp_path):
    path = write(tmp_path, HEADER + "x,,nyt-initiativ,,,2026,,Hele landet,1,bevilling,,s001-akutpsyk,,\n")
    result = plan_file(store.load(seeded), path)
    assert [(v.row, v.rule) for v in result.violations] == [(2, "initiative_known")]


def test_a_file_without_the_required_columns_is_refused(seeded, tmp_path):
    path = write(tmp_path, "a,b\n1,2\n")
    with pytest.raises(FormatError, match="missing column"):
        read_interchange(path, store.load(seeded))


def test_the_same_line_twice_in_a_file_is_refused(seeded, tmp_path):
    row = "personlig-medicin,,personlig-medicin,,,2025,,Hele landet,30,forventet,,s001-persmed,,\n"
    result = plan_file(store.load(seeded), write(tmp_path, HEADER + row + row))
    assert [(v.row, v.rule) for v in result.violations] == [(3, "line_unique")]
