"""A stand-in for glance's image API v2: list, show and delete minova's images.

Not part of nova (nova is glance's *client*, minova/image/api.py). It exists so
that clients which resolve images through the image service, as the
``openstack`` CLI does for ``server create --image <name>``, work against
minova. ``minova-all`` serves it beside the identity stand-in, under ``/image``
(api-paste.ini, ``[composite:identity]``); the identity catalog points at it.
"""

from __future__ import annotations

import json

import webob.dec

from minova import context as nova_context
from minova import exception
from minova.image import api as image_api


def _json(body: dict, status: int = 200) -> webob.Response:
    resp = webob.Response(status=status, content_type="application/json", charset="UTF-8")
    resp.body = json.dumps(body).encode()
    return resp


def _v2(image: dict) -> dict:
    """Glance v2's image shape, from the v1-style dict minova's image API keeps."""
    stamp = image["created_at"].strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"id": image["id"], "name": image["name"], "status": image["status"],
            "visibility": "public" if image.get("is_public", True) else "private",
            "protected": False, "tags": [],
            "disk_format": image["disk_format"], "container_format": image["container_format"],
            "size": image["size"], "virtual_size": None, "checksum": image["checksum"],
            "min_ram": image["min_ram"], "min_disk": image["min_disk"],
            "owner": image["owner"], "created_at": stamp, "updated_at": stamp,
            "self": "/v2/images/" + image["id"], "file": "/v2/images/%s/file" % image["id"],
            "schema": "/v2/schemas/image", **image.get("properties", {})}


def _context(req):
    """The caller, from the identity stand-in's ``user:project`` token (none: an admin)."""
    token = req.headers.get("X-Auth-Token", "")
    if ":" not in token:
        return nova_context.get_admin_context()
    user, project = token.split(":", 1)
    return nova_context.RequestContext(user, project, is_admin=(user == "admin"))


@webob.dec.wsgify
def application(req):
    api, ctxt = image_api.API(), _context(req)
    path = req.path_info.rstrip("/")
    if req.method == "DELETE" and path.startswith("/v2/images/") and path.count("/") == 3:
        try:
            api.delete(ctxt, path.rsplit("/", 1)[1])
        except exception.ImageNotFound:
            return _json({"error": "No image found"}, 404)
        except exception.ImageNotAuthorized:
            return _json({"error": "Forbidden to delete this image"}, 403)
        return webob.Response(status=204)
    if req.method != "GET":
        return _json({"error": "not served by minova's image stand-in"}, 405)
    if path == "":
        return _json({"versions": [{"id": "v2.15", "status": "CURRENT", "links": [
            {"rel": "self", "href": req.application_url + "/v2/"}]}]}, 300)
    if path == "/v2/images":
        images = [_v2(i) for i in api.get_all(ctxt)]
        for key in ("name", "id", "status", "visibility"):
            if key in req.GET:
                images = [i for i in images if str(i[key]) == req.GET[key]]
        return _json({"images": images, "first": "/v2/images", "schema": "/v2/schemas/images"})
    if path.startswith("/v2/images/") and path.count("/") == 3:
        try:
            return _json(_v2(api.get(ctxt, path.rsplit("/", 1)[1])))
        except exception.ImageNotFound:
            return _json({"error": "No image found"}, 404)
    return _json({"error": "not served by minova's image stand-in"}, 404)


def app_factory(global_conf, **local_conf):
    return application
