// Forms whose page stays after submitting (a report streamed as a download) get a new
// submission key a moment after each submit: a double click shares the key and makes one
// run, a later click is a new request. Markup: <form data-fresh-key> with the hidden
// idempotency_key input (core.templatetags.idempotency).
(function () {
  "use strict";

  var DELAY_MS = 2000;

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes); // also on plain http, unlike randomUUID
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-fresh-key")) return;
    var input = form.querySelector('input[name="idempotency_key"]');
    if (!input) return;
    window.setTimeout(function () {
      input.value = newKey();
    }, DELAY_MS);
  });
})();
