import json
from pathlib import Path

from hdh_graph.site.publish.static_search import Record, fold, tokens, write_language


def test_fold_strips_accents_and_case() -> None:
    assert fold("Diagnostic PRÉCISÉ") == "diagnostic precise"
    assert tokens("Date d'entrée (séjour)") == ["date", "d", "entree", "sejour"]


def test_index_shards_tokens_and_keeps_best_weight(tmp_path: Path) -> None:
    records = [
        Record(
            "/variable/a/",
            "Date d'entrée",
            "Variable",
            "PMSI",
            {"name": "ENT_DAT", "body": "Entrée du séjour"},
            (("kind", "Variable"), ("product", "PMSI")),
        ),
        Record(
            "/dataset/pmsi/",
            "PMSI",
            "Base",
            "",
            {"name": "pmsi", "title": "PMSI", "body": "Séjours"},
            (("kind", "Base"), ("product", "PMSI")),
        ),
    ]
    folder = tmp_path / "search" / "fr"
    assert write_language(folder, records) == 2
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["records"] == 2 and meta["facets"] == {"kind": ["Base", "Variable"], "product": ["PMSI"]}
    assert json.loads((folder / "f" / "kind.json").read_text()) == [[1], [0]]  # by value: Base, Variable
    assert json.loads((folder / "f" / "product.json").read_text()) == [[0, 1]]
    shard = json.loads((folder / "t" / "se.json").read_text())
    assert shard["sejour"] == [[0, 1]] and shard["sejours"] == [[1, 1]]
    assert json.loads((folder / "t" / "pm.json").read_text())["pmsi"] == [[1, 8]]
    chunk = json.loads((folder / "r" / "0.json").read_text())
    assert chunk[0] == ["/variable/a/", "Date d'entrée", "Variable", "PMSI", "Entrée du séjour"]


def test_rewrite_replaces_the_whole_folder(tmp_path: Path) -> None:
    folder = tmp_path / "fr"
    write_language(folder, [Record("/a/", "Alpha", "table", "", {"name": "alpha"})])
    write_language(folder, [Record("/b/", "Beta", "table", "", {"name": "beta"})])
    assert not (folder / "t" / "al.json").exists() and (folder / "t" / "be.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fr"]


def test_records_pick_the_language_and_group_a_page_s_resources() -> None:
    from hdh_graph.site.publish.static_search import documents, records_of

    base = "https://example.org/"
    rows = [
        {"r": base + "variable/x", "type": "V", "field": "name", "v": "ENT_DAT", "lang": ""},
        {"r": base + "variable/x", "type": "V", "field": "title", "v": "Date d'entrée", "lang": "fr"},
        {"r": base + "variable/x", "type": "V", "field": "title", "v": "Admission date", "lang": "en"},
        {"r": base + "variable/x", "type": "V", "field": "body", "v": "Jour d'entrée", "lang": "fr"},
        {"r": base + "topic/a#1", "type": "S", "field": "body", "v": "Vous pouvez vous opposer", "lang": "fr"},
        {"r": base + "topic/a", "type": "T", "field": "title", "v": "Vos droits", "lang": "fr"},
        {"r": base + "glossary/AMA", "type": "G", "field": "title", "v": "Âge", "lang": "fr"},
        {"r": base + "variable/none", "type": "V", "field": "name", "v": "NOPAGE", "lang": ""},
        {"r": "https://elsewhere.org/y", "type": "V", "field": "name", "v": "Y", "lang": ""},
    ]
    kinds = {"V": "variable", "S": "citizen", "T": "citizen", "G": "term"}
    facets = {
        "variable/x": {"fr": [["kind", "Variable"]], "en": [["kind", "Variable"]]},
        "topic/a": {"fr": [["kind", "Citoyens"]], "en": [["kind", "Citizens"]]},
        "glossary": {"fr": [["kind", "Nomenclature"]], "en": [["kind", "Code list"]]},
    }
    docs = documents(rows, kinds, base, facets)
    en = {r.url: r for r in records_of(docs, facets, "en", "Term")}
    assert sorted(en) == ["/en/glossary/#term-AMA", "/en/topic/a/", "/en/variable/x/"]
    assert (en["/en/variable/x/"].title, en["/en/variable/x/"].fields["body"]) == ("Admission date", "Jour d'entrée")
    fr = {r.url: r for r in records_of(docs, facets, "fr", "Terme")}
    assert fr["/topic/a/"].title == "Vos droits" and "opposer" in fr["/topic/a/"].fields["body"]  # its statement
    assert fr["/glossary/#term-AMA"].kind == "Terme" and fr["/glossary/#term-AMA"].facets == (("kind", "Terme"),)
    assert next(r.url for r in records_of(docs, facets, "fr", "Terme")) == "/topic/a/"  # citizens before variables
