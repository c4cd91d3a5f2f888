"""Task 7.1: {"pause": null} through the router, the compute API, the queue and a compute worker."""

from __future__ import annotations

import json
import time
import uuid

import kombu
import pytest
import webob
from oslo_config import cfg

from exercises._target import load
from minova import context, messaging, paths, rpc  # noqa: F401  (paths registers state_path)
from minova.api.openstack import compute as compute_router
from minova.api.openstack.compute import servers
from minova.compute import power_state, vm_states
from minova.course import inprocess
from minova.db import api as db

pause = load("pause_action")
CONF = cfg.CONF
HOST = "pause-host"


@pytest.fixture
def router(tmp_path, monkeypatch):
    """memory:// bus, YOUR compute manager serving compute.<HOST>, the router with YOUR resource."""
    with inprocess.memory_bus(tmp_path):
        server = rpc.get_server(messaging.Target(topic=CONF.compute_topic, server=HOST),
                                [pause.PauseComputeManager(host=HOST)])
        server.start()
        try:
            monkeypatch.setattr(servers, "create_resource", pause.create_resource)
            yield compute_router.APIRouter.factory({})
        finally:
            server.stop()
            server.wait()


def _server(vm_state=vm_states.ACTIVE) -> str:
    sid = str(uuid.uuid4())
    db.instance_create(context.get_admin_context(), {
        "uuid": sid, "project_id": "p1", "user_id": "u1", "display_name": "vm",
        "vm_state": vm_state, "task_state": None, "host": HOST,
        "power_state": power_state.RUNNING})
    return sid


def _pause(app, sid):
    req = webob.Request.blank("/servers/%s/action" % sid, method="POST", environ={
        "SCRIPT_NAME": "/v2.1", "nova.context": context.RequestContext("u1", "p1")})
    req.body, req.content_type = json.dumps({"pause": None}).encode(), "application/json"
    return req.get_response(app)


def _row(sid):
    return db.instance_get_by_uuid(context.get_admin_context(), sid)


def _wait_paused(sid, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _row(sid).vm_state == vm_states.PAUSED:
            return _row(sid)
        time.sleep(0.01)
    raise AssertionError("server %s not PAUSED after %.0f s: the compute side never wrote it"
                         % (sid, timeout))


def test_pause_answers_202_and_the_compute_worker_makes_it_paused(router):
    sid = _server()
    resp = _pause(router, sid)
    assert resp.status_int == 202, resp.text
    row = _wait_paused(sid)
    assert (row.power_state, row.task_state) == (power_state.PAUSED, None)


def test_pause_is_a_cast_of_pause_instance_to_the_instances_host(router):
    tap = kombu.Queue("tap-7-1", kombu.Exchange("nova", "topic", durable=False),
                      routing_key="compute.*")
    with kombu.Connection("memory://") as conn:
        tap(conn.default_channel).declare()
        sid = _server()
        assert _pause(router, sid).status_int == 202
        message = tap(conn.default_channel).get(no_ack=True)
    assert message is not None, "nothing was published to compute.<host>"
    assert message.delivery_info["routing_key"] == "compute." + HOST
    inner = json.loads(message.payload["oslo.message"])
    assert inner["method"] == "pause_instance"
    assert inner["args"]["instance"]["uuid"] == sid
    assert not inner.get("_reply_q"), "pause must be a cast: the API does not wait"
    _wait_paused(sid)


def test_pause_marks_the_task_state_before_the_compute_side_runs(router):
    sid = _server()
    api = pause.PauseComputeAPI()
    ctxt = context.RequestContext("u1", "p1")
    # No compute server listens on this host: the cast waits in the queue, the mark stays.
    db.instance_update(ctxt, sid, {"host": "nobody-home"})
    api.pause(ctxt, api.get(ctxt, sid, want_objects=True))
    assert _row(sid).task_state == "pausing"


@pytest.mark.parametrize("state", [vm_states.STOPPED, vm_states.PAUSED])
def test_pausing_a_server_that_is_not_active_is_409(router, state):
    resp = _pause(router, _server(vm_state=state))
    assert resp.status_int == 409, resp.text
    assert "conflictingRequest" in resp.json


def test_pausing_an_unknown_server_is_404_and_other_actions_still_work(router):
    assert _pause(router, str(uuid.uuid4())).status_int == 404
    resource = router.resources["servers"]
    assert isinstance(resource.controller, pause.PauseController)
    assert {"reboot", "os-start", "os-stop", "pause"} <= set(resource.wsgi_actions)
