"""The pages for citizens: what each database contains and does not contain, who holds it, who may access it and
how, who decides, and the rights of the people whose data are in it; each statement with its source (see
docs/citizens.md for the data shape)."""

from __future__ import annotations

from collections import defaultdict

from hdh_graph.site.i18n import Localized
from hdh_graph.site.pages.context import CitizensPage, CitizenTopic, CitizenTopicPage, Ref, Statement
from hdh_graph.site.pages.resolve import Resolver, label_of, sort_key
from hdh_graph.site.read.facts import Facts, Node
from hdh_graph.vocab import DCT, HDH, SKOS

SCHEMA_POSITION = "http://schema.org/position"
INDEX = "citizens"
"""The path of the index of the pages for citizens."""
MAX_LEVELS = 4
"""How far up ``dct:isPartOf`` a dataset's page looks for the database its citizens' page is about."""


def _position(node: Node | None) -> int:
    text = node.text(SCHEMA_POSITION) if node else None
    try:
        return int(text) if text is not None else 0
    except ValueError:
        return 0


def database_path(dataset: str) -> str:
    """The path of the page for citizens about a database."""
    return f"{INDEX}/{dataset.rstrip('/').rsplit('/', 1)[-1]}"


def topic_of(facts: Facts, r: Resolver, node: Node) -> CitizenTopic:
    statements = []
    for key in node.iris(DCT.hasPart):
        s = facts.get(key)
        if s is None or HDH.CitizenStatement not in s.types:
            continue
        source = s.first_iri(DCT.source)
        doc = facts.get(source)
        statements.append(
            (
                _position(s),
                key,
                Statement(
                    text=Localized.of(s.literals(DCT.description)),
                    source=source,
                    source_title=label_of(doc, source or ""),
                    agents=r.refs(s.iris(DCT.relation)),
                ),
            )
        )
    kind = node.first_iri(DCT.type) or ""
    dataset = node.first_iri(DCT.subject)
    return CitizenTopic(
        ref=r.ref(node.key),
        title=label_of(node, node.key),
        kind=kind.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
        position=_position(node),
        dataset=r.ref(dataset) if dataset else None,
        statements=tuple(st for _, _, st in sorted(statements, key=lambda x: (x[0], x[1]))),
        note=Localized.of(node.literals(SKOS.editorialNote)),
    )


def topic_page(facts: Facts, r: Resolver, node: Node, page: dict[str, object]) -> CitizenTopicPage:
    topic = topic_of(facts, r, node)
    return CitizenTopicPage(
        **page,  # type: ignore[arg-type]
        topic=topic,
        database_path=database_path(topic.dataset.iri) if topic.dataset else INDEX,
    )


def citizens_pages(base_iri: str, title: Localized, topics: list[CitizenTopic]) -> list[CitizensPage]:
    """The index, then a page per database, its topics in order."""
    by_dataset: dict[str, list[CitizenTopic]] = defaultdict(list)
    refs: dict[str, Ref] = {}
    for topic in topics:
        if topic.dataset is not None:
            by_dataset[topic.dataset.iri].append(topic)
            refs[topic.dataset.iri] = topic.dataset
    databases = sorted(refs.values(), key=sort_key)
    index = CitizensPage(
        iri=base_iri + INDEX,
        path=INDEX,
        kind="citizens",
        title=title,
        graph=None,
        databases=tuple((d, database_path(d.iri), len(by_dataset[d.iri])) for d in databases),
    )
    pages = [index]
    for d in databases:
        pages.append(
            CitizensPage(
                iri=base_iri + database_path(d.iri),
                path=database_path(d.iri),
                kind="citizens",
                title=d.label,
                graph=None,
                dataset=d,
                topics=tuple(sorted(by_dataset[d.iri], key=lambda t: (t.position, t.ref.iri))),
            )
        )
    return pages


def citizens_path_of(facts: Facts, dataset: str) -> str:
    """The page for citizens of a dataset, of the first database above it that has one, else their index."""
    current: str | None = dataset
    for _ in range(MAX_LEVELS):
        if current is None:
            break
        if any(
            (t := facts.get(key)) is not None and HDH.CitizenTopic in t.types
            for key in facts.subjects_with(DCT.subject, current)
        ):
            return database_path(current)
        node = facts.get(current)
        current = node.first_iri(DCT.isPartOf) if node else None
    return INDEX
