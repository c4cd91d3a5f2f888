"""Task 3.3: pipeline_factory picks the line by auth_strategy and composes it right to left."""

from __future__ import annotations

import pytest
import webob
from oslo_config import cfg

from exercises._target import load, target
from minova.api import auth

pipeline = load("pipeline")
CONF = cfg.CONF


class Wrapped:
    """What a fake filter returns: its name around the app below."""

    def __init__(self, name, app):
        self.name, self.application = name, app

    def __repr__(self):
        return "%s(%r)" % (self.name, self.application)


class FakeLoader:
    """Records what is asked for, in order, as paste.deploy's ConfigLoader would be asked."""

    def __init__(self):
        self.asked = []

    def get_filter(self, name, global_conf=None):
        self.asked.append(("filter", name))
        return lambda app: Wrapped(name, app)

    def get_app(self, name, global_conf=None):
        self.asked.append(("app", name))
        return name


@pytest.fixture
def strategy():
    """Set auth_strategy / api_rate_limit for one test, and undo it afterwards."""
    def _set(name, rate_limit=False):
        CONF.set_override("auth_strategy", name)
        CONF.set_override("api_rate_limit", rate_limit)
    yield _set
    CONF.clear_override("auth_strategy")
    CONF.clear_override("api_rate_limit")


JUNO_V2 = {  # etc/nova/api-paste.ini:67-71 (Juno), names only
    "noauth": "compute_req_id faultwrap sizelimit noauth ratelimit osapi_compute_app_v2",
    "keystone": "compute_req_id faultwrap sizelimit authtoken keystonecontext ratelimit "
                "osapi_compute_app_v2",
    "keystone_nolimit": "compute_req_id faultwrap sizelimit authtoken keystonecontext "
                        "osapi_compute_app_v2",
}


def test_pipeline_factory_composes_right_to_left(strategy):
    strategy("noauth")
    app = pipeline.pipeline_factory(FakeLoader(), {}, noauth="a b c app")
    assert repr(app) == "a(b(c('app')))"


def test_pipeline_factory_asks_the_loader_for_filters_then_the_app(strategy):
    strategy("noauth")
    loader = FakeLoader()
    pipeline.pipeline_factory(loader, {}, noauth="a b app")
    assert loader.asked == [("filter", "a"), ("filter", "b"), ("app", "app")]


def _nested(line):
    """"a b app" -> "a(b('app'))": what the fake loader's objects print as."""
    *filters, app = line.split()
    text = repr(app)
    for name in reversed(filters):
        text = "%s(%s)" % (name, text)
    return text


@pytest.mark.parametrize("name, rate_limit, expected", [
    ("keystone", False, JUNO_V2["keystone_nolimit"]),
    ("keystone", True, JUNO_V2["keystone"]),
    ("noauth", False, JUNO_V2["noauth"]),   # no noauth_nolimit line: ratelimit stays
    ("noauth", True, JUNO_V2["noauth"]),
])
def test_pipeline_factory_picks_the_line_like_minova(strategy, monkeypatch, name, rate_limit,
                                                     expected):
    strategy(name, rate_limit)
    mine = pipeline.pipeline_factory(FakeLoader(), {}, **JUNO_V2)
    assert repr(mine) == _nested(expected)
    # minova refuses 'authtoken' when keystonemiddleware is not installed; the
    # fake loader needs no package, so let it through for the comparison.
    monkeypatch.setattr(auth, "_check_optional_filters", lambda names: None)
    assert repr(mine) == repr(auth.pipeline_factory(FakeLoader(), {}, **JUNO_V2))


def test_pipeline_factory_in_a_real_ini(strategy, tmp_path):
    import paste.deploy

    strategy("noauth")
    ini = tmp_path / "small.ini"
    ini.write_text(
        "[composite:main]\n"
        "use = call:exercises.%s.pipeline:pipeline_factory\n"
        "noauth = compute_req_id faultwrap noauth versions\n"
        "keystone = faultwrap versions\n\n"
        "[filter:compute_req_id]\n"
        "paste.filter_factory = minova.api.compute_req_id:ComputeReqIdMiddleware.factory\n"
        "[filter:faultwrap]\n"
        "paste.filter_factory = minova.api.openstack:FaultWrapper.factory\n"
        "[filter:noauth]\n"
        "paste.filter_factory = minova.api.openstack.auth:NoAuthMiddleware.factory\n"
        "[app:versions]\n"
        "paste.app_factory = minova.api.openstack.compute.versions:Versions.factory\n"
        % target())
    app = paste.deploy.loadapp("config:%s" % ini, name="main")
    handshake = webob.Request.blank("/").get_response(app)
    assert handshake.status_int == 204 and handshake.headers["X-Auth-Token"] == "admin:admin"
    versions = webob.Request.blank("/", headers={"X-Auth-Token": "u:p"}).get_response(app)
    assert versions.status_int == 200 and "versions" in versions.json
    assert versions.headers["x-compute-request-id"].startswith("req-")
