"""How the catalogue hangs together: which tables a dataset has, which columns a table has, which joins.

Computed once per build from the indexed facts, so that each page context is a dictionary look-up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from hdh_graph.site.context import Join
from hdh_graph.site.facts import Facts
from hdh_graph.site.resolve import Resolver
from hdh_graph.vocab import CSVW, DCAT, DCT, HDH, HEALTHDCATAP, QB


@dataclass
class Structure:
    tables_of_dataset: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    dataset_of_table: dict[str, str] = field(default_factory=dict)
    table_of_column: dict[str, str] = field(default_factory=dict)
    series_of_table: dict[str, str] = field(default_factory=dict)
    columns_by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    columns_of_codelist: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    referenced_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    joins: list[Join] = field(default_factory=list)
    joins_of_table: dict[str, list[Join]] = field(default_factory=lambda: defaultdict(list))


def analyse(facts: Facts, resolver: Resolver) -> Structure:
    st = Structure()
    for ds in facts.of_type(DCAT.Dataset) + facts.of_type(DCAT.DatasetSeries):
        for group_iri in ds.iris(HEALTHDCATAP.hasVariables):
            group = facts.get(group_iri)
            for t in group.iris(CSVW.table) if group else []:
                st.tables_of_dataset[ds.key].append(t)
                st.dataset_of_table.setdefault(t, ds.key)
        for t in ds.iris(HDH.tableSchema):
            st.series_of_table.setdefault(t, ds.key)
    for table in facts.of_type(CSVW.Table):
        for parent in table.iris(DCT.isPartOf):
            if table.key not in st.tables_of_dataset[parent]:
                st.tables_of_dataset[parent].append(table.key)
            st.dataset_of_table.setdefault(table.key, parent)
        for col in table.iris(CSVW.column):
            st.table_of_column.setdefault(col, table.key)
    for tables in st.tables_of_dataset.values():
        tables.sort()
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    unresolved: set[tuple[str, str]] = set()
    for col in facts.of_type(CSVW.Column):
        name = col.text(CSVW.name)
        if name:
            st.columns_by_name[name].append(col.key)
        for cl in col.iris(QB.codeList):
            st.columns_of_codelist[cl].append(col.key)
        source_table = st.table_of_column.get(col.key)
        for target in col.iris(HDH.references):
            st.referenced_by[target].append(col.key)
            target_node = facts.get(target)
            target_table = st.table_of_column.get(target) or _parent_iri(target)
            if source_table is None:
                continue
            pairs[(source_table, target_table)].append((_col_name(facts, col.key), _col_name(facts, target)))
            if target_node is None or target_node.values(HDH.unresolved):
                unresolved.add((source_table, target_table))
    for (source, target), cols in sorted(pairs.items()):
        cols = sorted(set(cols))
        join = Join(
            resolver.ref(source),
            tuple(c for c, _ in cols),
            resolver.ref(target),
            tuple(c for _, c in cols),
            (source, target) in unresolved,
        )
        st.joins.append(join)
        st.joins_of_table[source].append(join)
        if target != source:
            st.joins_of_table[target].append(join)
    return st


def _parent_iri(iri: str) -> str:
    return iri.rsplit("/", 1)[0]


def _col_name(facts: Facts, iri: str) -> str:
    node = facts.get(iri)
    name = node.text(CSVW.name) if node else None
    return name or iri.rsplit("/", 1)[-1]
