"""The command line acts as a named user, with the same rules as every other front end."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tracker.cli import app

HEADER = "agreement_id,agreement_title,initiative_id,initiative_title,parent_initiative_id,year_from,year_to,region,amount_mio_dkk,kind,price_level,source,classification,note\n"
SECRET_ROWS = (
    "fortroligt-punkt,Fortroligt punkt 2,hemmelig,Hemmeligt initiativ,,2026,,Hele landet,4711.5,forslag,,"
    "s001-akutpsyk,fortrolig,\n"
)


@pytest.fixture
def users(run, tmp_path):
    run("init")
    secret = tmp_path / "secret.csv"
    secret.write_text(HEADER + SECRET_ROWS, encoding="utf-8")
    run("import", str(secret), "--reason", "fortroligt punkt")  # no users yet: the single administrator
    run("user", "add", "root", "--role", "administrator", input="root password 123\n")
    run("user", "add", "lis", "--role", "læser", "--user", "root", input="lis password 123\n")
    run("user", "add", "frede", "--role", "forhandler", "--user", "root", input="frede password 123\n")
    run("user", "add", "anna", "--role", "økonomi", "--user", "root", input="anna password 123\n")
    return run


def test_users_are_listed_with_their_danish_roles(users):
    out = users("user", "list", "--user", "root")
    assert "anna\tøkonomi\tactive" in out and "lis\tlæser\tactive" in out
    assert "may not list users" in users("user", "list", "--user", "anna", code=1)


def test_once_users_exist_a_command_must_say_who(users):
    assert "say who you are" in users("report", code=1)


def test_a_reader_sees_no_confidential_figure_in_any_output(users, tmp_path):
    for who, visible in (("lis", False), ("frede", True)):
        outputs = [
            users("report", "--by", "year,agreement,initiative", "--kind", "all", "--format", "csv", "--user", who),
            users("report", "--by", "year", "--kind", "all", "--format", "json", "--user", who),
            users("validate", "--user", who),
        ]
        path = tmp_path / f"{who}.csv"
        users("export", str(path), "--user", who)
        outputs.append(path.read_text(encoding="utf-8"))
        text = "\n".join(outputs)
        assert ("4711.5" in text) is visible, who
        assert ("Hemmeligt" in text) is visible, who
        assert ("Fortroligt punkt" in text) is visible, who


def test_a_reader_cannot_import_and_the_refusal_is_journalled(users, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(HEADER + "personlig-medicin,,personlig-medicin,,,2025,,Hele landet,30,forventet,,s001-persmed,,\n",
                    encoding="utf-8")
    assert "may not import files" in users("import", str(path), "--user", "lis", code=1)
    assert "may not import files" in users("import", str(path), "--user", "frede", code=1)
    assert "Imported 1 new" in users("import", str(path), "--user", "anna")
    entries = json.loads(users("journal", "--format", "json", "--user", "frede"))
    assert [e["action"] for e in entries if e["author"] in ("lis", "frede", "anna")][-3:] == ["refused", "refused", "import"]
    assert entries[-1]["author"] == "anna"
    assert "may not read the journal" in users("journal", "--user", "lis", code=1)


def test_roles_can_be_changed_and_users_disabled(users):
    users("user", "set-role", "lis", "forhandler", "--user", "root")
    assert "Fortroligt punkt 2" in users("report", "--by", "agreement", "--kind", "all", "--format", "csv", "--user", "lis")
    users("user", "disable", "lis", "--user", "root")
    assert "no enabled user 'lis'" in users("report", "--user", "lis", code=1)


def test_a_password_is_never_an_argument(users):
    result = CliRunner().invoke(app, ["user", "add", "x", "--role", "læser", "--password", "secret"])
    assert result.exit_code != 0
