// The kiosk's last screen goes back to the start by itself, ready for the next person.
(function () {
  var main = document.querySelector("[data-return-url]");
  if (!main) return;
  var seconds = parseInt(main.getAttribute("data-return-after"), 10) || 20;
  window.setTimeout(function () {
    window.location.assign(main.getAttribute("data-return-url"));
  }, seconds * 1000);
})();
