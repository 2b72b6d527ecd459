// Filing a patrol report from a phone (inspections/templates/inspections/report_*.html).
// No inline scripts or styles (Content-Security-Policy): the pages mark what this file works on
// with data attributes, and the translated texts sit in <template id="report-text">.
//
// - [data-site-search]: the site chooser. With [data-auto-locate] (no position in the address
//   yet) it asks the phone for its position once and reloads with ?lat=&lng=, so the nearest
//   sites come first; [data-locate] asks again.
// - [data-position]: latitude and longitude inputs filled from navigator.geolocation (six
//   decimals, WGS-84 as the Geolocation API gives it); [data-position-auto] fills them on load
//   when empty. A map picking the same inputs (maps.js) follows through their input events.
// - [data-findings] + <template id="finding-template">: Django formset; "add another problem"
//   clones the empty form (__prefix__ replaced), "remove" renumbers the forms that stay.
// - Checklist questions ([data-question][data-category]) answered "no" open a problem of that
//   category; [data-all-yes] answers every question "yes" and moves on to the problems; the
//   overall result follows the problems entered until the worker chooses it (the server
//   decides nothing from these conveniences).
// - [data-illegal-point-form]: the village list offers the chosen township's villages only.
(() => {
  "use strict";

  const DECIMALS = 6;
  const FALLBACK_TEXT = {
    locating: "Finding your position…",
    located: "Position found (give or take %(accuracy)s m).",
    locatedExact: "Position found.",
    unavailable: "Your position is not available: allow location for this site, or type it.",
    sitesUnavailable: "Your position is not available: search by name instead.",
    unsupported: "This browser cannot give your position.",
    problem: "Problem %(number)s",
    checklistNo: "Checklist answered no: %(question)s",
    photosChosen: "%(count)s photos chosen",
  };
  const GEOLOCATION_OPTIONS = { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 };

  const texts = (() => {
    const found = { ...FALLBACK_TEXT };
    const template = document.getElementById("report-text");
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

  function locate(onPosition, onError) {
    if (!("geolocation" in navigator)) {
      onError(text("unsupported"));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => onPosition(position.coords),
      () => onError(null),
      GEOLOCATION_OPTIONS,
    );
  }

  function setValue(input, value) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // ---- The site chooser ----------------------------------------------------------------------

  function initSiteSearch(form) {
    const status = form.querySelector("[data-position-status]");
    const lat = form.querySelector("input[name=lat]");
    const lng = form.querySelector("input[name=lng]");
    if (!lat || !lng) {
      return;
    }

    function nearest(quiet) {
      if (status && !quiet) {
        status.textContent = text("locating");
      }
      locate(
        (coords) => {
          lat.value = coords.latitude.toFixed(DECIMALS);
          lng.value = coords.longitude.toFixed(DECIMALS);
          form.submit();
        },
        (message) => {
          if (status) {
            status.textContent =
              message || form.dataset.unavailableText || text("sitesUnavailable");
          }
        },
      );
    }

    for (const button of form.querySelectorAll("[data-locate]")) {
      button.addEventListener("click", () => nearest(false));
    }
    const params = new URLSearchParams(window.location.search);
    if (form.hasAttribute("data-auto-locate") && !params.get("lat")) {
      nearest(true);
    }
  }

  // ---- Position inputs -------------------------------------------------------------------------

  function initPosition(box) {
    const inputs = box.querySelectorAll("input[name$=latitude], input[name$=longitude]");
    const lat = box.querySelector("input[name$=latitude]");
    const lng = box.querySelector("input[name$=longitude]");
    const status = box.querySelector("[data-position-status]");
    if (!lat || !lng || inputs.length !== 2) {
      return;
    }

    function fill() {
      if (status) {
        status.textContent = text("locating");
      }
      box.classList.add("report-locating");
      locate(
        (coords) => {
          box.classList.remove("report-locating");
          setValue(lat, coords.latitude.toFixed(DECIMALS));
          setValue(lng, coords.longitude.toFixed(DECIMALS));
          showOnMap(box.querySelector(".portal-map"), [coords.latitude, coords.longitude]);
          if (status) {
            const accuracy = Math.round(coords.accuracy);
            // A phone that cannot say how precise it is reports 0: say nothing about it.
            status.textContent =
              accuracy >= 1 ? text("located", { accuracy }) : text("locatedExact");
          }
        },
        (message) => {
          box.classList.remove("report-locating");
          if (status) {
            status.textContent = message || text("unavailable");
          }
        },
      );
    }

    for (const button of box.querySelectorAll("[data-locate]")) {
      button.addEventListener("click", fill);
    }
    if (box.hasAttribute("data-position-auto") && !lat.value && !lng.value) {
      fill();
    }
  }

  // A picking map (maps.js) in the same box shows the streets around the position, once its
  // layer has loaded (loading fits the view to the sites, which would undo the zoom).
  const STREET_ZOOM = 16;

  function showOnMap(element, latlng) {
    if (!element) {
      return;
    }
    const zoom = () => {
      if (element.portalMap) {
        element.portalMap.setView(latlng, Math.max(element.portalMap.getZoom(), STREET_ZOOM));
      }
    };
    if (element.dataset.mapState === "ready") {
      zoom();
      return;
    }
    const observer = new MutationObserver(() => {
      if (element.dataset.mapState === "ready" || element.dataset.mapState === "error") {
        observer.disconnect();
        zoom();
      }
    });
    observer.observe(element, { attributes: true, attributeFilter: ["data-map-state"] });
  }

  // ---- Findings formset ------------------------------------------------------------------------

  function initFindings(form) {
    const container = form.querySelector("[data-findings]");
    const template = document.getElementById("finding-template");
    const addButton = form.querySelector("[data-add-finding]");
    if (!container || !template || !addButton) {
      return;
    }
    const prefix = container.dataset.prefix;
    const total = form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const maximum = form.querySelector(`input[name="${prefix}-MAX_NUM_FORMS"]`);
    const indexed = new RegExp(`${prefix}-(\\d+|__prefix__)-`, "g");
    const results = form.querySelectorAll("input[name=result]");

    function findings() {
      return Array.from(container.querySelectorAll("[data-finding]"));
    }

    function renumber() {
      findings().forEach((finding, index) => {
        for (const element of finding.querySelectorAll("[name], [id], [for]")) {
          for (const attribute of ["name", "id", "for"]) {
            const value = element.getAttribute(attribute);
            if (value) {
              element.setAttribute(attribute, value.replace(indexed, `${prefix}-${index}-`));
            }
          }
        }
        const legend = finding.querySelector("[data-finding-legend]");
        if (legend) {
          legend.textContent = text("problem", { number: index + 1 });
        }
      });
      total.value = String(findings().length);
      const limit = Number.parseInt(maximum ? maximum.value : "", 10);
      addButton.hidden = Number.isFinite(limit) && findings().length >= limit;
    }

    function isEmpty(finding) {
      const category = finding.querySelector("select[name$=-category]");
      const description = finding.querySelector("textarea[name$=-description]");
      const photos = finding.querySelector("input[type=file]");
      return (
        (!category || !category.value) &&
        (!description || !description.value.trim()) &&
        (!photos || !photos.files.length)
      );
    }

    function add() {
      const fragment = template.content.cloneNode(true);
      const finding = fragment.querySelector("[data-finding]");
      container.append(fragment);
      renumber();
      initFinding(finding);
      return finding;
    }

    function initFinding(finding) {
      const remove = finding.querySelector("[data-remove-finding]");
      if (remove) {
        remove.addEventListener("click", () => {
          finding.remove();
          renumber();
          followResult();
        });
      }
      const photos = finding.querySelector("input[type=file]");
      const previews = finding.querySelector("[data-previews]");
      if (photos && previews) {
        photos.addEventListener("change", () => showPreviews(photos, previews));
      }
    }

    // A checklist "no" suggests a problem of the item's category, filled into an empty entry
    // or a new one; answering otherwise takes back a suggestion nobody has touched.
    function suggest(question, answer) {
      const category = question.dataset.category;
      if (!category) {
        return;
      }
      const key = question.querySelector("input[type=radio]").name;
      const suggested = container.querySelector(`[data-suggested-by="${key}"]`);
      if (answer !== "no") {
        if (suggested && suggested.dataset.untouched === "true") {
          suggested.remove();
          renumber();
        }
        return;
      }
      if (suggested) {
        return;
      }
      const finding = findings().find(isEmpty) || add();
      finding.dataset.suggestedBy = key;
      finding.dataset.untouched = "true";
      finding.querySelector("select[name$=-category]").value = category;
      finding.querySelector("textarea[name$=-description]").value = text("checklistNo", {
        question: question.dataset.question,
      });
      finding.addEventListener("input", () => {
        finding.dataset.untouched = "false";
      });
      followResult();
    }

    // The result follows the problems: none, some, a serious one. Once the worker chooses the
    // result it is theirs, except that "no problem" cannot stay beside problems.
    let resultChosen = Boolean(form.querySelector("input[name=result]:checked"));
    for (const radio of results) {
      radio.addEventListener("change", (event) => {
        if (event.isTrusted) {
          resultChosen = true;
        }
      });
    }

    function followResult() {
      if (!results.length) {
        return;
      }
      const entered = findings().filter((finding) => !isEmpty(finding));
      const serious = entered.some((finding) => {
        const box = finding.querySelector("input[type=checkbox][name$=-is_serious]");
        return box && box.checked;
      });
      const current = form.querySelector("input[name=result]:checked");
      let wanted = null;
      if (!resultChosen) {
        wanted = serious ? "serious" : entered.length ? "problems" : answered() ? "passed" : null;
      } else if (entered.length && current && current.value === "passed") {
        wanted = serious ? "serious" : "problems";
      }
      if (wanted) {
        const radio = form.querySelector(`input[name=result][value="${wanted}"]`);
        if (radio) {
          radio.checked = true;
        }
      }
    }

    function answered() {
      return Boolean(form.querySelector("[data-question] input[type=radio]:checked"));
    }

    // "All comply": every question "yes" (taking back the problems it had suggested), then on
    // to the problems section.
    const allYes = form.querySelector("[data-all-yes]");
    if (allYes) {
      allYes.addEventListener("click", () => {
        for (const question of form.querySelectorAll("[data-question]")) {
          const yes = question.querySelector('input[type=radio][value="yes"]');
          if (yes && !yes.checked) {
            yes.checked = true;
            suggest(question, "yes");
          }
        }
        followResult();
        const next = form.querySelector("#report-problems");
        if (next) {
          next.scrollIntoView({ block: "start" });
          next.focus({ preventScroll: true });
        }
      });
    }

    findings().forEach(initFinding);
    renumber();
    addButton.addEventListener("click", () => {
      const finding = add();
      const category = finding.querySelector("select");
      if (category) {
        category.focus();
      }
    });
    for (const question of form.querySelectorAll("[data-question]")) {
      question.addEventListener("change", (event) => {
        if (event.target.matches("input[type=radio]")) {
          suggest(question, event.target.value);
          followResult();
        }
      });
    }
    container.addEventListener("change", followResult);
  }

  function showPreviews(input, previews) {
    for (const image of previews.querySelectorAll("img")) {
      URL.revokeObjectURL(image.src);
    }
    previews.replaceChildren();
    const files = Array.from(input.files || []);
    for (const file of files) {
      if (!file.type.startsWith("image/")) {
        continue;
      }
      const image = document.createElement("img");
      image.alt = file.name;
      image.src = URL.createObjectURL(file);
      previews.append(image);
    }
    if (files.length > 1) {
      const count = document.createElement("span");
      count.className = "help";
      count.textContent = text("photosChosen", { count: files.length });
      previews.append(count);
    }
  }

  // ---- Illegal point: villages of the chosen township --------------------------------------------

  function initVillageFilter(form) {
    const township = form.querySelector("select[name=township]");
    const village = form.querySelector("select[name=village]");
    if (!township || !village || township.disabled) {
      return;
    }
    function filter() {
      for (const option of village.options) {
        if (!option.value) {
          continue;
        }
        const match = !township.value || option.dataset.township === township.value;
        option.hidden = !match;
        option.disabled = !match;
        if (!match && option.selected) {
          village.value = "";
        }
      }
    }
    township.addEventListener("change", filter);
    filter();
  }

  function initialise() {
    document.querySelectorAll("[data-site-search]").forEach(initSiteSearch);
    document.querySelectorAll("[data-position]").forEach(initPosition);
    document.querySelectorAll("[data-report-form]").forEach(initFindings);
    document.querySelectorAll("[data-illegal-point-form]").forEach(initVillageFilter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initialise);
  } else {
    initialise();
  }
})();
