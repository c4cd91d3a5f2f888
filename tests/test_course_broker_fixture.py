"""The rabbit_url fixture: skip on a learner's machine, fail in CI (MINOVA_REQUIRE_BROKER=1)."""

from __future__ import annotations

import conftest
import pytest


@pytest.fixture
def no_broker(monkeypatch):
    monkeypatch.setattr(conftest, "broker_reachable", lambda *a, **k: False)


def test_rabbit_url_skips_without_broker_by_default(no_broker, monkeypatch, request):
    monkeypatch.delenv("MINOVA_REQUIRE_BROKER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no RabbitMQ at 127.0.0.1:5672"):
        request.getfixturevalue("rabbit_url")


def test_rabbit_url_fails_without_broker_when_required(no_broker, monkeypatch, request):
    monkeypatch.setenv("MINOVA_REQUIRE_BROKER", "1")
    with pytest.raises(pytest.fail.Exception, match="MINOVA_REQUIRE_BROKER=1"):
        request.getfixturevalue("rabbit_url")


def test_rabbit_url_names_the_local_broker(monkeypatch, request):
    monkeypatch.setattr(conftest, "broker_reachable", lambda *a, **k: True)
    assert request.getfixturevalue("rabbit_url") == "rabbit://guest:guest@127.0.0.1:5672/"


def test_broker_reachable_is_false_on_a_closed_port(free_port):
    assert conftest.broker_reachable(("127.0.0.1", free_port)) is False
