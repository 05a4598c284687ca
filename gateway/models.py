"""What more than one resource uses, defined once so the published contract says the same thing everywhere
and says what the service apis enforce: ids, days, page sizes and tokens, the Idempotency-Key header, a
geographic point."""
import datetime as dt
from typing import Annotated

from fastapi import Header, Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# Every id the service apis issue or accept (services/*/domain: ID_PATTERN).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
ID_RULE = "1 to 64 letters, digits or . _ : -, starting with a letter or digit"
# A page token is what a list answered as next_page_token (URL-safe base64, unpadded); pass it back as is.
PAGE_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,1024}$"
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"


def _real_day(value: str | None) -> str | None:
    if value is not None:
        dt.date.fromisoformat(value)  # 0000-00-00 and 2026-02-30 match the pattern but are no day: ValueError → 422
    return value


Id = Annotated[str, Path(pattern=ID_PATTERN, description=f"An id: {ID_RULE}", examples=["cr-7f3a9c"])]
IdQuery = Annotated[str | None, Query(pattern=ID_PATTERN, description=f"An id: {ID_RULE}")]
IdField = Annotated[str, Field(pattern=ID_PATTERN, description=f"An id: {ID_RULE}")]
CommunityQuery = Annotated[str | None, Query(pattern=ID_PATTERN, description="A community's id")]
RequiredCommunityQuery = Annotated[str, Query(pattern=ID_PATTERN, description="A community's id")]
PageSize = Annotated[int, Query(ge=1, le=200, description="Items per page")]
PageToken = Annotated[str | None, Query(
    pattern=PAGE_TOKEN_PATTERN,
    description="The next_page_token of the previous page, as it was given (opaque; a token this service did "
                "not issue is refused 400)")]
Day = Annotated[str, AfterValidator(_real_day), Field(
    pattern=DAY_PATTERN, json_schema_extra={"format": "date"},
    description="A calendar day, YYYY-MM-DD (a real one: not 2026-02-30), in the community's zone",
    examples=["2026-11-20"])]
DayQuery = Annotated[str, AfterValidator(_real_day), Query(
    pattern=DAY_PATTERN, json_schema_extra={"format": "date"},
    description="A calendar day, YYYY-MM-DD, in the community's zone", examples=["2026-11-20"])]
OptionalDayQuery = Annotated[str | None, AfterValidator(_real_day), Query(
    pattern=DAY_PATTERN, json_schema_extra={"format": "date"},
    description="A calendar day, YYYY-MM-DD, in the community's zone", examples=["2026-11-20"])]
DayPath = Annotated[str, AfterValidator(_real_day), Path(
    pattern=DAY_PATTERN, json_schema_extra={"format": "date"},
    description="A calendar day, YYYY-MM-DD, in the community's zone", examples=["2026-11-20"])]
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY_PATTERN,
    description="Makes a retry safe: the same key with the same request replays the first answer (for 24 "
                "hours); the same key with a different request is refused (422). 1-64 characters "
                "A-Z a-z 0-9 . _ : -")]


class GeoPointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    latitude: float = Field(ge=-90, le=90, examples=[41.8810])
    longitude: float = Field(ge=-180, le=180, examples=[123.9570])
