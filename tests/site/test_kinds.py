"""The page-kind registry is complete: every page type has its template and its words in both languages."""

from __future__ import annotations

import pytest

from hdh_graph.resource_kinds import CLASS_KINDS
from hdh_graph.site.i18n import messages
from hdh_graph.site.kinds import RESOURCE_PAGES, SITE_PAGES, TEMPLATES
from hdh_graph.site.pages import context
from hdh_graph.site.render.templates import default_templates
from hdh_graph.site.urls import LANGUAGES

KINDS = [*RESOURCE_PAGES.values(), *SITE_PAGES.values()]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_page_type_has_its_template(kind: object) -> None:
    assert (default_templates() / kind.template).is_file(), f"{kind.template} is missing"  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(RESOURCE_PAGES), ids=str)
def test_every_resource_page_type_has_its_name_in_every_language(kind: str, lang: str) -> None:
    assert messages(lang).get(f"kind_{kind}"), f"messages.json lacks kind_{kind} in {lang}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", sorted(SITE_PAGES), ids=str)
def test_every_site_page_is_in_the_navigation_words(page: str, lang: str) -> None:
    assert messages(lang).get(f"nav_{page}"), f"messages.json lacks nav_{page} in {lang}"


def test_every_class_kind_with_pages_has_a_registry_row() -> None:
    pages = {k.page for k in CLASS_KINDS}
    assert pages <= set(RESOURCE_PAGES)


def test_every_context_type_has_one_template() -> None:
    pages = {
        cls
        for name in dir(context)
        if isinstance(cls := getattr(context, name), type) and issubclass(cls, context.Page) and cls is not context.Page
    }
    assert pages == set(TEMPLATES)
