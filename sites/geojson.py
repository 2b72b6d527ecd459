"""GeoJSON for the maps: coordinates in WGS-84, [longitude, latitude] as the format says."""

from .choices import SiteStatus, SiteTier


def sites_feature_collection(sites) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": site.pk,
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(site.longitude), float(site.latitude)],
                },
                "properties": {
                    "code": site.code,
                    "name": site.name,
                    "tier": site.tier,
                    "tier_label": str(SiteTier(site.tier).label),
                    "status": site.status,
                    "status_label": str(SiteStatus(site.status).label),
                    "township": site.township.name,
                    "address": site.address,
                    "url": site.get_absolute_url(),
                },
            }
            for site in sites
        ],
    }
