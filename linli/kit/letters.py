"""Names shared by the retrying event handlers (handlers.py, inside Nameko workers) and the
`linli dead-letters` command (outside them): no Nameko or eventlet import here."""

RETRY_SUFFIX = ".retry"  # <handler queue>.retry holds failed events while they wait for their retry
DEAD_SUFFIX = ".dead"  # <handler queue>.dead holds the events a handler gave up on
# An urgent-first handler consumes two queues: Nameko's name + ROUTINE_SUFFIX (every event of its type) and
# Nameko's name + URGENT_SUFFIX (only the urgent ones, consumed alongside: an emergency never waits behind
# the routine backlog). Its retry and dead-letter queues are the routine queue's.
ROUTINE_SUFFIX = "--routine"
URGENT_SUFFIX = "--urgent"
# No "x-" prefix on these two: a headers exchange ignores x- arguments when it matches (RabbitMQ 3.x).
LANE = "linli-lane"  # set by the outbox relay: "urgent" (priority URGENT and above) or "routine"
EVENT_TYPE = "linli-event"  # set by the outbox relay: the event's type (its routing key)

ATTEMPTS = "x-linli-attempts"  # how many times a handler has failed on this event
QUEUE = "x-linli-queue"  # the handler's queue: where a replay sends the event back
ERROR = "x-linli-error"  # the last failure, one line
FAILED_AT = "x-linli-failed-at"
ORIGIN = "x-linli-origin"  # "<exchange> <routing key>" the event was first published to
