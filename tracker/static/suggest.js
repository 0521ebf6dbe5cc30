// Directory suggestions while an editor types an organisation or a person. Progressive enhancement only: every
// field still works as a plain text field with the datalist the page was served with; this refreshes that
// datalist from /edit/suggest/… so that "IOM" or "antonio vitorino" offer the entry the directory has.
(function () {
  "use strict";
  // The app's root, from this script's own address (…/static/suggest.js), so that a path prefix is kept.
  var script = document.currentScript;
  var root = script && script.src ? script.src.replace(/static\/suggest\.js(\?.*)?$/, "") : "/";
  var SOURCES = {
    "organisation-names": root + "edit/suggest/organisations",
    "person-names": root + "edit/suggest/people"
  };
  var WAIT_MS = 180;
  var MAX_LENGTH = 200;
  if (!window.fetch || !window.URLSearchParams) {
    return;
  }

  function fill(datalist, suggestions) {
    var options = document.createDocumentFragment();
    suggestions.forEach(function (suggestion) {
      var option = document.createElement("option");
      option.value = suggestion.name;
      // What the browser shows beside the value: the acronym, or the person's position and organisation.
      if (suggestion.label && suggestion.label !== suggestion.name) {
        option.textContent = suggestion.label;
      } else if (suggestion.acronym || suggestion.position) {
        option.textContent = suggestion.acronym || suggestion.position;
      }
      options.appendChild(option);
    });
    datalist.replaceChildren(options);
  }

  function watch(input, datalist, source) {
    var timer = null;
    var asked = "";
    var controller = null;
    var original = Array.prototype.map.call(datalist.options, function (option) {
      return option.cloneNode(true);
    });

    function ask() {
      var typed = input.value.split(",")[0].trim();
      if (typed === asked) {
        return;
      }
      asked = typed;
      if (typed.length < 2 || typed.length > MAX_LENGTH) {
        datalist.replaceChildren.apply(datalist, original.map(function (option) {
          return option.cloneNode(true);
        }));
        return;
      }
      if (controller && controller.abort) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var url = source + "?" + new URLSearchParams({ q: typed }).toString();
      fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          return response.ok && json ? response.json() : null;
        })
        .then(function (answer) {
          if (answer && Array.isArray(answer.suggestions) && typed === asked) {
            fill(datalist, answer.suggestions);
          }
        })
        .catch(function () {
          // Offline, aborted or logged out: the datalist keeps what it had.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
  }

  function enhance(scope) {
    Object.keys(SOURCES).forEach(function (id) {
      var datalist = document.getElementById(id);
      if (!datalist || !datalist.replaceChildren) {
        return;
      }
      scope.querySelectorAll('input[list="' + id + '"]').forEach(function (input) {
        if (!input.dataset.suggest) {
          input.dataset.suggest = "on";
          watch(input, datalist, datalist.dataset.suggestUrl || SOURCES[id]);
        }
      });
    });
  }

  enhance(document);
  // Rows added later (the event form's "add a row") are enhanced when they first take focus.
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches('input[list="organisation-names"], input[list="person-names"]')) {
      enhance(target.parentNode || document);
    }
  });
})();
