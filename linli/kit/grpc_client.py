"""Channels to the platform's own gRPC apis, written once: every client (the gateway, the demo loader,
the simulator) spreads its calls over the api's replicas and retries a call the api never started, so a
rolling update of an api fails no call.

In a rolling update the api being replaced sends GOAWAY and drains. Calls that reached it after it stopped
taking new ones fail before any of its code runs: most as UNAVAILABLE, and some as CANCELLED, because
grpcio's server cancels the calls still waiting to be picked up when it shuts down
(https://github.com/grpc/grpc/issues/41785). Both are safe to send again, and round_robin sends the retry
to another of the name's addresses, or over a new connection.

Our apis never answer UNAVAILABLE or CANCELLED themselves once a call has started, with one exception: a
call still running when the api's drain time (LINLI_GRPC_DRAIN_SECONDS) runs out is cancelled. The
gateway's deadline is shorter than that drain (GATEWAY_GRPC_TIMEOUT_SECONDS, 5 s, against 10 s; deploy/check.py
keeps it so), so such a call has already failed there with DEADLINE_EXCEEDED, which is not retried. The demo
loader and the simulator wait longer, but every call they make is safe to repeat (request ids, a press
repeated while unanswered is the same call, ALREADY_EXISTS or a refused transition taken as done).
"""
import json

import grpc

RETRIED_CODES = ("UNAVAILABLE", "CANCELLED")

SERVICE_CONFIG = json.dumps({
    # Every call goes to the next of the name's addresses (a headless Service's pods), not all calls down
    # the first connection; the apis' max connection age makes the channel re-resolve as pods change.
    "loadBalancingConfig": [{"round_robin": {}}],
    "methodConfig": [{
        "name": [{}],  # every method of every service on the channel
        "retryPolicy": {
            "maxAttempts": 4,
            "initialBackoff": "0.05s",
            "maxBackoff": "0.5s",
            "backoffMultiplier": 2,
            "retryableStatusCodes": list(RETRIED_CODES),
        },
    }],
})

CHANNEL_OPTIONS = (
    ("grpc.enable_retries", 1),
    ("grpc.service_config", SERVICE_CONFIG),
)


def insecure_channel(address: str) -> grpc.Channel:
    """A blocking channel to a platform api that retries calls the api never started."""
    return grpc.insecure_channel(address, options=CHANNEL_OPTIONS)


def aio_insecure_channel(address: str) -> grpc.aio.Channel:
    """The asyncio twin, for the gateway."""
    return grpc.aio.insecure_channel(address, options=CHANNEL_OPTIONS)
