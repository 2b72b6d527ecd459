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
// templates/includes/map_assets.html loads Leaflet, leaflet.markercluster, map-picker.js, then
// maps-base.js (settings, texts, controls, background, fitting the view: window.PortalMapBase),
// maps-layers.js (how sites, villages and suggestions are drawn: window.PortalMapLayers) and
// last this file, which makes the maps. Without tiles (the default: the portal works offline)
// the map is a plain background with the county's township centres. No inline scripts or
// styles anywhere (Content-Security-Policy).
(() => {
  "use strict";

  if (window.PortalMaps) {
    return; // loaded twice on one page
  }

  const {
    readSettings,
    text,
    fetchJSON,
    statusControl,
    legendControl,
    addBackground,
    fitView,
    watchSize,
  } = window.PortalMapBase;
  const { LAYERS, siteStyle } = window.PortalMapLayers;
  // Where a site may lie (the database constraint site_position_in_anji); the view may wander a
  // little further, not to the other end of the world.
  const ANJI = { south: 30.2, north: 30.9, west: 119.2, east: 119.9 };
  const VIEW_MARGIN = 0.4;

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
