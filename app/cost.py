"""Static cost of a GraphQL document: how many field values it can make, before it runs.

Every field costs one per object it is asked on. A list of objects multiplies what
is asked inside it by its bound: a connection (``demands(first:)``) by its page
size (``first``, default ``resolvers.paging.DEFAULT_PAGE``, capped by the maximum
page size), a list with ``first`` by ``first``, ``nodes(ids:)`` by the number of
ids, every other list by its entry in ``LIST_BOUNDS`` (else ``DEFAULT_LIST_BOUND``).
A level of the division tree holds at most its ``TREE_TOTALS`` entry in all.
Fragments and inline fragments are followed; fragments on different types of an
abstract field are all counted (an upper bound).

    >>> from schema.build import build_schema
    >>> from graphql import parse
    >>> s = build_schema()._schema
    >>> query_cost(s, parse("{ demands(first: 5) { nodes { id title } } }"), {}, None)
    12
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
    is_composite_type,
)
from graphql.type.definition import GraphQLNamedType, GraphQLOutputType

from resolvers.paging import DEFAULT_PAGE

#: lists that take no page size: the most a real county holds (type, field) -> bound
LIST_BOUNDS: dict[tuple[str, str], int] = {
    ("Query", "counties"): 10,
    ("County", "streets"): 40,
    ("Street", "communities"): 40,
    ("Community", "compounds"): 40,
    ("Community", "grids"): 30,
    ("Community", "liaisonUnits"): 20,
    ("Compound", "buildings"): 40,
    ("Demand", "projects"): 5,
    ("Project", "uses"): 50,
    ("Project", "meetings"): 20,
    ("Project", "evaluations"): 20,
    ("Project", "units"): 20,
    # lists that grow with time or with the data, counted at what a usual parent holds;
    # the relations of the kind are connections (Unit.resources, .projectsLed, .members,
    # .agreements, .assignments, .evaluations; Community.demands, .projects, .agreements,
    # .meetings; Street.demands; Project.demands; Resource.projects; Member.serviceLogs;
    # Query.members, .wishes):
    # by their first
    ("Query", "unitRanking"): 100,
    ("MemberHoursReport", "units"): 100,
    ("MemberHoursReport", "members"): 200,
    # bounded by the domain: a unit liaises with a few communities; a demand's process
    # (dispatches, 重办, 督办, 吹哨, 回访) is short; a place's posts are the "4+N" and the
    # 两长两员 (the default bound); statistics by a vocabulary hold one count per term
    ("Unit", "communities"): 20,
    ("Demand", "timeline"): 50,
    ("Demand", "assignments"): 10,
    ("Demand", "chases"): 20,
    ("Demand", "whistles"): 10,
    ("Demand", "callbacks"): 10,
    ("Whistle", "summons"): 20,
    ("FourPlusN", "compoundSecretaries"): 40,
    ("Meeting", "projects"): 20,
    ("Meeting", "demands"): 50,
    ("Resource", "availableIn"): 20,
    ("AllocationPlan", "items"): 200,
    ("AllocationPlan", "unmet"): 100,
    ("AuditPage", "entries"): 100,
    ("GapReport", "unmet"): 50,
    ("GapReport", "idle"): 100,
    ("GapReport", "absent"): 50,
    ("GapReport", "structure"): 50,
    ("BuildingCoverage", "gaps"): 100,
    ("LoadReport", "errors"): 100,
    ("LoadReport", "warnings"): 100,
    ("LoadReport", "kinds"): 20,
    ("MatchList", "candidates"): 100,
    ("MatchCandidate", "reasons"): 10,
    ("Statistics", "demandsByCommunityAndCategory"): 400,
    ("Statistics", "demandsByMonth"): 36,
    ("Statistics", "projectsByMonth"): 36,
}
#: the division tree partitions: every street is in one county, every community in one
#: street …, so however many parents a document walks, a level holds at most this many
#: objects in all (a deployment of one city, generously)
TREE_TOTALS: dict[tuple[str, str], int] = {
    ("County", "streets"): 400,
    ("Street", "communities"): 4_000,
    ("Community", "compounds"): 20_000,
    ("Community", "grids"): 20_000,
    ("Compound", "buildings"): 100_000,
}
#: a list of objects not in ``LIST_BOUNDS`` (roles of a place, counts of a statistic …)
DEFAULT_LIST_BOUND = 20


@dataclass(frozen=True)
class Pages:
    """The page sizes the analysis assumes: GONGJIAN_MAX_PAGE_SIZE and the default."""

    maximum: int = 100
    default: int = DEFAULT_PAGE


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    pages: Pages = Pages(),
) -> int:
    """The cost of the operation ``operation_name`` of a validated ``document``."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walk = _Walk(schema, fragments, dict(variables or {}), pages, _defaults(operation))
    return walk.selections(operation.selection_set, root, 1, None, frozenset())


def _defaults(operation: Any) -> dict[str, Any]:
    """The variables' default values (literal ints and lists) of the operation."""
    found: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        value = definition.default_value
        if isinstance(value, IntValueNode):
            found[definition.variable.name.value] = int(value.value)
        elif isinstance(value, ListValueNode):
            found[definition.variable.name.value] = list(value.values)
    return found


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        pages: Pages,
        defaults: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.pages = pages
        self.defaults = defaults

    def selections(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType,
        count: int,
        page: int | None,
        spread: frozenset[str],
    ) -> int:
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(node, parent, count, page, spread)
            elif isinstance(node, InlineFragmentNode):
                inner = self._type(node.type_condition.name.value) if node.type_condition else None
                total += self.selections(node.selection_set, inner or parent, count, page, spread)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in spread:
                    continue  # validation refuses both; never loop
                inner = self._type(fragment.type_condition.name.value) or parent
                total += self.selections(
                    fragment.selection_set, inner, count, page, spread | {name}
                )
        return total

    def field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType,
        count: int,
        page: int | None,
        spread: frozenset[str],
    ) -> int:
        name = node.name.value
        fields = getattr(parent, "fields", None)
        definition: GraphQLField | None = fields.get(name) if fields else None
        if definition is None or node.selection_set is None:
            return count if definition is not None else 0  # a leaf; __typename is free
        target = get_named_type(definition.type)
        if not is_composite_type(target):
            return count
        inner_page = page
        inner = count
        if _is_connection(target):
            inner_page = self._page(node, definition)
        elif _is_list(definition.type):
            inner = count * self._bound(node, definition, parent.name, page)
            inner = min(inner, TREE_TOTALS.get((parent.name, name), inner))
        return count + self.selections(node.selection_set, target, inner, inner_page, spread)

    def _bound(
        self, node: FieldNode, definition: GraphQLField, parent: str, page: int | None
    ) -> int:
        name = node.name.value
        if page is not None and name in ("edges", "nodes") and parent.endswith("Connection"):
            return page
        if "first" in definition.args:
            return self._page(node, definition)
        if "ids" in definition.args:
            ids = self._argument(node, definition, "ids")
            return max(1, len(ids)) if isinstance(ids, list) else self.pages.maximum
        return LIST_BOUNDS.get((parent, name), DEFAULT_LIST_BOUND)

    def _page(self, node: FieldNode, definition: GraphQLField) -> int:
        first = self._argument(node, definition, "first")
        size = first if isinstance(first, int) else self.pages.default
        return max(0, min(size, self.pages.maximum))

    def _argument(self, node: FieldNode, definition: GraphQLField, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, VariableNode):
                key = value.name.value
                return self.variables.get(key, self.defaults.get(key))
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, ListValueNode):
                return list(value.values)
            return None
        declared = definition.args.get(name)
        default = declared.default_value if declared is not None else None
        return default if isinstance(default, int | list) else None

    def _type(self, name: str) -> GraphQLNamedType | None:
        return self.schema.get_type(name)


def _is_list(kind: GraphQLOutputType) -> bool:
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    return isinstance(kind, GraphQLList)


def _is_connection(kind: GraphQLNamedType) -> bool:
    fields = getattr(kind, "fields", None) or {}
    return kind.name.endswith("Connection") and "edges" in fields and "pageInfo" in fields
