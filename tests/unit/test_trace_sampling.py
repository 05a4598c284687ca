"""Trace sampling (LINLI_TRACE_SAMPLE_RATIO): the share of traces recorded where they start, followed
downstream, and a clear refusal to start with a ratio that is not one."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from linli.kit import telemetry

ROOT = Path(__file__).resolve().parents[2]


def _tracer(monkeypatch, ratio: str):
    monkeypatch.setenv("LINLI_TRACE_SAMPLE_RATIO", ratio)
    return TracerProvider(sampler=telemetry.sampler()).get_tracer("test")


def _remote_parent(sampled: bool):
    context = SpanContext(trace_id=0x1234, span_id=0x5678, is_remote=True,
                          trace_flags=TraceFlags(TraceFlags.SAMPLED if sampled else TraceFlags.DEFAULT))
    return trace.set_span_in_context(NonRecordingSpan(context))


def test_with_ratio_one_every_trace_started_here_is_recorded(monkeypatch):
    tracer = _tracer(monkeypatch, "1")

    assert all(tracer.start_span("request").is_recording() for _ in range(200))


def test_with_ratio_zero_no_trace_started_here_is_recorded_but_each_still_has_a_trace_id(monkeypatch):
    tracer = _tracer(monkeypatch, "0")

    spans = [tracer.start_span("request") for _ in range(200)]

    assert not any(span.is_recording() for span in spans)
    assert all(span.get_span_context().is_valid for span in spans)  # X-Trace-Id and log lines keep it


def test_a_ratio_records_about_that_share_of_new_traces(monkeypatch):
    tracer = _tracer(monkeypatch, "0.25")

    recorded = sum(tracer.start_span("request").is_recording() for _ in range(4000))

    assert 800 < recorded < 1200  # 1,000 expected; the bounds are over 7 standard deviations away


def test_a_span_follows_its_parents_decision_whatever_the_ratio(monkeypatch):
    never = _tracer(monkeypatch, "0")
    always = _tracer(monkeypatch, "1")

    assert never.start_span("handler", context=_remote_parent(sampled=True)).is_recording()
    assert not always.start_span("handler", context=_remote_parent(sampled=False)).is_recording()


@pytest.mark.parametrize("ratio", ["1.5", "-0.1", "ten percent", "nan", ""])
def test_a_ratio_that_is_not_a_share_is_refused_with_a_message_naming_the_setting(monkeypatch, ratio):
    monkeypatch.setenv("LINLI_TRACE_SAMPLE_RATIO", ratio)

    with pytest.raises(SystemExit) as refused:
        telemetry.sampler()

    assert "LINLI_TRACE_SAMPLE_RATIO must be a number from 0 to 1" in str(refused.value)
    assert repr(ratio) in str(refused.value)


def test_a_process_with_an_invalid_ratio_stops_at_start_up_saying_why():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LINLI_TRACE_SAMPLE_RATIO": "2"}

    finished = subprocess.run([sys.executable, "-c", "from linli.kit import telemetry; telemetry.setup('test')"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert finished.returncode == 1
    assert "LINLI_TRACE_SAMPLE_RATIO must be a number from 0 to 1 (the share of traces recorded), got '2'" \
        in finished.stderr
