import factory

from elever.models import User

PASSORD = "riktig-hest-batteri-stift"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = "Ola"
    last_name = "Nordmann"
    password = factory.django.Password(PASSORD)
