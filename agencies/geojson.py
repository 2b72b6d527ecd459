"""The villages as a map layer: GeoJSON, WGS-84 [longitude, latitude].

A village without a position of its own is placed at its township's centre and marked
`approximate`; one whose township has no centre either has no geometry (`null`, as GeoJSON
allows) unless `located_only` leaves it out."""

# What the public may read of a village: the reference fields of its official division.
PUBLIC_PROPERTIES = ("code", "name", "official_name", "kind", "township", "township_code")


def village_centre(village):
    """(longitude, latitude, approximate) or None: the village's position, else its township's."""
    for point in (village, village.township):
        if point.latitude is not None and point.longitude is not None:
            return float(point.longitude), float(point.latitude), point is not village
    return None


def village_feature(village, *, public: bool = False) -> dict:
    centre = village_centre(village)
    properties = {
        "code": village.code,
        "name": str(village),
        "official_name": village.name,
        "kind": village.kind,
        "township": village.township.name,
        "township_code": village.township.code,
        "township_id": village.township_id,
        "approximate": bool(centre and centre[2]),
    }
    feature = {
        "type": "Feature",
        "id": village.pk,
        "geometry": centre and {"type": "Point", "coordinates": [centre[0], centre[1]]},
        "properties": properties,
    }
    if public:
        del feature["id"]
        feature["properties"] = {
            **{name: properties[name] for name in PUBLIC_PROPERTIES},
            "approximate": properties["approximate"],
        }
    return feature


def villages_feature_collection(villages, *, public=False, located_only=False) -> dict:
    features = [village_feature(village, public=public) for village in villages]
    if located_only:
        features = [feature for feature in features if feature["geometry"]]
    return {"type": "FeatureCollection", "features": features}
