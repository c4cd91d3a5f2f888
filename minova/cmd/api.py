"""The ``minova-api`` command: parse config, fork the API workers, wait for them.

Layer 1: notebooks/01_launcher.ipynb
Juno: nova/cmd/api.py
Now: removed in 32.0.0 (the API is the WSGI module nova/wsgi/osapi_compute.py
under uWSGI or gunicorn)

Try it: ``minova-api --osapi_compute_listen 127.0.0.1 --osapi_compute_listen_port 0
--osapi_compute_workers 2``; the parent logs "osapi_compute listening on HOST:PORT"
before it forks, and every log line carries the pid of the process that wrote it.
"""

from __future__ import annotations

import logging
import sys

from oslo_config import cfg

from minova import config, service, wsgi

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# Juno's default format has the pid too, so one can tell which worker logged.
LOG_FORMAT = "%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s %(message)s"
LOG_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"

# NOVA-DIFF: Juno reads these only from nova.conf.  minova also accepts them on
# the command line (same names), so a notebook can start a throw-away API on
# a free port, or with another api-paste.ini, without writing a config file.
_CLI_OVERRIDES = ("osapi_compute_listen", "osapi_compute_listen_port", "osapi_compute_workers",
                  "api_paste_config")


def _register_cli_overrides() -> None:
    try:
        CONF.register_cli_opts([opt for opt in service.service_opts + wsgi.wsgi_opts
                                if opt.name in _CLI_OVERRIDES])
    except cfg.ArgsAlreadyParsedError:
        # Imported after CONF was parsed (e.g. inside a test run): config
        # files and set_override still work, only the CLI flags are absent.
        LOG.debug("CONF already parsed; minova-api CLI overrides not registered")


_register_cli_overrides()


def _setup_logging() -> None:
    """INFO and up to stderr (Juno: ``logging.setup("nova")`` from oslo's log module)."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format=LOG_FORMAT, datefmt=LOG_DATE_FORMAT)


def main() -> None:
    """Build one WSGIService per enabled API, fork its workers, wait until a signal stops them.

    Mirrors: nova.cmd.api.main (nova/cmd/api.py:40-57, 2014.2)
    """
    config.parse_args(sys.argv)
    _setup_logging()
    # (Juno also ran utils.monkey_patch(), objects.register_all() and the guru
    # meditation report set-up here; minova has none of those.)
    launcher = service.process_launcher()
    for api in CONF.enabled_apis:
        should_use_ssl = api in CONF.enabled_ssl_apis
        # (Juno gives 'ec2' max_url_len=16384; minova has no EC2 API.)
        server = service.WSGIService(api, use_ssl=should_use_ssl)
        launcher.launch_service(server, workers=server.workers or 1)
    launcher.wait()


if __name__ == "__main__":
    main()
