"""Workbooks departments hand in (the 双报到 hours per home unit, the assessments)."""
