"""The layers stay apart, and every message is there in both languages with the same blanks."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from ledger.rules import RULES
from tracker.i18n import STRINGS

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "ledger").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_ledger_knows_nothing_of_the_tracker_or_the_app(path):
    forbidden = {"tracker", "streamlit", "altair"}
    wrong = sorted(m for m in _imports(path) if m.split(".")[0] in forbidden)
    assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def _blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _catalogue_rows():
    for key, pair in STRINGS.items():
        yield f"i18n:{key}", pair[0], pair[1]  # (da, en)
    for code, pair in RULES.items():
        yield f"rules:{code}", pair[1], pair[0]  # (en, da) there


def test_every_message_has_both_languages_with_the_same_placeholders():
    wrong = [
        f"{name}: {_blanks(danish)} against {_blanks(english)}" if danish.strip() and english.strip()
        else f"{name} lacks a language"
        for name, danish, english in _catalogue_rows()
        if not (danish.strip() and english.strip()) or _blanks(danish) != _blanks(english)
    ]
    assert not wrong, "\n".join(wrong)
