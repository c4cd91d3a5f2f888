"""The Simple Tenant Usage extension: ``GET /os-simple-tenant-usage[/{tenant_id}]?start=&end=``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/simple_tenant_usage.py (``SimpleTenantUsageController``
at 77, ``Simple_tenant_usage`` at 308); the instances are
``instance_get_active_by_window_joined`` (nova/db/sqlalchemy/api.py:2134)
Now: nova/api/openstack/compute/simple_tenant_usage.py
"""

from __future__ import annotations

import datetime
import urllib.parse

import webob.exc

from minova import exception
from minova.api.openstack import extensions, wsgi
from minova.compute import flavors
from minova.db import api as db

# Juno's jsonutils wrote datetimes with timeutils.strtime: this format.
PERFECT_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _strtime(value: datetime.datetime | None) -> str | None:
    return value.strftime(PERFECT_TIME_FORMAT) if value else None


class SimpleTenantUsageController(wsgi.Controller):
    """Per project: hours, and vcpu/memory/disk hours, of the instances active in a window.

    Mirrors: nova.api.openstack.compute.contrib.simple_tenant_usage.SimpleTenantUsageController
    (nova/api/openstack/compute/contrib/simple_tenant_usage.py:77, 2014.2)
    NOVA-DIFF: minova's rows keep a flavorid, not memory_mb/vcpus/root_gb columns, so the
    figures come from the flavor; datetimes are naive UTC (Juno's objects were aware).
    """

    @staticmethod
    def _hours_for(instance, period_start, period_stop) -> float:
        launched_at, terminated_at = instance.launched_at, instance.terminated_at
        if terminated_at and terminated_at < period_start:
            return 0
        # nothing if it started after the usage report ended
        if launched_at and launched_at > period_stop:
            return 0
        if not launched_at:
            return 0  # instance hasn't launched, so no charge
        # charged from launch (or period start) to termination (or period end)
        start = max(launched_at, period_start)
        stop = min(period_stop, terminated_at) if terminated_at else period_stop
        dt = stop - start
        # Juno's arithmetic, microseconds / 100000.0 (sic) included.
        seconds = dt.days * 3600 * 24 + dt.seconds + dt.microseconds / 100000.0
        return seconds / 3600.0

    def _tenant_usages_for_period(self, context, period_start, period_stop, tenant_id=None,
                                  detailed=True) -> list[dict]:
        instances = db.instance_get_active_by_window_joined(context, period_start, period_stop,
                                                            tenant_id)
        rval: dict[str, dict] = {}
        now = _utcnow()
        for instance in instances:
            try:
                flavor = flavors.get_flavor_by_flavor_id(instance.flavor_id)
            except exception.FlavorNotFound:
                flavor = {"name": "", "memory_mb": 0, "vcpus": 0, "root_gb": 0,
                          "ephemeral_gb": 0}  # can't bill if there is no flavor
            info = {
                "hours": self._hours_for(instance, period_start, period_stop),
                "flavor": flavor["name"],
                "instance_id": instance.uuid,
                "name": instance.display_name,
                "memory_mb": flavor["memory_mb"],
                "local_gb": flavor["root_gb"] + flavor["ephemeral_gb"],
                "vcpus": flavor["vcpus"],
                "tenant_id": instance.project_id,
                "started_at": _strtime(instance.launched_at),
                "ended_at": _strtime(instance.terminated_at),
            }
            info["state"] = "terminated" if instance.terminated_at else instance.vm_state
            delta = (instance.terminated_at or now) - instance.launched_at
            info["uptime"] = delta.days * 24 * 3600 + delta.seconds

            if info["tenant_id"] not in rval:
                summary = {"tenant_id": info["tenant_id"]}
                if detailed:
                    summary["server_usages"] = []
                summary.update(total_local_gb_usage=0, total_vcpus_usage=0,
                               total_memory_mb_usage=0, total_hours=0,
                               start=_strtime(period_start), stop=_strtime(period_stop))
                rval[info["tenant_id"]] = summary
            summary = rval[info["tenant_id"]]
            summary["total_local_gb_usage"] += info["local_gb"] * info["hours"]
            summary["total_vcpus_usage"] += info["vcpus"] * info["hours"]
            summary["total_memory_mb_usage"] += info["memory_mb"] * info["hours"]
            summary["total_hours"] += info["hours"]
            if detailed:
                summary["server_usages"].append(info)
        return list(rval.values())

    @staticmethod
    def _parse_datetime(dtstr) -> datetime.datetime:
        if not dtstr:
            return _utcnow()
        for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f"):
            try:
                return datetime.datetime.strptime(dtstr, fmt)
            except (TypeError, ValueError):
                pass
        raise exception.InvalidStrTime(reason="Datetime is in invalid format")

    def _get_datetime_range(self, req):
        env = urllib.parse.parse_qs(req.environ.get("QUERY_STRING", ""))
        try:
            period_start = self._parse_datetime(env.get("start", [None])[0])
            period_stop = self._parse_datetime(env.get("end", [None])[0])
        except exception.InvalidStrTime as e:
            raise webob.exc.HTTPBadRequest(explanation=e.format_message())
        if not period_start < period_stop:
            raise webob.exc.HTTPBadRequest(explanation=(
                "Invalid start time. The start time cannot occur after the end time."))
        detailed = env.get("detailed", ["0"])[0] == "1"
        # a report never reaches into the future
        return period_start, min(period_stop, _utcnow()), detailed

    def index(self, req):
        """Retrieve tenant_usage for all tenants (Juno's policy: admins only)."""
        context = req.environ["nova.context"]
        if not context.is_admin:
            raise webob.exc.HTTPForbidden(
                explanation="Policy doesn't allow simple_tenant_usage:list.")
        period_start, period_stop, detailed = self._get_datetime_range(req)
        return {"tenant_usages": self._tenant_usages_for_period(
            context, period_start, period_stop, detailed=detailed)}

    def show(self, req, id):
        """Retrieve tenant_usage for a specified tenant (its members or admins)."""
        context = req.environ["nova.context"]
        if not context.is_admin and context.project_id != id:
            raise webob.exc.HTTPForbidden(
                explanation="Policy doesn't allow simple_tenant_usage:show.")
        period_start, period_stop, _detailed = self._get_datetime_range(req)
        usage = self._tenant_usages_for_period(context, period_start, period_stop,
                                               tenant_id=id, detailed=True)
        return {"tenant_usage": usage[0] if usage else {}}


class Simple_tenant_usage(extensions.ExtensionDescriptor):
    """Simple tenant usage extension."""

    name = "SimpleTenantUsage"
    alias = "os-simple-tenant-usage"
    namespace = "http://docs.openstack.org/compute/ext/os-simple-tenant-usage/api/v1.1"
    updated = "2011-08-19T00:00:00Z"

    def get_resources(self):
        return [extensions.ResourceExtension("os-simple-tenant-usage",
                                             SimpleTenantUsageController())]
