"""Compare our feed with what ckanext-dcat's parser made of it: field by field, dataset by dataset.

Used by the round-trip test and by ``bench/bench_harvest.py`` (fields carried / fields present).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
CKAN_VENV = ROOT / "build" / "ckan-venv"
PROFILE = ROOT / "ckanext-hdh"
"""The project's own ckanext-dcat profile (``hdh_health_dcat_ap``), installed beside ckanext-dcat."""
REQUIREMENTS = Path(__file__).with_name("ckan-requirements.txt")
PARSER = Path(__file__).with_name("ckan_parse.py")

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
HEALTH = "http://healthdataportal.eu/ns/health#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _extra(ds: dict[str, Any], key: str) -> list[str]:
    for extra in ds.get("extras", []):
        if extra["key"] == key:
            value = extra["value"]
            return json.loads(value) if value.startswith("[") else [value]
    return []


def _agents(key: str) -> Callable[[dict[str, Any]], list[str]]:
    return lambda ds: [a.get("uri", "") for a in ds.get(key) or []]


# field name -> (feed property, how to read the CKAN dict, compare values (True) or only presence (False))
FIELDS: dict[str, tuple[str, Callable[[dict[str, Any]], list[str]], bool]] = {
    "title": (DCT + "title", lambda ds: [ds.get("title", "")], True),
    "description": (DCT + "description", lambda ds: [ds.get("notes", "")], True),
    "identifier": (DCT + "identifier", lambda ds: _extra(ds, "identifier"), True),
    "access rights": (DCT + "accessRights", lambda ds: _extra(ds, "access_rights"), True),
    "publisher": (DCT + "publisher", lambda ds: _extra(ds, "publisher_uri"), True),
    "contact point": (DCAT + "contactPoint", lambda ds: _extra(ds, "contact_uri"), True),
    "themes": (DCAT + "theme", lambda ds: _extra(ds, "theme"), True),
    "health categories": (HEALTH + "healthCategory", lambda ds: ds.get("health_category", []), True),
    "health themes": (HEALTH + "healthTheme", lambda ds: ds.get("health_theme", []), True),
    "number of records": (HEALTH + "numberOfRecords", lambda ds: [str(ds.get("number_of_records", ""))], True),
    "number of individuals": (
        HEALTH + "numberOfUniqueIndividuals",
        lambda ds: [str(ds.get("number_of_unique_individuals", ""))],
        True,
    ),
    "legislation": (
        "http://data.europa.eu/r5r/applicableLegislation",
        lambda ds: _extra(ds, "applicable_legislation"),
        True,
    ),
    "provenance": (DCT + "provenance", lambda ds: _extra(ds, "provenance"), False),
    "distributions": (DCAT + "distribution", lambda ds: [r.get("uri", "") for r in ds.get("resources", [])], True),
    "health data access body": (HEALTH + "hdab", _agents("hdab"), True),
    "keywords": (DCAT + "keyword", lambda ds: [t["name"] for t in ds.get("tags", [])], True),
    "language": (DCT + "language", lambda ds: _extra(ds, "language"), True),
    "spatial": (DCT + "spatial", lambda ds: _extra(ds, "spatial_uri"), True),
    "type": (DCT + "type", lambda ds: _extra(ds, "dcat_type"), True),
    "qualified attribution": (PROV + "qualifiedAttribution", lambda ds: ds.get("qualified_attribution", []), False),
    "generating activity": (PROV + "wasGeneratedBy", lambda ds: ds.get("provenance_activity", []), False),
    "custodian": ("http://data.europa.eu/930/custodian", _agents("custodian"), True),
    "has structured data": (
        HEALTH + "hasStructuredData",
        lambda ds: [str(ds["has_structured_data"]).lower()] if "has_structured_data" in ds else [],
        True,
    ),
    "variables": (HEALTH + "hasVariables", lambda ds: [t["uri"] for t in ds.get("has_variables", [])], False),
    "part of": (DCT + "isPartOf", lambda ds: _extra(ds, "is_part_of"), True),
}
SINGLE_LANGUAGE = {"title", "description"}


@dataclass
class Comparison:
    """Per field: in how many datasets the feed has it, and in how many the parser carried it."""

    present: dict[str, int] = field(default_factory=dict)
    carried: dict[str, int] = field(default_factory=dict)
    lost: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        return ", ".join(f"{k} {self.carried.get(k, 0)}/{n}" for k, n in self.present.items())


def ensure_ckan() -> Path:
    """The Python of a virtual environment with ckanext-dcat, ckan and the project's profile (installed again
    whenever its files change), created on first use."""
    python = ensure_venv(CKAN_VENV, REQUIREMENTS)
    marker = CKAN_VENV / "profile.txt"
    files = sorted(p for p in PROFILE.rglob("*") if p.is_file() and "egg-info" not in str(p) and p.suffix != ".pyc")
    stamp = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()
    if marker.exists() and marker.read_text(encoding="utf-8") == stamp:
        return python
    with tempfile.TemporaryDirectory() as scratch:  # build from a copy: no build/ or egg-info left in the source
        source = Path(scratch) / PROFILE.name
        shutil.copytree(PROFILE, source, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", "build"))
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(source)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"installing {PROFILE.name} into {CKAN_VENV} failed:\n{done.stderr[-3000:]}")
    marker.write_text(stamp, encoding="utf-8")
    return python


def ensure_venv(folder: Path, requirements: Path) -> Path:
    """The Python of a virtual environment under build/ with ``requirements`` installed (once)."""
    python = folder / "bin" / "python"
    marker = folder / "installed.txt"
    wanted = requirements.read_text(encoding="utf-8")
    if python.exists() and marker.exists() and marker.read_text(encoding="utf-8") == wanted:
        return python
    if not python.exists():
        venv.create(folder, with_pip=True)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", str(requirements)],
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"installing {requirements.name} into {folder} failed:\n{done.stderr[-3000:]}")
    marker.write_text(wanted, encoding="utf-8")
    return python


def ckan_parse(
    python: Path, feed: Path, fmt: str, *, back: bool = False, profiles: list[str] | None = None
) -> dict[str, Any]:
    """Run ckanext-dcat's RDFParser (by default profiles euro_dcat_ap_3, euro_health_dcat_ap and ours,
    hdh_health_dcat_ap) on a feed file; with ``back``, also its serializer on each dataset dict."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    command = [str(python), str(PARSER), str(feed), fmt, *(["--back"] if back else []), *(profiles or [])]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ckanext-dcat could not parse {feed}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def _values(store: ox.Store, subject: str, prop: str) -> list[str]:
    return [q.object.value for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(prop), None, None)]


def compare(feed: ox.Store, datasets: list[dict[str, Any]]) -> Comparison:
    """What each dataset of the feed has, against what the parser returned for it (matched by URI)."""
    by_uri = {(_extra(ds, "uri") or [""])[0]: ds for ds in datasets}
    result = Comparison()
    subjects = sorted(
        {
            q.subject.value
            for q in feed.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(DCAT + "Dataset"), None)
            if isinstance(q.subject, ox.NamedNode)
        }
    )
    for subject in subjects:
        ds = by_uri.get(subject, {})
        for name, (prop, read, exact) in FIELDS.items():
            expected = _values(feed, subject, prop)
            if not expected:
                continue
            result.present[name] = result.present.get(name, 0) + 1
            got = [g for g in read(ds) if g not in ("", None, "None")] if ds else []
            if name in SINGLE_LANGUAGE:
                ok = bool(got) and got[0] in expected
            elif exact:
                ok = bool(got) and set(map(str, got)) == set(expected)
            else:
                ok = bool(got)
            if ok:
                result.carried[name] = result.carried.get(name, 0) + 1
            else:
                result.lost.setdefault(name, []).append(subject)
    return result


if __name__ == "__main__":  # pragma: no cover - manual use
    print(ensure_ckan(), file=sys.stderr)
