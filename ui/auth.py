"""The dashboard's door, called first by dashboard.py: who the reader is and what they may
see (metrics/access.py decides; this is the Streamlit glue).

- No login configured and bound to loopback: one person on one machine, the local admin.
- No login configured and bound to the network: the app refuses to serve anything.
- A login configured (`[auth]` in .streamlit/secrets.toml): Streamlit's own OIDC login
  (st.login / st.user); the reader's e-mail or groups are looked up in data/access.toml,
  and a reader who matches nothing sees a polite refusal and nothing else.

Sessions, cookies and tokens are Streamlit's; nothing here stores a password.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

import streamlit as st

from metrics import access
from metrics.access import Grant
from ui import fmt
from ui.i18n import lang

log = logging.getLogger("cchc.access")
GRANT_KEY = "_access_grant"
SCOPE_KEY = "_access_scope"

TEXT = {
    "network_refused": (
        "Bảng điều khiển đang được mở trên mạng (địa chỉ {address}) nhưng chưa cấu hình đăng nhập, "
        "nên không hiển thị dữ liệu nào. Quản trị viên: hãy cấu hình đăng nhập một lần (SSO) trong "
        "`.streamlit/secrets.toml` (xem `.streamlit/secrets.example.toml` và `docs/security.md`), "
        "hoặc chạy trên máy này với `make run` (chỉ mở tại 127.0.0.1).",
        "The dashboard is served on the network (address {address}) without a login, so it shows no data. "
        "Administrator: configure single sign-on in `.streamlit/secrets.toml` (see "
        "`.streamlit/secrets.example.toml` and `docs/security.md`), or run it on this machine with "
        "`make run` (127.0.0.1 only).",
    ),
    "login_title": ("Bảng điều khiển CCHC", "CCHC dashboard"),
    "login_body": (
        "Hãy đăng nhập bằng tài khoản của cơ quan để xem số liệu.",
        "Sign in with your organisation account to see the figures.",
    ),
    "login": ("Đăng nhập", "Sign in"),
    "logout": ("Đăng xuất", "Sign out"),
    "refused": (
        "Xin lỗi, tài khoản {who} chưa được cấp quyền xem bảng điều khiển này. "
        "Nếu anh/chị cần xem số liệu, hãy đề nghị quản trị viên cấp quyền.",
        "Sorry, the account {who} has not been given access to this dashboard. "
        "If you need the figures, ask the administrator for access.",
    ),
    "rules_broken": (
        "Cấu hình phân quyền đang có lỗi nên tạm thời chưa ai xem được số liệu. Quản trị viên đã được ghi nhận lỗi; "
        "hãy thử lại sau.",
        "The access rules are broken, so nobody can see the figures for now. The error is logged for the "
        "administrator; try again later.",
    ),
    "signed_in": ("Đăng nhập: {who} · {role}", "Signed in: {who} · {role}"),
    "role_unit": ("xem đơn vị được giao", "own units, read-only"),
    "role_viewer": ("xem toàn tỉnh", "whole province, read-only"),
    "role_data": ("nhập dữ liệu", "may upload"),
    "role_admin": ("quản trị", "administrator"),
}


def _t(key: str, **kwargs: object) -> str:
    vi, en = TEXT[key]
    return (en if lang() == "en" else vi).format(**kwargs)


def _auth_section() -> dict | None:
    try:
        section = st.secrets.get("auth")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return None
    return dict(section) if section else None


@st.cache_resource(show_spinner=False)
def _configure_logging() -> bool:
    """The `cchc.*` loggers (access decisions, uploads, page failures) to stderr, beside
    Streamlit's own log; level CCHC_LOG_LEVEL (default INFO). Once per process."""
    root = logging.getLogger("cchc")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(os.environ.get("CCHC_LOG_LEVEL", "INFO").upper())
        root.propagate = False
    return True


@st.cache_resource(show_spinner=False)
def _log_network_refusal(address: str) -> bool:
    """Logged once per process (the page says it on every load)."""
    log.error("refusing to serve: bound to %r without a login configured in .streamlit/secrets.toml", address)
    return True


def _closed() -> None:
    """The only page a reader who may not read is given (nothing in it)."""


def _stop() -> NoReturn:
    """End the run with no page offered: no navigation to the dashboard's pages."""
    st.navigation([st.Page(_closed, title="CCHC", default=True)], position="hidden")
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def refuse_unprotected_network() -> None:
    """First thing in a run: served on the network without a login, the page is one
    sentence in Vietnamese (no language switch, no page list, no data), and it is logged."""
    _configure_logging()
    if access.login_provider(_auth_section()) is not None:
        return
    address = st.get_option("server.address") or ""
    if not access.is_loopback(address):
        _log_network_refusal(address)
        st.error(_t("network_refused", address=fmt.text(address or "0.0.0.0")), icon=":material/lock:")
        _stop()


def gate() -> Grant:
    """Decide who is reading; anyone who may not read sees one sentence (in Vietnamese,
    or in the language they last chose) and the run stops."""
    refuse_unprotected_network()
    provider = access.login_provider(_auth_section())
    grant = access.LOCAL_ADMIN if provider is None else _signed_in(provider)
    st.session_state[GRANT_KEY] = grant
    return grant


def _signed_in(provider: str) -> Grant:
    if not getattr(st.user, "is_logged_in", False):
        st.title(_t("login_title"))
        st.info(_t("login_body"), icon=":material/login:")
        st.button(
            _t("login"),
            key="login",
            icon=":material/login:",
            type="primary",
            on_click=st.login,
            args=() if provider == "default" else (provider,),
        )
        _stop()
    claims = st.user.to_dict()
    who = str(claims.get("email") or claims.get("sub") or "")
    try:
        rules = access.load()
    except access.AccessFileError as exc:
        log.error("access rules unusable: %s", exc.message_en)
        st.error(_t("rules_broken"), icon=":material/error:")
        _logout_button()
        _stop()
    grant = access.decide(rules, claims)
    if grant is None:
        log.warning("refused %s: no entry in the access rules", who)
        st.warning(_t("refused", who=fmt.text(who)), icon=":material/block:")
        _logout_button()
        _stop()
    if st.session_state.get("_access_logged") != (who, grant):  # once per session, not per rerun
        log.info("signed in %s as %s%s", who, grant.role, f" of {', '.join(grant.units)}" if grant.units else "")
        st.session_state["_access_logged"] = (who, grant)
    return grant


def _logout_button(where=st) -> None:
    where.button(_t("logout"), key="logout", icon=":material/logout:", on_click=st.logout)


def sidebar() -> None:
    """Who is signed in, and the way out (nothing to show for the local user)."""
    grant = current()
    if grant == access.LOCAL_ADMIN:
        return
    st.sidebar.caption(_t("signed_in", who=fmt.text(grant.who), role=_t(f"role_{grant.role}")))
    _logout_button(st.sidebar)


def current() -> Grant:
    """This run's grant. Fails closed: a run that skipped the gate may see nothing."""
    return st.session_state.get(GRANT_KEY) or Grant(role="unit", units=())
