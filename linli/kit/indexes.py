"""The one way a service registers its indexes: it declares them all as INDEXES in its store package
(services/<name>/store/__init__.py), and every process that opens its database (the api through
linli.kit.api, the workers through linli.kit.nameko_deps.Database) ensures them with the kit's own."""
from linli.kit import consumer, outbox
from linli.kit.mongo import Index, ensure_indexes


def with_kit_indexes(indexes) -> list[Index]:
    """A service's indexes and those of the kit's collections in its database (outbox, apply-once)."""
    return [*indexes, *outbox.INDEXES, *consumer.INDEXES]


def ensure_service_indexes(db, indexes) -> None:
    """Create a service's indexes and the kit's (a no-op for those that exist: every start runs this)."""
    ensure_indexes(db, with_kit_indexes(indexes))
