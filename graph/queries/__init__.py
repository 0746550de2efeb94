"""Cypher statements per concern. Importing ``graph.queries.all`` registers every one."""
