"""Layer 3: minova's URLMap, tested on its own and against paste.urlmap (the real thing)."""

from __future__ import annotations

import json

import paste.deploy
import paste.urlmap
import pytest
import webob

from minova.api.openstack import urlmap

# The plain mounts both implementations understand (no "/+" wildcard).
PLAIN_MOUNTS = ["/", "/v1.1", "/v2", "/v2.1"]
PATHS = ["/", "/v2", "/v2/", "/v2/p/servers", "/v20", "//v2", "/v2.1", "/v2.1/",
         "/v2.1/servers", "/v1.1/p/servers/detail", "/foo", "/v3/servers", "/v2//p//servers"]


def _recorder(name):
    """A WSGI app that answers with what it saw, so tests can compare routing."""
    def app(environ, start_response):
        seen = {"app": name, "SCRIPT_NAME": environ["SCRIPT_NAME"],
                "PATH_INFO": environ["PATH_INFO"],
                "best": environ.get("nova.best_content_type")}
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(seen).encode()]
    return app


def _build(cls, mounts):
    m = cls()
    for path in mounts:
        m[paste.urlmap.parse_path_expression(path)] = _recorder(path)
    return m


def _seen(app, path, **headers):
    resp = webob.Request.blank(path, headers=headers).get_response(app)
    assert resp.status_int == 200, resp.body
    return resp.json


@pytest.mark.parametrize("path", PATHS)
def test_urlmap_plain_prefix_matches_paste_urlmap(path):
    ours, theirs = _build(urlmap.URLMap, PLAIN_MOUNTS), _build(paste.urlmap.URLMap, PLAIN_MOUNTS)
    mine, ref = _seen(ours, path), _seen(theirs, path)
    assert mine["best"] == "application/json"
    del mine["best"], ref["best"]
    assert mine == ref


def test_urlmap_longest_prefix_wins():
    seen = _seen(_build(urlmap.URLMap, PLAIN_MOUNTS), "/v2.1/servers")
    assert (seen["app"], seen["SCRIPT_NAME"], seen["PATH_INFO"]) == ("/v2.1", "/v2.1", "/servers")


def test_urlmap_v20_is_not_the_v2_mount():
    assert _seen(_build(urlmap.URLMap, PLAIN_MOUNTS), "/v20")["app"] == "/"


@pytest.mark.parametrize("path, app, script, rest", [
    ("/v2.1", "/v2.1", "/v2.1", ""),
    ("/v2.1/", "/v2.1", "/v2.1", "/"),
    ("/v2.1/servers", "/v2.1/+", "/v2.1", "/servers"),
    ("/v2.1/p/servers/detail", "/v2.1/+", "/v2.1", "/p/servers/detail"),
    ("/v2.1//servers", "/v2.1/+", "/v2.1", "/servers"),
])
def test_urlmap_wildcard_splits_document_from_api(path, app, script, rest):
    seen = _seen(_build(urlmap.URLMap, ["/", "/v2.1", "/v2.1/+"]), path)
    assert (seen["app"], seen["SCRIPT_NAME"], seen["PATH_INFO"]) == (app, script, rest)


def test_urlmap_accept_version_selects_app_without_path_prefix():
    seen = _seen(_build(urlmap.URLMap, PLAIN_MOUNTS), "/p/servers",
                 Accept="application/json;version=1.1")
    # Only SCRIPT_NAME grows: the path had no version prefix to move.
    assert (seen["app"], seen["SCRIPT_NAME"], seen["PATH_INFO"]) == ("/v1.1", "/v1.1", "/p/servers")


def test_urlmap_content_type_version_selects_app():
    seen = _seen(_build(urlmap.URLMap, PLAIN_MOUNTS), "/p/servers",
                 **{"Content-Type": "application/json;version=2"})
    assert seen["app"] == "/v2"


def test_urlmap_path_prefix_beats_accept_version():
    seen = _seen(_build(urlmap.URLMap, PLAIN_MOUNTS), "/v2/p/servers",
                 Accept="application/json;version=1.1")
    assert seen["app"] == "/v2"


def test_urlmap_records_best_content_type_from_accept():
    seen = _seen(_build(urlmap.URLMap, PLAIN_MOUNTS), "/v2/p",
                 Accept="application/vnd.openstack.compute+json")
    assert seen["best"] == "application/vnd.openstack.compute+json"


@pytest.mark.parametrize("accept", [";;", ";q", "application/json;q=abc", ",,,", "*/*;version",
                                    '"', "application/xml"])
def test_urlmap_garbled_accept_falls_back_to_json(accept):
    seen = _seen(_build(urlmap.URLMap, PLAIN_MOUNTS), "/v2/p", Accept=accept,
                 **{"Content-Type": ";version"})
    assert (seen["app"], seen["best"]) == ("/v2", "application/json")


def test_urlmap_without_root_mount_answers_json_404():
    resp = webob.Request.blank("/v9/x").get_response(_build(urlmap.URLMap, ["/v2"]))
    assert resp.status_int == 404
    assert resp.json["itemNotFound"]["code"] == 404


def test_parse_options_header_splits_params():
    assert urlmap.parse_options_header('application/json; version="1.1";q=0.5') == (
        "application/json", {"version": "1.1", "q": "0.5"})
    assert urlmap.parse_options_header("") == ("", {})


def test_parse_list_header_keeps_quoted_commas():
    assert urlmap.parse_list_header('token, "quoted, value"') == ["token", "quoted, value"]


@pytest.mark.parametrize("header, expected", [
    ("application/xml, application/json;q=0.5", "application/json"),
    ("*/*", "application/json"),
    ("application/*;q=0.9, application/vnd.openstack.compute+json",
     "application/vnd.openstack.compute+json"),
    ("text/html", None),
])
def test_accept_best_match(header, expected):
    supported = ["application/json", "application/vnd.openstack.compute+json"]
    assert urlmap.Accept(header).best_match(supported)[0] == expected


def test_accept_equal_quality_prefers_specific_mask():
    mime, params = urlmap.Accept("*/*;version=9, application/json;version=2").best_match(
        ["application/json"])
    assert (mime, params["version"]) == ("application/json", "2")


def test_urlmap_factory_matches_paste_urlmap_factory_through_paste_deploy(tmp_path):
    """The same ini graph built by paste's own factory and by minova's routes alike."""
    apps = "\n".join("[app:a%d]\npaste.app_factory = test_urlmap:recorder_factory\nname = %s\n"
                     % (i, m) for i, m in enumerate(PLAIN_MOUNTS))
    mounts = "\n".join("%s = a%d" % (m, i) for i, m in enumerate(PLAIN_MOUNTS))
    ini = tmp_path / "u.ini"
    ini.write_text("[composite:theirs]\nuse = egg:Paste#urlmap\n%s\n\n"
                   "[composite:ours]\nuse = call:minova.api.openstack.urlmap:urlmap_factory\n"
                   "%s\n\n%s" % (mounts, mounts, apps))
    ours = paste.deploy.loadapp("config:%s" % ini, name="ours")
    theirs = paste.deploy.loadapp("config:%s" % ini, name="theirs")
    assert isinstance(ours, urlmap.URLMap)
    for path in PATHS:
        mine, ref = _seen(ours, path), _seen(theirs, path)
        del mine["best"], ref["best"]
        assert mine == ref, path


def recorder_factory(global_conf, name):
    """paste ``app_factory`` used by the ini above."""
    return _recorder(name)
