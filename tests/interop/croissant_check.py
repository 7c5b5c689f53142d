"""Load a Croissant file with mlcroissant (the MLCommons reference library) and print what it found as JSON.

Run with the Python of a virtual environment where ``mlcroissant`` is installed (the tests create one under
``build/croissant-venv``): ``python croissant_check.py FILE``.
"""

import json
import sys

import mlcroissant as mlc


def main() -> None:
    dataset = mlc.Dataset(jsonld=sys.argv[1])
    issues = dataset.metadata.ctx.issues
    json.dump(
        {
            "name": dataset.metadata.name,
            "record_sets": {r.name: [f.name for f in r.fields] for r in dataset.metadata.record_sets},
            "errors": sorted(map(str, issues.errors)),
            "warnings": sorted(map(str, issues.warnings)),
        },
        sys.stdout,
        indent=1,
    )


if __name__ == "__main__":
    main()
