// How each kind of portal map layer is drawn (used by maps.js; needs maps-base.js): its
// marker, its popup and its part of the legend, for
// - sites: circle markers coloured and sized by tier, the status shown by border and fill;
// - villages: small markers (`approximate`: shown at the township's centre);
// - suggestions: placement suggestions and the unserved villages (network building).
// All of it as window.PortalMapLayers (LAYERS by data-layer name, and siteStyle).
(() => {
  "use strict";

  if (window.PortalMapLayers) {
    return; // loaded twice on one page
  }

  const { text, node, addFact, isLocalUrl } = window.PortalMapBase;
  const TIER_COLOURS = { 1: "#8b1a1a", 2: "#e8740c", 3: "#1f5fa8" };
  const TIER_RADIUS = { 1: 11, 2: 9, 3: 7 };
  const NEUTRAL = "#5f6b7a";
  const STATUS_ORDER = [
    "operating",
    "planned",
    "under_construction",
    "rectifying",
    "suspended",
    "banned",
    "closed",
    "illegal",
  ];

  // ---- Sites ----------------------------------------------------------------------------------

  // Tier by colour and size; status by fill and border.
  function siteStyle(tier, status, colour = TIER_COLOURS[tier] || NEUTRAL) {
    const base = {
      radius: TIER_RADIUS[tier] || 7,
      color: colour,
      weight: 2,
      opacity: 1,
      fillColor: colour,
      fillOpacity: 0.85,
      dashArray: null,
    };
    switch (status) {
      case "operating":
        return { ...base, color: "#ffffff", weight: 1.5 };
      case "planned":
        return { ...base, weight: 2.5, fillColor: "#ffffff", fillOpacity: 0.9 };
      case "under_construction":
        return { ...base, weight: 2.5, fillOpacity: 0.3 };
      case "rectifying":
        return { ...base, color: "#eab308", weight: 3 };
      case "suspended":
        return { ...base, color: "#eab308", weight: 3, dashArray: "3 3", fillOpacity: 0.5 };
      case "banned":
        return { ...base, color: "#4b5563", fillColor: "#9ca3af", fillOpacity: 0.75 };
      case "closed":
        return { ...base, color: "#9ca3af", fillColor: "#e5e7eb", fillOpacity: 0.7 };
      case "illegal":
        return { ...base, color: "#dc2626", weight: 3, fillColor: "#111827", fillOpacity: 0.9 };
      default:
        return base;
    }
  }

  function sitePopup(properties) {
    const box = node("div", "portal-map-popup");
    box.append(node("strong", "", properties.name));
    const facts = node("dl");
    addFact(facts, text("siteNumber"), properties.code);
    addFact(facts, text("tier"), properties.tier_label);
    addFact(facts, text("status"), properties.status_label);
    addFact(facts, text("township"), properties.township);
    addFact(facts, text("address"), properties.address);
    box.append(facts);
    if (isLocalUrl(properties.url)) {
      const link = node("a", "", text("openSite"));
      link.href = properties.url;
      const line = node("p");
      line.append(link);
      box.append(line);
    }
    return box;
  }

  function siteMarker(feature, latlng) {
    const properties = feature.properties || {};
    const { tier, status } = properties;
    const marker = L.circleMarker(latlng, {
      ...siteStyle(tier, status),
      bubblingMouseEvents: false, // a click on a site opens it; it does not pick a position
      className: `portal-map-marker portal-map-site tier-${tier} status-${status}`,
    });
    marker.bindPopup(() => sitePopup(properties));
    marker.bindTooltip(document.createTextNode(properties.name || ""), { direction: "top" });
    marker.on("popupopen", () => marker.closeTooltip());
    return marker;
  }

  function sitesLegend(features) {
    const tiers = new Map();
    const statuses = new Map();
    for (const { properties = {} } of features) {
      tiers.set(properties.tier, properties.tier_label);
      statuses.set(properties.status, properties.status_label);
    }
    const sections = [];
    const tierRows = [...tiers.keys()]
      .sort((a, b) => a - b)
      .map((tier) => [siteStyle(tier, "operating"), tiers.get(tier)]);
    sections.push([text("legendTier"), tierRows]);
    const statusRows = [...statuses.keys()]
      .sort((a, b) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b))
      .map((status) => [siteStyle(3, status), statuses.get(status)]);
    sections.push([text("legendStatus"), statusRows]);
    return sections;
  }

  // ---- Villages ---------------------------------------------------------------------------------

  function villageStyle(approximate) {
    return {
      radius: 5,
      color: "#6d28d9",
      weight: 1.5,
      opacity: 1,
      fillColor: "#a78bfa",
      fillOpacity: approximate ? 0.3 : 0.85,
      dashArray: approximate ? "2 2" : null,
    };
  }

  function villagePopup(properties) {
    const box = node("div", "portal-map-popup");
    box.append(node("strong", "", properties.name));
    const facts = node("dl");
    addFact(facts, text("divisionCode"), properties.code);
    addFact(facts, text("township"), properties.township);
    box.append(facts);
    if (properties.approximate === true) {
      box.append(node("p", "approximate", text("approximate")));
    }
    return box;
  }

  function villageMarker(feature, latlng) {
    const properties = feature.properties || {};
    const marker = L.circleMarker(latlng, {
      ...villageStyle(properties.approximate === true),
      bubblingMouseEvents: false,
      className: "portal-map-marker portal-map-village",
    });
    marker.bindPopup(() => villagePopup(properties));
    marker.bindTooltip(document.createTextNode(properties.name || ""), { direction: "top" });
    marker.on("popupopen", () => marker.closeTooltip());
    return marker;
  }

  function villagesLegend(features) {
    const rows = [[villageStyle(false), text("village")]];
    if (features.some((feature) => (feature.properties || {}).approximate === true)) {
      rows.push([villageStyle(true), text("approximateLegend")]);
    }
    return [["", rows]];
  }

  // ---- Placement suggestions (network building) -----------------------------------------------
  // Features with `role: "suggested"` (a suggested position, with the villages it would serve)
  // and `role: "village"` (an unserved village with the nearest operating point and station).

  function suggestedStyle() {
    return {
      radius: 9,
      color: "#166534",
      weight: 3,
      opacity: 1,
      fillColor: "#4ade80",
      fillOpacity: 0.9,
      dashArray: null,
    };
  }

  function distance(name, km) {
    if (!name) {
      return "";
    }
    return km === null || km === undefined ? name : `${name} · ${text("kilometres", { km })}`;
  }

  function suggestionPopup(properties) {
    const box = node("div", "portal-map-popup");
    box.append(node("strong", "", properties.name));
    const facts = node("dl");
    if (properties.role === "suggested") {
      addFact(facts, text("township"), properties.township);
      addFact(facts, "", properties.kind_label);
      addFact(facts, text("serves"), (properties.villages || []).join("、"));
    } else {
      addFact(facts, text("divisionCode"), properties.code);
      addFact(facts, text("nearestPoint"), distance(properties.nearest_point, properties.nearest_point_km));
      addFact(facts, text("nearestStation"), distance(properties.nearest_station, properties.nearest_station_km));
    }
    box.append(facts);
    if (isLocalUrl(properties.url)) {
      const link = node("a", "", text("openSuggestion"));
      link.href = properties.url;
      const line = node("p");
      line.append(link);
      box.append(line);
    }
    return box;
  }

  function suggestionMarker(feature, latlng) {
    const properties = feature.properties || {};
    const suggested = properties.role === "suggested";
    const marker = L.circleMarker(latlng, {
      ...(suggested ? suggestedStyle() : villageStyle(false)),
      bubblingMouseEvents: false,
      className: `portal-map-marker portal-map-${suggested ? "suggested" : "village"}`,
    });
    marker.bindPopup(() => suggestionPopup(properties));
    marker.bindTooltip(document.createTextNode(properties.name || ""), { direction: "top" });
    marker.on("popupopen", () => marker.closeTooltip());
    return marker;
  }

  function suggestionsLegend() {
    return [["", [[suggestedStyle(), text("suggestedPoint")], [villageStyle(false), text("unservedVillage")]]]];
  }

  const LAYERS = {
    suggestions: {
      marker: suggestionMarker,
      legend: suggestionsLegend,
      shown: "suggestionsShown",
      none: "noSuggestions",
      cluster: false,
    },
    sites: { marker: siteMarker, legend: sitesLegend, shown: "sitesShown", none: "noSites" },
    villages: {
      marker: villageMarker,
      legend: villagesLegend,
      shown: "villagesShown",
      none: "noVillages",
    },
  };

  window.PortalMapLayers = { LAYERS, siteStyle };
})();
