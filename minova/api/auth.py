"""Pick the auth pipeline by ``auth_strategy``; build the context from keystone headers.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/auth.py
Now: nova/api/auth.py (only ``pipeline_factory_v21`` and ``NovaKeystoneContext`` remain)
"""

from __future__ import annotations

import importlib
import logging

import webob.dec
import webob.exc
from oslo_config import cfg

from minova import context, exception, wsgi
from minova.api.openstack import wsgi as os_wsgi

LOG = logging.getLogger(__name__)

auth_opts = [
    cfg.BoolOpt("api_rate_limit", default=False,
                help="Whether to use per-user rate limiting for the api."),
    # NOVA-DIFF: Juno's default is 'keystone'; minova defaults to 'noauth' so
    # it runs with no Keystone at all.  ``choices`` turns a typo into a clear
    # config error instead of a KeyError inside paste.deploy.
    cfg.StrOpt("auth_strategy", default="noauth", choices=("noauth", "keystone"),
               help="The strategy to use for auth: noauth or keystone."),
    cfg.BoolOpt("use_forwarded_for", default=False,
                help="Treat X-Forwarded-For as the canonical remote address. "
                     "Only enable this if you have a sanitizing proxy."),
]

CONF = cfg.CONF
CONF.register_opts(auth_opts)

# Filters whose code lives outside minova: name -> (module, what to install).
_OPTIONAL_FILTERS = {"authtoken": ("keystonemiddleware", "keystonemiddleware")}


def _check_optional_filters(names: list[str]) -> None:
    """Fail at start-up, with the fix in the message, if a filter's package is missing."""
    for name in names:
        if name not in _OPTIONAL_FILTERS:
            continue
        module, package = _OPTIONAL_FILTERS[name]
        try:
            importlib.import_module(module)
        except ImportError:
            raise exception.PipelineDependencyMissing(
                filter=name, package=package, strategy=CONF.auth_strategy) from None


def _load_pipeline(loader, pipeline: list[str]):
    """Build ``f1(f2(...(app)))`` from ``[f1, f2, ..., app]``: the first name is outermost.

    Juno: nova/api/auth.py:53-59 (what ``[pipeline:...]`` does, by hand).
    """
    _check_optional_filters(pipeline[:-1])
    filters = [loader.get_filter(name) for name in pipeline[:-1]]
    app = loader.get_app(pipeline[-1])
    for filter in reversed(filters):
        app = filter(app)
    return app


def pipeline_factory(loader, global_conf, **local_conf):
    """The v2 composite: the pipeline named by ``auth_strategy``.

    Without ``api_rate_limit`` a ``<strategy>_nolimit`` entry wins when the
    ini has one (Juno: nova/api/auth.py:62-75).
    """
    pipeline = local_conf[CONF.auth_strategy]
    if not CONF.api_rate_limit:
        limit_name = CONF.auth_strategy + "_nolimit"
        pipeline = local_conf.get(limit_name, pipeline)
    pipeline = pipeline.split()
    # Juno drops a leftover v3 rate-limit filter name from old ini files.
    if "ratelimit_v3" in pipeline:
        pipeline.remove("ratelimit_v3")
    LOG.debug("Loading %s pipeline: %s", CONF.auth_strategy, " ".join(pipeline))
    return _load_pipeline(loader, pipeline)


def pipeline_factory_v21(loader, global_conf, **local_conf):
    """The v2.1 composite: just the ``auth_strategy`` entry (Juno: nova/api/auth.py:78-80)."""
    return _load_pipeline(loader, local_conf[CONF.auth_strategy].split())


class InjectContext(wsgi.Middleware):
    """Put a fixed ``RequestContext`` into ``environ['nova.context']`` (for tests).

    Mirrors: nova.api.auth.InjectContext (nova/api/auth.py:87, 2014.2)
    """

    def __init__(self, context, *args, **kwargs):
        self.context = context
        super().__init__(*args, **kwargs)

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        req.environ["nova.context"] = self.context
        return self.application


class NovaKeystoneContext(wsgi.Middleware):
    """Build ``environ['nova.context']`` from the headers keystonemiddleware sets.

    Mirrors: nova.api.auth.NovaKeystoneContext (nova/api/auth.py:100, 2014.2)
    Simplified: no service catalog; ``is_admin`` is "has the admin role"
    (Juno asked the policy engine, whose default rule says the same).
    """

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        user_id = req.headers.get("X_USER_ID", req.headers.get("X_USER"))
        if user_id is None:
            LOG.debug("Neither X_USER_ID nor X_USER found in request")
            # NOVA-DIFF: Juno returned webob's plain 401 page; minova's JSON fault.
            return os_wsgi.Fault(webob.exc.HTTPUnauthorized())
        project_id = req.headers.get("X_TENANT_ID", req.headers.get("X_TENANT"))
        remote_address = req.remote_addr
        if CONF.use_forwarded_for:
            remote_address = req.headers.get("X-Forwarded-For", remote_address)
        req.environ["nova.context"] = context.RequestContext(
            user_id, project_id,
            user_name=req.headers.get("X_USER_NAME"),
            project_name=req.headers.get("X_TENANT_NAME"),
            roles=self._get_roles(req),
            is_admin="admin" in self._get_roles(req),
            auth_token=req.headers.get("X_AUTH_TOKEN", req.headers.get("X_STORAGE_TOKEN")),
            remote_address=remote_address,
            request_id=req.environ.get("openstack.request_id"))
        return self.application

    @staticmethod
    def _get_roles(req) -> list[str]:
        """``X_ROLES`` (or the deprecated ``X_ROLE``), comma separated."""
        roles = req.headers.get("X_ROLES", req.headers.get("X_ROLE", ""))
        return [r.strip() for r in roles.split(",") if r.strip()]
