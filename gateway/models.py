"""Input models more than one resource uses."""
from pydantic import BaseModel, ConfigDict, Field


class GeoPointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    latitude: float = Field(ge=-90, le=90, examples=[41.8810])
    longitude: float = Field(ge=-180, le=180, examples=[123.9570])
