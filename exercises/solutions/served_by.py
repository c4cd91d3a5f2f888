"""Exercise 3.2 (reference solution): a paste filter of your own, wired into api-paste.ini.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno's filters are ``nova.wsgi.Middleware`` subclasses (nova/wsgi.py:333-393) named in
etc/nova/api-paste.ini as ``paste.filter_factory = module:Class.factory`` (e.g. faultwrap,
lines 89-90), or by a module-level function, as authtoken's
``keystonemiddleware.auth_token:filter_factory`` (lines 126-127).
"""

from __future__ import annotations

from minova import wsgi

HEADER = "X-Served-By"


class ServedByMiddleware(wsgi.Middleware):
    """Add ``X-Served-By: <served_by>`` to every response that passes through."""

    def __init__(self, application, served_by: str = "minova"):
        # Middleware.factory calls cls(app, **local_conf): the ini keys land here.
        super().__init__(application)
        self.served_by = served_by

    def process_response(self, response):
        response.headers[HEADER] = self.served_by
        return response


def filter_factory(global_conf, **local_conf):
    """paste.deploy's ``filter_factory`` protocol for ``ServedByMiddleware``."""
    def make_filter(app):
        return ServedByMiddleware(app, **local_conf)
    return make_filter
