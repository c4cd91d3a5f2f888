"""Task 4.3: register_both builds the same route table as minova's ProjectMapper."""

from __future__ import annotations

import pytest

from exercises._target import load
from minova.api import openstack

project_mapper = load("project_mapper")


class YourProjectMapper(openstack.APIMapper):
    """minova's ProjectMapper, with its resource() done by your register_both."""

    def resource(self, member_name, collection_name, **kwargs):
        project_mapper.register_both(self, member_name, collection_name, **kwargs)

RESOURCES = [
    (("server", "servers"), {"controller": "s", "collection": {"detail": "GET"},
                             "member": {"action": "POST"}}),
    (("image", "images"), {"controller": "i", "collection": {"detail": "GET"}}),
    (("ip", "ips"), {"controller": "n", "parent_resource": {"member_name": "server",
                                                            "collection_name": "servers"}}),
]


def _table(mapper):
    return [(route.routepath, tuple(route.conditions.get("method", ())),
             route.defaults.get("action"), route.defaults.get("controller"))
            for route in mapper.matchlist]


def _build(mapper_class):
    mapper = mapper_class()
    for args, kwargs in RESOURCES:
        mapper.resource(*args, **{k: (dict(v) if isinstance(v, dict) else v)
                                  for k, v in kwargs.items()})
    return mapper


def test_register_both_builds_minovas_route_table_in_order():
    assert _table(_build(YourProjectMapper)) == _table(_build(openstack.ProjectMapper))


@pytest.mark.parametrize("method,path,expected", [
    ("GET", "/p1/servers/detail", {"action": "detail", "project_id": "p1"}),
    ("GET", "/servers/detail", {"action": "detail"}),
    ("POST", "/p1/servers/abc/action", {"action": "action", "project_id": "p1", "id": "abc"}),
    ("POST", "/servers/abc/action", {"action": "action", "id": "abc"}),
    ("GET", "/p1/servers/abc/ips", {"action": "index", "project_id": "p1", "server_id": "abc"}),
    ("GET", "/servers/abc/ips/x", {"action": "show", "server_id": "abc", "id": "x"}),
    ("GET", "/servers/servers", {"action": "show", "id": "servers"}),   # Routes >= 2.5: longer static prefix first
])
def test_register_both_matches_both_forms(method, path, expected):
    match = _build(YourProjectMapper).match(
        path, {"REQUEST_METHOD": method, "PATH_INFO": path})
    assert {k: v for k, v in match.items() if k != "controller"} == expected


def test_register_both_leaves_the_callers_kwargs_alone():
    kwargs = {"controller": "c", "collection": {"detail": "GET"}}
    project_mapper.register_both(YourProjectMapper(), "thing", "things", **kwargs)
    assert kwargs == {"controller": "c", "collection": {"detail": "GET"}}
