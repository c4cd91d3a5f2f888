"""Shared core: conf fixture isolation, the JSON fault shape, the request context."""

import os

import webob
import webob.exc

from minova import context
from minova.api.openstack.wsgi import Fault


def test_conf_fixture_points_state_path_at_tmp(conf, tmp_path):
    assert conf.state_path == str(tmp_path / "state")


def test_default_state_path_follows_xdg_state_home_never_the_real_home_in_tests():
    import subprocess
    import sys

    from minova import paths

    assert paths.CONF.state_path == os.path.join(os.environ["XDG_STATE_HOME"], "minova")
    assert not paths.CONF.state_path.startswith(os.path.expanduser("~/.local/state"))
    code = "from minova import paths; print(paths.CONF.state_path)"
    env = dict(os.environ, XDG_STATE_HOME="", HOME="/nonexistent-home")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "/nonexistent-home/.local/state/minova"


def test_fault_renders_nova_json_shape():
    fault = Fault(webob.exc.HTTPNotFound(explanation="Instance could not be found"))
    resp = webob.Request.blank("/").get_response(fault)
    assert resp.status_int == 404
    assert resp.json == {"itemNotFound": {"code": 404, "message": "Instance could not be found"}}


def test_fault_unknown_code_is_compute_fault():
    resp = webob.Request.blank("/").get_response(Fault(webob.exc.HTTPInternalServerError()))
    assert list(resp.json) == ["computeFault"]


def test_context_round_trips_through_dict():
    ctx = context.RequestContext("u1", "p1", roles=["member"])
    again = context.RequestContext.from_dict(ctx.to_dict())
    assert (again.user_id, again.project_id, again.request_id) == ("u1", "p1", ctx.request_id)
    assert ctx.request_id.startswith("req-") and len(ctx.request_id) == 40
