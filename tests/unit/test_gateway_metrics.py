"""The gateway labels each request's metrics with its route's template (gateway/metrics.py), never the raw
path, also for requests answered before routing (429, 503): one series per route, however many ids."""
import pytest

from gateway import metrics
from gateway.app import create_app
from gateway.ratelimit import TokenBuckets


@pytest.fixture(scope="module")
def app():
    app = create_app(rate_limit=TokenBuckets(1, 1))
    metrics.learn_routes(app)  # what the app's start-up does
    return app


@pytest.mark.parametrize("path, template", [
    ("/v1/care-requests", "/v1/care-requests"),
    ("/v1/care-requests/cr-123", "/v1/care-requests/{care_request_id}"),
    ("/v1/care-requests/cr-123/acknowledge", "/v1/care-requests/{care_request_id}/acknowledge"),
    ("/v1/devices/maintenance-alerts", "/v1/devices/maintenance-alerts"),
    ("/v1/devices/pager-9/press", "/v1/devices/{device_id}/press"),
    ("/board/app.js", "/board"),
    ("/openapi.json", "/openapi.json"),
    ("/v1/no/such/route", "unmatched"),
])
def test_a_request_is_labelled_with_its_routes_template(app, path, template):
    assert metrics.route_of({"app": app, "path": path, "method": "GET"}) == template


def test_every_documented_route_is_its_own_template(app):
    for template in app.openapi()["paths"]:
        concrete = template.replace("{", "x").replace("}", "")
        assert metrics.route_of({"app": app, "path": concrete}) == template
