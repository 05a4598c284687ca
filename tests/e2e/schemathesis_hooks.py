"""Schemathesis hooks for tests/e2e/test_openapi_contract.py (loaded through SCHEMATHESIS_HOOKS; this runs
inside Schemathesis's own virtualenv).

A page token is an opaque cursor that only the server issues: no schema can say which strings it issued, so
a schema-valid string it never issued is rightly refused 400. Positive cases therefore carry only tokens the
server could have issued — the stateful phase follows the `nextPage` links for real ones —, while negative
cases keep whatever was generated (they must be refused, and are).

Likewise an Idempotency-Key: the same key with a different request is rightly refused 422 (the server
remembers keys for 24 hours, across the whole run), so each positive case gets a key of its own.
"""
import base64
import json
import uuid

import schemathesis
from hypothesis import strategies as st


def _could_be_issued(token: str) -> bool:
    try:
        return isinstance(json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))), list)
    except ValueError:
        return False


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    meta = case.meta
    query = case.query
    if meta is not None and meta.generation.mode.is_positive and isinstance(query, dict) \
            and isinstance(query.get("page_token"), str) and not _could_be_issued(query["page_token"]):
        del query["page_token"]
    headers = case.headers
    if meta is not None and meta.generation.mode.is_positive and headers is not None:
        for name in list(headers):
            if name.lower() == "idempotency-key":
                headers[name] = uuid.uuid4().hex


# A call recording's body is audio (POST .../call/recordings), which Schemathesis cannot make from a schema:
# small files of each accepted type.
_AUDIO_SAMPLES = {
    "audio/wav": b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00@\x1f\x00\x00\x80>\x00\x00\x02\x00\x10\x00"
                 b"data\x00\x00\x00\x00",
    "audio/ogg": b"OggS\x00\x02" + bytes(22),
    "audio/webm": b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webm",
}
for _media_type, _sample in _AUDIO_SAMPLES.items():
    schemathesis.openapi.media_type(_media_type, st.sampled_from([_sample, _sample + bytes(64)]))
