"""Who may see and change what: the rules of data/access.toml and the decision for one
signed-in reader, in plain Python so they are tested without Streamlit (ui/auth.py is
the glue).

Roles, weakest first:
- `unit`: reads only its listed unit codes (a commune chairman and his commune);
- `viewer`: reads the whole province;
- `data`: reads the whole province and may upload exports;
- `admin`: as `data`, and sees the import history, the quarantine and the database path.

A reader is matched by e-mail first (an entry names one person, so it wins), then by
the groups in their identity provider's group claim (the strongest role wins; unit codes
of every matching unit group add up). No match: no access at all.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from metrics.paths import DATA_DIR

ROLES = ("unit", "viewer", "data", "admin")  # weakest first
DEFAULT_FILE = DATA_DIR / "access.toml"
AUTH_KEYS = ("client_id", "client_secret", "server_metadata_url")


class AccessFileError(Exception):
    """data/access.toml cannot be used; nobody gets in until it is fixed."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        self.message_vi, self.message_en = message_vi, message_en
        super().__init__(message_en)


@dataclass(frozen=True)
class Grant:
    """What one reader may do. `units` None: the whole province."""

    role: str
    units: tuple[str, ...] | None = None
    who: str = ""

    @property
    def may_upload(self) -> bool:
        return self.role in ("data", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


LOCAL_ADMIN = Grant(role="admin", who="local")


@dataclass(frozen=True)
class Rules:
    emails: Mapping[str, Grant]
    groups: Mapping[str, Grant]
    group_claim: str = "groups"


def rules_path() -> Path:
    """CCHC_ACCESS names another file (a test, a second deployment)."""
    env = os.environ.get("CCHC_ACCESS")
    return Path(env) if env else DEFAULT_FILE


def _grant(key: str, value: object) -> Grant:
    role: object
    if isinstance(value, str):
        role, units = value, None
    elif isinstance(value, Mapping):
        role, units = value.get("role"), value.get("units")
    else:
        role, units = None, None
    if role not in ROLES:
        raise AccessFileError(
            f"«{key}»: vai trò phải là một trong {', '.join(ROLES)}.",
            f"'{key}': the role must be one of {', '.join(ROLES)}.",
        )
    if role == "unit":
        if not isinstance(units, list) or not units or not all(isinstance(u, str) and u.strip() for u in units):
            raise AccessFileError(
                f'«{key}»: vai trò unit cần danh sách mã đơn vị (units = ["…"]).',
                f"'{key}': the unit role needs a list of unit codes (units = [\"…\"]).",
            )
        return Grant(role="unit", units=tuple(u.strip() for u in units))
    if units is not None:
        raise AccessFileError(
            f"«{key}»: chỉ vai trò unit mới có danh sách đơn vị; vai trò {role} xem toàn tỉnh.",
            f"'{key}': only the unit role lists units; {role} sees the whole province.",
        )
    return Grant(role=role)


def parse(text: str) -> Rules:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AccessFileError(f"Tệp phân quyền không đúng cú pháp TOML: {exc}", f"Not valid TOML: {exc}") from None
    emails = {str(k).strip().lower(): _grant(k, v) for k, v in doc.get("emails", {}).items()}
    groups = {str(k): _grant(k, v) for k, v in doc.get("groups", {}).items()}
    claim = doc.get("group_claim", "groups")
    if not isinstance(claim, str) or not claim:
        raise AccessFileError("group_claim phải là tên một claim.", "group_claim must name a claim.")
    return Rules(emails=emails, groups=groups, group_claim=claim)


def load(path: Path | None = None) -> Rules:
    path = path or rules_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise AccessFileError("Không đọc được tệp phân quyền.", "The access file cannot be read.") from None
    return parse(text)


def decide(rules: Rules, claims: Mapping[str, object]) -> Grant | None:
    """The grant of a signed-in reader from their identity token's claims, or None."""
    email = claims.get("email")
    who = str(email or claims.get("sub") or "")
    # an address the provider says it has not verified names nobody
    if isinstance(email, str) and claims.get("email_verified") is not False:
        found = rules.emails.get(email.strip().lower())
        if found is not None:
            return Grant(role=found.role, units=found.units, who=who)
    raw = claims.get(rules.group_claim)
    names = [raw] if isinstance(raw, str) else [str(g) for g in raw] if isinstance(raw, list) else []
    matched = [rules.groups[g] for g in names if g in rules.groups]
    if not matched:
        return None
    role = max((g.role for g in matched), key=ROLES.index)
    if role != "unit":
        return Grant(role=role, who=who)
    units = tuple(dict.fromkeys(u for g in matched for u in (g.units or ())))
    return Grant(role="unit", units=units, who=who)


def login_provider(auth: Mapping[str, object] | None) -> str | None:
    """The provider st.login() should use, or None when no login is configured: the
    [auth] section needs redirect_uri and cookie_secret, and client credentials either
    in itself ("default") or in one [auth.<name>] table."""
    if not auth or not all(auth.get(k) for k in ("redirect_uri", "cookie_secret")):
        return None
    if all(auth.get(k) for k in AUTH_KEYS):
        return "default"
    for name, section in auth.items():
        if isinstance(section, Mapping) and all(section.get(k) for k in AUTH_KEYS):
            return str(name)
    return None


def is_loopback(address: str | None) -> bool:
    """True only for an address that this machine alone can reach. Unset means every
    interface (Streamlit's default), so it is not loopback."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False
