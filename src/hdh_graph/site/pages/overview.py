"""Build the page contexts of code lists, organisations and the catalogue-wide pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from hdh_graph.site.i18n import Localized
from hdh_graph.site.pages.across import matches_of, term_of
from hdh_graph.site.pages.citizens import citizens_pages, topic_of, topic_page
from hdh_graph.site.pages.context import (
    AgentPage,
    CitizensPage,
    CitizenTopic,
    CitizenTopicPage,
    Code,
    CodeListPage,
    CrossingPage,
    CrossingRow,
    DatasetEntry,
    DatasetListPage,
    HomePage,
    Join,
    ListingPage,
    Match,
    ProjectPage,
    Ref,
    SharedCodeList,
    StaticPage,
)
from hdh_graph.site.pages.projects import project_page
from hdh_graph.site.pages.resolve import label_of, sort_key
from hdh_graph.site.pages.resources import PageBuilder
from hdh_graph.site.read.facts import Node
from hdh_graph.vocab import CSVW, CV, DCAT, DCT, FOAF, GEODCATAP, HDH, HEALTHDCATAP, QB, SKOS

CODES_PER_PAGE = 500
HOME_DATASETS = 24
"""Databases shown on the home page (all of them are on the list of databases)."""
LISTED_PER_PAGE = 100
"""Entries a page of the list of databases, of organisations, of code lists."""
MAX_USED_BY = 2000
MAX_LISTED_TABLES = 30
"""Tables listed per shared code list or shared name on the crossing page (the rest are counted)."""
MAX_SHARED_NAMES = 500

# Which links make an organisation appear on a dataset, and the message key that names the role.
AGENT_ROLES: tuple[tuple[str, str], ...] = (
    (DCT.publisher, "role_publisher"),
    (GEODCATAP.custodian, "role_custodian"),
    (HEALTHDCATAP.hdab, "role_hdab"),
)


class OverviewBuilder(PageBuilder):
    def codelist(self, node: Node) -> Iterator[CodeListPage]:
        """The code list's pages: the first at its own path, the next ones at ``<path>/page-N``."""
        rows = self.facts.codes_of(node.key)
        codes = [Code(c.notation, Localized.of(c.labels)) for c in rows]
        # the codes read as resources are the terms of a glossary (the others are not looked up, to keep the
        # page's dependencies to its list)
        terms = tuple(t for c in rows if c.iri in self.facts.nodes for t in [term_of(self.facts, self.r, c.iri)] if t)
        used_by_columns = sorted(set(self.st.columns_of_codelist.get(node.key, [])))[:MAX_USED_BY]
        used_by = tuple(self.variable_row(c) for c in used_by_columns)
        pages = max(1, -(-len(codes) // CODES_PER_PAGE))
        base = self._page(node, "codelist")
        for n in range(1, pages + 1):
            path = str(base["path"]) if n == 1 else f"{base['path']}/page-{n}"
            yield CodeListPage(
                **{**base, "path": path},  # type: ignore[arg-type]
                identifier=node.text(DCT.identifier),
                description=self._text(node, DCT.description),
                codes=tuple(codes[(n - 1) * CODES_PER_PAGE : n * CODES_PER_PAGE]),
                code_count=len(codes),
                page_number=n,
                page_count=pages,
                codes_missing=bool(node.values(HDH.codesMissing)) and node.text(HDH.codesMissing) != "false",
                editorial_note=self._text(node, SKOS.editorialNote),
                source=node.first_iri(DCT.source) or node.first_iri(CSVW.url),
                used_by=used_by if n == 1 else (),  # the next pages link to the first
                terms=terms if n == 1 else (),
            )

    def project(self, node: Node) -> ProjectPage:
        return project_page(self, node, self._page(node, "project"))

    def agent(self, node: Node) -> AgentPage:
        roles = []
        for pred, key in AGENT_ROLES:
            datasets = self.facts.subjects_with(pred, node.key)
            if datasets:
                roles.append((key, self.r.refs(datasets)))
        return AgentPage(
            **self._page(node, "agent"),  # type: ignore[arg-type]
            homepage=node.first_iri(FOAF.homepage),
            contacts=self.r.contacts(node, CV.contactPoint, DCAT.contactPoint),
            roles=tuple(roles),
        )

    def home_entry(self, iri: str) -> DatasetEntry:
        """One dataset as the home page lists it (a part the home page is assembled from)."""
        d = self.facts.get(iri)
        parts = tuple(
            r
            for r in self.r.refs((d.iris(DCT.hasPart) if d else []) + self.facts.subjects_with(DCT.isPartOf, iri))
            if r.kind == "dataset"
        )
        count = sum(len(self._columns_of_dataset(p.iri)) for p in parts) + len(self._columns_of_dataset(iri))
        return DatasetEntry(self.r.ref(iri), self._text(d, DCT.description), parts, count)

    def counts(self) -> tuple[tuple[str, int], ...]:
        f = self.facts
        return (
            ("count_datasets", len({n.key for n in f.of_type(DCAT.Dataset) + f.of_type(DCAT.DatasetSeries)})),
            ("count_tables", len(f.of_type(CSVW.Table))),
            ("count_variables", len(f.of_type(CSVW.Column))),
            ("count_codelists", len(f.of_type(SKOS.ConceptScheme))),
        )

    def home(self, catalog: Node | None, entries: list[DatasetEntry], counts: tuple[tuple[str, int], ...]) -> HomePage:
        title = label_of(catalog) if catalog else Localized((("fr", "Catalogue"), ("en", "Catalogue")))
        return HomePage(
            iri=catalog.key if catalog else self.facts.base_iri,
            path="",
            kind="home",
            title=title,
            graph=catalog.graph if catalog else None,
            description=self._text(catalog, DCT.description),
            datasets=tuple(_by_name(entries)[:HOME_DATASETS]),
            dataset_count=len(entries),
            counts=counts,
        )

    def dataset_list(self, path: str, title: Localized, entries: list[DatasetEntry]) -> list[DatasetListPage]:
        """Every database, :data:`LISTED_PER_PAGE` a page: ``path``, then ``path/page-N``."""
        ordered = _by_name(entries)
        count = max(1, -(-len(ordered) // LISTED_PER_PAGE))
        return [
            DatasetListPage(
                iri=self.facts.base_iri + path,
                path=path if n == 1 else f"{path}/page-{n}",
                kind="datasets",
                title=title,
                graph=None,
                datasets=tuple(ordered[(n - 1) * LISTED_PER_PAGE : n * LISTED_PER_PAGE]),
                dataset_count=len(ordered),
                page_number=n,
                page_count=count,
            )
            for n in range(1, count + 1)
        ]

    def _columns_of_dataset(self, iri: str) -> list[str]:
        out: list[str] = []
        for t in self.st.tables_of_dataset.get(iri, []):
            node = self.facts.get(t)
            out.extend(node.iris(CSVW.column) if node else [])
        return out

    def crossing_row(self, table: str) -> CrossingRow:
        """What one table brings to the crossing page: its joins, code lists and column names."""
        node = self.facts.get(table)
        codelists: set[str] = set()
        names: set[str] = set()
        for col in node.iris(CSVW.column) if node else []:
            if self.st.table_of_column.get(col) != table:
                continue
            c = self.facts.get(col)
            codelists.update(c.iris(QB.codeList) if c else [])
            name = c.text(CSVW.name) if c else None
            if name:
                names.add(name)
        joins = tuple(j for j in self.st.joins_of_table.get(table, []) if j.source.iri == table)
        matches = tuple(
            (self.r.ref(col), m)
            for col in (node.iris(CSVW.column) if node else [])
            if self.st.table_of_column.get(col) == table
            for m in matches_of(self.facts, self.r, self.st, col)
            if not m.reverse
        )
        return CrossingRow(
            self.r.ref(table),
            joins,
            tuple(self.r.ref(cl) for cl in sorted(codelists)),
            tuple(sorted(names)),
            matches,
        )

    def crossing(self, rows: list[CrossingRow]) -> CrossingPage:
        tables_of_codelist: dict[str, set[Ref]] = defaultdict(set)
        codelist_refs: dict[str, Ref] = {}
        tables_of_name: dict[str, set[Ref]] = defaultdict(set)
        joins: list[Join] = []
        matches: list[tuple[Ref, Match]] = []
        for row in rows:
            joins.extend(row.joins)
            matches.extend(row.matches)
            for cl in row.codelists:
                tables_of_codelist[cl.iri].add(row.table)
                codelist_refs[cl.iri] = cl
            for name in row.names:
                tables_of_name[name].add(row.table)
        shared = tuple(
            SharedCodeList(codelist_refs[cl], *_capped(ts))
            for cl, ts in sorted(tables_of_codelist.items())
            if len(ts) > 1
        )
        names = [(name, *_capped(ts)) for name, ts in sorted(tables_of_name.items()) if len(ts) > 1]
        return CrossingPage(
            iri=self.facts.base_iri + "crossing",
            path="crossing",
            kind="crossing",
            title=Localized((("en", "Crossing datasets"), ("fr", "Croiser les données"))),
            graph=None,
            joins=tuple(sorted(joins, key=lambda j: (j.source.iri, j.target.iri))),
            shared_codelists=shared,
            shared_names=tuple(names[:MAX_SHARED_NAMES]),
            shared_names_more=max(0, len(names) - MAX_SHARED_NAMES),
            matches=tuple(sorted(matches, key=lambda m: (m[1].mapping, m[0].iri))),
        )

    # -- for citizens ----------------------------------------------------------------------------------
    def citizen_topic(self, node: Node) -> CitizenTopicPage:
        return topic_page(self.facts, self.r, node, self._page(node, "citizen"))

    def citizen_topic_part(self, iri: str) -> CitizenTopic | None:
        node = self.facts.get(iri)
        return topic_of(self.facts, self.r, node) if node is not None else None

    def citizens(self, title: Localized, topics: list[CitizenTopic | None]) -> list[CitizensPage]:
        return citizens_pages(self.facts.base_iri, title, [t for t in topics if t is not None])

    def listing(self, kind: str, path: str, title: Localized, refs: list[Ref]) -> list[ListingPage]:
        """A list of resources, :data:`LISTED_PER_PAGE` a page: ``path``, then ``path/page-N``."""
        items = sorted(refs, key=sort_key)
        count = max(1, -(-len(items) // LISTED_PER_PAGE))
        return [
            ListingPage(
                iri=self.facts.base_iri + path,
                path=path if n == 1 else f"{path}/page-{n}",
                kind=kind,
                title=title,
                graph=None,
                items=tuple(items[(n - 1) * LISTED_PER_PAGE : n * LISTED_PER_PAGE]),
                item_count=len(items),
                page_number=n,
                page_count=count,
            )
            for n in range(1, count + 1)
        ]

    def static(self, kind: str, path: str, title: Localized) -> StaticPage:
        return StaticPage(iri=self.facts.base_iri + path, path=path, kind=kind, title=title, graph=None)


def _by_name(entries: list[DatasetEntry]) -> list[DatasetEntry]:
    return sorted(entries, key=lambda e: (e.ref.label.plain("fr").casefold(), e.ref.iri))


def _capped(refs: set[Ref]) -> tuple[tuple[Ref, ...], int]:
    ordered = sorted(refs, key=sort_key)
    return tuple(ordered[:MAX_LISTED_TABLES]), max(0, len(ordered) - MAX_LISTED_TABLES)
