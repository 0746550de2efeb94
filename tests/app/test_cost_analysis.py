"""The static cost of documents: lists multiply, fragments count as their fields do."""

from __future__ import annotations

from graphql import GraphQLSchema, parse
from hypothesis import given, settings
from hypothesis import strategies as st

from app.cost import DEFAULT_LIST_BOUND, LIST_BOUNDS, TREE_TOTALS, Pages, query_cost
from resolvers.paging import DEFAULT_PAGE
from schema.build import build_schema

SCHEMA: GraphQLSchema = build_schema()._schema


def cost(query: str, variables: dict[str, object] | None = None, **pages: int) -> int:
    return query_cost(SCHEMA, parse(query), variables, None, Pages(**pages))


def test_a_connection_multiplies_by_first_and_defaults_to_the_default_page() -> None:
    assert cost("{ demands(first: 5) { nodes { id title } } }") == 1 + 1 + 5 * 2
    assert cost("{ demands { nodes { id } } }") == 1 + 1 + 20
    assert cost("{ demands(first: 5) { totalCount edges { cursor node { id } } } }") == (
        1 + 1 + 1 + 5 * (1 + 1 + 1)
    )


def test_first_is_capped_by_the_maximum_page_and_read_from_variables() -> None:
    query = "query($n: Int) { demands(first: $n) { nodes { id } } }"
    assert cost(query, {"n": 7}) == 2 + 7
    assert cost(query, {"n": 10_000}, maximum=100) == 2 + 100
    assert cost("query($n: Int = 3) { demands(first: $n) { nodes { id } } }") == 2 + 3


def test_unbounded_lists_take_their_declared_bound() -> None:
    bound = LIST_BOUNDS[("Demand", "projects")]
    assert cost("{ demands(first: 2) { nodes { projects { id name } } } }") == (
        1 + 1 + 2 * (1 + bound * 2)
    )
    roles = '{ division(code: "x") { ... on Community { roles { id } } } }'
    assert cost(roles) == 1 + 1 + DEFAULT_LIST_BOUND


def test_the_division_tree_is_bounded_in_all() -> None:
    deep = "{ counties { streets { communities { compounds { buildings { name } } } } } }"
    assert cost(deep) < 5 * TREE_TOTALS[("Compound", "buildings")]


def test_nodes_by_ids_multiply_by_the_ids() -> None:
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Demand { title } } }"
    assert cost(query, {"ids": ["a", "b", "c"]}) == 1 + 3 * 2


FIELDS = "community { name demands { nodes { id title } } }"


def test_fragments_and_inline_fragments_cost_as_the_fields_they_hold() -> None:
    direct = cost(f"{{ demands(first: 10) {{ nodes {{ id {FIELDS} }} }} }}")
    spread = cost(
        f"{{ demands(first: 10) {{ nodes {{ id ...F }} }} }} fragment F on Demand {{ {FIELDS} }}"
    )
    inline = cost(f"{{ demands(first: 10) {{ nodes {{ id ... on Demand {{ {FIELDS} }} }} }} }}")
    nested = cost(
        "{ demands(first: 10) { ...A } } fragment A on DemandConnection { nodes { ...B } } "
        f"fragment B on Demand {{ id {FIELDS} }}"
    )
    assert direct == spread == inline == nested


def test_the_fan_out_of_the_issue_is_far_over_the_budget() -> None:
    fan_out = (
        "{ counties { streets { communities { demands { nodes { community { demands { nodes { "
        "community { demands { nodes { title description } } } } } } } } } } } }"
    )
    assert cost(fan_out) > 250_000 * 100


# --- generated documents ---------------------------------------------------------------

#: nested selections over Demand <-> Community, as text; the cost computed by hand
_LEAF = st.sampled_from(["id", "title", "__typename"])


@st.composite
def demand_selection(draw: st.DrawFn, depth: int = 0) -> tuple[str, int]:
    """A selection on Demand and its cost per demand."""
    parts: list[str] = []
    total = 0
    for leaf in draw(st.lists(_LEAF, min_size=1, max_size=3, unique=True)):
        parts.append(leaf)
        total += 0 if leaf == "__typename" else 1
    if depth < 3 and draw(st.booleans()):
        inner, inner_cost = draw(demand_selection(depth + 1))
        community = f"community {{ name demands {{ nodes {{ {inner} }} }} }}"
        # community, name, demands, nodes, then a default page of the inner selection
        cost_of = 1 + 1 + 1 + 1 + DEFAULT_PAGE * inner_cost
        if draw(st.booleans()):
            community = f"... on Demand {{ {community} }}"
        parts.append(community)
        total += cost_of
    return " ".join(parts), total


@settings(max_examples=60, deadline=None)
@given(demand_selection(), st.integers(min_value=0, max_value=100), st.booleans())
def test_generated_documents_cost_what_they_select(
    selection: tuple[str, int], first: int, as_fragment: bool
) -> None:
    text, per_demand = selection
    if as_fragment:
        query = f"{{ demands(first: {first}) {{ nodes {{ ...F }} }} }} fragment F on Demand {{ {text} }}"
    else:
        query = f"{{ demands(first: {first}) {{ nodes {{ {text} }} }} }}"
    assert cost(query) == 1 + 1 + first * per_demand


def test_a_nested_connection_multiplies_by_its_first_under_its_parents() -> None:
    nested = "{ demands(first: 10) { nodes { community { demands(first: 7) { nodes { id title } } } } } }"
    # demands, nodes, then per demand: community, its connection, nodes, 7 × (id, title)
    assert cost(nested) == 1 + 1 + 10 * (1 + 1 + 1 + 7 * 2)
    default = (
        '{ division(code: "x") { ... on Community { projects { totalCount nodes { id } } } } }'
    )
    assert cost(default) == 1 + 1 + 1 + 1 + 20
    street = '{ division(code: "x") { ... on Street { demands(first: 10000) { nodes { id } } } } }'
    assert cost(street, maximum=100) == 1 + 1 + 1 + 100


def test_a_paged_relation_costs_by_its_first() -> None:
    """Unit.members and the other relations made connections: by ``first``, not a bound."""
    unit = '{ unit(id: "u") { members(first: 5) { totalCount nodes { id name } } } }'
    # unit, members, totalCount, nodes, 5 × (id, name)
    assert cost(unit) == 1 + 1 + 1 + 1 + 5 * 2
    logs = '{ member(id: "m") { serviceLogs { edges { node { hours } } } } }'
    assert cost(logs) == 1 + 1 + 1 + 20 * (1 + 1)
    many = (
        "{ units(first: 10) { nodes { agreements(first: 3) { nodes { id } } "
        "assignments(first: 500) { nodes { id } } } } }"
    )
    assert cost(many, maximum=100) == 1 + 1 + 10 * (1 + 1 + 3 + 1 + 1 + 100)
    for field in ("members", "agreements", "assignments", "resources", "projectsLed"):
        assert ("Unit", field) not in LIST_BOUNDS
    for parent, field in [("Community", "demands"), ("Community", "projects"),
                          ("Project", "demands"), ("Resource", "projects")]:  # fmt: skip
        assert (parent, field) not in LIST_BOUNDS
    projects = '{ resource(id: "r") { projects(first: 4) { nodes { id } } } }'
    assert cost(projects) == 1 + 1 + 1 + 4
    members = '{ members(communityCode: "c", first: 5) { nodes { id name } } }'
    assert cost(members) == 1 + 1 + 5 * 2
    wishes = '{ wishes(communityCode: "c") { totalCount nodes { id } } }'
    assert cost(wishes) == 1 + 1 + 1 + 20
    assert ("Query", "members") not in LIST_BOUNDS and ("Query", "wishes") not in LIST_BOUNDS
