"""The day's figures are kept in several documents per community, day and kind (so concurrent handlers
don't conflict); merge() puts them back together before anything is summarized."""
from services.eldercare.domain import figures


def part(day: str, kind: str, **counters) -> dict:
    return {"_id": f"donghuayuan:{day}:{kind}:{len(counters)}", "community_id": "donghuayuan", "day": day,
            "kind": kind, **counters}


def test_counts_of_one_day_and_kind_add_up_across_their_parts():
    [merged] = figures.merge([part("2026-03-02", "meal", raised=3, acknowledged=2),
                              part("2026-03-02", "meal", raised=1, rating_sum=5, rating_count=1)])
    assert merged == {"community_id": "donghuayuan", "day": "2026-03-02", "kind": "meal",
                      "raised": 4, "acknowledged": 2, "rating_sum": 5, "rating_count": 1}


def test_samples_of_all_parts_are_kept_for_the_percentiles():
    [merged] = figures.merge([part("2026-03-02", "emergency", acknowledge_seconds=[12.0, 30.0]),
                              part("2026-03-02", "emergency", acknowledge_seconds=[45.0])])
    assert sorted(merged["acknowledge_seconds"]) == [12.0, 30.0, 45.0]
    assert figures.summarize(merged)["acknowledge_p50_seconds"] == 30.0


def test_days_and_kinds_stay_apart_in_the_order_they_were_read():
    merged = figures.merge([part("2026-03-01", "meal", raised=1), part("2026-03-01", "medical", raised=2),
                            part("2026-03-01", "meal", raised=1), part("2026-03-02", "meal", raised=5)])
    assert [(m["day"], m["kind"], m["raised"]) for m in merged] == [
        ("2026-03-01", "meal", 2), ("2026-03-01", "medical", 2), ("2026-03-02", "meal", 5)]


def test_a_document_from_before_the_split_merges_like_any_part():
    legacy = {"_id": "donghuayuan:2026-03-01:meal", "community_id": "donghuayuan", "day": "2026-03-01",
              "kind": "meal", "raised": 7}
    [merged] = figures.merge([legacy, part("2026-03-01", "meal", raised=1)])
    assert merged["raised"] == 8
