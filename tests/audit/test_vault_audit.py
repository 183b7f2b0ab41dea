"""The vault's audit trail keeps who revealed or erased what and why; a reason typed with personal
data in it is kept masked, so the vault file holds the values encrypted and nowhere in clear."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings
from guardrails.pii import open_vault
from tests.audit.planted import EMAIL, ID_CARD, PHONE, leaked

REASON = f"客户要求核对，回电{PHONE}，邮箱{EMAIL}"


def _vault_bytes(home: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(home.glob("vault.db*")) if path.is_file())


def test_when_a_reveal_reason_holds_personal_data_then_the_audit_keeps_it_masked(bot_settings: Settings) -> None:
    vault = open_vault(bot_settings.vault_config)
    vault.put("CS-1", "[身份证号1]", "id_card", ID_CARD)
    assert vault.reveal("CS-1", "[身份证号1]", actor="agent-1", reason=REASON) == ID_CARD
    vault.delete_conversation("CS-1", actor="agent-1", reason=REASON)
    reasons = [row["reason"] for row in vault.reveals("CS-1")]
    assert len(reasons) == 2 and all("[已删除]" in str(reason) for reason in reasons)
    assert leaked("\n".join(map(str, reasons))) == []
    assert leaked(_vault_bytes(bot_settings.home)) == []
