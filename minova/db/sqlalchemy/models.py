"""The tables minova keeps: instances and (compute/conductor) services.

Layers 5-6: notebooks/05_resource_dispatch.ipynb, notebooks/06_conductor_cast.ipynb
Juno: nova/db/sqlalchemy/models.py (Instance at line 163, Service at line 65)
Now: nova/db/main/models.py
"""

from __future__ import annotations

import datetime

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class BASE(DeclarativeBase):
    pass


class TimestampMixin:
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=_utcnow)
    updated_at: Mapped[datetime.datetime | None] = mapped_column(DateTime, onupdate=_utcnow)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    # nova's soft delete: 0 while alive, the row id once deleted.
    deleted: Mapped[int] = mapped_column(Integer, default=0)


class Instance(TimestampMixin, BASE):
    """A server as the API and the compute service see it.

    Mirrors: nova.db.sqlalchemy.models.Instance (nova/db/sqlalchemy/models.py:163, 2014.2)
    Simplified: a handful of the ~70 columns; flavor kept by its flavorid.
    """

    __tablename__ = "instances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, index=True)
    project_id: Mapped[str] = mapped_column(String(255), index=True)
    user_id: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(255))
    image_ref: Mapped[str | None] = mapped_column(String(255))
    flavor_id: Mapped[str | None] = mapped_column(String(255))
    reservation_id: Mapped[str | None] = mapped_column(String(255))
    vm_state: Mapped[str | None] = mapped_column(String(255))
    task_state: Mapped[str | None] = mapped_column(String(255))
    power_state: Mapped[int] = mapped_column(Integer, default=0)
    host: Mapped[str | None] = mapped_column(String(255))
    node: Mapped[str | None] = mapped_column(String(255))
    access_ip_v4: Mapped[str | None] = mapped_column(String(39))
    access_ip_v6: Mapped[str | None] = mapped_column(String(39))
    key_name: Mapped[str | None] = mapped_column(String(255))
    availability_zone: Mapped[str | None] = mapped_column(String(255))
    launched_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    terminated_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    metadata_: Mapped[dict] = mapped_column("metadata", JSON, default=dict)
    # Network info cache (nova keeps it in instance_info_caches): {label: [{"addr", "version"}]}
    addresses: Mapped[dict] = mapped_column(JSON, default=dict)
    security_groups: Mapped[list] = mapped_column(JSON, default=list)
    fault: Mapped[str | None] = mapped_column(Text)


class Service(TimestampMixin, BASE):
    """A running conductor or compute service; compute rows tell the conductor where to build.

    Mirrors: nova.db.sqlalchemy.models.Service (nova/db/sqlalchemy/models.py:65, 2014.2)
    """

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    host: Mapped[str] = mapped_column(String(255))
    binary: Mapped[str] = mapped_column(String(255))
    topic: Mapped[str] = mapped_column(String(255))
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    disabled: Mapped[bool] = mapped_column(Integer, default=0)


class KeyPair(TimestampMixin, BASE):
    """A user's ssh public key, by name (the keypairs extension; ``key_name`` on create).

    Mirrors: nova.db.sqlalchemy.models.KeyPair (nova/db/sqlalchemy/models.py:731, 2014.2)
    """

    __tablename__ = "key_pairs"
    __table_args__ = (UniqueConstraint("user_id", "name", "deleted",
                                       name="uniq_key_pairs0user_id0name0deleted"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(255))
    public_key: Mapped[str] = mapped_column(Text)


class Image(TimestampMixin, BASE):
    """A snapshot image: what createImage asks the image service to keep.

    Not a nova table: in Juno the image service (glance) keeps images in its own
    database. minova keeps snapshots here, so every API worker, the compute
    service and the image stand-in see the same ones; the four public images of
    minova/image/api.py stay fixed in code.
    """

    __tablename__ = "images"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(30))
    owner: Mapped[str | None] = mapped_column(String(255))
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    disk_format: Mapped[str | None] = mapped_column(String(30))
    container_format: Mapped[str | None] = mapped_column(String(30))
    size: Mapped[int | None] = mapped_column(BigInteger)
    min_ram: Mapped[int] = mapped_column(Integer, default=0)
    min_disk: Mapped[int] = mapped_column(Integer, default=0)
    properties: Mapped[dict] = mapped_column(JSON, default=dict)


class InstanceAction(TimestampMixin, BASE):
    """One user-started action on an instance, keyed by the request that started it.

    Mirrors: nova.db.sqlalchemy.models.InstanceAction (nova/db/sqlalchemy/models.py:1239, 2014.2)
    Simplified: no instance_action_events table (events are not recorded).
    """

    __tablename__ = "instance_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(255))
    instance_uuid: Mapped[str] = mapped_column(String(36), index=True)
    request_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str | None] = mapped_column(String(255))
    project_id: Mapped[str | None] = mapped_column(String(255))
    start_time: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    finish_time: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    message: Mapped[str | None] = mapped_column(String(255))
