"""The 12-digit code convention and its helpers."""

import pytest

from divisions import (
    Level,
    committee_class,
    county_code,
    county_prefix,
    is_code,
    level_of,
    parent_code,
    short_code,
    street_code,
    street_prefix,
    to_code12,
)

CASES = [
    ("51", "510000000000", Level.PROVINCE, None),
    ("5105", "510500000000", Level.CITY, "510000000000"),
    ("510522", "510522000000", Level.COUNTY, "510500000000"),
    ("510522001", "510522001000", Level.STREET, "510522000000"),
    ("510522001006", "510522001006", Level.COMMUNITY, "510522001000"),
]


@pytest.mark.parametrize(("short", "full", "level", "parent"), CASES)
def test_round_trip(short: str, full: str, level: Level, parent: str | None) -> None:
    assert to_code12(short) == full
    assert to_code12(full) == full
    assert short_code(full) == short
    assert to_code12(short_code(full)) == full
    assert level_of(short) is level and level_of(full) is level
    assert parent_code(full) == parent


def test_prefixes() -> None:
    assert county_prefix("510522001006") == "510522"
    assert street_prefix("510522001006") == "510522001"
    assert county_code("510522001006") == "510522000000"
    assert street_code("510522001006") == "510522001000"
    assert county_code("510522") == "510522000000"
    assert street_code("510522001") == "510522001000"
    with pytest.raises(ValueError):
        county_prefix("5105")
    with pytest.raises(ValueError):
        street_prefix("510522")


def test_chain_up_to_province() -> None:
    chain = []
    code: str | None = "510522001006"
    while code is not None:
        chain.append(code)
        code = parent_code(code)
    assert chain == ["510522001006", "510522001000", "510522000000", "510500000000", "510000000000"]


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "5",
        "510",
        "5105220",
        "51052200100",
        "5105220010060",
        "51052a",
        "000000",
        "500000001000",
        "510522000006",
        "510000050000",
    ],
)
def test_malformed(bad: str) -> None:
    assert not is_code(bad)
    with pytest.raises(ValueError):
        to_code12(bad)


def test_full_width_and_spaces() -> None:
    assert to_code12(" ５１０５２２ ") == "510522000000"


def test_city_without_counties() -> None:
    # 东莞 has streets directly under the city code: 441900003 sits in 441900000000.
    assert to_code12("441900003") == "441900003000"
    assert parent_code("441900003000") == "441900000000"
    assert parent_code("441900000000") == "440000000000"
    assert county_prefix("441900003000") == "441900"


def test_committee_class() -> None:
    assert committee_class("510522001006") == "居民委员会"
    assert committee_class("510522001201") == "村民委员会"
    assert committee_class("110101001401") == "类似居民委员会"
    assert committee_class("510522001000") is None
