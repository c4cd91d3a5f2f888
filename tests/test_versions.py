"""Layer 3: the version documents, as the real clients' discovery code reads them."""

from __future__ import annotations

import os

import paste.deploy
import pytest
import webob
from keystoneauth1 import discover

import minova
from minova.api.openstack import wsgi as os_wsgi
from minova.api.openstack.compute import versions

PASTE_INI = os.path.join(os.path.dirname(minova.__file__), "etc", "api-paste.ini")
HOST = "http://api.example:8774"
CLIENT_KEYS = {"id", "status", "version", "min_version", "links"}  # facts file, section 4


@pytest.fixture
def app(conf):
    return paste.deploy.loadapp("config:" + PASTE_INI, name="osapi_compute")


def _get(app, url, **headers):
    return webob.Request.blank(url, headers=headers).get_response(app)


def _self_href(doc):
    return [link["href"] for link in doc["links"] if link["rel"] == "self"]


def test_versions_root_lists_both_versions_with_client_keys(app):
    resp = _get(app, HOST + "/")
    assert resp.status_int == 200 and resp.content_type == "application/json"
    docs = {v["id"]: v for v in resp.json["versions"]}
    assert set(docs) == {"v2.0", "v2.1"}
    for doc in docs.values():
        assert CLIENT_KEYS <= set(doc) and doc["updated"]
    assert _self_href(docs["v2.0"]) == [HOST + "/v2/"]
    assert _self_href(docs["v2.1"]) == [HOST + "/v2.1/"]
    assert (docs["v2.1"]["status"], docs["v2.1"]["min_version"], docs["v2.1"]["version"]) == (
        "CURRENT", "2.1", "2.1")
    assert (docs["v2.0"]["version"], docs["v2.0"]["min_version"]) == ("", "")


@pytest.mark.parametrize("path", ["/v2.1", "/v2.1/"])
def test_versions_v21_document_without_token(app, path):
    resp = _get(app, HOST + path)
    assert resp.status_int == 200
    doc = resp.json["version"]
    assert CLIENT_KEYS <= set(doc)
    assert doc["id"] == "v2.1" and doc["status"] == "CURRENT"
    assert doc["links"][0] == {"rel": "self", "href": HOST + "/v2.1/"}
    assert {"rel": "describedby", "type": "text/html",
            "href": "http://docs.openstack.org/"} in doc["links"]
    assert doc["media-types"] == [{"base": "application/json",
                                   "type": "application/vnd.openstack.compute+json;version=2.1"}]


def test_versions_documents_do_not_share_mutable_links(app):
    _get(app, "/v2.1/")
    _get(app, "/v2.1/")
    assert [link["rel"] for link in versions.VERSIONS["v2.1"]["links"]] == ["describedby"]


@pytest.mark.parametrize("path", ["/foo", "/v3/servers", "/v2.2/servers"])
def test_versions_unknown_prefix_answers_300_choices(app, path):
    resp = _get(app, HOST + path, **{"X-Auth-Token": "u:p"})
    assert resp.status_int == 300
    choices = {c["id"]: c for c in resp.json["choices"]}
    assert set(choices) == {"v2.0", "v2.1"}
    assert _self_href(choices["v2.1"]) == [HOST + "/v2.1" + path]
    assert choices["v2.0"]["media-types"][0]["base"] == "application/json"


def test_versions_links_follow_host_header(app):
    resp = _get(app, "/", Host="cloud.test:9999")
    assert _self_href(resp.json["versions"][1]) == ["http://cloud.test:9999/v2.1/"]


class _InProcessSession:
    """Enough of a keystoneauth Session for ``discover``: GETs go through the paste app."""

    def __init__(self, app):
        self.app = app

    def get(self, url, headers=None, authenticated=None):
        assert authenticated in (None, False), "discovery must not need a token"
        return _RequestsStyleResponse(
            webob.Request.blank(url, headers=headers or {}).get_response(self.app))


class _RequestsStyleResponse:
    """keystoneauth expects requests' ``json()`` method; webob has a ``json`` property."""

    def __init__(self, resp):
        self.status_code, self.headers, self.text = resp.status_int, resp.headers, resp.text
        self._body = resp.json_body

    def json(self):
        return self._body


@pytest.mark.parametrize("url", [HOST + "/", HOST + "/v2.1", HOST + "/v2.1/"])
def test_versions_keystoneauth_discovery_finds_v21_microversions(app, url):
    data = discover.Discover(_InProcessSession(app), url).version_data()
    v21 = [d for d in data if d["version"] == (2, 1)]
    assert len(v21) == 1
    assert v21[0]["url"] == HOST + "/v2.1/"
    assert (v21[0]["min_microversion"], v21[0]["max_microversion"]) == ((2, 1), (2, 1))
    assert v21[0]["status"] == discover.Status.CURRENT


def test_versions_keystoneauth_sees_v20_without_microversions(app):
    data = discover.Discover(_InProcessSession(app), HOST + "/").version_data()
    v20 = [d for d in data if d["version"] == (2, 0)]
    assert v20[0]["url"] == HOST + "/v2/" and v20[0]["max_microversion"] is None


def test_version_v2_show_for_router_mounts():
    """The controller H5's router connects at ``/``: v2.0 under /v2, v2.1 under /v2.1."""
    controller = versions.VersionV2()
    v2 = controller.show(webob.Request.blank("/", environ={"SCRIPT_NAME": "/v2"}))
    v21 = controller.show(webob.Request.blank("/", environ={"SCRIPT_NAME": "/v2.1"}))
    assert v2["version"]["id"] == "v2.0"
    assert v2["version"]["links"][0]["href"] == "http://localhost/v2/"
    assert v21["version"]["id"] == "v2.1"


def test_versions_create_resource_wraps_controller():
    if not hasattr(os_wsgi, "Resource"):
        pytest.skip("wsgi.Resource arrives with layer 5")
    resource = versions.create_resource()
    assert isinstance(resource.controller, versions.VersionV2)
