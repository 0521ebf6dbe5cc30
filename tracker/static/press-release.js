// The paste page, a little handier: progressive enhancement only. Without JavaScript nothing is lost: a draft
// that is not saved is not stored, so "Discard" is not needed, and the evidence links jump to the marks anyway.
// 1. "Discard" removes a draft's card from the page (nothing was stored) and moves focus to the next card.
// 2. Following an evidence link moves focus to the highlighted sentence, so a screen reader reads it.
(function () {
  "use strict";
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
