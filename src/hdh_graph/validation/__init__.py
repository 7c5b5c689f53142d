"""Validation of the catalogue: official DCAT-AP / HealthDCAT-AP shapes plus ours, located results.

The build calls::

    from hdh_graph.validation import validate_catalogue
    report = validate_catalogue(settings)          # or paths=[...] for some files and their context
    if not report.conforms:                          # report.violations, report.warnings
        ...                                          # refuse to publish (see docs/validation.md)
"""

from __future__ import annotations

from hdh_graph.validation.formats import FORMATS, render
from hdh_graph.validation.model import Result, Severity, ValidationReport
from hdh_graph.validation.runner import ENGINES, UnreadableFiles, validate_catalogue
from hdh_graph.validation.shapes import ShapesError

__all__ = [
    "ENGINES",
    "FORMATS",
    "Result",
    "Severity",
    "ShapesError",
    "UnreadableFiles",
    "ValidationReport",
    "render",
    "validate_catalogue",
]
