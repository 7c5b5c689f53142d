"""Reports as text (for people), JSON (stable schema, see docs/validation.md) and GitHub annotations."""

from __future__ import annotations

import json
from typing import Any

from hdh_graph.validation.model import Result, Severity, ValidationReport

JSON_SCHEMA_VERSION = 1
FORMATS = ("text", "json", "github")


def short_resource(iri: str | None, base_iri: str) -> str:
    if iri is None:
        return "-"
    if iri.startswith(base_iri):
        return "<" + iri[len(base_iri) :] + ">"
    return iri if iri == "[]" else f"<{iri}>"


def short_value(value: str | None, base_iri: str) -> str | None:
    if value is None:
        return None
    return value.replace("<" + base_iri, "<")


def render(
    report: ValidationReport,
    fmt: str,
    base_iri: str,
    lang: str = "en",
    catalogue_prefix: str = "",
    show_warnings: bool = True,
) -> str:
    """The report in ``fmt``. ``show_warnings=False`` leaves warnings out of text and GitHub output (they are
    still counted in the text summary); JSON always holds every result."""
    if fmt == "json":
        return render_json(report, base_iri)
    if fmt == "github":
        return render_github(report, base_iri, lang, catalogue_prefix, show_warnings)
    return render_text(report, base_iri, lang, show_warnings)


def _message(r: Result, lang: str) -> str:
    return r.message_fr if lang == "fr" else r.message_en


def _hint(r: Result, lang: str) -> str | None:
    return r.hint_fr if lang == "fr" else r.hint_en


_LABELS = {"en": ("value:", "hint:", "rule:"), "fr": ("valeur :", "conseil :", "règle :")}


def render_text(report: ValidationReport, base_iri: str, lang: str = "en", show_warnings: bool = True) -> str:
    lines: list[str] = []
    for file, all_results in report.by_file().items():
        results = [r for r in all_results if show_warnings or r.severity is Severity.VIOLATION]
        if not results:
            continue
        lines.append(file)
        for r in results:
            where = (f"{r.line}:{r.column}" if r.column else str(r.line)) if r.line else "-"
            what = short_resource(r.resource, base_iri)
            if r.property:
                what += f" {r.property}"
            lines.append(f"  {where} {r.severity.value} {what}")
            lines.append(f"    {_message(r, lang)}")
            labels = _LABELS[lang]
            if r.value is not None and r.value not in _message(r, lang):
                lines.append(f"    {labels[0]} {short_value(r.value, base_iri)}")
            hint = _hint(r, lang)
            if hint:
                lines.append(f"    {labels[1]} {hint}")
            lines.append(f"    {labels[2]} {r.rule} ({r.source})")
        lines.append("")
    n_files = len(report.files_checked)
    verdict = "conforms" if report.conforms else "does not conform"
    if lang == "fr":
        verdict = "conforme" if report.conforms else "non conforme"
        lines.append(
            f"{n_files} fichier(s) vérifié(s) : {len(report.violations)} violation(s), "
            f"{len(report.warnings)} avertissement(s) ; {verdict}."
        )
    else:
        lines.append(
            f"{n_files} file(s) checked: {len(report.violations)} violation(s), "
            f"{len(report.warnings)} warning(s); {verdict}."
        )
    return "\n".join(lines) + "\n"


def result_json(r: Result, base_iri: str) -> dict[str, Any]:
    return {
        "file": r.file,
        "line": r.line,
        "column": r.column,
        "severity": r.severity.value,
        "resource": r.resource,
        "resource_short": short_resource(r.resource, base_iri) if r.resource else None,
        "property": r.property,
        "value": r.value,
        "message": {"fr": r.message_fr, "en": r.message_en},
        "hint": {"fr": r.hint_fr, "en": r.hint_en} if (r.hint_fr or r.hint_en) else None,
        "rule": r.rule,
        "component": r.component,
        "source": r.source,
    }


def render_json(report: ValidationReport, base_iri: str) -> str:
    doc = {
        "schema_version": JSON_SCHEMA_VERSION,
        "conforms": report.conforms,
        "summary": {
            "files": len(report.files_checked),
            "violations": len(report.violations),
            "warnings": len(report.warnings),
        },
        "files": [
            {"file": file, "results": [result_json(r, base_iri) for r in results]}
            for file, results in report.by_file().items()
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(
    report: ValidationReport, base_iri: str, lang: str = "en", catalogue_prefix: str = "", show_warnings: bool = True
) -> str:
    """One workflow command per result: ``::error file=…,line=…,col=…,title=…::message``."""
    lines = []
    for r in report.results:
        if not show_warnings and r.severity is not Severity.VIOLATION:
            continue
        level = {"violation": "error", "warning": "warning"}.get(r.severity.value, "notice")
        params = [f"file={_escape_property(catalogue_prefix + r.file)}"]
        if r.line:
            params.append(f"line={r.line}")
        if r.column:
            params.append(f"col={r.column}")
        params.append(f"title={_escape_property(r.rule)}")
        text = _message(r, lang)
        if r.resource:
            text = f"{short_resource(r.resource, base_iri)}: {text}"
        hint = _hint(r, lang)
        if hint:
            text += f" Hint: {hint}"
        lines.append(f"::{level} {','.join(params)}::{_escape_data(text)}")
    return "\n".join(lines) + ("\n" if lines else "")
