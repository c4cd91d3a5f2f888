"""Helpers the compute controllers share: pagination, state → status, links.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/common.py
Now: nova/api/openstack/common.py
"""

from __future__ import annotations

import datetime
import re
import urllib.parse

import webob.exc
from oslo_config import cfg

from minova.compute import task_states, vm_states

osapi_opts = [
    cfg.IntOpt("osapi_max_limit", default=1000,
               help="The maximum number of items returned in a single response "
                    "from a collection resource"),
]

CONF = cfg.CONF
CONF.register_opts(osapi_opts)

# vm_state → {task_state: API status}; 'default' when no task state matches.
_STATE_MAP = {
    vm_states.ACTIVE: {
        "default": "ACTIVE",
        task_states.REBOOTING: "REBOOT",
        task_states.REBOOT_PENDING: "REBOOT",
        task_states.REBOOT_STARTED: "REBOOT",
        task_states.REBOOTING_HARD: "HARD_REBOOT",
        task_states.REBOOT_PENDING_HARD: "HARD_REBOOT",
        task_states.REBOOT_STARTED_HARD: "HARD_REBOOT",
        task_states.REBUILDING: "REBUILD",
        task_states.REBUILD_SPAWNING: "REBUILD",
        task_states.RESIZE_PREP: "RESIZE",
        task_states.MIGRATING: "MIGRATING",
    },
    vm_states.BUILDING: {"default": "BUILD"},
    vm_states.STOPPED: {"default": "SHUTOFF", task_states.REBUILDING: "REBUILD",
                        task_states.REBUILD_SPAWNING: "REBUILD"},
    vm_states.RESIZED: {"default": "VERIFY_RESIZE"},
    vm_states.PAUSED: {"default": "PAUSED"},
    vm_states.SUSPENDED: {"default": "SUSPENDED"},
    vm_states.RESCUED: {"default": "RESCUE"},
    vm_states.ERROR: {"default": "ERROR", task_states.REBUILDING: "REBUILD",
                      task_states.REBUILD_SPAWNING: "REBUILD"},
    vm_states.DELETED: {"default": "DELETED"},
    vm_states.SOFT_DELETED: {"default": "SOFT_DELETED"},
    vm_states.SHELVED: {"default": "SHELVED"},
    vm_states.SHELVED_OFFLOADED: {"default": "SHELVED_OFFLOADED"},
}


def status_from_state(vm_state: str | None, task_state: str | None = "default") -> str:
    """The API's ``status`` (``BUILD``, ``ACTIVE``, ...) for a vm/task state pair."""
    task_map = _STATE_MAP.get(vm_state, {"default": "UNKNOWN"})
    return task_map.get(task_state, task_map["default"])


def task_and_vm_state_from_status(statuses: list[str]) -> tuple[list[str], list[str]]:
    """The reverse: which vm and task states show as one of ``statuses``."""
    vm_state_set, task_state_set = set(), set()
    lower = [s.lower() for s in statuses]
    for state, task_map in _STATE_MAP.items():
        for task_state, mapped in task_map.items():
            if mapped.lower() in lower:
                vm_state_set.add(state)
                task_state_set.add(task_state)
    return sorted(vm_state_set), sorted(task_state_set)


def _get_int_param(request, param: str) -> int:
    try:
        value = int(request.GET[param])
    except ValueError:
        raise webob.exc.HTTPBadRequest(explanation="%s param must be an integer" % param)
    if value < 0:
        raise webob.exc.HTTPBadRequest(explanation="%s param must be positive" % param)
    return value


def get_limit_and_marker(request, max_limit: int | None = None) -> tuple[int, str | None]:
    """``limit`` (capped at ``osapi_max_limit``) and ``marker`` from the query string."""
    max_limit = max_limit or CONF.osapi_max_limit
    limit = _get_int_param(request, "limit") if "limit" in request.GET else max_limit
    return min(max_limit, limit), request.GET.get("marker")


def get_id_from_href(href: str) -> str:
    """``http://h/v2/p/flavors/3`` → ``'3'``; a bare id comes back unchanged."""
    if "/" not in "%s" % href:
        return "%s" % href       # a bare id (the usual imageRef): nothing to parse
    try:
        return urllib.parse.urlsplit("%s" % href).path.split("/")[-1]
    except ValueError:  # e.g. "http://[abc/flavors/1": not a URL, so no id matches it
        return "%s" % href


def remove_version_from_href(href: str) -> str:
    """``http://h:8774/v2.1/p/servers/x`` → ``http://h:8774/p/servers/x`` (bookmark links)."""
    parsed = urllib.parse.urlsplit(href)
    parts = parsed.path.split("/", 2)
    if len(parts) > 1 and re.match(r"^v([0-9]+|[0-9]+\.[0-9]+)(/.*|$)", parts[1]):
        del parts[1]
    return urllib.parse.urlunsplit(parsed._replace(path="/".join(parts)))


def isotime(value: datetime.datetime | None) -> str:
    """``2014-10-16T12:00:00Z`` (Juno: nova/openstack/common/timeutils.py:34); naive datetimes are UTC."""
    if not value:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


def raise_http_conflict_for_instance_invalid_state(exc, action: str, server_id: str):
    """409 ``conflictingRequest`` naming the action and the state that forbids it."""
    attr, state = exc.kwargs.get("attr"), exc.kwargs.get("state")
    if attr and state:
        msg = "Cannot '%s' instance %s while it is in %s %s" % (action, server_id, attr, state)
    else:
        msg = "Instance %s is in an invalid state for '%s'" % (server_id, action)
    raise webob.exc.HTTPConflict(explanation=msg)


class ViewBuilder:
    """Model API responses as dictionaries; builds the ``links`` every resource carries.

    Mirrors: nova.api.openstack.common.ViewBuilder (nova/api/openstack/common.py:496, 2014.2)
    Simplified: no ``osapi_compute_link_prefix``; link bases are computed once per request.
    """

    _collection_name: str | None = None

    @staticmethod
    def _bases(request) -> tuple[str, str]:
        """(self-link base, bookmark base) for this request, computed once and cached.

        ``http://h/v2.1`` and ``http://h`` (the bookmark drops the version),
        each followed by ``/<project_id>`` when the URL carried one.
        """
        cached = request.environ.get("minova.link_bases")
        if cached is None:
            context = request.environ.get("nova.context")
            project_id = getattr(context, "project_id", None) or ""
            # NOVA-DIFF (as nova master): the project id appears in links only
            # when the client used it in the URL, so /v2.1/servers stays clean.
            if project_id and "/%s/" % project_id not in request.path_info + "/":
                project_id = ""
            suffix = "/" + project_id if project_id else ""
            app_url = request.application_url.rstrip("/")
            cached = (app_url + suffix, remove_version_from_href(app_url).rstrip("/") + suffix)
            request.environ["minova.link_bases"] = cached
        return cached

    def _get_href_link(self, request, identifier, collection_name: str) -> str:
        return "%s/%s/%s" % (self._bases(request)[0], collection_name, identifier)

    def _get_bookmark_link(self, request, identifier, collection_name: str) -> str:
        return "%s/%s/%s" % (self._bases(request)[1], collection_name, identifier)

    def _get_links(self, request, identifier, collection_name: str) -> list[dict]:
        self_base, bookmark_base = self._bases(request)
        return [
            {"rel": "self", "href": "%s/%s/%s" % (self_base, collection_name, identifier)},
            {"rel": "bookmark",
             "href": "%s/%s/%s" % (bookmark_base, collection_name, identifier)},
        ]

    def _get_next_link(self, request, identifier, collection_name: str) -> str:
        params = dict(request.GET)
        params["marker"] = identifier
        return "%s/%s?%s" % (self._bases(request)[0], collection_name,
                             urllib.parse.urlencode(params))

    def _get_collection_links(self, request, items: list[dict], collection_name: str,
                              id_key: str = "uuid") -> list[dict]:
        """A ``next`` link when the page is full (the client may have more to fetch)."""
        max_items = min(int(request.GET.get("limit", CONF.osapi_max_limit)),
                        CONF.osapi_max_limit)
        if not max_items or max_items != len(items):
            return []
        last = items[-1]
        last_id = last.get(id_key, last.get("id"))
        return [{"rel": "next",
                 "href": self._get_next_link(request, last_id, collection_name)}]
