"""The rights rule reaches the customer's reply: also on the turn that hands the case to a human, once."""

from __future__ import annotations

from collections.abc import Callable

from tests.fixtures.bot import Chat


def test_a_handover_still_states_the_rule_asked_about_once(chat: Callable[[], Chat]) -> None:
    c = chat()
    first = c.user("网上买的台灯坏了你们一直不处理，再不退我就打12315投诉")
    c.expect(escalated=True)
    assert "第三十九条" in first.reply and "向有关行政部门投诉" in first.reply, first.reply
    again = c.user("我就是要投诉到12315")
    assert "第三十九条" not in again.reply, again.reply  # stated once, not on every waiting turn


def test_a_new_class_is_grounded_in_the_opening_reply(chat: Callable[[], Chat]) -> None:
    c = chat()
    reply = c.user("商场的保安把我拉到小屋里翻我的包，说怀疑我偷东西")
    assert "《中华人民共和国消费者权益保护法》第二十七条：“" in reply.reply, reply.reply
