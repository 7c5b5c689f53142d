"""The page types of the site, in one registry read by every place that needs to know them.

Two sorts of pages:

- :class:`ResourcePages`: the pages of one resource (a dataset, a table, a variable, a code list, an
  organisation): which classes get them (:mod:`hdh_graph.resource_kinds`), the context type, the template, how
  their contexts are built, whether they have machine-readable twins, which catalogue-wide page their resources
  are listed on, and how heavy they are to build (a code list's page lists every variable that uses it);
- :class:`SitePage`: a catalogue-wide page (home, crossing, listings, about, search), assembled from the *parts*
  the resources contribute (a home entry, a crossing row, a listing entry) or from its template alone.

Adding a page type takes its row here, its context (:mod:`pages.context`), its builder (:mod:`pages`) and its
template; ``tests/site/test_kinds.py`` fails when a row lacks its template or its words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hdh_graph.resource_kinds import CLASS_KINDS
from hdh_graph.site.i18n import Localized
from hdh_graph.site.pages.context import (
    AgentPage,
    CitizensPage,
    CitizenTopicPage,
    CodeListPage,
    CrossingPage,
    DatasetListPage,
    DatasetPage,
    HomePage,
    ListingPage,
    Page,
    ProjectPage,
    StaticPage,
    TablePage,
    VariablePage,
)

Counts = tuple[tuple[str, int], ...]

if TYPE_CHECKING:
    from hdh_graph.site.pages.overview import OverviewBuilder
    from hdh_graph.site.read.facts import Node


@dataclass(frozen=True)
class ResourcePages:
    name: str
    """The page type (``page.kind``), as :data:`hdh_graph.resource_kinds.CLASS_KINDS` names it."""
    context: type[Page]
    template: str
    build: Callable[[OverviewBuilder, Node], list[Page]]
    twins: bool = True
    """Whether its first page has machine-readable twins (Turtle, JSON-LD, RDF/XML). Without, the resource's triples
    are in the twin of the nearest page above it (a variable's in its table's: ``table/T/C`` → ``table/T.ttl``)."""
    listed_on: str | None = None
    """The catalogue-wide page each resource of this type adds a part to (see :class:`SitePage`)."""
    weight: int = 1
    """How much a resource of this type weighs in a batch of a build in batches."""
    searched: bool = True
    """Whether its first page is in the site's search (:mod:`publish.static_search`)."""


@dataclass(frozen=True)
class SitePage:
    name: str
    """The page type (``page.kind``); its item in the build is ``page:<name>``."""
    context: type[Page]
    template: str
    parts: str | None = None
    """The prefix of the parts it is assembled from (``home`` for ``home:<iri>``), ``None`` for a page made
    from its template alone."""
    part: Callable[[OverviewBuilder, str], Any] | None = None
    """Makes the part a resource contributes (given its IRI)."""
    assemble: Callable[[OverviewBuilder, SitePage, Node | None, dict[str, Any], Counts], list[Page]] | None = None
    """Makes the page from the catalogue, its parts (by key) and the catalogue's counts."""
    path: str = ""
    title: Localized | None = None

    @property
    def key(self) -> str:
        return "page:" + self.name


def _one(method: str) -> Callable[[OverviewBuilder, Node], list[Page]]:
    def build(builder: OverviewBuilder, node: Node) -> list[Page]:
        found = getattr(builder, method)(node)
        return [found] if isinstance(found, Page) else list(found)

    build.__name__ = method
    return build


RESOURCE_PAGES: dict[str, ResourcePages] = {
    r.name: r
    for r in (
        ResourcePages("dataset", DatasetPage, "dataset.html", _one("dataset"), listed_on="home"),
        ResourcePages("table", TablePage, "table.html", _one("table"), listed_on="crossing"),
        ResourcePages("variable", VariablePage, "variable.html", _one("variable"), twins=False),
        ResourcePages("codelist", CodeListPage, "codelist.html", _one("codelist"), listed_on="codelists", weight=40),
        ResourcePages("agent", AgentPage, "agent.html", _one("agent"), listed_on="agents", weight=40, searched=False),
        ResourcePages("citizen", CitizenTopicPage, "citizen.html", _one("citizen_topic"), listed_on="citizens"),
        ResourcePages("project", ProjectPage, "project.html", _one("project"), listed_on="projects"),
    )
}


def _home(
    b: OverviewBuilder, page: SitePage, catalog: Node | None, parts: dict[str, Any], counts: Counts
) -> list[Page]:
    return [b.home(catalog, list(parts.values()), counts)]


def _datasets(
    b: OverviewBuilder, page: SitePage, catalog: Node | None, parts: dict[str, Any], counts: Counts
) -> list[Page]:
    return list(b.dataset_list(page.path, page.title or Localized(()), list(parts.values())))


def _crossing(
    b: OverviewBuilder, page: SitePage, catalog: Node | None, parts: dict[str, Any], counts: Counts
) -> list[Page]:
    return [b.crossing([v for _, v in sorted(parts.items())])]


def _listing(
    b: OverviewBuilder, page: SitePage, catalog: Node | None, parts: dict[str, Any], counts: Counts
) -> list[Page]:
    return list(b.listing(page.name, page.path, page.title or Localized(()), list(parts.values())))


def _static(
    b: OverviewBuilder, page: SitePage, catalog: Node | None, parts: dict[str, Any], counts: Counts
) -> list[Page]:
    return [b.static(page.name, page.path, page.title or Localized(()))]


def _citizens(
    b: OverviewBuilder, page: SitePage, catalog: Node | None, parts: dict[str, Any], counts: Counts
) -> list[Page]:
    return list(b.citizens(page.title or Localized(()), [v for _, v in sorted(parts.items())]))


def _words(en: str, fr: str) -> Localized:
    return Localized((("en", en), ("fr", fr)))


SITE_PAGES: dict[str, SitePage] = {
    p.name: p
    for p in (
        SitePage("home", HomePage, "home.html", "home", lambda b, iri: b.home_entry(iri), _home),
        SitePage(
            "datasets",
            DatasetListPage,
            "datasets.html",
            "home",
            assemble=_datasets,
            path="dataset",
            title=_words("Databases", "Bases de données"),
        ),
        SitePage("crossing", CrossingPage, "crossing.html", "cross", lambda b, iri: b.crossing_row(iri), _crossing),
        SitePage(
            "agents",
            ListingPage,
            "listing.html",
            "agents",
            lambda b, iri: b.r.ref(iri),
            _listing,
            path="agent",
            title=_words("Organisations", "Organisations"),
        ),
        SitePage(
            "codelists",
            ListingPage,
            "listing.html",
            "codelists",
            lambda b, iri: b.r.ref(iri),
            _listing,
            path="codelist",
            title=_words("Code lists", "Nomenclatures"),
        ),
        SitePage(
            "projects",
            ListingPage,
            "listing.html",
            "projects",
            lambda b, iri: b.r.ref(iri),
            _listing,
            path="project",
            title=_words("Projects that use the data", "Projets qui utilisent les données"),
        ),
        SitePage(
            "citizens",
            CitizensPage,
            "citizens.html",
            "citizens",
            lambda b, iri: b.citizen_topic_part(iri),
            _citizens,
            path="citizens",
            title=_words("Your health data: what citizens need to know", "Vos données de santé : ce qu'il faut savoir"),
        ),
        SitePage(
            "about",
            StaticPage,
            "static.html",
            assemble=_static,
            path="about",
            title=_words("How to access the data", "Accéder aux données"),
        ),
        SitePage(
            "search", StaticPage, "static.html", assemble=_static, path="search", title=_words("Search", "Rechercher")
        ),
    )
}

TEMPLATES: dict[type[Page], str] = {
    **{r.context: r.template for r in RESOURCE_PAGES.values()},
    **{p.context: p.template for p in SITE_PAGES.values()},
}
"""The template of each context type (one template per type)."""
TWIN_KINDS: frozenset[str] = frozenset(r.name for r in RESOURCE_PAGES.values() if r.twins)
SEARCHED_KINDS: frozenset[str] = frozenset(r.name for r in RESOURCE_PAGES.values() if r.searched)
"""The page types whose first page is in the site's search."""
PART_PREFIXES: tuple[str, ...] = tuple(sorted({p.parts + ":" for p in SITE_PAGES.values() if p.parts}))
GLOBAL_KEYS: tuple[str, ...] = tuple(p.key for p in SITE_PAGES.values())
WEIGHTS: dict[str, int] = {r.name: r.weight for r in RESOURCE_PAGES.values() if r.weight != 1}
PAGE_CLASSES: tuple[tuple[str, str], ...] = tuple((k.cls, k.page) for k in CLASS_KINDS if k.page in RESOURCE_PAGES)
"""(class, page type) of the classes whose resources have pages, first match first."""


def site_pages_of_part(part_key: str) -> list[SitePage]:
    """The catalogue-wide pages a part (``cross:<iri>``) is on."""
    prefix = part_key.split(":", 1)[0]
    return [page for page in SITE_PAGES.values() if page.parts == prefix]


def maker_of_part(part_key: str) -> SitePage:
    """The catalogue-wide page whose ``part`` makes this part."""
    return next(page for page in site_pages_of_part(part_key) if page.part is not None)


def part_key(resource_kind: str, iri: str) -> str | None:
    """The key of the part a resource of this type contributes, if any (``None`` for the home page: only the
    datasets the catalogue lists at its top are entries there)."""
    listed = RESOURCE_PAGES[resource_kind].listed_on if resource_kind in RESOURCE_PAGES else None
    if listed is None or listed == "home":
        return None
    return f"{SITE_PAGES[listed].parts}:{iri}"
