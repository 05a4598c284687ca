"""Figures an administrator reads: percentiles, SLA share, averages, day ranges."""
import pytest

from linli.kit.errors import InvalidArgument
from services.eldercare.domain import figures


def test_percentiles_use_the_nearest_rank():
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert figures.percentile(values, 50) == 50
    assert figures.percentile(values, 90) == 90
    assert figures.percentile([7], 90) == 7
    assert figures.percentile([], 50) == 0


def test_a_summary_derives_shares_and_averages_from_counters():
    summary = figures.summarize({"day": "2026-11-27", "kind": "emergency", "raised": 4, "acknowledged": 4,
                                 "acknowledged_within_sla": 3, "acknowledge_seconds": [12, 30, 45, 75],
                                 "rating_sum": 9, "rating_count": 2})
    assert summary["acknowledged_within_sla_share"] == 0.75
    assert summary["acknowledge_p50_seconds"] == 30
    assert summary["acknowledge_p90_seconds"] == 75
    assert summary["average_rating"] == 4.5
    assert summary["arrived"] == 0 and summary["arrive_p50_seconds"] == 0


def test_day_ranges_are_validated():
    assert figures.day_range("2026-11-01", "") == ("2026-11-01", "2026-11-01")
    with pytest.raises(InvalidArgument):
        figures.day_range("2026-11-30", "2026-11-01")
    with pytest.raises(InvalidArgument):
        figures.day_range("yesterday", "")
    with pytest.raises(InvalidArgument):
        figures.day_range("2026-01-01", "2026-12-31")
