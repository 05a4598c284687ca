"""Calling a Nameko worker's @rpc method from a plain process (a grpcio api, never eventlet-patched).

    from linli.kit import rpc
    offers = rpc.call("volunteer", "available_near", "donghuayuan", 41.88, 123.95, "shopping", 5)

Nameko's standalone ClusterRpcClient works without eventlet (kombu and py-amqp on ordinary sockets), but
it is single-threaded: one reply queue, one pending-replies table, no locks. So every call here gets a
client of its own, started and stopped around it (about 10-30 ms on a local broker, fine for a call an
operator's click makes). And it can wait long: kombu retries a broker it cannot reach forever. So the
call runs in a short-lived daemon thread and the caller waits at most `timeout` seconds; a client left
behind finishes or fails on its own (its reply queue expires), and the caller carries on.

call() raises RpcUnavailable when the answer does not come in time, the broker cannot be reached, or the
service is unknown; an error the remote method raised comes back as Nameko deserializes it (RemoteError,
or a registered type such as IncorrectSignature).
"""
import contextvars
import logging
import threading

from linli.kit.config import number, setting

log = logging.getLogger(__name__)


class RpcUnavailable(Exception):
    """No answer in time: the worker is down or slow, or the broker unreachable."""


def _call(amqp_uri: str, timeout: float, service: str, method: str, args: tuple, kwargs: dict):
    from nameko.standalone.rpc import ClusterRpcClient

    # The reply listener gives up after `timeout` without a reply (in whole seconds: kombu drains in 1 s
    # steps); the publisher retries a lost broker connection once, not three times.
    with ClusterRpcClient(uri=amqp_uri, timeout=max(1.0, timeout), retry_policy={"max_retries": 1}) as client:
        return getattr(client[service], method)(*args, **kwargs)


def call(service: str, method: str, *args, timeout: float | None = None, amqp_uri: str | None = None, **kwargs):
    """The result of service.method(*args, **kwargs), waiting at most timeout seconds
    (LINLI_RPC_TIMEOUT_SECONDS by default). Safe from any number of threads at once."""
    timeout = number("LINLI_RPC_TIMEOUT_SECONDS") if timeout is None else timeout
    amqp_uri = amqp_uri or setting("AMQP_URI")
    outcome: dict = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["result"] = _call(amqp_uri, timeout, service, method, args, kwargs)
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error
        finally:
            done.set()

    # The caller's context (its trace) goes with the call, so the RPC joins the caller's trace.
    context = contextvars.copy_context()
    threading.Thread(target=context.run, args=(run,), name=f"rpc-{service}.{method}", daemon=True).start()
    if not done.wait(timeout):
        raise RpcUnavailable(f"{service}.{method} did not answer within {timeout:.1f}s")
    error = outcome.get("error")
    if error is None:
        return outcome["result"]
    from nameko.exceptions import RemoteError, RpcTimeout, UnknownService

    if isinstance(error, RemoteError):
        raise error
    if isinstance(error, (RpcTimeout, UnknownService, OSError)) or type(error).__module__.startswith(("kombu", "amqp")):
        raise RpcUnavailable(f"{service}.{method}: {type(error).__name__}: {error}") from error
    raise error
