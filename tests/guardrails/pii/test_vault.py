"""The encrypted vault: round trip, audited reveals, erasure, key handling, separate store."""

from __future__ import annotations

import base64
import sqlite3

import pytest

from bot.settings import load_settings
from guardrails.pii import Masker, Vault, VaultError, open_vault


@pytest.fixture
def vault() -> Vault:
    return open_vault(load_settings().vault_config)


def test_when_a_value_is_revealed_then_it_is_returned_and_the_reveal_is_recorded(vault: Vault) -> None:
    masked = Masker(vault=vault, conversation_id="c1").mask("电话13812345678").text
    assert masked == "电话[手机号1]"
    assert vault.reveal("c1", "[手机号1]", actor="agent-7", reason="回拨客户") == "13812345678"
    (row,) = vault.reveals("c1")
    assert (row["placeholder"], row["actor"], row["reason"], row["action"]) == (
        "[手机号1]",
        "agent-7",
        "回拨客户",
        "reveal",
    )
    assert "13812345678" not in repr(row)


@pytest.mark.parametrize(("actor", "reason"), [("", "回拨"), ("agent-7", " ")])
def test_when_actor_or_reason_is_missing_then_reveal_is_refused(vault: Vault, actor: str, reason: str) -> None:
    vault.put("c1", "[手机号1]", "phone", "13812345678")
    with pytest.raises(VaultError, match="actor"):
        vault.reveal("c1", "[手机号1]", actor=actor, reason=reason)
    assert vault.reveals("c1") == []


def test_when_values_are_stored_then_the_database_holds_no_plaintext(vault: Vault) -> None:
    vault.put("c1", "[手机号1]", "phone", "13812345678")
    settings = load_settings()
    raw = (
        sqlite3.connect(settings.vault_url.removeprefix("sqlite:///")).execute("select * from vault_entries").fetchall()
    )
    assert raw and b"13812345678" not in repr(raw).encode()


def test_when_conversation_is_deleted_then_values_are_gone_and_deletion_is_recorded(vault: Vault) -> None:
    vault.put("c1", "[手机号1]", "phone", "13812345678")
    vault.put("c2", "[手机号1]", "phone", "13900001111")
    assert vault.delete_conversation("c1") == 1
    with pytest.raises(VaultError, match="deleted"):
        vault.reveal("c1", "[手机号1]", actor="a", reason="r")
    assert [row["action"] for row in vault.reveals("c1")] == ["delete"]
    assert vault.reveal("c2", "[手机号1]", actor="a", reason="r") == "13900001111"


def test_when_the_key_changes_then_reveal_fails_loudly(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    vault.put("c1", "[手机号1]", "phone", "13812345678")
    monkeypatch.setenv("CSBOT_VAULT_KEY", base64.b64encode(b"z" * 32).decode())
    other = open_vault(load_settings().vault_config)
    with pytest.raises(VaultError, match="key"):
        other.reveal("c1", "[手机号1]", actor="a", reason="r")


@pytest.mark.parametrize("bad", ["not base64!", base64.b64encode(b"short").decode()])
def test_when_configured_key_is_malformed_then_error_says_how_to_fix(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("CSBOT_VAULT_KEY", bad)
    with pytest.raises(VaultError, match="CSBOT_VAULT_KEY"):
        open_vault(load_settings().vault_config)


def test_vault_lives_apart_from_the_records_database() -> None:
    settings = load_settings()
    assert settings.vault_url != settings.records_url


def test_when_a_masked_text_is_restored_then_each_placeholder_is_revealed(vault: Vault) -> None:
    masker = Masker(vault=vault, conversation_id="c9")
    text = "我叫张三，电话13812345678，邮箱zhangsan@qq.com"
    masked = masker.mask(text).text
    assert vault.restore("c9", masked, actor="qa", reason="质检") == text
    assert len(vault.reveals("c9")) == 3


def test_when_vault_is_given_without_conversation_then_masker_refuses(vault: Vault) -> None:
    with pytest.raises(ValueError, match="conversation_id"):
        Masker(vault=vault)
