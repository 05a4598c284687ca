"""REST resources over the notify gRPC api: where the caller is reached when their app is closed (Web Push
subscriptions, mobile device tokens), their inbox, and their preferences. Every route is the caller's own.

A family member's elders (the elders whose record lists them as a contact, which is the elder's consent to
tell them) are read here from eldercare, as the caller, and handed to the notify api with each
registration or preferences change: so the family hears of an elder's very first emergency."""
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from google.protobuf import field_mask_pb2, json_format
from pydantic import BaseModel, ConfigDict, Field

from gateway.auth import require_caller
from gateway.common import IdempotencyKey, call_options
from linli.eldercare.v1 import residents_pb2
from linli.kit import grpc_client
from linli.kit.identity import Caller
from linli.notify.v1 import notify_pb2 as pb
from linli.notify.v1 import notify_pb2_grpc as pb_grpc

router = APIRouter(tags=["notifications"])

_ENUM_PREFIXES = ("ENDPOINT_KIND_", "URGENCY_", "CHANNEL_", "DELIVERY_STATUS_")
# A family member with more elders than this is not one person: enough for any family, bounded for the gateway.
MAX_ELDER_PAGES = 5


class NotifyStubs:
    def __init__(self, address: str):
        self.channel = grpc_client.aio_insecure_channel(address)
        self.notify = pb_grpc.NotifyServiceStub(self.channel)

    async def close(self) -> None:
        await self.channel.close(grace=1)


async def _api(request: Request) -> pb_grpc.NotifyServiceStub:
    return request.app.state.notify.notify


def _short(value):
    if isinstance(value, dict):
        return {key: _short(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_short(item) for item in value]
    if isinstance(value, str) and value.startswith(_ENUM_PREFIXES):
        return next(value.removeprefix(p) for p in _ENUM_PREFIXES if value.startswith(p)).lower()
    return value


def to_rest(message) -> dict:
    return _short(json_format.MessageToDict(message, preserving_proto_field_name=True,
                                            always_print_fields_with_no_presence=True))


async def _elder_links(request: Request, caller: Caller) -> list[pb.ElderLink] | None:
    """For a family member: the elders whose contacts list them, with the phone listed for them; None for
    anyone else (the links kept stay as they are)."""
    if not caller.has_role("family"):
        return None
    links, token = [], ""
    for _ in range(MAX_ELDER_PAGES):
        reply = await request.app.state.residents.ListElders(
            residents_pb2.ListEldersRequest(page_size=200, page_token=token), **call_options(request, caller))
        for elder in reply.elders:
            mine = [c for c in elder.contacts if c.user_id == caller.subject]
            if mine:
                links.append(pb.ElderLink(elder_id=elder.id, community_id=elder.community_id, phone=mine[0].phone,
                                          elder_name=elder.name))
        token = reply.next_page_token
        if not token:
            break
    return links


# -- models --------------------------------------------------------------------------------------------------

class SubscriptionKeys(BaseModel):
    model_config = ConfigDict(extra="forbid")
    p256dh: str = Field(min_length=1, max_length=200, description="The subscription's P-256 key, base64url")
    auth: str = Field(min_length=1, max_length=100, description="The subscription's auth secret, base64url")


class EndpointIn(BaseModel):
    """A Web Push subscription as the browser's PushSubscription.toJSON() gives it (kind web_push: endpoint
    and keys), or a mobile app's device token (kind mobile_push: provider and token)."""
    model_config = ConfigDict(extra="forbid")
    kind: Literal["web_push", "mobile_push"]
    expirationTime: float | None = Field(None, description="As PushSubscription.toJSON() gives it; not used")
    endpoint: str | None = Field(None, max_length=2048, description="The push service URL (web_push)")
    keys: SubscriptionKeys | None = None
    provider: str | None = Field(None, max_length=32, description="The push vendor, e.g. huawei (mobile_push)")
    token: str | None = Field(None, max_length=4096, description="The device token (mobile_push)")
    label: str = Field("", max_length=60, description="What you call this device")


class EndpointOut(BaseModel):
    id: str
    kind: Literal["web_push", "mobile_push"]
    push_url: str
    provider: str
    token: str = Field(description="The device token's first characters only")
    label: str
    registered_at: datetime | None = None


class EndpointRemoved(BaseModel):
    id: str
    removed: bool


class EndpointList(BaseModel):
    items: list[EndpointOut]


class DeliveryOut(BaseModel):
    channel: Literal["web_push", "mobile_push", "sms"]
    target: str = Field(description="The endpoint's id, or the phone number with its last four digits only")
    status: Literal["pending", "sent", "dead", "gone", "suppressed"]
    attempts: int
    last_error: str
    next_attempt_at: datetime | None = None
    updated_at: datetime | None = None


class NotificationOut(BaseModel):
    id: str
    community_id: str
    event_type: str
    care_request_id: str
    elder_id: str
    urgency: Literal["routine", "emergency"]
    title: str
    body: str
    language: Literal["zh", "en"]
    created_at: datetime | None = None
    read_at: datetime | None = Field(None, description="Absent while unread")
    deliveries: list[DeliveryOut]


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    next_page_token: str | None
    unread_count: int


class NotificationChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    read: bool


HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class PreferencesOut(BaseModel):
    language: Literal["zh", "en"]
    web_push: bool
    mobile_push: bool
    sms: bool = Field(description="SMS for emergencies (routine messages never go by SMS)")
    phone: str
    quiet_hours_start: str
    quiet_hours_end: str
    on_duty: bool = Field(description="Operators: on duty as the supervisor escalations reach")
    max_per_hour: int
    updated_at: datetime | None = None


class PreferencesIn(BaseModel):
    """The fields present are changed, and only those. Quiet hours: both ends, or both empty for none."""
    model_config = ConfigDict(extra="forbid")
    language: Literal["zh", "en"] | None = None
    web_push: bool | None = None
    mobile_push: bool | None = None
    sms: bool | None = None
    phone: str | None = Field(None, pattern=r"^(\+?\d{6,15})?$")
    quiet_hours_start: Literal[""] | Annotated[str, Field(pattern=HHMM)] | None = None
    quiet_hours_end: Literal[""] | Annotated[str, Field(pattern=HHMM)] | None = None
    on_duty: bool | None = None
    max_per_hour: int | None = Field(None, ge=1, le=60)


class WebPushKey(BaseModel):
    application_server_key: str = Field(description="Pass to PushManager.subscribe as applicationServerKey")


EndpointId = Annotated[str, Path(min_length=1, max_length=64)]
NotificationId = Annotated[str, Path(min_length=1, max_length=200)]


# -- routes --------------------------------------------------------------------------------------------------

@router.get("/v1/push/web-push-key", response_model=WebPushKey)
async def web_push_key(request: Request, caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """The platform's VAPID public key (RFC 8292), which a browser subscribes with."""
    reply = await api.GetWebPushKey(pb.GetWebPushKeyRequest(), **call_options(request, caller))
    return to_rest(reply)


@router.post("/v1/me/push-endpoints", status_code=201, response_model=EndpointOut)
async def register_endpoint(body: EndpointIn, request: Request, idempotency_key: IdempotencyKey = None,
                            caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Register where you are reached when the app is closed; registering the same one again updates it."""
    keys = body.keys or SubscriptionKeys.model_construct(p256dh="", auth="")
    endpoint = pb.Endpoint(
        kind=pb.ENDPOINT_KIND_WEB_PUSH if body.kind == "web_push" else pb.ENDPOINT_KIND_MOBILE_PUSH,
        push_url=body.endpoint or "", p256dh=keys.p256dh, auth=keys.auth, provider=body.provider or "",
        token=body.token or "", label=body.label)
    reply = await api.RegisterEndpoint(pb.RegisterEndpointRequest(endpoint=endpoint,
                                                                  elders=await _elder_links(request, caller) or []),
                                       **call_options(request, caller))
    return to_rest(reply.endpoint)


@router.get("/v1/me/push-endpoints", response_model=EndpointList)
async def list_endpoints(request: Request, caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.ListMyEndpoints(pb.ListMyEndpointsRequest(), **call_options(request, caller))
    return {"items": [to_rest(e) for e in reply.endpoints]}


@router.delete("/v1/me/push-endpoints/{endpoint_id}", response_model=EndpointRemoved)
async def remove_endpoint(endpoint_id: EndpointId, request: Request, caller: Caller = Depends(require_caller),
                          api=Depends(_api)) -> dict:
    """Stop pushing to this subscription or device (logging out, a revoked permission)."""
    await api.RemoveEndpoint(pb.RemoveEndpointRequest(id=endpoint_id), **call_options(request, caller))
    return {"id": endpoint_id, "removed": True}


@router.get("/v1/me/notifications", response_model=NotificationPage)
async def list_notifications(request: Request, page_size: Annotated[int, Query(ge=1, le=100)] = 20,
                             page_token: Annotated[str | None, Query(max_length=1024)] = None,
                             unread_only: bool = False, caller: Caller = Depends(require_caller),
                             api=Depends(_api)) -> dict:
    """Your inbox, newest first, with how each notification was delivered and how many are unread."""
    reply = await api.ListMyNotifications(pb.ListMyNotificationsRequest(
        page_size=page_size, page_token=page_token or "", unread_only=unread_only), **call_options(request, caller))
    return {"items": [to_rest(n) for n in reply.notifications], "next_page_token": reply.next_page_token or None,
            "unread_count": reply.unread_count}


@router.patch("/v1/me/notifications/{notification_id}", response_model=NotificationOut)
async def mark_notification(notification_id: NotificationId, body: NotificationChange, request: Request,
                            caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    """Mark a notification read ({"read": true}) or unread again."""
    reply = await api.MarkNotification(pb.MarkNotificationRequest(id=notification_id, read=body.read),
                                       **call_options(request, caller))
    return to_rest(reply.notification)


@router.get("/v1/me/notification-preferences", response_model=PreferencesOut)
async def get_preferences(request: Request, caller: Caller = Depends(require_caller), api=Depends(_api)) -> dict:
    reply = await api.GetMyPreferences(pb.GetMyPreferencesRequest(), **call_options(request, caller))
    return to_rest(reply.preferences)


@router.patch("/v1/me/notification-preferences", response_model=PreferencesOut)
async def update_preferences(body: PreferencesIn, request: Request, caller: Caller = Depends(require_caller),
                             api=Depends(_api)) -> dict:
    """Change the fields present. Quiet hours are in the community's time and hold routine messages only:
    emergencies always go, on every channel."""
    given = body.model_dump(exclude_none=True)
    paths = sorted({"quiet_hours" if name.startswith("quiet_hours") else name for name in given})
    if not paths:
        reply = await api.GetMyPreferences(pb.GetMyPreferencesRequest(), **call_options(request, caller))
        return to_rest(reply.preferences)
    if "quiet_hours" in paths and not {"quiet_hours_start", "quiet_hours_end"} <= given.keys():
        current = (await api.GetMyPreferences(pb.GetMyPreferencesRequest(), **call_options(request, caller))).preferences
        given.setdefault("quiet_hours_start", current.quiet_hours_start)
        given.setdefault("quiet_hours_end", current.quiet_hours_end)
    reply = await api.UpdateMyPreferences(pb.UpdateMyPreferencesRequest(
        preferences=pb.Preferences(**given), update_mask=field_mask_pb2.FieldMask(paths=paths),
        elders=await _elder_links(request, caller) or []), **call_options(request, caller))
    return to_rest(reply.preferences)
