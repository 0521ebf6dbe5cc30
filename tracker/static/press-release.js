// The paste page, a little handier: progressive enhancement only. Without JavaScript nothing is lost: a draft
// that is not saved is not stored, so "Discard" is not needed, and the evidence links jump to the marks anyway.
// 1. "Discard" removes a draft's card from the page (nothing was stored) and moves focus to the next card.
// 2. Following an evidence link moves focus to the highlighted sentence, so a screen reader reads it.
// 3. Each date says itself in words again when it is changed (the server wrote the draft's dates so).
(function () {
  "use strict";
  var script = document.currentScript;
  var drafts = document.getElementById("drafts");
  if (!drafts) {
    return;
  }
  var buttons = drafts.querySelectorAll("button.discard");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var card = document.getElementById(button.getAttribute("data-discard"));
      if (!card) {
        return;
      }
      var next = card.nextElementSibling || card.previousElementSibling;
      card.parentNode.removeChild(card);
      var target = next ? next.querySelector("h3") : document.getElementById("drafts-heading");
      if (target) {
        target.setAttribute("tabindex", "-1");
        target.focus();
      }
    });
  });
  var TEXTS = JSON.parse(script && script.getAttribute("data-texts") || "{}");
  var DAYS = TEXTS.days || [];
  var MONTHS = TEXTS.months || [];
  function inWords(text) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    var day = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : null;
    if (!day || day.getUTCMonth() !== +match[2] - 1) {
      return "";
    }
    return DAYS[day.getUTCDay()] + " " + day.getUTCDate() + " " + MONTHS[day.getUTCMonth()] + " " + day.getUTCFullYear();
  }
  Array.prototype.forEach.call(drafts.querySelectorAll("input[data-words]"), function (input) {
    function show() {
      var target = document.getElementById(input.getAttribute("data-words"));
      if (target) {
        target.textContent = inWords(input.value);
      }
    }
    input.addEventListener("input", show);
    input.addEventListener("change", show);
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#evidence-']") : null;
    if (!link) {
      return;
    }
    var mark = document.getElementById(link.getAttribute("href").slice(1));
    if (mark) {
      event.preventDefault();
      mark.scrollIntoView({ block: "center" });
      mark.focus({ preventScroll: true });
      if (history.replaceState) {
        history.replaceState(null, "", "#" + mark.id);
      }
    }
  });
})();
