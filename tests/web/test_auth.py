"""Staff users, password hashes, signed sessions and CSRF tokens (no engine needed)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from bot.settings import Settings
from bot.web.auth import AuthError, Signer, StaffUser, UserStore, allowed_roles, users_url


@pytest.fixture
def store(tmp_path) -> UserStore:
    return UserStore(create_engine(f"sqlite:///{tmp_path / 'users.db'}"))


def test_when_password_matches_then_the_user_and_role_come_back(store: UserStore) -> None:
    store.add("li.agent", "agent", "correct horse 1")
    assert store.authenticate("li.agent", "correct horse 1") == StaffUser("li.agent", "agent")


@pytest.mark.parametrize(
    ("name", "password"),
    [("li.agent", "wrong password"), ("nobody", "correct horse 1"), ("li.agent", "")],
)
def test_when_name_or_password_is_wrong_then_no_user(store: UserStore, name: str, password: str) -> None:
    store.add("li.agent", "agent", "correct horse 1")
    assert store.authenticate(name, password) is None


def test_when_stored_then_the_password_is_an_argon2id_hash(store: UserStore, tmp_path) -> None:
    store.add("qa1", "qa", "correct horse 1")
    with create_engine(f"sqlite:///{tmp_path / 'users.db'}").connect() as conn:
        stored = conn.execute(text("select password_hash from web_users")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored


def test_when_added_again_then_password_and_role_are_replaced(store: UserStore) -> None:
    store.add("boss", "qa", "first password")
    store.add("boss", "admin", "second password")
    assert store.authenticate("boss", "first password") is None
    assert store.authenticate("boss", "second password") == StaffUser("boss", "admin")
    assert store.names() == [("boss", "admin")]


@pytest.mark.parametrize(
    ("name", "role", "password", "complaint"),
    [
        ("a", "agent", "long enough 1", "用户名"),
        ("<script>", "agent", "long enough 1", "用户名"),
        ("zhang", "customer", "long enough 1", "未知角色"),
        ("zhang", "agent", "short", "密码至少"),
    ],
)
def test_when_user_is_invalid_then_the_error_says_why(store: UserStore, name, role, password, complaint) -> None:
    with pytest.raises(AuthError, match=complaint):
        store.add(name, role, password)


def test_when_cookie_is_signed_by_us_then_it_reads_back() -> None:
    signer = Signer(b"k" * 32)
    assert signer.read_session(signer.session_cookie(StaffUser("x1", "qa"))) == StaffUser("x1", "qa")


@pytest.mark.parametrize("tamper", ["other-key", "edited", "empty", "garbage"])
def test_when_cookie_is_forged_or_edited_then_no_user(tamper: str) -> None:
    signer = Signer(b"k" * 32)
    cookie = signer.session_cookie(StaffUser("x1", "agent"))
    forged = {
        "other-key": Signer(b"z" * 32).session_cookie(StaffUser("x1", "admin")),
        "edited": Signer(b"z" * 32).session_cookie(StaffUser("x1", "admin")).split(".")[0]
        + "."
        + ".".join(cookie.split(".")[1:]),
        "empty": "",
        "garbage": "not.a.cookie",
    }[tamper]
    assert signer.read_session(forged) is None


def test_when_csrf_token_matches_its_cookie_then_ok_else_refused() -> None:
    signer = Signer(b"k" * 32)
    nonce = signer.new_csrf_nonce()
    token = signer.csrf_token(nonce)
    assert signer.csrf_ok(token, nonce)
    assert not signer.csrf_ok(token, signer.new_csrf_nonce())
    assert not signer.csrf_ok(Signer(b"z" * 32).csrf_token(nonce), nonce)
    assert not signer.csrf_ok(None, nonce)


@pytest.mark.parametrize(
    ("permission", "roles"),
    [("copilot", {"agent"}), ("reveal", {"agent"}), ("qa", {"qa", "admin"}), ("records", {"qa", "admin"})],
)
def test_role_table_grants_each_permission_to_exactly_these_roles(permission: str, roles: set[str]) -> None:
    assert allowed_roles(permission) == roles


def test_when_no_database_url_then_users_live_in_csbot_home(tmp_path) -> None:
    assert users_url(Settings(home=tmp_path)) == f"sqlite:///{(tmp_path / 'users.db').resolve()}"
    assert users_url(Settings(home=tmp_path, db_url="sqlite:///x.db")) == "sqlite:///x.db"
