"""Search filters of each page (Pagefind ``data-pagefind-filter``): type, product, theme, health category,
access level, publisher. Tables and variables take the filters of the dataset they belong to."""

from __future__ import annotations

from collections.abc import Iterable

from hdh_graph.site.pages.context import DatasetPage, Page, Ref, TablePage, VariablePage

Filters = tuple[tuple[str, str], ...]


def _labels(refs: Iterable[Ref], lang: str) -> list[str]:
    return [r.label.plain(lang) for r in refs if r.label.plain(lang)]


class FilterIndex:
    def __init__(self, pages: Iterable[Page]) -> None:
        self.datasets = {p.iri: p for p in pages if isinstance(p, DatasetPage)}

    def _dataset_filters(self, page: DatasetPage, lang: str) -> list[tuple[str, str]]:
        out = [("product", page.title.plain(lang))]
        out += [("theme", v) for v in _labels(page.themes, lang)]
        out += [("health_category", v) for v in _labels(page.health_categories, lang)]
        if page.access_rights:
            out.append(("access", page.access_rights.label.plain(lang)))
        out += [("publisher", v) for v in _labels(page.publishers, lang)]
        return out

    def of(self, page: Page, kind_label: str, lang: str) -> Filters:
        found: list[tuple[str, str]] = [("kind", kind_label)]
        dataset = None
        if isinstance(page, DatasetPage):
            dataset = page
        elif isinstance(page, (TablePage, VariablePage)) and page.dataset is not None:
            dataset = self.datasets.get(page.dataset.iri)
        if dataset is not None:
            found += self._dataset_filters(dataset, lang)
        return tuple(sorted({(k, v) for k, v in found if v}))
