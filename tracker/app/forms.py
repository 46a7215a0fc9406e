"""The forms of the Indtastning page: agreement, source and initiative, and the grid of an
initiative's lines. Layout and session state only; what a form means for the ledger is
`tracker.entry`, and every write goes through `data.commit` (services.commit_as: the same rules
as every other write path, one transaction, nothing stored until valid).

What the user read is kept in the session when a form opens (`_read`): a save corrects that
version, so a change someone else made meanwhile is reported as a conflict, with their values,
and the user's input stays in the form.
"""

from __future__ import annotations

import pandas as pd
import polars as pl
import streamlit as st

from ledger.domain import AGREEMENT_KINDS, CLASSIFICATIONS, KINDS, STATUSES, label
from ledger.frames import ROW, Ledger
from ledger.rules import RuleViolations, Violation
from ledger.store import Conflict, ReasonRequired
from tracker import entry
from tracker.history import field_label, summary_text
from tracker.i18n import t

from . import data

READ = "_entry_read"  # (table, id) -> the row as read
GEN = "_entry_gen"  # (table, id) -> generation of the form's widgets (a new one starts afresh)
CONFLICTS = "_entry_conflicts"  # (table, id) -> the notes of a conflict not yet resolved
GRIDS = "_entry_grids"  # initiative id -> the grid's state
FLASH = "_entry_flash"  # the message after a save, shown once


def _state(name: str) -> dict:
    return st.session_state.setdefault(name, {})


def flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _saved(commit, lang: str) -> None:
    st.session_state[FLASH] = t("saved", lang, number=commit.journal_id, what=summary_text_of(commit.summary, lang))


def summary_text_of(summary: dict, lang: str) -> str:
    import json

    return summary_text(json.dumps(summary), lang)


def violation_text(v: Violation, lang: str) -> str:
    """The message, after the field's name unless the message names it already."""
    message = v.message(lang)
    name = field_label(v.field, lang) if v.field else ""
    return f"{name}: {message}" if name and name.lower() not in message.lower() else message


# --- agreements, initiatives, sources --------------------------------------------------------


def _read(table: str, row_id: str | None, ledger: Ledger) -> dict | None:
    """The row as the user first saw it in this form (kept until saved or thrown away)."""
    if not row_id:
        return None
    reads = _state(READ)
    if (table, row_id) not in reads:
        reads[(table, row_id)] = entry.read_row(ledger, table, row_id)
    return reads[(table, row_id)]


def _restart(table: str, row_id: str | None) -> None:
    key = (table, row_id or "")
    _state(READ).pop((table, row_id), None)
    _state(CONFLICTS).pop(key, None)
    gens = _state(GEN)
    gens[key] = gens.get(key, 0) + 1


def entity_form(table: str, row_id: str | None, ledger: Ledger, lang: str, defaults: dict | None = None) -> None:
    """The form of an agreement, initiative or source: a new one (`row_id` None) or a
    correction of one, with the reason a correction needs, and errors beside their fields."""
    read = _read(table, row_id, ledger)
    if row_id and read is None:
        st.warning(t("entry_gone", lang), icon=":material/warning:")
        _restart(table, row_id)
        return
    key = (table, row_id or "")
    variant = "_".join(str(v) for v in (defaults or {}).values()) if row_id is None else ""
    prefix = f"{table}_{row_id or 'ny'}{variant and '_' + variant}_{_state(GEN).get(key, 0)}"
    top = st.container()
    _show_conflict(top, key, lang, keep=lambda: _keep_mine_entity(table, row_id),
                   discard=lambda: _restart(table, row_id))
    values: dict = {}
    slots: dict = {}
    start = read or defaults or {}
    with st.form(f"form_{prefix}", enter_to_submit=False):
        left, right = st.columns(2)
        for number, name in enumerate(entry.ENTITY_FIELDS[table]):
            with left if number % 2 == 0 else right:
                values[name] = _field(table, name, start.get(name), ledger, lang, f"{prefix}_{name}", new=read is None)
                slots[name] = st.empty()
        reason = st.text_input(t("reason", lang), key=f"{prefix}_reason",
                               help=t("reason_help", lang), placeholder=t("reason_placeholder", lang))
        slots["_reason"] = st.empty()
        submitted = st.form_submit_button(t("save", lang), type="primary", icon=":material/save:", key=f"save_{prefix}")
    if not submitted:
        return
    proposal = entry.propose_entity(data.now(), table, values, read)
    if not proposal.ok:
        mine = [v for v in proposal.violations if v.table == table and v.row is None and v.ref == proposal.ref
                and v.field in slots]
        for v in mine:
            slots[v.field].error(violation_text(v, lang), icon=":material/error:")
        rest = [v for v in proposal.violations if v not in mine]
        if rest:
            top.error(t("errors_elsewhere", lang) + "\n\n" + "\n".join(f"* {v.as_text(lang)}" for v in rest),
                      icon=":material/error:")
        top.error(t("not_saved", lang, n=len(proposal.violations)), icon=":material/block:")
        return
    _commit(proposal, reason, slots["_reason"], top, key, lang, on_success=lambda: _restart(table, row_id),
            on_conflict=st.rerun)  # shown above the form, with its choices; the input stays


def _field(table: str, name: str, value, ledger: Ledger, lang: str, key: str, new: bool):
    caption = field_label(name, lang)
    if name == "id":
        return st.text_input(caption, value=value or "", key=key, disabled=not new,
                             placeholder=t("id_placeholder", lang), help=t("id_help", lang))
    if table == "agreements" and name == "kind":
        options = list(AGREEMENT_KINDS)
        return st.selectbox(caption, options, index=options.index(value) if value in options else 3, key=key)
    if name == "status":
        options = list(STATUSES)
        return st.selectbox(caption, options, index=options.index(value) if value in options else 0, key=key,
                            format_func=lambda c: label(STATUSES, c, lang))
    if name == "classification":
        options = list(CLASSIFICATIONS)
        return st.selectbox(caption, options, index=options.index(value) if value in options else 0, key=key,
                            format_func=lambda c: label(CLASSIFICATIONS, c, lang))
    if name == "source_id":
        documents = dict(ledger.sources.select("id", "document").iter_rows())
        options = ["", *sorted(documents)]
        return st.selectbox(caption, options, index=options.index(value) if value in options else 0, key=key,
                            format_func=lambda s: t("none", lang) if not s else f"{s} – {documents[s][:60]}")
    if name == "agreement_id":
        titles = dict(ledger.agreements.select("id", "title").sort("title").iter_rows())
        options = list(titles)
        return st.selectbox(caption, options, index=options.index(value) if value in options else None, key=key,
                            format_func=lambda a: titles.get(a, a), placeholder=t("choose", lang))
    if name == "parent_id":
        titles = dict(ledger.initiatives.select("id", "title").sort("title").iter_rows())
        options = ["", *titles]
        return st.selectbox(caption, options, index=options.index(value) if value in options else 0, key=key,
                            format_func=lambda i: t("no_parent", lang) if not i else titles.get(i, i),
                            help=t("parent_help", lang))
    if name == "note":
        return st.text_area(caption, value=value or "", key=key, height=68)
    helps = {"date_agreed": "date_help", "date": "date_help"}
    return st.text_input(caption, value=value or "", key=key, help=t(helps[name], lang) if name in helps else None)


def _keep_mine_entity(table: str, row_id: str | None) -> None:
    """Save over the other person's change: read the row's newest version, keep the input."""
    fresh = data.now()
    row = entry.read_row(fresh, table, row_id) if row_id else None
    if row is not None:
        _state(READ)[(table, row_id)] = row
    _state(CONFLICTS).pop((table, row_id or ""), None)


# --- saving, and conflicts -------------------------------------------------------------------


def _commit(proposal: entry.Proposal, reason: str, reason_slot, top, key: tuple, lang: str, on_success,
            on_conflict=None) -> bool:
    """Write the proposal, or say why not. True when written."""
    if proposal.is_empty:
        top.info(t("nothing_changed", lang), icon=":material/info:")
        return False
    if proposal.needs_reason and not reason.strip():
        reason_slot.error(t("reason_required", lang), icon=":material/error:")
        top.error(t("not_saved_reason", lang), icon=":material/block:")
        return False
    try:
        commit = data.commit(proposal.changes, proposal.action, reason.strip())
    except Conflict as conflict:
        notes = entry.describe_conflict(conflict, data.now(), proposal.changes, lang)
        _state(CONFLICTS)[key] = {"notes": notes, "ids": [c["id"] for c in conflict.conflicts]}
        if on_conflict is not None:
            on_conflict()
        else:
            _show_conflict(top, key, lang)
        return False
    except RuleViolations as refused:  # someone else's change since made this one break a rule
        top.error(t("not_saved", lang, n=len(refused.violations)) + "\n\n"
                  + "\n".join(f"* {v.as_text(lang)}" for v in refused.violations[:50]), icon=":material/block:")
        return False
    except ReasonRequired:
        reason_slot.error(t("reason_required", lang), icon=":material/error:")
        return False
    _saved(commit, lang)
    on_success()
    st.rerun()
    return True


def _show_conflict(where, key: tuple, lang: str, keep=None, discard=None) -> None:
    found = _state(CONFLICTS).get(key)
    if not found:
        return
    with where:
        with st.container(border=True):
            st.error(t("conflict_heading", lang), icon=":material/sync_problem:")
            for note in found["notes"]:
                st.markdown(f"**{note.text}**")
                if note.fields:
                    frame = pd.DataFrame(note.fields, columns=[t("conflict_field", lang), t("conflict_theirs", lang),
                                                               t("conflict_mine", lang)])
                    st.dataframe(frame, hide_index=True, width="content")
            st.caption(t("conflict_help", lang))
            if keep is not None or discard is not None:
                with st.container(horizontal=True):
                    if keep is not None:
                        st.button(t("conflict_keep", lang), on_click=keep, key=f"keep_{'_'.join(map(str, key))}",
                                  icon=":material/save_as:")
                    if discard is not None:
                        st.button(t("conflict_discard", lang), on_click=discard, key=f"discard_{'_'.join(map(str, key))}",
                                  icon=":material/refresh:")


# --- the grid of an initiative's lines -------------------------------------------------------

GRID_COLUMNS = ["id", "version", *entry.GRID_FIELDS, "error"]


def _grid(initiative_id: str, ledger: Ledger, lang: str) -> dict:
    grids = _state(GRIDS)
    if initiative_id not in grids:
        rows = entry.grid_rows(ledger, initiative_id, lang)
        grids[initiative_id] = {"read": rows, "shown": [dict(r, error="") for r in rows], "gen": 0}
    return grids[initiative_id]


def _restart_grid(initiative_id: str) -> None:
    grids = _state(GRIDS)
    gen = grids.get(initiative_id, {}).get("gen", 0)
    grids.pop(initiative_id, None)
    _state(CONFLICTS).pop(("lines", initiative_id), None)
    st.session_state.setdefault("_entry_grid_gens", {})[initiative_id] = gen + 1


def _base(initiative_id: str) -> int:
    """Counts the saves of this initiative's grid: each starts a grid (and reason) afresh."""
    return st.session_state.get("_entry_grid_gens", {}).get(initiative_id, 0)


def grid_key(initiative_id: str) -> str:
    """The data editor's key (tests set its edit state through it): a new key whenever the grid
    is shown again from new rows, so no edit is applied twice."""
    state = _state(GRIDS).get(initiative_id) or {}
    return f"grid_{initiative_id}_{_base(initiative_id)}_{state.get('gen', 0)}"


def reason_key(initiative_id: str) -> str:
    return f"grid_reason_{initiative_id}_{_base(initiative_id)}"


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=GRID_COLUMNS)
    for name in ("id", "version", "year_from", "price_level"):
        frame[name] = pd.array(frame[name].tolist(), dtype="Int64")
    for name in ("year_to", "region", "amount", "kind", "source_id", "classification", "note", "error"):
        frame[name] = frame[name].astype("object").where(frame[name].notna(), None)
    frame.index = pd.RangeIndex(1, len(rows) + 1)
    return frame


def lines_grid(initiative_id: str, ledger: Ledger, lang: str) -> None:
    """An initiative's lines in a grid: edit cells, add rows, remove rows; saved together, in
    one transaction, with the reason a correction or removal needs. Errors stand beside their
    row (column Fejl) and the input stays."""
    state = _grid(initiative_id, ledger, lang)
    key = ("lines", initiative_id)
    top = st.container()

    def keep_mine() -> None:
        found = _state(CONFLICTS).pop(key, None)
        if found:
            state["read"], state["shown"] = entry.rebase(state["read"], state["shown"], data.now(), found["ids"])
            state["gen"] += 1

    _show_conflict(top, key, lang, keep=keep_mine, discard=lambda: _restart_grid(initiative_id))
    if state.get("general"):
        top.error(t("errors_elsewhere", lang) + "\n\n" + "\n".join(f"* {text}" for text in state["general"]),
                  icon=":material/error:")
    if any(r.get("error") for r in state["shown"]):
        top.error(t("grid_errors", lang, n=sum(1 for r in state["shown"] if r.get("error"))), icon=":material/block:")

    regions = dict(ledger.regions.select("code", "name").iter_rows())
    documents = dict(ledger.sources.select("id", "document").iter_rows())
    defaults = entry.grid_defaults(ledger, initiative_id)
    config = {
        "_index": st.column_config.NumberColumn(t("col_row", lang), disabled=True, width=44),
        "year_from": st.column_config.NumberColumn(field_label("year_from", lang), min_value=2000, max_value=2100,
                                                   step=1, format="%d", required=True, width=84),
        "year_to": st.column_config.TextColumn(field_label("year_to", lang), help=t("year_to_help", lang), width=84),
        "region": st.column_config.SelectboxColumn(field_label("region", lang), options=list(regions),
                                                   format_func=lambda c: regions.get(c, c), required=True,
                                                   default=defaults["region"], width=160),
        "amount": st.column_config.TextColumn(t("col_amount_mio", lang), help=t("amount_help", lang), required=True,
                                              width=120),
        "kind": st.column_config.SelectboxColumn(field_label("kind", lang), options=list(KINDS),
                                                 format_func=lambda k: label(KINDS, k, lang), required=True,
                                                 default=defaults["kind"], width=100),
        "price_level": st.column_config.NumberColumn(field_label("price_level", lang), min_value=2000, max_value=2100,
                                                     step=1, format="%d", width=96),
        "source_id": st.column_config.SelectboxColumn(field_label("source_id", lang), options=sorted(documents),
                                                      format_func=lambda s: f"{s} – {documents.get(s, '')[:50]}",
                                                      required=True, default=defaults["source_id"], width=190),
        "classification": st.column_config.SelectboxColumn(field_label("classification", lang),
                                                           options=list(CLASSIFICATIONS),
                                                           format_func=lambda c: label(CLASSIFICATIONS, c, lang),
                                                           default=defaults["classification"], width=120),
        "note": st.column_config.TextColumn(field_label("note", lang), width=180),
        "error": st.column_config.TextColumn(t("col_error", lang), disabled=True, width=360),
    }
    # the errors, when there are any, come first: beside the row and in view
    order = [*(["error"] if any(r.get("error") for r in state["shown"]) else []), *entry.GRID_FIELDS]
    with st.form(f"grid_form_{grid_key(initiative_id)}", enter_to_submit=False, border=False):
        edited = st.data_editor(
            _frame(state["shown"]), key=grid_key(initiative_id), num_rows="dynamic", hide_index=False,
            column_order=order, column_config=config, width="stretch", placeholder="",
        )
        st.caption(t("grid_hint", lang))
        reason = st.text_input(t("reason", lang), key=reason_key(initiative_id), help=t("reason_help", lang),
                               placeholder=t("reason_placeholder", lang))
        reason_slot = st.empty()
        if state.pop("reason_missing", False):
            reason_slot.error(t("reason_required", lang), icon=":material/error:")
            top.error(t("not_saved_reason", lang), icon=":material/block:")
        submitted = st.form_submit_button(t("save_lines", lang), type="primary", icon=":material/save:",
                                          key=f"save_{grid_key(initiative_id)}")
    if not submitted:
        return
    rows = []
    for number, (_index, row) in enumerate(edited.iterrows(), start=1):
        item = {name: (None if pd.isna(row.get(name)) else row.get(name)) for name in GRID_COLUMNS}
        item["id"] = None if item["id"] is None else int(item["id"])
        item["version"] = None if item["version"] is None else int(item["version"])
        rows.append({**item, ROW: number})
    proposal = entry.propose_lines(data.now(), initiative_id, state["read"], rows, data.next_line_id())

    def again(general: list[str]) -> None:
        """Show the grid again as the user left it, each row's errors beside it."""
        errors: dict[int, list[str]] = {}
        for v in proposal.violations:
            if v.row is not None:
                errors.setdefault(v.row, []).append(violation_text(v, lang))
        state["shown"] = [{**{k: r[k] for k in GRID_COLUMNS if k != "error"}, "error": "; ".join(errors.get(r[ROW], []))}
                          for r in rows]
        state["general"] = general
        state["gen"] += 1

    if not proposal.ok:
        again([v.as_text(lang) for v in proposal.violations if v.row is None])
        st.rerun()

    if proposal.needs_reason and not reason.strip() and any(r.get("error") for r in state["shown"]):
        again([])  # the errors shown before are mended: show the grid without them
        state["reason_missing"] = True
        st.rerun()

    def conflict() -> None:
        again([])
        st.rerun()

    _commit(proposal, reason, reason_slot, top, key, lang, on_success=lambda: _restart_grid(initiative_id),
            on_conflict=conflict)


def next_initiatives(ledger: Ledger, agreement_id: str) -> dict[str, str]:
    """The agreement's initiatives, id -> title, in title order."""
    frame = ledger.initiatives.filter(pl.col("agreement_id") == agreement_id).sort("title")
    return dict(frame.select("id", "title").iter_rows())
