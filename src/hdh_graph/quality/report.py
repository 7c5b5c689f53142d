"""The MQA scores for people (text), programs (JSON) and GitHub Actions (``::warning`` annotations)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hdh_graph.quality.ehds import Label
from hdh_graph.quality.indicators import MAX_POINTS, Dimension, dimension_max
from hdh_graph.quality.score import NOT_CHECKED, CatalogueScore, DatasetScore

Positions = Mapping[str, tuple[str, int | None]]
Labels = Mapping[str, Label]


def _label_line(label: Label) -> str:
    counts = {s: sum(1 for v in label.status.values() if v == s) for s in ("derived", "stated")}
    unstated = ", ".join(e.key for e in label.unstated) or "none"
    return f"  EHDS label: {counts['derived']} derived, {counts['stated']} stated; unstated: {unstated}"


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _dimensions(points: Mapping[Dimension, float]) -> str:
    return " · ".join(f"{d.value} {_n(points[d])}/{dimension_max(d)}" for d in Dimension)


def as_text(catalogue: CatalogueScore, labels: Labels | None = None, *, verbose: bool = True) -> str:
    """One block per dataset (score, rating, dimensions, what to add), then the catalogue's totals."""
    lines: list[str] = []
    for ds in catalogue.datasets:
        lines.append(f"{ds.iri}: {_n(ds.points)}/{MAX_POINTS} {ds.rating}")
        lines.append(f"  {_dimensions(ds.dimension_points())}")
        if verbose:
            lines += [f"  - {r.explanation}" for r in ds.missing]
        if labels and ds.iri in labels:
            lines.append(_label_line(labels[ds.iri]))
    lines.append("")
    lines.append(
        f"Catalogue {catalogue.catalog or '(no dcat:Catalog)'}: {_n(catalogue.points)}/{MAX_POINTS} "
        f"{catalogue.rating} (mean of {len(catalogue.datasets)} dataset(s))"
    )
    lines.append(f"  {_dimensions(catalogue.dimension_points())}")
    lines.append("  ratings: " + ", ".join(f"{k} {v}" for k, v in catalogue.ratings().items()))
    if catalogue.not_checked:
        lines.append("  not checked: " + ", ".join(catalogue.not_checked))
    return "\n".join(lines) + "\n"


def dataset_dict(
    ds: DatasetScore, where: tuple[str, int | None] | None = None, label: Label | None = None
) -> dict[str, Any]:
    return {
        "dataset": ds.iri,
        "file": where[0] if where else None,
        "line": where[1] if where else None,
        "points": ds.points,
        "max": MAX_POINTS,
        "rating": ds.rating,
        "dimensions": {d.value: v for d, v in ds.dimension_points().items()},
        "indicators": [
            {
                "key": r.indicator.key,
                "dimension": r.indicator.dimension.value,
                "points": r.points,
                "max": r.indicator.points,
                "status": r.status,
                **({"distributions": r.total, "met": r.met} if r.total is not None else {}),
            }
            for r in ds.results
        ],
        "missing": [r.explanation for r in ds.missing],
        "ehds_label": dict(label.status) if label else None,
    }


def as_dict(
    catalogue: CatalogueScore, positions: Positions | None = None, labels: Labels | None = None
) -> dict[str, Any]:
    where = positions or {}
    found = labels or {}
    return {
        "methodology": "data.europa.eu Metadata Quality Assessment",
        "max": MAX_POINTS,
        "catalogue": {
            "catalog": catalogue.catalog,
            "datasets": len(catalogue.datasets),
            "points": catalogue.points,
            "rating": catalogue.rating,
            "dimensions": {d.value: v for d, v in catalogue.dimension_points().items()},
            "ratings": catalogue.ratings(),
            "not_checked": catalogue.not_checked,
        },
        "datasets": [dataset_dict(ds, where.get(ds.iri), found.get(ds.iri)) for ds in catalogue.datasets],
    }


def _escape(text: str) -> str:
    """GitHub workflow-command escaping of a message (and of a property value)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _escape(text).replace(":", "%3A").replace(",", "%2C")


def as_github(catalogue: CatalogueScore, positions: Positions | None = None) -> str:
    """A ``::warning`` per dataset below "excellent" (listing what to add), at its file and line when known;
    a ``::notice`` with the catalogue's score."""
    where = positions or {}
    lines: list[str] = []
    for ds in catalogue.datasets:
        missing = [r for r in ds.missing if r.status != NOT_CHECKED]
        if ds.rating == "excellent" and not missing:
            continue
        place = where.get(ds.iri)
        props = f"title=MQA {_n(ds.points)}/{MAX_POINTS} {ds.rating}"
        if place is not None:
            props = f"file={_prop(place[0])}" + (f",line={place[1]}" if place[1] else "") + "," + _prop(props)
        else:
            props = _prop(props)
        body = f"{ds.iri}: " + "; ".join(r.explanation for r in missing) if missing else ds.iri
        lines.append(f"::warning {props}::{_escape(body)}")
    lines.append(
        f"::notice title=MQA catalogue::{_escape(f'{_n(catalogue.points)}/{MAX_POINTS} {catalogue.rating}')}"
        f" over {len(catalogue.datasets)} dataset(s)"
    )
    return "\n".join(lines) + "\n"
