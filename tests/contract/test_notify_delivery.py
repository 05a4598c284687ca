"""The notify service deciding and delivering over a real SecantusDB: Web Push to a push service on
loopback that the test decrypts with the subscription's keys, SMS to a local Alibaba Cloud SendSms that
checks the signature, and the rules: the family's first emergency, a redelivered event, quiet hours, a
provider that is down, another community. The push service and the SMS provider are outside the
platform (a browser vendor's, Alibaba Cloud's): they are the only things played here."""
import json
import time
import uuid
from datetime import timedelta

from linli.eldercare.v1 import eldercare_pb2
from linli.kit.outbox import OUTBOX
from services.notify import delivery
from services.notify.domain import notifications as notes
from services.notify.domain.endpoints import register
from services.notify.domain.people import ElderLink, Person, Preferences
from services.notify.policy import COMMUNITY_ZONE
from tests.contract.notify_stack import (  # noqa: F401
    AFTERNOON, COMMUNITY, NIGHT, OTHER_COMMUNITY, VAPID_SUBJECT, Clock, care_event, channels, later, notify_mongo,
    push_service, sms_provider, store, vapid_claims, vapid_key)

CONSUMER = "notify.care_request"
NO_WAIT = [0.0, 0.0]  # retries at once: the test moves its own clock


def family_member(store, push_service, elder_id, community=COMMUNITY, **preferences):
    """A family member whom the elder's record lists, with a browser subscription; returns (person, browser)."""
    person = Person(f"family-{uuid.uuid4().hex[:6]}", frozenset({"family"}), frozenset({community}),
                    Preferences(**preferences), (ElderLink(elder_id, community, "13800001234", "李奶奶"),))
    store.save_person(person)
    browser = push_service.subscription()
    store.save_endpoint(register(person.id, notes.Endpoint("", "", notes.WEB_PUSH, browser.push_url, browser.p256dh,
                                                           _b64(browser.auth)), AFTERNOON))
    return person, browser


def _b64(data: bytes) -> str:
    import base64
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def run(store, channels, event, clock, delays=NO_WAIT):
    made = delivery.decide(store, CONSUMER, event, clock(), COMMUNITY_ZONE)
    delivery.send_due(store, channels, delays, clock)
    return made


def wait_for(push_service, browser, count=1, timeout=10.0):
    deadline = time.monotonic() + timeout
    with push_service.event:
        while len(push_service.to(browser)) < count and time.monotonic() < deadline:
            push_service.event.wait(0.2)
    return push_service.to(browser)


def test_the_familys_very_first_emergency_reaches_their_browser_encrypted_for_their_keys(
        store, channels, push_service, vapid_key):
    elder = f"elder-{uuid.uuid4().hex[:6]}"
    person, browser = family_member(store, push_service, elder)
    event = care_event("care_request.raised", elder)

    run(store, channels, event, Clock())

    [pushed] = wait_for(push_service, browser)
    assert pushed["headers"]["content-encoding"] == "aes128gcm"
    assert pushed["headers"]["urgency"] == "high"
    message = browser.decrypt(pushed["body"])
    assert message["title"] == "紧急求助"
    assert "李奶奶" in message["body"] and "紧急" in message["body"]
    assert message["care_request_id"] == event["data"]["care_request"]["id"]
    assert message["urgency"] == "emergency"
    claims = vapid_claims(pushed, vapid_key)
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == VAPID_SUBJECT
    assert claims["exp"] > time.time()
    [note] = store.page(person.id, None, 10, False)
    assert [d.status for d in note.deliveries] == ["sent", "sent"]  # the push and the SMS


def test_the_emergency_also_goes_by_sms_signed_as_the_provider_checks_it(store, channels, push_service, sms_provider):
    elder = f"elder-{uuid.uuid4().hex[:6]}"
    family_member(store, push_service, elder)

    run(store, channels, care_event("care_request.raised", elder), Clock())

    assert sms_provider.refused == []
    [sent] = sms_provider.accepted
    assert sent["PhoneNumbers"] == "13800001234"
    assert sent["SignName"] == "邻里社区" and sent["TemplateCode"] == "SMS_0001"
    assert "李奶奶" in json.loads(sent["TemplateParam"])["content"]


def test_a_wrong_sms_secret_is_refused_by_the_provider_and_the_delivery_is_a_dead_letter(
        store, channels, push_service, sms_provider):
    elder = f"elder-{uuid.uuid4().hex[:6]}"
    person, _ = family_member(store, push_service, elder)
    channels.sms.access_key_secret = "not-the-secret"

    run(store, channels, care_event("care_request.raised", elder), Clock())

    assert sms_provider.refused == ["signature"]
    [note] = store.page(person.id, None, 10, False)
    sms = next(d for d in note.deliveries if d.channel == notes.SMS)
    assert sms.status == notes.DEAD and "SignatureDoesNotMatch" in sms.last_error


def test_a_redelivered_event_notifies_once(store, channels, push_service):
    elder = f"elder-{uuid.uuid4().hex[:6]}"
    person, browser = family_member(store, push_service, elder)
    event = care_event("care_request.raised", elder)

    run(store, channels, event, Clock())
    again = run(store, channels, dict(event), Clock())

    assert again == []
    # send_due returns once each push service answered: every push made has arrived by now.
    assert len(push_service.to(browser)) == 1
    assert len(store.page(person.id, None, 10, False)) == 1


def test_quiet_hours_hold_routine_messages_until_morning_and_let_emergencies_through(store, channels, push_service):
    elder = f"elder-{uuid.uuid4().hex[:6]}"
    person, browser = family_member(store, push_service, elder, quiet_hours_start="22:00", quiet_hours_end="07:00")
    clock = Clock(NIGHT)  # 02:00 in the community

    run(store, channels, care_event("care_request.completed", elder, kind=eldercare_pb2.CARE_KIND_MEAL, at=NIGHT), clock)
    assert push_service.to(browser) == []
    [held] = store.page(person.id, None, 10, False)
    assert held.urgency == notes.ROUTINE
    assert held.deliveries[0].status == notes.PENDING
    assert held.deliveries[0].next_attempt_at.astimezone(NIGHT.tzinfo) == NIGHT + timedelta(hours=5)  # 07:00

    run(store, channels, care_event("care_request.raised", elder, at=NIGHT), clock)
    [emergency] = wait_for(push_service, browser)
    assert browser.decrypt(emergency["body"])["urgency"] == "emergency"

    clock.now = NIGHT + timedelta(hours=5)
    delivery.send_due(store, channels, NO_WAIT, clock)
    assert [browser.decrypt(r["body"])["title"] for r in wait_for(push_service, browser, 2)][1] == "服务已完成"


def test_a_push_service_that_is_down_gets_retries_then_a_dead_letter_and_the_board_hears_of_the_emergency(
        store, channels, push_service, sms_provider):
    elder = f"elder-{uuid.uuid4().hex[:6]}"
    person, browser = family_member(store, push_service, elder)
    push_service.status = 503
    sms_provider.down = True
    clock = Clock()
    event = care_event("care_request.raised", elder)
    try:
        run(store, channels, event, clock, delays=[5.0, 30.0])
        for seconds in (5, 30):
            later(clock, seconds)
            delivery.send_due(store, channels, [5.0, 30.0], clock)
    finally:
        push_service.status = 201

    assert len(push_service.to(browser)) == 3  # the first try and two retries, then no more
    [note] = store.page(person.id, None, 10, False)  # nothing lost: in the inbox, with what happened
    assert {(d.channel, d.status, d.attempts) for d in note.deliveries} == {
        (notes.WEB_PUSH, notes.DEAD, 3), (notes.SMS, notes.DEAD, 3)}
    assert all(d.last_error for d in note.deliveries)
    [unreached] = list(store.db[OUTBOX].find({"routing_key": "emergency.unreached"}))
    assert unreached["exchange"] == "notify.events"
    assert unreached["body"]["data"]["care_request_id"] == event["data"]["care_request"]["id"]
    assert unreached["body"]["data"]["recipients"] == [person.id]


def test_an_emergency_with_nobody_to_tell_goes_to_the_board_at_once(store, channels):
    event = care_event("care_request.raised", f"elder-{uuid.uuid4().hex[:6]}")

    run(store, channels, event, Clock())

    [unreached] = list(store.db[OUTBOX].find({"routing_key": "emergency.unreached"}))
    assert unreached["body"]["data"]["deliveries_tried"] == 0


def test_a_subscription_the_push_service_says_is_gone_is_removed(store, channels, push_service):
    elder = f"elder-{uuid.uuid4().hex[:6]}"
    person, browser = family_member(store, push_service, elder, sms=False)
    push_service.status = 410
    try:
        run(store, channels, care_event("care_request.raised", elder), Clock())
    finally:
        push_service.status = 201

    assert store.endpoints_of(person.id) == []
    [note] = store.page(person.id, None, 10, False)
    assert note.deliveries[0].status == notes.GONE


def test_a_person_of_another_community_never_hears_of_this_ones_emergency(store, channels, push_service):
    elder = f"elder-{uuid.uuid4().hex[:6]}"
    here, here_browser = family_member(store, push_service, elder)
    # Someone whose link names this elder id but another community (a stale or forged link), and a
    # supervisor on duty in the other community.
    elsewhere, elsewhere_browser = family_member(store, push_service, elder, community=OTHER_COMMUNITY)
    supervisor = Person("op-other", frozenset({"operator"}), frozenset({OTHER_COMMUNITY}), Preferences(on_duty=True))
    store.save_person(supervisor)
    sup_browser = push_service.subscription()
    store.save_endpoint(register(supervisor.id, notes.Endpoint("", "", notes.WEB_PUSH, sup_browser.push_url,
                                                               sup_browser.p256dh, _b64(sup_browser.auth)), AFTERNOON))

    run(store, channels, care_event("care_request.escalated", elder, level=3), Clock())

    assert len(wait_for(push_service, here_browser)) == 1
    assert push_service.to(elsewhere_browser) == [] and push_service.to(sup_browser) == []
    assert store.page(elsewhere.id, None, 10, False) == [] and store.page(supervisor.id, None, 10, False) == []


def test_the_supervisor_on_duty_hears_of_each_escalation_and_the_family_from_the_second_rung(
        store, channels, push_service):
    elder = f"elder-{uuid.uuid4().hex[:6]}"
    family, _ = family_member(store, push_service, elder)
    supervisor = Person(f"op-{uuid.uuid4().hex[:6]}", frozenset({"operator"}), frozenset({COMMUNITY}),
                        Preferences(on_duty=True, language="en"))
    store.save_person(supervisor)
    request_id = f"cr-{uuid.uuid4().hex[:6]}"

    first = run(store, channels, care_event("care_request.escalated", elder, level=1, care_request_id=request_id,
                                            kind=eldercare_pb2.CARE_KIND_MEAL), Clock())
    second = run(store, channels, care_event("care_request.escalated", elder, level=2, care_request_id=request_id,
                                             kind=eldercare_pb2.CARE_KIND_MEAL), Clock())

    assert [n.user_id for n in first] == [supervisor.id]
    assert {n.user_id for n in second} == {supervisor.id, family.id}
    assert all(n.urgency == notes.EMERGENCY for n in first + second)
    assert first[0].body == "Nobody has answered the elder's meal call of 15:00 yet: escalated to the supervisor on " \
                            "duty (3号楼 2单元)."


def test_the_hourly_bound_suppresses_routine_pushes_beyond_it_but_keeps_them_in_the_inbox(
        store, channels, push_service):
    elder = f"elder-{uuid.uuid4().hex[:6]}"
    person, browser = family_member(store, push_service, elder, max_per_hour=2)
    for _ in range(3):
        run(store, channels, care_event("care_request.completed", elder, kind=eldercare_pb2.CARE_KIND_MEAL), Clock())

    assert len(wait_for(push_service, browser, 2)) == 2
    notes_now = store.page(person.id, None, 10, False)
    assert len(notes_now) == 3
    assert sorted(n.deliveries[0].status for n in notes_now) == [notes.SENT, notes.SENT, notes.SUPPRESSED]


def certificate_event(volunteer_id: str, community=COMMUNITY) -> dict:
    from linli.kit.events import envelope
    from linli.volunteer.v1 import events_pb2 as volunteer_events
    from linli.volunteer.v1 import volunteer_pb2

    certificate = volunteer_pb2.Certificate(code="K7QF-2M9D", community_id=community, volunteer_id=volunteer_id,
                                            volunteer_name="王秀兰", from_day="2026-01-01", to_day="2026-06-30",
                                            verified_minutes=1530, services=12)
    return envelope("volunteer", "certificate.issued", community,
                    volunteer_events.CertificateIssued(certificate=certificate), AFTERNOON)


def test_a_volunteer_hears_their_certificate_was_issued_and_a_volunteer_of_another_community_does_not(
        store, channels, push_service):
    volunteer = Person(f"vol-{uuid.uuid4().hex[:6]}", frozenset({"volunteer"}), frozenset({COMMUNITY}))
    store.save_person(volunteer)
    browser = push_service.subscription()
    store.save_endpoint(register(volunteer.id, notes.Endpoint("", "", notes.WEB_PUSH, browser.push_url,
                                                              browser.p256dh, _b64(browser.auth)), AFTERNOON))

    delivery.decide_certificate(store, "notify.certificate", certificate_event(volunteer.id), AFTERNOON, COMMUNITY_ZONE)
    delivery.send_due(store, channels, NO_WAIT, Clock())

    [pushed] = push_service.to(browser)
    assert browser.decrypt(pushed["body"])["body"] == \
        "您2026-01-01至2026-06-30的志愿服务证明已开具：25.5小时，验证码K7QF-2M9D。"
    elsewhere = Person(f"vol-{uuid.uuid4().hex[:6]}", frozenset({"volunteer"}), frozenset({OTHER_COMMUNITY}))
    store.save_person(elsewhere)
    assert delivery.decide_certificate(store, "notify.certificate", certificate_event(elsewhere.id), AFTERNOON,
                                       COMMUNITY_ZONE) == []


def signed_up_event(volunteer_id: str, attendance_id: str, starts_at, community=COMMUNITY) -> dict:
    """volunteer's attendance.signed_up, as its published schema has it."""
    from linli.kit.events import envelope
    from linli.kit.protomap import timestamp
    from linli.volunteer.v1 import events_pb2 as volunteer_events
    from linli.volunteer.v1 import volunteer_pb2

    attendance = volunteer_pb2.Attendance(
        id=attendance_id, community_id=community, volunteer_id=volunteer_id, shift_id="shift-1",
        shift_starts_at=timestamp(starts_at), shift_ends_at=timestamp(starts_at + timedelta(hours=2)))
    payload = volunteer_events.AttendanceSignedUp(attendance=attendance, shift_title="上午场",
                                                  activity_title="巡楼探访", place_name="党群活动中心")
    return envelope("volunteer", notes.ATTENDANCE_SIGNED_UP, community, payload, AFTERNOON)


def withdrawn_event(attendance_id: str) -> dict:
    from linli.kit.events import envelope
    from linli.volunteer.v1 import events_pb2 as volunteer_events
    from linli.volunteer.v1 import volunteer_pb2

    payload = volunteer_events.AttendanceWithdrawn(attendance=volunteer_pb2.Attendance(id=attendance_id,
                                                                                      community_id=COMMUNITY))
    return envelope("volunteer", notes.ATTENDANCE_WITHDRAWN, COMMUNITY, payload, AFTERNOON)


def test_a_volunteer_is_reminded_of_their_shift_two_hours_before_once_and_not_after_withdrawing(
        store, channels, push_service):
    volunteer = Person(f"vol-{uuid.uuid4().hex[:6]}", frozenset({"volunteer"}), frozenset({COMMUNITY}))
    store.save_person(volunteer)
    browser = push_service.subscription()
    store.save_endpoint(register(volunteer.id, notes.Endpoint("", "", notes.WEB_PUSH, browser.push_url,
                                                              browser.p256dh, _b64(browser.auth)), AFTERNOON))
    starts = AFTERNOON + timedelta(hours=5)  # 20:00 in Fushun
    kept, withdrawn = f"att-{uuid.uuid4().hex[:6]}", f"att-{uuid.uuid4().hex[:6]}"
    lead = timedelta(hours=2)
    for attendance_id in (kept, withdrawn):
        event = signed_up_event(volunteer.id, attendance_id, starts)
        assert delivery.schedule_shift_reminder(store, "notify.shift_reminder", event, lead, AFTERNOON)
        assert not delivery.schedule_shift_reminder(store, "notify.shift_reminder", event, lead, AFTERNOON)  # again
    assert delivery.drop_shift_reminder(store, "notify.shift_reminder", withdrawn_event(withdrawn))

    assert delivery.send_shift_reminders(store, starts - lead - timedelta(minutes=1), COMMUNITY_ZONE) == 0  # not yet
    assert delivery.send_shift_reminders(store, starts - lead, COMMUNITY_ZONE) == 1
    assert delivery.send_shift_reminders(store, starts - lead + timedelta(minutes=5), COMMUNITY_ZONE) == 0  # once
    delivery.send_due(store, channels, NO_WAIT, Clock(starts - lead))

    [pushed] = push_service.to(browser)
    message = browser.decrypt(pushed["body"])
    assert message["title"] == "志愿服务提醒"
    assert message["body"] == "您报名的「巡楼探访 · 上午场」将于12月07日 20:00开始，地点：党群活动中心。"
    [note] = store.page(volunteer.id, None, 10, False)
    assert note.event_type == notes.SHIFT_REMINDER and kept in note.id
    # The reminder is on the volunteer's live stream too.
    assert store.db[OUTBOX].count_documents({"_id": note.id}) == 1


def test_a_sign_up_for_a_shift_that_has_begun_schedules_no_reminder_and_a_late_one_is_reminded_at_once(store):
    volunteer = Person(f"vol-{uuid.uuid4().hex[:6]}", frozenset({"volunteer"}), frozenset({COMMUNITY}))
    store.save_person(volunteer)
    begun, soon = f"att-{uuid.uuid4().hex[:6]}", f"att-{uuid.uuid4().hex[:6]}"
    delivery.schedule_shift_reminder(store, "notify.shift_reminder",
                                     signed_up_event(volunteer.id, begun, AFTERNOON - timedelta(minutes=5)),
                                     timedelta(hours=2), AFTERNOON)
    delivery.schedule_shift_reminder(store, "notify.shift_reminder",
                                     signed_up_event(volunteer.id, soon, AFTERNOON + timedelta(minutes=30)),
                                     timedelta(hours=2), AFTERNOON)
    assert delivery.send_shift_reminders(store, AFTERNOON, COMMUNITY_ZONE) == 1
    [note] = store.page(volunteer.id, None, 10, False)
    assert soon in note.id
