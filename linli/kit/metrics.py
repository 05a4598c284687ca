"""Metrics for Prometheus from every Linli process, through the OpenTelemetry metrics API.

    from linli.kit import metrics
    metrics.serve("ELDERCARE_API_METRICS_PORT")     # once, at start-up: /metrics on that port
    REQUESTS = metrics.meter.create_counter("linli_...", unit="1", description="...")

Instruments may be made at import time, before serve(): the API's meter forwards them to the provider
serve() installs. Names follow Prometheus's conventions as they are exported (the exporter adds the unit
suffix, e.g. `_seconds`, and `_total` to counters); docs/operations.md lists them, and the dashboards and
alert rules in deploy/ are checked against what a running process really serves (tests/deploy, tests/ops).

The exporter is prometheus_client's HTTP server on a thread of its own. It works in grpcio apis and the
gateway (a plain thread), and in the eventlet-patched Nameko workers (where the thread is a greenthread
and its socket is green). Observable gauges run their callbacks when Prometheus scrapes, on that thread.

Also the RED metrics of every gRPC method every api serves (linli.kit.grpc_server calls
`grpc_call_handled`) and the outbox relay's (linli.kit.outbox).
"""
import logging
import os
from typing import Callable, Iterable

from opentelemetry import metrics as otel_metrics
from opentelemetry.metrics import CallbackOptions, Observation

from linli.kit.config import setting

log = logging.getLogger(__name__)

meter = otel_metrics.get_meter("linli")

# Seconds. Request durations: from a cache hit to a slow dependency near the gateway's deadline.
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Seconds. People's reaction times (an emergency acknowledged): the SLA (60 s by default) is a boundary.
REACTION_BUCKETS = (5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 180.0, 300.0, 600.0, 1800.0)
# Instruments whose histograms count people, not machines (the rest get DURATION_BUCKETS).
REACTION_INSTRUMENTS = ("linli_emergency_acknowledge_duration",)

_served: dict | None = None


def _provider():
    from opentelemetry.exporter.prometheus import PrometheusMetricReader
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.view import ExplicitBucketHistogramAggregation, View
    from opentelemetry.sdk.resources import Resource

    views = [View(instrument_name=name, aggregation=ExplicitBucketHistogramAggregation(REACTION_BUCKETS))
             for name in REACTION_INSTRUMENTS]
    views.append(View(instrument_name="*duration", aggregation=ExplicitBucketHistogramAggregation(DURATION_BUCKETS)))
    # Scope labels (otel_scope_name, ...) would only repeat "linli" on every series.
    readers = [PrometheusMetricReader(scope_info_enabled=False)]
    endpoint = setting("OTEL_EXPORTER_OTLP_ENDPOINT")
    if "otlp" in setting("OTEL_METRICS_EXPORTER").split(",") and endpoint:
        # Also pushed to the collector's metrics pipeline, for a metrics backend that takes OTLP.
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

        readers.append(PeriodicExportingMetricReader(OTLPMetricExporter(endpoint=endpoint.rstrip("/") + "/v1/metrics"),
                                                     export_interval_millis=30_000))
    name = os.environ.get("LINLI_PROCESS_NAME") or "linli"
    return MeterProvider(metric_readers=readers, views=views, resource=Resource.create({"service.name": name}))


def serve(port_setting: str) -> int | None:
    """Install the meter provider and serve /metrics on the port `port_setting` names. Port 0: no metrics
    at all (no provider: every instrument is the API's no-op; bench/ measures the difference). Returns the
    port served, or None. Idempotent within a process."""
    global _served
    if _served is not None:
        return _served["port"]
    port = int(setting(port_setting) or 0)
    _served = {"port": None}
    if not port:
        return None
    otel_metrics.set_meter_provider(_provider())
    from prometheus_client import start_http_server

    try:
        start_http_server(port, addr=setting("LINLI_METRICS_HOST"))
    except OSError as error:
        # The process's work matters more than its metrics: serve on, and say so loudly.
        log.error("no Prometheus metrics: cannot listen on port %d (%s = %s): %s", port, port_setting, port, error)
        return None
    _served["port"] = port
    log.info("serving Prometheus metrics on %s:%d/metrics", setting("LINLI_METRICS_HOST"), port)
    return port


def observe(name: str, callback: Callable[[], Iterable[tuple[float, dict]]], *, unit: str = "1",
            description: str = "") -> None:
    """An observable gauge whose callback returns (value, attributes) pairs when Prometheus scrapes.
    A callback that fails is logged and reports nothing this time (a scrape never fails for it)."""
    def observations(options: CallbackOptions):
        try:
            return [Observation(value, attributes) for value, attributes in callback()]
        except Exception as error:  # a database or broker outage must not break the other metrics
            log.warning("metric %s not observed: %s", name, error)
            return []

    meter.create_observable_gauge(name, callbacks=[observations], unit=unit, description=description)


# ---------------------------------------------------------------- gRPC servers (every api)

GRPC_SERVER_DURATION = meter.create_histogram(
    "linli_grpc_server_duration", unit="s",
    description="gRPC calls an api handled, by service, method and status code (RED: count, errors, duration).")


def grpc_call_handled(full_method: str, code: str, seconds: float) -> None:
    """/linli.eldercare.v1.EldercareService/RaiseCareRequest, "OK", 0.004."""
    service, _, method = full_method.lstrip("/").rpartition("/")
    GRPC_SERVER_DURATION.record(seconds, {"grpc_service": service, "grpc_method": method, "grpc_code": code})


# ---------------------------------------------------------------- the outbox relay (every api)

OUTBOX_PUBLISHED = meter.create_counter(
    "linli_outbox_published", unit="1", description="Events the outbox relay published, confirmed by the broker.")
OUTBOX_CONFIRM_DURATION = meter.create_histogram(
    "linli_outbox_confirm_duration", unit="s",
    description="From handing an event to the broker to its publisher confirm.")
OUTBOX_PUBLISH_FAILURES = meter.create_counter(
    "linli_outbox_publish_failures", unit="1",
    description="Passes of the outbox relay that failed (broker or database unreachable); it retries.")


# ---------------------------------------------------------------- event handlers (every worker)

EVENTS_HANDLED = meter.create_counter(
    "linli_events_handled", unit="1",
    description="Events a worker's handler took, by outcome: applied, retried (moved to its retry queue) or "
                "dead_lettered (moved to its dead-letter queue).")


# ---------------------------------------------------------------- partner hospitals (the clinic's partner port)

PARTNER_CALLS = meter.create_counter(
    "linli_partner_calls", unit="1",
    description="Calls partner hospitals made on the clinic's partner port, by partner (its certificate's name; "
                "`unlisted` when refused), method and status code.")
