"""Layer 3: the packaged api-paste.ini, loaded by paste.deploy and driven in-process."""

from __future__ import annotations

import os
import re
import sys
import types

import paste.deploy
import pytest
import webob
import webob.dec

import minova
from minova import exception
from minova.api import auth, compute_req_id, sizelimit
from minova.api.openstack import FaultWrapper, urlmap
from minova.api.openstack import auth as os_auth

PASTE_INI = os.path.join(os.path.dirname(minova.__file__), "etc", "api-paste.ini")
REQ_ID = re.compile(r"^req-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def load(name="osapi_compute"):
    return paste.deploy.loadapp("config:" + PASTE_INI, name=name)


@pytest.fixture
def app(conf):
    return load()


def _chain(app):
    """Class names from a mount's outermost filter down to the app (via ``.application``)."""
    names = []
    while app is not None:
        names.append(type(app).__name__)
        app = getattr(app, "application", None)
    return names


def _mount(app, url):
    return dict(app.applications)[(None, url)]


def test_paste_ini_root_is_nova_urlmap_with_juno_mounts(app):
    assert isinstance(app, urlmap.URLMap)
    assert [url for (_dom, url), _app in app.applications] == [
        "/v2.1/+", "/v1.1", "/v2.1", "/v2", ""]


@pytest.mark.parametrize("mount, chain", [
    ("", ["FaultWrapper", "Versions"]),
    ("/v2", ["ComputeReqIdMiddleware", "FaultWrapper", "RequestBodySizeLimiter",
             "NoAuthMiddleware", "APIRouter"]),
    ("/v1.1", ["ComputeReqIdMiddleware", "FaultWrapper", "RequestBodySizeLimiter",
               "NoAuthMiddleware", "APIRouter"]),
    ("/v2.1", ["ComputeReqIdMiddleware", "FaultWrapper", "VersionsV2"]),
    ("/v2.1/+", ["ComputeReqIdMiddleware", "FaultWrapper", "RequestBodySizeLimiter",
                 "NoAuthMiddleware", "APIRouter"]),
])
def test_paste_ini_noauth_filters_in_juno_order(app, mount, chain):
    assert _chain(_mount(app, mount)) == chain


@pytest.mark.parametrize("method, path, headers, status", [
    ("GET", "/", {}, 200),
    ("GET", "/v2.1", {}, 200),
    ("GET", "/v2.1/", {}, 200),
    ("GET", "/v2", {}, 204),
    ("GET", "/v2/", {}, 204),
    ("GET", "/v1.1/", {}, 204),
    ("GET", "/v2/p/servers", {}, 204),
    ("GET", "/v2.1/servers", {}, 204),
    ("POST", "/v2.1/servers", {}, 204),
    ("GET", "/foo", {}, 300),
    ("GET", "/v3/servers", {"X-Auth-Token": "u:p"}, 300),
])
def test_paste_pipeline_status_table(app, method, path, headers, status):
    resp = webob.Request.blank(path, method=method, headers=headers).get_response(app)
    assert resp.status_int == status, resp.body


@pytest.mark.parametrize("path", ["/v2/p/servers", "/v2.1/servers", "/v2.1/p/servers/detail",
                                  "/v2.1", "/v2.1/", "/v2/"])
def test_compute_req_id_both_headers_same_uuid4(app, path):
    resp = webob.Request.blank(path, headers={"X-Auth-Token": "u:p"}).get_response(app)
    rid = resp.headers["x-openstack-request-id"]
    assert REQ_ID.match(rid) and len(rid) == 40
    assert resp.headers["x-compute-request-id"] == rid


def test_compute_req_id_differs_per_request(app):
    ids = {webob.Request.blank("/v2.1/").get_response(app).headers["x-compute-request-id"]
           for _ in range(5)}
    assert len(ids) == 5


def test_compute_req_id_reaches_the_context():
    seen = {}

    def inner(environ, start_response):
        seen["ctx"] = environ["nova.context"]
        start_response("200 OK", [])
        return [b""]

    app = compute_req_id.ComputeReqIdMiddleware(os_auth.NoAuthMiddleware(inner))
    resp = webob.Request.blank("/", headers={"X-Auth-Token": "u:p"}).get_response(app)
    assert seen["ctx"].request_id == resp.headers["x-openstack-request-id"]


@pytest.mark.parametrize("path", ["/v2.1/servers", "/v2.1/p/servers/detail", "/v2/p/servers"])
def test_paste_pipeline_compute_path_answers_honestly(app, path):
    """Placeholder router today (501), the real one later: never a 500, always an id."""
    resp = webob.Request.blank(path, headers={"X-Auth-Token": "u:p"}).get_response(app)
    assert resp.status_int != 500 and resp.status_int < 600
    assert REQ_ID.match(resp.headers["x-compute-request-id"])
    if resp.status_int >= 400:
        (fault,) = resp.json.values()
        assert fault["code"] == resp.status_int and fault["message"]


# --- sizelimit through the whole graph ---------------------------------------------------------

def test_sizelimit_declared_length_over_limit_is_413_json(app):
    req = webob.Request.blank("/v2.1/servers", method="POST",
                              headers={"X-Auth-Token": "u:p"}, body=b"x")
    req.content_length = 114689
    resp = req.get_response(app)
    assert resp.status_int == 413
    assert resp.json == {"overLimit": {"code": 413, "message": "Request is too large."}}
    assert REQ_ID.match(resp.headers["x-compute-request-id"])


def test_sizelimit_exact_limit_passes_through(app):
    req = webob.Request.blank("/v2.1/servers", method="POST",
                              headers={"X-Auth-Token": "u:p"}, body=b"x" * 114688)
    assert req.get_response(app).status_int != 413


def _chunked(path, size):
    req = webob.Request.blank(path, method="POST", headers={"X-Auth-Token": "u:p"})
    req.environ["wsgi.input"] = __import__("io").BytesIO(b"x" * size)
    req.environ.pop("CONTENT_LENGTH", None)
    req.environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    # What a server that de-chunks the body promises (webob reads only then).
    req.environ["wsgi.input_terminated"] = True
    return req


def _body_reader(environ, start_response):
    body = webob.Request(environ).body
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"%d" % len(body)]


@pytest.mark.parametrize("size, status", [(114688, 200), (114689, 413), (10 ** 6, 413)])
def test_sizelimit_chunked_body_limited_while_reading(conf, size, status):
    app = FaultWrapper(sizelimit.RequestBodySizeLimiter(_body_reader))
    resp = _chunked("/", size).get_response(app)
    assert resp.status_int == status
    if status == 413:
        assert resp.json["overLimit"]["message"] == "Request is too large."
    else:
        assert resp.body == b"114688"


def test_sizelimit_chunked_413_is_json_even_if_app_below_renders_it(conf):
    @webob.dec.wsgify
    def reads_body(req):  # wsgify turns the reader's 413 into webob's own page
        return webob.Response(str(len(req.body)))

    resp = _chunked("/", 114689).get_response(sizelimit.RequestBodySizeLimiter(reads_body))
    assert resp.status_int == 413
    assert resp.json["overLimit"]["code"] == 413


def test_sizelimit_follows_config(conf):
    conf.set_override("osapi_max_request_body_size", 10)
    app = sizelimit.RequestBodySizeLimiter(_body_reader)
    assert webob.Request.blank("/", method="POST", body=b"x" * 11).get_response(
        app).status_int == 413
    assert _chunked("/", 11).get_response(app).status_int == 413
    assert _chunked("/", 10).get_response(app).status_int == 200


def test_limiting_reader_iterates_and_counts():
    reader = sizelimit.LimitingReader(iter([b"ab", b"cd", b"e"]), 4)
    got = []
    with pytest.raises(webob.exc.HTTPRequestEntityTooLarge):
        for chunk in reader:
            got.append(chunk)
    assert got == [b"ab", b"cd"]


# --- pipeline_factory -------------------------------------------------------------------------

class FakeLoader:
    """Records what pipeline_factory asks paste.deploy for."""

    def __init__(self):
        self.calls = []

    def get_filter(self, name):
        self.calls.append(("filter", name))
        return lambda app: ("f:" + name, app)

    def get_app(self, name, global_conf=None):
        self.calls.append(("app", name))
        return "app:" + name


def test_pipeline_factory_picks_strategy_and_outermost_first(conf):
    app = auth.pipeline_factory(FakeLoader(), {}, noauth="a b app", keystone="k app")
    assert app == ("f:a", ("f:b", "app:app"))


def test_pipeline_factory_prefers_nolimit_when_rate_limit_off(conf):
    kw = dict(noauth="a ratelimit app", noauth_nolimit="a app")
    assert auth.pipeline_factory(FakeLoader(), {}, **kw) == ("f:a", "app:app")
    conf.set_override("api_rate_limit", True)
    assert auth.pipeline_factory(FakeLoader(), {}, **kw) == ("f:a", ("f:ratelimit", "app:app"))


def test_pipeline_factory_without_nolimit_keeps_pipeline(conf):
    assert auth.pipeline_factory(FakeLoader(), {}, noauth="a ratelimit_v3 app") == (
        "f:a", "app:app")


def test_pipeline_factory_v21_uses_strategy_only(conf):
    conf.set_override("auth_strategy", "keystone")
    loader = FakeLoader()
    assert auth.pipeline_factory_v21(loader, {}, noauth="n app", keystone="k app",
                                     keystone_nolimit="x app") == ("f:k", "app:app")


def test_pipeline_factory_matches_paste_pipeline(conf, tmp_path):
    """Differential: the composite builds the same onion as paste's own [pipeline:]."""
    ini = tmp_path / "p.ini"
    ini.write_text(
        "[composite:ours]\nuse = call:minova.api.auth:pipeline_factory\n"
        "noauth = compute_req_id faultwrap sizelimit noauth app\n\n"
        "[pipeline:theirs]\npipeline = compute_req_id faultwrap sizelimit noauth app\n\n"
        + open(PASTE_INI).read().split("#############\n# OpenStack")[0]
        + "[app:app]\npaste.app_factory = minova.api.openstack.compute.versions:Versions.factory\n"
        + _sections(["compute_req_id", "faultwrap", "sizelimit", "noauth"]))
    ours = paste.deploy.loadapp("config:%s" % ini, name="ours")
    theirs = paste.deploy.loadapp("config:%s" % ini, name="theirs")
    assert _chain(ours) == _chain(theirs)


def _sections(names):
    text = open(PASTE_INI).read()
    return "".join(re.search(r"\[filter:%s\]\n[^\n]+\n" % n, text).group(0) + "\n"
                   for n in names)


# --- auth_strategy=keystone -----------------------------------------------------------------

def test_keystone_without_keystonemiddleware_fails_clearly(conf, monkeypatch):
    monkeypatch.setitem(sys.modules, "keystonemiddleware", None)  # import -> ImportError
    conf.set_override("auth_strategy", "keystone")
    with pytest.raises(exception.PipelineDependencyMissing, match="pip install keystonemiddleware"):
        load()


def test_keystone_pipeline_builds_context_from_authtoken_headers(conf, monkeypatch):
    fake = types.ModuleType("keystonemiddleware")
    fake.auth_token = types.ModuleType("keystonemiddleware.auth_token")

    class AuthToken:
        """Stands in for keystonemiddleware: sets what it sets on a valid token."""

        def __init__(self, app):
            self.application = app

        def __call__(self, environ, start_response):
            if "HTTP_X_AUTH_TOKEN" not in environ:
                start_response("401 Unauthorized", [("Content-Type", "text/plain")])
                return [b"no token"]
            environ.update(HTTP_X_USER_ID="u1", HTTP_X_TENANT_ID="p1",
                           HTTP_X_ROLES="member,admin")
            return self.application(environ, start_response)

    def filter_factory(global_conf, **local_conf):
        return AuthToken

    fake.auth_token.filter_factory = filter_factory
    monkeypatch.setitem(sys.modules, "keystonemiddleware", fake)
    monkeypatch.setitem(sys.modules, "keystonemiddleware.auth_token", fake.auth_token)
    conf.set_override("auth_strategy", "keystone")
    app = load()
    assert _chain(_mount(app, "/v2.1/+")) == [
        "ComputeReqIdMiddleware", "FaultWrapper", "RequestBodySizeLimiter", "AuthToken",
        "NovaKeystoneContext", "APIRouter"]
    resp = webob.Request.blank("/v2.1/servers", headers={"X-Auth-Token": "t"}).get_response(app)
    assert resp.status_int not in (204, 401, 500)  # no noauth handshake, token accepted
    assert REQ_ID.match(resp.headers["x-openstack-request-id"])
    # Without a token the API refuses, but discovery still works (no auth filter there).
    assert webob.Request.blank("/v2.1/servers").get_response(app).status_int == 401
    for path in ("/", "/v2.1", "/v2.1/"):
        assert webob.Request.blank(path).get_response(app).status_int == 200
