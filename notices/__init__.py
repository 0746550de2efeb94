"""Notices that reach the units: the outbox in the graph, delivered.

The outbox is the graph's ``(:Notice)`` nodes (docs/closed-loop.md), written with
the write that causes them. This package delivers them:

- ``hub``: each API process polls the outbox once for all its subscribers and fans
  each new notice out to those whose scope may see it (``scope``), for the GraphQL
  subscription ``notices`` over graphql-transport-ws;
- ``webhooks`` and ``delivery``: each notice POSTed, signed with HMAC-SHA256, to the
  configured webhooks, at least once, with its delivery state in the graph;
- ``worker``: the background task of the app's lifespan that delivers and runs the
  overdue sweep.

May import ``domain``, ``graph`` and ``access``; never the web layers.
"""
