"""Who answers the customer, read from the case's records (issue 15)."""

from __future__ import annotations

from bot.handover import owner


def row(kind: str, actor: str = "customer", reply: str | None = None) -> dict:
    return {"kind": kind, "actor": actor, "body": {"reply": reply} if reply else {}}


def test_the_bot_answers_until_the_case_is_handed_over() -> None:
    assert owner([]) == "bot"
    assert owner([row("consent"), row("turn", reply="您好")]) == "bot"


def test_an_explicit_escalation_waits_for_an_agent_and_an_agents_message_takes_the_case() -> None:
    rows = [row("turn", reply="您好"), row("escalation", reply="已为您转人工")]
    assert owner(rows) == "waiting"
    rows.append(row("agent", "agent", reply="您好，我是客服小李"))
    assert owner(rows) == "agent"
    rows.append(row("escalation", "agent", reply="已升级"))  # an agent escalating onward keeps the case
    assert owner(rows) == "agent"


def test_an_agent_may_write_without_an_escalation_and_ending_gives_the_case_back() -> None:
    rows = [row("turn", reply="您好"), row("agent", "agent", reply="我来处理")]
    assert owner(rows) == "agent"
    rows.append(row("end", "agent"))
    assert owner(rows) == "bot"


def test_taking_the_case_in_the_copilot_silences_the_bot_until_it_is_released() -> None:
    rows = [row("turn", reply="您好"), row("take", "agent")]
    assert owner(rows) == "agent"  # 接手 in the copilot: the customer's next message waits for the agent
    rows.append(row("release", "agent"))
    assert owner(rows) == "bot"


def test_the_copilots_owner_and_the_widgets_owner_agree() -> None:
    from bot.ownership import owner_in

    rows = [row("turn", reply="您好"), {"kind": "take", "actor": "agent", "body": {"agent_id": "li"}}]
    assert owner_in(rows) == "li" and owner(rows) == "agent"
    rows.append({"kind": "release", "actor": "agent", "body": {"agent_id": "li"}})
    assert owner_in(rows) is None and owner(rows) == "bot"
