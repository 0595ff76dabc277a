import pytest
from django.core.management import CommandError, call_command

from elever.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_gives_the_same_users_who_can_log_in(client):
    call_command("seed_demo")
    call_command("seed_demo")
    assert sorted(User.objects.values_list("username", flat=True)) == ["admin", "kari"]
    assert client.login(username="kari", password="naervaer-demo")
    assert User.objects.get(username="admin").is_superuser


def test_seed_demo_refuses_in_production(settings):
    settings.NAERVAER_ENV = "production"
    with pytest.raises(CommandError, match="ikke i produksjon"):
        call_command("seed_demo")
    assert not User.objects.exists()
