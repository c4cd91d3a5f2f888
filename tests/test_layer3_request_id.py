"""Layer 3: the request-id filters (oslo-incubator base and nova's compute flavour)."""

from __future__ import annotations

import threading

import webob

from minova.api.compute_req_id import ComputeReqIdMiddleware
from minova.openstack.common.middleware import base, request_id


def _echo_id(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["openstack.request_id"].encode()]


def test_middleware_base_factory_returns_class_for_paste():
    assert request_id.RequestIdMiddleware.factory({}) is request_id.RequestIdMiddleware


def test_middleware_base_process_request_can_short_circuit():
    class Stop(base.Middleware):
        def process_request(self, req):
            return webob.Response("stopped")

    assert webob.Request.blank("/").get_response(Stop(_echo_id)).text == "stopped"


def test_request_id_middleware_sends_only_openstack_header():
    resp = webob.Request.blank("/").get_response(request_id.RequestIdMiddleware(_echo_id))
    assert resp.headers["x-openstack-request-id"] == resp.text
    assert "x-compute-request-id" not in resp.headers


def test_compute_req_id_sends_both_headers_with_environ_id():
    resp = webob.Request.blank("/").get_response(ComputeReqIdMiddleware(_echo_id))
    assert resp.headers["x-compute-request-id"] == resp.headers["x-openstack-request-id"]
    assert resp.headers["x-compute-request-id"] == resp.text


def test_request_id_keeps_header_set_below():
    def sets_own(environ, start_response):
        start_response("200 OK", [("x-compute-request-id", "req-from-below")])
        return [b""]

    resp = webob.Request.blank("/").get_response(ComputeReqIdMiddleware(sets_own))
    assert resp.headers.getall("x-compute-request-id") == ["req-from-below"]


def test_request_id_concurrent_requests_keep_their_own_id():
    """Two requests inside the filter at once each keep their own id (Juno: a local, too)."""
    barrier = threading.Barrier(2, timeout=5)

    def interleave(environ, start_response):
        barrier.wait()  # both requests are inside; both ids have been generated
        return _echo_id(environ, start_response)

    app = request_id.RequestIdMiddleware(interleave)
    results = []

    def call():
        resp = webob.Request.blank("/").get_response(app)
        results.append((resp.text, resp.headers["x-openstack-request-id"]))

    threads = [threading.Thread(target=call) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert len(results) == 2 and all(seen == header for seen, header in results)
    assert results[0][0] != results[1][0]
