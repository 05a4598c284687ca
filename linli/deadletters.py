"""`linli dead-letters`: list, inspect, replay and drop the events handlers gave up on.

    linli dead-letters list                          every dead-letter queue with messages (and retries waiting)
    linli dead-letters show QUEUE [--limit 20] [--body]
    linli dead-letters replay QUEUE (--id ID ... | --all)
    linli dead-letters drop QUEUE (--id ID ... | --all)

QUEUE is a handler's queue (evt-eldercare-care_request.raised--eldercare.count_raised--routine) or
its dead-letter queue (the same + `.dead`). Replay sends an event back to its handler's queue with a fresh
count of attempts; the handler applies it once (apply_once), however often it is replayed.
`list` reads the RabbitMQ management API (port 15672); the others speak AMQP only (pika).
"""
import argparse
import json
import sys
from urllib.parse import quote, unquote, urlparse

import pika

from linli.kit.config import setting
from linli.kit.letters import ATTEMPTS, DEAD_SUFFIX, ERROR, FAILED_AT, ORIGIN, QUEUE, RETRY_SUFFIX


def dead_queue(name: str) -> str:
    return name if name.endswith(DEAD_SUFFIX) else name + DEAD_SUFFIX


def _connect(amqp_uri: str) -> pika.BlockingConnection:
    params = pika.URLParameters(amqp_uri)
    params.client_properties = {"connection_name": "linli dead-letters"}
    return pika.BlockingConnection(params)


def _summary(properties, body: bytes) -> dict:
    headers = properties.headers or {}
    try:
        envelope = json.loads(body)
    except ValueError:
        envelope = None
    envelope = envelope if isinstance(envelope, dict) else {}
    return {"id": properties.message_id or envelope.get("id") or "", "type": envelope.get("type", "?"),
            "attempts": headers.get(ATTEMPTS, 0), "failed_at": headers.get(FAILED_AT, ""),
            "error": headers.get(ERROR, ""), "origin": headers.get(ORIGIN, ""), "queue": headers.get(QUEUE, "")}


def list_queues(amqp_uri: str) -> list[dict]:
    """Dead-letter queues (and retry queues) on the broker's vhost, with their message counts."""
    import httpx

    parts = urlparse(amqp_uri)
    vhost = unquote(parts.path[1:]) if parts.path not in ("", "/") else "/"
    api = f"http://{parts.hostname or '127.0.0.1'}:15672/api/queues/{quote(vhost, safe='')}"
    response = httpx.get(api, params={"columns": "name"},
                         auth=(unquote(parts.username or "guest"), unquote(parts.password or "guest")), timeout=10)
    response.raise_for_status()
    names = sorted(q["name"] for q in response.json() if q["name"].endswith((DEAD_SUFFIX, RETRY_SUFFIX)))
    # The management API's counts lag by seconds; the broker's own answer does not.
    connection = _connect(amqp_uri)
    try:
        channel = connection.channel()
        return [{"name": name, "messages": channel.queue_declare(name, passive=True).method.message_count}
                for name in names]
    finally:
        connection.close()


def peek(amqp_uri: str, queue: str, limit: int) -> list[tuple]:
    """Up to limit messages of a dead-letter queue, left in it: (properties, body) pairs."""
    connection = _connect(amqp_uri)
    try:
        channel = connection.channel()
        seen = []
        for _ in range(limit):
            method, properties, body = channel.basic_get(dead_queue(queue), auto_ack=False)
            if method is None:
                break
            seen.append((properties, body))
        return seen  # closing the connection unacked puts every one back
    finally:
        connection.close()


def take(amqp_uri: str, queue: str, ids: set[str] | None, action) -> int:
    """Run action(channel, properties, body) on each message of the dead-letter queue whose id is in ids
    (every message when ids is None), then remove it; others stay. Returns how many were taken."""
    connection = _connect(amqp_uri)
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        waiting = channel.queue_declare(dead_queue(queue), passive=True).method.message_count
        taken = 0
        for _ in range(waiting):
            method, properties, body = channel.basic_get(dead_queue(queue), auto_ack=False)
            if method is None:
                break
            if ids is not None and _summary(properties, body)["id"] not in ids:
                continue  # stays unacked until we close: then it goes back
            action(channel, properties, body)
            channel.basic_ack(method.delivery_tag)
            taken += 1
        return taken
    finally:
        connection.close()


def replay_to_handler(queue: str):
    """The action that sends a dead letter back to its handler's queue, as a fresh event."""

    def replay(channel, properties, body):
        headers = {k: v for k, v in (properties.headers or {}).items() if k not in (ATTEMPTS, ERROR, FAILED_AT)}
        target = headers.pop(QUEUE, None) or dead_queue(queue)[: -len(DEAD_SUFFIX)]
        replayed = pika.BasicProperties(
            content_type=properties.content_type, content_encoding=properties.content_encoding,
            delivery_mode=pika.DeliveryMode.Persistent, message_id=properties.message_id,
            priority=properties.priority, headers=headers)
        # Publisher confirms: the dead letter is acked only once the broker holds the replayed copy.
        channel.basic_publish("", target, body, replayed, mandatory=True)

    return replay


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linli dead-letters", description=__doc__.split("\n\n")[0])
    parser.add_argument("--amqp-uri", default=setting("AMQP_URI"))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="dead-letter and retry queues with their message counts")
    show = commands.add_parser("show", help="the messages of a dead-letter queue (left in place)")
    show.add_argument("queue")
    show.add_argument("--limit", type=int, default=20)
    show.add_argument("--body", action="store_true", help="print each event's body too")
    for name, what in (("replay", "send back to the handler"), ("drop", "discard for good")):
        sub = commands.add_parser(name, help=f"{what}: the messages named by --id, or --all")
        sub.add_argument("queue")
        chosen = sub.add_mutually_exclusive_group(required=True)
        chosen.add_argument("--id", action="append", dest="ids", help="an event id (repeatable)")
        chosen.add_argument("--all", action="store_true")
    args = parser.parse_args(argv)
    uri = args.amqp_uri

    try:
        if args.command == "list":
            import httpx

            try:
                queues = list_queues(uri)
            except httpx.HTTPError as error:
                print(f"cannot list queues through RabbitMQ's management API: {error}", file=sys.stderr)
                return 1
            width = max([len(q["name"]) for q in queues] + [5])
            print(f"{'queue':<{width}}  messages")
            for q in queues:
                print(f"{q['name']:<{width}}  {q.get('messages') or 0}")
            return 0
        if args.command == "show":
            for properties, body in peek(uri, args.queue, args.limit):
                s = _summary(properties, body)
                print(f"{s['id']}  {s['type']}  attempts={s['attempts']}  failed_at={s['failed_at']}\n"
                      f"    error: {s['error']}\n    origin: {s['origin']}  handler queue: {s['queue']}")
                if args.body:
                    print("    body: " + body.decode("utf-8", errors="replace"))
            return 0
        ids = None if args.all else set(args.ids)
        if args.command == "replay":
            count = take(uri, args.queue, ids, replay_to_handler(args.queue))
            print(f"replayed {count} event(s) from {dead_queue(args.queue)}")
        else:
            count = take(uri, args.queue, ids, lambda *_: None)
            print(f"dropped {count} event(s) from {dead_queue(args.queue)}")
        return 0
    except pika.exceptions.ChannelClosedByBroker as error:
        print(f"RabbitMQ refused: {error.reply_text}", file=sys.stderr)
        return 1
    except (pika.exceptions.AMQPError, OSError) as error:
        print(f"cannot reach RabbitMQ at {uri}: {error!r}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
