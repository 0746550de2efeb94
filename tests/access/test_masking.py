"""Masking of phone numbers and names, and who sees them unmasked."""

from __future__ import annotations

import logging
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from access.masking import (
    RedactPhones,
    mask_name,
    mask_phone,
    mask_phones_in_text,
    name_for,
    personal_visible,
    phone_for,
)
from access.policy import Target
from access.principal import ANONYMOUS, AccessRole
from tests.access.conftest import GUIYUANLIN, HEJIANG, UNIT_A, UNIT_B, YIYUANJIE, principals

HOSTILE = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=5000),
    st.text(alphabet="0123456789 -+()、,;/#转ext\x00\t\n\u202e\u200b", max_size=200),
    st.sampled_from(
        [
            "13812341234'}) MATCH (n) DETACH DELETE n //",
            "\x00" * 10_000,
            "1" * 100_000,
            "张三\u202e13812341234",
            "$phone",
            "",
        ]
    ),
)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("138 1234 1234", "138****1234"),
        ("138-1234-1234", "138****1234"),
        ("+86 13812341234", "138****1234"),
        ("８６１３８１２３４１２３４", "138****1234"),  # full-width digits
        ("0830-5212345", "0830-****345"),
        ("(0830)5212345", "0830-****345"),
        ("010-12345678", "010-*****678"),
        ("0830-5212345转8001", "0830-****345"),
        ("95598", "***98"),
        ("110", "*10"),
        ("13812341234、0830-5212345", "138****1234、0830-****345"),
        ("13812341234 / 13987654321", "138****1234/139****4321"),
        ("无", "*"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("欧阳修", "欧**"),
        ("张", "*"),
        (" 李四 ", "李*"),
        ("阿依古丽·买买提", "阿***·***"),
        ("John Smith", "J*** *****"),
        ("", ""),
        ("王\x00\u200b五", "王*"),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_none_stays_none() -> None:
    assert mask_phone(None) is None and mask_name(None) is None


@given(HOSTILE)
def test_masked_phones_never_show_five_digits_in_a_row(text: str) -> None:
    masked = mask_phone(text)
    assert masked is not None
    assert not re.search(r"\d{5}", masked)
    assert len(masked) <= 8 * 16
    assert all(ch.isprintable() for ch in masked)


@given(HOSTILE)
def test_masked_names_keep_one_character(text: str) -> None:
    masked = mask_name(text)
    assert masked is not None
    assert len(masked) <= 13
    assert all(ch.isprintable() for ch in masked)
    assert set(masked[1:]) <= set("*·•． ")


@given(HOSTILE)
def test_free_text_never_keeps_a_whole_mobile_number(text: str) -> None:
    masked = mask_phones_in_text(text + " 13812341234")
    assert "13812341234" not in masked
    assert "138****1234" in masked


def test_who_sees_personal_data() -> None:
    ps = principals()
    community = Target.at(GUIYUANLIN)
    beside = Target.at(YIYUANJIE)
    resource_a = Target.of_unit(UNIT_A, HEJIANG)
    resource_b = Target.of_unit(UNIT_B, HEJIANG)
    seen = {role: personal_visible(p, community) for role, p in ps.items()}
    assert seen == {
        AccessRole.CITY_ADMIN: True,
        AccessRole.COUNTY_ADMIN: True,
        AccessRole.STREET_ADMIN: True,
        AccessRole.COMMUNITY_ADMIN: True,
        AccessRole.GRID_WORKER: True,
        AccessRole.UNIT_OPERATOR: False,
        AccessRole.VIEWER: False,
    }
    assert not personal_visible(ps[AccessRole.COMMUNITY_ADMIN], beside)
    assert personal_visible(ps[AccessRole.UNIT_OPERATOR], resource_a)
    assert not personal_visible(ps[AccessRole.UNIT_OPERATOR], resource_b)
    assert personal_visible(ps[AccessRole.COUNTY_ADMIN], resource_b)
    assert not personal_visible(ANONYMOUS, community)
    assert not personal_visible(ps[AccessRole.COUNTY_ADMIN], None)
    viewer = ps[AccessRole.VIEWER]
    assert phone_for(viewer, community, "13812341234") == "138****1234"
    assert name_for(viewer, community, "张三") == "张*"
    admin = ps[AccessRole.COMMUNITY_ADMIN]
    assert phone_for(admin, community, "13812341234") == "13812341234"
    assert name_for(admin, community, "张三") == "张三"


def test_log_filter_masks_mobile_numbers(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("tests.access.masking")
    log.addFilter(RedactPhones())
    with caplog.at_level(logging.INFO, logger="tests.access.masking"):
        log.info("called %s back", "13812341234")
    assert "138****1234" in caplog.text and "13812341234" not in caplog.text
