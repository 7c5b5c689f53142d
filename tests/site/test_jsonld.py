"""The schema.org Dataset of a dataset page: what the catalogue states of licences, distributions and access."""

from __future__ import annotations

from hdh_graph.site.i18n import Localized
from hdh_graph.site.pages.context import Access, DatasetPage, Ref
from hdh_graph.site.pages.jsonld import dataset_jsonld, media_type

EU = "http://publications.europa.eu/resource/authority/"
MPL = "http://spdx.org/licenses/MPL-2.0"


def _page(**kw: object) -> DatasetPage:
    return DatasetPage(
        iri="https://c.example/dataset/d",
        path="dataset/d",
        kind="dataset",
        title=Localized((("fr", "Données"),)),
        graph=None,
        **kw,  # type: ignore[arg-type]
    )


def test_public_dataset_with_a_licensed_download() -> None:
    download = Access(
        Localized((("fr", "Fichier CSV"),)),
        "https://c.example/page",
        Localized(()),
        download_url="https://c.example/d.csv",
        media_type=media_type(None, EU + "file-type/CSV"),
        licenses=(MPL,),
    )
    public = Ref(EU + "access-right/PUBLIC", None, Localized((("fr", "Public"),)))
    data = dataset_jsonld(_page(accesses=(download,), licenses=(MPL,), access_rights=public), "https://c.example")
    assert data["isAccessibleForFree"] is True
    assert data["license"] == MPL
    assert data["distribution"] == [
        {
            "@type": "DataDownload",
            "name": "Fichier CSV",
            "contentUrl": "https://c.example/d.csv",
            "url": "https://c.example/page",
            "encodingFormat": "text/csv",
            "license": MPL,
        }
    ]


def test_media_type_prefers_iana_and_knows_eu_file_types() -> None:
    assert media_type("http://www.iana.org/assignments/media-types/text/turtle", EU + "file-type/CSV") == "text/turtle"
    assert media_type(None, EU + "file-type/HTML") == "text/html"
    assert media_type(None, EU + "file-type/UNKNOWN_TYPE") is None
    assert media_type(None, None) is None


def test_restricted_dataset_without_distribution_says_only_what_is_known() -> None:
    data = dataset_jsonld(_page(), "https://c.example")
    assert data["isAccessibleForFree"] is False
    assert "license" not in data and "distribution" not in data
