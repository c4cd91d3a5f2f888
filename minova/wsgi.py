"""The first of nova's two ``wsgi.py`` files: the server, the paste loader, and WSGI base classes.

Layer 2 (``Server``, ``Loader``): notebooks/02_wsgi_server.ipynb
Layer 3 (``Application``, ``Middleware``): notebooks/03_paste_urlmap.ipynb
Layer 4 (``Router``): notebooks/04_router.ipynb

Not to be confused with ``minova/api/openstack/wsgi.py`` (``Resource``,
``Controller``, ``Fault``): this one knows nothing about the compute API.

Juno: nova/wsgi.py
Now: removed in 30.0.0; ``Application``/``Middleware``/``Router``/``Loader`` live
in nova/api/wsgi.py, and the server is uWSGI or gunicorn.
"""

from __future__ import annotations

import logging

import routes.middleware
import webob.dec
import webob.exc

LOG = logging.getLogger(__name__)


# --- Server and Loader (layer 2) ------------------------------------------
# PLACEHOLDER: written by the layer-2 work; see notebooks/02_wsgi_server.ipynb.


# --- WSGI base classes (layers 3-4) -----------------------------------------

class Request(webob.Request):
    """nova's request class: plain webob.

    Mirrors: nova.wsgi.Request (nova/wsgi.py:264, 2014.2)
    """


class Application:
    """Base WSGI application; ``factory`` is the paste ``app_factory`` hook.

    Mirrors: nova.wsgi.Application (nova/wsgi.py:268, 2014.2)
    """

    @classmethod
    def factory(cls, global_config, **local_config):
        """``paste.app_factory = module:Class.factory`` calls this with the ini section's keys."""
        return cls(**local_config)

    def __call__(self, environ, start_response):
        raise NotImplementedError("You must implement __call__")


class Middleware(Application):
    """Base WSGI middleware: wraps the next application in the pipeline.

    ``factory`` is the paste ``filter_factory`` hook: it returns a function
    that paste.deploy calls with the next app.  Subclasses override
    ``process_request`` (return a response to short-circuit) and/or
    ``process_response``, or ``__call__`` itself.

    Mirrors: nova.wsgi.Middleware (nova/wsgi.py:333, 2014.2)
    """

    @classmethod
    def factory(cls, global_config, **local_config):
        def _factory(app):
            return cls(app, **local_config)
        return _factory

    def __init__(self, application):
        self.application = application

    def process_request(self, req):
        """Return None to go on down the pipeline, or a response to stop here."""
        return None

    def process_response(self, response):
        return response

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        response = self.process_request(req)
        if response:
            return response
        response = req.get_response(self.application)
        return self.process_response(response)


class Router:
    """WSGI middleware that maps an incoming request to a WSGI app by URL.

    ``mapper`` is a ``routes.Mapper`` whose routes carry a ``controller``
    that is itself a WSGI app (in nova: a ``Resource``).  ``__call__`` hands
    the request to routes' ``RoutesMiddleware``, which matches the URL, stores
    the match in ``environ['wsgiorg.routing_args']`` and calls ``_dispatch``.

    Mirrors: nova.wsgi.Router (nova/wsgi.py:432, 2014.2)
    """

    def __init__(self, mapper):
        self.map = mapper
        self._router = routes.middleware.RoutesMiddleware(self._dispatch, self.map)

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        # Returning a WSGI app from a wsgify method makes webob call it next.
        return self._router

    @staticmethod
    @webob.dec.wsgify(RequestClass=Request)
    def _dispatch(req):
        """Called by RoutesMiddleware after matching: return the matched controller."""
        match = req.environ["wsgiorg.routing_args"][1]
        if not match:
            return webob.exc.HTTPNotFound()
        return match["controller"]
