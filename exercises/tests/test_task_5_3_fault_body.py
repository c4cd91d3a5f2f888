"""Task 5.3: fault_body() gives the body minova's (and nova's) Fault renders, for every code."""

from __future__ import annotations

import pytest
import webob
import webob.exc

from exercises._target import load
from minova.api.openstack import wsgi

fault_body = load("fault_body")

CODES = [400, 401, 403, 404, 405, 409, 413, 415, 429, 501, 503, 422, 500, 502, 504]


def rendered(code, message, headers=None):
    """What minova's Fault sends for a webob error with this code, message and headers."""
    exc = webob.exc.status_map[code](explanation=message, headers=headers or {})
    return wsgi.Fault(exc)(webob.Request.blank("/")).json


@pytest.mark.parametrize("code", CODES)
def test_fault_body_matches_minovas_fault(code):
    message = "something about %d" % code
    assert fault_body.fault_body(code, message) == rendered(code, message)


def test_fault_body_known_names():
    assert fault_body.fault_body(404, "Instance could not be found") == \
        {"itemNotFound": {"code": 404, "message": "Instance could not be found"}}
    assert list(fault_body.fault_body(422, "x")) == ["computeFault"]
    assert list(fault_body.fault_body(429, "x")) == list(fault_body.fault_body(413, "x")) == \
        ["overLimit"]


@pytest.mark.parametrize("code", [413, 429, 400, 503])
def test_fault_body_retry_after_only_for_413_and_429(code):
    headers = {"Retry-After": "30"}
    assert fault_body.fault_body(code, "slow down", headers) == \
        rendered(code, "slow down", headers)
    (detail,) = fault_body.fault_body(code, "x", headers).values()
    assert ("retryAfter" in detail) == (code in (413, 429))
    (detail,) = fault_body.fault_body(code, "x").values()
    assert "retryAfter" not in detail
