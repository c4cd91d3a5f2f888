"""Turn quota limits (and rate limits) into the ``limits`` document of the API.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/views/limits.py (``ViewBuilder`` at 22)
Now: nova/api/openstack/compute/views/limits.py
"""

from __future__ import annotations

import datetime


class ViewBuilder:
    """``{"limits": {"rate": [...], "absolute": {...}}}``; quota names become API names.

    Mirrors: nova.api.openstack.compute.views.limits.ViewBuilder
    (nova/api/openstack/compute/views/limits.py:22, 2014.2)
    """

    # One quota can show under two names (metadata_items: servers and images).
    limit_names = {
        "ram": ["maxTotalRAMSize"],
        "instances": ["maxTotalInstances"],
        "cores": ["maxTotalCores"],
        "key_pairs": ["maxTotalKeypairs"],
        "floating_ips": ["maxTotalFloatingIps"],
        "metadata_items": ["maxServerMeta", "maxImageMeta"],
        "injected_files": ["maxPersonality"],
        "injected_file_content_bytes": ["maxPersonalitySize"],
        "security_groups": ["maxSecurityGroups"],
        "security_group_rules": ["maxSecurityGroupRules"],
    }

    def build(self, rate_limits, absolute_limits) -> dict:
        return {"limits": {"rate": self._build_rate_limits(rate_limits),
                           "absolute": self._build_absolute_limits(absolute_limits)}}

    def _build_absolute_limits(self, absolute_limits: dict) -> dict:
        """Quotas without an API name (fixed_ips, server_groups, ...) are left out."""
        limits = {}
        for name, value in absolute_limits.items():
            if name in self.limit_names and value is not None:
                for api_name in self.limit_names[name]:
                    limits[api_name] = value
        return limits

    def _build_rate_limits(self, rate_limits) -> list:
        """Group the limiter's entries by (URI, regex), one ``limit`` list each."""
        limits = []
        for rate_limit in rate_limits:
            key = next((limit for limit in limits if limit["uri"] == rate_limit["URI"]
                        and limit["regex"] == rate_limit["regex"]), None)
            if key is None:
                key = {"uri": rate_limit["URI"], "regex": rate_limit["regex"], "limit": []}
                limits.append(key)
            key["limit"].append(self._build_rate_limit(rate_limit))
        return limits

    @staticmethod
    def _build_rate_limit(rate_limit) -> dict:
        next_avail = datetime.datetime.fromtimestamp(rate_limit["resetTime"],
                                                     datetime.timezone.utc)
        return {"verb": rate_limit["verb"], "value": rate_limit["value"],
                "remaining": int(rate_limit["remaining"]), "unit": rate_limit["unit"],
                "next-available": next_avail.strftime("%Y-%m-%dT%H:%M:%SZ")}
