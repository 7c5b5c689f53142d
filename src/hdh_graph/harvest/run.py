"""``harvest(source, settings)``: read a partner's catalogue (all its pages), check each record, write the good
ones to ``catalogue/harvested/<name>/`` and say what changed since the last harvest."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox

from hdh_graph.folders import folder_lock
from hdh_graph.harvest.confine import confine
from hdh_graph.harvest.fetch import Document, Fetcher, HarvestError, HarvestLimits, parse, read_file
from hdh_graph.harvest.paging import drop_paging, next_page
from hdh_graph.harvest.records import Record, check, split
from hdh_graph.harvest.write import (
    PreviousRecord,
    check_owned,
    manifest_triples,
    read_manifest,
    record_bytes,
    write_harvest,
)
from hdh_graph.settings import Settings

HARVESTED = "harvested"


@dataclass
class HarvestReport:
    """What a harvest did. ``skipped`` and ``duplicates`` hold one readable line each."""

    name: str
    source: str
    folder: Path
    pages: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Triples dropped from kept records: about this catalogue's own resources, or with a non-web IRI."""
    findings: list[str] = field(default_factory=list)
    """With ``shacl``: what the project's SHACL validation says of the kept records (reported, not skipped)."""

    @property
    def kept(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)


def source_name(source: str) -> str:
    """A folder name for a source: the host and path of a URL, or the stem of a file."""
    if re.match(r"^https?://", source):
        url = httpx.URL(source)
        text = url.host + (url.path.rsplit(".", 1)[0] if "." in url.path.rsplit("/", 1)[-1] else url.path)
    else:
        text = Path(source).stem
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-").lower()[:80] or "source"


def _check_name(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        raise HarvestError(f"source name {name!r} cannot be a folder name", hint="use letters, digits, - and _")
    return name


def read_all(source: str, limits: HarvestLimits) -> tuple[list[tuple[str, str]], ox.Store]:
    """Every page of the source, following Hydra paging, in one in-memory store; with each page's address and
    SHA-256. A loop or an error on any page stops everything, with an error naming the page.

    Paging links of a URL source must stay on its host (or the hosts allowed), over http(s); those of a file
    source must name files in the same folder. Nothing else is read."""
    if re.match(r"^https?://", source, re.IGNORECASE):
        with Fetcher(source, limits) as fetcher:
            return _pages(source, limits, fetcher.get, lambda url, page: fetcher.check(url, page))
    first = Path(source.removeprefix("file://")).resolve()

    def read(address: str) -> Document:
        return read_file(Path(address), limits)

    def check(address: str, page: str) -> None:
        if address.startswith("file:"):
            address = address.removeprefix("file://")
        path = Path(address)
        if "://" in address or not path.is_absolute() or path.resolve().parent != first.parent:
            raise HarvestError(
                f"{page} leads to {address!r}: the pages of a file source must be files in its folder ({first.parent})",
                hint="harvest the feed by its URL, or put its pages side by side",
            )

    return _pages(str(first), limits, read, check)


def _pages(
    source: str,
    limits: HarvestLimits,
    read: Callable[[str], Document],
    check: Callable[[str, str], None],
) -> tuple[list[tuple[str, str]], ox.Store]:
    documents: list[tuple[str, str]] = []
    merged: ox.Store | None = None
    seen: set[str] = set()
    address: str | None = source
    while address is not None:
        number = len(documents) + 1
        try:
            if address in seen:
                raise HarvestError(
                    f"{address}: paging loop, this page was already read (after {len(documents)} pages)",
                    hint="the feed's hydra:next links go round in a circle; tell its publisher",
                )
            if len(documents) >= limits.max_pages:
                raise HarvestError(
                    f"{source}: more than {limits.max_pages} pages",
                    hint="raise --max-pages (HDH_HARVEST_MAX_PAGES) if this is expected",
                )
            seen.add(address)
            doc = read(address)
            seen.add(doc.url)
            page = parse(doc)
        except HarvestError as exc:
            raise HarvestError(f"page {number}: {exc.message}", hint=exc.hint) from exc
        documents.append((doc.url, hashlib.sha256(doc.data).hexdigest()))
        del doc
        address = next_page(page, documents[-1][0])
        if address is not None:
            where = f"page {number} ({documents[-1][0]}), its hydra:next link,"
            try:
                check(address, where)
            except HarvestError as exc:
                raise HarvestError(f"page {number + 1}: {exc.message}", hint=exc.hint) from exc
            if address.startswith("file:"):
                address = address.removeprefix("file://")
        drop_paging(page)
        if merged is None:
            merged = page
        else:
            merged.extend(page)
    return documents, merged if merged is not None else ox.Store()


def _other_sources(root: Path, name: str, base_iri: str) -> dict[str, str]:
    """Identifier or dataset IRI → the other harvested source that has it."""
    owners: dict[str, str] = {}
    if not root.is_dir():
        return owners
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name == name:
            continue
        for prev in read_manifest(folder, base_iri).values():
            for ident in (prev.key, *prev.identifiers):
                owners.setdefault(ident, folder.name)
    return owners


def harvest(
    source: str,
    settings: Settings,
    name: str | None = None,
    limits: HarvestLimits | None = None,
    now: datetime | None = None,
    shacl: bool = False,
) -> HarvestReport:
    """Harvest ``source`` (URL or file) into ``<catalogue>/harvested/<name>/``. With ``shacl``, the kept records
    are also validated with the project's shapes and the violations reported (see :mod:`hdh_graph.harvest.shacl`)."""
    limits = limits or HarvestLimits.from_settings(settings)
    name = _check_name(name or source_name(source))
    started = now or datetime.now(UTC)
    root = settings.catalogue / HARVESTED
    folder = root / name
    report = HarvestReport(name, source, folder)
    check_owned(folder)  # before reading anything; again under the lock
    documents, graph = read_all(source, limits)
    report.pages = [url for url, _ in documents]
    records = split(graph)
    del graph
    if not records:
        raise HarvestError(
            f"{source}: no dcat:Dataset found in {len(documents)} document(s)",
            hint="is this a DCAT catalogue? DCAT-US data.json and HTML pages are not harvested",
        )
    root.mkdir(parents=True, exist_ok=True)
    with folder_lock(
        root, f"{root} (a harvest)", hint="wait for the other harvest to finish (one harvest at a time per catalogue)"
    ):
        check_owned(folder)
        previous = read_manifest(folder, settings.base_iri)
        owners = _other_sources(root, name, settings.base_iri)
        good: list[Record] = []
        seen_ids: dict[str, str] = {}
        for record in records:
            if not record.problems:
                confine(record, settings.base_iri)
                if not record.problems:
                    record.problems = check(record)
            if record.problems:
                report.skipped.append(f"{record.key}: " + "; ".join(record.problems))
                continue
            report.notes += [f"{record.key}: {note}" for note in record.notes]
            report.duplicates += _duplicates(record, owners, seen_ids)
            good.append(record)
        if shacl:
            _shacl_report(good, source, settings.base_iri, report)
        files, entries = _files(good, previous, source, _iso(started), report)
        report.removed = sorted(set(previous) - {r.key for r in good})
        manifest = manifest_triples(
            settings.base_iri,
            name,
            source if "://" in source else Path(source).resolve().as_uri(),
            started,
            now or datetime.now(UTC),
            documents,
            entries,
        )
        write_harvest(folder, files, manifest, source)
    return report


def _shacl_report(records: list[Record], source: str, base_iri: str, report: HarvestReport) -> None:
    from hdh_graph.harvest.shacl import shacl_problems

    problems = shacl_problems({f"{r.slug}.ttl": record_bytes(r, source)[0] for r in records}, base_iri)
    for record in records:
        for message in problems.get(f"{record.slug}.ttl", []):
            report.findings.append(f"{record.key}: {message}")


def _duplicates(record: Record, owners: dict[str, str], seen: dict[str, str]) -> list[str]:
    """One line per other source (or other record of this source) that uses this record's IRI or identifier."""
    found: dict[str, list[str]] = {}
    for ident in dict.fromkeys((record.key, *record.identifiers)):
        if ident in owners:
            found.setdefault(f"source {owners[ident]!r}", []).append(ident)
        elif ident in seen and seen[ident] != record.key:
            found.setdefault(f"record {seen[ident]} of this source", []).append(ident)
        seen.setdefault(ident, record.key)
    return [
        f"{record.key}: {', '.join(map(repr, ids))} also used by {where} (kept apart, not merged)"
        for where, ids in found.items()
    ]


def _files(
    records: list[Record], previous: dict[str, PreviousRecord], source: str, stamp: str, report: HarvestReport
) -> tuple[dict[str, bytes], list[tuple[Record, str, str, str]]]:
    files: dict[str, bytes] = {}
    entries = []
    for record in records:
        data, checksum = record_bytes(record, source)
        files[f"{record.slug}.ttl"] = data
        before = previous.get(record.key)
        if before is None:
            report.added.append(record.key)
            entries.append((record, checksum, stamp, stamp))
        elif before.checksum != checksum:
            report.updated.append(record.key)
            entries.append((record, checksum, before.issued, stamp))
        else:
            report.unchanged.append(record.key)
            entries.append((record, checksum, before.issued, before.modified))
    return files, entries


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
