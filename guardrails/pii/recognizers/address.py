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
    numeral = r"(?:[A-Z]?\d{1,4}(?:-[A-Z0-9]{1,3})?|[一二三四五六七八九十]{1,3}|[A-Z])"  # C1栋, R2-B栋
    province = f"(?:{_alt('provinces')}{_alt('province_suffixes')}?)"
    city = f"(?:{_CJK}{{2,4}}?{_alt('city_suffixes')})"
    district = f"(?:{_CJK}{{1,4}}?(?<!小|社){_alt('district_suffixes')})"  # 阳光小区 is a compound
    town = f"(?:{_CJK}{{1,4}}?{_alt('town_suffixes')})"
    # A village or community with its group (王庄村3组, 琳琅村四社, 林梓社区13组) right after a county,
    # district or town: rural addresses have no house number. Without that level it is a place.
    group = f"(?:{numeral}{_alt('village_group_suffixes')})"
    village = f"(?:(?<=[{''.join(sorted(_last_chars()))}]){_CJK}{{1,4}}?{_alt('village_suffixes')}{group}?)"
    levels = f"(?:{province}|{city}|{district}|{town}|{village})"
    # Each level atomic: once read it is not re-split, which keeps a run like 北京市北京市北京市...
    # from being tried in every possible segmentation; the last levels may still be given back
    # (新市路3巷6号 is a road, not the district 新市; 太古里南区 a mall zone, not a district).
    admin = f"(?:(?>{levels})){{0,6}}"
    # Each road read once, the longest (五四路和平里巷9号, 北京路步行街238号); a second may follow.
    # 信义路五段, 忠孝东路四段216巷27弄: a section, then lanes and alleys
    road = f"(?>{_CJK}{{1,8}}{_alt('road_suffixes')}(?:{numeral}段)?(?:{numeral}(?:弄|巷)){{0,2}})"
    crossing = f"(?:{road}{_alt('intersection_joiners')}{road}{_alt('intersection_ends')}?)"  # 鞍山西道与白堤路交口
    streets = f"(?:{crossing}|{road}{road}?)"
    # 478号, 5号附2号; 5号楼 and 5号馆 are buildings
    number = f"(?:\\d{{1,5}}(?:-\\d{{1,5}})?{_alt('number_suffixes')}(?:[附之]\\d{{1,4}}号?)?(?!楼|馆))"
    compound = f"(?:[\u4e00-\u9fffA-Za-z0-9]{{1,10}}{_alt('compound_suffixes')})"
    compounds = f"(?:(?>{compound})){{1,3}}"  # 碧桂园凤凰城凤鸣苑, 百隆广场写字楼: each read once
    building = f"(?:{_alt('floor_prefixes')}?{numeral}{_alt('building_suffixes')})"  # 负一层
    # 2302室, L201, 6A056 (a shop unit in a mall), 17-2, L4-16
    # 之1 (7楼之1), F室
    room = (
        f"(?:之?[A-Z]{{0,2}}(?:\\d{{1,2}}[A-Z])?-?\\d{{1,5}}(?:-\\d{{1,5}}){{0,2}}{_alt('room_suffixes')}?"
        f"|[A-Z]{{1,2}}{_alt('room_suffixes')})"
    )
    # right after a compound without a building: S8-12, 15-3-602, 501 (not 2024年, 999元)
    bare_room = (
        f"(?:[A-Z]{{1,2}}\\d{{1,4}}(?:-\\d{{1,4}})?|\\d{{1,4}}-\\d{{1,4}}(?:-\\d{{1,5}})?"
        f"|\\d{{3,4}}{_alt('room_suffixes')}?(?![0-9元块件个年月日天次人米%]))"
    )
    # 嘉里中心南区2楼, 翠苑二区, 阳光佳苑C区, 凤鸣苑二街
    zone = f"(?:{_alt('compound_zones')}|(?:[A-Z]|[一二三四五六七八九十]{{1,2}}|\\d{{1,2}})(?:区|街|巷))?"
    # after the house number: a compound (圣爱大厦2003室), a building named without a suffix we list
    # (颐和国际A座2505), or a room (12号601室)
    after_number = f"(?:{compounds}{zone})?(?:(?:{_CJK}{{2,6}}?)?{building}{{1,3}}{room}?|{room})?"
    street_level = f"{streets}{zone}(?:{number}|{building}){after_number}"
    compound_level = f"(?:{streets}{number}?)?{compounds}{zone}(?:{building}{{1,3}}{room}?|{bare_room})"
    # Nothing more after a village or its group, or a house number (长安村2组18号).
    ends = (*words("address", "village_suffixes"), *words("address", "village_group_suffixes"))
    village_ends = "|".join(f"(?<={re.escape(word)})" for word in ends)
    rural = f"(?:{village_ends}){number}?"  # 新村6号楼 is a compound's building: given back
    # A road without a number after two administrative levels (嘉兴市南湖区和平街道中山东路,
    # 城关镇北环路中段), or after one with a gate or section named (西城区金融大街和平门内).
    tail = f"(?:{_CJK}{{1,3}}?{_alt('road_tails')}|{_alt('road_tails')})"
    # It ends its clause: 成都市锦江区春熙路街道有门店吗 asks about a place.
    road_only = f"(?:(?:(?>{levels})){{2,6}}{road}{tail}?|(?>{levels}){road}{tail})(?!{_CJK})"
    return f"(?:{admin}(?:{street_level}|{compound_level}|{rural})|{road_only})(?![A-Za-z0-9])"


def _last_chars() -> set[str]:
    """Last characters of the district and town suffixes (县, 镇, 乡, 区, 道 …): a village follows one."""
    return {word[-1] for key in ("district_suffixes", "town_suffixes") for word in words("address", key)}


# Every address has a numbered part (478号, 3栋, 501室, A座, 15-3-602), a village after a county or
# town, or a road after a district or town; the grammar only runs in a window around one.
_CORE = re.compile(
    r"(?:\d{1,5}|[A-Z])(?:号院|号楼|号馆|号|弄|栋|幢|座|单元|门|室|楼|层|期|铺|区|街)"
    r"|\d{1,4}-\d{1,4}-\d{1,5}"
    r"|(?:县|镇|乡|区|道)[\u4e00-\u9fff]{1,4}?(?:村|屯|寨|社区)"  # a village after a county or town
    r"|(?:县|镇|乡|区|道|旗)[\u4e00-\u9fff]{1,8}?(?:路|街|巷|胡同|里)"  # a road after a district or town
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
        tails = words("address", "road_tails")
        place_suffix = "|".join(map(re.escape, (*suffixes, *words("address", "town_suffixes"), *compounds, *tails)))
        # 和平区, 和平街, 和信公寓, 永和家园, 和府奥园: the stop word begins or sits inside a place name
        self._place_after = re.compile(f"{_CJK}{{0,3}}?(?:{place_suffix})")
        self._digit = re.compile(r"\d")
        levels = ("province_suffixes", "city_suffixes", "district_suffixes", "town_suffixes", "road_suffixes")
        level_words = sorted({w for key in (*levels, "village_suffixes") for w in words("address", key)}, key=len)
        self._level = re.compile("|".join(map(re.escape, reversed(level_words))))

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
        level = self._level.search(text, candidate.start, limit)
        settled = level.end() if level else limit
        for match in self._stop.finditer(text, candidate.start, limit):
            if match.group() in self._place_stops and self._place_after.match(text, match.end()):
                continue  # 和平区, 和平街: the stop word begins a place name
            if len(match.group()) == 1 and match.start() >= settled:
                continue  # 长安镇乌沙社区兴发南路: after a level is read, one character is part of a name
            cut = match.end()
        if cut > candidate.start:
            candidate = candidate._replace(start=cut)
        return candidate if candidate.end - candidate.start >= 4 else None
