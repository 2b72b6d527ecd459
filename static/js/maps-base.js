// The portal maps' common ground, used by maps-layers.js and maps.js (loaded after this file
// by templates/includes/map_assets.html, which gives this file's <script> the deployment's
// LEAFLET_CONFIG in data-leaflet-config and the township list's API address in
// data-townships, and the translated texts in <template id="portal-map-text">):
// - the settings and texts, and small DOM helpers (popups are built from nodes, never HTML);
// - fetching GeoJSON, and the township list once per page;
// - the status and legend controls;
// - the background: tiles when configured, else (or when they fail: offline) the county
//   reference layer, township names on a plain background;
// - fitting the view once the map has a size, and redrawing when its container resizes.
// All of it as window.PortalMapBase; no inline scripts or styles (Content-Security-Policy).
(() => {
  "use strict";

  if (window.PortalMapBase) {
    return; // loaded twice on one page
  }

  const script = document.currentScript;
  const FIT_MAX_ZOOM = 14; // a single site is shown with its streets around it
  const FALLBACK_TEXT = {
    loading: "Loading the map…",
    loadFailed: "The map layer could not be loaded.",
    baseUnavailable: "The base map is unavailable: the portal's own townships and villages are shown.",
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
      villagesUrl: (script && script.dataset.villages) || "",
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
  // loaded (offline), the county reference layer: township names and village points on a plain background and a
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
    // Village centres first, as small grey points beneath the township names; villages placed
    // at their township's centre (no position of their own) are left out.
    if (settings.villagesUrl) {
      map.createPane("portal-villages");
      fetchJSON(settings.villagesUrl)
        .then((collection) => {
          for (const feature of collection.features || []) {
            if (!feature.geometry || feature.properties.approximate) {
              continue;
            }
            const [lng, lat] = feature.geometry.coordinates;
            L.circleMarker([lat, lng], {
              pane: "portal-villages",
              className: "portal-map-village",
              radius: 3,
              interactive: false,
            }).addTo(map);
          }
        })
        .catch(() => {});
    }
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

  window.PortalMapBase = {
    readSettings,
    text,
    node,
    addFact,
    isLocalUrl,
    fetchJSON,
    statusControl,
    legendControl,
    addBackground,
    fitView,
    watchSize,
  };
})();
