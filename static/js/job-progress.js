// Follows a background job on its status page: while the job works, the page fetches itself
// every two seconds and swaps in the fresh #job block (progress bar, download link), or goes
// where the page now redirects (an import's check, once it is done). No inline
// scripts: the portal's Content-Security-Policy allows only files from the site itself.
(() => {
  const schedule = (element) => {
    const delay = Number(element.getAttribute("data-job-refresh")) || 2000;
    window.setTimeout(refresh, delay);
  };

  const refresh = async () => {
    const current = document.getElementById("job");
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      if (response.redirected) {
        window.location.assign(response.url); // the job moved on to a page of its own
        return;
      }
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("job");
      if (fresh === null) {
        return;
      }
      current.replaceWith(document.importNode(fresh, true));
      if (fresh.hasAttribute("data-job-refresh")) {
        schedule(fresh);
      }
    } catch (error) {
      schedule(current); // a network hiccup: try again
    }
  };

  const job = document.querySelector("[data-job-refresh]");
  if (job !== null) {
    schedule(job);
  }
})();
