"""Import every module that declares statements, so the registry is complete."""

from __future__ import annotations

import importlib
import pkgutil

import graph.backends
import graph.queries
from graph.cypher import REGISTRY, Statement


def load_all() -> dict[str, Statement]:
    """Every statement the project can send, by name."""
    for package in (graph.queries, graph.backends):
        for module in pkgutil.iter_modules(package.__path__):
            if module.name != "all":
                importlib.import_module(f"{package.__name__}.{module.name}")
    return dict(REGISTRY)
