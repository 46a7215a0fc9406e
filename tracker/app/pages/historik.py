"""Historik: every change to the ledger. The whole journal, filtered by days, people, actions
and words in the reason, with what each entry changed (before and after); and the history of a
line, an initiative or an agreement: its versions side by side, who, when and why, a removal
shown as its reversal. With the sidebar's "as of" date, history up to that day. Layout only:
see `tracker.history`.
"""

from datetime import date

import pandas as pd
import polars as pl
import streamlit as st

from tracker import history
from tracker.app import data, ui

view = ui.current_view()
ui.require("see_confidential", view.lang)  # reasons may speak of confidential figures
ref, lang = view.ref, view.lang
ledger = data.ledger(ref)

st.title(view.t("page_history"))
st.caption(view.t("history_caption"))
SECTIONS = ("journal", "emne")
ui.seed("hist", "emne" if "h_aftale" in st.query_params else "journal", options=SECTIONS)
section = st.segmented_control(view.t("history_what"), options=list(SECTIONS), key="hist", required=True,
                               format_func=lambda s: view.t(f"history_{s}"))
ui.keep("hist", section, "journal")


def versions_table(frame: pl.DataFrame, table: str, key: str) -> None:
    shown, marks = history.side_by_side(frame, table, ledger, lang)
    pandas = shown.to_pandas()
    css = pd.DataFrame([["background-color: #fff3bf; font-weight: 600" if mark else "" for mark in row] for row in marks],
                       index=pandas.index, columns=pandas.columns)
    styler = pandas.style.apply(lambda _: css, axis=None)
    st.dataframe(styler, hide_index=True, width="stretch", key=key, height=38 + 35 * len(pandas),
                 column_config={pandas.columns[0]: st.column_config.Column(pinned=True)})
    st.caption(view.t("versions_caption"))


def events_table(frames: dict, key: str) -> None:
    shown = history.events(frames, ledger, lang)
    if shown.height == 0:
        st.caption(view.t("no_events"))
        return
    st.dataframe(shown.to_pandas(), hide_index=True, width="stretch", key=key,
                 height=min(38 + 35 * shown.height, 600))


def _entry_row(found: pl.DataFrame, number: int) -> dict:
    row = found.filter(pl.col("id") == number).row(0, named=True)
    return {"who": row["author"], "at": history.moment_text(row["at"], lang),
            "action": history.action_label(row["action"], lang)}


if section == "journal":
    entries = data.journal(ref)
    ledger_only = [a for a in history.LEDGER_ACTIONS if a in set(entries["action"].to_list())]
    actions = list(dict.fromkeys([*ledger_only, *sorted(set(entries["action"].to_list()))]))
    authors = sorted(set(entries["author"].to_list()))
    ui.seed("h_handling", ledger_only, options=actions, multi=True)
    ui.seed("h_hvem", [], options=authors, multi=True)
    ui.seed("h_fra", None, cast=date.fromisoformat)
    ui.seed("h_til", None, cast=date.fromisoformat)
    ui.seed("h_tekst", "")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        first = st.date_input(view.t("from_day"), key="h_fra", format="DD.MM.YYYY", width=150)
        last = st.date_input(view.t("to_day"), key="h_til", format="DD.MM.YYYY", width=150)
        who = st.multiselect(view.t("who"), authors, key="h_hvem", placeholder=view.t("everyone"))
        chosen_actions = st.multiselect(view.t("actions"), actions, key="h_handling", placeholder=view.t("all_actions"),
                                        format_func=lambda a: history.action_label(a, lang))
        text = st.text_input(view.t("reason_contains"), key="h_tekst")
    ui.keep("h_fra", first.isoformat() if first else None, None)
    ui.keep("h_til", last.isoformat() if last else None, None)
    ui.keep("h_hvem", who, [])
    ui.keep("h_handling", chosen_actions, ledger_only)
    ui.keep("h_tekst", text, "")
    found = history.filter_journal(entries, first, last, who, chosen_actions, text)
    st.caption(view.t("entries_shown", n=found.height, total=entries.height))
    st.dataframe(history.journal_table(found, lang).to_pandas(), hide_index=True, width="stretch", key="journal",
                 height=min(38 + 35 * max(found.height, 1), 420),
                 column_config={history._headers(lang)["no"]: st.column_config.NumberColumn(format="%d", width=60)})

    numbers = found["id"].to_list()
    if numbers:
        ui.seed("nr", numbers[0], options=numbers, cast=int)
        if st.session_state.get("nr") not in numbers:
            st.session_state["nr"] = numbers[0]
        number = st.selectbox(view.t("show_entry"), numbers, key="nr",
                              format_func=lambda n: view.t("entry_option", number=n, **_entry_row(found, n)))
        ui.keep("nr", number, numbers[0])
        entry_ = found.filter(pl.col("id") == number).row(0, named=True)
        st.subheader(view.t("entry_heading", number=number))
        st.markdown(view.t("entry_facts", who=entry_["author"], at=history.moment_text(entry_["at"], lang),
                           action=history.action_label(entry_["action"], lang),
                           reason=entry_["reason"] or view.t("no_reason")))
        touched = data.entry_versions(number)
        if touched:
            st.dataframe(history.entry_table(touched, ledger, lang).to_pandas(), hide_index=True, width="stretch",
                         key="entry_rows", height=420)
            cut = [(history.table_label(t_, lang), n) for t_, (f, n) in touched.items() if f["id"].n_unique() < n]
            for name, n in cut:
                st.caption(view.t("entry_cut", limit=history.ENTRY_LIMIT, n=n, what=name.lower()))
        else:
            st.caption(view.t("entry_no_rows"))
else:
    agreements = dict(ledger.agreements.select("id", "title").sort("title").iter_rows())
    ids = list(agreements)
    if not ids:
        st.info(view.t("no_money"))
        st.stop()
    ui.seed("h_aftale", ids[0], options=ids)
    left, middle, right = st.columns(3)
    agreement = left.selectbox(view.t("dim_agreement"), ids, key="h_aftale", format_func=lambda a: agreements[a])
    ui.keep("h_aftale", agreement, None)
    initiative_ids = tuple(data.ids_ever("initiatives", "agreement_id", (agreement,)))
    initiatives = data.versions(ref, "initiatives", initiative_ids)
    titles = dict(initiatives.sort("version").group_by("id", maintain_order=True).last().select("id", "title").iter_rows())
    options = ["", *sorted(titles, key=lambda i: titles[i])]
    ui.seed("h_ini", "", options=options)
    if st.session_state.get("h_ini") not in options:
        st.session_state["h_ini"] = ""
    initiative = middle.selectbox(view.t("dim_initiative"), options, key="h_ini",
                                  format_func=lambda i: view.t("whole_agreement") if not i else titles[i])
    ui.keep("h_ini", initiative, "")
    scope = [initiative] if initiative else list(initiative_ids)
    line_ids = tuple(data.ids_ever("lines", "initiative_id", tuple(scope)))
    lines = data.versions(ref, "lines", line_ids)
    gone = set(history.removed(lines)["id"].to_list())
    last = {r["id"]: r for r in lines.sort("version").group_by("id", maintain_order=True).last().to_dicts()}
    line_options = [0, *sorted(last)] if initiative else [0]
    ui.seed("h_linje", 0, options=line_options, cast=int)
    if st.session_state.get("h_linje") not in line_options:
        st.session_state["h_linje"] = 0
    line = right.selectbox(view.t("line"), line_options, key="h_linje", disabled=not initiative,
                           format_func=lambda i: view.t("all_lines") if not i else history.line_label(last[i], ledger, lang)
                           + (f" ({view.t('removed')})" if i in gone else ""))
    ui.keep("h_linje", line, 0)

    if line:
        st.subheader(history.line_label(last[line], ledger, lang))
        versions_table(lines.filter(pl.col("id") == line), "lines", "line_versions")
    elif initiative:
        st.subheader(view.t("initiative_heading", title=titles[initiative]))
        versions_table(initiatives.filter(pl.col("id") == initiative), "initiatives", "initiative_versions")
        st.subheader(view.t("lines_history"))
        events_table({"lines": lines}, "line_events")
    else:
        agreement_versions = data.versions(ref, "agreements", (agreement,))
        st.subheader(view.t("agreement_heading", title=agreements[agreement]))
        versions_table(agreement_versions, "agreements", "agreement_versions")
        st.subheader(view.t("agreement_events"))
        events_table({"initiatives": initiatives, "lines": lines}, "agreement_events")

