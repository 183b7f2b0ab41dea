"""bot/settings.py builds the narrow configurations the lower layers declare, from CSBOT_* variables."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from bot.settings import load_settings
from guardrails.pii.vault import VaultConfig, VaultError, open_vault
from knowledge.config import SearchConfig


def test_when_search_variables_are_set_then_the_search_config_carries_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSBOT_HOME", str(tmp_path))
    monkeypatch.setenv("CSBOT_DENSE_WEIGHT", "0")
    monkeypatch.setenv("CSBOT_TOPIC_PRIOR", "0.7")
    monkeypatch.setenv("CSBOT_CHROMA_URL", "http://127.0.0.1:8123")
    config = load_settings().search_config
    assert config == SearchConfig(
        index_dir=tmp_path / "index", chroma_url="http://127.0.0.1:8123", dense_weight=0.0, topic_prior=0.7
    )


def test_the_search_config_defaults_are_the_settings_defaults(tmp_path: Path) -> None:
    """knowledge/ used with a hand-built SearchConfig searches as the product does."""
    assert load_settings(home=tmp_path).search_config == SearchConfig(index_dir=tmp_path / "index")


def test_when_a_vault_key_is_given_then_the_vault_config_uses_it_and_never_prints_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = b"k" * 32
    monkeypatch.setenv("CSBOT_VAULT_KEY", base64.b64encode(key).decode())
    config = load_settings(home=tmp_path).vault_config
    assert config.key == key
    assert config.url == f"sqlite:///{(tmp_path / 'vault.db').resolve()}"
    assert base64.b64encode(key).decode() not in repr(config) and "kkkk" not in repr(config)
    assert not (tmp_path / "keys" / "vault.key").exists()  # no key file when the key is given


def test_without_a_vault_key_the_same_generated_key_opens_the_same_vault(tmp_path: Path) -> None:
    first = load_settings(home=tmp_path).vault_config
    open_vault(first).put("c1", "[手机号1]", "PHONE", "13800138000")
    second = load_settings(home=tmp_path).vault_config
    assert second == first and len(second.key) == 32
    value = open_vault(second).reveal("c1", "[手机号1]", actor="质检员", reason="核对")
    assert value == "13800138000"


def test_a_vault_config_with_a_short_key_is_refused() -> None:
    with pytest.raises(VaultError, match="32 bytes"):
        open_vault(VaultConfig(url="sqlite://", key=b"short"))
