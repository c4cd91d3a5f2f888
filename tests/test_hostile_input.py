"""Hostile and malformed requests against a real ``minova-api`` (issue 10: the first slice).

Two forked workers on 127.0.0.1, a private state folder, raw sockets. Every case
must get an answer (a clean 4xx; a 2xx or 3xx where the request is in fact fine),
never a 5xx, never a dropped connection where HTTP allows an answer, never a
traceback or a file path in the body, and a 4xx from the API is nova's fault
shape (``{"badRequest": {"code": 400, "message": ...}}``). A rejected create leaves
no row. After the whole corpus both workers are alive and still serving.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import sqlite3
import sys

import pytest
from test_launcher_process import ProcessWatcher

MINOVA_API = shutil.which("minova-api", path=os.path.dirname(sys.executable))
IMAGE = "cedef40a-ed67-4d10-800e-17455edce175"
SERVER = "@SERVER@"  # replaced by a real server's id in the cases that need one


def _create(**fields) -> str:
    server = {"name": "vm", "imageRef": IMAGE, "flavorRef": "1", **fields}
    return json.dumps({"server": server})


def _http(method: str, path: str, body=None, headers=None, content_type="application/json",
          token="u1:p1") -> bytes:
    """A request as bytes; ``body`` str (surrogates kept) or bytes; Connection: close."""
    head = {"Host": "127.0.0.1", "Connection": "close"}
    if token is not None:
        head["X-Auth-Token"] = token
    head.update(headers or {})
    if body is not None:
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        if content_type:
            head["Content-Type"] = content_type
        head.setdefault("Content-Length", str(len(body)))
    lines = "%s %s HTTP/1.1\r\n" % (method, path) + "".join(
        "%s: %s\r\n" % kv for kv in head.items()) + "\r\n"
    return lines.encode("latin-1") + (body or b"")


def _chunked(*chunks: bytes, path="/v2.1/servers") -> bytes:
    return (b"POST %s HTTP/1.1\r\nHost: x\r\nX-Auth-Token: u1:p1\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            % path.encode() + b"".join(chunks))


S = "/v2.1/servers/" + SERVER
ACTION = S + "/action"

# (name, request bytes, statuses accepted). A 4xx answer from the app must be nova's fault.
# 422: Juno's answer to a body that is JSON but not a {"server": {...}} dict.
CASES = [
    # --- JSON nobody should parse into a 500 (RecursionError, surrogates) ---------------
    ("create nested [ 2000", _http("POST", "/v2.1/servers", "[" * 2000), {400}),
    ("create nested [ 100000", _http("POST", "/v2.1/servers", "[" * 100000), {400, 413}),
    ("create nested {} 15000", _http("POST", "/v2.1/servers",
                                     '{"a":' * 15000 + "1" + "}" * 15000), {400}),
    ("update nested [ 50000", _http("PUT", S, "[" * 50000), {400}),
    ("action nested [ 50000", _http("POST", ACTION, "[" * 50000), {400}),
    ("createImage nested", _http("POST", ACTION, '{"createImage": ' + "[" * 30000
                                 + "]" * 30000 + "}"), {400}),
    ("metadata item nested", _http("PUT", S + "/metadata/a", '{"meta": {"a": '
                                   + "[" * 20000 + "]" * 20000 + "}}"), {400}),
    ("lone surrogate in a created name", _http(
        "POST", "/v2.1/servers", _create(name="@").replace('"@"', '"\\ud800"')), {400}),
    ("lone surrogate in an updated name", _http("PUT", S, '{"server": {"name": "\\udfff"}}'),
     {400}),
    ("lone surrogate in a metadata key", _http(
        "POST", S + "/metadata", '{"metadata": {"\\ud800": "v"}}'), {400}),
    ("lone surrogate in a keypair name", _http(
        "POST", "/v2.1/os-keypairs", '{"keypair": {"name": "\\ud800"}}'), {400}),
    ("truncated JSON", _http("POST", "/v2.1/servers", '{"server": {"name": "a"'), {400}),
    ("not JSON", _http("POST", "/v2.1/servers", "server=a"), {400}),
    ("JSON array body", _http("POST", "/v2.1/servers", "[]"), {400, 422}),
    ("JSON string body", _http("POST", "/v2.1/servers", '"server"'), {400, 422}),
    ("JSON null body", _http("POST", "/v2.1/servers", "null"), {400, 422}),
    ("NaN in JSON", _http("POST", "/v2.1/servers", '{"server": NaN}'), {400, 422}),
    ("huge number", _http("POST", "/v2.1/servers", '{"server": ' + "9" * 5000 + "}"), {400}),
    ("empty body", _http("POST", "/v2.1/servers", ""), {400, 422}),
    ("NUL bytes in the body", _http("POST", "/v2.1/servers", "\x00" * 16), {400}),
    ("invalid UTF-8 in the body", _http("POST", "/v2.1/servers", b'{"server": "\xff"}'), {400}),
    # --- wrong types for the fields of a create ------------------------------------------
    ("server is a list", _http("POST", "/v2.1/servers", '{"server": []}'), {400, 422}),
    ("name is a number", _http("POST", "/v2.1/servers", _create(name=7)), {400}),
    ("name is a list", _http("POST", "/v2.1/servers", _create(name=["a"])), {400}),
    ("name of 256 characters", _http("POST", "/v2.1/servers", _create(name="x" * 256)), {400}),
    ("name of blanks", _http("POST", "/v2.1/servers", _create(name="   ")), {400}),
    ("availability_zone a list", _http("POST", "/v2.1/servers",
                                       _create(availability_zone=["x"])), {400}),
    ("availability_zone an object", _http("POST", "/v2.1/servers",
                                          _create(availability_zone={"a": 1})), {400}),
    ("availability_zone 10**30", _http("POST", "/v2.1/servers",
                                       _create(availability_zone=10 ** 30)), {400}),
    ("accessIPv6 10**30", _http("POST", "/v2.1/servers", _create(accessIPv6=10 ** 30)), {400}),
    ("accessIPv4 not an address", _http("POST", "/v2.1/servers",
                                        _create(accessIPv4="1.2.3")), {400}),
    ("accessIPv4 a v6 address", _http("POST", "/v2.1/servers", _create(accessIPv4="::1")),
     {400}),
    ("flavorRef with a bad IPv6 URL", _http("POST", "/v2.1/servers",
                                            _create(flavorRef="http://[abc/flavors/1")), {400}),
    ("flavorRef //[", _http("POST", "/v2.1/servers", _create(flavorRef="//[")), {400}),
    ("flavorRef a list", _http("POST", "/v2.1/servers", _create(flavorRef=[1])), {400}),
    ("flavorRef unknown", _http("POST", "/v2.1/servers", _create(flavorRef="999")), {400}),
    ("imageRef with a bad IPv6 URL", _http("POST", "/v2.1/servers",
                                           _create(imageRef="http://[abc/images/1")), {400}),
    ("imageRef an object", _http("POST", "/v2.1/servers", _create(imageRef={"id": IMAGE})),
     {400}),
    ("imageRef unknown", _http("POST", "/v2.1/servers",
                               _create(imageRef="00000000-0000-0000-0000-000000000000")), {400}),
    ("metadata a list", _http("POST", "/v2.1/servers", _create(metadata=["a"])), {400}),
    ("metadata value a number", _http("POST", "/v2.1/servers", _create(metadata={"a": 1})),
     {400}),
    ("min_count -1", _http("POST", "/v2.1/servers", _create(min_count=-1)), {400}),
    ("min_count a string", _http("POST", "/v2.1/servers", _create(min_count="x")), {400}),
    ("max_count 10**30", _http("POST", "/v2.1/servers", _create(max_count=10 ** 30)), {400}),
    ("min_count above max_count", _http("POST", "/v2.1/servers",
                                        _create(min_count=3, max_count=2)), {400}),
    ("key_name unknown", _http("POST", "/v2.1/servers", _create(key_name="nope")), {400}),
    ("key_name a list", _http("POST", "/v2.1/servers", _create(key_name=["k"])), {400}),
    ("security_groups not a list", _http("POST", "/v2.1/servers",
                                         _create(security_groups="default")), {400}),
    # "auto" is nova master's 2.37 spelling; minova takes it (no networks API to ask)
    ("networks a string", _http("POST", "/v2.1/servers", _create(networks="auto")), {202, 400}),
    ("networks a number", _http("POST", "/v2.1/servers", _create(networks=5)), {400}),
    # --- update and action bodies ----------------------------------------------------------
    ("update body a list", _http("PUT", S, '{"server": []}'), {400, 422}),
    ("update name a number", _http("PUT", S, '{"server": {"name": 5}}'), {400}),
    ("update accessIPv4 a number", _http("PUT", S, '{"server": {"accessIPv4": 5}}'), {400}),
    ("action with two keys", _http("POST", ACTION, '{"reboot": {}, "pause": null}'), {400}),
    ("unknown action", _http("POST", ACTION, '{"fly": null}'), {400}),
    ("reboot without a type", _http("POST", ACTION, '{"reboot": {}}'), {400}),
    ("reboot type a list", _http("POST", ACTION, '{"reboot": {"type": ["SOFT"]}}'), {400}),
    ("reboot body a string", _http("POST", ACTION, '{"reboot": "SOFT"}'), {400}),
    ("rebuild without imageRef", _http("POST", ACTION, '{"rebuild": {}}'), {400}),
    ("rebuild imageRef a list", _http("POST", ACTION, '{"rebuild": {"imageRef": [1]}}'), {400}),
    ("rebuild body a number", _http("POST", ACTION, '{"rebuild": 5}'), {400}),
    ("createImage without a name", _http("POST", ACTION, '{"createImage": {}}'), {400}),
    ("createImage name a list", _http("POST", ACTION, '{"createImage": {"name": ["a"]}}'),
     {400}),
    ("createImage body a string", _http("POST", ACTION, '{"createImage": "snap"}'), {400}),
    ("metadata body a list", _http("POST", S + "/metadata", '{"metadata": [1]}'), {400}),
    ("metadata item key mismatch", _http("PUT", S + "/metadata/a", '{"meta": {"b": "1"}}'),
     {400}),
    ("keypair name a list", _http("POST", "/v2.1/os-keypairs", '{"keypair": {"name": ["x"]}}'),
     {400}),
    ("keypair with a bad public key", _http(
        "POST", "/v2.1/os-keypairs", '{"keypair": {"name": "k", "public_key": "ssh-rsa x"}}'),
     {400}),
    # --- invalid UTF-8 and odd bytes in the URL ------------------------------------------
    ("%ff at the root", _http("GET", "/%ff"), {400, 404}),
    ("%ff under /v2", _http("GET", "/v2/%ff"), {400, 404}),
    ("%ff under /v2.1", _http("GET", "/v2.1/%ff"), {400, 404}),
    ("marker=%ff", _http("GET", "/v2.1/servers?marker=%ff"), {400}),
    ("name=%ff", _http("GET", "/v2.1/servers?name=%ff"), {400}),
    ("query key %ff", _http("GET", "/v2.1/servers?%ff=%fe"), {400}),
    ("images status=%ff", _http("GET", "/v2.1/images?status=%ff"), {400}),
    ("limits ?x=%ff", _http("GET", "/v2.1/limits?x=%ff"), {400}),
    ("flavor id %ff", _http("GET", "/v2.1/flavors/%ff"), {400, 404}),
    ("server id %00", _http("GET", "/v2.1/servers/%00"), {404}),
    ("server id %2e%2e", _http("GET", "/v2.1/servers/%2e%2e"), {404}),
    ("server id ../", _http("GET", "/v2.1/servers/../servers"), {400, 404}),
    ("limit=-1", _http("GET", "/v2.1/servers?limit=-1"), {400}),
    ("limit=abc", _http("GET", "/v2.1/servers?limit=abc"), {400}),
    ("marker unknown", _http("GET", "/v2.1/servers?marker=nope"), {400}),
    ("usage start=%ff", _http("GET", "/v2.1/os-simple-tenant-usage/p1?start=%ff"), {400}),
    ("usage start garbage", _http("GET", "/v2.1/os-simple-tenant-usage/p1?start=yesterday"),
     {400}),
    ("URL of 8 KB", _http("GET", "/v2.1/servers/" + "a" * 8192), {404, 414}),
    ("URL of 64 KB", _http("GET", "/v2.1/servers/" + "a" * 65536), {414}),
    # --- headers, methods, media types, tokens, microversions -----------------------------
    ("header of 64 KB", _http("GET", "/v2.1/servers", headers={"X-Big": "a" * 65536}), {400}),
    ("10000 headers", _http("GET", "/v2.1/servers", headers={
        "X-H%d" % i: "v" for i in range(10000)}), {400}),
    ("Content-Type text/plain", _http("POST", "/v2.1/servers", _create(),
                                      content_type="text/plain"), {400, 415}),
    ("Content-Type missing", _http("POST", "/v2.1/servers", _create(), content_type=None),
     {202, 400, 415}),
    ("Accept application/xml", _http("GET", "/v2.1/servers",
                                     headers={"Accept": "application/xml"}), {200, 406}),
    ("DELETE on the collection", _http("DELETE", "/v2.1/servers"), {404, 405}),
    ("PATCH a server", _http("PATCH", S, "{}"), {404, 405}),
    ("PUT the flavors", _http("PUT", "/v2.1/flavors", "{}"), {404, 405}),
    ("POST the version document", _http("POST", "/v2.1/", "{}"), {200, 404, 405}),
    ("TRACE", _http("TRACE", "/v2.1/servers"), {404, 405}),
    ("DELETE the flavors", _http("DELETE", "/v2.1/flavors/1"), {404, 405}),
    ("POST a flavor", _http("POST", "/v2.1/flavors", "{}"), {404, 405}),
    ("PUT an image", _http("PUT", "/v2.1/images/" + IMAGE, "{}"), {404, 405}),
    ("POST the images", _http("POST", "/v2.1/images", "{}"), {404, 405}),
    ("PUT the limits", _http("PUT", "/v2.1/limits", "{}"), {404, 405, 501}),
    ("DELETE the extensions", _http("DELETE", "/v2.1/extensions"), {404, 405}),
    ("PUT a keypair", _http("PUT", "/v2.1/os-keypairs/k", "{}"), {404, 405}),
    ("GET an action", _http("GET", ACTION), {404, 405}),
    ("PUT the server's actions", _http("PUT", ACTION, "{}"), {404, 405}),
    ("DELETE the metadata collection", _http("DELETE", S + "/metadata"), {404, 405}),
    ("unknown collection", _http("GET", "/v2.1/os-nothing"), {404}),
    ("unknown API version", _http("GET", "/v3/servers"), {300, 404}),
    ("double slashes", _http("GET", "/v2.1//servers"), {200, 404}),
    ("a .xml format", _http("GET", "/v2.1/servers.xml"), {404, 406}),
    ("changes-since garbage", _http("GET", "/v2.1/servers?changes-since=soon"), {400}),
    ("status filter unknown", _http("GET", "/v2.1/servers?status=FLYING"), {200, 400}),
    ("no token", _http("GET", "/v2.1/servers", token=None), {204, 401}),
    ("empty token", _http("GET", "/v2.1/servers", token=""), {204, 401}),
    # Juno's noauth: "u1" alone is user u1 in project u1
    ("token without a colon", _http("GET", "/v2.1/servers", token="u1"), {200, 401}),
    ("another project's server", _http("GET", S, token="u2:p2"), {404}),
    ("another project's delete", _http("DELETE", S, token="u2:p2"), {404}),
    ("another project's action", _http("POST", ACTION, '{"pause": null}', token="u2:p2"),
     {404}),
    ("all_tenants as a user", _http("GET", "/v2.1/servers?all_tenants=1", token="u2:p2"),
     {200, 403}),
    ("admin-only os-hypervisors", _http("GET", "/v2.1/os-hypervisors"), {403}),
    ("admin-only os-services", _http("GET", "/v2.1/os-services"), {403}),
    ("microversion foo", _http("GET", "/v2.1/servers",
                               headers={"X-OpenStack-Nova-API-Version": "foo"}), {400, 406}),
    ("microversion 99.99", _http("GET", "/v2.1/servers",
                                 headers={"X-OpenStack-Nova-API-Version": "99.99"}),
     {400, 406}),
    ("microversion 2.999999999999999999", _http(
        "GET", "/v2.1/servers",
        headers={"X-OpenStack-Nova-API-Version": "2.999999999999999999"}), {400, 406}),
    ("microversion latest", _http("GET", "/v2.1/servers",
                                  headers={"X-OpenStack-Nova-API-Version": "latest"}), {200}),
    # --- HTTP framing ------------------------------------------------------------------
    ("Host: [", b"GET /v2.1/servers HTTP/1.1\r\nHost: [\r\nX-Auth-Token: u1:p1\r\n"
     b"Connection: close\r\n\r\n", {400}),
    ("CONNECT", b"CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    ("OPTIONS *", b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    ("target without a slash", b"GET v2.1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
     {400}),
    ("absolute-form target", b"GET http://127.0.0.1/v2.1/ HTTP/1.1\r\nHost: x\r\n"
     b"Connection: close\r\n\r\n", {200}),
    ("Content-Length with a superscript digit",
     "POST /v2.1/servers HTTP/1.1\r\nHost: x\r\nContent-Length: \u00b2\r\n\r\nab".encode(),
     {400}),
    ("Content-Length negative", b"POST /v2.1/servers HTTP/1.1\r\nHost: x\r\n"
     b"Content-Length: -5\r\n\r\n", {400}),
    ("two Content-Lengths", b"POST /v2.1/servers HTTP/1.1\r\nHost: x\r\nX-Auth-Token: u1:p1\r\n"
     b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", {400}),
    ("bare CR line ends", b"GET /v2.1/ HTTP/1.1\rHost: x\r\r", {400}),
    ("chunk size zz", _chunked(b"zz\r\nab\r\n0\r\n\r\n"), {400}),
    ("chunk size -1", _chunked(b"-1\r\nab\r\n0\r\n\r\n"), {400}),
    ("chunk size FFFFFFFFFF, body cut", _chunked(b"FFFFFFFFFF\r\nab"), {400}),
    ("chunk size of 1000 hex digits", _chunked(b"0" * 999 + b"1\r\na\r\n0\r\n\r\n"), {400}),
    ("no terminating chunk", _chunked(b"2\r\n{}\r\n"), {400}),
    ("chunk longer than its size", _chunked(b"1\r\n{}\r\n0\r\n\r\n"), {400}),
    ("one chunk of 200 MB, 3 MB of it sent", _chunked(b"C800000\r\n" + b"a" * 3_000_000),
     {413}),
    ("Content-Length 200 MB, 3 MB sent", _http("POST", "/v2.1/servers", b"a" * 3_000_000,
                                              headers={"Content-Length": "200000000"}), {413}),
    ("Transfer-Encoding gzip", b"POST /v2.1/servers HTTP/1.1\r\nHost: x\r\n"
     b"Transfer-Encoding: gzip\r\n\r\n", {400, 501}),
    ("body shorter than Content-Length", b"POST /v2.1/servers HTTP/1.1\r\nHost: x\r\n"
     b"X-Auth-Token: u1:p1\r\nContent-Length: 100\r\nContent-Type: application/json\r\n\r\n{}",
     {400}),
    ("HTTP/0.9", b"GET /\r\n", {400}),
    ("HTTP/2.0 request line", b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", {400, 505}),
    ("HTTP/1.0 without Host", b"GET /v2.1/ HTTP/1.0\r\n\r\n", {200}),
    ("garbage request line", b"\x00\x01\x02 garbage\r\n\r\n", {400}),
    ("four-part request line", b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", {400}),
    ("header without a colon", b"GET / HTTP/1.1\r\nHost x\r\n\r\n", {400}),
    ("header line folding", b"GET / HTTP/1.1\r\nHost: x\r\n  folded\r\n\r\n", {400}),
    ("space before the colon", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", {400}),
]

# Framing cases where a client reads more than one answer.
PIPELINED = (b"GET /v2.1/ HTTP/1.1\r\nHost: x\r\n\r\n"
             b"GET /v2.1/flavors HTTP/1.1\r\nHost: x\r\nX-Auth-Token: u1:p1\r\n\r\n"
             b"GET /%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")


@contextlib.contextmanager
def minova_api(state, workers: int = 2):
    """``minova-api`` on 127.0.0.1, port 0, ``workers`` forked workers, state in ``state``.

    Yields ``(process, port)`` once every worker started; kills what is left after.
    """
    assert MINOVA_API
    env = dict(os.environ, XDG_STATE_HOME=str(state))
    proc = ProcessWatcher([MINOVA_API, "--osapi_compute_listen", "127.0.0.1",
                           "--osapi_compute_listen_port", "0",
                           "--osapi_compute_workers", str(workers)], env=env)
    try:
        (match,) = proc.wait_for(r"osapi_compute listening on 127\.0\.0\.1:(\d+)")
        proc.wait_for(r"Started child", count=workers)
        yield proc, int(match.group(1))
    finally:
        proc.cleanup()


def send(port: int, data: bytes, timeout: float = 20) -> bytes:
    """Send ``data``, half-close, read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        try:
            conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may answer and close before taking everything (64 KB headers)
        out = b""
        while True:
            try:
                chunk = conn.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                return out
            out += chunk
        return out


def status_and_body(answer: bytes) -> tuple[int, bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", head)
    assert match, "no HTTP answer: %r" % answer[:200]
    return int(match.group(1)), body


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """``minova-api``: 2 forked workers, port 0, its own state folder (SQLite, message folder)."""
    state = tmp_path_factory.mktemp("hostile")
    with minova_api(state) as (proc, port):
        status, body = status_and_body(send(port, _http("POST", "/v2.1/servers", _create())))
        assert status == 202, body
        server = json.loads(body)["server"]["id"]
        for _ in range(20):  # warm both workers up (imports, caches) before measuring
            send(port, _http("GET", "/v2.1/servers/detail"))
        yield port, server, state / "minova" / "minova.sqlite", proc, _rss(proc.children())


def _rss(pids) -> int:
    """Resident memory of these processes together, in bytes."""
    import psutil
    return sum(psutil.Process(pid).memory_info().rss for pid in pids)


def _instances(db_file) -> int:
    with sqlite3.connect(db_file) as db:
        return db.execute("SELECT count(*) FROM instances").fetchone()[0]


@pytest.mark.parametrize("name,request_bytes,expected", CASES, ids=[c[0] for c in CASES])
def test_a_hostile_request_gets_a_clean_answer(api, name, request_bytes, expected):
    port, server, db_file, _proc, _rss_before = api
    rows = _instances(db_file)
    answer = send(port, request_bytes.replace(SERVER.encode(), server.encode()))
    status, body = status_and_body(answer)
    assert status in expected, "%s: %d %r" % (name, status, body[:300])
    assert b"Traceback" not in body and b".py" not in body, body[:300]
    if 400 <= status < 500 and body and b"application/json" in answer.partition(b"\r\n\r\n")[0]:
        fault = json.loads(body)
        (kind,) = fault
        assert fault[kind]["code"] == status and fault[kind]["message"], fault
    if status >= 400:
        assert _instances(db_file) == rows, "a rejected request left an instance row"


def test_pipelined_requests_each_get_their_answer(api):
    port = api[0]
    answer = send(port, PIPELINED)
    assert [int(s) for s in re.findall(rb"HTTP/1\.[01] (\d{3}) ", answer)] == [200, 200, 400]


def test_the_corpus_is_big_and_the_workers_survive_it(api):
    port, _server, _db, proc, rss_before = api
    assert len(CASES) >= 150
    assert len(proc.children()) == 2
    assert not proc.matches(r"Child \d+ (exited|killed)")
    status, _ = status_and_body(send(port, _http("GET", "/v2.1/flavors")))
    assert status == 200
    grown = _rss(proc.children()) - rss_before
    assert grown < 24 * 2 ** 20, "the workers grew by %.1f MB" % (grown / 2 ** 20)
