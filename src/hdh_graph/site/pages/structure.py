"""How the catalogue hangs together: which tables a dataset has, which columns a table has, which joins.

Computed once per build from the indexed facts, so that each page context is a dictionary look-up. Each
look-up records, while a page is tracked (:meth:`Facts.tracking`), the dependency keys that would bring
in every resource that can change its answer; a partial read (incremental rebuilds) loads those.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from hdh_graph.graph_store import GraphStore
from hdh_graph.site.pages.context import Join
from hdh_graph.site.pages.resolve import Resolver
from hdh_graph.site.read.facts import Facts
from hdh_graph.vocab import CSVW, DCAT, DCT, HDH, HEALTHDCATAP, QB, RDF

STRUCTURE_PREDICATES = frozenset(
    {
        RDF.type,
        CSVW.table,
        CSVW.column,
        CSVW.name,
        HEALTHDCATAP.hasVariables,
        HDH.tableSchema,
        HDH.references,
        HDH.unresolved,
        DCT.isPartOf,
        QB.codeList,
    }
)
"""What :func:`analyse` reads: a change to one of these in a resource changes its ``s:`` key."""


class Lookup(dict[str, Any]):
    """A dictionary whose ``get`` tells the facts' tracker what the answer depends on."""

    def __init__(self, data: dict[str, Any], facts: Facts, keys: Callable[[str, Any], Iterable[str]]) -> None:
        super().__init__(data)
        self.facts = facts
        self.keys_of = keys  # not ``keys``: that would hide dict.keys

    def get(self, key: str, default: Any = None) -> Any:
        value = super().get(key, default)
        if self.facts.deps is not None:
            for dep in self.keys_of(key, value):
                # "@iri": the answer rests on how that resource hangs with others (its links and names)
                self.facts.deps.add("s:" + dep[1:] if dep.startswith("@") else dep)
        return value


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
    names: Callable[[str], list[tuple[str, str]]] | None = None

    def same_name(self, name: str) -> list[tuple[str, str]]:
        """Every column called ``name`` and its table (the column itself when it is in none), sorted. Tracked
        by the ``name:`` key. On a partial read it asks the store (two index look-ups per column), so that a
        variable's page does not need every column of that name read in full."""
        assert self.names is not None
        if self.names_facts is not None:
            self.names_facts.track("name:" + name)
        return self.names(name)

    names_facts: Facts | None = None


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
        for column in table.iris(CSVW.column):
            st.table_of_column.setdefault(column, table.key)
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
    _track_lookups(st, facts)
    st.names_facts = facts
    st.names = names_from_store(facts.store) if facts.store is not None else _names_from_facts(st)
    return st


def _names_from_facts(st: Structure) -> Callable[[str], list[tuple[str, str]]]:
    def names(name: str) -> list[tuple[str, str]]:
        columns = dict.get(st.columns_by_name, name, [])
        return sorted({(c, dict.get(st.table_of_column, c, c)) for c in columns})

    return names


NAMES_QUERY = """SELECT ?name ?c (MIN(STR(?t)) AS ?table) WHERE {
  GRAPH ?g { ?c csvw:name ?name } ?c a csvw:Column .
  OPTIONAL { GRAPH ?h { ?t csvw:column ?c } ?t a csvw:Table }
} GROUP BY ?name ?c"""


def names_index(store: GraphStore) -> Callable[[str], list[tuple[str, str]]]:
    """Every column name's columns and their tables, in one query (builds in batches read it once)."""
    from hdh_graph.vocab import sparql_prefixes

    index: dict[str, set[tuple[str, str]]] = defaultdict(set)
    result = store.query(sparql_prefixes() + NAMES_QUERY, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    for name, column, table in result:
        if isinstance(column, ox.NamedNode) and isinstance(name, ox.Literal):
            index[name.value].add((column.value, table.value if table is not None else column.value))
    frozen = {name: sorted(pairs) for name, pairs in index.items()}
    return lambda name: frozen.get(name, [])


def names_from_store(store: GraphStore) -> Callable[[str], list[tuple[str, str]]]:
    """The same, asked of the store name by name (two index look-ups per column), remembered."""
    name_p, column_p, typ = ox.NamedNode(CSVW.name), ox.NamedNode(CSVW.column), ox.NamedNode(RDF.type)
    column_cls, table_cls = ox.NamedNode(CSVW.Column), ox.NamedNode(CSVW.Table)
    cache: dict[str, list[tuple[str, str]]] = {}

    def typed(iri: ox.NamedNode, cls: ox.NamedNode) -> bool:
        return any(q.graph_name != ox.DefaultGraph() for q in store.quads_for_pattern(iri, typ, cls, None))

    def names(name: str) -> list[tuple[str, str]]:
        found = cache.get(name)
        if found is None:
            pairs = set()
            for q in store.quads_for_pattern(None, name_p, ox.Literal(name), None):
                column = q.subject
                if q.graph_name == ox.DefaultGraph() or not isinstance(column, ox.NamedNode):
                    continue
                if not typed(column, column_cls):
                    continue
                tables = sorted(
                    t.subject.value
                    for t in store.quads_for_pattern(None, column_p, column, None)
                    if isinstance(t.subject, ox.NamedNode)
                    and t.graph_name != ox.DefaultGraph()
                    and typed(t.subject, table_cls)
                )
                pairs.add((column.value, tables[0] if tables else column.value))
            found = cache[name] = sorted(pairs)
        return found

    return names


def _track_lookups(st: Structure, facts: Facts) -> None:
    """Wrap the maps so that each look-up records its dependency keys ("@iri": a resource read)."""

    def rev(key: str, _value: Any) -> Iterable[str]:
        return ("r:" + key,)

    def dataset_of_table(key: str, _value: Any) -> Iterable[str]:
        groups = facts.reverse().get((CSVW.table, key), [])
        return ("r:" + key, "@" + key, *("r:" + g for g in groups), *("@" + g for g in groups))

    def tables_of_dataset(key: str, _value: Any) -> Iterable[str]:
        node = facts.nodes.get(key)
        groups = node.iris(HEALTHDCATAP.hasVariables) if node else []
        return ("r:" + key, "@" + key, *("@" + g for g in groups))

    def joins_of_table(key: str, value: Any) -> Iterable[str]:
        node = facts.nodes.get(key)
        out = ["@" + key, "r:" + key]
        reverse = facts.reverse()
        for col in node.iris(CSVW.column) if node else []:
            out += ["@" + col, "r:" + col]
            for source in reverse.get((HDH.references, col), []):  # and the tables of the columns referring to it
                out += ["@" + source, "r:" + source]
            col_node = facts.nodes.get(col)
            for target in col_node.iris(HDH.references) if col_node else []:
                out += ["@" + target, "r:" + target]
        for join in value or ():
            out += ["l:" + join.source.iri, "l:" + join.target.iri]
        return out

    def by_name(key: str, _value: Any) -> Iterable[str]:
        return ("name:" + key,)

    st.tables_of_dataset = Lookup(st.tables_of_dataset, facts, tables_of_dataset)
    st.dataset_of_table = Lookup(st.dataset_of_table, facts, dataset_of_table)
    st.table_of_column = Lookup(st.table_of_column, facts, rev)
    st.series_of_table = Lookup(st.series_of_table, facts, rev)
    st.columns_by_name = Lookup(st.columns_by_name, facts, by_name)
    st.columns_of_codelist = Lookup(st.columns_of_codelist, facts, rev)
    st.referenced_by = Lookup(st.referenced_by, facts, rev)
    st.joins_of_table = Lookup(st.joins_of_table, facts, joins_of_table)


def _parent_iri(iri: str) -> str:
    return iri.rsplit("/", 1)[0]


def _col_name(facts: Facts, iri: str) -> str:
    node = facts.get(iri)
    name = node.text(CSVW.name) if node else None
    return name or iri.rsplit("/", 1)[-1]
