"""Optional: validate harvested records with the project's SHACL validation and report its violations.

Each record is written alone into a scratch catalogue folder and the folder is validated in one run. The
violations are reported, not used to skip records: the project's shapes include HealthDCAT-AP's levels and
closed vocabulary checks that few partners' DCAT-AP records meet (range classes of EU terms, applicable
legislation on every distribution…), so skipping on them would drop nearly every real record. Records are skipped
only for what DCAT-AP makes mandatory (:func:`hdh_graph.harvest.records.check`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hdh_graph.harvest.fetch import HarvestError
from hdh_graph.settings import Settings


def shacl_problems(files: dict[str, bytes], base_iri: str) -> dict[str, list[str]]:
    """File name → the violations found in it (files without violations are absent)."""
    try:
        from hdh_graph.validation.runner import validate_catalogue
    except ImportError as exc:  # pragma: no cover - depends on the installed package
        raise HarvestError(
            "SHACL validation is not available in this installation", hint="harvest without --shacl"
        ) from exc
    with tempfile.TemporaryDirectory(prefix="hdh-harvest-check-") as tmp:
        folder = Path(tmp) / "catalogue"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        report = validate_catalogue(
            Settings(catalogue=folder, store=Path(tmp) / "store", base_iri=base_iri), use_cache=False
        )
    found: dict[str, list[str]] = {}
    for result in report.results:
        if result.severity.value == "violation":
            found.setdefault(result.file, []).append(f"{result.message_en} ({result.resource})")
    return {name: sorted(set(messages)) for name, messages in found.items()}
