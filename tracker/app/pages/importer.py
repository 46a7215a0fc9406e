"""Import: a CSV or XLSX file in the interchange format (docs/interchange.md). The preview lists
every error at once with the row numbers the spreadsheet shows, or, when the file is valid, what
it adds, corrects and leaves unchanged; confirming writes it in one transaction. A progress bar
while a file is read and checked; the template to fill in, with drop-down lists. Layout only:
see `tracker.importing` and `tracker.template`.
"""

import polars as pl
import streamlit as st

from ledger.readers import FormatError
from ledger.rules import RuleViolations
from ledger.store import Conflict, ReasonRequired
from tracker import entry, importing
from tracker.app import data, forms, ui
from tracker.tables import Table

view = ui.current_view()
ui.require("write", view.lang)
lang = view.lang
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEWS = "_import_previews"  # digest of the file -> its preview
GEN = "_import_gen"  # a new uploader after each import

st.title(view.t("page_import"))
st.caption(view.t("import_caption"))
with st.container(horizontal=True, gap="small"):
    st.download_button(view.t("template_empty"), data=lambda: data.template(view.ref), file_name="tracker-skabelon.xlsx",
                       mime=XLSX, on_click="ignore", icon=":material/download:", key="template_empty",
                       help=view.t("template_help"))
    st.download_button(view.t("template_lines"), data=lambda: data.template(view.ref, True),
                       file_name="tracker-linjer.xlsx", mime=XLSX, on_click="ignore", icon=":material/download:",
                       key="template_lines", help=view.t("template_lines_help"))
if view.ref.as_of is not None:
    st.info(view.t("past_no_writing"), icon=":material/lock_clock:")
    st.stop()

done = st.session_state.pop("_import_done", None)
if done:
    st.success(view.t("import_done", number=done["number"], what=done["what"]), icon=":material/check_circle:")
    with st.container(horizontal=True):
        st.page_link("tracker/app/pages/historik.py", label=view.t("see_entry", number=done["number"]),
                     icon=":material/history:", query_params={"nr": str(done["number"])})
        st.page_link("tracker/app/pages/overblik.py", label=view.t("see_overview"), icon=":material/dashboard:")

gen = st.session_state.get(GEN, 0)
uploaded = st.file_uploader(view.t("import_file"), type=["csv", "xlsx"], key=f"import_file_{gen}",
                            help=view.t("import_file_help"))
if uploaded is None:
    st.stop()

content = uploaded.getvalue()
digest = importing.digest(content)
shown = st.session_state.get(PREVIEWS, {}).get(digest)
if shown is None:
    bar = st.progress(0.0, text=view.t("import_stage_read_ledger"))
    try:
        shown = data.import_preview(uploaded.name, content,
                                    progress=lambda done_, stage: bar.progress(done_, text=view.t(f"import_stage_{stage}")))
    except FormatError as error:
        bar.empty()
        st.error(view.t("import_format_error", reason=str(error)), icon=":material/error:")
        st.stop()
    bar.progress(1.0, text=view.t("import_checked", n=shown.plan.rows, name=uploaded.name))
    st.session_state[PREVIEWS] = {digest: shown}  # only the file on screen

errors = shown.plan.violations
if errors:
    rows = {v.row for v in errors if v.row is not None}
    st.error(view.t("import_errors", n=len(errors), rows=len(rows), name=uploaded.name), icon=":material/block:")
    table = Table(importing.error_table(shown, lang))
    st.dataframe(table.frame.to_pandas(), hide_index=True, width="stretch", key="import_errors",
                 height=min(38 + 35 * table.frame.height, 600),
                 column_config={table.frame.columns[0]: st.column_config.NumberColumn(format="%d", width=70)})
    ui.downloads(table, view, "import_errors", view.t("import_errors_name"))
    st.caption(view.t("import_fix_hint"))
    st.stop()

counts = shown.counts()
lines = counts["lines"]
with st.container(horizontal=True):
    st.metric(view.t("import_new"), lines["added"], border=True)
    st.metric(view.t("import_changed"), lines["changed"], border=True)
    st.metric(view.t("import_unchanged"), lines["unchanged"], border=True)
others = [forms.summary_text_of({table_: counts[table_]}, lang)
          for table_ in ("agreements", "initiatives", "sources") if counts[table_]["added"] or counts[table_]["changed"]]
if others:
    st.caption(view.t("import_also", what="; ".join(others)))
if shown.is_empty:
    st.info(view.t("import_nothing"), icon=":material/info:")
    st.stop()

for title, (frame, total) in ((view.t("import_new_heading"), importing.new_lines(shown, lang)),
                              (view.t("import_changed_heading"), importing.changed_lines(shown, lang))):
    if total:
        st.subheader(f"{title} ({total})")
        right = {c: st.column_config.TextColumn(c, alignment="right")
                 for c in frame.columns if c in (view.t("amount"), view.t("import_before"), view.t("import_after"))}
        st.dataframe(frame.to_pandas(), hide_index=True, width="stretch", height=min(38 + 35 * frame.height, 420),
                     column_config=right)
        if total > frame.height:
            st.caption(view.t("import_first", n=frame.height, total=total))

needs = shown.corrects
reason = st.text_input(view.t("reason"), key=f"import_reason_{gen}", help=view.t("import_reason_help"),
                       placeholder=view.t("reason_placeholder"))
reason_slot = st.empty()
if st.button(view.t("import_confirm", n=lines["added"] + lines["changed"]), type="primary", key="import_confirm",
             icon=":material/save:"):
    if needs and not reason.strip():
        reason_slot.error(view.t("reason_required"), icon=":material/error:")
        st.stop()
    try:
        commit = data.import_confirm(shown, reason)
    except Conflict as conflict:
        st.error(view.t("conflict_heading"), icon=":material/sync_problem:")
        for note in entry.describe_conflict(conflict, data.now(), shown.plan.changes, lang):
            st.markdown(f"**{note.text}**")
            if note.fields:
                st.dataframe(pl.DataFrame(note.fields, schema=[view.t("conflict_field"), view.t("conflict_theirs"),
                                                               view.t("conflict_mine")], orient="row").to_pandas(),
                             hide_index=True, width="content")
        st.caption(view.t("import_conflict_help"))
        st.session_state.pop(PREVIEWS, None)  # the next run checks the file against the ledger as it is now
        st.button(view.t("import_check_again"), icon=":material/refresh:", key="import_again")
        st.stop()
    except (RuleViolations, ReasonRequired) as refused:
        st.error(str(refused), icon=":material/block:")
        st.session_state.pop(PREVIEWS, None)
        st.stop()
    st.session_state["_import_done"] = {"number": commit.journal_id,
                                        "what": forms.summary_text_of(commit.summary, lang)}
    st.session_state[GEN] = gen + 1
    st.session_state.pop(PREVIEWS, None)
    st.rerun()
