"""Elders, their devices and who sees what: the rules, with no broker and no database."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import residents as r
from services.eldercare.policy import DEFAULT_POLICY

NOW = datetime(2026, 11, 27, 2, 30, tzinfo=timezone.utc)
COMMUNITY = "donghuayuan"
OPERATOR = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY}))
OTHER_OPERATOR = Caller("op-li", frozenset({"operator"}), frozenset({"another"}))
DISTRICT_ADMIN = Caller("admin", frozenset({"administrator"}), frozenset({"*"}))
ELDER = Caller("elder-dq-0312", frozenset({"resident"}), frozenset({COMMUNITY}))
NEIGHBOUR = Caller("elder-dq-0508", frozenset({"resident"}), frozenset({COMMUNITY}))
DAUGHTER = Caller("user-liu-mei", frozenset({"family"}), frozenset())
OTHER_FAMILY = Caller("user-zhao", frozenset({"family"}), frozenset())
CAREGIVER = Caller("cg-sun", frozenset({"caregiver"}), frozenset({COMMUNITY}))
CLINICIAN = Caller("dr-chen", frozenset({"clinician"}), frozenset({COMMUNITY}))
DEVICE = Caller("pager-0312", frozenset({"device"}), frozenset({COMMUNITY}))
HOME = r.Address("东区 3号楼", "2单元", 4, "402", care.GeoPoint(41.8805, 123.9571))


def details(**overrides) -> r.ElderDetails:
    fields = dict(
        name="刘桂兰", phone="138 0413 0312", mobility="uses_aid", address=HOME,
        contacts=(r.Contact("刘梅", "女儿", "139 0413 0001", user_id="user-liu-mei"),
                  r.Contact("王大爷", "邻居", "139 0413 0002", holds_key=True)),
        conditions=("高血压",), medications=("硝苯地平",), allergies=("青霉素",),
    )
    return r.ElderDetails(**{**fields, **overrides})


def elder(**overrides) -> r.Elder:
    return r.register(OPERATOR, "elder-dq-0312", COMMUNITY, details(**overrides), NOW)


def consented(e: r.Elder, *topics: str) -> r.Elder:
    for topic in topics:
        e = r.record_consent(ELDER, e, topic, True, NOW)
    return e


def parts(caller, e, context=r.CareContext()):
    return r.visible_parts(caller, e, context)


# -- registration and validation

def test_an_operator_registers_an_elder_of_their_community():
    e = elder()
    assert (e.id, e.community_id, e.registered_by, e.version) == ("elder-dq-0312", COMMUNITY, "op-wang", 1)


@pytest.mark.parametrize("caller", [OTHER_OPERATOR, ELDER, DAUGHTER, CAREGIVER])
def test_only_staff_serving_the_community_may_register_an_elder(caller):
    with pytest.raises(PermissionDenied):
        r.register(caller, "elder-dq-0312", COMMUNITY, details(), NOW)


def test_registration_names_every_bad_field():
    bad = details(name=" ", phone="call me", mobility="flying",
                  address=r.Address(floor=300, position=care.GeoPoint(95, 0)),
                  contacts=(r.Contact("", user_id="not an id"),), allergies=("",))
    with pytest.raises(InvalidArgument) as error:
        r.register(OPERATOR, "", COMMUNITY, bad, NOW)
    assert set(error.value.fields) == {"id", "name", "phone", "mobility", "address.floor", "address.position",
                                       "contacts[0].name", "contacts[0].user_id", "allergies"}


def test_an_update_changes_only_the_fields_named_in_the_mask():
    e = elder()
    changed = r.update(OPERATOR, e, details(name="", phone="139 0000 0000", allergies=()), {"phone"}, NOW)
    assert changed.details.phone == "139 0000 0000"
    assert changed.details.name == "刘桂兰" and changed.details.allergies == ("青霉素",)
    assert changed.version == e.version + 1


def test_an_update_needs_a_mask_of_known_fields():
    for mask in (set(), {"community_id"}):
        with pytest.raises(InvalidArgument) as error:
            r.update(OPERATOR, elder(), details(), mask, NOW)
        assert "update_mask" in error.value.fields


def test_the_elder_may_update_themself_but_family_may_not():
    assert r.update(ELDER, elder(), details(phone="139 1111 1111"), {"phone"}, NOW).details.phone == "139 1111 1111"
    with pytest.raises(PermissionDenied):
        r.update(DAUGHTER, elder(), details(), {"phone"}, NOW)


# -- who sees what

def test_the_elder_sees_everything_about_themself():
    assert parts(ELDER, elder()) == r.ALL_PARTS


def test_staff_see_address_and_contacts_but_no_position_or_health_without_consent():
    visible = parts(OPERATOR, elder())
    assert {r.ADDRESS, r.CONTACTS, r.CONSENTS} <= visible
    assert r.POSITION not in visible and r.HEALTH_DATA not in visible


def test_staff_see_position_and_health_with_consent():
    e = consented(elder(), r.LOCATION, r.HEALTH)
    assert {r.POSITION, r.HEALTH_DATA} <= parts(OPERATOR, e)
    assert {r.POSITION, r.HEALTH_DATA} <= parts(DISTRICT_ADMIN, e)


def test_staff_see_position_and_health_during_an_emergency_without_consent():
    visible = parts(OPERATOR, elder(), r.CareContext(emergency_in_progress=True))
    assert {r.POSITION, r.HEALTH_DATA} <= visible


def test_a_withdrawal_takes_effect_at_once():
    e = consented(elder(), r.HEALTH)
    assert r.HEALTH_DATA in parts(OPERATOR, e)
    withdrawn = r.record_consent(ELDER, e, r.HEALTH, False, NOW + timedelta(minutes=1))
    assert r.HEALTH_DATA not in parts(OPERATOR, withdrawn)
    consent = r.current_consent(withdrawn, r.HEALTH)
    assert (consent.granted, consent.recorded_by) == (False, "elder-dq-0312")
    assert len(withdrawn.consents) == 2  # the history is kept


def test_family_linked_as_a_contact_see_their_elder_and_health_only_with_consent():
    e = elder()
    visible = parts(DAUGHTER, e)
    assert {r.ADDRESS, r.CONTACTS, r.CONSENTS} <= visible
    assert r.HEALTH_DATA not in visible and r.POSITION not in visible
    # An emergency gives family nothing more: they are not responding to it.
    assert r.HEALTH_DATA not in parts(DAUGHTER, e, r.CareContext(emergency_in_progress=True))
    assert {r.HEALTH_DATA, r.POSITION} <= parts(DAUGHTER, consented(e, r.HEALTH, r.LOCATION))


def test_a_caregiver_assigned_to_a_visit_sees_what_the_visit_needs():
    context = r.CareContext(assigned_to_caller=True)
    visible = parts(CAREGIVER, elder(), context)
    assert visible == {r.ADDRESS, r.KEY_HOLDERS}
    shown = r.view(CAREGIVER, elder(), "elder-dq-0312", context).elder
    assert [c.name for c in shown.details.contacts] == ["王大爷"]  # the key holder only
    assert shown.details.allergies == () and shown.details.address.position is None
    assert {r.POSITION, r.HEALTH_DATA} <= parts(CAREGIVER, elder(), replace(context, emergency_in_progress=True))


@pytest.mark.parametrize("caller", [NEIGHBOUR, OTHER_OPERATOR, OTHER_FAMILY, CAREGIVER, CLINICIAN, DEVICE])
def test_anyone_else_gets_not_found(caller):
    assert parts(caller, consented(elder(), r.LOCATION, r.HEALTH)) is None
    with pytest.raises(NotFound):
        r.view(caller, elder(), "elder-dq-0312")


def test_a_missing_elder_is_not_found():
    with pytest.raises(NotFound):
        r.view(OPERATOR, None, "nobody")


def test_the_view_blanks_withheld_parts_and_names_them():
    shown = r.view(OPERATOR, elder(), "elder-dq-0312")
    assert shown.withheld == {r.POSITION, r.HEALTH_DATA}
    assert shown.elder.details.address.building == "东区 3号楼" and shown.elder.details.address.position is None
    assert shown.elder.details.conditions == shown.elder.details.medications == shown.elder.details.allergies == ()
    assert shown.elder.details.name == "刘桂兰" and shown.elder.details.mobility == "uses_aid"


def test_the_care_context_reads_emergencies_in_progress_and_the_callers_assignments():
    raised = care.raise_request(OPERATOR, care.NewCareRequest(COMMUNITY, "elder-dq-0312", "emergency", "phone"),
                                "cr-1", NOW, DEFAULT_POLICY)
    assert r.care_context(CAREGIVER, "elder-dq-0312", [raised]).emergency_in_progress
    assert not r.care_context(CAREGIVER, "elder-dq-0512", [raised]).emergency_in_progress
    assignment = care.Assignment("cg-sun", "staff", "孙护工", "op-wang", NOW, NOW + timedelta(minutes=2))
    assigned = replace(raised, kind="bathing", status=care.ASSIGNED, assignment=assignment)
    context = r.care_context(CAREGIVER, "elder-dq-0312", [assigned])
    assert context.assigned_to_caller and not context.emergency_in_progress
    assert not r.care_context(CAREGIVER, "elder-dq-0312", [replace(assigned, status=care.COMPLETED)]).assigned_to_caller


def test_consent_is_recorded_by_the_elder_or_staff_and_nobody_else():
    assert r.record_consent(OPERATOR, elder(), r.LOCATION, True, NOW).consents[-1].recorded_by == "op-wang"
    with pytest.raises(PermissionDenied):
        r.record_consent(DAUGHTER, elder(), r.LOCATION, True, NOW)
    with pytest.raises(InvalidArgument):
        r.record_consent(ELDER, elder(), "", True, NOW)


def test_listing_scopes_follow_the_role():
    assert r.list_scope(OPERATOR, "").communities == {COMMUNITY}
    assert r.list_scope(DISTRICT_ADMIN, "").communities is None
    assert r.list_scope(DAUGHTER, "").family_user_id == "user-liu-mei"
    assert r.list_scope(ELDER, "").elder_id == "elder-dq-0312"
    for caller, community in ((OTHER_OPERATOR, COMMUNITY), (CAREGIVER, "")):
        with pytest.raises(PermissionDenied):
            r.list_scope(caller, community)


# -- devices

def device(interval_seconds=0) -> r.Device:
    return r.register_device(OPERATOR, elder(), "pager-0312", "pager", interval_seconds, NOW)


def test_a_device_is_silent_after_two_missed_heartbeats_of_ten_minutes_by_default():
    d = device()
    assert d.heartbeat_interval == timedelta(minutes=10)
    assert not r.is_silent(d, NOW + timedelta(minutes=19))
    assert r.is_silent(d, NOW + timedelta(minutes=20))


def test_a_heartbeat_restarts_the_silence_clock():
    d, _ = r.heartbeat(DEVICE, device(), 90, NOW + timedelta(minutes=15), "a-1")
    assert not r.is_silent(d, NOW + timedelta(minutes=30))
    assert r.is_silent(d, NOW + timedelta(minutes=35))


def test_a_silent_device_raises_one_alert_per_silence():
    later = NOW + timedelta(minutes=25)
    quiet, alert = r.silent_alert(device(), later, "a-1")
    assert (alert.reason, alert.device_id, alert.elder_id, alert.raised_at) == (r.SILENT, "pager-0312",
                                                                                "elder-dq-0312", later)
    assert not r.is_silent(quiet, later + timedelta(days=1))
    with pytest.raises(FailedPrecondition):
        r.silent_alert(quiet, later, "a-2")
    back, _ = r.heartbeat(DEVICE, quiet, 80, later, "a-3")
    assert r.is_silent(back, later + timedelta(minutes=20))  # a new silence may alert again


def test_a_battery_at_or_below_twenty_percent_raises_one_alert_per_drop():
    d, alert = r.heartbeat(DEVICE, device(), 21, NOW, "a-1")
    assert alert is None
    d, alert = r.heartbeat(DEVICE, d, 20, NOW, "a-2")
    assert alert.reason == r.LOW_BATTERY and alert.battery_percent == 20
    d, alert = r.heartbeat(DEVICE, d, 15, NOW, "a-3")
    assert alert is None  # still the same low battery
    d, _ = r.heartbeat(DEVICE, d, 100, NOW, "a-4")
    _, alert = r.heartbeat(DEVICE, d, 10, NOW, "a-5")
    assert alert is not None


def test_a_heartbeat_needs_a_battery_level_between_0_and_100():
    with pytest.raises(InvalidArgument):
        r.heartbeat(DEVICE, device(), 101, NOW, "a-1")


def test_a_device_reports_only_as_itself_and_staff_only_for_communities_they_serve():
    other_device = Caller("pager-9999", frozenset({"device"}), frozenset({COMMUNITY}))
    for caller in (other_device, OTHER_OPERATOR, ELDER):
        with pytest.raises(PermissionDenied):
            r.heartbeat(caller, device(), 50, NOW, "a-1")
    assert r.heartbeat(OPERATOR, device(), 50, NOW, "a-1")[0].battery_percent == 50


def test_device_registration_is_validated_and_for_staff_only():
    with pytest.raises(InvalidArgument) as error:
        r.register_device(OPERATOR, elder(), "", "toaster", 5, NOW)
    assert set(error.value.fields) == {"id", "kind", "heartbeat_interval_seconds"}
    with pytest.raises(PermissionDenied):
        r.register_device(ELDER, elder(), "pager-0312", "pager", 0, NOW)


def test_a_press_asks_for_help_at_the_elders_home_with_the_position_given_consent():
    new = r.press(DEVICE, device(), consented(elder(), r.LOCATION), "meal")
    assert (new.community_id, new.elder_id, new.kind, new.channel, new.device_id) == (
        COMMUNITY, "elder-dq-0312", "meal", "device", "pager-0312")
    assert new.location == care.Location("东区 3号楼", "2单元", 4, "402")
    assert new.position == HOME.position


def test_a_press_carries_the_position_without_consent_only_in_an_emergency():
    assert r.press(DEVICE, device(), elder(), "meal").position is None
    assert r.press(DEVICE, device(), elder(), "emergency").position == HOME.position


def test_a_press_from_a_device_of_a_community_the_caller_does_not_serve_is_denied():
    far_device = Caller("pager-0312", frozenset({"device"}), frozenset({"another"}))
    for caller in (far_device, OTHER_OPERATOR):
        with pytest.raises(PermissionDenied):
            r.press(caller, device(), elder(), "emergency")


def test_an_operator_resolves_an_open_alert_once():
    _, alert = r.silent_alert(device(), NOW + timedelta(hours=1), "a-1")
    resolved = r.resolve_alert(OPERATOR, alert, "换了电池", NOW + timedelta(hours=2))
    assert (resolved.resolved_by, resolved.resolution_note, resolved.is_open) == ("op-wang", "换了电池", False)
    with pytest.raises(FailedPrecondition):
        r.resolve_alert(OPERATOR, resolved, "", NOW)
    with pytest.raises(PermissionDenied):
        r.resolve_alert(OTHER_OPERATOR, alert, "", NOW)
    with pytest.raises(NotFound):
        r.check_alert_visible(OTHER_OPERATOR, alert, alert.id)


# -- calls raised by an operator or from the app: at the elder's registered home, as a press --------------

def app_call(caller=ELDER, kind="emergency", **fields) -> care.NewCareRequest:
    return care.NewCareRequest(COMMUNITY, "elder-dq-0312", kind, "app", **fields)


def test_a_press_says_its_position_came_from_the_device():
    assert r.press(DEVICE, device(), elder(), "emergency").position_source == care.DEVICE
    assert r.press(DEVICE, device(), elder(), "meal").position_source == ""


def test_an_app_call_goes_to_the_elders_door_and_home_position_like_a_press():
    placed = r.placed(app_call(), elder())
    assert (placed.location.building, placed.location.unit, placed.location.floor, placed.location.detail) == (
        "东区 3号楼", "2单元", 4, "402")
    assert (placed.position, placed.position_source) == (HOME.position, care.HOME_ADDRESS)
    raised = care.raise_request(ELDER, placed, "c-1", NOW, DEFAULT_POLICY)
    assert (raised.position, raised.position_source, raised.position_accuracy_m) == (
        HOME.position, care.HOME_ADDRESS, None)


def test_an_app_call_carries_the_home_position_only_with_consent_or_in_an_emergency():
    assert r.placed(app_call(kind="shopping"), elder()).position is None
    assert r.placed(app_call(kind="shopping"), consented(elder(), r.LOCATION)).position == HOME.position


def test_the_elders_own_phone_fix_beats_the_home_position_and_keeps_its_accuracy():
    phone = care.GeoPoint(41.8811, 123.9580)
    new = app_call(position=phone, position_source=care.PHONE_GPS, position_accuracy_m=12.5)
    raised = care.raise_request(ELDER, r.placed(new, elder()), "c-1", NOW, DEFAULT_POLICY)
    assert (raised.position, raised.position_source, raised.position_accuracy_m) == (phone, care.PHONE_GPS, 12.5)
    assert raised.location.building == "东区 3号楼"


def test_a_phone_fix_needs_its_accuracy_and_comes_only_from_the_elders_own_app():
    phone = care.GeoPoint(41.8811, 123.9580)
    with pytest.raises(InvalidArgument) as missing:
        care.raise_request(ELDER, app_call(position=phone, position_source=care.PHONE_GPS), "c-1", NOW,
                           DEFAULT_POLICY)
    assert "position_accuracy_m" in missing.value.fields
    with pytest.raises(InvalidArgument) as by_family:
        care.raise_request(Caller(DAUGHTER.subject, DAUGHTER.roles, frozenset({COMMUNITY})), app_call(position=phone, position_source=care.PHONE_GPS,
                                              position_accuracy_m=10.0),
                           "c-1", NOW, DEFAULT_POLICY, frozenset({"elder-dq-0312"}))
    assert "position" in by_family.value.fields
    with pytest.raises(InvalidArgument):
        care.raise_request(ELDER, app_call(position_accuracy_m=10.0), "c-1", NOW, DEFAULT_POLICY)


def test_a_call_that_names_another_building_gets_the_door_it_names_and_no_home_position():
    park = care.Location("社区花园", "", 0, "长椅旁")
    placed = r.placed(app_call(location=park), elder())
    assert (placed.location, placed.position, placed.position_source) == (park, None, "")


def test_a_call_for_an_elder_not_registered_in_the_community_is_not_found():
    with pytest.raises(NotFound):
        r.check_registered(None, "elder-ghost", COMMUNITY)
    with pytest.raises(NotFound):
        r.check_registered(elder(), "elder-dq-0312", "another")
    assert r.check_registered(elder(), "elder-dq-0312", COMMUNITY).id == "elder-dq-0312"
