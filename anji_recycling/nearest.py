"""Nearest first, in SQL: the squared equirectangular distance to a position (longitude scaled
by the cosine of its latitude), which orders like the great-circle distance at a county's
scale. Rows without a position sort last."""

import math

from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.db.models.functions import Cast

KM_PER_DEGREE = 111.2  # of latitude; a degree of longitude is shorter by cos(latitude)


def squared_distance(latitude, longitude, *, prefix: str = "") -> ExpressionWrapper:
    """In squared degrees of latitude, from the `latitude`/`longitude` fields (behind `prefix`,
    e.g. "site__")."""
    scale = math.cos(math.radians(float(latitude)))
    d_lat = Cast(F(f"{prefix}latitude"), FloatField()) - Value(float(latitude))
    d_lng = (Cast(F(f"{prefix}longitude"), FloatField()) - Value(float(longitude))) * Value(scale)
    return ExpressionWrapper(d_lat * d_lat + d_lng * d_lng, output_field=FloatField())


def distance_km(distance2) -> float | None:
    """The kilometres a `squared_distance` stands for."""
    return None if distance2 is None else math.sqrt(distance2) * KM_PER_DEGREE
