"""Build the page contexts of code lists, organisations and the catalogue-wide pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from hdh_graph.site.context import (
    AgentPage,
    Code,
    CodeListPage,
    CrossingPage,
    DatasetEntry,
    HomePage,
    ListingPage,
    Ref,
    SharedCodeList,
    StaticPage,
)
from hdh_graph.site.facts import Node
from hdh_graph.site.i18n import Localized
from hdh_graph.site.pages import PageBuilder
from hdh_graph.site.resolve import label_of
from hdh_graph.vocab import CSVW, CV, DCAT, DCT, FOAF, GEODCATAP, HDH, HEALTHDCATAP, SKOS

CODES_PER_PAGE = 500
MAX_USED_BY = 2000

# Which links make an organisation appear on a dataset, and the message key that names the role.
AGENT_ROLES: tuple[tuple[str, str], ...] = (
    (DCT.publisher, "role_publisher"),
    (GEODCATAP.custodian, "role_custodian"),
    (HEALTHDCATAP.hdab, "role_hdab"),
)


class OverviewBuilder(PageBuilder):
    def codelist(self, node: Node) -> Iterator[CodeListPage]:
        """The code list's pages: the first at its own path, the next ones at ``<path>/page-N``."""
        codes = [Code(c.notation, Localized.of(list(c.labels))) for c in self.facts.codes.get(node.key, [])]
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
                used_by=used_by,
            )

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

    def home(self, datasets: list[Node]) -> HomePage:
        catalogs = self.facts.of_type(DCAT.Catalog)
        catalog = catalogs[0] if catalogs else None
        listed = set(catalog.iris(DCAT.dataset)) if catalog else set()
        tops = [d for d in datasets if d.key in listed or not d.iris(DCT.isPartOf)]
        entries = []
        for d in sorted(tops, key=lambda n: (label_of(n).plain("fr").casefold(), n.key)):
            parts = tuple(
                r
                for r in self.r.refs(d.iris(DCT.hasPart) + self.facts.subjects_with(DCT.isPartOf, d.key))
                if r.kind == "dataset"
            )
            count = sum(len(self._columns_of_dataset(p.iri)) for p in parts) + len(self._columns_of_dataset(d.key))
            entries.append(DatasetEntry(self.r.ref(d.key), self._text(d, DCT.description), parts, count))
        counts = (
            ("count_datasets", len(datasets)),
            ("count_tables", len(self.facts.of_type(CSVW.Table))),
            ("count_variables", len(self.facts.of_type(CSVW.Column))),
            ("count_codelists", len(self.facts.of_type(SKOS.ConceptScheme))),
        )
        title = label_of(catalog) if catalog else Localized((("fr", "Catalogue"), ("en", "Catalogue")))
        return HomePage(
            iri=catalog.key if catalog else self.facts.base_iri,
            path="",
            kind="home",
            title=title,
            graph=catalog.graph if catalog else None,
            description=self._text(catalog, DCT.description),
            datasets=tuple(entries),
            counts=counts,
        )

    def _columns_of_dataset(self, iri: str) -> list[str]:
        out: list[str] = []
        for t in self.st.tables_of_dataset.get(iri, []):
            node = self.facts.get(t)
            out.extend(node.iris(CSVW.column) if node else [])
        return out

    def crossing(self) -> CrossingPage:
        tables_of_codelist: dict[str, set[str]] = defaultdict(set)
        for cl, cols in self.st.columns_of_codelist.items():
            for c in cols:
                t = self.st.table_of_column.get(c)
                if t:
                    tables_of_codelist[cl].add(t)
        shared = tuple(
            SharedCodeList(self.r.ref(cl), self.r.refs(sorted(ts)))
            for cl, ts in sorted(tables_of_codelist.items())
            if len(ts) > 1
        )
        names = []
        for name, cols in sorted(self.st.columns_by_name.items()):
            tables = {self.st.table_of_column.get(c, "") for c in cols} - {""}
            if len(tables) > 1:
                names.append((name, self.r.refs(sorted(tables))))
        return CrossingPage(
            iri=self.facts.base_iri + "crossing",
            path="crossing",
            kind="crossing",
            title=Localized((("en", "Crossing datasets"), ("fr", "Croiser les données"))),
            graph=None,
            joins=tuple(self.st.joins),
            shared_codelists=shared,
            shared_names=tuple(names[:500]),
        )

    def listing(self, kind: str, path: str, title: Localized, refs: tuple[Ref, ...]) -> ListingPage:
        return ListingPage(iri=self.facts.base_iri + path, path=path, kind=kind, title=title, graph=None, items=refs)

    def static(self, kind: str, path: str, title: Localized) -> StaticPage:
        return StaticPage(iri=self.facts.base_iri + path, path=path, kind=kind, title=title, graph=None)
