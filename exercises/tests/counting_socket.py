"""A real socket that counts its sendall() calls, for the layer-2 exercise tests.

A reply must go out in ONE sendall (headers and body together): the
"many small sends" trap of notebooks/02_wsgi_server.ipynb.
"""

from __future__ import annotations


class CountingConnection:
    """Wraps a socket; every other attribute is the socket's own."""

    def __init__(self, sock):
        self._sock = sock
        self.sendall_calls = 0

    def sendall(self, data, *args):
        self.sendall_calls += 1
        return self._sock.sendall(data, *args)

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._sock.close()
