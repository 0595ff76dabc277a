import re


def test_health_tells_anyone_only_up_without_timings(client, db):
    response = client.get("/helse/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert b"ms" not in response.content


def test_health_tells_a_logged_in_teacher_no_more_than_anyone(client, ansatt):
    client.force_login(ansatt)
    assert client.get("/helse/").json() == {"status": "ok"}


def test_health_shows_the_operator_each_part_with_its_time(client, administrator):
    client.force_login(administrator)
    body = client.get("/helse/").json()
    assert body["status"] == "ok"
    assert re.fullmatch(r"ok \(\d+ ms\)", body["database"])
    assert re.fullmatch(r"ok \(\d+ ms\)", body["redis"])


def test_health_reports_an_unreachable_redis_as_503(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/helse/")
    assert response.status_code == 503
    assert response.json() == {"status": "feil"}


def test_health_refuses_post(client, db):
    assert client.post("/helse/").status_code == 405


def test_health_leaves_out_redis_when_tasks_run_in_process(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/helse/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_favicon_is_public_and_points_at_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302  # not 301: the hashed name changes with the icon
    assert response["Location"] == "/static/img/favicon.svg"
