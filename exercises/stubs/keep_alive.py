"""Exercise 2.2: serve several requests on one kept-alive connection.

Layer 2: notebooks/02_wsgi_server.ipynb
eventlet.wsgi's HttpProtocol did this for Juno's ``nova.wsgi.Server`` (nova/wsgi.py:79-261).
Check it with ``./course check 2.2`` (``--hint`` when stuck).
"""

from __future__ import annotations


def serve_connection(conn, app, address=("127.0.0.1", 0)) -> int:
    """Answer requests on the accepted ``conn`` until the client is done; return how many.

    ``conn`` is a connected socket (what ``accept()`` returned), ``address``
    the client's ``(host, port)``.  Loop:

    1. read a request: the request line (``b""`` means the client closed the
       connection: return), the header lines up to the blank line, then
       exactly ``Content-Length`` bytes of body (none without the header);
    2. build the PEP 3333 environ (as in Exercise 2.1, plus ``REMOTE_ADDR``
       and ``REMOTE_PORT``), call ``app``, join its body, ``close()`` it;
    3. decide whether the connection stays open (RFC 7230 6.3): HTTP/1.1 yes,
       unless the request or the app's headers say ``Connection: close``;
       HTTP/1.0 only when the request says ``Connection: keep-alive``;
    4. send ``HTTP/1.1 <status>``, the app's headers, ``Content-Length`` when
       the app gave none, ``Connection: close`` when closing, a blank line and
       the body, all in ONE ``sendall`` (also for big bodies);
    5. closing? return the count (the caller closes ``conn``); else go to 1.
    """
    raise NotImplementedError(
        "Exercise 2.2: write serve_connection() in exercises/workspace/keep_alive.py"
        " -- see notebooks/02_wsgi_server.ipynb, section 'Exercise 2.2'")
