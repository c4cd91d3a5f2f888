"""The version documents: ``GET /`` (all versions), ``GET /v2.1/`` and ``GET /v2/`` (one version).

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/openstack/compute/versions.py
Now: nova/api/openstack/compute/versions.py (``Versions``, ``VersionsV2``)
"""

from __future__ import annotations

import json
import logging

import webob
import webob.dec

from minova import wsgi as base_wsgi
from minova.api.openstack import wsgi
from minova.api.openstack.compute.views import versions as views_versions

LOG = logging.getLogger(__name__)

LINKS = {
    "v2.0": {"html": "http://docs.openstack.org/"},
    "v2.1": {"html": "http://docs.openstack.org/"},
}


def _version(id_: str, status: str, version: str, min_version: str, updated: str,
             media_version: str) -> dict:
    return {
        "id": id_,
        "status": status,
        "version": version,
        "min_version": min_version,
        "updated": updated,
        "links": [{"rel": "describedby", "type": "text/html", "href": LINKS[id_]["html"]}],
        "media-types": [{
            "base": "application/json",
            "type": "application/vnd.openstack.compute+json;version=%s" % media_version,
        }],
    }


# Juno (versions.py:38-79): v2.0 CURRENT, v2.1 EXPERIMENTAL (and hidden unless
# [osapi_v3] enabled), no version/min_version keys, plus XML media types.
VERSIONS = {
    # NOVA-DIFF: as nova master, v2.0 is no longer CURRENT and has empty
    # microversion strings ("no microversions"); minova still serves it fully,
    # so SUPPORTED rather than master's DEPRECATED.
    "v2.0": _version("v2.0", "SUPPORTED", "", "", "2011-01-21T11:33:21Z", "2"),
    # NOVA-DIFF: v2.1 is CURRENT with microversions 2.1..2.1: minova implements
    # the base microversion only, so clients negotiate exactly what it serves
    # (nova master advertises 2.1..2.104).
    "v2.1": _version("v2.1", "CURRENT", "2.1", "2.1", "2013-07-23T11:33:21Z", "2.1"),
}


def _json_response(body: dict, status: int = 200) -> webob.Response:
    return webob.Response(status=status, content_type="application/json", charset="UTF-8",
                          body=json.dumps(body).encode("utf-8"))


def _version_id_for(req) -> str:
    """``v2.1`` under a ``/v2.1`` mount, ``v2.0`` otherwise (master: ``is_legacy_v2``)."""
    return "v2.1" if req.script_name.rstrip("/").endswith("/v2.1") else "v2.0"


class Versions(base_wsgi.Application):
    """The app at ``/``: the list of versions, or 300 choices for any other path.

    The ``/`` mount is URLMap's catch-all, so unknown prefixes such as
    ``/v3/servers`` or ``/foo`` land here and get "300 Multiple Choices".

    Mirrors: nova.api.openstack.compute.versions.Versions
    (nova/api/openstack/compute/versions.py:220, 2014.2)
    Simplified: a plain WSGI app, not a ``wsgi.Resource`` (layer 5 comes later);
    JSON only.
    """

    def index(self, req) -> webob.Response:
        builder = views_versions.get_view_builder(req)
        return _json_response(builder.build_versions(VERSIONS))

    def multi(self, req) -> webob.Response:
        builder = views_versions.get_view_builder(req)
        return _json_response(builder.build_choices(VERSIONS, req), status=300)

    @staticmethod
    def get_action_args(request_environment) -> dict:
        """``/`` is ``index``; anything else is ``multi`` (Juno: versions.py:240-248)."""
        if request_environment["PATH_INFO"] == "/":
            return {"action": "index"}
        return {"action": "multi"}

    @webob.dec.wsgify(RequestClass=base_wsgi.Request)
    def __call__(self, req):
        action = self.get_action_args(req.environ)["action"]
        return getattr(self, action)(req)


class VersionsV2(base_wsgi.Application):
    """The app at ``/v2.1`` (no auth filter): that version's own document.

    NOVA-DIFF: not in Juno, where ``/v2.1`` went straight into the API
    pipeline (and noauth answered a token-less ``GET /v2.1/`` with 204).
    Current clients discover the API with an unauthenticated ``GET /v2.1``
    or ``GET /v2.1/``, so minova mounts this app there as nova master does
    (master: versions.py ``VersionsV2``, ``oscomputeversionapp_v2`` in api-paste.ini).
    """

    @webob.dec.wsgify(RequestClass=base_wsgi.Request)
    def __call__(self, req):
        builder = views_versions.get_view_builder(req)
        return _json_response(builder.build_version(VERSIONS[_version_id_for(req)]))


class VersionV2:
    """Controller for ``GET /v2/`` inside the compute router: the v2.0 document.

    Connect it as ``mapper.connect("versions", "/", controller=create_resource(),
    action="show")``; ``show`` returns a dict for ``Resource`` to serialize.

    Mirrors: nova.api.openstack.compute.versions.VersionV2
    (nova/api/openstack/compute/versions.py:251, 2014.2)
    """

    def show(self, req) -> dict:
        builder = views_versions.get_view_builder(req)
        # NOVA-DIFF: Juno always answered v2.0; a router mounted at /v2.1 gets
        # the v2.1 document, as master's VersionsV2 does.
        return builder.build_version(VERSIONS[_version_id_for(req)])


def create_resource():
    """``wsgi.Resource(VersionV2())`` for the router (Juno: versions.py:259-260)."""
    return wsgi.Resource(VersionV2())
