"""What the database itself refuses, whatever the Python code does (DESIGN §2, §8)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from elever.models import Foresattrelasjon, Klassemedlemskap, Skolemedlemskap
from tests.factories import (
    ElevFactory,
    ForesattFactory,
    KlasseFactory,
    SkoleFactory,
    elev_i_klasse,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_pupil_is_in_one_class_at_a_time():
    klasse = KlasseFactory()
    elev = elev_i_klasse(klasse, fra=D(2026, 8, 1))
    annen = KlasseFactory(skole=klasse.skole)
    with pytest.raises(IntegrityError), transaction.atomic():
        Klassemedlemskap.objects.create(elev=elev, klasse=annen, fra=D(2026, 10, 1))
    # Ending the first membership the day before makes room for the move.
    Klassemedlemskap.objects.filter(elev=elev).update(til=D(2026, 9, 30))
    Klassemedlemskap.objects.create(elev=elev, klasse=annen, fra=D(2026, 10, 1))
    assert elev.klassemedlemskap.count() == 2


def test_a_pupil_is_at_one_school_at_a_time():
    elev = elev_i_klasse(KlasseFactory(), fra=D(2026, 8, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Skolemedlemskap.objects.create(elev=elev, skole=SkoleFactory(), fra=D(2027, 1, 1))


def test_a_membership_cannot_end_before_it_starts():
    elev = ElevFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Skolemedlemskap.objects.create(
            elev=elev,
            skole=SkoleFactory(kommune=elev.kommune),
            fra=D(2026, 8, 1),
            til=D(2026, 7, 1),
        )


def test_fodselsnummer_is_unique_in_the_kommune_and_has_a_norwegian_message():
    elev = ElevFactory()
    kopi = ElevFactory.build(kommune=elev.kommune, fodselsnummer=elev.fodselsnummer)
    with pytest.raises(ValidationError, match="finnes allerede en elev med dette fødselsnummeret"):
        kopi.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        kopi.save()


def test_fodselsnummer_must_be_eleven_digits_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ElevFactory(fodselsnummer="1234")


def test_documents_require_parental_responsibility():
    with pytest.raises(IntegrityError), transaction.atomic():
        elev = ElevFactory()
        Foresattrelasjon.objects.create(
            elev=elev,
            foresatt=ForesattFactory(kommune=elev.kommune),
            foreldreansvar=False,
            kan_motta_dokumenter=True,
        )


def test_a_class_is_on_trinn_1_to_10():
    with pytest.raises(IntegrityError), transaction.atomic():
        KlasseFactory(trinn=11)
