"""GeoJSON of the placement suggestions: WGS-84, [longitude, latitude]. Each unserved village
with a position is a feature (`role: "village"`), and each suggestion's position one more
(`role: "suggested"`), with the villages it would serve."""

from django.urls import reverse
from django.utils.translation import gettext as _


def _point(lat, lng):
    return {"type": "Point", "coordinates": [float(lng), float(lat)]}


def suggestions_feature_collection(report) -> dict:
    features = []
    for cluster in report.clusters:
        names = [str(member.village) for member in cluster.members]
        features.append(
            {
                "type": "Feature",
                "id": f"suggestion-{cluster.number}",
                "geometry": _point(cluster.latitude, cluster.longitude),
                "properties": {
                    "role": "suggested",
                    "number": cluster.number,
                    "name": _("Suggested point: %(village)s")
                    % {"village": cluster.suggested_village},
                    "kind": cluster.kind,
                    "kind_label": str(cluster.kind_label),
                    "township": cluster.township.name,
                    "villages": names,
                    "url": reverse("network:suggestions") + f"#suggestion-{cluster.number}",
                },
            }
        )
        for member in cluster.members:
            village = member.village
            features.append(
                {
                    "type": "Feature",
                    "id": village.pk,
                    "geometry": _point(village.latitude, village.longitude),
                    "properties": {
                        "role": "village",
                        "code": village.code,
                        "name": str(village),
                        "township": village.township.name,
                        "number": cluster.number,
                        "nearest_point": member.nearest_point.name if member.nearest_point else "",
                        "nearest_point_km": member.nearest_point_km,
                        "nearest_station": (
                            member.nearest_station.name if member.nearest_station else ""
                        ),
                        "nearest_station_km": member.nearest_station_km,
                        "approximate": False,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
