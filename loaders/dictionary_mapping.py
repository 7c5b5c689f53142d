"""How the columns of a data dictionary map to variable properties (the mapping docs/interop.md documents).

Headers are matched without regard to case, accents, spaces, ``_`` or ``-``; the first matching column wins.
"""

from __future__ import annotations

import re
import unicodedata

# property -> accepted header names (normalised: lower case, no accents, no separators)
HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "variable",
        "variablename",
        "column",
        "columnname",
        "field",
        "fieldname",
        "nom",
        "nomvariable",
        "nomdelavariable",
        "nomcolonne",
        "variablecode",
    ),
    "table": ("table", "tablename", "nomtable", "nomdelatable", "file", "fichier", "resource"),
    "title": ("label", "title", "libelle", "intitule", "variablelabel", "libellevariable"),
    "description": ("description", "definition", "descriptionvariable", "desc"),
    "type": ("type", "datatype", "typededonnee", "typededonnees", "typevariable", "fieldtype", "valuetype"),
    "format": ("format", "pattern", "dateformat"),
    "codelist": (
        "codelist",
        "codelists",
        "nomenclature",
        "valueset",
        "values",
        "valeurs",
        "modalites",
        "categories",
        "codes",
        "enum",
        "allowedvalues",
        "listedevaleurs",
    ),
    "required": ("required", "obligatoire", "mandatory"),
    "nullable": ("nullable", "optional", "facultatif"),
    "minimum": ("minimum", "min", "minvalue", "valeurmin"),
    "maximum": ("maximum", "max", "maxvalue", "valeurmax"),
    "primary_key": ("primarykey", "pk", "key", "cle", "cleprimaire", "identifier"),
    "note": ("note", "notes", "comment", "comments", "commentaire", "observation", "remarque"),
}

# source type (normalised) -> CSVW built-in datatype name (docs/model.md)
TYPES: dict[str, str] = {
    **dict.fromkeys(
        (
            "string",
            "str",
            "text",
            "varchar",
            "varchar2",
            "char",
            "character",
            "texte",
            "chaine",
            "any",
            "nvarchar",
            "clob",
            "categorical",
            "category",
            "categorie",
        ),
        "string",
    ),
    **dict.fromkeys(("integer", "int", "bigint", "smallint", "tinyint", "long", "entier", "int64", "int32"), "integer"),
    **dict.fromkeys(
        ("number", "float", "double", "decimal", "numeric", "real", "numerique", "nombre", "float64", "num"), "number"
    ),
    **dict.fromkeys(("date",), "date"),
    **dict.fromkeys(("datetime", "timestamp", "dateheure"), "datetime"),
    **dict.fromkeys(("time", "heure"), "time"),
    **dict.fromkeys(("boolean", "bool", "booleen", "logical"), "boolean"),
    **dict.fromkeys(("year", "annee", "gyear"), "gYear"),
    **dict.fromkeys(("yearmonth", "gyearmonth"), "gYearMonth"),
    **dict.fromkeys(("duration",), "duration"),
}
TRUE = {"true", "yes", "y", "oui", "o", "1", "x", "vrai"}
FALSE = {"false", "no", "n", "non", "0", "faux", ""}


def normalise(header: str) -> str:
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def map_headers(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which column holds each property, and the headers that map to nothing."""
    found: dict[str, int] = {}
    unmapped = []
    for index, header in enumerate(headers):
        key = normalise(header)
        prop = next((p for p, names in HEADERS.items() if key in names), None)
        if prop is not None and prop not in found:
            found[prop] = index
        elif str(header).strip():
            unmapped.append(str(header).strip())
    return found, unmapped


def map_type(raw: str) -> str | None:
    """The CSVW datatype for a source type such as ``VARCHAR2(20)`` or ``NUMBER(11,2)`` (None when unknown)."""
    text = normalise(re.sub(r"\(.*\)", "", raw or ""))
    if not text:
        return "string"
    if text == "number" and re.search(r"\(\s*\d+\s*\)", raw or ""):
        return "integer"  # Oracle NUMBER(n): no decimals
    return TYPES.get(text)


def truthy(raw: str) -> bool | None:
    text = normalise(raw)
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return None


def parse_codes(raw: str) -> list[tuple[str, str]] | str | None:
    """Inline codes (``1=Male; 2=Female``, ``1: Male | 2: Female``, one per line) as (code, label) pairs,
    or the name of a code list (one token such as ``IR_SEX_V``), or None when empty."""
    text = (raw or "").strip()
    if not text:
        return None
    parts = [p.strip() for p in re.split(r"[;|\n]", text) if p.strip()]
    pairs = []
    for part in parts:
        match = re.match(r"^([^=:]+?)\s*[=:]\s*(.+)$", part)
        if not match:
            break
        pairs.append((match.group(1).strip(), match.group(2).strip()))
    else:
        return pairs
    if len(parts) == 1 and re.fullmatch(r"[A-Za-z0-9_.-]+", text):
        return text
    if all("=" not in p and ":" not in p for p in parts) and len(parts) > 1:
        return [(p, p) for p in parts]
    return None
