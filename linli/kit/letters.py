"""Names shared by the retrying event handlers (handlers.py, inside Nameko workers) and the
`linli dead-letters` command (outside them): no Nameko or eventlet import here."""

RETRY_SUFFIX = ".retry"  # <handler queue>.retry holds failed events while they wait for their retry
DEAD_SUFFIX = ".dead"  # <handler queue>.dead holds the events a handler gave up on
URGENT_FIRST_SUFFIX = "--urgent-first"  # a priority queue's name: Nameko's name + this

ATTEMPTS = "x-linli-attempts"  # how many times a handler has failed on this event
QUEUE = "x-linli-queue"  # the handler's queue: where a replay sends the event back
ERROR = "x-linli-error"  # the last failure, one line
FAILED_AT = "x-linli-failed-at"
ORIGIN = "x-linli-origin"  # "<exchange> <routing key>" the event was first published to
