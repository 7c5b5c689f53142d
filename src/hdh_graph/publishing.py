"""Publishing the catalogue: validate it, then build the store, and refuse a catalogue with violations.

``hdh build`` and the build that ``hdh serve`` starts go through :func:`validated_build`; a curator who must
publish anyway (to look at a work in progress) says so with ``allow_violations``. The validation results are
saved with the new snapshot (``validation.json``, see :func:`validation_record`) for the site to show to curators.

When the store is updated incrementally (a few Turtle files changed, see :mod:`hdh_graph.build_plan`), only the
files the change can affect are validated again (:mod:`hdh_graph.validation.incremental`); the results about
the other files are taken from the active snapshot's ``validation.json``. The report saved is the one a full
validation would save. The previous results are not reused when they were made with other rules (the shape
files or their compiler changed), or when the active snapshot has none.
"""

from __future__ import annotations

from typing import Any

from hdh_graph.build import BuildReport, Progress, build_planned
from hdh_graph.build_plan import BuildPlan, plan_build
from hdh_graph.catalogue_files import TURTLE_SUFFIX
from hdh_graph.errors import HdhError
from hdh_graph.progress import as_progress
from hdh_graph.settings import Settings
from hdh_graph.store import VALIDATION_REPORT, VALIDATION_REPORT_VERSION, read_graphs, read_json
from hdh_graph.validation import Result, ValidationReport, render, validate_catalogue
from hdh_graph.validation.incremental import carried_over, revalidate, rule_sources, rules_version
from hdh_graph.vocab import HDH

UNREADABLE_RULES = frozenset({HDH.syntax, HDH.encoding})


class CatalogueNotValid(HdhError):
    """The catalogue has violations: the store was not rebuilt."""

    def __init__(self, report: ValidationReport, text: str) -> None:
        super().__init__(
            f"{text.rstrip()}\nThe store was not rebuilt: the catalogue has {len(report.violations)} violation(s).",
            hint="fix the violations above (see docs/validation.md), or build anyway with --allow-violations",
        )
        self.report = report


def validated_build(
    settings: Settings,
    progress: Progress | None = None,
    *,
    allow_violations: bool = False,
    full: bool = False,
) -> tuple[BuildReport, ValidationReport]:
    """Validate the catalogue, then build the store with the validation results saved in it; raise
    :class:`CatalogueNotValid` on violations unless ``allow_violations``. Broken files are reported by the build
    itself (file, line, column). Both are incremental when they can be, unless ``full``."""
    say = as_progress(progress)
    with say.step("validation"):
        plan = plan_build(settings, full=full)  # one listing of the files for both: the report fits the store
        report = _revalidated(settings, plan, say) if plan.incremental else None
        if report is None:
            say(f"Validating {settings.catalogue}")
            report = validate_catalogue(settings)
    say(f"Validation: {len(report.violations)} violation(s), {len(report.warnings)} warning(s)")
    unreadable = any(r.rule in UNREADABLE_RULES for r in report.results)
    # Unreadable files are the build's to report: it lists every one with its line and column.
    if report.violations and not allow_violations and not unreadable:
        raise CatalogueNotValid(report, render(report, "text", settings.base_iri, show_warnings=False))
    attachments = {VALIDATION_REPORT: validation_record(report, rules_version())}
    with say.step("store"):
        built = build_planned(settings, plan, progress=say, attachments=attachments)
    return built, report


def _revalidated(settings: Settings, plan: BuildPlan, say: Progress) -> ValidationReport | None:
    """The previous snapshot's results with those of the files the change can affect validated again; ``None``
    when that cannot be done (then the caller validates everything)."""
    assert plan.previous is not None
    saved = read_json(plan.previous / VALIDATION_REPORT)
    if (
        saved is None
        or saved.get("schema_version") != VALIDATION_REPORT_VERSION
        or saved.get("engine") != "sparql"
        or saved.get("rules") != rules_version()
    ):
        say("The store's validation results cannot be reused (none saved, or made with other rules)")
        return None
    touched = [*plan.changed, *plan.deleted]
    before = read_graphs(plan.previous, {rel: settings.graph_iri(rel) for rel in touched})
    say(f"Validating what {len(touched)} changed file(s) can affect")
    fresh = revalidate(settings, plan.changed, plan.deleted, before)
    if fresh is None:
        say("The change can affect most of the catalogue")
        return None
    say(f"  {len(fresh.files_checked)} file(s) validated again, the others' results kept")
    current = {rel for rel in plan.inputs if rel.endswith(TURTLE_SUFFIX)} | set(fresh.files_checked)
    kept = carried_over(saved, current - set(fresh.files_checked), rule_sources(settings))
    return ValidationReport([*fresh.results, *kept], sorted(current), fresh.engine, fresh.seconds)


def validation_record(report: ValidationReport, rules: str | None = None) -> dict[str, Any]:
    """The results as saved with a snapshot: small, stable, in the report's order (file, line, severity).
    ``rules`` names the version of the rules (:func:`~hdh_graph.validation.incremental.rules_version`): results
    made with others are not reused.

    ``resource`` is the focus node's IRI (a blank node is reported on the named resource that holds it, the
    way to it prefixed to ``property``; ``"[]"`` for a blank node nothing holds); ``property`` is the path as
    ``hdh validate`` shows it (``dct:license``, ``dcat:contactPoint / vcard:fn``, ``^dcat:inSeries``)."""
    return {
        "schema_version": VALIDATION_REPORT_VERSION,
        "engine": report.engine,
        "rules": rules,
        "conforms": report.conforms,
        "summary": {
            "files": len(report.files_checked),
            "violations": len(report.violations),
            "warnings": len(report.warnings),
        },
        "results": [_result_record(r) for r in report.results],
    }


def _result_record(r: Result) -> dict[str, Any]:
    return {
        "severity": r.severity.value,
        "rule": r.rule,
        "component": r.component,
        "resource": r.resource,
        "property": r.property,
        "value": r.value,
        "message": {"fr": r.message_fr, "en": r.message_en},
        "hint": {"fr": r.hint_fr, "en": r.hint_en} if (r.hint_fr or r.hint_en) else None,
        "file": r.file,
        "line": r.line,
    }
