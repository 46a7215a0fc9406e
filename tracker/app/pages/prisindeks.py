"""Prisindeks: administrators see the price and wage index (pris- og lønudvikling) and add a year
or correct one, always with its source, and a correction with a note: the change's reason. The same
service as `tracker price-index set` (`tracker.negotiation.set_price_rise_as`), which refuses
anyone but an administrator itself and journals who, when, why and the value before; the page
is offered to administrators only, and stops anyone else who types its address before any form.

Why a page of its own and not a section of Forhandling: see docs/negotiators.md#price-levels.
"""

from __future__ import annotations

import json
from decimal import Decimal

import polars as pl
import streamlit as st

from ledger import access
from ledger.money import parse_amount
from tracker import formatting, history
from tracker.app import data, ui
from tracker.tables import Table

view = ui.current_view()
ui.require("administer", view.lang)  # no form, no figures for anyone below administrator
lang = view.lang
FIELDS = ("pi_aar", "pi_stigning", "pi_kilde", "pi_note")  # the form's widget keys
FIRST, LAST = 2000, 2100  # the years the index takes (tracker.prices.set_rise)

st.title(view.t("page_price_index"))
st.caption(view.t("pi_caption"))
if view.ref.as_of is not None:
    st.info(view.t("past_no_writing"), icon=":material/lock_clock:")
    st.stop()

stored = data.price_index_table(view.ref)  # read afresh after a change: keyed by the ledger's version
by_year = {r["year"]: r for r in stored.iter_rows(named=True)}


def pct(value) -> str:
    """A rise as the language writes it, every decimal it has: 2,8 (da), 2.8 (en)."""
    return formatting.number(Decimal(value), lang)


# --- checking the input (Danish first: each message names the field, the value and the rule) ---


def year_of(text: str) -> tuple[int | None, str | None]:
    text = text.strip()
    if not text:
        return None, view.t("pi_year_missing")
    if not (text.isascii() and text.lstrip("-").isdigit()):
        return None, view.t("pi_year_not_number", value=text)
    year = int(text)
    if not FIRST <= year <= LAST:
        return None, view.t("pi_year_outside", value=text)
    return year, None


def rise_of(text: str) -> tuple[Decimal | None, str | None]:
    text = text.strip()
    if not text:
        return None, view.t("pi_rise_missing")
    rise = parse_amount(text)  # 2,8 or 2.8, as the CLI reads it; None beyond six decimals
    if rise is None:
        return None, view.t("pi_rise_not_number", value=text)
    if rise <= -100:
        return None, view.t("pi_rise_too_low", value=pct(rise))
    return rise, None


def save() -> None:
    """The save button's callback: it runs before the page (and the entry point's ledger
    version) is drawn again, so the table below already shows the change."""
    state = st.session_state
    text = {key: str(state.get(key) or "") for key in FIELDS}
    year, year_error = year_of(text["pi_aar"])
    rise, rise_error = rise_of(text["pi_stigning"])
    source, note = text["pi_kilde"].strip(), text["pi_note"].strip()
    errors = {"pi_aar": year_error, "pi_stigning": rise_error,
              "pi_kilde": None if source else view.t("pi_source_missing")}
    errors = {key: message for key, message in errors.items() if message}
    if errors:
        state["_pi_errors"] = errors  # nothing is written
        return
    old = by_year.get(year)
    if old is not None and (Decimal(old["rise_pct"]), old["source"], old["note"] or "") == (rise, source, note):
        state["_pi_info"] = view.t("pi_unchanged", year=year, rise=pct(rise))
        return
    if old is not None and not note:  # the service's rule, said in the form's words
        state["_pi_errors"] = {"pi_note": view.t("pi_note_missing", year=year, before=pct(Decimal(old["rise_pct"])))}
        return
    try:
        result = data.set_price_rise(year, rise, source, note)
    except (access.Forbidden, ValueError) as refused:  # the service's own checks
        state["_pi_errors"] = {"": view.t("pi_refused", reason=str(refused))}
        return
    change = result["price_index"]
    before = change["before"]
    state["_pi_saved"] = (
        view.t("pi_saved_new", year=year, rise=pct(rise), source=source) if before is None else
        view.t("pi_saved_corrected", year=year, before=pct(before["rise_pct"]), before_source=before["source"] or "–",
               rise=pct(rise), source=source)
    )
    for key in FIELDS:  # a fresh form for the next year
        state.pop(key, None)


# --- the index ---------------------------------------------------------------------------

# what the last click did: shown once (the input it speaks of is gone or changed by the next run)
saved, unchanged = st.session_state.pop("_pi_saved", None), st.session_state.pop("_pi_info", None)
errors = st.session_state.pop("_pi_errors", None) or {}
if saved:
    st.success(saved, icon=":material/check:")
if unchanged:
    st.info(unchanged, icon=":material/info:")

st.subheader(view.t("pi_table"))
if stored.height == 0:
    st.caption(view.t("pi_empty"))
else:
    rise_col = view.t("pi_col_rise")
    frame = stored.select(
        pl.col("year").cast(pl.String).alias(view.t("pi_col_year")), pl.col("rise_pct").alias(rise_col),
        pl.col("source").fill_null("").alias(view.t("pi_col_source")),
        pl.col("note").fill_null("").alias(view.t("pi_col_note")),
    )
    # one decimal always (4,0), more where a figure has them (2,85): every figure exact
    shown = max([1, *(-int(r.normalize().as_tuple().exponent) for r in stored["rise_pct"])])
    ui.show_table(Table(frame, (rise_col,), decimals=shown), view, key="price_index",
                  name=view.t("page_price_index"))

# --- adding or correcting a year --------------------------------------------------------------

st.subheader(view.t("pi_form"))
top = st.container()
left, right = st.columns(2)
with left:
    year_text = st.text_input(view.t("pi_year"), key="pi_aar", help=view.t("pi_year_help"),
                              placeholder=str(max(by_year) + 1 if by_year else data.today().year))
    if errors.get("pi_aar"):
        st.error(errors["pi_aar"], icon=":material/error:")
    else:
        typed = year_of(year_text)[0] if year_text.strip() else None
        if typed is not None and typed in by_year:  # the value before, as the journal will keep it
            st.caption(view.t("pi_now", year=typed, rise=pct(by_year[typed]["rise_pct"]),
                              source=by_year[typed]["source"] or "–"))
        elif typed is not None:
            st.caption(view.t("pi_new_year", year=typed))
with right:
    st.text_input(view.t("pi_rise"), key="pi_stigning", help=view.t("pi_rise_help"), placeholder="2,8")
    if errors.get("pi_stigning"):
        st.error(errors["pi_stigning"], icon=":material/error:")
st.text_input(view.t("pi_source"), key="pi_kilde", help=view.t("pi_source_help"),
              placeholder=view.t("pi_source_placeholder"))
if errors.get("pi_kilde"):
    st.error(errors["pi_kilde"], icon=":material/error:")
if errors.get("pi_note"):
    st.error(errors["pi_note"], icon=":material/error:")
st.text_input(view.t("pi_note"), key="pi_note", help=view.t("pi_note_help"), placeholder=view.t("pi_note_placeholder"))
st.button(view.t("pi_save"), key="pi_gem", type="primary", on_click=save, icon=":material/save:")
if errors:
    top.error(errors[""] if "" in errors else view.t("not_saved", n=len(errors)), icon=":material/block:")

# --- what the journal holds: every change, with the value before ---------------------------------

st.subheader(view.t("pi_changes"))
st.caption(view.t("pi_changes_caption"))
entries = data.journal(view.ref).filter(pl.col("action") == "price-index").sort("id", descending=True)
if entries.height == 0:
    st.caption(view.t("pi_no_changes"))
else:
    rows = []
    for entry in entries.iter_rows(named=True):
        change = json.loads(entry["summary"] or "{}").get("price_index") or {}
        before, after = change.get("before"), change.get("after") or {}
        rows.append({
            "no": entry["id"], "at": history.moment_text(entry["at"], lang), "who": entry["author"],
            "year": str(change.get("year", "")),
            "before": view.t("pi_new") if before is None else pct(before["rise_pct"]),
            "after": pct(after["rise_pct"]) if "rise_pct" in after else "",
            "before_source": "" if before is None else before.get("source") or "",
            "source": after.get("source") or "", "note": after.get("note") or "",
        })
    headers = {"no": view.t("pi_col_no"), "at": view.t("pi_col_at"), "who": view.t("who"),
               "year": view.t("pi_col_year"),
               "before": view.t("pi_col_before"), "after": view.t("pi_col_after"),
               "before_source": view.t("pi_col_before_source"), "source": view.t("pi_col_source"),
               "note": view.t("pi_note")}
    changes = pl.DataFrame(rows, schema={k: pl.Int64 if k == "no" else pl.String for k in headers}).rename(headers)
    ui.show_table(Table(changes), view, key="price_index_changes",
                  name=f"{view.t('page_price_index')} {view.t('pi_changes')}")
