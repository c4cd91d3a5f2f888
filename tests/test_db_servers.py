"""The database layer on real servers: PostgreSQL and MariaDB through ``[database] connection``.

SQLite is the default; a deployment names a server database instead, e.g.
``postgresql+psycopg2://postgres@127.0.0.1/minova`` or
``mysql+pymysql://root@127.0.0.1/minova``.  Each test gets a fresh database
of its own and drops it afterwards.  Without the server (a learner's machine)
the tests skip; with ``MINOVA_REQUIRE_DATABASES=1`` (.ci/run) they fail instead.
"""

from __future__ import annotations

import json
import os
import uuid

import pytest
import sqlalchemy
import webob
from conftest import wait_until

from minova import (
    conductor,  # noqa: F401  (registers the [conductor] options)
    context,
    exception,
    rpc,
    wsgi,
)
from minova import service as nova_service
from minova.db import api as db
from minova.db.sqlalchemy import api as db_impl

REQUIRE_ENV = "MINOVA_REQUIRE_DATABASES"
SERVERS = {
    "postgresql": "postgresql+psycopg2://postgres@127.0.0.1:5432/%s",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/%s",
}
ADMIN_DB = {"postgresql": "postgres", "mariadb": "mysql"}


def _skip_or_fail(reason: str):
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail("%s=1 but %s" % (REQUIRE_ENV, reason))
    pytest.skip(reason)


@pytest.fixture(params=sorted(SERVERS))
def server_db(request, conf):
    """A fresh, empty database on the server; ``[database] connection`` points at it."""
    kind = request.param
    name = "minova_test_%s" % uuid.uuid4().hex[:12]
    try:
        admin = sqlalchemy.create_engine(SERVERS[kind] % ADMIN_DB[kind],
                                         isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text("CREATE DATABASE %s" % name))
    except ImportError as exc:
        _skip_or_fail("%s driver not installed (pip install -e '.[test]'): %s" % (kind, exc))
    except sqlalchemy.exc.OperationalError as exc:
        _skip_or_fail("no %s server reachable: %s" % (kind, exc.orig))
    conf.set_override("connection", SERVERS[kind] % name, group="database")
    try:
        yield kind
    finally:
        db_impl.dispose_engine()
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text("DROP DATABASE %s" % name))
        admin.dispose()


def _new(ctxt, project="p1", **kw):
    values = dict(dict(uuid=str(uuid.uuid4()), project_id=project, display_name="vm",
                       vm_state="building", metadata_={"k": "v"},
                       addresses={"private": [{"addr": "10.0.0.2", "version": 4}]}), **kw)
    return db.instance_create(ctxt, values)


def test_db_server_creates_tables_and_round_trips_json_columns(server_db):
    ctxt = context.get_admin_context()
    inst = _new(ctxt)
    got = db.instance_get_by_uuid(ctxt, inst.uuid)
    assert db_impl.get_engine().dialect.name == {"postgresql": "postgresql",
                                                 "mariadb": "mysql"}[server_db]
    assert got.metadata_ == {"k": "v"}
    assert got.addresses["private"][0]["addr"] == "10.0.0.2"


def test_db_server_filters_pages_and_soft_deletes(server_db):
    ctxt = context.get_admin_context()
    a, b, c = _new(ctxt), _new(ctxt), _new(ctxt)
    _new(ctxt, project="p2")
    listed = [i.uuid for i in db.instance_get_all_by_filters(ctxt, {"project_id": "p1"})]
    assert listed == [c.uuid, b.uuid, a.uuid]
    page = db.instance_get_all_by_filters(ctxt, {"project_id": "p1"}, limit=1, marker=c.uuid)
    assert [i.uuid for i in page] == [b.uuid]
    db.instance_destroy(ctxt, b.uuid)
    with pytest.raises(exception.InstanceNotFound):
        db.instance_get_by_uuid(ctxt, b.uuid)


def test_db_server_name_is_a_regular_expression_and_image_flavor_exact(server_db):
    """Juno's regex_filter (nova/db/sqlalchemy/api.py:2038): ~ on PostgreSQL, REGEXP on MariaDB."""
    ctxt = context.get_admin_context()
    one = _new(ctxt, display_name="a-instance-1", image_ref="img1", flavor_id="1")
    _new(ctxt, display_name="other", image_ref="img2", flavor_id="2")
    found = lambda f: [i.uuid for i in db.instance_get_all_by_filters(ctxt, f)]  # noqa: E731
    assert found({"display_name": "-instance"}) == [one.uuid]
    assert found({"display_name": "^a-inst.*1$"}) == [one.uuid]
    assert found({"image_ref": "img1"}) == found({"flavor_id": "1"}) == [one.uuid]


def test_db_server_rejected_duplicate_leaves_nothing(server_db):
    ctxt = context.get_admin_context()
    inst = _new(ctxt)
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        db.instance_create(ctxt, dict(uuid=inst.uuid, project_id="p1"))
    assert len(db.instance_get_all_by_filters(ctxt, {})) == 1


def _request(app, method, path, body=None):
    req = webob.Request.blank("http://localhost/v2.1" + path, method=method, headers={
        "X-Auth-Token": "alice:proj1", "Content-Type": "application/json"})
    if body is not None:
        req.body = json.dumps(body).encode()
    resp = req.get_response(app)
    return resp.status_int, (json.loads(resp.body) if resp.body else {})


def test_db_server_create_through_the_api_reaches_active(server_db, conf):
    # The whole path on the server database: API -> conductor -> compute (memory transport).
    conf.set_override("transport_url", "memory://")
    rpc.set_defaults(control_exchange="nova")
    rpc.init(conf)
    services = []
    try:
        for binary, topic, manager in (("minova-compute", "compute", None),
                                       ("minova-conductor", "conductor", conf.conductor.manager)):
            svc = nova_service.Service.create(binary=binary, host="hostDB", topic=topic,
                                              manager=manager)
            svc.start()
            services.append(svc)
        app = wsgi.Loader().load_app("osapi_compute")
        image = _request(app, "GET", "/images")[1]["images"][0]["id"]
        status, body = _request(app, "POST", "/servers", {"server": {
            "name": "vm-db", "imageRef": image, "flavorRef": "1"}})
        assert status == 202, body
        server_id = body["server"]["id"]
        wait_until(lambda: _request(app, "GET", "/servers/" + server_id)[1]["server"]["status"]
                   == "ACTIVE", message="ACTIVE on %s" % server_db)
    finally:
        for svc in services:
            svc.stop()
        rpc.cleanup()
        rpc.set_defaults(control_exchange="openstack")
