"""The request context: who is calling, for which project, and which request this is.

Layers 3-6: built by the auth filter (layer 3), read by controllers (layer 5),
carried over RPC as a dict (layer 6).

Juno: nova/context.py
Now: nova/context.py (on top of oslo.context)
"""

from __future__ import annotations

import uuid
from typing import Any


def generate_request_id() -> str:
    """``req-`` + a uuid4, 40 characters, as nova/openstack/common/context.py:27-28."""
    return "req-" + str(uuid.uuid4())


class RequestContext:
    """Security context and request information for one API request.

    Mirrors: nova.context.RequestContext (nova/context.py:40, 2014.2)
    Simplified: no policy engine (``is_admin`` must be given), no service
    catalog, no green-thread-local store.
    """

    def __init__(self, user_id: str | None, project_id: str | None,
                 is_admin: bool = False, read_deleted: str = "no",
                 roles: list[str] | None = None, remote_address: str | None = None,
                 request_id: str | None = None, auth_token: str | None = None,
                 user_name: str | None = None, project_name: str | None = None,
                 **kwargs: Any):
        self.user_id = user_id
        self.project_id = project_id
        self.is_admin = bool(is_admin)
        self.read_deleted = read_deleted
        self.roles = list(roles or [])
        self.remote_address = remote_address
        self.request_id = request_id or generate_request_id()
        self.auth_token = auth_token
        self.user_name = user_name
        self.project_name = project_name

    def to_dict(self) -> dict[str, Any]:
        """What travels over RPC (flattened into ``_context_<key>`` entries)."""
        return {
            "user_id": self.user_id,
            "project_id": self.project_id,
            "is_admin": self.is_admin,
            "read_deleted": self.read_deleted,
            "roles": self.roles,
            "remote_address": self.remote_address,
            "request_id": self.request_id,
            "auth_token": self.auth_token,
            "user_name": self.user_name,
            "project_name": self.project_name,
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> RequestContext:
        return cls(**values)

    def elevated(self) -> RequestContext:
        """A copy with admin rights, as the conductor and compute use internally."""
        ctx = self.from_dict(self.to_dict())
        ctx.is_admin = True
        if "admin" not in ctx.roles:
            ctx.roles.append("admin")
        return ctx

    def __repr__(self) -> str:
        return "<RequestContext user=%s project=%s admin=%s %s>" % (
            self.user_id, self.project_id, self.is_admin, self.request_id)


def get_admin_context(read_deleted: str = "no") -> RequestContext:
    """Context for service-internal work (no user, no project)."""
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          read_deleted=read_deleted)
