"""Who is calling: an access role held over a scope of the place hierarchy.

The role is called ``AccessRole`` because ``Role`` already names a concept of
the domain (a person's post, such as 楼栋长, held at a place).

A scope is a 12-digit division code, whose level must fit the role (a city
admin's is a prefecture-level city's code, such as 510500000000 泸州市), or, for a
unit operator, a unit id together with the unit's county code::

    >>> Principal("张三", AccessRole.COMMUNITY_ADMIN, "510522001006").county
    '510522000000'
    >>> Principal("住建局", AccessRole.UNIT_OPERATOR, "unit_1", county="510522000000").county
    '510522000000'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from domain.errors import InvalidInput
from domain.ids import division_level
from domain.vocab import Vocab


class AccessRole(Vocab):
    """What a caller may do; the rights flow down the hierarchy from its scope."""

    CITY_ADMIN = "CITY_ADMIN", "市级管理员(市委组织部)", "city-admin", "市管理员"
    COUNTY_ADMIN = "COUNTY_ADMIN", "县级管理员(组织部)", "county-admin", "县管理员"
    STREET_ADMIN = "STREET_ADMIN", "街道管理员", "street-admin"
    COMMUNITY_ADMIN = "COMMUNITY_ADMIN", "社区管理员", "community-admin"
    UNIT_OPERATOR = "UNIT_OPERATOR", "单位操作员", "unit-operator", "单位联络员"
    GRID_WORKER = "GRID_WORKER", "网格员", "grid-worker"
    VIEWER = "VIEWER", "只读用户", "viewer", "只读"


#: the division level each place-scoped role must be given
SCOPE_LEVEL: dict[AccessRole, frozenset[str]] = {
    AccessRole.CITY_ADMIN: frozenset({"City"}),
    AccessRole.COUNTY_ADMIN: frozenset({"County"}),
    AccessRole.STREET_ADMIN: frozenset({"Street"}),
    AccessRole.COMMUNITY_ADMIN: frozenset({"Community"}),
    AccessRole.GRID_WORKER: frozenset({"Community"}),
    AccessRole.VIEWER: frozenset({"County", "Street", "Community"}),
}


_UNIT_ID = re.compile(r"unit_[A-Za-z0-9_-]{1,64}")
_PLACE_CODE = re.compile(r"[0-9]{12}")
MAX_SUBJECT_CHARS = 200


def is_unit_id(value: str) -> bool:
    """``unit_`` and a plain token (derived ids are ``unit_`` + 20 hex digits)."""
    return bool(_UNIT_ID.fullmatch(value))


def is_place_code(value: str) -> bool:
    """Exactly 12 ASCII digits (stricter than ``domain.ids.is_division_code``, whose
    pattern also takes other scripts' digits and a trailing newline)."""
    return bool(_PLACE_CODE.fullmatch(value))


def clean_text(value: str) -> bool:
    """No control, format or unpaired surrogate characters: safe to store, log and show."""
    return not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in value)


def is_city_code(code: str) -> bool:
    """A prefecture-level city's 12-digit code (510500000000 泸州市): four digits, then zeros.

    >>> is_city_code("510500000000"), is_city_code("510522000000"), is_city_code("510000000000")
    (True, False, False)
    """
    return is_place_code(code) and code[4:] == "00000000" and code[2:4] != "00"


def place_level(code: str) -> str:
    """``City``, ``County``, ``Street`` or ``Community`` of a 12-digit code."""
    return "City" if is_city_code(code) else division_level(code)


def county_of(code: str) -> str:
    """The county code of a 12-digit place code (a city's code is its own).

    >>> county_of("510522001006")
    '510522000000'
    """
    return code[:6] + "000000"


def city_of(code: str) -> str:
    """The prefecture-level city code of a 12-digit place code.

    >>> city_of("510522001006")
    '510500000000'
    """
    return code[:4] + "00000000"


def prefix_of(code: str) -> str:
    """The non-zero prefix that every place inside ``code`` starts with.

    >>> prefix_of("510522000000"), prefix_of("510522001000"), prefix_of("510522001006")
    ('510522', '510522001', '510522001006')
    >>> prefix_of("510500000000")
    '5105'
    """
    if is_city_code(code):
        return code[:4]
    return {"County": code[:6], "Street": code[:9]}.get(division_level(code), code)


def within(code: str, scope: str) -> bool:
    """Whether place ``code`` is ``scope`` or lies under it (both 12-digit codes).

    >>> within("510522001006", "510522001000"), within("510522001000", "510522001006")
    (True, False)
    """
    return is_place_code(code) and code.startswith(prefix_of(scope))


def check_scope(role: AccessRole, scope: str, county: str | None = None) -> None:
    """Raise InvalidInput unless ``scope`` (and ``county``) fit ``role``."""
    if role is AccessRole.UNIT_OPERATOR:
        if not is_unit_id(scope):
            raise InvalidInput(
                f"单位操作员的范围应为单位编号 unit_…，收到 {scope[:40]!r} "
                "(a unit operator is scoped to a unit id)",
                field="scope",
            )
        if county is None or not is_place_code(county) or division_level(county) != "County":
            raise InvalidInput(
                "单位操作员须同时给出单位所属县的 12 位区划代码 "
                "(a unit operator needs the 12-digit code of its unit's county)",
                field="county",
            )
        return
    if not is_place_code(scope):
        raise InvalidInput(
            f"{role.label}的范围应为 12 位区划代码，收到 {scope[:40]!r} "
            f"({role.value} is scoped to a 12-digit division code)",
            field="scope",
        )
    levels = SCOPE_LEVEL[role]
    if place_level(scope) not in levels:
        wanted = "/".join(sorted(levels))
        raise InvalidInput(
            f"{role.label}的范围应为 {wanted} 级区划代码，收到 {place_level(scope)} 级 {scope} "
            f"({role.value} needs a {wanted} code)",
            field="scope",
        )
    if county is not None and county != county_of(scope):
        raise InvalidInput(f"范围 {scope} 不在县 {county[:12]!r} 内", field="county")


@dataclass(frozen=True)
class Principal:
    """An authenticated caller (or ANONYMOUS). Construction validates the scope.

    ``expires_at`` is epoch milliseconds; ``token_id`` names the token for
    revocation, audit and rate limiting.
    """

    subject: str
    role: AccessRole | None
    scope: str | None
    token_id: str | None = None
    expires_at: int | None = None
    county: str | None = None

    def __post_init__(self) -> None:
        if not 0 < len(self.subject) <= MAX_SUBJECT_CHARS or not clean_text(self.subject):
            raise InvalidInput(
                f"主体名称应为 1 到 {MAX_SUBJECT_CHARS} 个可见字符 "
                "(the subject must be 1 to 200 printable characters)",
                field="subject",
            )
        if self.role is None:
            if self.scope is not None or self.county is not None:
                raise InvalidInput("匿名调用者没有范围 (an anonymous caller has no scope)")
            return
        if self.scope is None:
            raise InvalidInput("缺少范围 (a role needs a scope)", field="scope")
        check_scope(self.role, self.scope, self.county)
        if self.county is None:
            object.__setattr__(self, "county", county_of(self.scope))

    @property
    def anonymous(self) -> bool:
        return self.role is None

    @property
    def domain(self) -> str | None:
        """The county (a city admin: the city) every object a write touches must lie in."""
        return self.county

    @property
    def place_scope(self) -> str | None:
        """The 12-digit code the role's rights flow down from; None for unit operators."""
        if self.role is None or self.role is AccessRole.UNIT_OPERATOR:
            return None
        return self.scope

    def describe(self) -> str:
        """``COMMUNITY_ADMIN@510522001006`` (never any secret)."""
        if self.role is None:
            return "ANONYMOUS"
        return f"{self.role.value}@{self.scope}"


ANONYMOUS = Principal(subject="anonymous", role=None, scope=None)
