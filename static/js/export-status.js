// The report file's page follows the export without reloading itself (a meta refresh moves a
// screen reader's focus and is refused by accessibility checks): every two seconds it asks
// the same address for the export's state and updates the progress bar; when the file is
// ready (or has failed) it loads the page once, which then says so. Without JavaScript the
// "Check again" link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-export-status]");
  if (!box) return;
  var bar = box.querySelector("progress");
  function check() {
    fetch(box.getAttribute("data-export-status"), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return;
        if (state.status === "done" || state.status === "failed") {
          window.location.reload();
          return;
        }
        bar.value = state.progress;
        bar.textContent = state.progress + " %";
        window.setTimeout(check, 2000);
      })
      .catch(function () { window.setTimeout(check, 5000); });
  }
  window.setTimeout(check, 2000);
})();
