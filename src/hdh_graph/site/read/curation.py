"""Notes for curators: what validation found about each resource, as the site shows it on the resource's page.

``hdh build`` validates the catalogue and saves the results in the new store snapshot (``validation.json``,
written by :func:`hdh_graph.publishing.validated_build`). :func:`load_curation` reads the report of the active
snapshot; :meth:`Curation.for_resource` gives the notes of one page::

    curation = load_curation(settings).on_pages(page_iris)   # on_pages: optional, see there
    notes = curation.for_resource("https://…/dataset/dcir")   # tuple[Note, ...], () when there are none

A store built without validation, or a report that cannot be read, gives no notes: the site is built the same,
without them. Notes are frozen dataclasses of strings and numbers, so a page context holding them has a stable
``repr`` (incremental builds hash it).
"""

from __future__ import annotations

import builtins
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hdh_graph.settings import Settings
from hdh_graph.site.i18n import Text
from hdh_graph.site.urls import DEFAULT_LANGUAGE, LANGUAGES
from hdh_graph.store import VALIDATION_REPORT, VALIDATION_REPORT_VERSION, read_snapshot_json

SEVERITIES: tuple[str, ...] = ("violation", "warning", "info")
"""Most serious first: the order of the notes on a page."""


@dataclass(frozen=True)
class Note:
    """One validation result about a resource of a page, or about a part of it (``part``)."""

    severity: str
    """``violation``, ``warning`` or ``info``."""
    resource: str
    """The IRI the result is about: the page's resource or one under it (``…/dataset/dcir#access``)."""
    property: str | None
    """The property concerned as ``hdh validate`` shows it (``dct:license``, ``dcat:contactPoint / vcard:fn``)."""
    message_fr: str
    message_en: str
    file: str
    """The catalogue file to fix, relative to the catalogue folder."""
    line: int | None
    rule: str
    """The shape that made the result (``r5r:Dataset_Shape``, ``hdhsh:dataset-english``)."""
    value: str | None = None
    hint_fr: str | None = None
    hint_en: str | None = None

    @builtins.property  # the field ``property`` hides the builtin in the class body
    def part(self) -> str | None:
        """What is after ``#`` in the resource's IRI (``access``), or ``None`` for the resource itself."""
        _, _, fragment = self.resource.partition("#")
        return fragment or None

    @builtins.property  # the field ``property`` hides the builtin in the class body
    def where(self) -> str:
        """``file:line`` (just the file when the line is not known)."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def message(self, lang: str) -> Text:
        """The message in ``lang``, else in the other language (then ``fallback`` is true)."""
        found = _pick({"fr": self.message_fr, "en": self.message_en}, lang)
        return found or Text("", lang)

    def hint(self, lang: str) -> Text | None:
        """How to fix it, in ``lang`` or else the other language; ``None`` when the rule gives no hint."""
        return _pick({"fr": self.hint_fr or "", "en": self.hint_en or ""}, lang)

    def sort_key(self) -> tuple[object, ...]:
        return (
            SEVERITIES.index(self.severity),
            self.part or "",
            self.property or "",
            self.message_en,
            self.message_fr,
            self.value or "",
            self.rule,
            self.file,
            self.line or 0,
            self.resource,
        )


@dataclass(frozen=True)
class Curation:
    """Every note of a build, grouped by the page that shows them."""

    notes: tuple[Note, ...] = ()
    pages: frozenset[str] | Callable[[str], bool] = field(default=frozenset(), repr=False)
    checked: bool = False
    """Whether the notes come from a validation report (``False``: no report, nothing was checked)."""
    """The page IRIs given to :meth:`on_pages`, or a test of whether an IRI has a page (empty: every resource
    is its own page)."""
    _by_page: Mapping[str, tuple[Note, ...]] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        grouped: dict[str, list[Note]] = defaultdict(list)
        for note in self.notes:
            grouped[self._page_of(note.resource)].append(note)
        by_page = {page: tuple(sorted(found, key=Note.sort_key)) for page, found in grouped.items()}
        object.__setattr__(self, "_by_page", by_page)

    def __len__(self) -> int:
        return len(self.notes)

    def count(self, severity: str) -> int:
        return sum(1 for note in self.notes if note.severity == severity)

    def on_pages(self, page_iris: Iterable[str] | Callable[[str], bool]) -> Curation:
        """The same notes, each given to the page of its resource or, when that has no page, to the nearest page
        above it (``…/dataset/dcir/variables`` → ``…/dataset/dcir``), as the page twins share out the triples.
        Give the IRIs of the resources' own pages (datasets, tables, variables, code lists, organisations, the
        catalogue's home page), not of listings: ``…/agent`` would collect every page-less ``…/agent/…``."""
        return Curation(self.notes, page_iris if callable(page_iris) else frozenset(page_iris), self.checked)

    def for_resource(self, iri: str) -> tuple[Note, ...]:
        """The notes of a page: about its resource ``iri`` and the resources it owns (``iri#…``, blank nodes, and
        with :meth:`on_pages` the resources under it that have no page). Most serious first, then by part and
        property; ``()`` when there are none."""
        if "#" in iri:
            return tuple(n for n in self._by_page.get(self._page_of(iri), ()) if n.resource == iri)
        return self._by_page.get(iri, ())

    def _page_of(self, resource: str) -> str:
        page = resource.split("#", 1)[0]
        is_page = self.pages if callable(self.pages) else self.pages.__contains__
        if not self.pages or is_page(page):
            return page
        above = page
        while "/" in above:
            above = above.rsplit("/", 1)[0]
            if is_page(above):
                return above
        return page  # no page above it either: kept under its own IRI, shown nowhere


def load_curation(settings: Settings) -> Curation:
    """The notes saved with the active store snapshot; no notes when there is no store, when it was built
    without validation, or when the report cannot be read (never an error)."""
    return _from_report(read_snapshot_json(settings, VALIDATION_REPORT))


def load_curation_from(snapshot: Path) -> Curation:
    """The notes saved with a given store snapshot folder (an earlier one, to compare)."""
    try:
        data = json.loads((snapshot / VALIDATION_REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Curation()
    return _from_report(data if isinstance(data, dict) else None)


def _from_report(data: dict[str, Any] | None) -> Curation:
    if data is None or data.get("schema_version") != VALIDATION_REPORT_VERSION:
        return Curation()
    results = data.get("results")
    if not isinstance(results, list):
        return Curation()
    notes = (_note(entry) for entry in results)
    return Curation(tuple(n for n in notes if n is not None), checked=True)


def _note(entry: Any) -> Note | None:
    """A note from one saved result; ``None`` when the entry lacks what a note needs."""
    if not isinstance(entry, dict):
        return None
    severity, resource, file, rule = (entry.get(k) for k in ("severity", "resource", "file", "rule"))
    message, hint = _texts(entry.get("message")), _texts(entry.get("hint"))
    line = entry.get("line")
    texts = (resource, file, rule)
    if severity not in SEVERITIES or not any(message.values()):
        return None
    if not (isinstance(resource, str) and isinstance(file, str) and isinstance(rule, str) and all(texts)):
        return None
    if resource == "[]":  # a blank node that no named resource holds: no page can show it
        return None
    return Note(
        severity=severity,
        resource=resource,
        property=_str_or_none(entry.get("property")),
        message_fr=message.get("fr", ""),
        message_en=message.get("en", ""),
        file=file,
        line=line if isinstance(line, int) and not isinstance(line, bool) and line > 0 else None,
        rule=rule,
        value=_str_or_none(entry.get("value")),
        hint_fr=hint.get("fr") or None,
        hint_en=hint.get("en") or None,
    )


def _texts(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {lang: text for lang, text in value.items() if lang in LANGUAGES and isinstance(text, str)}


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _pick(texts: dict[str, str], lang: str) -> Text | None:
    if texts.get(lang, "").strip():
        return Text(texts[lang], lang)
    for other in (DEFAULT_LANGUAGE, *LANGUAGES):
        if texts.get(other, "").strip():
            return Text(texts[other], other, fallback=True)
    return None
