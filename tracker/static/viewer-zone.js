// Offers the browser's own time zone in the "Show times in" pickers. Progressive enhancement only: the
// pickers are plain GET forms that work without JavaScript; this just saves scrolling through the list.
(function () {
  "use strict";
  var script = document.currentScript;
  var TEXTS = JSON.parse(script && script.getAttribute("data-texts") || "{}");
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  document.querySelectorAll("button.use-my-zone").forEach(function (button) {
    var form = button.form;
    var select = form && form.querySelector("select[name=tz]");
    if (!select || select.value === zone) {
      return;
    }
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (!known) {
      return;
    }
    button.textContent = (TEXTS.myZone || "%(zone)s").replace("%(zone)s", zone);
    button.hidden = false;
    button.addEventListener("click", function () {
      select.value = zone;
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  });
})();
