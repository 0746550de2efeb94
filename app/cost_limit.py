"""Refuse a document whose static cost (``app.cost``) is above the budget, before it
runs, and report every executed document's cost in ``extensions.cost``.

Documents costlier than the heavy threshold are admitted a few at a time (a
semaphore per process): they queue behind each other, not in front of the light
requests, which share the event loop with them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.cost import Pages, query_cost
from domain.errors import CostLimitExceeded

#: a subscription lives long: it never holds the admission of heavy documents
SUBSCRIPTION = OperationType.SUBSCRIPTION


def cost_refusal(cost: int, budget: int) -> CostLimitExceeded:
    return CostLimitExceeded(
        f"查询代价 {cost} 超过上限 {budget}：请减少嵌套的列表或减小 first "
        f"(the document's cost of {cost} exceeds the budget of {budget}; ask for fewer "
        "nested lists or smaller pages; setting GONGJIAN_MAX_QUERY_COST)",
        limit="cost",
        maximum=budget,
        cost=cost,
    )


@dataclass
class CostPolicy:
    """The budget, the heavy threshold and the admission of heavy documents (per process)."""

    budget: int
    pages: Pages
    heavy: int
    heavy_at_once: int
    admission: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.admission = asyncio.Semaphore(self.heavy_at_once)


class CostLimit(SchemaExtension):
    """The cost budget of one request (a fresh instance per request)."""

    def __init__(self, policy: CostPolicy) -> None:
        self.policy = policy
        self.budget = policy.budget
        self.pages = policy.pages
        self.cost: int | None = None

    async def on_execute(self) -> AsyncIterator[None]:
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
            elif self.cost > self.policy.heavy and context.operation_type is not SUBSCRIPTION:
                async with self.policy.admission:
                    yield
                return
        yield

    def get_results(self) -> dict[str, Any]:
        return {} if self.cost is None else {"cost": self.cost}


def cost_extension(policy: CostPolicy) -> Callable[[], SchemaExtension]:
    """``strawberry.Schema(..., extensions=[cost_extension(CostPolicy(250_000, …))])``."""
    return lambda: CostLimit(policy)
