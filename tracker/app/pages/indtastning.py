"""Indtastning: finance staff enter and correct the ledger by hand. The lines of an initiative
in a grid; agreements, initiatives and sources in forms. Every save goes through the same rules
as every other write path and is one journal entry; a correction or removal needs a reason;
nothing is stored until it is valid. Layout only: see `tracker.app.forms` and `tracker.entry`.
"""

import streamlit as st

from tracker.app import data, forms, ui

view = ui.current_view()
ui.require("write", view.lang)
lang = view.lang

st.title(view.t("page_entry"))
st.caption(view.t("entry_caption"))
if view.ref.as_of is not None:
    st.info(view.t("past_no_writing"), icon=":material/lock_clock:")
    st.stop()

forms.flash()
ledger = data.now()
SECTIONS = ("linjer", "initiativ", "aftale", "kilde")
ui.seed("ret", "linjer", options=SECTIONS)
section = st.segmented_control(view.t("entry_what"), options=list(SECTIONS), key="ret", required=True,
                               format_func=lambda s: view.t(f"entry_{s}"))
ui.keep("ret", section, "linjer")
agreements = dict(ledger.agreements.select("id", "title").sort("title").iter_rows())

if section in ("linjer", "initiativ"):
    ids = list(agreements)
    owner = dict(ledger.initiatives.select("id", "agreement_id").iter_rows())
    linked = st.query_params.get("ret_ini")
    ui.seed("ret_aftale", owner.get(linked, ids[0] if ids else None), options=ids)
    left, right = st.columns(2)
    agreement = left.selectbox(view.t("dim_agreement"), ids, key="ret_aftale", format_func=lambda a: agreements[a])
    ui.keep("ret_aftale", agreement, ids[0] if ids else None)  # the defaults stay out of the URL
    initiatives = forms.next_initiatives(ledger, agreement) if agreement else {}
    options = list(initiatives) if section == "linjer" else ["", *initiatives]
    ui.seed("ret_ini", options[0] if options else None, options=options)
    if st.session_state.get("ret_ini") not in options:  # another agreement or section chosen
        st.session_state["ret_ini"] = options[0] if options else None
    chosen = right.selectbox(view.t("dim_initiative"), options, key="ret_ini",
                             format_func=lambda i: view.t("new_initiative") if not i else initiatives.get(i, i))
    ui.keep("ret_ini", chosen or None, (options[0] or None) if options else None)
    if section == "linjer":
        if not chosen:
            st.info(view.t("no_initiatives"), icon=":material/info:")
        else:
            st.subheader(view.t("lines_of", title=initiatives[chosen]))
            forms.lines_grid(chosen, ledger, lang)
            st.page_link("tracker/app/pages/historik.py", label=view.t("see_history"), icon=":material/history:",
                         query_params={"hist": "emne", "h_aftale": agreement, "h_ini": chosen})
    else:
        st.subheader(view.t("edit_initiative") if chosen else view.t("new_initiative"))
        forms.entity_form("initiatives", chosen or None, ledger, lang, defaults={"agreement_id": agreement})
elif section == "aftale":
    options = ["", *agreements]
    chosen = st.selectbox(view.t("dim_agreement"), options, key="ret_aftale_form",
                          format_func=lambda a: view.t("new_agreement") if not a else agreements[a])
    st.subheader(view.t("edit_agreement") if chosen else view.t("new_agreement"))
    forms.entity_form("agreements", chosen or None, ledger, lang)
else:
    documents = dict(ledger.sources.select("id", "document").sort("id").iter_rows())
    options = ["", *documents]
    chosen = st.selectbox(view.t("source"), options, key="ret_kilde",
                          format_func=lambda s: view.t("new_source") if not s else f"{s} – {documents[s][:80]}")
    st.subheader(view.t("edit_source") if chosen else view.t("new_source"))
    forms.entity_form("sources", chosen or None, ledger, lang)
