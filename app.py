"""The tracker's app: `streamlit run app.py`.

On first start it creates the embedded SQLite ledger (data/tracker.sqlite, or the database in
TRACKER_DATABASE_URL) and loads the seed ledger, so it opens on real figures with no other step.
Once users exist, it asks who you are first (see docs/access.md).
"""

import streamlit as st

from tracker.app import auth, data, ui

st.set_page_config(page_title="Sundhedsaftaler", page_icon="🏥", layout="wide")
ui.style()

ui.carry_over()  # after a page change: the address's parameters back, before the navigation
data.engine()  # opens the ledger, seeding it on first start
lang = ui.language()
who = auth.actor(lang)
if who is None:  # the sign-in form is showing
    st.stop()
auth.sign_out_button(who, lang)
page = st.navigation(ui.pages(lang, who), position="top")
as_of = ui.as_of(lang)  # the ledger as it stood on a day (?pr=2025-06-01), else now
ui.as_of_banner(ui.sidebar(data.current(as_of=as_of), lang))
page.run()
