"""A meal delivery for a registered elder goes to their door, with the map position they consented to
share, through the real eldercare api process (residents and meals together)."""
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from linli.eldercare.v1 import (common_pb2, eldercare_pb2, eldercare_pb2_grpc, meals_pb2, meals_pb2_grpc,
                                residents_pb2, residents_pb2_grpc)
from linli.kit.identity import Caller


@pytest.fixture
def community():
    return f"door-{uuid.uuid4().hex[:8]}"


def test_a_delivery_for_a_registered_elder_goes_to_their_door(channel, community):
    operator = Caller("op-wang", frozenset({"operator"}), frozenset({community})).to_metadata()
    elder = Caller("elder-door", frozenset({"resident"}), frozenset({community})).to_metadata()
    residents = residents_pb2_grpc.ResidentServiceStub(channel)
    meals = meals_pb2_grpc.MealServiceStub(channel)
    care = eldercare_pb2_grpc.EldercareServiceStub(channel)
    home = common_pb2.Address(building="东区 5号楼", unit="3单元", floor=6, room="02",
                              position=common_pb2.GeoPoint(latitude=41.8821, longitude=123.9591))
    residents.RegisterElder(residents_pb2.RegisterElderRequest(
        id="elder-door", community_id=community,
        details=residents_pb2.ElderDetails(name="王秀英", address=home)), metadata=operator, timeout=5)
    residents.RecordConsent(residents_pb2.RecordConsentRequest(
        elder_id="elder-door", topic=residents_pb2.CONSENT_TOPIC_LOCATION, granted=True), metadata=elder, timeout=5)
    tomorrow = (dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=1)).isoformat()
    meals.SetMenu(meals_pb2.SetMenuRequest(
        community_id=community, day=tomorrow, dishes=[meals_pb2.Dish(name="茄汁鱼"), meals_pb2.Dish(name="熘豆腐")],
        price_fen=1000, order_cutoff="09:30", dine_in=True, delivery=True), metadata=operator, timeout=5)

    order = meals.PlaceMealOrder(meals_pb2.PlaceMealOrderRequest(
        community_id=community, elder_id="elder-door", day=tomorrow, mode=meals_pb2.MEAL_MODE_DELIVERY,
        quantity=1), metadata=elder, timeout=5).meal_order

    delivery = care.GetCareRequest(eldercare_pb2.GetCareRequestRequest(id=order.care_request_id),
                                   metadata=operator, timeout=5).care_request
    assert (delivery.location.building, delivery.location.unit, delivery.location.floor) == ("东区 5号楼", "3单元", 6)
    assert delivery.HasField("position") and delivery.position.latitude == pytest.approx(41.8821)
    assert delivery.kind == eldercare_pb2.CARE_KIND_MEAL
