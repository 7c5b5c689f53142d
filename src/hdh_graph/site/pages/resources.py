"""Build the page contexts of datasets, tables and variables from the indexed facts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hdh_graph.site.i18n import Localized
from hdh_graph.site.pages.across import docs_of, matches_of, terms_of
from hdh_graph.site.pages.citizens import citizens_path_of
from hdh_graph.site.pages.context import (
    Access,
    Attribution,
    DatasetPage,
    DatasetQuality,
    Page,
    TablePage,
    TableSummary,
    VariablePage,
    VariableRow,
)
from hdh_graph.site.pages.diagrams import layout
from hdh_graph.site.pages.jsonld import dataset_jsonld, media_type, script_json
from hdh_graph.site.pages.resolve import Resolver, label_of
from hdh_graph.site.pages.structure import Structure
from hdh_graph.site.read.facts import Facts, Node
from hdh_graph.site.urls import resource_path
from hdh_graph.vocab import (
    CSVW,
    DCAT,
    DCATAP,
    DCT,
    GEODCATAP,
    HDH,
    HEALTHDCATAP,
    PROV,
    QB,
    SKOS,
)

MAX_SAME_NAME = 20
"""Tables listed on a variable's page as having a variable of the same name (the first by IRI; the rest counted)."""


class PageBuilder:
    """Holds the facts and their structure; yields one context per resource page."""

    def __init__(
        self,
        facts: Facts,
        resolver: Resolver,
        structure: Structure,
        quality: Mapping[str, DatasetQuality] | None = None,
    ) -> None:
        self.facts = facts
        self.r: Resolver = resolver
        self.st = structure
        self.quality: Mapping[str, DatasetQuality] = quality if quality is not None else {}
        """Each dataset's quality box, computed once for the whole build (:mod:`pages.quality`)."""
        self.site_url = facts.base_iri.rstrip("/#")

    def _page(self, node: Node, kind: str) -> dict[str, object]:
        path = resource_path(node.key, self.facts.base_iri) or node.key
        return {"iri": node.key, "path": path, "kind": kind, "title": label_of(node, node.key), "graph": node.graph}

    def _text(self, node: Node | None, predicate: str) -> Localized:
        return Localized.of(node.literals(predicate)) if node else Localized(())

    def name_of(self, iri: str) -> str:
        node = self.facts.get(iri)
        return (node.text(CSVW.name) if node else None) or iri.rsplit("/", 1)[-1]

    # -- variables -------------------------------------------------------------------------------------
    def variable_row(self, col_iri: str) -> VariableRow:
        node = self.facts.get(col_iri)
        table = self.st.table_of_column.get(col_iri, "")
        codelist = node.first_iri(QB.codeList) if node else None
        return VariableRow(
            self.r.ref(col_iri),
            self.name_of(col_iri),
            self.r.ref(table) if table else self.r.ref(col_iri.rsplit("/", 1)[0]),
            node.text(CSVW.datatype) or node.first_iri(CSVW.datatype) if node else None,
            self._text(node, DCT.description),
            self.r.ref(codelist) if codelist else None,
        )

    def variable(self, node: Node) -> VariablePage:
        table = self.st.table_of_column.get(node.key)
        dataset = self.st.dataset_of_table.get(table) if table else None
        name = node.text(CSVW.name)
        same_tables = sorted({t for c, t in self.st.same_name(name) if c != node.key}) if name else []
        codelist = node.first_iri(QB.codeList)
        return VariablePage(
            **self._page(node, "variable"),  # type: ignore[arg-type]
            name=name,
            description=self._text(node, DCT.description),
            table=self.r.ref(table) if table else None,
            dataset=self.r.ref(dataset) if dataset else None,
            datatype=node.text(CSVW.datatype) or node.first_iri(CSVW.datatype),
            oracle_type=node.text(HDH.oracleType),
            length=node.text(HDH.oracleLength),
            format=node.text(CSVW.format),
            minimum=node.text(CSVW.minimum),
            maximum=node.text(CSVW.maximum),
            codelist=self.r.ref(codelist) if codelist else None,
            codelist_key=node.text(HDH.codeListKey),
            year_created=node.text(HDH.yearCreated),
            year_deleted=node.text(HDH.yearDeleted),
            years_missing=tuple(node.texts(HDH.yearMissing)),
            note=self._text(node, SKOS.note),
            business_rule=self._text(node, HDH.businessRule),
            references=self.r.refs(node.iris(HDH.references)),
            referenced_by=self.r.refs(self.st.referenced_by.get(node.key, [])),
            same_name=self.r.refs(same_tables[:MAX_SAME_NAME]),
            same_name_more=max(0, len(same_tables) - MAX_SAME_NAME),
            matches=matches_of(self.facts, self.r, self.st, node.key),
            terms=terms_of(self.facts, self.r, [node.key]),
        )

    # -- tables ----------------------------------------------------------------------------------------
    def table(self, node: Node) -> TablePage:
        dataset = self.st.dataset_of_table.get(node.key)
        series = self.st.series_of_table.get(node.key)
        joins = self.st.joins_of_table.get(node.key, [])
        neighbours = [node.key] + [j.target.iri for j in joins] + [j.source.iri for j in joins]
        diagram = layout([self.r.ref(i) for i in sorted(set(neighbours))], joins, self.name_of, node.key)
        return TablePage(
            **self._page(node, "table"),  # type: ignore[arg-type]
            name=node.text(CSVW.name),
            description=self._text(node, DCT.description),
            dataset=self.r.ref(dataset) if dataset else None,
            series=self.r.ref(series) if series else None,
            champ=self._text(node, HDH.champ),
            derived_from=node.first_iri(PROV.wasDerivedFrom),
            columns=tuple(self.variable_row(c) for c in node.iris(CSVW.column)),
            primary_key=tuple(sorted(self.name_of(c) for c in node.iris(CSVW.primaryKey))),
            joins_out=tuple(j for j in joins if j.source.iri == node.key),
            joins_in=tuple(j for j in joins if j.source.iri != node.key),
            diagram=diagram,
            docs=docs_of(self.facts, self.r, node.key),
            terms=terms_of(self.facts, self.r, [node.key, *node.iris(CSVW.column)]),
        )

    # -- datasets --------------------------------------------------------------------------------------
    def dataset(self, node: Node) -> DatasetPage:
        f = self.facts
        is_series = DCAT.DatasetSeries in node.types
        table_iris = list(self.st.tables_of_dataset.get(node.key, []))
        table_iris += [t for t in node.iris(HDH.tableSchema) if t not in table_iris]
        tables = []
        variables: list[VariableRow] = []
        for t in sorted(table_iris):
            tnode = f.get(t)
            cols = tnode.iris(CSVW.column) if tnode else []
            series = self.st.series_of_table.get(t)
            tables.append(
                TableSummary(
                    self.r.ref(t), self._text(tnode, DCT.description), len(cols), self.r.ref(series) if series else None
                )
            )
            variables.extend(self.variable_row(c) for c in cols)
        joins = sorted(
            {j for t in table_iris for j in self.st.joins_of_table.get(t, [])},
            key=lambda j: (j.source.iri, j.target.iri),
        )
        diagram = layout([self.r.ref(t) for t in sorted(table_iris)], joins, self.name_of)
        parent = node.first_iri(DCT.isPartOf)
        temporal = [f.get(k) for k in node.blanks(DCT.temporal) + node.iris(DCT.temporal)]
        starts = sorted(
            (n.text(DCAT.startDate) or "")[:4] for n in temporal if n is not None and n.text(DCAT.startDate)
        )
        ends = sorted((n.text(DCAT.endDate) or "")[:4] for n in temporal if n is not None and n.text(DCAT.endDate))
        accesses = tuple(self._accesses(node))
        page = DatasetPage(
            **self._page(node, "dataset"),  # type: ignore[arg-type]
            identifier=node.text(DCT.identifier),
            description=self._text(node, DCT.description),
            is_series=is_series,
            part_of=self.r.ref(parent) if parent else None,
            parts=tuple(
                r
                for r in self.r.refs(node.iris(DCT.hasPart) + f.subjects_with(DCT.isPartOf, node.key))
                if r.kind in ("dataset", "missing", "other")
            ),
            members=self.r.refs(f.subjects_with(DCAT.inSeries, node.key)),
            projects=tuple(r for r in self.r.refs(sorted(f.subjects_with(PROV.used, node.key))) if r.kind == "project"),
            access_rights=self.r.ref(node.first_iri(DCT.accessRights) or "")
            if node.first_iri(DCT.accessRights)
            else None,
            legislation=self.r.refs(node.iris(DCATAP.applicableLegislation)),
            themes=self.r.refs(node.iris(DCAT.theme)),
            health_categories=self.r.refs(node.iris(HEALTHDCATAP.healthCategory)),
            keywords=tuple(sorted({(k.language or "", k.value) for k in node.literals(DCAT.keyword)})),
            publishers=self.r.refs(node.iris(DCT.publisher)),
            custodians=self.r.refs(node.iris(GEODCATAP.custodian)),
            access_bodies=self.r.refs(node.iris(HEALTHDCATAP.hdab)),
            contacts=self.r.contacts(node, DCAT.contactPoint),
            spatial=self.r.refs(node.iris(DCT.spatial)),
            languages=self.r.refs(node.iris(DCT.language)),
            years=(starts[0] if starts else None, ends[-1] if ends else None),
            accesses=accesses,
            licenses=tuple(sorted({*node.iris(DCT.license), *(iri for a in accesses for iri in a.licenses)})),
            provenance=tuple(
                sorted(
                    (
                        self._text(f.get(k), DCT.description)
                        for k in node.blanks(DCT.provenance) + node.iris(DCT.provenance)
                    ),
                    key=lambda t: t.by_lang,
                )
            ),
            activities=self.r.refs(node.iris(PROV.wasGeneratedBy)),
            attributions=self._attributions(node),
            tables=tuple(tables),
            variables=tuple(variables),
            variable_count=len(variables),
            diagram=diagram,
            schema_table=self.r.ref(node.first_iri(HDH.tableSchema) or "") if node.first_iri(HDH.tableSchema) else None,
            docs=docs_of(self.facts, self.r, node.key),
            citizens=citizens_path_of(self.facts, node.key),
            quality=self.quality.get(node.key),
        )
        return _with_jsonld(page, self.site_url)

    def _accesses(self, node: Node) -> Iterator[Access]:
        for key in node.iris(DCAT.distribution) + node.blanks(DCAT.distribution):
            d = self.facts.get(key)
            if d is not None:
                yield Access(
                    self._text(d, DCT.title),
                    d.first_iri(DCAT.accessURL),
                    self._text(d, DCT.description),
                    download_url=d.first_iri(DCAT.downloadURL),
                    media_type=media_type(d.first_iri(DCAT.mediaType), d.first_iri(DCT.format)),
                    licenses=tuple(sorted(d.iris(DCT.license))),
                )

    def _attributions(self, node: Node) -> tuple[Attribution, ...]:
        found = set()
        for key in node.blanks(PROV.qualifiedAttribution) + node.iris(PROV.qualifiedAttribution):
            a = self.facts.get(key)
            agent = a.first_iri(PROV.agent) if a else None
            role = a.first_iri(DCAT.hadRole) if a else None
            if agent:
                found.add(Attribution(self.r.ref(agent), self.r.ref(role or PROV.Attribution)))
        return tuple(sorted(found, key=lambda x: (x.agent.iri, x.role.iri)))


def _with_jsonld(page: DatasetPage, site_url: str) -> DatasetPage:
    from dataclasses import replace

    return replace(page, jsonld=script_json(dataset_jsonld(page, site_url)))


def is_page(page: Page) -> bool:
    return bool(page.path)
