"""The notify service's rules without I/O: who hears what, quiet hours, preferences, endpoints, the words, and
Alibaba Cloud's request signature against the examples the provider publishes."""
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import InvalidArgument
from linli.kit.identity import Caller
from services.notify.channels.sms import sign
from services.notify.domain import notifications as notes
from services.notify.domain.endpoints import register
from services.notify.domain.people import ElderLink, Person, Preferences, quiet_until, seen, update_preferences

ZONE = "Asia/Shanghai"
AFTERNOON = datetime(2026, 12, 7, 7, 0, tzinfo=timezone.utc)  # 15:00 in the community
KEY = "BCjmewnxpdYEGbbuOytYBm3fqxw07Z-BBD4HCJvUEC3ZhX6tE6Dzm1ruXYzbM4fF0DpM5agQkk9LUrZvz2RzB_4"  # a P-256 public key, 65 bytes


def update(event_type=notes.RAISED, kind="emergency", level=0, raised_by="elder-1", assignee="", community="c1"):
    return notes.CareUpdate("ev-1", event_type, community, "cr-1", "elder-1", kind, raised_by, AFTERNOON,
                            assignee_id=assignee, assignee_name="王护工" if assignee else "", escalation_level=level,
                            escalated_to=("supervisor", "family_contact", "emergency_services")[level - 1] if level else "",
                            where="3号楼 2单元")


DAUGHTER = Person("daughter", frozenset({"family"}), frozenset(), elders=(ElderLink("elder-1", "c1", "139", "李奶奶"),))
STRANGER = Person("stranger", frozenset({"family"}), frozenset({"c2"}), elders=(ElderLink("elder-1", "c2"),))
ON_DUTY = Person("op-1", frozenset({"operator"}), frozenset({"c1"}), Preferences(on_duty=True))
OFF_DUTY = Person("op-2", frozenset({"operator"}), frozenset({"c1"}))
OTHER_ON_DUTY = Person("op-3", frozenset({"operator"}), frozenset({"c2"}), Preferences(on_duty=True))
CAREGIVER = Person("cg-1", frozenset({"caregiver"}), frozenset({"c1"}), Preferences(language="en"))
EVERYONE = notes.Candidates(family=(DAUGHTER, STRANGER), assignee=CAREGIVER,
                            supervisors=(ON_DUTY, OFF_DUTY, OTHER_ON_DUTY))


def told(u, found=EVERYONE):
    return {r.person.id: r.role for r in notes.recipients(u, found)}


def test_an_emergency_reaches_the_family_by_the_elders_record_and_the_supervisor_on_duty_of_its_community_only():
    assert told(update()) == {"daughter": notes.FAMILY, "op-1": notes.SUPERVISOR}


def test_a_routine_call_is_not_news_for_the_supervisor():
    assert told(update(kind="meal")) == {"daughter": notes.FAMILY}


def test_the_first_rung_of_escalation_reaches_the_supervisor_and_the_second_the_family_too():
    assert told(update(notes.ESCALATED, kind="meal", level=1)) == {"op-1": notes.SUPERVISOR}
    assert told(update(notes.ESCALATED, kind="meal", level=2)) == {"daughter": notes.FAMILY, "op-1": notes.SUPERVISOR}
    assert notes.urgency_of(update(notes.ESCALATED, kind="meal", level=1)) == notes.EMERGENCY


def test_the_assignee_gets_the_job_and_the_raiser_who_is_not_the_elder_hears_of_it():
    neighbour = Person("nb-1", frozenset({"resident"}), frozenset({"c1"}))
    found = notes.Candidates(family=(DAUGHTER,), raiser=neighbour, assignee=CAREGIVER)
    assert told(update(notes.ASSIGNED, kind="meal", raised_by="nb-1", assignee="cg-1"), found) == {
        "cg-1": notes.ASSIGNEE, "nb-1": notes.RAISER, "daughter": notes.FAMILY}
    assert "nb-1" not in told(update(notes.ASSIGNED, raised_by="elder-1"), notes.Candidates(raiser=neighbour))


def test_a_caregiver_of_another_community_is_not_told():
    elsewhere = Person("cg-9", frozenset({"caregiver"}), frozenset({"c2"}))
    assert told(update(notes.ASSIGNED, assignee="cg-9"), notes.Candidates(assignee=elsewhere)) == {}


def test_messages_speak_the_persons_language_and_name_the_elder_to_the_family_only():
    job = notes.compose(update(notes.ASSIGNED, kind="meal", assignee="cg-1"),
                        notes.Recipient(CAREGIVER, notes.ASSIGNEE, notes.ROUTINE), ZONE)
    assert job == ("New job", "meal help for the elder (3号楼 2单元): please accept it.", "en")
    family = notes.compose(update(), notes.Recipient(DAUGHTER, notes.FAMILY, notes.EMERGENCY), ZONE)
    assert family == ("紧急求助", "李奶奶于15:00发起紧急求助，指挥中心已收到。", "zh")


def test_a_visit_booked_for_later_tells_the_family_its_day_not_a_call_for_help():
    from dataclasses import replace

    booked = replace(update(kind="medical"), scheduled_for=datetime(2026, 12, 9, 1, 30, tzinfo=timezone.utc))
    title, body, _ = notes.compose(booked, notes.Recipient(DAUGHTER, notes.FAMILY, notes.ROUTINE), ZONE)
    assert (title, body) == ("已预约上门服务", "已为李奶奶预约助医上门服务：2026-12-09 09:30。")


def test_quiet_hours_over_midnight_end_in_the_morning_and_outside_them_nothing_waits():
    quiet = Preferences(quiet_hours_start="22:00", quiet_hours_end="07:00")
    at_two = datetime(2026, 12, 7, 18, 0, tzinfo=timezone.utc)  # 02:00 the 8th in the community
    assert quiet_until(quiet, at_two, ZONE) == datetime(2026, 12, 7, 23, 0, tzinfo=timezone.utc)
    at_eleven_pm = datetime(2026, 12, 7, 15, 0, tzinfo=timezone.utc)
    assert quiet_until(quiet, at_eleven_pm, ZONE) == at_eleven_pm + timedelta(hours=8)
    assert quiet_until(quiet, AFTERNOON, ZONE) is None
    assert quiet_until(Preferences(), at_two, ZONE) is None


def test_emergencies_go_at_once_by_sms_too_while_routine_news_waits_and_never_goes_by_sms():
    quiet = Person("p", frozenset({"family"}), frozenset(), Preferences(quiet_hours_start="14:00", quiet_hours_end="16:00",
                                                                         phone="13900000000"))
    push = [notes.Endpoint("e1", "p", notes.WEB_PUSH)]
    urgent = notes.plan_deliveries(notes.Recipient(quiet, notes.FAMILY, notes.EMERGENCY), push, 0, AFTERNOON, ZONE)
    assert [(d.channel, d.next_attempt_at) for d in urgent] == [(notes.WEB_PUSH, AFTERNOON), (notes.SMS, AFTERNOON)]
    routine = notes.plan_deliveries(notes.Recipient(quiet, notes.FAMILY, notes.ROUTINE), push, 0, AFTERNOON, ZONE)
    assert [(d.channel, d.next_attempt_at) for d in routine] == [(notes.WEB_PUSH, AFTERNOON + timedelta(hours=1))]


def test_preferences_name_every_bad_field():
    wanted = Preferences(language="fr", quiet_hours_start="25:00", quiet_hours_end="", max_per_hour=0, phone="x")
    with pytest.raises(InvalidArgument) as refused:
        update_preferences(Preferences(), wanted, frozenset(), AFTERNOON)
    assert set(refused.value.fields) == {"language", "quiet_hours_start", "quiet_hours_end", "max_per_hour", "phone"}
    with pytest.raises(InvalidArgument) as unknown:
        update_preferences(Preferences(), wanted, frozenset({"volume"}), AFTERNOON)
    assert set(unknown.value.fields) == {"update_mask.volume"}


def test_only_the_paths_asked_for_change():
    changed = update_preferences(Preferences(), Preferences(language="en", sms=False), frozenset({"language"}), AFTERNOON)
    assert (changed.language, changed.sms, changed.updated_at) == ("en", True, AFTERNOON)


def test_a_person_takes_the_roles_and_communities_of_their_latest_token_and_keeps_their_links():
    caller = Caller("daughter", frozenset({"family"}), frozenset({"c9"}))
    assert seen(DAUGHTER, caller, None).elders == DAUGHTER.elders
    assert seen(DAUGHTER, caller, ()).elders == ()
    assert seen(None, caller, None).communities == frozenset({"c9"})


def test_a_web_push_subscription_must_be_https_with_its_keys_and_gets_a_stable_id():
    good = notes.Endpoint("", "", notes.WEB_PUSH, "https://fcm.googleapis.com/fcm/send/abc", KEY, "AAAAAAAAAAAAAAAAAAAAAA")
    first, again = register("u1", good, AFTERNOON), register("u1", good, AFTERNOON)
    assert first.id == again.id and first.user_id == "u1"
    bad = notes.Endpoint("", "", notes.WEB_PUSH, "http://push.example.com/x", "short", "x")
    with pytest.raises(InvalidArgument) as refused:
        register("u1", bad, AFTERNOON)
    assert set(refused.value.fields) == {"push_url", "p256dh", "auth"}


def test_the_request_signature_matches_alibaba_clouds_published_examples():
    # https://www.alibabacloud.com/help/en/sms/signature-method and the RPC signature mechanism page: the
    # provider's own worked examples, parameters and secret as printed there.
    sms = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
           "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
           "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0",
           "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z",
           "Version": "2017-05-25"}
    assert sign(sms, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    ecs = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
           "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
           "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
    assert sign(ecs, "testsecret", "GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_a_shift_reminder_reads_in_the_volunteers_language_with_the_communitys_time():
    starts = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
    reminder = notes.shift_reminder("att-1", "vol-1", "c1", "巡楼探访 · 上午场", "党群活动中心", starts,
                                    timedelta(hours=2), starts - timedelta(hours=3))
    assert reminder.remind_at == starts - timedelta(hours=2)
    english = Person("vol-1", frozenset({"volunteer"}), frozenset({"c1"}), Preferences(language="en"))
    note = notes.shift_reminder_notification(reminder, english, (), starts, "Asia/Shanghai")
    assert (note.title, note.body) == ("Your shift soon",
                                       '"巡楼探访 · 上午场", which you signed up for, starts at 20:00 on 07 Dec at 党群活动中心.')
    assert note.urgency == notes.ROUTINE and note.id == "shift.reminder:att-1:vol-1"


@pytest.mark.parametrize("value", ["0", "-5", "two hours"])
def test_a_shift_reminder_lead_that_is_not_a_positive_number_of_minutes_stops_the_worker_saying_why(monkeypatch, value):
    from services.notify import policy

    monkeypatch.setenv("NOTIFY_SHIFT_REMINDER_MINUTES", value)
    with pytest.raises(SystemExit, match="NOTIFY_SHIFT_REMINDER_MINUTES must be a positive number"):
        policy.shift_reminder_lead()
