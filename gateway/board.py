"""The live operator board: care-request events from RabbitMQ, pushed to browsers as Server-Sent Events,
resumable after a dropped connection; the same for a resident's, family member's or caregiver's own
requests, and for anyone's own inbox of notifications; and the board's web page.

One live feed per gateway process (gateway/livefeed.py: a pika consumer in a thread of its own) hands each
event to the asyncio loop, where it is fanned out to the subscribers that want it (an operator: the
communities they serve; others: their own requests and notifications).

Resuming: a client that reconnects with Last-Event-ID (header, or ?last_event_id= for EventSource) is
subscribed to the live feed FIRST, then the events it missed are fetched from the api (ListBoardEvents,
from the outbox) and sent before the live ones, live duplicates dropped by event id. Subscribing first
means an event published while the missed ones are fetched is in one list or the other, never neither.
When the api cannot say what was missed (the id is too old or unknown, too many were missed, or it
refuses or fails), the client gets an event `reset`: reload the list, then carry on with the live events.
"""
import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Literal

import grpc
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, RootModel
from google.protobuf import json_format
from google.protobuf.json_format import ParseError
from google.protobuf.timestamp_pb2 import Timestamp

from gateway.auth import require_caller, require_role
from gateway.care_requests import CareRequest, Time, from_event_json, to_rest
from gateway.common import call_options
from gateway.livefeed import LiveFeed
from gateway.notify import NotificationOut
from gateway.notify import _api as notify_api
from gateway.notify import to_rest as notification_to_rest
from linli.eldercare.v1 import eldercare_pb2, residents_pb2
from linli.kit.identity import Caller
from linli.notify.v1 import events_pb2 as notify_events
from linli.notify.v1 import notify_pb2

log = logging.getLogger(__name__)

EXCHANGE = "eldercare.events"
ROUTING_KEY = "care_request.#"
# The notify service's word that an emergency's push and SMS reached nobody: operators must phone the family.
ALERTS_EXCHANGE = "notify.events"
UNREACHED = "emergency.unreached"
# A new entry in one person's inbox: for their own notification stream alone.
NOTIFICATION_CREATED = "notification.created"
OPENING = ": stream open\n\n"
HEARTBEAT = ": heartbeat\n\n"
# No id line: the client's last event id must stay the last real event it saw.
RESET = 'event: reset\ndata: {"type": "reset", "reload": true}\n\n'
# The most missed events sent on resume; past that the client reloads the list (cheaper than replaying).
MISSED_LIMIT = 500
_SANE_EVENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


@dataclass(frozen=True)
class BoardEvent:
    """One care-request event, ready to send: its id, what it is about, and its SSE frame."""

    id: str
    type: str
    community_id: str
    care_request: dict  # the REST representation
    frame: str
    # Whom a decline or a timed-out assignment took the request from (it no longer names them).
    former_assignee_id: str = ""
    # For the operators' board alone (emergency.unreached), never a person's own stream.
    operators_only: bool = False
    # For this person's notification stream alone (notification.created): nobody else's, no board's.
    user_id: str = ""


def _rfc3339(value) -> str | None:
    """Times in the same RFC 3339 UTC form as the REST representation's."""
    timestamp = Timestamp()
    try:
        timestamp.FromJsonString(value)
    except (TypeError, ValueError, AttributeError):
        return None
    return timestamp.ToJsonString()


def _board_event(event_id, event_type, occurred_at: str | None, care_request: dict, former_assignee_id="") -> BoardEvent:
    # Both go on header lines of the frame: a line break in either would forge frames.
    if not all(isinstance(v, str) and v and v.isprintable() for v in (event_id, event_type)):
        raise ValueError("event id and type must be printable strings")
    data = {"type": event_type, "occurred_at": occurred_at, "care_request": care_request}
    frame = f"id: {event_id}\nevent: {event_type}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
    return BoardEvent(event_id, event_type, care_request["community_id"], care_request, frame,
                      former_assignee_id if isinstance(former_assignee_id, str) else "")


def event_from_envelope(envelope: dict) -> BoardEvent:
    """A live event from RabbitMQ; ValueError if it is not a care-request event we can show."""
    try:
        data = envelope["data"]
        care_request = to_rest(from_event_json(data["care_request"]))
    except (KeyError, TypeError, ParseError) as error:
        raise ValueError(f"no care_request in data: {error!r}") from None
    return _board_event(envelope.get("id"), envelope.get("type"), _rfc3339(envelope.get("occurred_at")),
                        care_request, data.get("assignee_id", ""))


def unreached_from_envelope(envelope: dict) -> BoardEvent:
    """notify's emergency.unreached as a frame of the operators' board. It has no id line: the stream's
    resume position stays the last care-request event (what eldercare can replay); a missed alert is not
    replayed, the care request's own events are."""
    data = envelope.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("community_id"), str) or not data["community_id"]:
        raise ValueError("emergency.unreached without a community")
    alert = {"care_request_id": data.get("care_request_id", ""), "community_id": data["community_id"],
             "elder_id": data.get("elder_id", ""), "event_type": data.get("event_type", ""),
             "recipients": [r for r in data.get("recipients") or [] if isinstance(r, str)],
             "deliveries_tried": int(data.get("deliveries_tried") or 0)}
    payload = {"type": UNREACHED, "occurred_at": _rfc3339(envelope.get("occurred_at")), "unreached": alert}
    frame = f"event: {UNREACHED}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"
    return BoardEvent(f"{UNREACHED}:{envelope.get('id')}", UNREACHED, data["community_id"],
                      {"community_id": data["community_id"]}, frame, operators_only=True)


def notification_frame(event_id: str, occurred_at: str | None, user_id: str,
                       notification: notify_pb2.Notification) -> BoardEvent:
    if not (event_id and event_id.isprintable() and user_id):
        raise ValueError("a notification event needs a printable id and its owner")
    data = {"type": NOTIFICATION_CREATED, "occurred_at": occurred_at, "notification": notification_to_rest(notification)}
    frame = f"id: {event_id}\nevent: {NOTIFICATION_CREATED}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
    return BoardEvent(event_id, NOTIFICATION_CREATED, notification.community_id, {}, frame, user_id=user_id)


def notification_from_envelope(envelope: dict) -> BoardEvent:
    """notify's notification.created as a frame of its owner's notification stream; its id is the
    notification's, the position the stream resumes after."""
    try:
        payload = json_format.ParseDict(envelope["data"], notify_events.NotificationCreated(), ignore_unknown_fields=True)
    except (KeyError, TypeError, ParseError) as error:
        raise ValueError(f"not a notification: {error!r}") from None
    return notification_frame(envelope.get("id"), _rfc3339(envelope.get("occurred_at")), payload.user_id,
                              payload.notification)


def event_from_api(event: eldercare_pb2.BoardEvent) -> BoardEvent:
    """A missed event as ListBoardEvents returns it."""
    occurred_at = event.occurred_at.ToJsonString() if event.HasField("occurred_at") else None
    return _board_event(event.id, event.type, occurred_at, to_rest(event.care_request))


def sse_frame(envelope: dict) -> str:
    """The SSE frame for one event envelope; ValueError if it is not a care-request event we can show."""
    return event_from_envelope(envelope).frame


# -- who wants which events --------------------------------------------------------------------------

Wants = Callable[[BoardEvent], bool]
# Fetches the events after an event id: (events oldest first, complete). Raises grpc.RpcError.
MissedEvents = Callable[[str], Awaitable[tuple[list[BoardEvent], bool]]]


def communities_served(caller: Caller) -> Wants:
    """The operator's board: every request of the communities they serve."""
    return lambda event: not event.user_id and caller.serves(event.community_id)


def own_requests(caller: Caller, family_elder_ids: frozenset[str] = frozenset()) -> Wants:
    """What the caller may see of their own (as services/eldercare/domain/care_requests.visible_to says):
    a resident their requests, a family member their elders', a caregiver or volunteer their jobs,
    including the event that took a job away from them."""
    field_staff = caller.has_role("caregiver", "volunteer")

    def wants(event: BoardEvent) -> bool:
        if event.operators_only or event.user_id:
            return False
        request = event.care_request
        if field_staff and caller.subject in (event.former_assignee_id,
                                              (request.get("assignment") or {}).get("assignee_id")):
            return True
        if caller.has_role("resident") and request.get("elder_id") == caller.subject:
            return True
        return caller.has_role("family") and request.get("elder_id") in family_elder_ids

    return wants


def own_notifications(caller: Caller) -> Wants:
    """A person's notification stream: the new entries of their own inbox."""
    return lambda event: event.type == NOTIFICATION_CREATED and event.user_id == caller.subject


@dataclass(eq=False)
class Subscription:
    caller: Caller
    wants: Wants
    # Events waiting to be sent; None ends the stream.
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(maxsize=100))

    def end(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)


class Board:
    def __init__(
        self,
        amqp_uri: str,
        exchange: str = EXCHANGE,
        routing_key: str = ROUTING_KEY,
        heartbeat_seconds: float = 15.0,
        max_backoff_seconds: float = 30.0,
        alerts_exchange: str | None = ALERTS_EXCHANGE,
    ):
        self.amqp_uri = amqp_uri
        self.heartbeat_seconds = heartbeat_seconds
        self._subscriptions: set[Subscription] = set()
        bindings = [(exchange, routing_key)]
        if alerts_exchange:
            bindings += [(alerts_exchange, UNREACHED), (alerts_exchange, NOTIFICATION_CREATED)]
        self._feed = LiveFeed("board", amqp_uri, bindings, self._fan_out, max_backoff_seconds)

    # -- state --------------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True while the queue is bound and consuming."""
        return self._feed.connected

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until the queue is bound (from a thread; in asyncio use asyncio.to_thread)."""
        return self._feed.wait_ready(timeout)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)

    # -- the feed (gateway/livefeed.py) ---------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._feed.start(loop)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop consuming (blocks up to timeout; call through asyncio.to_thread from the loop)."""
        self._feed.stop(timeout)

    # -- fan-out (on the asyncio loop) --------------------------------------------------------------

    def _fan_out(self, envelope: dict) -> None:
        try:
            kind = envelope.get("type")
            event = unreached_from_envelope(envelope) if kind == UNREACHED \
                else notification_from_envelope(envelope) if kind == NOTIFICATION_CREATED \
                else event_from_envelope(envelope)
        except ValueError as error:
            log.warning("board dropped event %s: %s", envelope.get("id"), error)
            return
        for subscription in list(self._subscriptions):
            if not subscription.wants(event):
                continue
            try:
                subscription.queue.put_nowait(event)
            except asyncio.QueueFull:
                # A subscriber that can't keep up is cut off rather than let memory grow; it reconnects
                # with its last event id and gets what it missed.
                log.warning("board dropped a slow subscriber (%s)", subscription.caller.subject)
                self._subscriptions.discard(subscription)
                subscription.end()

    def close_streams(self) -> None:
        """End every open stream (on shutdown, so they don't hold the server open). Call on the loop."""
        for subscription in list(self._subscriptions):
            self._subscriptions.discard(subscription)
            subscription.end()

    async def stream(self, caller: Caller, wants: Wants | None = None, last_event_id: str | None = None,
                     missed: MissedEvents | None = None) -> AsyncIterator[str]:
        """The SSE body for one subscriber: an opening comment at once, then (when resuming) the events
        after last_event_id or a reset, then live events and heartbeats."""
        subscription = Subscription(caller, wants or communities_served(caller))
        self._subscriptions.add(subscription)  # before fetching what was missed: see the module's docstring
        try:
            yield OPENING
            already_sent: set[str] = set()
            if last_event_id:
                backlog = await _fetch_missed(missed, last_event_id, caller)
                if backlog is None:
                    yield RESET
                else:
                    for event in backlog:
                        if subscription.wants(event):
                            already_sent.add(event.id)
                            yield event.frame
            while True:
                try:
                    event = await asyncio.wait_for(subscription.queue.get(), self.heartbeat_seconds)
                except TimeoutError:
                    yield HEARTBEAT
                    continue
                if event is None:
                    return
                if event.id in already_sent:
                    already_sent.discard(event.id)  # each can come live at most once more
                    continue
                yield event.frame
        finally:
            self._subscriptions.discard(subscription)


async def _fetch_missed(missed: MissedEvents | None, last_event_id: str, caller: Caller) -> list[BoardEvent] | None:
    """The events after last_event_id, oldest first; None when the client must reload instead."""
    if missed is None or not _SANE_EVENT_ID.fullmatch(last_event_id):
        return None
    try:
        events, complete = await missed(last_event_id)
    except grpc.RpcError as error:
        # PERMISSION_DENIED: the api resumes only the operators' board so far. Anything else: it failed.
        log.info("cannot resume %s's stream (%s): sending reset", caller.subject, error.code())
        return None
    return events if complete else None


# -- routes --------------------------------------------------------------------------------------------

class BoardEventData(BaseModel):
    """The JSON on the `data:` line of each Server-Sent Events frame of the board's and "my requests"
    streams. The frame's `event:` is the same type and its `id:` the event id to resume after
    (Last-Event-ID). An `event: reset` frame (no id) means: reload the list, then carry on."""

    type: str = Field(description="care_request.raised, care_request.acknowledged, ...")
    occurred_at: Time | None
    care_request: CareRequest = Field(description="The request as it is after the event")


class BoardResetData(BaseModel):
    """The data of an `event: reset` frame (it has no id): what was missed cannot be replayed; reload the
    list, then carry on with the live events."""

    type: Literal["reset"]
    reload: Literal[True]


class EventStream(StreamingResponse):
    media_type = "text/event-stream"


_STREAM_DOC = {200: {"description": "Server-Sent Events; each frame's data is a BoardEventData (see "
                                    "components.schemas), `: heartbeat` comments keep the connection open"}}

router = APIRouter(tags=["board"])

LastEventId = Annotated[str | None, Header(alias="Last-Event-ID", max_length=256,
                                           description="Resume after this event (SSE reconnect)")]
LastEventIdQuery = Annotated[str | None, Query(max_length=256,
                                               description="Same as the Last-Event-ID header, for EventSource")]
_SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _missed_events(request: Request, caller: Caller) -> MissedEvents:
    async def missed(after_event_id: str) -> tuple[list[BoardEvent], bool]:
        query = eldercare_pb2.ListBoardEventsRequest(after_event_id=after_event_id, limit=MISSED_LIMIT)
        reply = await request.app.state.eldercare.ListBoardEvents(query, **call_options(request, caller))
        events = []
        for event in reply.events:
            try:
                events.append(event_from_api(event))
            except ValueError as error:
                log.warning("board skipped missed event %s: %s", event.id, error)
        return events, reply.complete

    return missed


def _sse(body: AsyncIterator[str]) -> StreamingResponse:
    # No caching, and no buffering by a reverse proxy: frames must arrive as they happen.
    return EventStream(body, headers=_SSE_HEADERS)


@router.get("/v1/board/stream", response_class=EventStream, responses=_STREAM_DOC)
async def board_stream(
    request: Request,
    last_event_id_header: LastEventId = None,
    last_event_id: LastEventIdQuery = None,
    caller: Caller = Depends(require_caller),
) -> EventStream:
    """Server-Sent Events of care-request changes in the caller's communities (operators). Reconnect with
    Last-Event-ID to get what was missed first; an event `reset` means: reload the list."""
    require_role(caller, "operator", "administrator")
    board: Board = request.app.state.board
    return _sse(board.stream(caller, communities_served(caller), last_event_id_header or last_event_id,
                             _missed_events(request, caller)))


async def _family_elder_ids(request: Request, caller: Caller) -> frozenset[str]:
    """The elders a family member follows: those who list them as a contact (the residents' records, as
    ListElders shows them to the caller), whether or not any request exists yet, so the very first call
    for help reaches them. A contact added while the stream is open counts from its next reconnect."""
    elders, token = set(), ""
    for _ in range(10):  # at most 2,000 elders: more than any family follows, bounded for the gateway
        query = residents_pb2.ListEldersRequest(page_size=200, page_token=token)
        reply = await request.app.state.residents.ListElders(query, **call_options(request, caller))
        elders |= {elder.id for elder in reply.elders}
        token = reply.next_page_token
        if not token:
            break
    return frozenset(elders)


@router.get("/v1/me/care-requests/stream", tags=["care requests"], response_class=EventStream,
            responses=_STREAM_DOC)
async def my_care_requests_stream(
    request: Request,
    last_event_id_header: LastEventId = None,
    last_event_id: LastEventIdQuery = None,
    caller: Caller = Depends(require_caller),
) -> EventStream:
    """Server-Sent Events of the caller's own requests: a resident's calls, a family member's elders' (every
    elder who lists them as a contact when the stream opens, including an elder's very first call), a
    caregiver's or volunteer's jobs. Same events, resume and `reset` as the board's stream."""
    require_role(caller, "resident", "family", "caregiver", "volunteer")
    family_elders = await _family_elder_ids(request, caller) if caller.has_role("family") else frozenset()
    board: Board = request.app.state.board
    return _sse(board.stream(caller, own_requests(caller, family_elders), last_event_id_header or last_event_id,
                             _missed_events(request, caller)))


class NotificationEventData(BaseModel):
    """The JSON on the `data:` line of each frame of the notification stream. The frame's `event:` is
    notification.created and its `id:` the notification's id, to resume after (Last-Event-ID). An
    `event: reset` frame (no id) means: reload the inbox (GET /v1/me/notifications), then carry on."""

    type: Literal["notification.created"]
    occurred_at: Time | None
    notification: NotificationOut = Field(description="The new inbox entry, as GET /v1/me/notifications lists it")


class NotificationStreamData(RootModel[NotificationEventData | BoardResetData]):
    """The JSON on the data: line of a notification stream frame: a notification (`event:` and `id:` set),
    or `reset` (no id): reload the inbox, then carry on."""


_NOTIFICATION_STREAM_DOC = {200: {"description": "Server-Sent Events; each frame's data is a NotificationStreamData "
                                                 "(see components.schemas), `: heartbeat` comments keep the "
                                                 "connection open"}}


def _missed_notifications(request: Request, caller: Caller) -> MissedEvents:
    """The caller's notifications made after one of theirs, oldest first, read from their inbox (newest
    first) until that one is found; incomplete when it is not among the last MISSED_LIMIT."""
    async def missed(after_id: str) -> tuple[list[BoardEvent], bool]:
        api, newer, token = await notify_api(request), [], ""
        while len(newer) < MISSED_LIMIT:
            query = notify_pb2.ListMyNotificationsRequest(page_size=100, page_token=token)
            reply = await api.ListMyNotifications(query, **call_options(request, caller))
            for note in reply.notifications:
                if note.id == after_id:
                    return [_replayed(made, caller) for made in reversed(newer)], True
                newer.append(note)
            token = reply.next_page_token
            if not token:
                break
        return [], False

    return missed


def _replayed(note: notify_pb2.Notification, caller: Caller) -> BoardEvent:
    created = note.created_at.ToJsonString() if note.HasField("created_at") else None
    return notification_frame(note.id, created, caller.subject, note)


@router.get("/v1/me/notifications/stream", tags=["notifications"], response_class=EventStream,
            responses=_NOTIFICATION_STREAM_DOC)
async def my_notifications_stream(
    request: Request,
    last_event_id_header: LastEventId = None,
    last_event_id: LastEventIdQuery = None,
    caller: Caller = Depends(require_caller),
) -> EventStream:
    """Server-Sent Events of your inbox: each notification as it is made (the same entry GET
    /v1/me/notifications lists), whoever you are. Reconnect with Last-Event-ID (the last notification id
    you saw) to get the ones made meanwhile first; an event `reset` means: reload the inbox."""
    board: Board = request.app.state.board
    return _sse(board.stream(caller, own_notifications(caller), last_event_id_header or last_event_id,
                             _missed_notifications(request, caller)))
