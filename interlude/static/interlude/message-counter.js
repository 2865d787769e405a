/* A live character counter under a message box. Only a help: the server checks the limit and
   keeps the text when it refuses it. The counter is a polite live region, so a screen reader
   says the count when the person pauses, and the words come from the page, translated. */
(function () {
  "use strict";

  function countOf(text) {
    // As the server counts: line breaks as one character, whitespace at the ends left out,
    // and characters rather than UTF-16 units (an emoji is one).
    return Array.from(text.replace(/\r\n/g, "\n").trim()).length;
  }

  function attach(box) {
    const limit = parseInt(box.dataset.messageLimit, 10);
    const counter = document.getElementById(box.id + "_count");
    if (!counter || !limit) {
      return;
    }
    const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

    function update() {
      const count = countOf(box.value);
      const over = count > limit;
      const words = over ? counter.dataset.over : counter.dataset.within;
      counter.textContent = words.replace("{count}", numbers.format(count));
      counter.classList.toggle("error", over);
      if (over) {
        box.setAttribute("aria-invalid", "true");
      } else if (!document.getElementById(box.id + "_error")) {
        box.removeAttribute("aria-invalid");
      }
    }

    counter.hidden = false;
    update();
    box.addEventListener("input", update);
  }

  function start() {
    document.querySelectorAll("textarea[data-message-limit]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
