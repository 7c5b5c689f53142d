"""Notes for curators: the validation report saved with the store, read back per page, and rendered.

The catalogue is the conforming one of the validation tests (``tests/validation/fixtures/catalogue``): no
violation, 39 warnings of the official recommended properties, four of them on its distribution ``#access``.
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hdh_graph.build import build_store
from hdh_graph.publishing import validated_build
from hdh_graph.settings import Settings
from hdh_graph.site.i18n import messages
from hdh_graph.site.read.curation import Curation, Note, load_curation
from hdh_graph.site.render.templates import Renderer
from hdh_graph.store import VALIDATION_REPORT

CONFORMING = Path(__file__).parents[1] / "validation" / "fixtures" / "catalogue"
BASE = "https://catalogue.example.org/"
DEMO = BASE + "dataset/demo"


def _settings(root: Path) -> Settings:
    catalogue = root / "catalogue"
    shutil.copytree(CONFORMING, catalogue)
    return Settings(catalogue=catalogue, store=root / "var" / "store", base_iri=BASE)


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One validated build for the module (validation is the slow part)."""
    settings = _settings(tmp_path_factory.mktemp("validated"))
    validated_build(settings)
    return settings


def _report(settings: Settings) -> Path:
    return settings.store / "active" / VALIDATION_REPORT


def _note(resource: str, prop: str | None = "dct:license", severity: str = "warning", **texts: str) -> Note:
    return Note(
        severity=severity,
        resource=resource,
        property=prop,
        message_fr=texts.get("fr", f"{prop} : au moins 1 valeur(s) attendue(s)."),
        message_en=texts.get("en", f"{prop}: at least 1 value(s) expected."),
        file="snds/x.ttl",
        line=3,
        rule="r5r:Dataset_Shape",
    )


# -- the report saved with the store ---------------------------------------------------------------------


def test_a_validated_build_saves_its_results_in_the_snapshot(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    build, validation = validated_build(settings)
    saved = json.loads((build.store / VALIDATION_REPORT).read_text(encoding="utf-8"))
    assert saved["schema_version"] == 1
    assert saved["conforms"] is True
    assert saved["summary"] == {"files": 4, "violations": 0, "warnings": 39}
    assert len(saved["results"]) == len(validation.results) == 39
    license_of_access = {
        "severity": "warning",
        "rule": "r5r:Distribution_Shape",
        "component": "MinCountConstraintComponent",
        "resource": DEMO + "#access",
        "property": "dct:license",
        "value": None,
        "message": {
            "fr": "dct:license : au moins 1 valeur(s) attendue(s).",
            "en": "dct:license: at least 1 value(s) expected.",
        },
        "hint": {"fr": "Ajoutez dct:license à la ressource.", "en": "Add dct:license to the resource."},
        "file": "snds/demo.ttl",
        "line": 37,
    }
    assert license_of_access in saved["results"]


def test_a_store_built_without_validation_has_no_report(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    validated_build(settings)
    assert len(load_curation(settings)) == 39
    build_store(settings)  # a new snapshot, without validation: the previous report does not carry over
    assert not _report(settings).exists()
    assert len(load_curation(settings)) == 0


def test_attachments_cannot_replace_the_store_files(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    for name in ("build.json", "oxigraph", "../elsewhere.json", ""):
        with pytest.raises(ValueError, match="cannot attach"):
            build_store(settings, attachments={name: {}})
    assert not settings.store.exists()


# -- notes by page ---------------------------------------------------------------------------------------


def test_notes_of_a_resource_and_of_the_resources_it_owns(validated: Settings) -> None:
    curation = load_curation(validated)
    assert (len(curation), curation.count("warning"), curation.count("violation")) == (39, 39, 0)

    notes = curation.for_resource(DEMO)
    assert len(notes) == 31  # 27 on the dataset, 4 on its distribution
    own = [n for n in notes if n.part is None]
    access = [n for n in notes if n.part == "access"]
    assert (len(own), len(access)) == (27, 4)
    assert notes == (*own, *access)  # the resource first, then its parts; each by property
    assert [n.property for n in access] == ["dcatap:availability", "dct:description", "dct:format", "dct:license"]
    assert [n.property for n in own] == sorted(n.property or "" for n in own)
    licence = access[-1]
    assert (licence.where, licence.rule, licence.severity) == ("snds/demo.ttl:37", "r5r:Distribution_Shape", "warning")
    assert licence.message("fr").value == "dct:license : au moins 1 valeur(s) attendue(s)."
    assert licence.hint("en") is not None and licence.hint("en").value == "Add dct:license to the resource."

    assert curation.for_resource(DEMO + "#access") == tuple(access)
    assert len(curation.for_resource(BASE + "catalog")) == 8
    assert curation.for_resource(BASE + "table/IR_BEN_R") == ()
    assert curation.for_resource("https://elsewhere.org/x") == ()


def test_notes_are_stable_values(validated: Settings) -> None:
    first, second = load_curation(validated), load_curation(validated)
    assert first == second
    assert repr(first.for_resource(DEMO)) == repr(second.for_resource(DEMO))
    assert hash(first.for_resource(DEMO)) == hash(second.for_resource(DEMO))
    assert "object at 0x" not in repr(first.for_resource(DEMO))


def test_resources_without_a_page_go_to_the_page_above_them() -> None:
    dataset, codelist = BASE + "dataset/x", BASE + "codelist/C"
    curation = Curation(
        (
            _note(dataset + "/variables", "dct:title", severity="violation"),
            _note(dataset + "#access"),
            _note(dataset),
            _note(codelist + "/A01"),
            _note(BASE + "agent/nobody"),
        )
    )
    assert [n.resource for n in curation.for_resource(dataset)] == [dataset, dataset + "#access"]
    placed = curation.on_pages([dataset, codelist, BASE + "table/T"])
    assert [n.resource for n in placed.for_resource(dataset)] == [dataset + "/variables", dataset, dataset + "#access"]
    assert [n.severity for n in placed.for_resource(dataset)] == ["violation", "warning", "warning"]
    assert [n.resource for n in placed.for_resource(codelist)] == [codelist + "/A01"]
    assert placed.for_resource(BASE + "agent/nobody") == curation.for_resource(BASE + "agent/nobody")  # no page


# -- no report, a broken report --------------------------------------------------------------------------


def test_no_store_gives_no_notes(tmp_path: Path) -> None:
    assert len(load_curation(_settings(tmp_path))) == 0


@pytest.mark.parametrize(
    "content",
    [
        "{ not json",
        "[1, 2]",
        '{"schema_version": 99, "results": []}',
        '{"schema_version": 1, "results": "none"}',
        "",
    ],
)
def test_an_unreadable_report_gives_no_notes(tmp_path: Path, content: str) -> None:
    settings = _settings(tmp_path)
    validated_build(settings)
    _report(settings).write_text(content, encoding="utf-8")
    assert len(load_curation(settings)) == 0


def test_entries_that_cannot_be_notes_are_left_out(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    validated_build(settings)
    good = json.loads(_report(settings).read_text(encoding="utf-8"))["results"][0]
    bad = [
        "text",
        {**good, "severity": "fatal"},
        {**good, "resource": None},
        {**good, "resource": "[]"},  # a blank node nothing holds: no page for it
        {**good, "message": {"de": "Fehlt"}},
        {**good, "file": 3},
    ]
    odd_line = {**good, "line": "twelve"}
    _report(settings).write_text(json.dumps({"schema_version": 1, "results": [good, *bad, odd_line]}))
    notes = load_curation(settings).notes
    assert len(notes) == 2
    assert notes[1].line is None and notes[1].where == good["file"]


# -- the macro -------------------------------------------------------------------------------------------


def _render(notes: tuple[Note, ...], lang: str) -> str:
    env = Renderer().env
    template = env.from_string(
        '{% import "partials/curation.html" as cur with context %}{{ cur.curation_notes(notes) }}'
    )
    return template.render(lang=lang, t=messages(lang), notes=notes)


class _Balance(HTMLParser):
    VOID = frozenset({"br"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing"


def test_no_notes_render_nothing() -> None:
    assert _render((), "fr").strip() == ""


def test_notes_render_a_closed_box_in_the_page_language() -> None:
    notes = (
        _note(DEMO, "dct:title", severity="violation"),
        _note(DEMO + "#access", "dct:license"),
    )
    html = _render(notes, "fr")
    assert '<details class="curation curation-serious">' in html
    assert "<summary>Notes pour les curateurs (2)</summary>" in html
    assert "Violation" in html and "Avertissement" in html
    assert "<code>#access dct:license</code>" in html
    assert '<span lang="fr">dct:license : au moins 1 valeur(s) attendue(s).</span>' in html
    assert "À corriger dans <code>snds/x.ttl:3</code>" in html
    assert " open" not in html  # collapsed: a public page stays readable
    checker = _Balance()
    checker.feed(html)
    assert checker.open == []

    english = _render(notes[1:], "en")
    assert "<summary>Notes for curators (1)</summary>" in english and "curation-serious" not in english
    assert '<span lang="en">dct:license: at least 1 value(s) expected.</span>' in english


def test_a_message_missing_in_the_page_language_is_shown_in_the_other_one_and_marked() -> None:
    note = _note(DEMO, "dct:title", fr="", en="Only in English.")
    html = _render((note,), "fr")
    assert '<span lang="en">Only in English.</span> <small class="fallback">(non traduit)</small>' in html


def test_message_text_is_escaped() -> None:
    note = _note(DEMO, "dct:title", en='<script>alert("x")</script> & co', fr="<b>gras</b>")
    english, french = _render((note,), "en"), _render((note,), "fr")
    assert "<script>" not in english and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in english
    assert "<b>" not in french and "&lt;b&gt;gras&lt;/b&gt;" in french
