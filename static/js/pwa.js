// The portal on a grid worker's phone, offline too (README “手机离线上报”).
// Loaded on every page (templates/includes/pwa.html); no inline scripts (Content-Security-Policy).
//
// - Registers the service worker /sw.js (templates/pwa/sw.js), which keeps the patrol pages.
// - Online on 我的巡查, asks the server which pages a patrol needs (`data-offline-pack`: the list,
//   the report form of each open task, its site) and keeps them, with the scripts and styles
//   the report form loads, in the worker's page cache.
// - Offline, the report form ([data-report-form]) is not sent: the report, photos included,
//   goes into IndexedDB (the outbox) with its report key and shows as 待上传 in the outbox panel
//   ([data-outbox]). When the connection returns (and on each page, and again after a failure)
//   the outbox sends each report once to the form's own address, asking for JSON; the server
//   files a report key once (a unique constraint), so a report sent twice after a timeout
//   still makes one inspection. Each report shows its result: sent (with a link), refused
//   (the server's message), or waiting.
// - A report waits for the person who filed it: it is sent only while they are logged in.
// - Logging out forgets the kept pages (they show the user's tasks); the outbox stays.
(() => {
  "use strict";

  const PAGES = "anji-pages"; // as in templates/pwa/sw.js
  const DB_NAME = "anji-outbox";
  const STORE = "reports";
  const SEND_TIMEOUT_MS = 30000;
  const RETRY_MS = [3000, 10000, 30000, 60000];

  const meta = (name) => {
    const element = document.querySelector(`meta[name="${name}"]`);
    return element ? element.content : "";
  };
  const userId = meta("portal-user");

  const texts = (() => {
    const found = {};
    const template = document.getElementById("outbox-text");
    if (template && template.content) {
      for (const node of template.content.querySelectorAll("[data-text]")) {
        found[node.dataset.text] = node.textContent.trim();
      }
    }
    return found;
  })();
  const text = (key, values = {}) =>
    (texts[key] || key).replace(/%\((\w+)\)s/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );

  // ---- The outbox (IndexedDB) ------------------------------------------------------------------

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(mode, work) {
    const db = await openDb();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = db.transaction(STORE, mode);
        const result = work(transaction.objectStore(STORE));
        transaction.oncomplete = () => resolve(result && "result" in result ? result.result : result);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
    } finally {
      db.close();
    }
  }

  const allReports = () => withStore("readonly", (store) => store.getAll());
  const saveReport = (report) => withStore("readwrite", (store) => store.put(report));
  const dropReport = (key) => withStore("readwrite", (store) => store.delete(key));

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    return "";
  }

  // ---- Filing offline --------------------------------------------------------------------------

  function initReportForm(form) {
    const keyInput = form.querySelector("input[name=idempotency_key]");
    // A page kept for offline use can be opened many times: each opening is a new report.
    if (keyInput && !form.querySelector(".report-errors")) {
      keyInput.value = newKey() || keyInput.value;
    }
    form.addEventListener("submit", async (event) => {
      if (navigator.onLine || !keyInput || !keyInput.value || !userId) {
        return; // sent as usual; the key makes a resubmission safe
      }
      event.preventDefault();
      const entries = [];
      for (const [name, value] of new FormData(form).entries()) {
        if (value instanceof File && !value.name && !value.size) {
          continue; // a photo input left empty
        }
        entries.push([name, value]);
      }
      await saveReport({
        key: keyInput.value,
        user: userId,
        url: form.action || window.location.href,
        site: form.dataset.siteName || document.title,
        siteId: form.dataset.siteId || "",
        filedAt: new Date().toISOString(),
        state: "waiting",
        message: "",
        entries,
      });
      window.location.href = form.dataset.afterQueue || "/patrols/";
    });
  }

  // ---- Sending -----------------------------------------------------------------------------------

  let sending = false;
  let retryTimer = null;
  let failures = 0;

  async function sendOne(report) {
    const body = new FormData();
    // The page's own token: logging in again since the report was filed gives a new one.
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    for (const [name, value] of report.entries) {
      if (name === "csrfmiddlewaretoken" && token) {
        body.append(name, token.value);
      } else if (value instanceof Blob) {
        body.append(name, value, value.name || "photo.jpg");
      } else {
        body.append(name, value);
      }
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
    let response;
    try {
      response = await fetch(report.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "outbox" },
        redirect: "manual",
        signal: controller.signal,
      });
    } catch (error) {
      return { state: "waiting", message: text("notReached") };
    } finally {
      clearTimeout(timer);
    }
    if (response.type === "opaqueredirect" || response.status === 401) {
      return { state: "waiting", message: text("logIn") };
    }
    let answer = {};
    try {
      answer = await response.json();
    } catch (error) {
      answer = {};
    }
    if (response.ok && answer.url) {
      return {
        state: "sent",
        message: answer.replayed ? text("alreadySent") : "",
        url: answer.url,
        entries: [],
      };
    }
    if (response.status >= 500 || response.status === 429 || !response.status) {
      return { state: "waiting", message: text("serverBusy") };
    }
    return { state: "refused", message: (answer.errors || []).join(" ") || text("refused") };
  }

  async function sendAll() {
    if (sending || !navigator.onLine || !userId) {
      return;
    }
    sending = true;
    let waiting = false;
    let sent = false;
    try {
      const run = async () => {
        for (const report of await allReports()) {
          if (report.user !== userId || report.state === "sent" || report.state === "refused") {
            continue;
          }
          report.state = "sending";
          render(await allReports().then((all) => all.map((r) => (r.key === report.key ? report : r))));
          const outcome = await sendOne(report);
          Object.assign(report, outcome, { triedAt: new Date().toISOString() });
          await saveReport(report);
          waiting = waiting || report.state === "waiting";
          sent = sent || report.state === "sent";
          render(await allReports());
        }
      };
      // One tab sends at a time (the server would answer a second copy with the same report).
      if (navigator.locks && navigator.locks.request) {
        await navigator.locks.request(DB_NAME, run);
      } else {
        await run();
      }
    } finally {
      sending = false;
    }
    clearTimeout(retryTimer);
    if (sent && packUrl()) {
      // The kept patrol pages still offer the tasks just reported: keep them afresh.
      keepPages(packUrl()).catch(() => {});
    }
    if (waiting) {
      const delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)];
      failures += 1;
      retryTimer = setTimeout(sendAll, delay);
    } else {
      failures = 0;
    }
  }

  // ---- The outbox panel --------------------------------------------------------------------------

  const STATE_LABELS = {
    waiting: "waiting",
    sending: "sending",
    sent: "sent",
    refused: "refusedState",
  };

  function render(reports) {
    const panel = document.querySelector("[data-outbox]");
    if (!panel) {
      return;
    }
    const mine = reports
      .filter((report) => report.user === userId)
      .sort((a, b) => a.filedAt.localeCompare(b.filedAt));
    panel.hidden = mine.length === 0;
    const list = panel.querySelector("[data-outbox-list]");
    list.replaceChildren();
    for (const report of mine) {
      const item = document.createElement("li");
      item.className = `outbox-report outbox-${report.state}`;
      item.dataset.outboxReport = report.key;
      item.dataset.state = report.state;
      const head = document.createElement("div");
      head.className = "outbox-head";
      const site = document.createElement("strong");
      site.textContent = report.site;
      const state = document.createElement("span");
      state.className = "outbox-state";
      state.textContent = text(STATE_LABELS[report.state] || "waiting");
      head.append(site, state);
      const when = document.createElement("div");
      when.className = "outbox-when";
      const filed = new Date(report.filedAt);
      when.textContent = text("filedAt", {
        time: filed.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }),
      });
      item.append(head, when);
      if (report.message) {
        const message = document.createElement("div");
        message.className = "outbox-message";
        message.textContent = report.message;
        item.append(message);
      }
      const actions = document.createElement("div");
      actions.className = "outbox-actions";
      if (report.state === "sent" && report.url) {
        const link = document.createElement("a");
        link.href = report.url;
        link.textContent = text("view");
        actions.append(link);
      }
      if (report.state === "waiting") {
        const retry = document.createElement("button");
        retry.type = "button";
        retry.dataset.outboxRetry = "";
        retry.textContent = text("retry");
        retry.addEventListener("click", () => {
          failures = 0;
          sendAll();
        });
        actions.append(retry);
      }
      if (report.state === "sent" || report.state === "refused") {
        const dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.className = "link-button";
        dismiss.textContent = text(report.state === "sent" ? "dismiss" : "discard");
        dismiss.addEventListener("click", async () => {
          if (report.state === "refused" && !window.confirm(text("discardConfirm"))) {
            return;
          }
          await dropReport(report.key);
          render(await allReports());
        });
        actions.append(dismiss);
      }
      item.append(actions);
      list.append(item);
    }
    // 我的巡查: a task whose report waits shows 待上传 instead of its button.
    const waitingSites = new Set(
      mine.filter((r) => r.state !== "sent" && r.state !== "refused").map((r) => r.siteId),
    );
    const sentSites = new Set(mine.filter((r) => r.state === "sent").map((r) => r.siteId));
    for (const task of document.querySelectorAll("[data-task-site]")) {
      const site = task.dataset.taskSite;
      task.classList.toggle("task-queued", waitingSites.has(site));
      task.classList.toggle("task-sent", !waitingSites.has(site) && sentSites.has(site));
    }
  }

  // ---- Pages kept for offline use ------------------------------------------------------------------

  // 我的巡查 names the pages to keep (data-offline-pack); they are kept each time it opens.
  function packUrl() {
    const element = document.querySelector("[data-offline-pack]");
    return element ? element.dataset.offlinePack : "";
  }

  async function keepPages(url) {
    if (!("caches" in window) || !navigator.onLine) {
      return;
    }
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      return;
    }
    const pack = await response.json();
    const cache = await caches.open(PAGES);
    const assets = new Set();
    for (const address of pack.pages) {
      const page = await fetch(address, { credentials: "same-origin" });
      if (!page.ok || page.redirected) {
        continue;
      }
      const html = await page.clone().text();
      await cache.put(address, page);
      const doc = new DOMParser().parseFromString(html, "text/html");
      for (const element of doc.querySelectorAll("link[rel=stylesheet][href], script[src]")) {
        assets.add(element.getAttribute("href") || element.getAttribute("src"));
      }
    }
    // The scripts and styles of those pages, fetched afresh each time (the worker finds them
    // in any of the portal's caches).
    for (const asset of assets) {
      const file = await fetch(asset);
      if (file.ok) {
        await cache.put(asset, file);
      }
    }
    document.documentElement.dataset.offlineReady = "true";
  }

  function forgetPagesOnLogout() {
    for (const form of document.querySelectorAll("form[data-logout]")) {
      form.addEventListener("submit", () => {
        if ("caches" in window) {
          caches.delete(PAGES);
        }
      });
    }
  }

  function showConnection() {
    document.documentElement.classList.toggle("is-offline", !navigator.onLine);
  }

  async function initialise() {
    showConnection();
    window.addEventListener("offline", showConnection);
    window.addEventListener("online", () => {
      showConnection();
      failures = 0;
      sendAll();
    });
    forgetPagesOnLogout();
    document.querySelectorAll("[data-report-form]").forEach(initReportForm);
    if ("indexedDB" in window) {
      render(await allReports());
      sendAll();
    }
    if ("serviceWorker" in navigator && userId && navigator.onLine) {
      try {
        await navigator.serviceWorker.register(meta("service-worker"), { scope: "/" });
        await navigator.serviceWorker.ready;
        if (packUrl()) {
          await keepPages(packUrl());
        }
      } catch (error) {
        // Without the worker the portal works online as before.
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initialise);
  } else {
    initialise();
  }
})();
