"""Typed page contexts: what each template receives. Built once, rendered in every language.

Texts stay :class:`Localized` (all languages) so one context serves the French and the English page; the
templates pick the reader's language with the ``tx`` macro, which marks French text shown on English pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from hdh_graph.site.i18n import Localized
from hdh_graph.site.read.curation import Note

NO_TEXT = Localized(())


@dataclass(frozen=True)
class Ref:
    """A link to a resource: its page path (``None`` when the site has no page for it) and its label."""

    iri: str
    path: str | None
    label: Localized
    kind: str = "other"


@dataclass(frozen=True)
class Contact:
    name: Localized
    url: str | None
    email: str | None


@dataclass(frozen=True)
class Attribution:
    agent: Ref
    role: Ref


@dataclass(frozen=True)
class Access:
    """A way to reach the data (a ``dcat:Distribution``)."""

    title: Localized
    access_url: str | None
    description: Localized
    download_url: str | None = None
    media_type: str | None = None
    """The IANA media type (``text/html``), from ``dcat:mediaType`` or the EU file type of ``dct:format``."""
    licenses: tuple[str, ...] = ()


@dataclass(frozen=True)
class VariableRow:
    """A variable as listed on dataset and table pages."""

    ref: Ref
    name: str
    table: Ref
    datatype: str | None
    description: Localized
    codelist: Ref | None


@dataclass(frozen=True)
class Join:
    """Columns of one table that refer to columns of another (``csvw:foreignKey`` / ``hdh:references``)."""

    source: Ref
    source_columns: tuple[str, ...]
    target: Ref
    target_columns: tuple[str, ...]
    unresolved: bool = False


@dataclass(frozen=True)
class Box:
    """A table drawn in a diagram."""

    ref: Ref
    name: str
    x: int
    y: int
    width: int
    height: int
    emphasis: bool = False


@dataclass(frozen=True)
class Edge:
    """A join drawn in a diagram, as a cubic curve from one box to another."""

    path: str
    label: str
    label_x: int
    label_y: int
    anchor: str = "middle"


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    joins: tuple[Join, ...]


@dataclass(frozen=True)
class Match:
    """A variable of another table (often of another database) that holds the same notion, from a curated mapping
    record (SSSOM: ``owl:Axiom`` with ``owl:annotatedSource``, ``owl:annotatedProperty``, ``owl:annotatedTarget``)."""

    mapping: str
    notion: Localized
    relation: str
    """The SKOS mapping property's local name (``exactMatch``, ``closeMatch``, ``broadMatch``…), read from the
    side of the record's source: a page of the target shows the inverse (``narrowMatch`` for ``broadMatch``)."""
    variable: Ref
    table: Ref | None
    dataset: Ref | None
    codelists: tuple[Ref, ...]
    """The code lists and terminologies of the matching variable (through which the two meet)."""
    justification: Localized
    sources: tuple[str, ...]
    reverse: bool = False
    """Whether the variable whose match this is is the record's target (its source is then the match)."""


@dataclass(frozen=True)
class DocText:
    """A page of a database's own documentation that describes the resource (a ``foaf:Document`` whose
    ``foaf:topic`` it is), shown with its source and licence."""

    title: Localized
    text: Localized
    source: str | None
    licence: Ref | None


@dataclass(frozen=True)
class GlossaryTerm:
    """A term of a glossary (a ``skos:Concept`` with a definition, or that variables use), as its glossary's page
    lists it; ``anchor`` is its place on that page."""

    iri: str
    notation: str
    label: Localized
    alt_labels: tuple[str, ...]
    definition: Localized
    anchor: str
    source: str | None = None
    used_by: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class TermLink:
    """A link from a variable or table page to a term of a glossary."""

    term: GlossaryTerm
    glossary: Ref


@dataclass(frozen=True)
class TableSummary:
    ref: Ref
    description: Localized
    columns: int
    series: Ref | None


@dataclass(frozen=True)
class Page:
    """What every page has: its resource, path, page type and title."""

    iri: str
    path: str
    kind: str
    title: Localized
    graph: str | None
    notes: tuple[Note, ...] = field(default=(), kw_only=True)
    """What the validation of the catalogue says about the page's resource (shown to curators)."""


@dataclass(frozen=True)
class QualityDimension:
    """One MQA dimension of a dataset's score: its name (``findability``…), points and maximum."""

    name: str
    points: float
    maximum: int


@dataclass(frozen=True)
class QualityGap:
    """An MQA indicator a dataset does not fully meet: the points it would bring and what to add (the words are
    ``mqa_<indicator>`` and ``mqa_fix_<indicator>``)."""

    indicator: str
    points: float
    status: str
    """``missing``, ``partial`` or ``not checked``."""
    met: int | None = None
    """For an indicator on distributions: how many of the ``total`` distributions meet it."""
    total: int | None = None


@dataclass(frozen=True)
class LabelGroup:
    """A group of elements of the EHDS quality and utility label, each with its status (``derived``, ``stated``,
    ``unstated``)."""

    group: str
    elements: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DatasetQuality:
    """What a dataset page shows of its metadata quality (see :mod:`pages.quality`)."""

    points: float = 0.0
    maximum: int = 0
    reachable: int = 0
    """The most points the checks made can give (without those that need the network)."""
    rating: str = ""
    dimensions: tuple[QualityDimension, ...] = ()
    gaps: tuple[QualityGap, ...] = ()
    """The indicators checked and not fully met, the most points missing first."""
    not_checked: tuple[QualityGap, ...] = ()
    label: tuple[LabelGroup, ...] = ()
    scored: bool = False
    """Whether the MQA scored the dataset (a dataset series is not scored)."""


@dataclass(frozen=True)
class DatasetPage(Page):
    identifier: str | None = None
    description: Localized = NO_TEXT
    is_series: bool = False
    part_of: Ref | None = None
    parts: tuple[Ref, ...] = ()
    members: tuple[Ref, ...] = ()
    access_rights: Ref | None = None
    projects: tuple[Ref, ...] = ()
    """The projects of the register that use the dataset (``prov:used``)."""
    licenses: tuple[str, ...] = ()
    """The licences the catalogue states, of the dataset or of its distributions (IRIs)."""
    legislation: tuple[Ref, ...] = ()
    themes: tuple[Ref, ...] = ()
    health_categories: tuple[Ref, ...] = ()
    keywords: tuple[tuple[str, str], ...] = ()
    publishers: tuple[Ref, ...] = ()
    custodians: tuple[Ref, ...] = ()
    access_bodies: tuple[Ref, ...] = ()
    contacts: tuple[Contact, ...] = ()
    spatial: tuple[Ref, ...] = ()
    languages: tuple[Ref, ...] = ()
    years: tuple[str | None, str | None] = (None, None)
    accesses: tuple[Access, ...] = ()
    provenance: tuple[Localized, ...] = ()
    activities: tuple[Ref, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    tables: tuple[TableSummary, ...] = ()
    variables: tuple[VariableRow, ...] = ()
    variable_count: int = 0
    diagram: Diagram | None = None
    jsonld: str = "{}"
    schema_table: Ref | None = None
    docs: tuple[DocText, ...] = ()
    citizens: str = "citizens"
    """The path of the page for citizens about this database (or the one it is part of), else of their index."""
    quality: DatasetQuality | None = None
    """Its metadata quality (MQA score, EHDS label), when the build computed it."""


@dataclass(frozen=True)
class TablePage(Page):
    name: str | None = None
    description: Localized = NO_TEXT
    dataset: Ref | None = None
    series: Ref | None = None
    champ: Localized = NO_TEXT
    derived_from: str | None = None
    columns: tuple[VariableRow, ...] = ()
    primary_key: tuple[str, ...] = ()
    joins_out: tuple[Join, ...] = ()
    joins_in: tuple[Join, ...] = ()
    diagram: Diagram | None = None
    docs: tuple[DocText, ...] = ()
    terms: tuple[TermLink, ...] = ()


@dataclass(frozen=True)
class VariablePage(Page):
    name: str | None = None
    description: Localized = NO_TEXT
    table: Ref | None = None
    dataset: Ref | None = None
    datatype: str | None = None
    oracle_type: str | None = None
    length: str | None = None
    format: str | None = None
    minimum: str | None = None
    maximum: str | None = None
    codelist: Ref | None = None
    codelist_key: str | None = None
    year_created: str | None = None
    year_deleted: str | None = None
    years_missing: tuple[str, ...] = ()
    note: Localized = NO_TEXT
    business_rule: Localized = NO_TEXT
    references: tuple[Ref, ...] = ()
    referenced_by: tuple[Ref, ...] = ()
    same_name: tuple[Ref, ...] = ()
    same_name_more: int = 0
    matches: tuple[Match, ...] = ()
    terms: tuple[TermLink, ...] = ()


class Code(NamedTuple):
    """One code as its list's page shows it (a tuple: lists hold up to 100,000s of codes)."""

    notation: str
    label: Localized


@dataclass(frozen=True)
class CodeListPage(Page):
    identifier: str | None = None
    description: Localized = NO_TEXT
    codes: tuple[Code, ...] = ()
    code_count: int = 0
    page_number: int = 1
    page_count: int = 1
    codes_missing: bool = False
    editorial_note: Localized = NO_TEXT
    source: str | None = None
    used_by: tuple[VariableRow, ...] = ()
    terms: tuple[GlossaryTerm, ...] = ()
    """The terms of a glossary (codes with a definition or used by variables), on its first page."""

    @property
    def codes_one_language(self) -> bool:
        """Whether every code's label is in one language at most: its rows are then the same on every language
        version of the page (a label in another language is shown, marked with its language)."""
        return all(len(c.label.by_lang) <= 1 for c in self.codes)


@dataclass(frozen=True)
class Decision:
    """A decision a project rests on (its legal basis), or a document it produced."""

    title: Localized
    identifier: str | None = None
    issued: str | None = None
    by: Ref | None = None


@dataclass(frozen=True)
class ProjectPage(Page):
    """A project of the register: what it is for, who carries it out, the datasets it uses, what allowed it."""

    description: Localized = NO_TEXT
    purposes: tuple[Ref, ...] = ()
    controllers: tuple[Ref, ...] = ()
    datasets: tuple[Ref, ...] = ()
    decisions: tuple[Decision, ...] = ()
    status: Ref | None = None
    started: str | None = None
    ended: str | None = None
    results: tuple[Decision, ...] = ()


@dataclass(frozen=True)
class AgentPage(Page):
    homepage: str | None = None
    contacts: tuple[Contact, ...] = ()
    roles: tuple[tuple[str, tuple[Ref, ...]], ...] = ()


@dataclass(frozen=True)
class DatasetEntry:
    ref: Ref
    description: Localized
    parts: tuple[Ref, ...]
    variable_count: int


@dataclass(frozen=True)
class HomePage(Page):
    description: Localized = NO_TEXT
    datasets: tuple[DatasetEntry, ...] = ()
    """The first databases (by name); all of them are on the :class:`DatasetListPage` pages."""
    dataset_count: int = 0
    counts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class DatasetListPage(Page):
    """Every database the catalogue lists, a page at a time."""

    datasets: tuple[DatasetEntry, ...] = ()
    dataset_count: int = 0
    page_number: int = 1
    page_count: int = 1


@dataclass(frozen=True)
class SharedCodeList:
    codelist: Ref
    tables: tuple[Ref, ...]
    more: int = 0
    """Tables not listed (beyond the page's limit)."""


@dataclass(frozen=True)
class CrossingRow:
    """What one table brings to the crossing page (a part the page is assembled from)."""

    table: Ref
    joins: tuple[Join, ...]
    codelists: tuple[Ref, ...]
    names: tuple[str, ...]
    matches: tuple[tuple[Ref, Match], ...] = ()
    """(variable of this table, its match) for each mapping record whose source is a variable of this table."""


@dataclass(frozen=True)
class CrossingPage(Page):
    joins: tuple[Join, ...] = ()
    shared_codelists: tuple[SharedCodeList, ...] = ()
    shared_names: tuple[tuple[str, tuple[Ref, ...], int], ...] = ()
    shared_names_more: int = 0
    matches: tuple[tuple[Ref, Match], ...] = ()
    """Variables of different tables that hold the same notion (curated mappings), across databases."""


@dataclass(frozen=True)
class ListingPage(Page):
    """A plain list of resources (all organisations, all code lists)."""

    items: tuple[Ref, ...] = ()
    item_count: int = 0
    page_number: int = 1
    page_count: int = 1


@dataclass(frozen=True)
class StaticPage(Page):
    """A page whose words are all in the template (about, search)."""

    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Statement:
    """One short sentence for citizens, with the page that states it and the organisations it names."""

    text: Localized
    source: str | None
    source_title: Localized
    agents: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class CitizenTopic:
    """A topic for citizens about one database (``hdh:CitizenTopic``): what it contains, who decides, your
    rights…, its statements in order. Also the part a topic brings to the pages for citizens."""

    ref: Ref
    title: Localized
    kind: str
    """The local name of its kind (``dct:type``: ``WhatItContains``, ``YourRights``…), an anchor on the page."""
    position: int
    dataset: Ref | None
    statements: tuple[Statement, ...] = ()
    note: Localized = NO_TEXT


@dataclass(frozen=True)
class CitizenTopicPage(Page):
    topic: CitizenTopic | None = None
    database_path: str = "citizens"
    """The page for citizens of the topic's database."""


@dataclass(frozen=True)
class CitizensPage(Page):
    """The pages for citizens: the index (``dataset`` is ``None``: every database with topics), or one database's
    topics in order."""

    dataset: Ref | None = None
    topics: tuple[CitizenTopic, ...] = ()
    databases: tuple[tuple[Ref, str, int], ...] = ()
    """On the index: (database, path of its page, number of topics)."""
