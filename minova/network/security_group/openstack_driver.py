"""Pick the security group API the compute API holds; minova has only nova's own 'default' group.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/network/security_group/openstack_driver.py (``get_openstack_security_group_driver``
35-41); the class lives in nova/api/openstack/compute/contrib/security_groups.py:700-707
Now: nova/network/security_group_api.py (neutron only)
"""

from __future__ import annotations

from minova import exception

DEFAULT_GROUP = "default"


class NativeNovaSecurityGroupAPI:
    """Security groups as nova-network kept them; every project has exactly 'default'.

    Mirrors: nova.api.openstack.compute.contrib.security_groups.NativeNovaSecurityGroupAPI
    (nova/api/openstack/compute/contrib/security_groups.py:700, 2014.2)
    Simplified: no rules, no create/delete; NOVA-DIFF: lives here, not in an API extension.
    """

    def get(self, context, name: str) -> dict:
        if name != DEFAULT_GROUP:
            raise exception.SecurityGroupNotFoundForProject(
                security_group_id=name, project_id=context.project_id)
        return {"name": DEFAULT_GROUP, "description": "default",
                "project_id": context.project_id, "rules": []}

    def validate_names(self, context, names: list[str]) -> list[str]:
        """Return the names if every group exists (Juno: _check_requested_secgroups)."""
        for name in names:
            self.get(context, name)
        return list(names)


def get_openstack_security_group_driver() -> NativeNovaSecurityGroupAPI:
    # NOVA-DIFF: Juno chooses by [DEFAULT] security_group_api (nova|neutron).
    return NativeNovaSecurityGroupAPI()
