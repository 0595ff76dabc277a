def test_health_answers_without_login_and_shows_no_data(client, db):
    response = client.get("/helse/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"database", "redis"}
    assert all(value.startswith("ok") for value in body.values())


def test_health_reports_an_unreachable_redis_as_503(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/helse/")
    assert response.status_code == 503
    assert response.json()["redis"] == "feil"


def test_health_refuses_post(client, db):
    assert client.post("/helse/").status_code == 405


def test_health_leaves_out_redis_when_tasks_run_in_process(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/helse/")
    assert response.status_code == 200
    assert set(response.json()) == {"database"}


def test_favicon_is_public_and_points_at_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302  # not 301: the hashed name changes with the icon
    assert response["Location"] == "/static/img/favicon.svg"
