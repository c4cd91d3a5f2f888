"""Exercise 4.1: rebuild nova's ``wsgi.Router`` over a ``routes.Mapper``.

Layer 4: notebooks/04_router.ipynb
Juno: nova/wsgi.py:432-486 (``Router``: ``__init__`` 435-461, ``__call__`` 463-470,
``_dispatch`` 472-486).  Check it with ``./course check 4.1`` (``--hint`` when stuck).
"""

from __future__ import annotations

import webob.dec
import webob.exc

_TODO = ("Exercise 4.1: write dispatch() and Router in exercises/workspace/router.py"
         " -- see notebooks/04_router.ipynb, section 'Exercise 4.1'")


@webob.dec.wsgify
def dispatch(req):
    """What ``RoutesMiddleware`` calls after matching (Juno's ``Router._dispatch``).

    ``RoutesMiddleware`` has stored ``(url_generator, match)`` in
    ``req.environ['wsgiorg.routing_args']``; ``match`` is ``{}`` when no
    route matched.  Return webob's ``HTTPNotFound()`` then, otherwise the
    matched ``controller`` (a WSGI app: wsgify calls what you return).
    """
    raise NotImplementedError(_TODO)


class Router:
    """Send each request to the WSGI app that ``mapper`` names as its ``controller``.

    ``Router(mapper)`` keeps the mapper in ``self.map`` and a
    ``routes.middleware.RoutesMiddleware`` over ``dispatch`` and the mapper
    in ``self._router``; calling the router (a wsgify method) returns
    ``self._router``, so webob runs the middleware next.
    """

    def __init__(self, mapper):
        raise NotImplementedError(_TODO)

    @webob.dec.wsgify
    def __call__(self, req):
        raise NotImplementedError(_TODO)
