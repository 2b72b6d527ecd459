// The public map page's "离我最近": asks the phone for its position and sorts the list of
// sites by great-circle distance (haversine) from it. The position stays in the browser.
// Items carry data-lat / data-lng (WGS-84); texts come from <template id="public-text">.
(() => {
  "use strict";

  const button = document.getElementById("public-nearest");
  const list = document.getElementById("public-sites");
  const status = document.getElementById("public-nearest-status");
  if (!button || !list || !("geolocation" in navigator)) {
    return;
  }
  const texts = {};
  const template = document.getElementById("public-text");
  if (template && template.content) {
    for (const node of template.content.querySelectorAll("[data-text]")) {
      texts[node.dataset.text] = node.textContent.trim();
    }
  }
  const EARTH_RADIUS_KM = 6371.0088;
  const radians = (degrees) => (degrees * Math.PI) / 180;

  function haversineKm(lat1, lng1, lat2, lng2) {
    const dLat = radians(lat2 - lat1);
    const dLng = radians(lng2 - lng1);
    const a =
      Math.sin(dLat / 2) ** 2 +
      Math.cos(radians(lat1)) * Math.cos(radians(lat2)) * Math.sin(dLng / 2) ** 2;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(a));
  }

  function sortFrom(lat, lng) {
    const items = [...list.children].filter((item) => item.dataset.lat);
    const rest = [...list.children].filter((item) => !item.dataset.lat);
    for (const item of items) {
      item.distanceKm = haversineKm(lat, lng, Number(item.dataset.lat), Number(item.dataset.lng));
      const label = item.querySelector("[data-distance]");
      if (label) {
        label.textContent = `${item.distanceKm.toFixed(1)} ${texts.km || "km"}`;
      }
    }
    items.sort((a, b) => a.distanceKm - b.distanceKm);
    list.replaceChildren(...items, ...rest);
    status.textContent = texts.sorted || "";
  }

  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = texts.locating || "";
    navigator.geolocation.getCurrentPosition(
      (position) => sortFrom(position.coords.latitude, position.coords.longitude),
      () => {
        status.textContent = texts.denied || "";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
  window.PublicNearest = { haversineKm, sortFrom };
})();

// The report form's "使用我的位置": fills the hidden latitude and longitude (WGS-84).
(() => {
  "use strict";

  const button = document.getElementById("public-report-locate");
  const lat = document.getElementById("id_latitude");
  const lng = document.getElementById("id_longitude");
  const status = document.getElementById("public-report-position");
  if (!button || !lat || !lng || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition(
      (position) => {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        status.textContent = `${lat.value}, ${lng.value}`;
      },
      () => {
        status.textContent = "";
      },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });
})();
