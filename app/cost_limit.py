"""Refuse a document whose static cost (``app.cost``) is above the budget, before it
runs, and report every executed document's cost in ``extensions.cost``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from app.cost import Pages, query_cost
from domain.errors import CostLimitExceeded


def cost_refusal(cost: int, budget: int) -> CostLimitExceeded:
    return CostLimitExceeded(
        f"查询代价 {cost} 超过上限 {budget}：请减少嵌套的列表或减小 first "
        f"(the document's cost of {cost} exceeds the budget of {budget}; ask for fewer "
        "nested lists or smaller pages; setting GONGJIAN_MAX_QUERY_COST)",
        limit="cost",
        maximum=budget,
        cost=cost,
    )


class CostLimit(SchemaExtension):
    """The cost budget of one request (a fresh instance per request)."""

    def __init__(self, *, budget: int, pages: Pages) -> None:
        self.budget = budget
        self.pages = pages
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            self.cost = query_cost(
                context.schema._schema, document, context.variables, context.operation_name,
                self.pages,
            )  # fmt: skip
            if self.cost > self.budget:
                refusal = cost_refusal(self.cost, self.budget)
                error = GraphQLError(
                    refusal.message,
                    original_error=refusal,
                    extensions={
                        "code": refusal.code, "limit": "cost", "maximum": self.budget,
                        "cost": self.cost,
                    },
                )  # fmt: skip
                # a result set here is returned as it is: the document never runs
                context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield

    def get_results(self) -> dict[str, Any]:
        return {} if self.cost is None else {"cost": self.cost}


def cost_extension(budget: int, pages: Pages) -> Callable[[], SchemaExtension]:
    """``strawberry.Schema(..., extensions=[cost_extension(5000, Pages(100))])``."""
    return lambda: CostLimit(budget=budget, pages=pages)
