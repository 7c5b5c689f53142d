"""The words of a result: the rule's own message (French and English), or one written from the constraint,
and a hint saying how to fix it. Shared by both engines so that their reports read the same."""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib.namespace import SH

from hdh_graph.vocab import PREFIXES

HINT = rdflib.URIRef("https://w3id.org/hdh-graph/shapes#hint")
_EXTRA_PREFIXES = {
    "sh": str(SH),
    "locn": "http://www.w3.org/ns/locn#",
    "dqv": "http://www.w3.org/ns/dqv#",
    "spdx": "http://spdx.org/rdf/terms#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "time": "http://www.w3.org/2006/time#",
    "hdhsh": "https://w3id.org/hdh-graph/shapes#",
    "dcatapsh": "https://semiceu.github.io/DCAT-AP/releases/3.0.0/html/shacl/shapes.ttl#",
    "dcatapr": "https://semiceu.github.io/DCAT-AP/releases/3.0.0/html/shacl/range.ttl#",
    "r5r": "http://data.europa.eu/r5r#",
}
_ALL_PREFIXES = sorted({**PREFIXES, **_EXTRA_PREFIXES}.items(), key=lambda kv: -len(kv[1]))


def compact(iri: str) -> str:
    """``dct:title`` for a known namespace, else the IRI in angle brackets."""
    for prefix, ns in _ALL_PREFIXES:
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns) :]
            if all(c.isalnum() or c in "_-." for c in local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def expand(shown: str) -> str:
    """The IRI behind a term as :func:`compact` shows it (``<iri>`` or ``prefix:local``)."""
    if shown.startswith("<") and shown.endswith(">"):
        return shown[1:-1]
    for prefix, ns in _ALL_PREFIXES:
        if shown.startswith(prefix + ":"):
            return ns + shown[len(prefix) + 1 :]
    return shown


@dataclass(frozen=True)
class Texts:
    path: str | None
    message_fr: str
    message_en: str
    hint_fr: str | None
    hint_en: str | None


def path_text(graph: rdflib.Graph, node: rdflib.term.Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return compact(str(node))
    if (node, SH.inversePath, None) in graph:
        return "^" + (path_text(graph, graph.value(node, SH.inversePath)) or "")
    if (alternatives := graph.value(node, SH.alternativePath)) is not None:
        items = rdflib.collection.Collection(graph, alternatives)
        return "|".join(path_text(graph, i) or "" for i in items)
    return "(path)"


def _lang_texts(graph: rdflib.Graph, node: rdflib.term.Node, pred: rdflib.URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for lit in graph.objects(node, pred):
        lang = getattr(lit, "language", None) or ""
        found.setdefault(lang, str(lit))
    return found


def describe(
    graph: rdflib.Graph,
    shape: rdflib.term.Node,
    node: rdflib.term.Node,
    component: str,
    path_node: rdflib.term.Node | None,
) -> Texts:
    path = path_text(graph, path_node)
    messages = _lang_texts(graph, node, SH.message)
    if not messages and node != shape:
        messages = {}
    hints = _lang_texts(graph, node, HINT)
    gen_fr, gen_en, hint_fr, hint_en = _generated(graph, node, component, path)
    en = messages.get("en") or messages.get("") or gen_en
    fr = messages.get("fr") or (f"{gen_fr} ({en})" if en != gen_en else gen_fr)
    return Texts(path, fr, en, hints.get("fr") or hint_fr, hints.get("en") or hint_en)


def _generated(
    graph: rdflib.Graph, node: rdflib.term.Node, component: str, path: str | None
) -> tuple[str, str, str, str]:
    p = path or "la ressource"
    pe = path or "the resource"
    name = component.removesuffix("ConstraintComponent")

    def value(pred: rdflib.URIRef) -> str:
        # every value, sorted: a shape may hold several (e.g. two sh:node), and engines cannot tell them apart
        shown = sorted(compact(str(v)) if isinstance(v, rdflib.URIRef) else str(v) for v in graph.objects(node, pred))
        return " + ".join(shown)

    if name == "MinCount":
        n = value(SH.minCount)
        return (
            f"{p} : au moins {n} valeur(s) attendue(s).",
            f"{pe}: at least {n} value(s) expected.",
            f"Ajoutez {p} à la ressource.",
            f"Add {pe} to the resource.",
        )
    if name == "MaxCount":
        n = value(SH.maxCount)
        return (
            f"{p} : au plus {n} valeur(s) permise(s).",
            f"{pe}: at most {n} value(s) allowed.",
            f"Gardez une seule valeur de {p} (au plus {n}).",
            f"Keep at most {n} value(s) of {pe}.",
        )
    if name == "Class":
        c = value(SH["class"])
        return (
            f"{p} : la valeur doit être une ressource de type {c}.",
            f"{pe}: the value must be a resource of type {c}.",
            f"Vérifiez l'IRI de la valeur et que la ressource est décrite avec « a {c} » "
            "(dans le catalogue ou le vocabulaire).",
            f"Check the value's IRI and that the resource is described with 'a {c}' "
            "(in the catalogue or the vocabulary).",
        )
    if name == "Datatype":
        d = value(SH.datatype)
        return (
            f"{p} : la valeur doit être un littéral de type {d}.",
            f"{pe}: the value must be a literal of datatype {d}.",
            f"Écrivez la valeur avec ^^{d} et une forme lexicale valide.",
            f"Write the value with ^^{d} and a valid lexical form.",
        )
    if name == "NodeKind":
        k = value(SH.nodeKind)
        return (
            f"{p} : la valeur doit être de nature {k}.",
            f"{pe}: the value must be of node kind {k}.",
            'Utilisez une IRI <…> ou un littéral "…" selon ce que demande la règle.',
            'Use an IRI <…> or a literal "…" as the rule asks.',
        )
    if name == "HasValue":
        v = value(SH.hasValue)
        return (
            f"{p} : la valeur {v} est attendue.",
            f"{pe}: the value {v} is expected.",
            f"Ajoutez {p} {v}.",
            f"Add {pe} {v}.",
        )
    if name == "In":
        return (
            f"{p} : la valeur n'est pas dans la liste permise.",
            f"{pe}: the value is not in the allowed list.",
            "Choisissez une valeur de la liste de la règle.",
            "Pick a value from the rule's list.",
        )
    if name == "Node":
        n = value(SH.node)
        return (
            f"{p} : la valeur ne respecte pas la forme {n}.",
            f"{pe}: the value does not conform to the shape {n}.",
            "Validez la ressource désignée : ses propres résultats disent ce qui manque.",
            "Check the resource it points to: what it lacks is what this shape requires.",
        )
    if name == "Pattern":
        return (
            f"{p} : la valeur ne suit pas le motif attendu.",
            f"{pe}: the value does not match the expected pattern.",
            "Corrigez la forme de la valeur.",
            "Fix the form of the value.",
        )
    if name == "Or":
        return (
            f"{p} : aucune des possibilités de la règle n'est satisfaite.",
            f"{pe}: none of the rule's alternatives is met.",
            "Satisfaites l'une des alternatives décrites par le message.",
            "Meet one of the alternatives the message describes.",
        )
    if name == "Not":
        return (
            f"{p} : la valeur a une forme interdite.",
            f"{pe}: the value has a forbidden form.",
            "Retirez ou reformulez la valeur.",
            "Remove or reword the value.",
        )
    return (
        f"{p} : contrainte {name} non respectée.",
        f"{pe}: {name} constraint not met.",
        "Voir la règle dans shapes/.",
        "See the rule in shapes/.",
    )
