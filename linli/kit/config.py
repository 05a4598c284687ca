"""Configuration from environment variables, each with a documented default.

SETTINGS is the one list of what can be set; the README's configuration table is checked against it.
"""
import os

SETTINGS: dict[str, tuple[str, str]] = {
    "AMQP_URI": ("amqp://guest:guest@127.0.0.1:5672/", "RabbitMQ for events and internal RPC."),
    "MONGO_URI": (
        "mongodb://127.0.0.1:27717/",
        "MongoDB. `make run` starts SecantusDB here unless MONGO_URI is set.",
    ),
    "MONGO_DB_PREFIX": ("linli_", "Prefix of each service's database name (`linli_eldercare`, ...)."),
    "ELDERCARE_API_ADDR": ("127.0.0.1:50051", "Where the eldercare gRPC api listens; the gateway dials it."),
    "ELDERCARE_EMERGENCY_ACK_SLA_SECONDS": (
        "60",
        "An emergency call must be acknowledged within this many seconds, or it is escalated.",
    ),
    "ELDERCARE_ESCALATION_CHECK_SECONDS": ("5", "How often the eldercare worker looks for overdue calls."),
    "ELDERCARE_DEVICE_CHECK_SECONDS": (
        "60",
        "How often the eldercare worker looks for call devices that stopped reporting (maintenance alerts).",
    ),
    "ELDERCARE_MQTT_ADDR": (
        "127.0.0.1:1884",
        "Where call devices reach RabbitMQ's MQTT plugin (`make run` starts a broker for devices there; 1883 is often another broker's).",
    ),
    "ELDERCARE_DEVICE_AMQP_URI": (
        "",
        "The RabbitMQ whose MQTT plugin devices connect to, as the devices' door (`eldercare-devices`) reaches it over AMQP; empty: AMQP_URI.",
    ),
    "ELDERCARE_DEVICE_AUTH_ADDR": (
        "127.0.0.1:50071",
        "Where the devices' door answers RabbitMQ's HTTP auth backend (may this device connect, use this topic).",
    ),
    "ELDERCARE_HEARTBEAT_BATCH_SIZE": ("500", "Device heartbeats written in one bulk_write at most."),
    "ELDERCARE_HEARTBEAT_BATCH_SECONDS": (
        "1",
        "How long the devices' door gathers heartbeats before it writes a batch smaller than ELDERCARE_HEARTBEAT_BATCH_SIZE.",
    ),
    "ELDERCARE_DEVICE_CACHE_SECONDS": (
        "900",
        "How long the devices' door keeps what it read of a device for its heartbeat rules (interval, revoked, "
        "battery) before it reads the device again; longer than a heartbeat interval, or most heartbeats read "
        "their device; 0: read every batch's devices.",
    ),
    "VOLUNTEER_API_ADDR": ("127.0.0.1:50054", "Where the volunteer gRPC api listens; the gateway dials it."),
    "VOLUNTEER_CHECKOUT_CHECK_SECONDS": (
        "30",
        "How often the volunteer worker closes forgotten check-outs of shifts that have ended.",
    ),
    "VOLUNTEER_CERTIFICATE_FONT": (
        "",
        "CJK font (.ttf/.ttc/.otf) embedded in certificate PDFs; empty: the first of Debian's Noto CJK or WenQuanYi fonts found.",
    ),
    "VOLUNTEER_CERTIFICATE_VERIFY_URL": (
        "http://127.0.0.1:8080/v1/certificates/{code}",
        "Where certificates tell readers to check their code (the gateway's public verification route).",
    ),
    "LINLI_RPC_TIMEOUT_SECONDS": (
        "2",
        "How long a plain (non-Nameko) process waits for a worker's internal RPC reply (eldercare dispatch asking for volunteers).",
    ),
    "CLINIC_API_ADDR": ("127.0.0.1:50052", "Where the clinic's internal gRPC api listens; the gateway dials it."),
    "CLINIC_PARTNER_ADDR": (
        "127.0.0.1:50062",
        "Where the clinic's partner exchange listens (gRPC with mutual TLS) for partner hospitals.",
    ),
    "CLINIC_PARTNER_TLS_DIR": (
        "var/partner-tls",
        "The partner port's `server.key`, `server.crt` and alliance CA bundle `ca.crt`; re-read when they change.",
    ),
    "CLINIC_PARTNERS": (
        "city-central-hospital,district-hospital",
        "Partner hospitals allowed on the partner port: the common names of their client certificates.",
    ),
    "CLINIC_MEETING_BASE_URL": (
        "http://127.0.0.1:8080/consultation/",
        "Where the gateway serves Linli's consultation room page (/consultation/), as patients, clinicians and "
        "hospitals reach it: each teleconsultation's join links are this page with the session and a signed "
        "per-participant token.",
    ),
    "EMPLOYMENT_API_ADDR": ("127.0.0.1:50053", "Where the employment gRPC api listens; the gateway dials it."),
    "EMPLOYMENT_EXPIRY_CHECK_SECONDS": (
        "60",
        "How often the employment worker closes vacancies past their open days.",
    ),
    "NOTIFY_API_ADDR": ("127.0.0.1:50055", "Where the notify gRPC api listens; the gateway dials it."),
    "NOTIFY_SHIFT_REMINDER_MINUTES": ("120", "How long before a volunteer's shift the notify service reminds them of it."),
    "NOTIFY_DELIVERY_POLL_SECONDS": ("0.5", "How often the notify worker sends the push and SMS deliveries that are due."),
    "NOTIFY_RETRY_SECONDS": (
        "2,10,60,300",
        "A failed push or SMS delivery is tried again after each of these delays in turn; after the last it is "
        "a dead letter (kept with its error; an emergency that reached nobody goes to the board).",
    ),
    "NOTIFY_VAPID_KEY_FILE": (
        "var/vapid/private_key.pem",
        "The platform's VAPID key pair (PEM) for Web Push (RFC 8292); made on first start when absent.",
    ),
    "NOTIFY_VAPID_SUBJECT": (
        "mailto:ops@linli.example",
        "How push services reach the operator about our pushes (VAPID `sub`: a mailto: or https: URL).",
    ),
    "NOTIFY_SMS_ENDPOINT": ("https://dysmsapi.aliyuncs.com/", "Alibaba Cloud SMS's API (SendSms, version 2017-05-25)."),
    "NOTIFY_SMS_ACCESS_KEY_ID": ("", "Alibaba Cloud AccessKey id for SMS; empty: SMS is off (deliveries fail and say so)."),
    "NOTIFY_SMS_ACCESS_KEY_SECRET": ("", "Its AccessKey secret (signs every request)."),
    "NOTIFY_SMS_SIGN_NAME": ("", "The approved SMS signature (签名), e.g. 邻里社区."),
    "NOTIFY_SMS_TEMPLATE_CODE": ("", "The approved template (模板) for emergencies, with one variable ${content}."),
    "GATEWAY_HOST": ("127.0.0.1", "Gateway bind address."),
    "GATEWAY_PORT": ("8080", "Gateway port."),
    "GATEWAY_GRPC_TIMEOUT_SECONDS": ("5", "Deadline of every gRPC call the gateway makes."),
    "GATEWAY_MAX_BODY_BYTES": ("262144", "Largest request body the gateway accepts (413 above it)."),
    "GATEWAY_RATE_LIMIT_PER_SECOND": (
        "10",
        "Requests per second each client (token subject, else address) may make, per gateway replica; calls for help are never limited.",
    ),
    "GATEWAY_RATE_LIMIT_BURST": ("60", "How many requests a client may make at once before the rate applies."),
    "GATEWAY_MAX_IN_FLIGHT": (
        "32",
        "Routine requests one gateway works on at once; more wait up to GATEWAY_QUEUE_SECONDS, then get 503 "
        "(load shedding: calls for help and health checks are never shed).",
    ),
    "GATEWAY_QUEUE_SECONDS": ("0.5", "How long a routine request may wait for a place before it is shed (503)."),
    "GATEWAY_SHED_LOOP_LAG_SECONDS": (
        "0.2",
        "Routine requests are shed (503) while the gateway's event loop runs this much late (it is out of CPU); 0: never.",
    ),
    "GATEWAY_TERMINAL_GONE_SECONDS": (
        "10",
        "How long a terminal's stream of its call's room may stay closed before the call ends as terminal_offline "
        "(time to reconnect after a blip).",
    ),
    "GATEWAY_CORS_ORIGINS": (
        "",
        "Comma-separated origins whose pages may call the API from a browser (e.g. the board hosted elsewhere); empty: same origin only.",
    ),
    "GATEWAY_DRAIN_SECONDS": (
        "10",
        "On SIGTERM, how long the gateway lets in-flight HTTP requests finish (board streams close at once).",
    ),
    "LINLI_TURN_URLS": (
        "turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp",
        "TURN servers (coturn) the gateway hands to call participants, comma-separated; `make run` starts one.",
    ),
    "LINLI_TURN_SECRET": (
        "",
        "coturn's static-auth-secret: the gateway signs short-lived TURN credentials with it (TURN REST API); "
        "empty: no calls (`make run` makes one up).",
    ),
    "LINLI_TURN_REALM": ("linli", "coturn's realm."),
    "LINLI_ICE_TRANSPORT_POLICY": (
        "all",
        "`relay`: browsers send call media through TURN alone (never offering their own addresses); `all`: "
        "direct when they can.",
    ),
    "ELDERCARE_RECORDING_RETENTION_DAYS": (
        "30",
        "How long a call recording (made only with the elder's consent to recording) is kept before it is "
        "purged; fractions of a day allowed.",
    ),
    "ELDERCARE_RECORDING_PURGE_SECONDS": ("300", "How often the eldercare worker purges recordings past retention."),
    "LINLI_TURN_TTL_SECONDS": (
        "600",
        "How long a TURN credential is valid; a call set up within it keeps its relay (coturn refreshes it).",
    ),
    "LINLI_JWKS_URL": ("", "JWKS of the OIDC issuer; empty trusts the development issuer's key."),
    "LINLI_JWT_ISSUER": ("linli-dev", "Expected `iss` of bearer tokens."),
    "LINLI_JWT_AUDIENCE": ("linli", "Expected `aud` of bearer tokens."),
    "LINLI_DEV_ISSUER_DIR": ("var/dev-issuer", "Where the development issuer keeps its signing key."),
    "LINLI_GRPC_DRAIN_SECONDS": ("10", "On SIGTERM, how long a gRPC api lets in-flight calls finish."),
    "LINLI_GRPC_MAX_CONNECTION_AGE_SECONDS": (
        "30",
        "A gRPC api asks each client to reconnect after about this long (GOAWAY; calls under way finish), so "
        "clients re-resolve its name and spread their calls over replicas that came since; 0: never.",
    ),
    "LINLI_OUTBOX_POLL_SECONDS": ("0.5", "How often the outbox relay looks for unsent events."),
    "LINLI_EVENT_RETRY_SECONDS": (
        "1,5,30,120",
        "A failing event handler is retried after each of these delays in turn; then its event goes to the "
        "handler's dead-letter queue (`linli dead-letters`).",
    ),
    "LINLI_APPLIED_EVENTS_RETENTION_DAYS": (
        "30",
        "How long a handler's record that it applied an event is kept (it makes a redelivery a no-op); read at "
        "start-up, and a change alters the existing index.",
    ),
    "LINLI_EVENT_QUEUE_TYPE": (
        "classic",
        "How the routine and urgent queues of urgent-first event handlers are declared: `classic` or `quorum` "
        "(any RabbitMQ from 3.10; the same urgent lane either way).",
    ),
    "LINLI_LOG_LEVEL": ("INFO", "Log level of every process (logs are JSON lines on stderr)."),
    "OTEL_EXPORTER_OTLP_ENDPOINT": ("", "OTLP/HTTP collector (e.g. http://127.0.0.1:4318); empty: no export."),
    "LINLI_TRACE_SAMPLE_RATIO": (
        "0.1",
        "Share of traces recorded, 0 to 1, decided where a trace starts (the gateway, a device's press, a timer) "
        "and followed by every process downstream (parent-based); 1: trace every request. Logs carry trace ids either way.",
    ),
    # ---- metrics (linli/kit/metrics.py): each process serves Prometheus's /metrics on a port of its own
    "LINLI_METRICS_HOST": ("127.0.0.1", "Address every process's Prometheus metrics server binds (0.0.0.0 in Kubernetes)."),
    "GATEWAY_METRICS_PORT": ("9180", "The gateway's Prometheus metrics port (`/metrics`); 0: no metrics at all."),
    "ELDERCARE_API_METRICS_PORT": ("9181", "The eldercare api's Prometheus metrics port; 0: no metrics at all."),
    "CLINIC_API_METRICS_PORT": ("9182", "The clinic api's Prometheus metrics port; 0: no metrics at all."),
    "EMPLOYMENT_API_METRICS_PORT": ("9183", "The employment api's Prometheus metrics port; 0: no metrics at all."),
    "VOLUNTEER_API_METRICS_PORT": ("9184", "The volunteer api's Prometheus metrics port; 0: no metrics at all."),
    "LINLI_WORKERS_METRICS_PORT": ("9185", "A workers process's Prometheus metrics port (every worker in it); 0: no metrics at all."),
    "NOTIFY_API_METRICS_PORT": ("9187", "The notify api's Prometheus metrics port; 0: no metrics at all."),
    "ELDERCARE_DEVICES_METRICS_PORT": ("9186", "The devices' door's (eldercare-devices) Prometheus metrics port; 0: no metrics at all."),
    "OTEL_METRICS_EXPORTER": (
        "prometheus",
        "`prometheus`: each process serves /metrics on its metrics port; `prometheus,otlp`: also pushes every 30 s "
        "to OTEL_EXPORTER_OTLP_ENDPOINT (the collector's metrics pipeline).",
    ),
    # ---- end of metrics
}


def setting(name: str) -> str:
    """The value of a setting: the environment's, or its documented default."""
    default, _ = SETTINGS[name]
    return os.environ.get(name, default)


def number(name: str) -> float:
    value = setting(name)
    try:
        return float(value)
    except ValueError:
        raise SystemExit(f"{name} must be a number, got {value!r}") from None


def database_name(service: str) -> str:
    return setting("MONGO_DB_PREFIX") + service
