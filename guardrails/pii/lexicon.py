"""Read ``guardrails/config/pii_lexicon.yaml`` (surnames, cue words, address grammar words) once.

The file goes through the one data-file loader (``knowledge.datafile``) with the model below, so a
misspelt key or a list where a string of characters belongs fails at load with file:line.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import Field

from guardrails.pii.config import CONFIG_DIR, PiiConfigError
from knowledge.datafile import DataError, DataModel, Regex, load_checked

LEXICON_FILE = CONFIG_DIR / "pii_lexicon.yaml"

Words = list[str]


class NamesSection(DataModel):
    tagger: str
    compound_surnames: Words = Field(default_factory=list)
    everyday_compound_surnames: Words = Field(default_factory=list)
    surnames: str
    ambiguous_surnames: str = ""
    given_name_chars: str
    common_word_frequency: int
    rare_word_frequency: int
    unlisted_in_guess: int
    place_words_after: Words = Field(default_factory=list)
    product_code_after: Regex = ""
    value_shape: Regex = ""
    cues_before: Words = Field(default_factory=list)
    cues_before_weak: Words = Field(default_factory=list)
    cues_before_surname: Words = Field(default_factory=list)
    cue_terms: Words = Field(default_factory=list)
    titles_after: Words = Field(default_factory=list)
    function_word_tags: Words = Field(default_factory=list)
    roles_before: Words = Field(default_factory=list)
    verbs_after: Words = Field(default_factory=list)
    locatives: str = ""
    not_in_name: str = ""
    deny: Words = Field(default_factory=list)


class NamesInContextSection(DataModel):
    list_separators: str
    list_joiners: Words = Field(default_factory=list)
    list_ends: Words = Field(default_factory=list)
    words_after: Words = Field(default_factory=list)
    latin_deny: Words = Field(default_factory=list)


class NamesModelSection(DataModel):
    score: float
    tags: Words
    latin_tags: Words = Field(default_factory=list)
    backed_score: float | None = None
    famous_tags: Words = Field(default_factory=list)
    veto_tags: Words = Field(default_factory=list)
    veto_below: float | None = None


class ForeignNamesSection(DataModel):
    transliteration_chars: str
    separators: str
    deny: Words = Field(default_factory=list)


class AddressSection(DataModel):
    provinces: Words
    province_suffixes: Words
    city_suffixes: Words
    district_suffixes: Words
    town_suffixes: Words
    road_suffixes: Words
    road_tails: Words = Field(default_factory=list)
    intersection_joiners: Words = Field(default_factory=list)
    intersection_ends: Words = Field(default_factory=list)
    number_suffixes: Words
    compound_suffixes: Words = Field(default_factory=list)
    compound_zones: Words = Field(default_factory=list)
    village_suffixes: Words = Field(default_factory=list)
    village_group_suffixes: Words = Field(default_factory=list)
    building_suffixes: Words
    floor_prefixes: Words = Field(default_factory=list)
    room_suffixes: Words
    stop_words_in_place_names: Words = Field(default_factory=list)
    stop_words: Words = Field(default_factory=list)


class LexiconFile(DataModel):
    """guardrails/config/pii_lexicon.yaml."""

    names: NamesSection
    names_in_context: NamesInContextSection | None = None
    names_model: NamesModelSection | None = None
    foreign_names: ForeignNamesSection | None = None
    address: AddressSection


@cache
def lexicon() -> dict[str, Any]:
    try:
        return dict(load_checked(LEXICON_FILE, LexiconFile))
    except DataError as error:
        raise PiiConfigError(str(error), error.problems) from error


def words(section: str, key: str) -> tuple[str, ...]:
    """A word list, longest first so alternations prefer 壮族自治区 over 区."""
    value = lexicon()[section][key]
    items = [str(item) for item in value] if isinstance(value, list) else list(str(value).replace(" ", ""))
    return tuple(sorted(dict.fromkeys(items), key=len, reverse=True))


def chars(section: str, key: str) -> frozenset[str]:
    return frozenset(str(lexicon()[section][key]).replace(" ", "").replace("\n", ""))
