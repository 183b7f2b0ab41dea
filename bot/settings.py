"""One settings object, read from ``CSBOT_*`` environment variables.

Every stage receives the settings it needs as an argument; nothing reads the environment on its
own. ``CSBOT_HOME`` (default ``./.csbot``) holds the index, the databases and the keys, so a test or
a benchmark can point the whole product at a temporary folder.
"""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.config import SearchConfig
from knowledge.offline import OFFLINE_ENVIRONMENT, enforce_offline_environment

if TYPE_CHECKING:
    from guardrails.pii.vault import VaultConfig

__all__ = ["OFFLINE_ENVIRONMENT", "Settings", "enforce_offline_environment", "load_settings"]


class Settings(BaseSettings):
    """Configuration of one csbot installation (environment variables ``CSBOT_*``)."""

    model_config = SettingsConfigDict(env_prefix="CSBOT_", extra="ignore")

    home: Path = Field(default=Path(".csbot"), description="Folder for index, databases and keys")

    # Records (written record of every exchange). SQLite in CSBOT_HOME unless a URL is given.
    db_url: str | None = Field(default=None, description="SQLAlchemy URL, e.g. postgresql+psycopg://...")
    vault_db_url: str | None = Field(default=None, description="Separate store for the PII vault")
    checkpoints_file: Path | None = Field(
        default=None, description="Append-only file of signed chain checkpoints (home/anchors/checkpoints.jsonl)"
    )

    # Retrieval
    embed_model: str | None = Field(
        default=None, description="sentence-transformers model directory; default: the shipped model"
    )
    chroma_url: str | None = Field(default=None, description="Chroma server URL (scale-out); default: on disk")
    bm25_weight: float = Field(default=1.0, ge=0.0, description="Weight of BM25 in the score fusion")
    dense_weight: float = Field(
        default=0.5,
        ge=0.0,
        description="Weight of the dense side (chromadb vectors) in the score fusion; 0 = BM25 only, no vectors built",
    )
    law_prior: float = Field(
        default=0.4, ge=0.0, description="Weight of the source-document (law / policy) evidence prior; 0 turns it off"
    )
    core_law_prior: float = Field(
        default=0.4,
        ge=0.0,
        description="Boost for core customer-service laws (knowledge/data/core_laws.yaml) and policies; 0 = off",
    )
    topic_prior: float = Field(
        default=0.4,
        ge=0.0,
        description="Boost for the laws or parts of 民法典 a query's words name (knowledge/data/topics.yaml); 0 = off",
    )
    top_k: int = 5

    # Drafting
    drafter: Literal["template", "llm"] = "template"
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_s: float = 30.0
    llm_max_retries: int = 1
    llm_max_prompt_tokens: int = 6000
    llm_facts: bool = Field(
        default=True,
        description="with an LLM endpoint configured, it also proposes the facts of each message (structured "
        "output), each kept only where the customer's words support it; false: the word lists alone",
    )
    llm_facts_timeout_s: float = Field(default=10.0, gt=0, description="how long a fact request may take")

    # Guardrails and procedure
    pii_operator: Literal["placeholder", "mask", "redact", "hash"] = "placeholder"
    vault_key: str | None = Field(default=None, description="base64 AES-256 key; default: generated in home")
    escalate_after_turns: int = 8
    identity_sender: Literal["demo", "http", "none"] = Field(
        default="demo",
        description="one-time codes for personal-information requests: demo (shown in the agent console only), "
        "http (a company's SMS/e-mail gateway) or none (identity checks go to a human); see bot/identity",
    )
    identity_sender_url: str | None = Field(default=None, description="the gateway's URL for identity_sender=http")
    identity_sender_token: str | None = Field(default=None, description="bearer token for that gateway, if any")
    identity_db_url: str | None = Field(
        default=None, description="where one-time codes are kept (hashed); default: the records' database URL if set"
    )

    # Web app
    host: str = "127.0.0.1"
    port: int = 7860
    secret_key: str | None = Field(default=None, description="session signing key; default: generated")
    rate_limit_per_minute: int = Field(default=30, description="public endpoints: requests per client per minute")

    # Web security (docs/security.md); the other limits per purpose are in bot/web/ratelimits.yaml
    trusted_proxies: str = Field(
        default="", description="comma-separated addresses/CIDRs whose X-Forwarded-For is believed; empty: none"
    )
    widget_origins: str = Field(
        default="", description="space-separated origins allowed to frame /widget (CSP frame-ancestors); empty: none"
    )
    record_timezone: str | None = Field(
        default=None, description="IANA zone the 书面记录 shows times in; default bot/records/record_text.yaml's"
    )
    customer_token_ttl_s: int = Field(default=24 * 3600, ge=60, description="lifetime of a customer bearer token")
    customer_resume_s: int = Field(
        default=30 * 24 * 3600, ge=60, description="how long an old customer token can be traded for a new one"
    )

    @property
    def records_url(self) -> str:
        return self.db_url or f"sqlite:///{(self.home / 'records.db').resolve()}"

    @property
    def vault_url(self) -> str:
        return self.vault_db_url or f"sqlite:///{(self.home / 'vault.db').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def search_config(self) -> SearchConfig:
        """What ``knowledge/`` needs to build and search the index (it never reads these settings itself)."""
        return SearchConfig(
            index_dir=self.index_dir,
            embed_model=self.embed_model,
            chroma_url=self.chroma_url,
            bm25_weight=self.bm25_weight,
            dense_weight=self.dense_weight,
            law_prior=self.law_prior,
            core_law_prior=self.core_law_prior,
            topic_prior=self.topic_prior,
        )

    @property
    def vault_config(self) -> VaultConfig:
        """What ``guardrails/``' vault needs: its database and its key (``CSBOT_VAULT_KEY`` or a key file).

        Reading it creates the key file on first use, as opening the vault always has.
        """
        from guardrails.pii.vault import VaultConfig, decode_vault_key  # the vault module loads the PII stack

        key = decode_vault_key(self.vault_key) if self.vault_key else self.key_file_secret("vault.key")
        return VaultConfig(url=self.vault_url, key=key)

    @cached_property
    def keys_dir(self) -> Path:
        path = self.home / "keys"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def key_file_secret(self, name: str, nbytes: int = 32) -> bytes:
        """A random secret kept in ``CSBOT_HOME/keys/<name>``, created on first use (mode 0600)."""
        path = self.keys_dir / name
        if not path.exists():
            # Written aside, then linked into place: with several processes starting at once the first
            # link wins and nobody ever reads a half-written (empty) key.
            temporary = path.with_name(f".{name}.{secrets.token_hex(6)}.tmp")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(nbytes))
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
            finally:
                os.unlink(temporary)
        return path.read_bytes()


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment, with explicit overrides winning."""
    enforce_offline_environment()
    return Settings(**overrides)  # type: ignore[arg-type]
