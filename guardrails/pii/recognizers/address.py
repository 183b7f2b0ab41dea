"""Street addresses: province / city / district / town / road + number / compound / building / room.

The grammar words come from the lexicon. An address must reach street level (road + house number)
or a compound with a building or room (阳光小区3栋2单元501): a bare place (我在北京出差, 朝阳区)
is a location, not an address, and survives. The left edge is fixed afterwards: the match is cut
after the last stop word before its first digit (我住在|北京市..., 麻烦送到|人民路12号). Every
quantifier is bounded.
"""

from __future__ import annotations

import re

from guardrails.pii.lexicon import words
from guardrails.pii.recognizer import Candidate, Pattern, Recognizer

_CJK = "[\u4e00-\u9fff]"


def _alt(key: str) -> str:
    return "(?:" + "|".join(re.escape(word) for word in words("address", key)) + ")"


def _grammar() -> str:
    numeral = r"(?:[A-Z]?\d{1,4}|[一二三四五六七八九十]{1,3}|[A-Z])"  # C1栋: a letter may lead
    province = f"(?:{_alt('provinces')}{_alt('province_suffixes')}?)"
    city = f"(?:{_CJK}{{2,4}}?{_alt('city_suffixes')})"
    district = f"(?:{_CJK}{{1,4}}?(?<!小|社){_alt('district_suffixes')})"  # 阳光小区 is a compound
    town = f"(?:{_CJK}{{1,4}}?{_alt('town_suffixes')})"
    # Atomic: once the administrative prefix is read it is not re-split, which keeps a run like
    # 北京市北京市北京市... from being tried in every possible segmentation.
    admin = f"(?>(?:{province}|{city}|{district}|{town}){{0,5}})"
    road = f"(?:{_CJK}{{1,8}}?{_alt('road_suffixes')}(?:{numeral}(?:弄|巷))?)"
    number = f"(?:\\d{{1,5}}(?:-\\d{{1,5}})?{_alt('number_suffixes')}(?!楼))"  # 5号楼 is a building
    compound = f"(?:[\u4e00-\u9fffA-Za-z0-9]{{1,10}}{_alt('compound_suffixes')})"
    building = f"(?:{numeral}{_alt('building_suffixes')})"
    # 2302室, L201, 6A056 (a shop unit in a mall)
    room = f"(?:[A-Z]{{0,2}}(?:\\d{{1,2}}[A-Z])?-?\\d{{1,5}}{_alt('room_suffixes')}?)"
    zone = f"{_alt('compound_zones')}?"  # 嘉里中心南区2楼
    street_level = f"{road}(?:{number}|{building}){compound}?{building}{{0,3}}{room}?"  # 和义东里5号楼
    compound_level = f"{compound}{zone}{building}{{1,3}}{room}?"
    # A village with its group (王庄村3组, 琳琅村四社) after at least one administrative level: rural
    # addresses have no house number. Without the county or town before it, a village is a place.
    village = f"(?:{_CJK}{{1,4}}?{_alt('village_suffixes')}(?:{numeral}{_alt('village_group_suffixes')})?)"
    village_level = f"(?<=[{''.join(_last_chars())}]){village}"
    return f"{admin}(?:{street_level}|{compound_level}|{village_level})(?![A-Za-z0-9])"


def _last_chars() -> set[str]:
    """Last characters of the district and town suffixes (县, 镇, 乡, 区, 道 …): a village follows one."""
    return {word[-1] for key in ("district_suffixes", "town_suffixes") for word in words("address", key)}


# Every address has a numbered part (478号, 3栋, 501室, A座); the grammar only runs in a window around one.
_CORE = re.compile(
    r"(?:\d{1,5}|[A-Z])(?:号院|号楼|号|弄|栋|幢|座|单元|室|楼|层|期|铺)"
    r"|(?:县|镇|乡|区|道)[\u4e00-\u9fff]{1,4}?(?:村|屯|寨)"  # a village after a county or town
)
_WINDOW = 48


class AddressRecognizer(Recognizer):
    type = "address"
    name = "cn_address"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.patterns = (Pattern("cn_address", _grammar(), 0.85),)
        self._stop = re.compile(_alt("stop_words"))
        self._place_stops = frozenset(words("address", "stop_words_in_place_names"))
        suffixes = (*words("address", "district_suffixes"), *words("address", "road_suffixes"))
        compounds = (*words("address", "compound_suffixes"), *words("address", "village_suffixes"))
        place_suffix = "|".join(map(re.escape, (*suffixes, *words("address", "town_suffixes"), *compounds)))
        # 和平区, 和平街, 和信公寓, 永和家园, 和府奥园: the stop word begins or sits inside a place name
        self._place_after = re.compile(f"{_CJK}{{0,3}}?(?:{place_suffix})")
        self._digit = re.compile(r"\d")

    def windows(self, text: str) -> list[tuple[int, int]]:
        """Merged windows of text around numbered parts; the grammar never scans anything else."""
        merged: list[tuple[int, int]] = []
        for core in _CORE.finditer(text):
            start, end = max(0, core.start() - _WINDOW), min(len(text), core.end() + _WINDOW)
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return merged

    def analyze(self, text: str) -> list[Candidate]:
        found = []
        (pattern,) = self.patterns
        for start, end in self.windows(text):
            for match in pattern.compiled.finditer(text, start, end):
                candidate = self._score(text, match, pattern)
                trimmed = self._trim(text, candidate) if candidate is not None else None
                if trimmed is not None:
                    found.append(trimmed)
        return found

    def _trim(self, text: str, candidate: Candidate) -> Candidate | None:
        """Cut the match after the last stop word before its first digit (我住在|北京市...)."""
        head_end = self._digit.search(text, candidate.start, candidate.end)
        limit = head_end.start() if head_end else candidate.end
        cut = candidate.start
        for match in self._stop.finditer(text, candidate.start, limit):
            if match.group() in self._place_stops and self._place_after.match(text, match.end()):
                continue  # 和平区, 和平街: the stop word begins a place name
            cut = match.end()
        if cut > candidate.start:
            candidate = candidate._replace(start=cut)
        return candidate if candidate.end - candidate.start >= 4 else None
