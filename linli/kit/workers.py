"""Run Nameko workers with Linli's telemetry and JSON logs.

    python -m linli.kit.workers services.eldercare.worker [more modules ...]

Like `nameko run`, configured from the environment (AMQP_URI and the rest of linli.kit.config), with
OpenTelemetry set up before any service starts. Several services may share one process.
"""
import eventlet

eventlet.monkey_patch()  # before anything else opens a socket or starts a thread

import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from nameko import config as nameko_config  # noqa: E402
from nameko.cli.run import run  # noqa: E402

from linli.kit import metrics, telemetry  # noqa: E402
from linli.kit.config import setting  # noqa: E402


def main(modules: list[str]) -> None:
    if not modules:
        raise SystemExit("usage: python -m linli.kit.workers MODULE[:ServiceClass] ...")
    telemetry.setup(os.environ.get("LINLI_PROCESS_NAME", "workers"))
    telemetry.instrument_nameko()
    metrics.serve("LINLI_WORKERS_METRICS_PORT")  # an HTTP server on a greenthread: works under eventlet
    nameko_config.setup({
        "AMQP_URI": setting("AMQP_URI"),
        "MONGO_URI": setting("MONGO_URI"),
        # Failing handlers should not take the broker connection down with them.
        "max_workers": 10,
        # A reply lost to a broker outage must not kill every service in the process (linli/kit/containers.py).
        "SERVICE_CONTAINER_CLS": "linli.kit.containers.ResilientContainer",
        "PARENT_CALLS_TRACKED": 10,
    })
    logging.getLogger(__name__).info("starting workers: %s", ", ".join(modules))
    try:
        run(modules)
    finally:
        telemetry.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
