// The portal's maps. Any element
//   <div class="portal-map" data-geojson="URL" data-layer="sites|villages"
//        [data-pick-lat="INPUT_ID" data-pick-lng="INPUT_ID"] [data-filter-form="FORM_ID"]></div>
// becomes a Leaflet map showing the GeoJSON layer at URL.
//
// - data-layer="sites": circle markers coloured by tier, the status shown by border and fill,
//   clustered where dense, with a popup linking to the site page, and a legend.
// - data-layer="villages": small markers (property `approximate`: shown at the township centre).
// - data-overlay-geojson (with data-overlay-layer="villages|sites"): a second layer drawn over the
//   first, unclustered, with its own part of the legend (the dashboard: sites and the villages
//   not yet served on one map).
// - data-filter-form: the id of a GET form (or of an element holding one); when the form changes
//   or is submitted, the layer reloads with the form's query string, and the page's address too.
// - data-pick-lat / data-pick-lng: ids of two inputs; a click on the map puts a draggable marker
//   there and writes its latitude and longitude (WGS-84, 6 decimals); typing moves the marker.
//   static/js/map-picker.js does the picking (and follows the form's township and village).
//
// templates/includes/map_assets.html loads Leaflet, leaflet.markercluster and this file, and gives
// it the deployment's LEAFLET_CONFIG (data-leaflet-config), the township list's API address
// (data-townships) and the translated texts (<template id="portal-map-text">). Without tiles
// (the default: the portal works offline) the map is a plain background with the county's
// township centres. No inline scripts or styles anywhere (Content-Security-Policy).
(() => {
  "use strict";

  if (window.PortalMaps) {
    return; // loaded twice on one page
  }

  const script = document.currentScript;
  const FIT_MAX_ZOOM = 14; // a single site is shown with its streets around it
  // Where a site may lie (the database constraint site_position_in_anji); the view may wander a
  // little further, not to the other end of the world.
  const ANJI = { south: 30.2, north: 30.9, west: 119.2, east: 119.9 };
  const VIEW_MARGIN = 0.4;
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
  const FALLBACK_TEXT = {
    loading: "Loading the map…",
    loadFailed: "The map layer could not be loaded.",
    baseUnavailable: "The base map is unavailable: township names from the portal are shown.",
    sitesShown: "Sites on the map: %(count)s",
    noSites: "No site with a position matches.",
    villagesShown: "Villages on the map: %(count)s",
    noVillages: "No village to show.",
    legend: "Legend",
    legendTier: "Tier",
    legendStatus: "Status",
    siteNumber: "Site number",
    tier: "Tier",
    status: "Status",
    township: "Township",
    address: "Address",
    openSite: "Open the site page",
    divisionCode: "Division code",
    village: "Village or community",
    approximate: "Shown at the township's centre: no position of its own.",
    approximateLegend: "At the township's centre",
    pickMarker: "The site's position: drag to adjust",
    suggestionsShown: "Suggestions and villages on the map: %(count)s",
    noSuggestions: "No suggestion to show.",
    suggestedPoint: "Suggested point",
    unservedVillage: "Village not yet served",
    serves: "Would serve",
    nearestPoint: "Nearest operating point",
    nearestStation: "Nearest operating station",
    kilometres: "%(km)s km",
    openSuggestion: "Open the suggestion",
  };

  // ---- Settings and texts from the include --------------------------------------------------

  function readSettings() {
    let config = {};
    try {
      config = JSON.parse((script && script.dataset.leafletConfig) || "{}");
    } catch (error) {
      config = {};
    }
    const centre = Array.isArray(config.DEFAULT_CENTER) ? config.DEFAULT_CENTER : [30.63, 119.6];
    return {
      centre: [Number(centre[0]), Number(centre[1])],
      zoom: Number.isFinite(config.DEFAULT_ZOOM) ? config.DEFAULT_ZOOM : 10,
      minZoom: Number.isFinite(config.MIN_ZOOM) ? config.MIN_ZOOM : 8,
      maxZoom: Number.isFinite(config.MAX_ZOOM) ? config.MAX_ZOOM : 18,
      tiles: normaliseTiles(config.TILES),
      overlays: normaliseTiles(config.OVERLAYS),
      attributionPrefix: config.ATTRIBUTION_PREFIX,
      scale: config.SCALE === undefined ? "metric" : config.SCALE,
      townshipsUrl: (script && script.dataset.townships) || "",
    };
  }

  // LEAFLET_CONFIG["TILES"] (and "OVERLAYS") as django-leaflet reads them: a URL, or
  // [[label, url, options], …] where options are Leaflet's tile layer options or, as in old
  // django-leaflet, just the attribution.
  function normaliseTiles(tiles) {
    if (typeof tiles === "string" && tiles) {
      return [{ label: "", url: tiles, options: {} }];
    }
    if (!Array.isArray(tiles)) {
      return [];
    }
    return tiles
      .filter((tile) => Array.isArray(tile) && typeof tile[1] === "string" && tile[1])
      .map(([label, url, options]) => {
        let tileOptions = {};
        if (typeof options === "string") {
          tileOptions = { attribution: options };
        } else if (options && typeof options === "object") {
          tileOptions = options;
        }
        return { label: label || "", url, options: tileOptions };
      });
  }

  const texts = (() => {
    const found = { ...FALLBACK_TEXT };
    const template = document.getElementById("portal-map-text");
    if (template && template.content) {
      for (const node of template.content.querySelectorAll("[data-text]")) {
        found[node.dataset.text] = node.textContent.trim();
      }
    }
    return found;
  })();

  function text(key, values = {}) {
    return (texts[key] || key).replace(/%\((\w+)\)s/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );
  }

  // ---- Small DOM helpers (popups are built from nodes, never from HTML strings) ----------------

  function node(tag, className, content) {
    const element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    if (content !== undefined && content !== null) {
      element.textContent = String(content);
    }
    return element;
  }

  function addFact(list, label, value) {
    if (value === undefined || value === null || value === "") {
      return;
    }
    list.append(node("dt", "", label), node("dd", "", value));
  }

  function isLocalUrl(url) {
    return typeof url === "string" && url.startsWith("/") && !url.startsWith("//");
  }

  // A small SVG circle drawn like a marker, for the legend (SVG attributes, not style).
  function swatch(style) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("aria-hidden", "true");
    const circle = document.createElementNS(ns, "circle");
    circle.setAttribute("cx", "10");
    circle.setAttribute("cy", "10");
    circle.setAttribute("r", String(Math.min(style.radius || 6, 7)));
    circle.setAttribute("stroke", style.color);
    circle.setAttribute("stroke-width", String(style.weight));
    circle.setAttribute("stroke-opacity", String(style.opacity === undefined ? 1 : style.opacity));
    circle.setAttribute("fill", style.fillColor);
    circle.setAttribute("fill-opacity", String(style.fillOpacity));
    if (style.dashArray) {
      circle.setAttribute("stroke-dasharray", style.dashArray);
    }
    svg.append(circle);
    return svg;
  }

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

  // ---- Data -------------------------------------------------------------------------------------

  async function fetchJSON(url, signal) {
    const response = await fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal,
    });
    if (!response.ok) {
      throw new Error(`${response.status} ${url}`);
    }
    return response.json();
  }

  // The township list, once per page, for the plain background.
  let townshipsPromise = null;

  function townships(url) {
    if (!townshipsPromise) {
      townshipsPromise = (async () => {
        const found = [];
        let next = url ? `${url}${url.includes("?") ? "&" : "?"}limit=100` : null;
        while (next) {
          const page = await fetchJSON(next);
          const rows = Array.isArray(page) ? page : page.results || [];
          found.push(...rows);
          next = Array.isArray(page) ? null : page.next;
        }
        return found;
      })().catch(() => []);
    }
    return townshipsPromise;
  }

  // ---- Controls ---------------------------------------------------------------------------------

  function statusControl(map) {
    const control = L.control({ position: "topright" });
    const box = node("div", "portal-map-status");
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    control.onAdd = () => box;
    control.addTo(map);
    return {
      show(message, isError = false) {
        box.textContent = message;
        box.classList.toggle("is-error", isError);
      },
    };
  }

  function legendControl(map) {
    const control = L.control({ position: "bottomright" });
    const box = node("div", "portal-map-legend");
    box.hidden = true;
    control.onAdd = () => {
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    // On a phone the legend folds behind a small 图例 button so it never covers the map.
    const toggle = node("button", "portal-map-legend-toggle", text("legend"));
    toggle.type = "button";
    const body = node("div", "portal-map-legend-body");
    const narrow = () => map.getContainer().clientWidth < 640;
    function fold(folded) {
      box.classList.toggle("is-folded", folded);
      toggle.setAttribute("aria-expanded", String(!folded));
    }
    toggle.addEventListener("click", () => fold(!box.classList.contains("is-folded")));
    return {
      show(sections) {
        box.replaceChildren(toggle, body);
        box.classList.toggle("is-foldable", narrow());
        fold(narrow());
        for (const [title, rows] of sections) {
          if (!rows.length) {
            continue;
          }
          if (title) {
            body.append(node("h3", "", title));
          }
          const list = node("ul");
          for (const [style, label] of rows) {
            const item = node("li");
            item.append(swatch(style), node("span", "", label));
            list.append(item);
          }
          body.append(list);
        }
        box.hidden = !body.childElementCount;
      },
    };
  }

  // ---- Background -------------------------------------------------------------------------------

  // Tiles when the deployment configures them (anji_recycling/map_tiles.py): the first base
  // layer shown, each with its own label layer (天地图 vec_w + cva_w, img_w + cia_w), overlays
  // shown too; a layer switcher when there is a choice. Without tiles, or when they cannot be
  // loaded (offline), the county reference layer: township names on a plain background and a
  // small note that the base map is unavailable.
  function addBackground(map, element, settings) {
    let referenceShown = false;
    function showReference() {
      if (referenceShown) {
        return;
      }
      referenceShown = true;
      element.classList.add("portal-map-plain");
      addReference(map, settings);
    }
    if (!settings.tiles.length) {
      showReference();
      return;
    }
    const zooms = { minZoom: settings.minZoom, maxZoom: settings.maxZoom };
    let loaded = 0;
    let failed = 0;
    const watch = (layer) => {
      layer.on("tileload", () => {
        loaded += 1;
      });
      layer.on("tileerror", () => {
        failed += 1;
        // A few failures and nothing loaded: the tile server is unreachable.
        if (!loaded && failed >= 3 && !referenceShown) {
          showReference();
          unavailableNote(map);
        }
      });
      return layer;
    };
    const tileLayer = (url, options) => watch(L.tileLayer(url, { ...zooms, ...options }));
    const bases = {};
    settings.tiles.forEach((tile, index) => {
      const { labels, ...options } = tile.options;
      const base = tileLayer(tile.url, options);
      const layer = labels
        ? L.layerGroup([base, tileLayer(labels, { ...options, pane: "overlayPane" })])
        : base;
      bases[tile.label || String(index + 1)] = layer;
      if (index === 0) {
        layer.addTo(map);
      }
    });
    const overlays = {};
    settings.overlays.forEach((tile, index) => {
      const { labels, ...options } = tile.options;
      overlays[tile.label || String(index + 1)] = tileLayer(tile.url, options).addTo(map);
    });
    if (settings.tiles.length > 1 || settings.overlays.length) {
      L.control.layers(bases, overlays, { position: "topleft" }).addTo(map);
    }
  }

  function unavailableNote(map) {
    const control = L.control({ position: "bottomleft" });
    const box = node("div", "portal-map-note", text("baseUnavailable"));
    box.setAttribute("role", "note");
    box.dataset.baseUnavailable = "";
    control.onAdd = () => box;
    control.addTo(map);
  }

  function addReference(map, settings) {
    map.createPane("portal-townships");
    townships(settings.townshipsUrl).then((rows) => {
      for (const township of rows) {
        const lat = Number.parseFloat(township.latitude);
        const lng = Number.parseFloat(township.longitude);
        if (!Number.isFinite(lat) || !Number.isFinite(lng)) {
          continue;
        }
        L.marker([lat, lng], {
          pane: "portal-townships",
          interactive: false,
          keyboard: false,
          icon: L.divIcon({
            className: "portal-map-township",
            html: node("span", "", township.name),
            iconSize: null,
          }),
        }).addTo(map);
      }
    });
  }

  // ---- Fitting the view -------------------------------------------------------------------------

  // Fit the view to bounds (or centre it on a point at `maxZoom`) once the map has a size. A map
  // laid out with no size (on a phone, in a folded panel or a column not yet laid out) would
  // compute its zoom from a zero-sized box and end at the widest zoom, the county out of view:
  // the fit then waits for the container's first real size.
  function fitView(map, target, maxZoom = FIT_MAX_ZOOM) {
    const apply = (animate = true) => {
      map.invalidateSize({ pan: false });
      if (target instanceof L.LatLngBounds) {
        map.fitBounds(target, { padding: [32, 32], maxZoom, animate });
      } else {
        map.setView(target, maxZoom, { animate });
      }
    };
    const container = map.getContainer();
    if (!container.clientWidth || !container.clientHeight) {
      // Shown at last: straight to the view (no zoom from a view it never had).
      map.portalPendingFit = () => apply(false);
      return;
    }
    // Leaflet ignores a new view asked for while a zoom is animating (a township, then at once
    // a village): the newest view waits for the zoom's end.
    if (map._animatingZoom) {
      if (map.portalAfterZoom) {
        map.off("zoomend", map.portalAfterZoom);
      }
      map.portalAfterZoom = () => apply();
      map.once("zoomend", map.portalAfterZoom);
      return;
    }
    apply();
  }

  // A map whose container changes size (it was hidden, the phone turned) redraws at its new
  // size, and does a fit that was waiting for one.
  function watchSize(map) {
    if (typeof ResizeObserver !== "function") {
      return;
    }
    const container = map.getContainer();
    new ResizeObserver(() => {
      if (!container.clientWidth || !container.clientHeight) {
        return;
      }
      map.invalidateSize({ pan: false });
      const pending = map.portalPendingFit;
      map.portalPendingFit = null;
      if (pending) {
        pending();
      }
    }).observe(container);
  }

  // ---- Filters ----------------------------------------------------------------------------------

  function findForm(id) {
    const target = id ? document.getElementById(id) : null;
    if (!target) {
      return null;
    }
    return target instanceof HTMLFormElement ? target : target.querySelector("form");
  }

  function formQuery(form) {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && value !== "") {
        query.append(name, value);
      }
    }
    return query.toString();
  }

  // Reload the layer when the form changes or is submitted; keep the page's address and the
  // links that follow the filters (data-follow-filters="FORM_ID") in step.
  function linkFilterForm(formId, reload) {
    const form = findForm(formId);
    if (!form) {
      return;
    }
    let timer = null;
    const apply = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const query = formQuery(form);
        const address = `${window.location.pathname}${query ? `?${query}` : ""}`;
        window.history.replaceState(window.history.state, "", address);
        for (const link of document.querySelectorAll(`a[data-follow-filters="${formId}"]`)) {
          const url = new URL(link.href, window.location.href);
          url.search = query;
          link.href = url.toString();
        }
        reload(query);
      }, 150);
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      apply();
    });
    form.addEventListener("change", apply);
  }

  // ---- One map ----------------------------------------------------------------------------------

  function createMap(element, settings) {
    const kind = LAYERS[element.dataset.layer] || LAYERS.sites;
    const map = L.map(element, {
      center: settings.centre,
      zoom: settings.zoom,
      minZoom: settings.minZoom,
      maxZoom: settings.maxZoom,
      maxBounds: L.latLngBounds(
        [ANJI.south - VIEW_MARGIN, ANJI.west - VIEW_MARGIN],
        [ANJI.north + VIEW_MARGIN, ANJI.east + VIEW_MARGIN],
      ),
      maxBoundsViscosity: 0.8,
    });
    if (typeof settings.attributionPrefix === "string") {
      map.attributionControl.setPrefix(settings.attributionPrefix);
    }
    if (settings.scale) {
      L.control
        .scale({ metric: settings.scale !== "imperial", imperial: settings.scale !== "metric" })
        .addTo(map);
    }
    watchSize(map);
    addBackground(map, element, settings);
    const status = statusControl(map);
    const legend = legendControl(map);

    // The view follows the layer, unless a position is being picked: the map then stays on it.
    let hasPosition = () => false;
    const picking = document.getElementById(element.dataset.pickLat || "");
    if (picking && window.PortalMapPicker) {
      hasPosition = window.PortalMapPicker.enable(map, element, { text, fit: fitView });
    }

    // A layer may ask not to be clustered (the suggestions: each marker is a decision).
    const markers =
      typeof L.markerClusterGroup === "function" && kind.cluster !== false
        ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 })
        : L.featureGroup();
    markers.addTo(map);

    const baseUrl = (element.dataset.geojson || "").split("?")[0];
    let controller = null;
    // The legend shows the main layer's sections, then the overlay's.
    let legendSections = [];
    let overlaySections = [];
    const showLegend = () => legend.show([...legendSections, ...overlaySections]);

    async function load(url) {
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      const { signal } = controller;
      element.dataset.mapState = "loading";
      element.setAttribute("aria-busy", "true");
      status.show(text("loading"));
      let collection;
      try {
        collection = await fetchJSON(url, signal);
      } catch (error) {
        if (signal.aborted) {
          return;
        }
        element.dataset.mapState = "error";
        element.removeAttribute("aria-busy");
        status.show(text("loadFailed"), true);
        return;
      }
      if (signal.aborted) {
        return; // a newer load has started: its layer is the one to show
      }
      const features = (Array.isArray(collection.features) ? collection.features : []).filter(
        (feature) => feature && feature.geometry && feature.geometry.type === "Point",
      );
      const layers = features.map((feature) => {
        const [lng, lat] = feature.geometry.coordinates;
        return kind.marker(feature, L.latLng(lat, lng));
      });
      markers.clearLayers();
      if (typeof markers.addLayers === "function") {
        markers.addLayers(layers);
      } else {
        layers.forEach((layer) => markers.addLayer(layer));
      }
      legendSections = kind.legend(features);
      showLegend();
      if (features.length) {
        status.show(text(kind.shown, { count: features.length }));
      } else {
        // "Nothing matches" where filters choose what is shown; elsewhere an empty layer is news
        // to no one (a registration form in a township with no site yet).
        status.show(element.dataset.filterForm ? text(kind.none) : "");
      }
      if (features.length && !hasPosition()) {
        fitView(map, markers.getBounds());
      }
      element.dataset.featureCount = String(features.length);
      element.dataset.mapState = "ready";
      element.removeAttribute("aria-busy");
    }

    if (element.dataset.overlayGeojson) {
      const overlayKind = LAYERS[element.dataset.overlayLayer] || LAYERS.villages;
      const overlay = L.featureGroup().addTo(map);
      fetchJSON(element.dataset.overlayGeojson)
        .then((collection) => {
          const features = (collection.features || []).filter(
            (feature) => feature && feature.geometry && feature.geometry.type === "Point",
          );
          for (const feature of features) {
            const [lng, lat] = feature.geometry.coordinates;
            overlay.addLayer(overlayKind.marker(feature, L.latLng(lat, lng)));
          }
          overlaySections = features.length ? overlayKind.legend(features) : [];
          element.dataset.overlayCount = String(features.length);
          showLegend();
        })
        .catch(() => status.show(text("loadFailed"), true));
    }
    if (element.dataset.geojson) {
      load(element.dataset.geojson);
    } else {
      element.dataset.featureCount = "0";
      element.dataset.mapState = "ready";
    }
    if (element.dataset.filterForm) {
      linkFilterForm(element.dataset.filterForm, (query) => {
        load(query ? `${baseUrl}?${query}` : baseUrl);
      });
    }
    return map;
  }

  function initialise() {
    if (typeof window.L === "undefined") {
      return;
    }
    const settings = readSettings();
    for (const element of document.querySelectorAll(".portal-map")) {
      if (!element.portalMap) {
        element.portalMap = createMap(element, settings);
      }
    }
  }

  window.PortalMaps = { initialise, siteStyle };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initialise);
  } else {
    initialise();
  }
})();
