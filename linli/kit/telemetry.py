"""OpenTelemetry and logging for every Linli process.

Traces follow a care request across every hop (HTTP → gRPC → MongoDB → outbox → RabbitMQ → Nameko) and
are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set. OTLP over HTTP rather than gRPC,
because the same exporter must work inside eventlet-patched Nameko workers. Logs are JSON lines that
carry the trace and span ids.
"""
import contextvars
import json
import logging
import sys
import time

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, Sampler, TraceIdRatioBased

from linli.kit.config import setting


# The id of the request being handled (the gateway's X-Request-Id, passed on to the apis in gRPC
# metadata), so each log line says which request it belongs to.
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("linli_request_id", default=None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "process": getattr(record, "linli_process", None) or PROCESS_NAME,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
            entry["span_id"] = format(span.span_id, "016x")
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


PROCESS_NAME = "linli"


def setup_logging(process_name: str) -> None:
    global PROCESS_NAME
    PROCESS_NAME = process_name
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(setting("LINLI_LOG_LEVEL").upper())
    for noisy in ("pika", "amqp", "kombu", "urllib3", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def sampler() -> Sampler:
    """LINLI_TRACE_SAMPLE_RATIO of the traces that start in this process are recorded; a span whose parent
    came from another process (gRPC metadata, an event's headers) is recorded when its parent was, so a
    trace is kept or dropped whole. An unrecorded span still has its trace id (X-Trace-Id, log lines)."""
    value = setting("LINLI_TRACE_SAMPLE_RATIO")
    try:
        ratio = float(value)
    except ValueError:
        ratio = float("nan")
    if not 0.0 <= ratio <= 1.0:  # NaN fails this too
        raise SystemExit(f"LINLI_TRACE_SAMPLE_RATIO must be a number from 0 to 1 (the share of traces "
                         f"recorded), got {value!r}")
    return ParentBased(TraceIdRatioBased(ratio))


def setup(process_name: str) -> TracerProvider:
    """Install the tracer provider (sampling as LINLI_TRACE_SAMPLE_RATIO says), the OTLP exporter if
    configured, and the library instrumentations that every process shares (pymongo, pika). Role-specific
    ones are turned on by the caller."""
    setup_logging(process_name)
    provider = TracerProvider(resource=Resource.create({"service.name": process_name}), sampler=sampler())
    endpoint = setting("OTEL_EXPORTER_OTLP_ENDPOINT")
    if endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces")))
    trace.set_tracer_provider(provider)

    from opentelemetry.instrumentation.pika import PikaInstrumentor
    from opentelemetry.instrumentation.pymongo import PymongoInstrumentor

    PymongoInstrumentor().instrument()
    PikaInstrumentor().instrument()
    return provider


def instrument_grpc_server() -> None:
    from opentelemetry.instrumentation.grpc import GrpcInstrumentorServer

    GrpcInstrumentorServer().instrument()


def instrument_nameko() -> None:
    from nameko_opentelemetry import NamekoInstrumentor

    # Linli's retrying event handler (linli.kit.handlers) gets the spans of Nameko's own event handler.
    NamekoInstrumentor().instrument(entrypoint_adapters={
        "linli.kit.handlers.EventHandler": "nameko_opentelemetry.events.EventHandlerEntrypointAdapter"})


def shutdown() -> None:
    """Flush spans still buffered (call on the way out)."""
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.shutdown()
