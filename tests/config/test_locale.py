"""The nynorsk and English catalogues translate every bokmål source string."""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["nn", "en"])
def test_catalogue_is_complete_and_has_no_guesses(language):
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first entry is the header
    assert entries
    assert "#, fuzzy" not in text, "makemessages guessed a translation; check and remove 'fuzzy'"
    untranslated = [e for e in entries if re.search(r'^msgstr ""\Z', e.strip(), re.MULTILINE)]
    assert not untranslated, untranslated
