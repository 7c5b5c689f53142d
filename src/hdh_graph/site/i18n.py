"""Languages of the site: the words of the interface, and picking a literal in the reader's language.

French is the default. English pages fall back to the French text where no English exists, and the page
marks such text (``lang="fr"`` and a visible note) instead of hiding that it is untranslated.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from hdh_graph.site.urls import DEFAULT_LANGUAGE, LANGUAGES

MESSAGES_FILE = "messages.json"


@dataclass(frozen=True)
class Text:
    """A piece of catalogue text and the language it is really written in."""

    value: str
    lang: str
    fallback: bool = False
    """True when the reader asked for another language and this text is the French one."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Localized:
    """Every language version of one property, as read from the graph (``""`` for no language tag)."""

    by_lang: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, literals: Sequence[ox.Literal]) -> Localized:
        if not literals:  # the usual cases (a code's label or none), without sorting
            return _NONE
        if len(literals) == 1:
            return cls(((literals[0].language or "", literals[0].value),))
        seen: dict[str, str] = {}
        for lit in sorted(literals, key=lambda x: (x.language or "", x.value)):
            seen.setdefault(lit.language or "", lit.value)
        return cls(tuple(sorted(seen.items())))

    def __bool__(self) -> bool:
        return any(v.strip() for _, v in self.by_lang)

    def get(self, lang: str) -> Text | None:
        """The text in ``lang``, else in French (marked as a fallback), else untagged, else any."""
        by_lang = self.by_lang
        if len(by_lang) == 1:  # the usual case (a code's label), without building a dict
            only, text = by_lang[0]
            if not text.strip():
                return None
            return Text(text, only or DEFAULT_LANGUAGE, fallback=only not in (lang, ""))
        values = dict(by_lang)
        if values.get(lang, "").strip():
            return Text(values[lang], lang)
        for other in (DEFAULT_LANGUAGE, "", *sorted(values)):
            if values.get(other, "").strip():
                return Text(values[other], other or DEFAULT_LANGUAGE, fallback=other not in (lang, ""))
        return None

    def plain(self, lang: str) -> str:
        found = self.get(lang)
        return found.value if found else ""


_NONE = Localized(())
"""No text: one shared value (most codes have no label)."""


@cache
def _messages() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(
        resources.files("hdh_graph.site").joinpath(MESSAGES_FILE).read_text(encoding="utf-8")
    )
    return data


def messages(lang: str) -> dict[str, str]:
    """The interface words for one language; a word missing in English falls back to French."""
    data = _messages()
    return {**data[DEFAULT_LANGUAGE], **data.get(lang, {})}


def missing_messages() -> dict[str, list[str]]:
    """Interface words that a language lacks (used by the tests to keep both files complete)."""
    data = _messages()
    keys = set().union(*(set(v) for v in data.values()))
    return {lang: sorted(keys - set(data.get(lang, {}))) for lang in LANGUAGES}


def messages_path() -> Path:
    return Path(str(resources.files("hdh_graph.site").joinpath(MESSAGES_FILE)))
