// The public map page's "离我最近": asks the phone for its position and reloads the list with
// `near=lat,lng` rounded to 3 decimals (about 100 m): the server orders every page nearest
// first. The position is neither stored nor put in a cookie. Texts come from
// <template id="public-text">.
(() => {
  "use strict";

  const button = document.getElementById("public-nearest");
  const status = document.getElementById("public-nearest-status");
  if (!button || !("geolocation" in navigator)) {
    return;
  }
  const texts = {};
  const template = document.getElementById("public-text");
  if (template && template.content) {
    for (const node of template.content.querySelectorAll("[data-text]")) {
      texts[node.dataset.text] = node.textContent.trim();
    }
  }

  function nearestFrom(lat, lng) {
    const params = new URLSearchParams(window.location.search);
    params.set("near", `${lat.toFixed(3)},${lng.toFixed(3)}`);
    params.delete("page");
    window.location.search = params.toString();
  }

  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = texts.locating || "";
    navigator.geolocation.getCurrentPosition(
      (position) => nearestFrom(position.coords.latitude, position.coords.longitude),
      () => {
        status.textContent = texts.denied || "";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
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
        lat.form.dispatchEvent(new Event("public:position"));
      },
      () => {
        status.textContent = "";
      },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });
})();

// The report form's "附近已有人反映": before sending, asks the public API whether an open
// report of the same problem is at the same site or near the position, and says so.
(() => {
  "use strict";

  const form = document.querySelector("form[data-nearby]");
  const hint = document.getElementById("public-report-nearby");
  if (!form || !hint || !window.fetch) {
    return;
  }
  const field = (name) => form.elements.namedItem(name);

  async function check() {
    const params = new URLSearchParams();
    const category = field("category");
    if (!category || !category.value) {
      return;
    }
    params.set("category", category.value);
    const kind = field("kind");
    const site = field("site");
    const lat = field("latitude");
    const lng = field("longitude");
    if (kind && kind.value === "site_problem" && site && site.value) {
      params.set("site", site.value);
    } else if (lat && lng && lat.value && lng.value) {
      params.set("lat", lat.value);
      params.set("lng", lng.value);
    } else {
      hint.hidden = true;
      return;
    }
    try {
      const response = await fetch(`${form.dataset.nearby}?${params}`, {
        credentials: "omit",
        headers: { Accept: "application/json" },
      });
      const answer = response.ok ? await response.json() : {};
      hint.hidden = !answer.nearby;
    } catch (error) {
      hint.hidden = true;
    }
  }

  form.addEventListener("change", check);
  form.addEventListener("public:position", check);
  check();
})();
