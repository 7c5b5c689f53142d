"""The MQA score of every dataset and of the catalogue, from two SPARQL queries on the store.

Each indicator a dataset misses (in full or in part) is explained with the property to add and the points it
would bring. Accessibility of URLs is "not checked" (it needs the network); DCAT-AP compliance comes from the
validation report the build saved with the store (``validation.json``): without one it is "not checked" too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from hdh_graph.graph_store import GraphStore
from hdh_graph.progress import Progress, as_progress
from hdh_graph.quality import queries
from hdh_graph.quality.indicators import INDICATORS, MAX_POINTS, Dimension, Indicator, dimension_max, rating
from hdh_graph.sparql.run import QueryRequest, evaluate

MET, PARTIAL, MISSING, NOT_CHECKED = "met", "partial", "missing", "not checked"


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    points: float
    status: str
    met: int | None = None  # distributions meeting it (distribution indicators)
    total: int | None = None

    @property
    def explanation(self) -> str:
        """What to do to earn the points still missing ("add dcat:keyword (30 points)")."""
        lost = self.indicator.points - self.points
        detail = f" ({_points(lost)} points)"
        if self.status == NOT_CHECKED:
            reason = "needs the network" if self.indicator.needs_network else "no validation report in the store"
            return f"{self.indicator.label}: not checked, {reason}{detail}"
        if self.total is not None and self.total == 0:
            return f"{self.indicator.label}: add a dcat:distribution, then {self.indicator.fix}{detail}"
        where = f" on {self.total - (self.met or 0)} of {self.total} distributions" if self.total else ""
        return f"{self.indicator.label}: {self.indicator.fix}{where}{detail}"


@dataclass
class DatasetScore:
    iri: str
    graph: str | None
    results: list[IndicatorResult]

    @property
    def points(self) -> float:
        return round(sum(r.points for r in self.results), 1)

    @property
    def rating(self) -> str:
        return rating(self.points)

    def dimension_points(self) -> dict[Dimension, float]:
        found = {d: 0.0 for d in Dimension}
        for r in self.results:
            found[r.indicator.dimension] += r.points
        return {d: round(v, 1) for d, v in found.items()}

    @property
    def missing(self) -> list[IndicatorResult]:
        """The indicators not fully met, the most points lost first."""
        short = [r for r in self.results if r.points < r.indicator.points]
        return sorted(short, key=lambda r: (r.points - r.indicator.points, r.indicator.key))


@dataclass
class CatalogueScore:
    catalog: str | None
    datasets: list[DatasetScore]
    compliance_checked: bool
    not_checked: list[str] = field(default_factory=list)

    @property
    def points(self) -> float:
        """The mean of the datasets' scores (0 for an empty catalogue)."""
        if not self.datasets:
            return 0.0
        return round(sum(d.points for d in self.datasets) / len(self.datasets), 1)

    @property
    def rating(self) -> str:
        return rating(self.points)

    def dimension_points(self) -> dict[Dimension, float]:
        if not self.datasets:
            return {d: 0.0 for d in Dimension}
        sums = {d: 0.0 for d in Dimension}
        for ds in self.datasets:
            for d, v in ds.dimension_points().items():
                sums[d] += v
        return {d: round(v / len(self.datasets), 1) for d, v in sums.items()}

    def ratings(self) -> dict[str, int]:
        counts = {"excellent": 0, "good": 0, "sufficient": 0, "bad": 0}
        for ds in self.datasets:
            counts[ds.rating] += 1
        return counts


def assess(
    store: GraphStore,
    validation: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    *,
    datasets: Iterable[str] | None = None,
) -> CatalogueScore:
    """Score every dataset of the store (or only ``datasets``, IRIs). ``validation`` is the record ``hdh build``
    saved (``validation.json``); ``None``: DCAT-AP compliance is not checked."""
    chosen = None if datasets is None else sorted(set(datasets))
    say = as_progress(progress)
    with say.step("datasets"):
        dataset_rows = _rows(store, queries.restrict(queries.DATASETS, chosen))
    with say.step("distributions"):
        distributions = _rows(store, queries.restrict(queries.DISTRIBUTIONS, chosen))
        distribution_rows = {row["dataset"]: row for row in distributions}
    catalogs = _rows(store, queries.CATALOGUE)
    violated = _violated(validation)
    scores: list[DatasetScore] = []
    with say.step("scores", total=len(dataset_rows), unit="datasets") as step:
        for row in sorted(dataset_rows, key=lambda r: str(r["dataset"])):
            iri = str(row["dataset"])
            scores.append(_score(iri, row, distribution_rows.get(iri, {}), violated))
            step.advance()
    not_checked = [i.key for i in INDICATORS if i.needs_network]
    if violated is None:
        not_checked.append("dcatApCompliance")
    catalog = str(catalogs[0]["catalog"]) if catalogs else None
    return CatalogueScore(catalog, scores, violated is not None, not_checked)


def _rows(store: GraphStore, query: str) -> list[dict[str, Any]]:
    result = evaluate(store, QueryRequest(query))
    if not isinstance(result, ox.QuerySolutions):
        return []
    names = [v.value for v in result.variables]
    rows: list[dict[str, Any]] = []
    for solution in result:
        row: dict[str, Any] = {}
        for name in names:
            term = solution[name]
            if term is None:
                continue
            if isinstance(term, ox.Literal):
                row[name] = _literal(term)
            else:
                row[name] = term.value if isinstance(term, ox.NamedNode) else str(term)
        rows.append(row)
    return rows


def _literal(term: ox.Literal) -> bool | int | str:
    if term.datatype.value.endswith("#boolean"):
        return term.value == "true"
    if term.datatype.value.endswith("#integer"):
        return int(term.value)
    return term.value


def _violated(validation: Mapping[str, Any] | None) -> set[str] | None:
    """The resources with a violation, fragment dropped (``<dataset/x#access>`` counts for ``<dataset/x>``)."""
    if validation is None or not isinstance(validation.get("results"), list):
        return None
    return {
        str(r.get("resource")).split("#", 1)[0]
        for r in validation["results"]
        if isinstance(r, dict) and r.get("severity") == "violation" and r.get("resource")
    }


def _score(iri: str, row: Mapping[str, Any], dists: Mapping[str, Any], violated: set[str] | None) -> DatasetScore:
    total = int(dists.get("distributions", 0))
    results: list[IndicatorResult] = []
    for ind in INDICATORS:
        if ind.needs_network:
            results.append(IndicatorResult(ind, 0.0, NOT_CHECKED, None, total))
        elif ind.from_validation:
            results.append(_compliance(ind, iri, violated))
        elif ind.on == "dataset":
            ok = bool(row.get(ind.key, False))
            results.append(IndicatorResult(ind, float(ind.points) if ok else 0.0, MET if ok else MISSING))
        else:
            met = int(dists.get(ind.key, 0))
            points = round(ind.points * met / total, 1) if total else 0.0
            status = MET if total and met == total else PARTIAL if met else MISSING
            results.append(IndicatorResult(ind, points, status, met, total))
    return DatasetScore(iri, row.get("graph"), results)


def _compliance(ind: Indicator, iri: str, violated: set[str] | None) -> IndicatorResult:
    if violated is None:
        return IndicatorResult(ind, 0.0, NOT_CHECKED)
    # the dataset or a resource described inside it (its distributions, contact point, ...: <dataset/x#...>)
    bad = iri.split("#", 1)[0] in violated
    return IndicatorResult(ind, 0.0 if bad else float(ind.points), MISSING if bad else MET)


def _points(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def summary_max(results: Iterable[IndicatorResult]) -> int:
    """Points reachable without the checks not made."""
    return MAX_POINTS - sum(r.indicator.points for r in results if r.status == NOT_CHECKED)


__all__ = ["CatalogueScore", "DatasetScore", "IndicatorResult", "assess", "dimension_max"]
