"""The domain of gongjian: vocabularies, identifiers, models and errors.

Base layer: imports nothing from the rest of the project.
"""
