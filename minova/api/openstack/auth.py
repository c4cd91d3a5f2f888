"""No authentication at all: the token ``user:project`` says who you are.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/openstack/auth.py
Now: removed in 32.0.0 (nova master has only the keystone pipeline)
"""

from __future__ import annotations

import logging

import webob
import webob.dec
import webob.exc
from oslo_config import cfg

from minova import context
from minova import wsgi as base_wsgi
from minova.api.openstack import wsgi as os_wsgi

LOG = logging.getLogger(__name__)

CONF = cfg.CONF
CONF.import_opt("use_forwarded_for", "minova.api.auth")


class NoAuthMiddlewareBase(base_wsgi.Middleware):
    """Trust whatever the client claims: ``X-Auth-Token: user:project``.

    Without a token it plays the old Auth 1.1 handshake: a 204 whose headers
    hand out a token and the management URL to use with it.

    Mirrors: nova.api.openstack.auth.NoAuthMiddlewareBase (nova/api/openstack/auth.py:29, 2014.2)
    """

    def base_call(self, req, project_id_in_path: bool):
        if "X-Auth-Token" not in req.headers:
            return self._handshake(req, project_id_in_path)
        user_id, _sep, project_id = req.headers["X-Auth-Token"].partition(":")
        project_id = project_id or user_id
        if not user_id:
            # NOVA-DIFF: Juno accepted "" or ":x" and ran the request as user "";
            # minova tells the client its token is unusable.
            return os_wsgi.Fault(webob.exc.HTTPUnauthorized(
                explanation="Bad X-Auth-Token: noauth expects 'user:project'."))
        req.environ["nova.context"] = self._make_context(req, user_id, project_id)
        return self.application

    @staticmethod
    def _handshake(req, project_id_in_path: bool):
        """204 with ``X-Auth-Token`` and ``X-Server-Management-Url`` (Auth 1.1)."""
        user_id = req.headers.get("X-Auth-User", "admin")
        project_id = req.headers.get("X-Auth-Project-Id", "admin")
        os_url = req.url.rstrip("/")
        if project_id_in_path:
            os_url = "/".join([os_url, project_id])
        res = webob.Response()
        res.headers["X-Auth-Token"] = "%s:%s" % (user_id, project_id)
        res.headers["X-Server-Management-Url"] = os_url
        res.content_type = "text/plain"
        res.status = "204"
        return res

    @staticmethod
    def _make_context(req, user_id: str, project_id: str) -> context.RequestContext:
        # NOVA-DIFF: Juno read ``req.remote_address``, which webob does not
        # have, so it was always 127.0.0.1 (fixed in nova 5e6b9a8698, 2022).
        remote_address = req.remote_addr or "127.0.0.1"
        if CONF.use_forwarded_for:
            remote_address = req.headers.get("X-Forwarded-For", remote_address)
        # NOVA-DIFF: Juno made every noauth caller admin (is_admin=True); like
        # later nova's noauth2, only the user "admin" is admin here.
        is_admin = user_id == "admin"
        # NOVA-DIFF: Juno passed no request_id, so the context invented a second
        # id that matched no response header; minova reuses the pipeline's id.
        return context.RequestContext(
            user_id, project_id, is_admin=is_admin,
            roles=["admin"] if is_admin else ["member"],
            remote_address=remote_address,
            request_id=req.environ.get("openstack.request_id"))


class NoAuthMiddleware(NoAuthMiddlewareBase):
    """The v2 noauth filter: the handshake's management URL ends in the project id.

    Mirrors: nova.api.openstack.auth.NoAuthMiddleware (nova/api/openstack/auth.py:65, 2014.2)
    """

    @webob.dec.wsgify(RequestClass=base_wsgi.Request)
    def __call__(self, req):
        return self.base_call(req, True)
