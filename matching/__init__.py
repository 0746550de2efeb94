"""Matching: which unit's resources meet a demand, why, and a joint meeting's plan.

This package takes plain records (``matching.facts``) and returns pydantic results
(``matching.models``); it never talks to the store. ``resolvers.matching`` fetches
the facts and calls it.
"""
