"""The GraphQL schema: types at the edge, resolvers underneath.

``build_schema()`` assembles it; the printed SDL is committed at
``schema/schema.graphql`` and a test keeps the two equal.
"""
