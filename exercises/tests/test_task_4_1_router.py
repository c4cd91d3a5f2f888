"""Task 4.1: a minimal Router answers a table of requests exactly as minova's wsgi.Router."""

from __future__ import annotations

import pytest
import routes
import webob
import webob.dec

from exercises._target import load
from minova import wsgi

router_mod = load("router")


def _app(name):
    @webob.dec.wsgify
    def app(req):
        match = req.environ["wsgiorg.routing_args"][1]
        args = ",".join("%s=%s" % (k, match[k]) for k in sorted(match) if k != "controller")
        return webob.Response(text="%s %s %s" % (name, req.method, args))
    return app


def _mapper():
    mapper = routes.Mapper()
    mapper.redirect("", "/")
    mapper.connect("/", controller=_app("versions"), action="show",
                   conditions={"method": ["GET"]})
    mapper.resource("server", "servers", controller=_app("servers"),
                    collection={"detail": "GET"}, member={"action": "POST"})
    return mapper


REQUESTS = [
    ("GET", "/"), ("GET", ""), ("GET", "/servers"), ("POST", "/servers"),
    ("GET", "/servers/detail"), ("GET", "/servers/abc"), ("PUT", "/servers/abc"),
    ("DELETE", "/servers/abc"), ("POST", "/servers/abc/action"), ("GET", "/servers/abc/action"),
    ("GET", "/nothing/here"), ("PATCH", "/servers"), ("POST", "/servers?_method=DELETE"),
]


def _answer(app, method, path):
    resp = webob.Request.blank(path, method=method, environ={"SCRIPT_NAME": "/v2"}).get_response(app)
    return resp.status_int, resp.headers.get("Location"), resp.text


@pytest.mark.parametrize("method,path", REQUESTS)
def test_router_answers_like_minovas_router(method, path):
    mapper = _mapper()
    assert _answer(router_mod.Router(mapper), method, path) == _answer(wsgi.Router(mapper), method, path)


def test_router_keeps_the_mapper_and_the_middleware():
    mapper = _mapper()
    router = router_mod.Router(mapper)
    assert router.map is mapper
    assert isinstance(router._router, routes.middleware.RoutesMiddleware)
    assert router._router.mapper is mapper


def test_router_call_returns_the_routes_middleware():
    router = router_mod.Router(_mapper())
    # wsgify's .func is the undecorated method: it must hand back an app, not a response.
    assert type(router).__call__.func(router, webob.Request.blank("/")) is router._router


def test_router_sends_detail_to_the_collection_route():
    status, _, text = _answer(router_mod.Router(_mapper()), "GET", "/servers/detail")
    assert (status, text) == (200, "servers GET action=detail")


def test_router_dispatch_404_without_a_match():
    req = webob.Request.blank("/x", environ={"wsgiorg.routing_args": ((), {})})
    assert req.get_response(router_mod.dispatch).status_int == 404
