"""The one place that decides who may do what.

Every mutation and every protected field asks ``authorize`` (or ``can``); no
resolver compares roles itself. The decision depends on the principal, the
operation (an Action, with the target status for MOVE_PROJECT and the
evaluation kind for RECORD_EVALUATION) and the Target: where the object sits
in the place hierarchy and which unit it belongs to.

A role reaches a target in one of three ways (``Reach``):

- PLACE: the target's place lies inside the principal's place scope
  (a community admin of 510522001006 reaches that community and below, not its
  street (above) nor the next community (beside));
- OWN_UNIT: the principal is the operator of the target's unit;
- UNIT_COUNTY: the target's unit belongs to the principal's county (the
  organization department over the units' resource lists and reviews).

Besides the reach, a write is *confined*: every object it touches (its target
and everything in ``touches``: the place of a demand, the resources and lead unit of
a project, the scope of a resource ...) must lie in the caller's county (a city
admin's: its city). A community admin cannot lead a project with another county's
unit, nor a unit operator move a project another county runs.

``TABLE`` lists, per operation, which roles reach it and how; ``table_markdown()``
prints it. A refusal never says whether the object exists: ``authorize(p, a, None)``
(object not found) raises exactly what an object outside the scope raises.

    >>> from access.principal import Principal
    >>> admin = Principal("李四", AccessRole.COMMUNITY_ADMIN, "510522001006")
    >>> can(admin, Action.CLOSE_DEMAND, Target.at("510522001006"))
    True
    >>> can(admin, Action.CLOSE_DEMAND, Target.at("510522001007"))
    False
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from access.principal import (
    AccessRole,
    Principal,
    county_of,
    is_place_code,
    is_unit_id,
    prefix_of,
    within,
)
from domain.errors import Forbidden, Unauthenticated
from domain.ids import division_level
from domain.vocab import EvaluationKind, ProjectStatus, Vocab, WhistleLevel


class Action(Vocab):
    """Every mutation of the API, plus the protected reads."""

    REPORT_DEMAND = "REPORT_DEMAND", "点单(上报需求)"
    UPDATE_DEMAND = "UPDATE_DEMAND", "修改需求"
    CLOSE_DEMAND = "CLOSE_DEMAND", "关闭需求"
    CONFIRM_DEMAND_CATEGORY = "CONFIRM_DEMAND_CATEGORY", "确认需求类别"
    OFFER_RESOURCE = "OFFER_RESOURCE", "登记资源"
    UPDATE_RESOURCE = "UPDATE_RESOURCE", "修改资源"
    WITHDRAW_RESOURCE = "WITHDRAW_RESOURCE", "撤回资源"
    FORM_PROJECT = "FORM_PROJECT", "立项"
    MOVE_PROJECT = "MOVE_PROJECT", "推进项目状态"
    LINK_UNIT = "LINK_UNIT", "结对联系单位"
    ASSIGN_ROLE = "ASSIGN_ROLE", "任命职务"
    END_ROLE = "END_ROLE", "免除职务"
    RECORD_MEETING = "RECORD_MEETING", "记录联席会议"
    RECORD_AGREEMENT = "RECORD_AGREEMENT", "记录共建协议"
    RECORD_EVALUATION = "RECORD_EVALUATION", "记录评价"
    ACCEPT_PLAN = "ACCEPT_PLAN", "采纳项目方案"
    LOAD_ROSTER = "LOAD_ROSTER", "导入名册"
    REGISTER_MEMBER = "REGISTER_MEMBER", "登记双报到党员"
    ADD_WISH = "ADD_WISH", "发布微心愿"
    CLAIM_WISH = "CLAIM_WISH", "认领微心愿"
    FINISH_WISH = "FINISH_WISH", "完成微心愿"
    CLAIM_DEMAND = "CLAIM_DEMAND", "党员认领需求"
    LOG_SERVICE = "LOG_SERVICE", "登记服务时长"
    CONFIRM_SERVICE = "CONFIRM_SERVICE", "确认服务时长"
    READ_AUDIT = "READ_AUDIT", "查看审计记录"
    READ_PERSONAL = "READ_PERSONAL", "查看个人信息"
    # the closed loop (docs/closed-loop.md)
    DISPATCH_DEMAND = "DISPATCH_DEMAND", "派单"
    ACCEPT_DEMAND = "ACCEPT_DEMAND", "接单"
    START_DEMAND = "START_DEMAND", "实施"
    FINISH_DEMAND = "FINISH_DEMAND", "办结"
    RETURN_DEMAND = "RETURN_DEMAND", "退回"
    REOPEN_DEMAND = "REOPEN_DEMAND", "重办"
    CHASE_DEMAND = "CHASE_DEMAND", "督办"
    WHISTLE_DEMAND = "WHISTLE_DEMAND", "吹哨"
    RESPOND_WHISTLE = "RESPOND_WHISTLE", "报到"
    RECORD_CALLBACK = "RECORD_CALLBACK", "回访"


Variant = ProjectStatus | EvaluationKind | WhistleLevel | None

#: actions that need a variant, and of which kind
VARIANTS: dict[Action, type[ProjectStatus] | type[EvaluationKind] | type[WhistleLevel]] = {
    Action.MOVE_PROJECT: ProjectStatus,
    Action.RECORD_EVALUATION: EvaluationKind,
    Action.WHISTLE_DEMAND: WhistleLevel,
}


class Reach(StrEnum):
    PLACE = "place"
    OWN_UNIT = "own unit"
    UNIT_COUNTY = "unit in county"


@dataclass(frozen=True)
class Target:
    """Where an object sits: its place (a 12-digit code at community level or
    above: map compounds, buildings and grids to their community) and, when it
    belongs to a unit, the unit id and the unit's county code.

    >>> Target.at("510522001006").chain
    ('510522000000', '510522001000', '510522001006')
    """

    place: str | None = None
    unit: str | None = None
    unit_county: str | None = None

    def __post_init__(self) -> None:
        if self.place is not None and not is_place_code(self.place):
            raise ValueError(f"a target's place is a 12-digit division code: {self.place!r}")
        if self.unit is not None and not is_unit_id(self.unit):
            raise ValueError(f"a target's unit is a unit id: {self.unit!r}")
        if self.unit_county is not None and (
            not is_place_code(self.unit_county) or division_level(self.unit_county) != "County"
        ):
            raise ValueError(f"a target's unit county is a county code: {self.unit_county!r}")
        if self.place is None and self.unit is None:
            raise ValueError("a target has a place, a unit or both")

    @classmethod
    def at(cls, place: str, *, unit: str | None = None, unit_county: str | None = None) -> Target:
        """An object at a place (a demand, project, meeting, role, agreement ...)."""
        return cls(place=place, unit=unit, unit_county=unit_county)

    @classmethod
    def of_unit(cls, unit: str, county: str) -> Target:
        """An object that belongs to a unit and to no place (a resource, the unit itself)."""
        return cls(unit=unit, unit_county=county)

    @property
    def chain(self) -> tuple[str, ...]:
        """County, street and community codes of the place, as far as they go."""
        if self.place is None:
            return ()
        level = division_level(self.place)
        codes = [county_of(self.place)]
        if level in ("Street", "Community"):
            codes.append(self.place[:9] + "000")
        if level == "Community":
            codes.append(self.place)
        return tuple(codes)

    @property
    def scope_codes(self) -> tuple[str, ...]:
        """Every place code the object counts under (its chain and its unit's county)."""
        codes = list(self.chain)
        if self.unit_county is not None and self.unit_county not in codes:
            codes.append(self.unit_county)
        return tuple(codes)


_P, _U, _C = Reach.PLACE, Reach.OWN_UNIT, Reach.UNIT_COUNTY
_ADMINS = {
    AccessRole.CITY_ADMIN: frozenset({_P}),
    AccessRole.COUNTY_ADMIN: frozenset({_P}),
    AccessRole.STREET_ADMIN: frozenset({_P}),
    AccessRole.COMMUNITY_ADMIN: frozenset({_P}),
}
_UNIT_LIST = {
    AccessRole.CITY_ADMIN: frozenset({_C}),
    AccessRole.COUNTY_ADMIN: frozenset({_C}),
    AccessRole.UNIT_OPERATOR: frozenset({_U}),
}
_WORKFLOW = {**_ADMINS, AccessRole.UNIT_OPERATOR: frozenset({_U})}
_RECORDERS = {**_ADMINS, AccessRole.GRID_WORKER: frozenset({_P})}
_OPERATOR = {AccessRole.UNIT_OPERATOR: frozenset({_U})}

Operation = tuple[Action, Variant]
Rules = Mapping[AccessRole, frozenset[Reach]]

#: the decision table: operation -> role -> how the role must reach the target
TABLE: dict[Operation, Rules] = {
    # 点单: residents' needs come in through grid workers and the community
    (Action.REPORT_DEMAND, None): {**_ADMINS, AccessRole.GRID_WORKER: frozenset({_P})},
    (Action.UPDATE_DEMAND, None): {**_ADMINS, AccessRole.GRID_WORKER: frozenset({_P})},
    (Action.CLOSE_DEMAND, None): _ADMINS,
    (Action.CONFIRM_DEMAND_CATEGORY, None): _ADMINS,
    # 资源清单: a unit's own list, kept by the unit or the organization department
    (Action.OFFER_RESOURCE, None): _UNIT_LIST,
    (Action.UPDATE_RESOURCE, None): _UNIT_LIST,
    (Action.WITHDRAW_RESOURCE, None): _UNIT_LIST,
    (Action.FORM_PROJECT, None): _ADMINS,
    # 派单 is the community's (or a higher admin's) act, 接单 the lead unit's alone
    (Action.MOVE_PROJECT, ProjectStatus.REPORTED): {},
    (Action.MOVE_PROJECT, ProjectStatus.DISPATCHED): _ADMINS,
    (Action.MOVE_PROJECT, ProjectStatus.ACCEPTED): {AccessRole.UNIT_OPERATOR: frozenset({_U})},
    (Action.MOVE_PROJECT, ProjectStatus.IN_PROGRESS): _WORKFLOW,
    (Action.MOVE_PROJECT, ProjectStatus.DONE): _WORKFLOW,
    (Action.MOVE_PROJECT, ProjectStatus.EVALUATED): _ADMINS,
    (Action.MOVE_PROJECT, ProjectStatus.CANCELLED): _ADMINS,
    # 联系单位 are assigned by the county (组织部)
    (Action.LINK_UNIT, None): {
        AccessRole.CITY_ADMIN: frozenset({_P}),
        AccessRole.COUNTY_ADMIN: frozenset({_P}),
    },
    (Action.ASSIGN_ROLE, None): _ADMINS,
    (Action.END_ROLE, None): _ADMINS,
    (Action.RECORD_MEETING, None): _ADMINS,
    (Action.RECORD_AGREEMENT, None): _ADMINS,
    # 晒绩自评 by the unit, 群众测评 recorded by the place, 组织考评 by the county only
    (Action.RECORD_EVALUATION, EvaluationKind.SELF): {AccessRole.UNIT_OPERATOR: frozenset({_U})},
    (Action.RECORD_EVALUATION, EvaluationKind.RESIDENT): _ADMINS,
    (Action.RECORD_EVALUATION, EvaluationKind.ORGANIZATION): {
        AccessRole.CITY_ADMIN: frozenset({_P, _C}),
        AccessRole.COUNTY_ADMIN: frozenset({_P, _C}),
    },
    (Action.ACCEPT_PLAN, None): _ADMINS,
    (Action.LOAD_ROSTER, None): {
        AccessRole.CITY_ADMIN: frozenset({_P}),
        AccessRole.COUNTY_ADMIN: frozenset({_P}),
    },
    # 双报到: the community (or an admin above it) registers members and posts 微心愿;
    # claims and service hours are recorded by the community and its grid workers;
    # the community alone confirms the hours it reports back to the home units
    (Action.REGISTER_MEMBER, None): _ADMINS,
    (Action.ADD_WISH, None): _ADMINS,
    (Action.CLAIM_WISH, None): _RECORDERS,
    (Action.FINISH_WISH, None): _RECORDERS,
    (Action.CLAIM_DEMAND, None): _RECORDERS,
    (Action.LOG_SERVICE, None): _RECORDERS,
    (Action.CONFIRM_SERVICE, None): {AccessRole.COMMUNITY_ADMIN: frozenset({_P})},
    (Action.READ_AUDIT, None): _ADMINS,
    # the closed loop: the place dispatches and chases, the assigned unit does the work
    (Action.DISPATCH_DEMAND, None): _ADMINS,
    (Action.ACCEPT_DEMAND, None): _OPERATOR,
    (Action.START_DEMAND, None): _OPERATOR,
    (Action.FINISH_DEMAND, None): _OPERATOR,
    (Action.RETURN_DEMAND, None): _OPERATOR,
    (Action.REOPEN_DEMAND, None): _ADMINS,
    (Action.CHASE_DEMAND, None): {
        AccessRole.CITY_ADMIN: frozenset({_P}),
        AccessRole.COUNTY_ADMIN: frozenset({_P}),
        AccessRole.STREET_ADMIN: frozenset({_P}),
    },
    # 吹哨: a community whistles to its street, a street to the county
    (Action.WHISTLE_DEMAND, WhistleLevel.STREET): {AccessRole.COMMUNITY_ADMIN: frozenset({_P})},
    (Action.WHISTLE_DEMAND, WhistleLevel.COUNTY): {AccessRole.STREET_ADMIN: frozenset({_P})},
    (Action.RESPOND_WHISTLE, None): _OPERATOR,
    (Action.RECORD_CALLBACK, None): {
        AccessRole.COMMUNITY_ADMIN: frozenset({_P}),
        AccessRole.GRID_WORKER: frozenset({_P}),
    },
    (Action.READ_PERSONAL, None): {
        AccessRole.CITY_ADMIN: frozenset({_P, _C}),
        AccessRole.COUNTY_ADMIN: frozenset({_P, _C}),
        AccessRole.STREET_ADMIN: frozenset({_P}),
        AccessRole.COMMUNITY_ADMIN: frozenset({_P}),
        AccessRole.GRID_WORKER: frozenset({_P}),
        AccessRole.UNIT_OPERATOR: frozenset({_U}),
    },
}


def operations() -> Iterator[Operation]:
    """Every (action, variant) pair the policy decides; the matrix tests iterate it."""
    for action in Action:
        kind = VARIANTS.get(action)
        if kind is None:
            yield action, None
        else:
            for member in kind:
                yield action, member


def _reaches(principal: Principal, reach: Reach, target: Target) -> bool:
    if reach is Reach.OWN_UNIT:
        return principal.role is AccessRole.UNIT_OPERATOR and target.unit == principal.scope
    scope = principal.place_scope
    if scope is None:
        return False
    if reach is Reach.PLACE:
        return target.place is not None and within(target.place, scope)
    return target.unit_county is not None and within(target.unit_county, scope)


def _rules(action: Action, variant: Variant) -> Rules:
    kind = VARIANTS.get(action)
    if kind is None and variant is not None:
        raise ValueError(f"{action.value} takes no variant, got {variant!r}")
    if kind is not None and not isinstance(variant, kind):
        raise ValueError(f"{action.value} needs a {kind.__name__}, got {variant!r}")
    return TABLE[(action, variant)]


#: reads decided by reach alone (a person's posts may lie in several counties)
UNCONFINED = frozenset({Action.READ_PERSONAL})


def confined(principal: Principal, target: Target) -> bool:
    """Whether every place ``target`` counts under lies in the caller's county (city).

    >>> from access.principal import Principal
    >>> admin = Principal("李四", AccessRole.COMMUNITY_ADMIN, "510522001006")
    >>> confined(admin, Target.at("510522002001")), confined(admin, Target.at("220821100201"))
    (True, False)
    """
    domain = principal.domain
    return domain is not None and all(within(code, domain) for code in target.scope_codes)


def can(
    principal: Principal,
    action: Action,
    target: Target | None,
    variant: Variant = None,
    *,
    touches: Sequence[Target] = (),
) -> bool:
    """Whether ``principal`` may do ``action`` on ``target`` (None: no such object),
    touching the objects ``touches`` too."""
    rules = _rules(action, variant)
    if principal.role is None or target is None:
        return False
    if action not in UNCONFINED and not all(confined(principal, t) for t in (target, *touches)):
        return False
    return any(_reaches(principal, reach, target) for reach in rules.get(principal.role, ()))


def refusal(
    principal: Principal, action: Action, variant: Variant = None
) -> Unauthenticated | Forbidden:
    """The error for a refused action: the same whether or not the object exists."""
    what = action.value if variant is None else f"{action.value}({variant.value})"
    if principal.role is None:
        return Unauthenticated(
            f"需要登录才能{action.label}：请在 Authorization 头中提供 Bearer 令牌 "
            f"({what} needs a bearer token in the Authorization header)",
            action=what,
        )
    return Forbidden(
        f"{principal.role.label}({principal.scope})无权{action.label}，或该对象不存在于你的范围内 "
        f"({what} is not allowed for {principal.describe()}, or there is no such object "
        "in your scope)",
        action=what,
    )


def authorize(
    principal: Principal,
    action: Action,
    target: Target | None,
    variant: Variant = None,
    *,
    touches: Sequence[Target] = (),
) -> None:
    """Raise Unauthenticated (anonymous) or Forbidden unless ``can``.

    Pass ``target=None`` when the object was not found: the caller learns
    nothing about objects outside its scope.
    """
    if not can(principal, action, target, variant, touches=touches):
        raise refusal(principal, action, variant)


@dataclass(frozen=True)
class ReadScope:
    """What a caller may read: ``everything`` (public read), or the places under
    ``roots`` (12-digit codes) and the objects of the units in ``units``.

    Cypher filters take ``prefixes`` (``any(p IN $roots WHERE x.code STARTS WITH p)``)
    and ``units``; Python checks take ``covers``. The same shape says where a caller
    reads personal data (``personal_scope``).

    >>> scope = ReadScope(everything=False, roots=("510522000000",))
    >>> scope.prefixes, scope.covers(Target.at("510522001006"))
    (('510522',), True)
    >>> scope.covers(Target.at("220821100201"))
    False
    """

    everything: bool
    roots: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.roots and not self.units

    @property
    def prefixes(self) -> tuple[str, ...]:
        return ("",) if self.everything else tuple(prefix_of(root) for root in self.roots)

    def covers(self, target: Target) -> bool:
        if self.everything:
            return True
        if target.unit is not None and target.unit in self.units:
            return True
        return any(within(code, root) for code in target.scope_codes for root in self.roots)

    def covers_any(self, targets: Sequence[Target]) -> bool:
        """Whether one of an object's places or units is covered (a project: its
        community, its lead and partner units)."""
        return any(self.covers(t) for t in targets)


def readable_scope(
    principal: Principal, *, public_read: bool = False, liaisons: Sequence[str] = ()
) -> ReadScope:
    """What ``principal`` may read (the tenancy rule; personal data: ``personal_scope``).

    - public read (GONGJIAN_PUBLIC_READ): everything but personal data, for every caller;
    - anonymous: nothing (beyond ``access.shared``);
    - a city admin: its city; every other place-scoped role (county, street and
      community admins, grid workers, viewers): its whole county, whose three lists
      are shared within the county (a community looks for any unit's resource);
    - a unit operator: its own unit (its resources, members, agreements, the projects
      it leads or joins) and the communities it liaises with (``liaisons``, codes of
      its LIAISES_WITH communities: their demands, projects and people).

    >>> from access.principal import Principal
    >>> viewer = Principal("v", AccessRole.VIEWER, "510522001006")
    >>> readable_scope(viewer).roots
    ('510522000000',)
    >>> op = Principal("op", AccessRole.UNIT_OPERATOR, "unit_a", county="510522000000")
    >>> readable_scope(op, liaisons=["510522001008"])
    ReadScope(everything=False, roots=('510522001008',), units=('unit_a',))
    """
    if public_read:
        return ReadScope(everything=True)
    if principal.role is None:
        return ReadScope(everything=False)
    assert principal.scope is not None and principal.county is not None
    if principal.role is AccessRole.UNIT_OPERATOR:
        codes = tuple(sorted({c for c in liaisons if is_place_code(c)}))
        return ReadScope(everything=False, roots=codes, units=(principal.scope,))
    return ReadScope(everything=False, roots=(principal.county,))


def personal_scope(principal: Principal) -> ReadScope:
    """Where ``principal`` reads personal data unmasked, as the TABLE's READ_PERSONAL
    rule says (``can(p, READ_PERSONAL, t)`` is ``personal_scope(p).covers(t)``): the
    filters and sorts over personal fields run inside it only.

    >>> from access.principal import Principal
    >>> personal_scope(Principal("v", AccessRole.VIEWER, "510522001006")).nothing
    True
    >>> personal_scope(Principal("c", AccessRole.COMMUNITY_ADMIN, "510522001006")).prefixes
    ('510522001006',)
    """
    reaches = TABLE[(Action.READ_PERSONAL, None)].get(principal.role) if principal.role else None
    if not reaches or principal.scope is None:
        return ReadScope(everything=False)
    units = (principal.scope,) if Reach.OWN_UNIT in reaches else ()
    place = principal.place_scope
    roots = (place,) if place is not None and reaches & {Reach.PLACE, Reach.UNIT_COUNTY} else ()
    return ReadScope(everything=False, roots=roots, units=units)


def table_markdown() -> str:
    """The decision table as Markdown: operation x role -> reach."""
    roles = list(AccessRole)
    lines = [
        "| operation | " + " | ".join(role.value for role in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for (action, variant), rules in TABLE.items():
        name = action.value if variant is None else f"{action.value} → {variant.value}"
        cells = [", ".join(sorted(r.value for r in rules.get(role, ()))) or "–" for role in roles]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


__all__ = [
    "TABLE",
    "Action",
    "Operation",
    "Reach",
    "ReadScope",
    "Target",
    "Variant",
    "authorize",
    "can",
    "confined",
    "operations",
    "personal_scope",
    "readable_scope",
    "refusal",
    "table_markdown",
]
