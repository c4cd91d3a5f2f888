"""The whole create path in ONE process: API app (webob, no socket) -> conductor -> compute.

memory:// for the happy path; a dead RabbitMQ for the "transport down" answer.
"""

from __future__ import annotations

import json
import time

import pytest
import webob
from conftest import wait_until

from minova import (
    conductor,  # noqa: F401  (registers the [conductor] options)
    rpc,
    wsgi,
)
from minova import service as nova_service
from minova.db.sqlalchemy import api as db_impl

BASE = "http://localhost/v2.1"


def _request(app, method, path, body=None, token="alice:proj1"):
    req = webob.Request.blank(BASE + path, method=method, headers={
        "X-Auth-Token": token, "Content-Type": "application/json"})
    if body is not None:
        req.body = json.dumps(body).encode()
    resp = req.get_response(app)
    return resp.status_int, (json.loads(resp.body) if resp.body else {})


@pytest.fixture
def app_on(conf):
    """Start rpc on the given URL, load the osapi_compute app; clean everything after."""
    started = []

    def build(url, with_services=True):
        conf.set_override("transport_url", url)
        rpc.set_defaults(control_exchange="nova")
        rpc.init(conf)
        if with_services:
            for binary, topic, manager in (
                    ("minova-compute", "compute", None),
                    ("minova-conductor", "conductor", conf.conductor.manager)):
                svc = nova_service.Service.create(binary=binary, host="hostM", topic=topic,
                                                  manager=manager)
                svc.start()
                started.append(svc)
        return wsgi.Loader().load_app("osapi_compute")

    yield build
    for svc in started:
        svc.stop()
    rpc.cleanup()
    rpc.set_defaults(control_exchange="openstack")
    db_impl.dispose_engine()


def _image_id(app):
    return _request(app, "GET", "/images")[1]["images"][0]["id"]


def _status(app, server_id):
    status, body = _request(app, "GET", "/servers/" + server_id)
    return body["server"]["status"] if status == 200 else status


def test_create_through_the_api_reaches_active_on_memory(app_on):
    app = app_on("memory://")
    status, body = _request(app, "POST", "/servers", {"server": {
        "name": "vm1", "imageRef": _image_id(app), "flavorRef": "1"}})
    assert status == 202, body
    server_id = body["server"]["id"]
    wait_until(lambda: _status(app, server_id) == "ACTIVE", message="ACTIVE")

    assert _request(app, "DELETE", "/servers/" + server_id)[0] == 204
    wait_until(lambda: _status(app, server_id) == 404, message="server gone")


def test_create_with_transport_down_answers_503_fast_and_marks_error(app_on, free_port):
    # Nothing listens on free_port: the cast cannot be delivered.
    app = app_on("rabbit://guest:guest@127.0.0.1:%d/" % free_port, with_services=False)
    start = time.monotonic()
    status, body = _request(app, "POST", "/servers", {"server": {
        "name": "vm-down", "imageRef": _image_id(app), "flavorRef": "1"}})
    elapsed = time.monotonic() - start
    assert status == 503, body
    assert body["serviceUnavailable"]["code"] == 503
    assert "guest" not in json.dumps(body)  # no credentials in the fault
    assert elapsed <= 3.0
    # The row was written before the cast: it must not sit in BUILD unnoticed.
    servers = _request(app, "GET", "/servers/detail")[1]["servers"]
    assert [(s["name"], s["status"]) for s in servers] == [("vm-down", "ERROR")]
