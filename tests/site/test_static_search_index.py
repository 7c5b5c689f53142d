import json
from pathlib import Path

from hdh_graph.site.publish.static_search import Record, fold, tokens, write_language


def test_fold_strips_accents_and_case() -> None:
    assert fold("Diagnostic PRÉCISÉ") == "diagnostic precise"
    assert tokens("Date d'entrée (séjour)") == ["date", "d", "entree", "sejour"]


def test_index_shards_tokens_and_keeps_best_weight(tmp_path: Path) -> None:
    records = [
        Record("/variable/a/", "Date d'entrée", "variable", "PMSI", {"name": "ENT_DAT", "body": "Entrée du séjour"}),
        Record("/dataset/pmsi/", "PMSI", "dataset", "", {"name": "pmsi", "title": "PMSI", "body": "Séjours"}),
    ]
    folder = tmp_path / "search" / "fr"
    assert write_language(folder, records) == 2
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["records"] == 2 and meta["kinds"] == "vd" and meta["datasets"] == [0, -1]
    shard = json.loads((folder / "t" / "se.json").read_text())
    assert shard["sejour"] == [[0, 1]] and shard["sejours"] == [[1, 1]]
    assert json.loads((folder / "t" / "pm.json").read_text())["pmsi"] == [[1, 8]]
    chunk = json.loads((folder / "r" / "0.json").read_text())
    assert chunk[0] == ["/variable/a/", "Date d'entrée", "variable", "PMSI", "Entrée du séjour"]


def test_rewrite_replaces_the_whole_folder(tmp_path: Path) -> None:
    folder = tmp_path / "fr"
    write_language(folder, [Record("/a/", "Alpha", "table", "", {"name": "alpha"})])
    write_language(folder, [Record("/b/", "Beta", "table", "", {"name": "beta"})])
    assert not (folder / "t" / "al.json").exists() and (folder / "t" / "be.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fr"]


def test_records_from_rows_pick_the_language() -> None:
    from hdh_graph.site.publish.static_search import records_from_rows

    base = "https://example.org/"
    rows = [
        {"r": base + "variable/x", "type": "V", "field": "name", "v": "ENT_DAT", "lang": ""},
        {"r": base + "variable/x", "type": "V", "field": "title", "v": "Date d'entrée", "lang": "fr"},
        {"r": base + "variable/x", "type": "V", "field": "title", "v": "Admission date", "lang": "en"},
        {"r": base + "variable/x", "type": "V", "field": "body", "v": "Jour d'entrée", "lang": "fr"},
        {"r": "https://elsewhere.org/y", "type": "V", "field": "name", "v": "Y", "lang": ""},
    ]
    (en,) = records_from_rows(rows, {"V": "variable"}, base, "en")
    assert (en.url, en.title, en.fields["body"]) == ("/en/variable/x/", "Admission date", "")
    (fr,) = records_from_rows(rows, {"V": "variable"}, base, "fr")
    assert (fr.url, fr.title, fr.fields["body"]) == ("/variable/x/", "Date d'entrée", "Jour d'entrée")
