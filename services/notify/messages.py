"""Translation between the notify domain's dataclasses and the linli.notify.v1 proto messages."""
from linli.kit.protomap import timestamp
from linli.notify.v1 import notify_pb2 as pb
from services.notify.domain import notifications as notes
from services.notify.domain.people import ElderLink, Preferences

KINDS = {notes.WEB_PUSH: pb.ENDPOINT_KIND_WEB_PUSH, notes.MOBILE_PUSH: pb.ENDPOINT_KIND_MOBILE_PUSH}
KIND_NAMES = {number: name for name, number in KINDS.items()}
CHANNELS = {notes.WEB_PUSH: pb.CHANNEL_WEB_PUSH, notes.MOBILE_PUSH: pb.CHANNEL_MOBILE_PUSH, notes.SMS: pb.CHANNEL_SMS}
STATUSES = {notes.PENDING: pb.DELIVERY_STATUS_PENDING, notes.SENT: pb.DELIVERY_STATUS_SENT,
            notes.DEAD: pb.DELIVERY_STATUS_DEAD, notes.GONE: pb.DELIVERY_STATUS_GONE,
            notes.SUPPRESSED: pb.DELIVERY_STATUS_SUPPRESSED}
URGENCIES = {notes.ROUTINE: pb.URGENCY_ROUTINE, notes.EMERGENCY: pb.URGENCY_EMERGENCY}


def endpoint(message: pb.Endpoint) -> notes.Endpoint:
    return notes.Endpoint(message.id, "", KIND_NAMES.get(message.kind, ""), message.push_url, message.p256dh,
                          message.auth, message.provider, message.token, message.label)


def endpoint_message(e: notes.Endpoint) -> pb.Endpoint:
    # The subscription's keys stay with us: a client never needs them back.
    return pb.Endpoint(id=e.id, kind=KINDS[e.kind], push_url=e.push_url, provider=e.provider,
                       token=e.token[:8] + "…" if e.token else "", label=e.label, registered_at=timestamp(e.registered_at))


def delivery_message(d: notes.Delivery) -> pb.Delivery:
    target = notes.mask_phone(d.target) if d.channel == notes.SMS else d.target
    return pb.Delivery(channel=CHANNELS[d.channel], target=target, status=STATUSES[d.status], attempts=d.attempts,
                       last_error=d.last_error, next_attempt_at=timestamp(d.next_attempt_at) if d.status == notes.PENDING else None,
                       updated_at=timestamp(d.updated_at))


def notification_message(n: notes.Notification) -> pb.Notification:
    return pb.Notification(
        id=n.id, community_id=n.community_id, event_type=n.event_type, care_request_id=n.care_request_id,
        elder_id=n.elder_id, urgency=URGENCIES[n.urgency], title=n.title, body=n.body, language=n.language,
        created_at=timestamp(n.created_at), read_at=timestamp(n.read_at),
        deliveries=[delivery_message(d) for d in n.deliveries])


def preferences(message: pb.Preferences) -> Preferences:
    return Preferences(message.language, message.web_push, message.mobile_push, message.sms, message.phone,
                       message.quiet_hours_start, message.quiet_hours_end, message.on_duty, message.max_per_hour)


def preferences_message(p: Preferences) -> pb.Preferences:
    return pb.Preferences(language=p.language, web_push=p.web_push, mobile_push=p.mobile_push, sms=p.sms,
                          phone=p.phone, quiet_hours_start=p.quiet_hours_start, quiet_hours_end=p.quiet_hours_end,
                          on_duty=p.on_duty, max_per_hour=p.max_per_hour, updated_at=timestamp(p.updated_at))


def elder_links(messages) -> tuple[ElderLink, ...]:
    return tuple(ElderLink(m.elder_id, m.community_id, m.phone, m.elder_name) for m in messages if m.elder_id)
