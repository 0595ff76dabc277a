"""WeasyPrint: A4 documents in a bundled font, and no fetches outside our static files."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from rapporter.pdf import BASE_URL, STATIC_PREFIX, StaticOnlyFetcher, render_pdf


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_pdf_carries_norwegian_letters_in_the_bundled_inter_font():
    pdf = render_pdf(
        "pdf/dokument.html",
        {
            "tittel": "Invitasjon til kartleggingssamtale – Bjørn Ærø Åsen",
            "skole_navn": "Fjordvik skole",
        },
    )
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "Bjørn Ærø Åsen" in text
    assert "Fjordvik skole" in text
    assert "Unntatt offentlighet, jf. offl. § 13" in text
    assert "Side 1 av 1" in text
    assert all("Inter" in name for name in _fonts(reader))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/static/css/print.css",
        "file:///etc/passwd",
        STATIC_PREFIX + "../../config/settings.py",
        STATIC_PREFIX + "/etc/passwd",
        STATIC_PREFIX + "finnes-ikke.css",
        BASE_URL + "admin/",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(FatalURLFetchingError):
        StaticOnlyFetcher().fetch(url)


def test_fetcher_serves_static_files_with_their_type():
    response = StaticOnlyFetcher().fetch(STATIC_PREFIX + "css/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_a_document_that_reaches_for_the_network_is_not_rendered():
    html = HTML(
        string='<img src="https://example.com/sporing.png">',
        base_url=BASE_URL,
        url_fetcher=StaticOnlyFetcher(),
    )
    with pytest.raises(FatalURLFetchingError):
        html.write_pdf()


def test_pdf_finds_its_font_and_styles_under_production_hashed_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    reader = PdfReader(io.BytesIO(render_pdf("pdf/dokument.html", {"tittel": "Kartlegging"})))
    assert "Side 1 av 1" in reader.pages[0].extract_text()
    assert all("Inter" in name for name in _fonts(reader))
