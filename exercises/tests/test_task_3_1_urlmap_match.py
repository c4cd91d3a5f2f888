"""Task 3.1: match() picks the app at the longest URL prefix, exactly as paste.urlmap does."""

from __future__ import annotations

import paste.urlmap
import pytest

from exercises._target import load

urlmap_match = load("urlmap_match")

JUNO_MOUNTS = {"/": "versions", "/v2": "openstack_compute_api_v2", "/v1.1": "v1.1_app"}


def test_match_picks_the_longest_prefix():
    mounts = {"/": "root", "/v2": "v2", "/v2/admin": "admin"}
    assert urlmap_match.match(mounts, "/v2/admin/servers") == ("admin", "/v2/admin", "/servers")
    assert urlmap_match.match(mounts, "/v2/p/servers") == ("v2", "/v2", "/p/servers")


def test_match_stops_at_segment_boundaries():
    assert urlmap_match.match(JUNO_MOUNTS, "/v20/servers") == ("versions", "", "/v20/servers")


def test_match_normalises_mount_urls_and_path():
    mounts = {"/v2/": "v2"}
    assert urlmap_match.match(mounts, "//v2//servers") == ("v2", "/v2", "/servers")


def test_match_returns_none_when_nothing_is_mounted_there():
    assert urlmap_match.match({"/v2": "v2"}, "/other") is None


def _paste_split(mounts: dict, path: str):
    """What paste.urlmap.URLMap itself does with the same mounts and path."""
    mapper = paste.urlmap.URLMap(not_found_app=lambda environ, start_response: None)
    seen = {}
    for url, name in mounts.items():
        def app(environ, start_response, name=name):
            seen["hit"] = (name, environ["SCRIPT_NAME"], environ["PATH_INFO"])
        mapper[url] = app
    mapper({"PATH_INFO": path, "SCRIPT_NAME": "", "HTTP_HOST": "localhost",
            "wsgi.url_scheme": "http"}, None)
    return seen.get("hit")


@pytest.mark.parametrize("path", ["/", "", "/v2", "/v2/", "/v2/p/servers/detail", "/v1.1/x",
                                  "/v1", "/v2.1/servers", "//v2//p", "/v2x"])
@pytest.mark.parametrize("mounts", [JUNO_MOUNTS, {"/v2": "a", "/v2/p": "b"}])
def test_match_agrees_with_paste_urlmap(mounts, path):
    assert urlmap_match.match(mounts, path) == _paste_split(mounts, path)
