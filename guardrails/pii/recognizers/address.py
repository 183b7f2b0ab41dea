"""Street addresses: province / city / district / town / road + number / compound / building / room.

The grammar words come from the lexicon. An address must reach street level (road + house number)
or a compound with a building or room (阳光小区3栋2单元501): a bare place (我在北京出差, 朝阳区)
is a location, not an address, and survives. Place-name parts are runs of characters that cannot
contain the lexicon's stop characters, so 我住在北京市 starts at 北京. Every quantifier is bounded.
"""

from __future__ import annotations

import re

from guardrails.pii.lexicon import chars, words
from guardrails.pii.recognizer import Pattern, Recognizer


def _alt(section_key: str) -> str:
    return "(?:" + "|".join(re.escape(word) for word in words("address", section_key)) + ")"


def _grammar() -> str:
    stop = "".join(sorted(chars("address", "stop_chars")))
    place = f"[^\\W\\d_A-Za-z{stop}]"  # a CJK character that can belong to a place name
    numeral = r"(?:\d{1,4}|[一二三四五六七八九十]{1,3}|[A-Z])"
    province = f"(?:{_alt('provinces')}{_alt('province_suffixes')}?)"
    city = f"(?:{place}{{2,4}}?{_alt('city_suffixes')})"
    district = f"(?:{place}{{1,4}}?{_alt('district_suffixes')})"
    town = f"(?:{place}{{1,4}}?{_alt('town_suffixes')})"
    admin = f"(?:{province}|{city}|{district}|{town}){{0,5}}"
    road = f"(?:{place}{{1,8}}?{_alt('road_suffixes')}(?:{numeral}(?:弄|巷))?)"
    number = f"(?:\\d{{1,5}}(?:-\\d{{1,5}})?{_alt('number_suffixes')})"
    compound = f"(?:[{place[1:-1]}A-Za-z0-9]{{1,10}}?{_alt('compound_suffixes')})"
    building = f"(?:{numeral}{_alt('building_suffixes')})"
    room = f"(?:\\d{{1,5}}{_alt('room_suffixes')}?)"
    street_level = f"{road}{number}{compound}?{building}{{0,3}}{room}?"
    compound_level = f"{compound}{building}{{1,3}}{room}?"
    return f"{admin}(?:{street_level}|{compound_level})(?![A-Za-z0-9])"


class AddressRecognizer(Recognizer):
    type = "address"
    name = "cn_address"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.patterns = (Pattern("cn_address", _grammar(), 0.85),)
