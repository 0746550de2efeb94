"""The document limits keep strawberry's ValidationCache working: a document a client
sends again is not validated again, and a refusal stays coded every time."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.extensions.validation_cache import _get_validate_cache

from access.limits import graphql_extensions
from tests.access.test_limits import Query

SCHEMA = strawberry.Schema(
    query=Query,
    extensions=[
        lambda: ParserCache(maxsize=16),
        lambda: ValidationCache(maxsize=16),
        *graphql_extensions(max_depth=4, max_aliases=3, max_tokens=200),
    ],
)


async def test_a_document_sent_again_is_not_validated_again() -> None:
    cache = _get_validate_cache(16)
    document = "{ x: node { child { name } } y: node { name } }"
    assert (await SCHEMA.execute(document)).errors is None
    before = cache.cache_info()
    for _ in range(3):
        result = await SCHEMA.execute(document)
        assert result.errors is None and result.data["x"]["child"]["name"] == "桂圆林社区"
    after = cache.cache_info()
    assert after.hits - before.hits == 3 and after.misses == before.misses


async def test_a_refusal_sent_again_is_coded_the_same_way() -> None:
    too_deep = "{ node { child { child { child { child { name } } } } } }"
    first, second = [await SCHEMA.execute(too_deep) for _ in range(2)]
    for result in (first, second):
        assert result.data is None
        [error] = result.errors
        assert error.extensions == {"code": "LIMIT_EXCEEDED", "limit": "depth", "maximum": 4}
        assert "最多 4 层" in error.message
    # other documents are still judged on their own
    assert (await SCHEMA.execute("{ node { name } }")).errors is None
