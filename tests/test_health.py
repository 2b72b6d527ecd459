"""/healthz/ and /readyz/: for container probes, without login, Host check or HTTPS redirect,
naming the part that is down and nothing else."""

import pytest
from django.db import OperationalError, connections

from anji_recycling.celery import app

pytestmark = pytest.mark.django_db

PROBE_HOST = {"HTTP_HOST": "172.18.0.5:8000"}  # a container address, not an allowed host


def test_healthz_answers_without_login_database_or_allowed_host(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/", **PROBE_HOST)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_reports_database_broker_and_storage_ready(client):
    response = client.get("/readyz/", **PROBE_HOST)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "storage": "ok",
    }


def test_readyz_names_the_broker_when_redis_cannot_be_reached(client, monkeypatch):
    # Celery reads the broker from the environment's CELERY_BROKER_URL before its settings.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/readyz/", **PROBE_HOST)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unavailable",
        "storage": "ok",
    }
    assert b"127.0.0.1:1" not in response.content  # the reason is logged, not shown


def test_readyz_names_the_database_when_it_cannot_be_reached(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/readyz/", **PROBE_HOST)
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert response.json()["broker"] == "ok"
    assert b"refused" not in response.content


def test_readyz_names_the_storage_when_files_cannot_be_written(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocked / "media")},
        },
    }
    response = client.get("/readyz/", **PROBE_HOST)
    assert response.status_code == 503
    assert response.json()["storage"] == "unavailable"
    assert str(tmp_path).encode() not in response.content


def test_probes_are_not_redirected_to_https_while_pages_are(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/", **PROBE_HOST).status_code == 200
    assert client.get("/readyz/", **PROBE_HOST).status_code == 200
    assert client.get("/accounts/login/").status_code == 301


@pytest.fixture
def bucket_storage(settings):
    """The default storage on an S3 bucket (moto's in-process fake of S3)."""
    from moto import mock_aws

    with mock_aws():
        import boto3

        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="anji-portal")

        def use(bucket):
            settings.STORAGES = {
                **settings.STORAGES,
                "default": {
                    "BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {
                        "bucket_name": bucket,
                        "region_name": "us-east-1",
                        "access_key": "testing",
                        "secret_key": "testing",
                    },
                },
            }

        yield use


def test_readyz_reaches_the_bucket_when_files_are_in_object_storage(client, bucket_storage):
    bucket_storage("anji-portal")
    assert client.get("/readyz/", **PROBE_HOST).json()["storage"] == "ok"

    bucket_storage("no-such-bucket")
    response = client.get("/readyz/", **PROBE_HOST)
    assert response.status_code == 503
    assert response.json()["storage"] == "unavailable"
    assert b"no-such-bucket" not in response.content
