// Small behaviours shared by every page; no inline scripts (Content-Security-Policy).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target.matches("[data-autosubmit]")) {
    target.form.submit();
  }
});
document.addEventListener("submit", (event) => {
  // On the form, or on the button that sent it (a dangerous one among several).
  const question =
    (event.submitter && event.submitter.getAttribute("data-confirm")) ||
    event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// [data-include]: replace the element's content with the HTML fragment at its URL (same
// origin only, with the session cookie). On any failure the element keeps its fallback link.
function includeFragment(element) {
  const url = new URL(element.getAttribute("data-include"), window.location.href);
  if (url.origin !== window.location.origin) {
    return;
  }
  element.setAttribute("aria-busy", "true");
  fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then((response) => {
      // A redirect means the session ended (the login page): keep the fallback link.
      if (!response.ok || response.redirected) {
        return null;
      }
      return response.text();
    })
    .then((html) => {
      if (html !== null) {
        element.innerHTML = html;
      }
    })
    .catch(() => {})
    .finally(() => element.removeAttribute("aria-busy"));
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-include]").forEach(includeFragment);
});

// At phone width the navigation folds behind a "menu" button.
document.addEventListener("click", (event) => {
  // The header's menu: the button shows or hides its target.
  const toggle = event.target.closest(".nav-toggle");
  if (!toggle) {
    return;
  }
  const nav = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  nav.classList.toggle("open", open);
});

// select[data-search-url]: a choice among many rows (SearchSelect). The page carries only the
// chosen row; a search field before the list fills it from the API list (?q=, first 20 rows)
// as one types.
function searchableSelect(select) {
  const search = document.createElement("input");
  search.type = "search";
  search.className = "select-search";
  search.placeholder = select.getAttribute("data-search-placeholder") || "";
  search.setAttribute("aria-label", select.labels.length ? select.labels[0].textContent : "");
  select.before(search);
  let timer = null;
  let asked = 0;
  search.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const url = new URL(select.getAttribute("data-search-url"), window.location.href);
      url.searchParams.set("q", search.value.trim());
      url.searchParams.set("limit", "20");
      const ticket = ++asked;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then((data) => {
          if (!data || ticket !== asked) {
            return;
          }
          const keep = Array.from(select.options).filter((o) => o.value === "" || o.selected);
          select.replaceChildren(...keep);
          const kept = new Set(keep.map((o) => o.value));
          (data.results || []).forEach((row) => {
            if (!kept.has(String(row.id))) {
              select.append(new Option(row.name, row.id));
            }
          });
        })
        .catch(() => {});
    }, 250);
  });
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-search-url]").forEach(searchableSelect);
});

// List filters: open on a wide screen; on a phone folded behind the 筛选 button (which counts
// the filters in use), so that the list comes first.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(max-width: 640px)").matches) {
    return;
  }
  document.querySelectorAll("details[data-filter-panel]").forEach((panel) => {
    panel.open = false;
  });
});

// Bulk actions on a list: the header's box [data-tick-all="name"] ticks or clears every box of
// that name in the same form (the list's rows name their form with form="…").
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-tick-all]");
  if (!all) {
    return;
  }
  const name = all.getAttribute("data-tick-all");
  const formId = all.getAttribute("form");
  document.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((box) => {
    if (!formId || box.getAttribute("form") === formId) {
      box.checked = all.checked;
    }
  });
});
