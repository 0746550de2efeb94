"""Workbooks departments hand in (docs/exports.md)."""
