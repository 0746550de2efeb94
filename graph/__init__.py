"""The graph store: one async interface, two backends, one set of Cypher.

Every Cypher statement of the project lives in this package (``graph.queries``
and, for what differs between databases, ``graph.backends``) and is registered
in ``graph.cypher.REGISTRY`` so that tests can lint and run each one.
"""
