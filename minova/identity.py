"""A stand-in for Keystone: the identity v3 calls OpenStack clients make, and nothing more.

Not part of nova, and not a Keystone: it exists so that clients configured as
users configure them (``auth_type: password`` in a clouds.yaml) can talk to
minova. ``minova-all`` starts it on 127.0.0.1:5000 (``identity_listen_port``).

- ``GET /`` and ``GET /v3``: the version documents clients discover;
- ``POST /v3/auth/tokens``: password auth scoped to a project (by name or id).
  Any user and project exist and any password is accepted (this is minova's
  noauth scheme with a login form in front); the token is noauth's
  ``user:project``, so the compute API needs nothing new to understand it.
  The user ``admin`` gets the admin role, everyone the ``member`` and ``reader`` roles;
- ``GET /v3/auth/tokens``: validates a token (what keystonemiddleware asks).

The catalog lists ``compute``, the compute API's /v2.1 on the host the client
used and ``osapi_compute_listen_port``; ``identity``, this stand-in itself; and
``image``, the read-only glance stand-in served beside it under /image.
"""

from __future__ import annotations

import datetime
import json
import uuid

import webob.dec
import webob.exc
from oslo_config import cfg

identity_opts = [
    cfg.StrOpt("identity_listen", default="127.0.0.1",
               help="The IP address the identity stand-in listens on"),
    cfg.PortOpt("identity_listen_port", default=5000,
                help="The port the identity stand-in listens on (0: any free port)"),
    cfg.IntOpt("identity_workers", default=1,
               help="Number of workers for the identity stand-in"),
    cfg.BoolOpt("identity_in_all", default=True,
                help="minova-all also starts the identity stand-in"),
    cfg.StrOpt("identity_compute_url",
               help="The compute endpoint of the catalog (default: "
                    "http://<the host the client used>:<osapi_compute_listen_port>/v2.1)"),
]
CONF = cfg.CONF
CONF.register_opts(identity_opts)
CONF.import_opt("osapi_compute_listen_port", "minova.service")

DOMAIN = {"id": "default", "name": "Default"}
_MEDIA_TYPES = [{"base": "application/json",
                 "type": "application/vnd.openstack.identity-v3+json"}]


def _json(body: dict, status: int = 200, **headers) -> webob.Response:
    resp = webob.Response(status=status, content_type="application/json", charset="UTF-8")
    resp.body = json.dumps(body).encode()
    for name, value in headers.items():
        resp.headers[name.replace("_", "-")] = value
    return resp


def _error(status: int, title: str, message: str) -> webob.Response:
    """Keystone's error shape: {"error": {"code", "title", "message"}}."""
    return _json({"error": {"code": status, "title": title, "message": message}}, status)


def _version(req) -> dict:
    return {"id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
            "links": [{"rel": "self", "href": req.host_url + "/v3/"}],
            "media-types": _MEDIA_TYPES}


def _compute_url(req) -> str:
    if CONF.identity_compute_url:
        return CONF.identity_compute_url.rstrip("/")
    host = req.host.rsplit(":", 1)[0] if ":" in req.host else req.host
    return "http://%s:%d/v2.1" % (host, CONF.osapi_compute_listen_port)


def _name_or_id(ref: dict | None, what: str) -> str:
    if not isinstance(ref, dict) or not (ref.get("name") or ref.get("id")):
        raise ValueError("a %s name or id is required" % what)
    name = str(ref.get("name") or ref.get("id"))
    if ":" in name:  # the token is "user:project"
        raise ValueError("a %s name may not contain ':'" % what)
    return name


def _token_body(req, user: str, project: str, methods: list) -> dict:
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    roles = [{"id": "member", "name": "member"}, {"id": "reader", "name": "reader"}]
    if user == "admin":
        roles.append({"id": "admin", "name": "admin"})
    def endpoints(url):
        return [{"id": uuid.uuid5(uuid.NAMESPACE_URL, url + interface).hex,
                 "interface": interface, "region": "RegionOne", "region_id": "RegionOne",
                 "url": url} for interface in ("public", "internal", "admin")]
    return {"token": {
        "methods": methods,
        "user": {"id": user, "name": user, "domain": DOMAIN, "password_expires_at": None},
        "project": {"id": project, "name": project, "domain": DOMAIN},
        "roles": roles,
        "issued_at": now.isoformat().replace("+00:00", ".000000Z"),
        "expires_at": (now + datetime.timedelta(hours=12)).isoformat().replace(
            "+00:00", ".000000Z"),
        "audit_ids": [uuid.uuid4().hex[:22]],
        "catalog": [{"id": "compute", "type": "compute", "name": "nova",
                     "endpoints": endpoints(_compute_url(req))},
                    {"id": "identity", "type": "identity", "name": "keystone",
                     "endpoints": endpoints(req.host_url + "/v3")},
                    {"id": "image", "type": "image", "name": "glance",
                     "endpoints": endpoints(req.host_url + "/image")}],
    }}


def _authenticate(req) -> webob.Response:
    try:
        auth = json.loads(req.body)["auth"]
        identity = auth["identity"]
        methods = identity["methods"]
        if "password" in methods:
            user = _name_or_id(identity["password"]["user"], "user")
        elif "token" in methods:
            user = identity["token"]["id"].partition(":")[0]
        else:
            return _error(401, "Unauthorized", "Only password and token auth are served here.")
        scope = auth.get("scope") or {}
        project = _name_or_id(scope.get("project"), "project")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return _error(400, "Bad Request", "Invalid auth request: %s" % exc)
    token = "%s:%s" % (user, project)
    return _json(_token_body(req, user, project, methods), 201, X_Subject_Token=token)


@webob.dec.wsgify
def application(req):
    path = req.path_info.rstrip("/")
    if path == "" and req.method == "GET":
        return _json({"versions": {"values": [_version(req)]}}, 300)
    if path == "/v3" and req.method == "GET":
        return _json({"version": _version(req)})
    if path == "/v3/auth/tokens":
        if req.method == "POST":
            return _authenticate(req)
        if req.method in ("GET", "HEAD"):
            token = req.headers.get("X-Subject-Token", "")
            user, sep, project = token.partition(":")
            if not (user and sep and project):
                return _error(404, "Not Found", "Could not find token: %s" % token)
            return _json(_token_body(req, user, project, ["token"]), 200,
                         X_Subject_Token=token)
        if req.method == "DELETE":
            return webob.Response(status=204)
    return _error(404, "Not Found", "The identity stand-in serves only /v3/auth/tokens.")


def app_factory(global_conf, **local_conf):
    """paste: ``[app:identity] paste.app_factory = minova.identity:app_factory``."""
    return application
