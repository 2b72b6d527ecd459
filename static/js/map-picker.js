// Picking a site's position on a portal map (static/js/maps.js calls PortalMapPicker.enable for
// a map with data-pick-lat / data-pick-lng). Loaded before maps.js by
// templates/includes/map_assets.html. The map element may also name, by id:
//   data-pick-township / data-pick-village: the form's township and village selects; the map
//     follows them (a village with a position of its own: its centre; else the township's
//     villages), the village list is narrowed to the chosen township, and a click far outside
//     the chosen township asks for confirmation;
//   data-pick-system: the 坐标系 select (WGS-84 / GCJ-02 / BD-09) of the typed numbers; the
//     server converts them to WGS-84 (anji_recycling/coordinates.py) when the form is saved,
//     and data-pick-preview (sites:position-wgs84) answers the same conversion at once, so the
//     marker stands at the position that will be stored (one conversion, the server's);
//   data-pick-error: where the preview's objection is shown (a place outside the county);
//   data-pick-paste: a box for a pair copied from a map app ("119.68,30.63" or "30.63 119.68"),
//     split into the two inputs (within China the longitude is the larger number);
//   data-villages-url: the villages' reference layer (/api/v1/villages/reference/).
// A position set on the map is WGS-84: clicking or dragging sets the 坐标系 back to WGS-84.
(() => {
  "use strict";

  const DECIMALS = 6;
  const PLACE_ZOOM = 14;
  const VILLAGE_ZOOM = 15;
  const WGS84 = "wgs84";
  // How far outside the chosen township's villages a click may fall without a question (deg,
  // about 2 km), and the area around a township known only by its centre.
  const MARGIN = 0.02;
  const CENTRE_ONLY = 0.05;

  function parseCoordinate(value, limit) {
    const number = Number.parseFloat(String(value).trim().replace("，", ",").replace(",", "."));
    return Number.isFinite(number) && Math.abs(number) <= limit ? number : null;
  }

  // "119.681234,30.638123", "30.638123, 119.681234", "119.68 30.63": [lat, lng] or null.
  function parsePair(value) {
    const numbers = String(value)
      .split(/[\s,，;；]+/)
      .filter(Boolean)
      .map(Number);
    if (numbers.length !== 2 || !numbers.every(Number.isFinite)) {
      return null;
    }
    const [lat, lng] = numbers[0] < numbers[1] ? numbers : [numbers[1], numbers[0]];
    return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? [lat, lng] : null;
  }

  function byId(element, key) {
    return document.getElementById(element.dataset[key] || "") || null;
  }

  // The reference layer once per page: the user's villages by id, each with its township and
  // centre (null when neither the village nor its township has one).
  function loadVillages(url) {
    if (!url) {
      return Promise.resolve(new Map());
    }
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { features: [] }))
      .then((collection) => {
        const villages = new Map();
        for (const feature of collection.features || []) {
          const geometry = feature.geometry;
          const point = geometry && geometry.type === "Point" ? geometry.coordinates : null;
          villages.set(String(feature.id), {
            name: feature.properties.name,
            township: String(feature.properties.township_id),
            townshipName: feature.properties.township,
            centre: point ? L.latLng(point[1], point[0]) : null,
            approximate: feature.properties.approximate === true,
          });
        }
        return villages;
      })
      .catch(() => new Map());
  }

  // The area of each township: the bounds of its villages' own positions, else around its
  // centre (where the villages without a position are placed).
  function townshipAreas(villages) {
    const areas = new Map();
    for (const village of villages.values()) {
      if (!village.centre) {
        continue;
      }
      const area = areas.get(village.township) || { own: null, centre: null };
      area.name = village.townshipName;
      if (village.approximate) {
        area.centre = village.centre;
      } else if (area.own) {
        area.own.extend(village.centre);
      } else {
        area.own = L.latLngBounds(village.centre, village.centre);
      }
      areas.set(village.township, area);
    }
    for (const area of areas.values()) {
      const { lat, lng } = area.centre || {};
      area.bounds =
        area.own ||
        L.latLngBounds([lat - CENTRE_ONLY, lng - CENTRE_ONLY], [lat + CENTRE_ONLY, lng + CENTRE_ONLY]);
    }
    return areas;
  }

  function padded(bounds) {
    return L.latLngBounds(
      [bounds.getSouth() - MARGIN, bounds.getWest() - MARGIN],
      [bounds.getNorth() + MARGIN, bounds.getEast() + MARGIN],
    );
  }

  // Returns a function telling whether the view is the picker's (a position is set, or the map
  // went to the chosen township): the layer's own fit then leaves it.
  // `tools`: { text(key, values), fit(map, target, maxZoom) } from maps.js.
  function enable(map, element, tools) {
    const latInput = byId(element, "pickLat");
    const lngInput = byId(element, "pickLng");
    const townshipSelect = byId(element, "pickTownship");
    const villageSelect = byId(element, "pickVillage");
    const systemSelect = byId(element, "pickSystem");
    const pasteInput = byId(element, "pickPaste");
    const { text, fit } = tools;
    element.classList.add("portal-map-picking");
    let marker = null;
    let writing = false;
    let villages = new Map();
    let areas = new Map();
    let followed = false; // the view went to the chosen township: the layer's fit keeps off

    const isWgs84 = () => !systemSelect || systemSelect.value === WGS84;
    const hint = document.getElementById(element.dataset.pickHint || "");
    const error = document.getElementById(element.dataset.pickError || "");
    const showHint = () => {
      if (hint) {
        hint.hidden = isWgs84();
      }
    };
    const showError = (message) => {
      if (error) {
        error.textContent = message || "";
        error.hidden = !message;
      }
    };
    let previews = 0; // the latest preview asked for: an older answer arriving late is dropped

    function place(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
        return;
      }
      marker = L.marker(latlng, { draggable: true, autoPan: true, title: text("pickMarker") });
      let before = null;
      marker.on("dragstart", () => {
        before = marker.getLatLng();
      });
      marker.on("dragend", () => {
        const latlng = marker.getLatLng();
        if (!confirmFar(latlng)) {
          marker.setLatLng(before);
          return;
        }
        write(latlng);
      });
      marker.addTo(map);
    }

    function dispatch(input) {
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    // A position from the map: WGS-84, the 坐标系 and the pasted pair reset.
    function write(latlng) {
      previews++;
      showError("");
      writing = true;
      latInput.value = latlng.lat.toFixed(DECIMALS);
      lngInput.value = latlng.lng.toFixed(DECIMALS);
      if (systemSelect && systemSelect.value !== WGS84) {
        systemSelect.value = WGS84;
        dispatch(systemSelect);
      }
      if (pasteInput) {
        pasteInput.value = "";
      }
      [latInput, lngInput].forEach(dispatch);
      writing = false;
      showHint();
    }

    function removeMarker() {
      if (marker) {
        marker.remove();
        marker = null;
      }
    }

    function show(latlng) {
      place(latlng);
      if (!map.getBounds().contains(latlng)) {
        map.panTo(latlng);
      }
    }

    // Numbers in GCJ-02 or BD-09: the marker goes where the server's conversion puts them.
    function preview(lat, lng) {
      const url = element.dataset.pickPreview;
      const asked = ++previews;
      if (!url) {
        removeMarker();
        return;
      }
      const query = new URLSearchParams({ system: systemSelect.value, latitude: lat, longitude: lng });
      fetch(`${url}?${query}`, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
        .then(({ ok, body }) => {
          if (asked !== previews) {
            return;
          }
          // (The page sends only numbers of degrees, so a refusal is not expected; a place
          // outside the county is answered with the message saving would give.)
          if (!ok || body.outside_county) {
            removeMarker();
            showError(ok ? body.outside_county : body.error);
            return;
          }
          showError("");
          show(L.latLng(Number(body.latitude), Number(body.longitude)));
          element.dataset.pickPreviewed = `${body.latitude},${body.longitude}`;
        })
        .catch(() => {
          if (asked === previews) {
            removeMarker();
          }
        });
    }

    // Typed numbers move the marker: to them when they are WGS-84, else to their conversion.
    function readInputs() {
      if (writing) {
        return;
      }
      showHint();
      showError("");
      const lat = parseCoordinate(latInput.value, 90);
      const lng = parseCoordinate(lngInput.value, 180);
      if (lat === null || lng === null) {
        previews++;
        removeMarker();
        return;
      }
      if (!isWgs84()) {
        preview(lat, lng);
        return;
      }
      previews++;
      show(L.latLng(lat, lng));
    }

    function chosenArea() {
      return townshipSelect ? areas.get(townshipSelect.value) : undefined;
    }

    function confirmFar(latlng) {
      const area = chosenArea();
      if (!area || !area.bounds || padded(area.bounds).contains(latlng)) {
        return true;
      }
      return window.confirm(text("farFromTownship", { township: area.name }));
    }

    // The map goes to the chosen village (its own position) or township (its villages).
    function follow() {
      const village = villageSelect ? villages.get(villageSelect.value) : undefined;
      if (village && village.centre && !village.approximate) {
        followed = true;
        fit(map, village.centre, VILLAGE_ZOOM);
        return;
      }
      const area = chosenArea();
      if (area && area.bounds) {
        followed = true;
        fit(map, area.bounds, PLACE_ZOOM);
      }
    }

    // The chosen township's villages with a position of their own, as small reference points
    // under the marker (not clickable: a click there picks the position).
    const villageLayer = L.layerGroup().addTo(map);
    function showVillages() {
      villageLayer.clearLayers();
      const township = townshipSelect ? townshipSelect.value : "";
      for (const village of villages.values()) {
        if (!village.centre || village.approximate || village.township !== township) {
          continue;
        }
        L.circleMarker(village.centre, {
          radius: 4,
          color: "#6d28d9",
          weight: 1,
          fillColor: "#a78bfa",
          fillOpacity: 0.8,
          interactive: false,
          className: "portal-map-village-reference",
        })
          .bindTooltip(document.createTextNode(village.name || ""), {
            permanent: true,
            direction: "bottom",
            className: "portal-map-village-label",
          })
          .addTo(villageLayer);
      }
    }

    // Only the chosen township's villages are offered (the form still checks it).
    function narrowVillages() {
      if (!townshipSelect || !villageSelect || !villages.size) {
        return;
      }
      const township = townshipSelect.value;
      for (const option of villageSelect.options) {
        const village = villages.get(option.value);
        option.hidden = Boolean(township && village && village.township !== township);
      }
      const chosen = villageSelect.selectedOptions[0];
      if (chosen && chosen.hidden) {
        villageSelect.value = "";
        dispatch(villageSelect);
      }
    }

    map.on("click", (event) => {
      const latlng = event.latlng.wrap();
      if (!confirmFar(latlng)) {
        return;
      }
      place(latlng);
      write(latlng);
    });
    for (const input of [latInput, lngInput]) {
      input.addEventListener("input", readInputs);
      input.addEventListener("change", readInputs);
    }
    if (systemSelect) {
      systemSelect.addEventListener("change", readInputs);
    }
    if (pasteInput) {
      pasteInput.addEventListener("input", () => {
        const pair = parsePair(pasteInput.value);
        if (!pair) {
          return;
        }
        latInput.value = String(pair[0]);
        lngInput.value = String(pair[1]);
        [latInput, lngInput].forEach(dispatch);
      });
    }
    if (townshipSelect) {
      townshipSelect.addEventListener("change", () => {
        narrowVillages();
        showVillages();
        follow();
      });
    }
    if (villageSelect) {
      villageSelect.addEventListener("change", follow);
    }
    readInputs();
    if (marker) {
      fit(map, marker.getLatLng(), Math.max(map.getZoom(), PLACE_ZOOM));
    }
    loadVillages(element.dataset.villagesUrl).then((found) => {
      villages = found;
      areas = townshipAreas(found);
      narrowVillages();
      showVillages();
      if (!marker) {
        follow();
      }
      element.dataset.pickReady = "true";
    });
    return () => marker !== null || followed;
  }

  window.PortalMapPicker = { enable, parsePair };
})();
