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
  const toggle = event.target.closest(".nav-toggle");
  if (!toggle) {
    return;
  }
  const nav = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  nav.classList.toggle("open", open);
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
