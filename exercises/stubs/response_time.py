"""Exercise 2.3: a WSGI middleware that adds X-Response-Time.

Layer 2: notebooks/02_wsgi_server.ipynb
PEP 3333's "middleware" plays server to the app below it and app to the server
above it. nova's filters (nova/wsgi.py:333-393 ``Middleware``) do the same
through webob; this one speaks plain WSGI.
Check it with ``./course check 2.3`` (``--hint`` when stuck).
"""

from __future__ import annotations


def response_time(app, header_name: str = "X-Response-Time"):
    """Wrap ``app``: every response gets ``header_name: <seconds, 6 decimals>``.

    Return a new WSGI callable ``middleware(environ, start_response)`` that
    remembers when it was called, calls ``app`` with its OWN start_response,
    and there adds ``(header_name, "%.6f" % seconds_so_far)`` to the app's
    headers before passing them on (headers go out before the body, so the
    time until ``start_response`` is what a header can carry). Pass
    ``exc_info`` on when the app gives one, and return the app's iterable
    unchanged, so the server still calls its ``close()``.

    Many connection threads run the SAME middleware at once: keep the start
    time per call, never on a shared object.
    """
    raise NotImplementedError(
        "Exercise 2.3: write response_time() in exercises/workspace/response_time.py"
        " -- see notebooks/02_wsgi_server.ipynb, section 'Exercise 2.3'")
