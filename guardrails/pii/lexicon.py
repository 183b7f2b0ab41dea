"""Read ``guardrails/config/pii_lexicon.yaml`` (surnames, cue words, address grammar words) once.

The file goes through the one data-file loader (``knowledge.datafile``) with the model below, so a
misspelt key or a list where a string of characters belongs fails at load with file:line.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from guardrails.pii.config import CONFIG_DIR, PiiConfigError
from knowledge.datafile import DataError, DataModel, Regex, load_checked

LEXICON_FILE = CONFIG_DIR / "pii_lexicon.yaml"

Words = list[str]


class NamesSection(DataModel):
    tagger: str
    compound_surnames: Words = []
    everyday_compound_surnames: Words = []
    surnames: str
    ambiguous_surnames: str = ""
    given_name_chars: str
    common_word_frequency: int
    rare_word_frequency: int
    unlisted_in_guess: int
    place_words_after: Words = []
    product_code_after: Regex = ""
    cues_before: Words = []
    cues_before_weak: Words = []
    cue_terms: Words = []
    titles_after: Words = []
    function_word_tags: Words = []
    roles_before: Words = []
    verbs_after: Words = []
    locatives: str = ""
    not_in_name: str = ""
    deny: Words = []


class NamesInContextSection(DataModel):
    list_separators: str
    list_joiners: Words = []
    list_ends: Words = []
    words_after: Words = []
    latin_deny: Words = []


class NamesModelSection(DataModel):
    score: float
    tags: Words
    latin_tags: Words = []
    backed_score: float | None = None
    famous_tags: Words = []
    veto_tags: Words = []
    veto_below: float | None = None


class ForeignNamesSection(DataModel):
    transliteration_chars: str
    separators: str
    deny: Words = []


class AddressSection(DataModel):
    provinces: Words
    province_suffixes: Words
    city_suffixes: Words
    district_suffixes: Words
    town_suffixes: Words
    road_suffixes: Words
    number_suffixes: Words
    compound_suffixes: Words = []
    building_suffixes: Words
    room_suffixes: Words
    stop_words_in_place_names: Words = []
    stop_words: Words = []


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
