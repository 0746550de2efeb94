"""Workbooks departments hand in: the month's assessment (docs/exports.md) and the 双报到
hours per home unit (docs/exports-member-hours.md)."""
