"""A broken template stops the build with the template's file and line, and leaves the previous site whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site
from hdh_graph.site.i18n import missing_messages
from hdh_graph.site.render.templates import Renderer, TemplateProblem, default_templates


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    target = tmp_path / "templates"
    shutil.copytree(default_templates(), target)
    return target


def _break(templates: Path, name: str, line_no: int, text: str) -> None:
    path = templates / name
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(line_no - 1, text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_syntax_error_names_template_and_line(
    store: ox.Store, settings: Settings, templates: Path, tmp_path: Path
) -> None:
    _break(templates, "variable.html", 9, "{% if page.name %}unclosed")
    with pytest.raises(TemplateProblem) as err:
        build_site(store, settings, tmp_path / "out", templates=templates, search=False)
    assert "variable.html:" in str(err.value)
    assert err.value.hint


def test_undefined_value_names_template_and_line(
    store: ox.Store, settings: Settings, templates: Path, tmp_path: Path
) -> None:
    _break(templates, "table.html", 7, "{{ page.no_such_field }}")
    with pytest.raises(TemplateProblem) as err:
        build_site(store, settings, tmp_path / "out", templates=templates, search=False)
    message = str(err.value)
    assert "table.html:7" in message and "no_such_field" in message


def test_failed_build_leaves_previous_site_whole(
    store: ox.Store, settings: Settings, templates: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_site(store, settings, out, templates=templates, search=False)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    _break(templates, "codelist.html", 7, "{{ undefined_thing }}")
    with pytest.raises(TemplateProblem):
        build_site(store, settings, out, templates=templates, search=False)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert not (tmp_path / ".out.building").exists()


def test_missing_template_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TemplateProblem, match="does not exist"):
        Renderer(tmp_path / "nowhere")


def test_interface_words_exist_in_both_languages() -> None:
    assert missing_messages() == {"fr": [], "en": []}


def test_links_rendered_once_follow_their_resource_and_language(tmp_path: Path) -> None:
    """The link to a resource is rendered once per language and reused: the same resource gives the same link,
    another label or path another link, and each language its own."""
    from hdh_graph.site.i18n import Localized
    from hdh_graph.site.pages.context import Ref

    folder = tmp_path / "templates"
    (folder / "partials").mkdir(parents=True)
    shutil.copy(default_templates() / "partials" / "macros.html", folder / "partials" / "macros.html")
    (folder / "links.html").write_text("{{ ref(a) }}|{{ ref(b) }}|{{ ref(c) }}|{{ ref(d) }}", encoding="utf-8")
    renderer = Renderer(folder)
    label = Localized((("en", "Stays"), ("fr", "Séjours")))
    a = Ref("https://x.org/table/T", "table/T", label, "table")
    b = Ref("https://x.org/table/T", "table/T", label, "table")  # equal to a, another object
    c = Ref("https://x.org/table/T", "table/T", Localized((("fr", "Séjours MCO"),)), "table")
    d = Ref("https://x.org/table/U", None, label, "missing")
    fr = renderer.render("links.html", "fr", a=a, b=b, c=c, d=d).split("|")
    en = renderer.render("links.html", "en", a=a, b=b, c=c, d=d).split("|")
    assert fr[0] == fr[1] and 'href="/table/T/"' in fr[0] and "Séjours</span>" in fr[0]
    assert "Séjours MCO" in fr[2] and fr[2] != fr[0]
    assert "<a " not in fr[3] and "missing" in fr[3]
    assert en[0] == en[1] and "Stays</span>" in en[0] and 'href="/en/table/T/"' in en[0]
    assert "Séjours MCO" in en[2] and 'lang="fr"' in en[2]  # no English label: the French one, marked
