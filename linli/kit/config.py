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
    "GATEWAY_HOST": ("127.0.0.1", "Gateway bind address."),
    "GATEWAY_PORT": ("8080", "Gateway port."),
    "GATEWAY_GRPC_TIMEOUT_SECONDS": ("5", "Deadline of every gRPC call the gateway makes."),
    "GATEWAY_DRAIN_SECONDS": (
        "10",
        "On SIGTERM, how long the gateway lets in-flight HTTP requests finish (board streams close at once).",
    ),
    "LINLI_JWKS_URL": ("", "JWKS of the OIDC issuer; empty trusts the development issuer's key."),
    "LINLI_JWT_ISSUER": ("linli-dev", "Expected `iss` of bearer tokens."),
    "LINLI_JWT_AUDIENCE": ("linli", "Expected `aud` of bearer tokens."),
    "LINLI_DEV_ISSUER_DIR": ("var/dev-issuer", "Where the development issuer keeps its signing key."),
    "LINLI_GRPC_DRAIN_SECONDS": ("10", "On SIGTERM, how long a gRPC api lets in-flight calls finish."),
    "LINLI_OUTBOX_POLL_SECONDS": ("0.5", "How often the outbox relay looks for unsent events."),
    "LINLI_LOG_LEVEL": ("INFO", "Log level of every process (logs are JSON lines on stderr)."),
    "OTEL_EXPORTER_OTLP_ENDPOINT": ("", "OTLP/HTTP collector (e.g. http://127.0.0.1:4318); empty: no export."),
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
