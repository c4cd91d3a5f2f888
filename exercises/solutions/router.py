"""Exercise 4.1: rebuild nova's ``wsgi.Router`` over a ``routes.Mapper``.

Layer 4: notebooks/04_router.ipynb
Juno: nova/wsgi.py:432-486 (``Router``: ``__init__`` 435-461, ``__call__`` 463-470,
``_dispatch`` 472-486).  Check it with ``./course check 4.1`` (``--hint`` when stuck).
"""

from __future__ import annotations

import routes.middleware
import webob.dec
import webob.exc


@webob.dec.wsgify
def dispatch(req):
    """What ``RoutesMiddleware`` calls after matching (Juno's ``Router._dispatch``)."""
    match = req.environ["wsgiorg.routing_args"][1]
    if not match:
        return webob.exc.HTTPNotFound()
    return match["controller"]


class Router:
    """Send each request to the WSGI app that ``mapper`` names as its ``controller``."""

    def __init__(self, mapper):
        self.map = mapper
        self._router = routes.middleware.RoutesMiddleware(dispatch, self.map)

    @webob.dec.wsgify
    def __call__(self, req):
        return self._router
