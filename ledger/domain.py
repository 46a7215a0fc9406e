"""Fixed vocabularies of the ledger: codes in English, labels in Danish and English."""

from __future__ import annotations

NATIONAL = "hele-landet"

# Allocation-line kinds. Only appropriations are decided money; the rest are shown apart.
KINDS: dict[str, dict[str, str]] = {
    "appropriation": {"da": "bevilling", "en": "appropriation"},
    "expected": {"da": "forventet", "en": "expected"},
    "estimate": {"da": "skøn", "en": "estimate"},
    "proposal": {"da": "forslag", "en": "proposal"},
    "savings": {"da": "besparelse", "en": "savings"},
}
KIND_ALIASES: dict[str, str] = {
    **{code: code for code in KINDS},
    **{labels["da"]: code for code, labels in KINDS.items()},
    "afsat": "appropriation",
    "skon": "estimate",
    "beregning": "estimate",
    "potentiale": "savings",
    "savings potential": "savings",
}

CLASSIFICATIONS: dict[str, dict[str, str]] = {
    "public": {"da": "offentlig", "en": "public"},
    "confidential": {"da": "fortrolig", "en": "confidential"},
}
CLASSIFICATION_ALIASES: dict[str, str] = {
    **{code: code for code in CLASSIFICATIONS},
    **{labels["da"]: code for code, labels in CLASSIFICATIONS.items()},
}
# Higher rank = more confidential.
CLASSIFICATION_RANK = {"public": 0, "confidential": 1}

STATUSES: dict[str, dict[str, str]] = {
    "agreed": {"da": "indgået", "en": "agreed"},
    "expected": {"da": "forventet", "en": "expected"},
    "proposed": {"da": "forslag", "en": "proposed"},
}
STATUS_ALIASES: dict[str, str] = {
    **{code: code for code in STATUSES},
    **{labels["da"]: code for code, labels in STATUSES.items()},
}

AGREEMENT_KINDS: tuple[str, ...] = (
    "sundhedspakke",
    "kræftplan",
    "strategi",
    "politisk aftale",
    "udmøntningsaftale",
    "økonomiaftale",
    "finanslov",
    "anbefaling",
    "forslag",
    "beregning",
    "anden",
)

YEAR_MIN, YEAR_MAX = 2000, 2100
PERMANENT_WORDS = ("varigt", "permanent", "fra og med", "og frem")


def label(vocabulary: dict[str, dict[str, str]], code: str | None, lang: str = "da") -> str:
    """The user-facing label of a code, or the code itself when it is unknown."""
    if code is None:
        return ""
    return vocabulary.get(code, {}).get(lang, code)
