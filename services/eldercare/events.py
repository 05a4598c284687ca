"""Events eldercare publishes (payloads in proto/linli/eldercare/v1/*events.proto) and consumes."""
from datetime import datetime

from google.protobuf import json_format

from linli.eldercare.v1 import eldercare_pb2, events_pb2, meal_events_pb2, meals_pb2
from linli.kit.events import envelope
from linli.kit.protomap import enum_number, timestamp
from services.eldercare import messages
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import meals
from linli.eldercare.v1 import resident_events_pb2, residents_pb2
from services.eldercare.domain import residents
from services.eldercare.policy import event_priority

SOURCE = "eldercare"

# Every care-request event carries the request as it stands after the change.
CARE_REQUEST_PAYLOADS = {
    care.CARE_REQUEST_RAISED: events_pb2.CareRequestRaised,
    care.CARE_REQUEST_ACKNOWLEDGED: events_pb2.CareRequestAcknowledged,
    care.CARE_REQUEST_ESCALATED: events_pb2.CareRequestEscalated,
    care.CARE_REQUEST_ASSIGNED: events_pb2.CareRequestAssigned,
    care.CARE_REQUEST_ASSIGNMENT_ACCEPTED: events_pb2.CareRequestAssignmentAccepted,
    care.CARE_REQUEST_ASSIGNMENT_DECLINED: events_pb2.CareRequestAssignmentDeclined,
    care.CARE_REQUEST_EN_ROUTE: events_pb2.CareRequestEnRoute,
    care.CARE_REQUEST_ON_SITE: events_pb2.CareRequestOnSite,
    care.CARE_REQUEST_COMPLETED: events_pb2.CareRequestCompleted,
    care.CARE_REQUEST_CLOSED: events_pb2.CareRequestClosed,
    care.CARE_REQUEST_CANCELLED: events_pb2.CareRequestCancelled,
    care.CARE_REQUEST_RATED: events_pb2.CareRequestRated,
    care.CARE_REQUEST_CALL_OFFERED: events_pb2.CareRequestCallOffered,
    care.CARE_REQUEST_CALL_ANSWERED: events_pb2.CareRequestCallAnswered,
    care.CARE_REQUEST_CALL_ENDED: events_pb2.CareRequestCallEnded,
    care.CARE_REQUEST_CALL_GUEST_INVITED: events_pb2.CareRequestCallGuest,
    care.CARE_REQUEST_CALL_GUEST_JOINED: events_pb2.CareRequestCallGuest,
    care.CARE_REQUEST_CALL_GUEST_LEFT: events_pb2.CareRequestCallGuest,
}


def care_request_event(event_type: str, request: care.CareRequest, at: datetime, **details) -> dict:
    payload = CARE_REQUEST_PAYLOADS[event_type](care_request=messages.care_request(request), **details)
    return envelope(SOURCE, event_type, request.community_id, payload, at, priority=event_priority(request.kind))


def raised(request: care.CareRequest) -> dict:
    return care_request_event(care.CARE_REQUEST_RAISED, request, request.raised_at)


def acknowledged(request: care.CareRequest) -> dict:
    return care_request_event(care.CARE_REQUEST_ACKNOWLEDGED, request, request.acknowledged_at)


def escalated(request: care.CareRequest) -> dict:
    return care_request_event(care.CARE_REQUEST_ESCALATED, request, request.escalated_at,
                              level=request.escalation_level, reason=care.escalation_reason(request))


def assignment_declined(request: care.CareRequest, assignee_id: str, reason: str, timed_out: bool,
                        at: datetime) -> dict:
    return care_request_event(care.CARE_REQUEST_ASSIGNMENT_DECLINED, request, at, assignee_id=assignee_id,
                              reason=reason, timed_out=timed_out)


def care_request_in(event: dict) -> care.CareRequest:
    """The care request an eldercare care_request.* event carries."""
    payload = json_format.ParseDict(event["data"]["care_request"], eldercare_pb2.CareRequest(),
                                    ignore_unknown_fields=True)
    return messages.from_care_request(payload)


# -- meal orders (payloads in meal_events.proto) ---------------------------------------------------

MEAL_ORDER_PAYLOADS = {
    meals.MEAL_ORDER_PLACED: meal_events_pb2.MealOrderPlaced,
    meals.MEAL_ORDER_CANCELLED: meal_events_pb2.MealOrderCancelled,
    meals.MEAL_ORDER_DISPATCHED: meal_events_pb2.MealOrderDispatched,
    meals.MEAL_ORDER_DELIVERED: meal_events_pb2.MealOrderDelivered,
    meals.MEAL_ORDER_SERVED: meal_events_pb2.MealOrderServed,
}


def meal_order_message(order: meals.MealOrder) -> meals_pb2.MealOrder:
    """The proto of a meal order, for the MealService api and meal_order.* events alike."""
    loc = order.location
    return meals_pb2.MealOrder(
        id=order.id, community_id=order.community_id, elder_id=order.elder_id, day=order.day,
        mode=enum_number(meals_pb2.MealMode, order.mode), quantity=order.quantity, price_fen=order.price_fen,
        delivery_fee_fen=order.delivery_fee_fen, total_fen=order.total_fen,
        status=enum_number(meals_pb2.MealOrderStatus, order.status),
        location=eldercare_pb2.Location(building=loc.building, unit=loc.unit, floor=loc.floor, detail=loc.detail),
        note=order.note, placed_by=order.placed_by, placed_at=timestamp(order.placed_at),
        care_request_id=order.care_request_id, dispatched_at=timestamp(order.dispatched_at),
        delivered_at=timestamp(order.delivered_at), served_at=timestamp(order.served_at), served_by=order.served_by,
        cancelled_at=timestamp(order.cancelled_at), cancelled_by=order.cancelled_by,
        cancel_reason=order.cancel_reason, version=order.version,
    )


def meal_order_event(event_type: str, order: meals.MealOrder, at: datetime) -> dict:
    payload = MEAL_ORDER_PAYLOADS[event_type](meal_order=meal_order_message(order))
    return envelope(SOURCE, event_type, order.community_id, payload, at)


MAINTENANCE_PAYLOADS = {
    residents.DEVICE_MAINTENANCE_NEEDED: resident_events_pb2.DeviceMaintenanceNeeded,
    residents.DEVICE_MAINTENANCE_RESOLVED: resident_events_pb2.DeviceMaintenanceResolved,
}


def maintenance_alert_message(alert: residents.MaintenanceAlert) -> residents_pb2.MaintenanceAlert:
    """The proto of a maintenance alert, for the ResidentService api and device.* events alike."""
    return residents_pb2.MaintenanceAlert(
        id=alert.id, community_id=alert.community_id, device_id=alert.device_id, elder_id=alert.elder_id,
        reason=enum_number(residents_pb2.MaintenanceReason, alert.reason), raised_at=timestamp(alert.raised_at),
        last_heartbeat_at=timestamp(alert.last_heartbeat_at),
        battery_percent=-1 if alert.battery_percent is None else alert.battery_percent,
        resolved_at=timestamp(alert.resolved_at), resolved_by=alert.resolved_by,
        resolution_note=alert.resolution_note, version=alert.version,
    )


def maintenance_event(event_type: str, alert: residents.MaintenanceAlert) -> dict:
    """device.maintenance_needed (at the alert's raising) or device.maintenance_resolved (at its resolution)."""
    payload = MAINTENANCE_PAYLOADS[event_type](alert=maintenance_alert_message(alert))
    at = alert.resolved_at if event_type == residents.DEVICE_MAINTENANCE_RESOLVED else alert.raised_at
    return envelope(SOURCE, event_type, alert.community_id, payload, at)
