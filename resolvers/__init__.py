"""Resolvers: turn GraphQL arguments into store calls and domain models.

They never build Cypher (that is ``graph/``) and never see strawberry types.
"""
