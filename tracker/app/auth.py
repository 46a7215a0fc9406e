"""Who is using the app: single sign-on, a local account, or (no users yet) the single local
administrator. The acting user lives in the session; `data` derives what they may see."""

from __future__ import annotations

import math

import streamlit as st

from ledger import access
from ledger.access import SINGLE_ADMIN, Actor
from tracker.i18n import t

from . import data

KEY = data.ACTOR_KEY
REFUSED_KEY = "_sso_refused"  # the single sign-on identity last refused in this session


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def actor(lang: str) -> Actor | None:
    """The signed-in user, or None after showing the sign-in form (the caller stops)."""
    engine = data.engine()
    if not access.has_users(engine):
        st.session_state.pop(KEY, None)
        st.info(t("single_admin_banner", lang), icon=":material/admin_panel_settings:")
        return SINGLE_ADMIN
    if _oidc_configured():
        if not st.user.is_logged_in:
            st.title(t("app_title", lang))
            st.button(t("sign_in_sso", lang), on_click=st.login, type="primary")
            return None
        if KEY not in st.session_state:
            identity = st.user.get("email") or st.user.get("name") or ""
            try:
                if st.session_state.get(REFUSED_KEY) == identity:  # journalled once a session, not every rerun
                    raise access.Forbidden(identity)
                st.session_state[KEY] = access.sign_in_external(engine, identity)
            except access.Forbidden:
                st.session_state[REFUSED_KEY] = identity
                st.error(t("sso_unknown", lang, name=identity))
                st.button(t("sign_out", lang), on_click=st.logout)
                return None
        return st.session_state[KEY]
    if KEY not in st.session_state:
        _sign_in_form(engine, lang)
        return None
    return st.session_state[KEY]


def _sign_in_form(engine, lang: str) -> None:
    st.title(t("app_title", lang))
    with st.form("sign_in"):
        st.subheader(t("sign_in", lang))
        name = st.text_input(t("user_name", lang), key="sign_in_name")
        password = st.text_input(t("password", lang), type="password", key="sign_in_password")
        submitted = st.form_submit_button(t("sign_in", lang), type="primary")
    if submitted:
        try:
            st.session_state[KEY] = access.sign_in(engine, name.strip(), password)
        except access.SignInFailed as failed:
            message = t("sign_in_failed", lang)
            if failed.wait is not None:
                message += " " + t("sign_in_wait", lang, seconds=math.ceil(failed.wait.total_seconds()))
            st.error(message)
            return
        st.rerun()


def sign_out_button(who: Actor, lang: str) -> None:
    with st.sidebar:
        st.caption(t("signed_in_as", lang, name=who.name, role=access.ROLES[who.role]))
        if who.single_admin:
            return
        if st.button(t("sign_out", lang), key="sign_out"):
            st.session_state.pop(KEY, None)
            if _oidc_configured():
                # st.logout's redirect clears the identity cookie; a rerun would drop the redirect,
                # and the cookie would sign the user straight back in on the next visit
                st.logout()
                st.stop()
            st.rerun()
