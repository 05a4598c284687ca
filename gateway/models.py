"""What more than one resource uses, defined once so the published contract says the same thing everywhere
and says what the service apis enforce: ids, days, page sizes and tokens, the Idempotency-Key header, a
geographic point."""
import datetime as dt
from typing import Annotated

from fastapi import Header, Path, Query
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

# Every id the service apis issue or accept (services/*/domain: ID_PATTERN).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
OPTIONAL_ID_PATTERN = r"^([A-Za-z0-9][A-Za-z0-9._:-]{0,63})?$"  # an id, or empty where empty means "yours"
# A partner organisation's id (services/clinic/domain/organisations.py: PARTNER_ID_PATTERN).
PARTNER_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
ID_RULE = "1 to 64 letters, digits or . _ : -, starting with a letter or digit"
# A page token is what a list answered as next_page_token (URL-safe base64, unpadded); pass it back as is.
PAGE_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,1024}$"
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"


def _real_day(value: str | None) -> str | None:
    if value is not None:
        dt.date.fromisoformat(value)  # 0000-00-00 and 2026-02-30 match the pattern but are no day: ValueError → 422
    return value


def _whole(value):
    # JSON has one kind of number: 150.0 is the integer 150. A fraction, a string or a boolean is not.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# The largest integer every JSON client holds exactly (2**53 - 1), and far inside the apis' int64.
LARGEST_WHOLE_NUMBER = 9_007_199_254_740_991


def whole_number(**constraints):
    """An integer field (money in fen, counts): strict, so "150", true and 1.5 are refused, but 150.0 is
    150. The constraints (ge, le, description) go in here, ahead of the validator, or the published
    schema would lose them; a field's own Field(ge=..., le=...) applies too, but only where this gives
    none. Give every one an upper bound (LARGEST_WHOLE_NUMBER at most): the apis hold int64."""
    return Annotated[int, Field(strict=True, **constraints), BeforeValidator(_whole)]


WholeNumber = whole_number()

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
# A day's constraints come before the validator that checks it is a real day: after it, the published
# schema would lose them.
_DAY = {"pattern": DAY_PATTERN, "json_schema_extra": {"format": "date"}, "examples": ["2026-11-20"],
        "description": "A calendar day, YYYY-MM-DD (a real one: not 2026-02-30), in the community's zone"}
Day = Annotated[str, Field(**_DAY), AfterValidator(_real_day)]
DayQuery = Annotated[str, Query(**_DAY), AfterValidator(_real_day)]
OptionalDayQuery = Annotated[str | None, Query(**_DAY), AfterValidator(_real_day)]
DayPath = Annotated[str, Path(**_DAY), AfterValidator(_real_day)]
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY_PATTERN,
    description="Makes a retry safe: the same key with the same request replays the first answer (for 24 "
                "hours); the same key with a different request is refused (422). 1-64 characters "
                "A-Z a-z 0-9 . _ : -")]


class GeoPointIn(BaseModel):
    """A WGS-84 point. 0,0 (in the Gulf of Guinea) is what a device sends when it has no fix, so every api
    refuses it: so does this model, and the schema says so."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "not": {"properties": {"latitude": {"const": 0}, "longitude": {"const": 0}}}})
    latitude: float = Field(ge=-90, le=90, examples=[41.8810])
    longitude: float = Field(ge=-180, le=180, examples=[123.9570])

    @model_validator(mode="after")
    def _has_a_fix(self):
        if self.latitude == 0 and self.longitude == 0:
            raise ValueError("0,0 is no position (a device without a fix)")
        return self
