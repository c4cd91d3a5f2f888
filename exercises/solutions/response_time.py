"""Exercise 2.3 (reference solution): a WSGI middleware that adds X-Response-Time.

Layer 2: notebooks/02_wsgi_server.ipynb
PEP 3333's "middleware" plays server to the app below it and app to the server
above it. nova's filters (nova/wsgi.py:333-393 ``Middleware``) do the same
through webob; this one speaks plain WSGI.
"""

from __future__ import annotations

import time


def response_time(app, header_name: str = "X-Response-Time"):
    """Wrap ``app``: every response gets ``header_name: <seconds, 6 decimals>``."""
    def middleware(environ, start_response):
        # A local of THIS call: the same middleware serves many threads at once.
        started = time.monotonic()

        def timed_start_response(status, headers, exc_info=None):
            seconds = time.monotonic() - started
            return start_response(status, list(headers) + [(header_name, "%.6f" % seconds)],
                                  exc_info)

        # Return the app's iterable itself, so the server still calls its close().
        return app(environ, timed_start_response)
    return middleware
