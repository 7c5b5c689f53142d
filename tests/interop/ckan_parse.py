"""Parse a DCAT feed with ckanext-dcat's real RDF parser and print the CKAN dataset dicts as JSON.

Run with the Python of a virtual environment where ``ckanext-dcat``, ``ckan`` and the project's profile
``ckanext-hdh`` are installed (the tests create one under ``build/ckan-venv``):
``python ckan_parse.py FEED FORMAT [--back] [PROFILE ...]``. With ``--back``, each dataset dict is also written
back to RDF by ckanext-dcat's serializer (Turtle, under ``"back"``, keyed by the dataset's URI).
"""

import json
import sys

from ckanext.dcat.processors import RDFParser, RDFSerializer

PROFILES = ["euro_dcat_ap_3", "euro_health_dcat_ap", "hdh_health_dcat_ap"]


def main() -> None:
    path, fmt, *rest = sys.argv[1:]
    back = "--back" in rest
    profiles = [p for p in rest if p != "--back"] or PROFILES
    parser = RDFParser(profiles=profiles)
    with open(path, encoding="utf-8") as handle:
        parser.parse(handle.read(), _format=fmt)
    datasets = list(parser.datasets())
    answer = {"datasets": datasets, "next_page": parser.next_page()}
    if back:
        written = {}
        for dataset in datasets:
            serializer = RDFSerializer(profiles=profiles)
            ref = serializer.graph_from_dataset(dataset)
            written[str(ref)] = serializer.g.serialize(format="turtle")
        answer["back"] = written
    json.dump(answer, sys.stdout, default=str, indent=1)


if __name__ == "__main__":
    main()
