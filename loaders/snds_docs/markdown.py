"""Reading the Markdown pages of the SNDS documentation into plain text.

The pages are VuePress Markdown: an optional front matter (``tags:``), an ``SPDX-License-Identifier`` comment,
``<TagLinks />``, ``::: tip`` containers, links, images, code blocks, tables and an ``#include`` of the
generated schema (table pages). What a catalogue description keeps is the prose: link texts without their URLs,
no images, no code, no HTML, one blank line between paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from hdh_graph.errors import SourceProblem

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML = re.compile(r"</?[A-Za-z][^>]*>")
_CONTAINER = re.compile(r"^:::.*$", re.M)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w])")
_INCLUDE = re.compile(r"^#include .*$", re.M)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass
class Page:
    """One Markdown page: its title (first heading), tags, and prose split into sections."""

    path: Path
    relative: str  # POSIX, relative to the documentation folder
    title: str
    tags: tuple[str, ...] = ()
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, plain text) in order; "" first

    @property
    def text(self) -> str:
        """All the prose, headings kept as lines of their own."""
        parts = []
        for heading, body in self.sections:
            parts += [p for p in (heading, body) if p]
        return "\n\n".join(parts)

    @property
    def introduction(self) -> str:
        """The prose before the first sub-heading (or the first section that has prose)."""
        for _heading, body in self.sections:
            if body:
                return body
        return ""

    @property
    def first_paragraph(self) -> str:
        return self.introduction.split("\n\n", 1)[0]


def plain(markdown: str) -> str:
    """Markdown → plain text (link texts kept, images, code, HTML and container markers dropped)."""
    text = _COMMENT.sub("", markdown)
    text = _CODE.sub("", text)
    text = _INCLUDE.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _HTML.sub("", text)
    text = _CONTAINER.sub("", text)
    text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3), text)
    text = _ITALIC.sub(r"\1", text)
    text = text.replace("`", "").replace("\\_", "_").replace("&nbsp;", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if not re.fullmatch(r"\|?[\s:|-]*\|?", line) or not line]  # table rules
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(_join(current))
            current = []
    if current:
        paragraphs.append(_join(current))
    return "\n\n".join(p for p in paragraphs if p)


def _join(lines: list[str]) -> str:
    """Lines of one paragraph: list items and table rows stay on their own lines, the rest is joined."""
    out: list[str] = []
    for line in lines:
        if out and not re.match(r"([-*+]|\d+[.)]|\|)\s*", line):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


def read_page(path: Path, root: Path, problems: list[SourceProblem]) -> Page | None:
    """One page, or ``None`` (with a problem) when it is not UTF-8 or has no title."""
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(SourceProblem(path, f"not UTF-8 ({exc.reason} at byte {exc.start})"))
        return None
    raw = raw.replace("\r\n", "\n")
    tags: tuple[str, ...] = ()
    front = _FRONT_MATTER.match(raw)
    if front:
        tags = tuple(t.strip() for t in re.findall(r"^\s*-\s*(.+)$", front.group(1), re.M))
        raw = raw[front.end() :]
    raw = raw.split("<!-- ATTENTION", 1)[0]  # table pages: the generated schema follows
    sections: list[tuple[str, list[str]]] = []
    title = ""
    in_code = False
    for line in raw.splitlines():
        if line.startswith(("```", "~~~")):
            in_code = not in_code
        heading = None if in_code else _HEADING.match(line)
        if heading and not title and len(heading.group(1)) == 1:
            title = plain(heading.group(2))
            sections.append(("", []))
        elif heading and title:
            sections.append((plain(heading.group(2)), []))
        elif title:
            sections[-1][1].append(line)
    if not title:
        problems.append(SourceProblem(path, "no title: a page starts with a '# Title' line", 1))
        return None
    page = Page(path, path.relative_to(root).as_posix(), title, tags)
    page.sections = [(heading, plain("\n".join(body))) for heading, body in sections]
    return page
