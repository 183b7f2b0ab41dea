"""Many sessions at once, and several bot instances (as several app processes) over one database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.service import CsBot
from bot.settings import Settings
from bot.types import Turn

SCRIPT = ["我买的台灯坏了", "订单号 A20241120，三天前收到的", "有照片", "修理吧"]


def test_parallel_sessions_keep_their_own_cases_and_one_intact_chain(bot_settings: Settings) -> None:
    bots = [CsBot(bot_settings), CsBot(bot_settings)]  # two "processes" sharing the records database
    sessions = [f"session-{index}" for index in range(6)]

    def run(index: int) -> list[str]:
        bot, session = bots[index % 2], sessions[index]
        return [bot.handle(Turn(session, text)).step for text in SCRIPT]

    with ThreadPoolExecutor(max_workers=3) as pool:
        steps = list(pool.map(run, range(len(sessions))))
    assert all(path[-1] == "record" for path in steps), steps
    records = bots[0].records
    assert records.verify().ok and records.verify().checked == len(sessions) * len(SCRIPT)
    cases = records.cases()
    assert len(cases) == len(sessions) and {case.turns for case in cases} == {len(SCRIPT)}
    for bot in bots:
        bot.close()


def test_one_session_can_move_between_instances(bot_settings: Settings) -> None:
    bots = [CsBot(bot_settings), CsBot(bot_settings)]
    replies = [bots[index % 2].handle(Turn("roaming", text)) for index, text in enumerate(SCRIPT)]
    assert len({reply.case_id for reply in replies}) == 1
    assert [reply.step for reply in replies] == ["investigate", "investigate", "resolve", "record"]
    for bot in bots:
        bot.close()
