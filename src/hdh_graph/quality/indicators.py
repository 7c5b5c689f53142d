"""data.europa.eu's Metadata Quality Assessment (MQA): five dimensions, their indicators and points (405 in all).

After the methodology of the data.europa.eu metadata quality dashboard (data provider manual, "Metadata quality
dashboard"). Indicators computed on the distributions score their points in proportion to the distributions
that meet them (the MQA averages distribution checks); a dataset with no distribution scores 0 on them.
The two accessibility checks need HTTP requests: they are reported as "not checked" (no points) offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_POINTS = 405


class Dimension(StrEnum):
    FINDABILITY = "findability"
    ACCESSIBILITY = "accessibility"
    INTEROPERABILITY = "interoperability"
    REUSABILITY = "reusability"
    CONTEXTUALITY = "contextuality"


@dataclass(frozen=True)
class Indicator:
    """One MQA indicator: its key (also the SPARQL variable), dimension, points and what to add to earn them."""

    key: str
    dimension: Dimension
    points: int
    label: str
    on: str  # "dataset" or "distribution"
    fix: str  # what to add, e.g. "add dcat:keyword"
    needs_network: bool = False
    from_validation: bool = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator("keyword", Dimension.FINDABILITY, 30, "Keyword usage", "dataset", "add dcat:keyword"),
    Indicator("theme", Dimension.FINDABILITY, 30, "Categories", "dataset", "add dcat:theme"),
    Indicator("spatial", Dimension.FINDABILITY, 20, "Geo search", "dataset", "add dct:spatial"),
    Indicator("temporal", Dimension.FINDABILITY, 20, "Time-based search", "dataset", "add dct:temporal"),
    Indicator(
        "accessUrlAccessible",
        Dimension.ACCESSIBILITY,
        50,
        "AccessURL accessibility",
        "distribution",
        "make each dcat:accessURL answer HTTP 2xx/3xx",
        needs_network=True,
    ),
    Indicator("downloadUrl", Dimension.ACCESSIBILITY, 20, "DownloadURL", "distribution", "add dcat:downloadURL"),
    Indicator(
        "downloadUrlAccessible",
        Dimension.ACCESSIBILITY,
        30,
        "DownloadURL accessibility",
        "distribution",
        "make each dcat:downloadURL answer HTTP 2xx/3xx",
        needs_network=True,
    ),
    Indicator("format", Dimension.INTEROPERABILITY, 20, "Format", "distribution", "add dct:format"),
    Indicator("mediaType", Dimension.INTEROPERABILITY, 10, "Media type", "distribution", "add dcat:mediaType"),
    Indicator(
        "formatVocabulary",
        Dimension.INTEROPERABILITY,
        10,
        "Format / media type from vocabulary",
        "distribution",
        "use an EU file-type IRI in dct:format or an IANA IRI in dcat:mediaType",
    ),
    Indicator(
        "nonProprietary",
        Dimension.INTEROPERABILITY,
        20,
        "Non-proprietary",
        "distribution",
        "offer a non-proprietary dct:format (e.g. file-type/CSV)",
    ),
    Indicator(
        "machineReadable",
        Dimension.INTEROPERABILITY,
        20,
        "Machine readable",
        "distribution",
        "offer a machine-readable dct:format (e.g. file-type/CSV, JSON)",
    ),
    Indicator(
        "dcatApCompliance",
        Dimension.INTEROPERABILITY,
        30,
        "DCAT-AP compliance",
        "dataset",
        "fix the validation violations on this dataset (hdh validate)",
        from_validation=True,
    ),
    Indicator("license", Dimension.REUSABILITY, 20, "License information", "distribution", "add dct:license"),
    Indicator(
        "licenseVocabulary",
        Dimension.REUSABILITY,
        10,
        "License vocabulary",
        "distribution",
        "use an EU licence IRI (publications.europa.eu/resource/authority/licence/) in dct:license",
    ),
    Indicator("accessRights", Dimension.REUSABILITY, 10, "Access restrictions", "dataset", "add dct:accessRights"),
    Indicator(
        "accessRightsVocabulary",
        Dimension.REUSABILITY,
        5,
        "Access restrictions vocabulary",
        "dataset",
        "use an EU access-right IRI in dct:accessRights",
    ),
    Indicator("contactPoint", Dimension.REUSABILITY, 20, "Contact point", "dataset", "add dcat:contactPoint"),
    Indicator("publisher", Dimension.REUSABILITY, 10, "Publisher", "dataset", "add dct:publisher"),
    Indicator("rights", Dimension.CONTEXTUALITY, 5, "Rights", "distribution", "add dct:rights"),
    Indicator("byteSize", Dimension.CONTEXTUALITY, 5, "File size", "distribution", "add dcat:byteSize"),
    Indicator("issued", Dimension.CONTEXTUALITY, 5, "Date of issue", "dataset", "add dct:issued"),
    Indicator("modified", Dimension.CONTEXTUALITY, 5, "Modification date", "dataset", "add dct:modified"),
)


# Rating bands of the MQA (points, inclusive lower bounds), best first.
BANDS: tuple[tuple[str, int], ...] = (("excellent", 351), ("good", 221), ("sufficient", 121), ("bad", 0))


def rating(points: float) -> str:
    """The MQA rating of a score out of 405."""
    for name, lower in BANDS:
        if points >= lower:
            return name
    return "bad"


def dimension_max(dimension: Dimension) -> int:
    return sum(i.points for i in INDICATORS if i.dimension is dimension)
