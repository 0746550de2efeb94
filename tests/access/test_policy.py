"""The decision table, role x operation x scope position, against a spec kept here.

SPEC restates the documented table in the test's own words; the cases place
each target inside, above or beside the caller (and, for unit-owned objects,
the caller's own unit, another unit of its county, a unit of another county),
computed from the hand-written hierarchy in conftest, not from code prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from access.policy import (
    TABLE,
    Action,
    Target,
    Variant,
    authorize,
    can,
    operations,
    personal_scope,
    readable_scope,
    refusal,
    table_markdown,
)
from access.principal import ANONYMOUS, AccessRole, Principal
from domain.errors import Forbidden, InvalidInput, Unauthenticated
from domain.vocab import EvaluationKind, ProjectStatus, WhistleLevel
from tests.access.conftest import (
    FUYANG,
    GUIYUANLIN,
    HEJIANG,
    LUXIAN,
    PLACES,
    UNIT_A,
    UNIT_B,
    UNIT_C,
    UNIT_COUNTY,
    YIYUANJIE,
    ancestors_or_self,
    principals,
)

R = AccessRole
# columns: CITY_ADMIN COUNTY_ADMIN STREET_ADMIN COMMUNITY_ADMIN UNIT_OPERATOR GRID_WORKER VIEWER
# p = the target's place inside the scope, u = the caller's own unit,
# c = the target's unit in the caller's county, - = never. Besides, every write is
# confined: each place the target counts under lies in the caller's county (city).
SPEC_TEXT = """
REPORT_DEMAND                    p   p   p p - p -
UPDATE_DEMAND                    p   p   p p - p -
CLOSE_DEMAND                     p   p   p p - - -
CONFIRM_DEMAND_CATEGORY          p   p   p p - - -
OFFER_RESOURCE                   c   c   - - u - -
UPDATE_RESOURCE                  c   c   - - u - -
WITHDRAW_RESOURCE                c   c   - - u - -
FORM_PROJECT                     p   p   p p - - -
MOVE_PROJECT:REPORTED            -   -   - - - - -
MOVE_PROJECT:DISPATCHED          p   p   p p - - -
MOVE_PROJECT:ACCEPTED            -   -   - - u - -
MOVE_PROJECT:IN_PROGRESS         p   p   p p u - -
MOVE_PROJECT:DONE                p   p   p p u - -
MOVE_PROJECT:EVALUATED           p   p   p p - - -
MOVE_PROJECT:CANCELLED           p   p   p p - - -
LINK_UNIT                        p   p   - - - - -
ASSIGN_ROLE                      p   p   p p - - -
END_ROLE                         p   p   p p - - -
RECORD_MEETING                   p   p   p p - - -
RECORD_AGREEMENT                 p   p   p p - - -
RECORD_EVALUATION:SELF           -   -   - - u - -
RECORD_EVALUATION:RESIDENT       p   p   p p - - -
RECORD_EVALUATION:ORGANIZATION   pc  pc  - - - - -
ACCEPT_PLAN                      p   p   p p - - -
LOAD_ROSTER                      p   p   - - - - -
REGISTER_MEMBER                  p   p   p p - - -
ADD_WISH                         p   p   p p - - -
CLAIM_WISH                       p   p   p p - p -
FINISH_WISH                      p   p   p p - p -
CLAIM_DEMAND                     p   p   p p - p -
LOG_SERVICE                      p   p   p p - p -
CONFIRM_SERVICE                  -   -   - p - - -
READ_AUDIT                       p   p   p p - - -
READ_PERSONAL                    pc  pc  p p u p -
DISPATCH_DEMAND                  p   p   p p - - -
ACCEPT_DEMAND                    -   -   - - u - -
START_DEMAND                     -   -   - - u - -
FINISH_DEMAND                    -   -   - - u - -
RETURN_DEMAND                    -   -   - - u - -
REOPEN_DEMAND                    p   p   p p - - -
CHASE_DEMAND                     p   p   p - - - -
WHISTLE_DEMAND:STREET            -   -   - p - - -
WHISTLE_DEMAND:COUNTY            -   -   p - - - -
RESPOND_WHISTLE                  -   -   - - u - -
RECORD_CALLBACK                  -   -   - p - p -
"""
COLUMNS = (
    R.CITY_ADMIN,
    R.COUNTY_ADMIN,
    R.STREET_ADMIN,
    R.COMMUNITY_ADMIN,
    R.UNIT_OPERATOR,
    R.GRID_WORKER,
    R.VIEWER,
)


def _variant(action: Action, name: str | None) -> Variant:
    if name is None:
        return None
    if action is Action.WHISTLE_DEMAND:
        return WhistleLevel[name]
    return ProjectStatus[name] if action is Action.MOVE_PROJECT else EvaluationKind[name]


def _spec() -> dict[tuple[Action, Variant], dict[AccessRole, str]]:
    spec = {}
    for line in SPEC_TEXT.strip().splitlines():
        op, *cells = line.split()
        name, _, variant = op.partition(":")
        action = Action[name]
        spec[(action, _variant(action, variant or None))] = {
            role: cell.replace("-", "") for role, cell in zip(COLUMNS, cells, strict=True)
        }
    return spec


SPEC = _spec()


@dataclass(frozen=True)
class Case:
    name: str
    target: Target
    place_inside: bool
    own_unit: bool
    unit_in_county: bool
    #: every place the target counts under lies in the caller's county (or city)
    confined: bool = True


def cases(principal: Principal) -> list[Case]:
    """Every target position relative to ``principal``."""
    scope = principal.place_scope
    domain = principal.county
    out = []

    def mine(*codes: str) -> bool:
        return domain is not None and all(domain in ancestors_or_self(c) for c in codes)

    for place in PLACES:
        inside = scope is not None and scope in ancestors_or_self(place)
        if inside:
            position = "inside"
        elif scope is not None and place in ancestors_or_self(scope):
            position = "above"
        else:
            position = "beside"
        out.append(Case(f"{position}:{place}", Target.at(place), inside, False, False, mine(place)))
    for unit in (UNIT_A, UNIT_B, UNIT_C):
        county = UNIT_COUNTY[unit]
        own = principal.role is R.UNIT_OPERATOR and principal.scope == unit
        in_county = scope is not None and scope in ancestors_or_self(county)
        out.append(
            Case(
                f"unit:{unit[-1]}",
                Target.of_unit(unit, county),
                False,
                own,
                in_county,
                mine(county),
            )
        )
        # a project in 桂圆林 led by the unit: place and unit both count
        at = Target.at(GUIYUANLIN, unit=unit, unit_county=county)
        inside = scope is not None and scope in ancestors_or_self(GUIYUANLIN)
        out.append(
            Case(
                f"{GUIYUANLIN}+unit:{unit[-1]}",
                at,
                inside,
                own,
                in_county,
                mine(GUIYUANLIN, county),
            )
        )
    return out


def expected(rule: str, case: Case, action: Action) -> bool:
    if action is not Action.READ_PERSONAL and not case.confined:
        return False
    return (
        ("p" in rule and case.place_inside)
        or ("u" in rule and case.own_unit)
        or ("c" in rule and case.unit_in_county)
    )


def test_spec_covers_every_operation() -> None:
    ops = list(operations())
    assert set(SPEC) == set(ops) == set(TABLE)
    assert (
        len(ops)
        == len(set(ops))
        == len(Action) - 3 + len(ProjectStatus) + len(EvaluationKind) + len(WhistleLevel)
    )
    assert {action for action, _ in ops} == set(Action)


@pytest.mark.parametrize("role", list(R), ids=lambda r: r.value)
@pytest.mark.parametrize(
    "operation", list(operations()), ids=lambda op: ":".join(v.value for v in op if v)
)
def test_matrix(operation: tuple[Action, Variant], role: AccessRole) -> None:
    action, variant = operation
    principal = principals()[role]
    rule = SPEC[operation][role]
    wrong = []
    for case in cases(principal):
        want = expected(rule, case, action)
        if can(principal, action, case.target, variant) != want:
            wrong.append(f"{case.name}: expected {'allowed' if want else 'denied'}")
        if want:
            authorize(principal, action, case.target, variant)
        else:
            with pytest.raises(Forbidden) as refused:
                authorize(principal, action, case.target, variant)
            assert refused.value.message == refusal(principal, action, variant).message
    assert not wrong, wrong


@pytest.mark.parametrize("operation", list(operations()), ids=str)
def test_anonymous_is_unauthenticated_everywhere(operation: tuple[Action, Variant]) -> None:
    action, variant = operation
    for place in PLACES:
        assert not can(ANONYMOUS, action, Target.at(place), variant)
        with pytest.raises(Unauthenticated) as refused:
            authorize(ANONYMOUS, action, Target.at(place), variant)
        assert refused.value.code == "UNAUTHENTICATED"
        assert "Bearer" in refused.value.message


def test_not_found_is_refused_exactly_like_outside_the_scope() -> None:
    admin = principals()[R.COMMUNITY_ADMIN]
    with pytest.raises(Forbidden) as missing:
        authorize(admin, Action.UPDATE_DEMAND, None)
    with pytest.raises(Forbidden) as beside:
        authorize(admin, Action.UPDATE_DEMAND, Target.at(YIYUANJIE))
    assert missing.value.message == beside.value.message
    assert missing.value.details == beside.value.details
    assert YIYUANJIE not in beside.value.message  # the target's place is never named
    # even the roles that could act refuse a missing object (no NotFound to probe with)
    assert not can(principals()[R.COUNTY_ADMIN], Action.CLOSE_DEMAND, None)


def test_refusals_carry_codes_and_say_who_was_refused() -> None:
    admin = principals()[R.STREET_ADMIN]
    error = refusal(admin, Action.MOVE_PROJECT, ProjectStatus.ACCEPTED)
    assert error.code == "FORBIDDEN"
    assert "STREET_ADMIN@510522001000" in error.message
    assert "MOVE_PROJECT(ACCEPTED)" in error.message


def test_variants_are_required_exactly_where_they_apply() -> None:
    admin = principals()[R.COUNTY_ADMIN]
    with pytest.raises(ValueError, match="needs a ProjectStatus"):
        can(admin, Action.MOVE_PROJECT, Target.at(HEJIANG))
    with pytest.raises(ValueError, match="needs a EvaluationKind"):
        can(admin, Action.RECORD_EVALUATION, Target.at(HEJIANG), ProjectStatus.DONE)
    with pytest.raises(ValueError, match="takes no variant"):
        can(admin, Action.CLOSE_DEMAND, Target.at(HEJIANG), ProjectStatus.DONE)


def test_targets_reject_malformed_ids() -> None:
    for bad in (
        "5105",
        "51052200100x",
        "510522001006; MATCH (n) DETACH DELETE n",
        "",
        "510522001006\n",
        "５１０５２２００１００６",
    ):
        with pytest.raises(ValueError):
            Target.at(bad)
    with pytest.raises(ValueError):
        Target.of_unit("res_1", HEJIANG)
    with pytest.raises(ValueError):
        Target.of_unit(UNIT_A, FUYANG)  # a unit's county is a county
    with pytest.raises(ValueError):
        Target()
    assert Target.at(FUYANG).chain == (HEJIANG, FUYANG)
    assert Target.at(GUIYUANLIN, unit=UNIT_C, unit_county=LUXIAN).scope_codes == (
        HEJIANG,
        FUYANG,
        GUIYUANLIN,
        LUXIAN,
    )


@pytest.mark.parametrize(
    ("role", "scope", "county"),
    [
        (R.COUNTY_ADMIN, FUYANG, None),
        (R.STREET_ADMIN, GUIYUANLIN, None),
        (R.COMMUNITY_ADMIN, HEJIANG, None),
        (R.GRID_WORKER, FUYANG, None),
        (R.VIEWER, UNIT_A, None),
        (R.UNIT_OPERATOR, UNIT_A, None),
        (R.UNIT_OPERATOR, UNIT_A, FUYANG),
        (R.UNIT_OPERATOR, GUIYUANLIN, HEJIANG),
        (R.COMMUNITY_ADMIN, GUIYUANLIN, LUXIAN),
        (R.COUNTY_ADMIN, "' OR 1=1 --", None),
        (R.COMMUNITY_ADMIN, GUIYUANLIN + "\n", None),
        (R.COMMUNITY_ADMIN, "５１０５２２００１００６", None),
        (R.UNIT_OPERATOR, UNIT_A + "\n", HEJIANG),
        (R.UNIT_OPERATOR, "unit_a b", HEJIANG),
    ],
)
def test_scopes_must_fit_the_role(role: AccessRole, scope: str, county: str | None) -> None:
    with pytest.raises(InvalidInput) as refused:
        Principal("x", role, scope, county=county)
    assert refused.value.code == "INVALID_INPUT"


def test_tenancy_a_county_or_a_unit_and_its_communities() -> None:
    ps = principals()
    assert readable_scope(ps[R.COMMUNITY_ADMIN]).roots == (HEJIANG,)
    operator = readable_scope(ps[R.UNIT_OPERATOR], liaisons=[GUIYUANLIN])
    assert operator.roots == (GUIYUANLIN,) and operator.units == (UNIT_A,)
    assert operator.covers(Target.of_unit(UNIT_A, HEJIANG))
    assert not operator.covers(Target.of_unit("unit_b", HEJIANG))
    assert not readable_scope(ps[R.UNIT_OPERATOR]).covers(Target.at(GUIYUANLIN))
    viewer = Principal("v", R.VIEWER, FUYANG)
    scope = readable_scope(viewer)  # a viewer reads its county's public facts
    assert scope.roots == (HEJIANG,) and scope.prefixes == ("510522",)
    assert scope.covers(Target.at(GUIYUANLIN)) and scope.covers(Target.of_unit(UNIT_A, HEJIANG))
    assert not scope.covers(Target.at(LUXIAN))
    assert personal_scope(viewer).nothing
    assert readable_scope(ANONYMOUS).nothing
    public = readable_scope(ANONYMOUS, public_read=True)
    assert public.everything and public.prefixes == ("",)
    assert public.covers(Target.at(LUXIAN))


def test_the_personal_scope_is_the_tables_read_personal_rule() -> None:
    targets = [Target.at(GUIYUANLIN), Target.at(HEJIANG), Target.at(LUXIAN),
               Target.of_unit(UNIT_A, HEJIANG), Target.at(FUYANG)]  # fmt: skip
    for principal in principals().values():
        for target in targets:
            assert personal_scope(principal).covers(target) == can(
                principal, Action.READ_PERSONAL, target
            ), (principal.describe(), target)


def test_the_table_prints_every_operation() -> None:
    text = table_markdown()
    assert text.count("\n") == len(TABLE) + 1
    assert "| MOVE_PROJECT → ACCEPTED | – | – | – | – | own unit | – | – |" in text


def _segments_inside(code: str, scope: str) -> bool:
    """City, county, street and community segments (4+2+3+3 digits); zeros mean 'the whole
    level'."""
    city, county, street, community = scope[:4], scope[4:6], scope[6:9], scope[9:]
    return (
        code[:4] == city
        and (county == "00" or code[4:6] == county)
        and (street == "000" or code[6:9] == street)
        and (community == "000" or code[9:] == community)
    )


CODES = st.one_of(
    st.sampled_from(PLACES),
    st.from_regex(r"\A51052[0-9]{7}\Z"),
    st.from_regex(r"\A[0-9]{6}(000000|[0-9]{3}000)\Z"),
)


@settings(max_examples=300, deadline=None)
@given(
    role=st.sampled_from(list(R)),
    operation=st.sampled_from(list(operations())),
    place=st.one_of(st.none(), CODES),
    unit=st.one_of(st.none(), st.sampled_from([UNIT_A, UNIT_B, UNIT_C])),
)
def test_random_targets_decide_without_error(
    role: AccessRole, operation: tuple[Action, Variant], place: str | None, unit: str | None
) -> None:
    if place is None and unit is None:
        return
    target = Target(place=place, unit=unit, unit_county=UNIT_COUNTY[unit] if unit else None)
    principal = principals()[role]
    allowed = can(principal, operation[0], target, operation[1])
    if allowed:
        authorize(principal, operation[0], target, operation[1])
        # anything allowed lies in the principal's place scope or is its own unit's
        scope = principal.place_scope
        in_scope = scope is not None and any(_segments_inside(c, scope) for c in target.scope_codes)
        assert in_scope or target.unit == principal.scope
        # and, a read of personal data aside, nothing outside its county (city)
        domain = principal.county
        assert domain is not None
        if operation[0] is not Action.READ_PERSONAL:
            assert all(_segments_inside(c, domain) for c in target.scope_codes)
    else:
        with pytest.raises(Forbidden):
            authorize(principal, operation[0], target, operation[1])


@settings(max_examples=200, deadline=None)
@given(
    subject=st.text(max_size=300),
    role=st.sampled_from(list(R)),
    scope=st.one_of(st.text(max_size=40), CODES, st.just(UNIT_A)),
    county=st.one_of(st.none(), st.text(max_size=20), CODES),
)
def test_hostile_principals_are_refused_cleanly(
    subject: str, role: AccessRole, scope: str, county: str | None
) -> None:
    try:
        principal = Principal(subject, role, scope, county=county)
    except InvalidInput as e:
        assert e.code == "INVALID_INPUT"
    else:
        assert principal.county is not None and principal.subject == subject
