"""The register's repeated markup, built once per language and choice instead of once per
pupil: a 30-pupil page would otherwise spend most of its time in these loops."""

from functools import lru_cache

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def valg(alternativer, valgt: str) -> SafeString:
    """The ``<option>``s of a select with ``valgt`` selected."""
    return _valg(get_language(), tuple((str(v), str(t)) for v, t in alternativer), str(valgt))


@lru_cache(maxsize=256)
def _valg(_sprak: str, alternativer: tuple[tuple[str, str], ...], valgt: str) -> SafeString:
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html('<option value="{}" selected>{}</option>', v, t)
                if v == valgt
                else format_html('<option value="{}">{}</option>', v, t),
            )
            for v, t in alternativer
        ),
    )
