"""Parse a DCAT feed with ckanext-dcat's real RDF parser and print the CKAN dataset dicts as JSON.

Run with the Python of a virtual environment where ``ckanext-dcat`` and ``ckan`` are installed (the tests
create one under ``build/ckan-venv``): ``python ckan_parse.py FEED FORMAT [PROFILE ...]``.
"""

import json
import sys

from ckanext.dcat.processors import RDFParser


def main() -> None:
    path, fmt, *profiles = sys.argv[1:]
    parser = RDFParser(profiles=profiles or ["euro_dcat_ap_3", "euro_health_dcat_ap"])
    with open(path, encoding="utf-8") as handle:
        parser.parse(handle.read(), _format=fmt)
    datasets = list(parser.datasets())
    json.dump({"datasets": datasets, "next_page": parser.next_page()}, sys.stdout, default=str, indent=1)


if __name__ == "__main__":
    main()
