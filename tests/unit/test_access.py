"""The access rules of data/access.toml and the decision for one signed-in reader."""

from __future__ import annotations

import pytest

from metrics import access
from metrics.access import AccessFileError, Grant

RULES = access.parse(
    """
group_claim = "roles"
[emails]
"LanhDao@tinh.gov.vn" = "viewer"
"chutich@tinh.gov.vn" = { role = "unit", units = ["X1"] }
[groups]
"cchc-admin" = "admin"
"cchc-data" = "data"
"xa-a" = { role = "unit", units = ["A1"] }
"xa-b" = { role = "unit", units = ["B1", "A1"] }
"""
)


def test_an_email_entry_is_matched_without_regard_to_case():
    grant = access.decide(RULES, {"email": "lanhdao@TINH.gov.vn", "sub": "1"})
    assert grant == Grant(role="viewer", who="lanhdao@TINH.gov.vn")
    assert not grant.may_upload and not grant.is_admin


def test_a_unit_user_gets_only_their_units():
    grant = access.decide(RULES, {"email": "chutich@tinh.gov.vn"})
    assert grant.role == "unit" and grant.units == ("X1",)


def test_the_email_entry_wins_over_the_groups():
    grant = access.decide(RULES, {"email": "chutich@tinh.gov.vn", "roles": ["cchc-admin"]})
    assert grant.role == "unit"


def test_the_strongest_group_wins_and_unit_groups_add_up():
    assert access.decide(RULES, {"email": "a@x", "roles": ["cchc-data", "cchc-admin"]}).role == "admin"
    assert access.decide(RULES, {"email": "a@x", "roles": ["xa-a", "cchc-data"]}).role == "data"
    both = access.decide(RULES, {"email": "a@x", "roles": ["xa-a", "xa-b"]})
    assert both.role == "unit" and both.units == ("A1", "B1")
    assert access.decide(RULES, {"email": "a@x", "roles": "cchc-data"}).may_upload  # a single group as a string


def test_an_unknown_reader_gets_nothing():
    assert access.decide(RULES, {"email": "nguoila@example.com"}) is None
    assert access.decide(RULES, {"sub": "no-email", "roles": ["other"]}) is None
    assert access.decide(RULES, {}) is None


def test_an_address_the_provider_has_not_verified_names_nobody():
    assert access.decide(RULES, {"email": "lanhdao@tinh.gov.vn", "email_verified": False}) is None


@pytest.mark.parametrize(
    "text",
    [
        '[emails]\n"a@x" = "owner"',
        '[emails]\n"a@x" = { role = "unit" }',
        '[emails]\n"a@x" = { role = "unit", units = [] }',
        '[emails]\n"a@x" = { role = "viewer", units = ["A1"] }',
        "[emails\n",
    ],
)
def test_a_broken_rules_file_is_refused_with_a_vietnamese_reason(text):
    with pytest.raises(AccessFileError) as info:
        access.parse(text)
    assert info.value.message_vi


def test_the_shipped_rules_file_parses():
    rules = access.load(access.DEFAULT_FILE)
    assert rules.group_claim == "groups"


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("", False),  # unset: Streamlit listens on every interface
        (None, False),
        ("192.168.1.10", False),
        ("::", False),
        ("cchc.example.gov.vn", False),
    ],
)
def test_only_a_loopback_address_serves_without_a_login(address, loopback):
    assert access.is_loopback(address) is loopback


def test_a_login_is_configured_only_with_every_key_it_needs():
    base = {"redirect_uri": "http://h/oauth2callback", "cookie_secret": "s"}
    creds = {"client_id": "c", "client_secret": "s", "server_metadata_url": "http://p/.well-known/openid-configuration"}
    assert access.login_provider(None) is None
    assert access.login_provider(base) is None
    assert access.login_provider({**base, **creds}) == "default"
    assert access.login_provider({**base, "keycloak": creds}) == "keycloak"
    assert access.login_provider({**base, "keycloak": {"client_id": "c"}}) is None
    assert access.login_provider({**creds, "cookie_secret": "s"}) is None  # no redirect_uri
