"""Exercise 2.1: serve one HTTP request to a WSGI app over a socket.

Layer 2: notebooks/02_wsgi_server.ipynb
This is the job ``eventlet.wsgi.server`` did for Juno's ``nova.wsgi.Server``
(nova/wsgi.py:79): accept, parse, build the PEP 3333 environ, call the app, reply.
Check it with ``./course check 2.1`` (``--hint`` when stuck).
"""

from __future__ import annotations

import socket


def serve_one(sock: socket.socket, app) -> None:
    """Accept one connection on the listening ``sock``, answer it with ``app``, close it.

    1. read the request line, the header lines up to the blank line, and
       ``Content-Length`` bytes of body;
    2. build the environ dict PEP 3333 asks for (``wsgiref.validate`` must accept it);
    3. call ``app(environ, start_response)``, join what it returns, call its
       ``close()`` if it has one;
    4. send the status line, the headers, a blank line and the body in ONE
       ``sendall``, then close the connection.
    """
    raise NotImplementedError(
        "Exercise 2.1: write serve_one() in exercises/workspace/wsgi_loop.py"
        " -- see notebooks/02_wsgi_server.ipynb, section 'Exercise 2.1'")
