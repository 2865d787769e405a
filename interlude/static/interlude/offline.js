/* The offline copy of the safety plan: register its service worker on every client page, and
   delete every stored copy when the client logs out or is found logged out. */
(function () {
  "use strict";
  const script = document.currentScript;
  const signedIn = script && script.dataset.signedIn === "1";
  const supported = "serviceWorker" in navigator && "caches" in window;

  function forgetOfflineCopies() {
    if (!supported) {
      return Promise.resolve();
    }
    const workers = navigator.serviceWorker.getRegistrations()
      .then((registrations) => Promise.all(registrations.map((r) => r.unregister())));
    const stores = caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k))));
    return Promise.all([workers, stores]).catch(() => undefined);
  }

  function guardLogout(form) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.cleared === "1") {
        return;
      }
      event.preventDefault();
      // Log out even if clearing hangs: never keep the person signed in.
      const timeout = new Promise((resolve) => setTimeout(resolve, 2000));
      Promise.race([forgetOfflineCopies(), timeout]).then(() => {
        form.dataset.cleared = "1";
        form.submit();
      });
    });
  }

  function showOfflineNote() {
    document.querySelectorAll("[data-offline-note]").forEach((note) => {
      note.hidden = navigator.onLine;
    });
  }

  function start() {
    if (!signedIn) {
      // Logged out by time or elsewhere: nothing of the last person may stay on the device.
      forgetOfflineCopies();
      return;
    }
    const logoutUrl = script.dataset.logout;
    document.querySelectorAll("form").forEach((form) => {
      if (form.getAttribute("action") === logoutUrl) {
        guardLogout(form);
      }
    });
    // Every client page names the worker, so a client who has never opened their plan still
    // has it on the device the day the connection fails; the plan pages name it too.
    const marker = document.querySelector("[data-offline-worker]");
    const worker = script.dataset.offlineWorker || (marker && marker.dataset.offlineWorker);
    if (worker && supported) {
      navigator.serviceWorker.register(worker, { scope: "/me/" }).catch(() => undefined);
    }
    showOfflineNote();
    window.addEventListener("online", showOfflineNote);
    window.addEventListener("offline", showOfflineNote);
  }

  start();
})();
