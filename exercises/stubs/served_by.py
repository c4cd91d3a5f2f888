"""Exercise 3.2: a paste filter of your own, wired into api-paste.ini.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno's filters are ``nova.wsgi.Middleware`` subclasses (nova/wsgi.py:333-393) named in
etc/nova/api-paste.ini as ``paste.filter_factory = module:Class.factory`` (e.g. faultwrap,
lines 89-90), or by a module-level function, as authtoken's
``keystonemiddleware.auth_token:filter_factory`` (lines 126-127).
Check it with ``./course check 3.2`` (``--hint`` when stuck).
"""

from __future__ import annotations

from minova import wsgi

HEADER = "X-Served-By"
_TODO = ("Exercise 3.2: write ServedByMiddleware and filter_factory() in"
         " exercises/workspace/served_by.py -- see notebooks/03_paste_urlmap.ipynb,"
         " section 'Exercise 3.2'")


class ServedByMiddleware(wsgi.Middleware):
    """Add ``X-Served-By: <served_by>`` to every response that passes through.

    ``ServedByMiddleware(app)`` signs responses with ``minova``;
    ``ServedByMiddleware(app, served_by="node-1")`` with ``node-1``.
    """

    def process_response(self, response):
        raise NotImplementedError(_TODO)


def filter_factory(global_conf, **local_conf):
    """paste.deploy's ``filter_factory`` protocol for ``ServedByMiddleware``.

    In api-paste.ini::

        [filter:served_by]
        paste.filter_factory = exercises.workspace.served_by:filter_factory
        served_by = node-1

    paste.deploy calls ``filter_factory(global_conf, served_by="node-1")`` once
    while loading, then calls what it returned with the next app of the
    pipeline; that second call must give the ``ServedByMiddleware`` around it.
    """
    raise NotImplementedError(_TODO)
