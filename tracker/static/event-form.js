// The event form, a little faster: progressive enhancement only. Without JavaScript the server does each of
// these (proposes the zone, writes dates in words, adds rows with "Add rows", moves the end with the start).
// 1. Each date field says its date in words ("Tuesday 15 November 2022"), so a day/month mix-up shows.
// 2. The time zone is proposed from the city and country while it is empty or still the proposal.
// 3. "Add rows" adds an organisation row and a participant row in the page; typing in the last row adds one.
// 4. Changing only the start moves the end by as much (wall time; all-day events by days).
// 5. The title shows how many characters it has against its limit.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.querySelector("form.event-form");
  if (!form) {
    return;
  }
  var TEXTS = JSON.parse(script && script.getAttribute("data-texts") || "{}");
  var DAYS = TEXTS.days || [];
  var MONTHS = TEXTS.months || [];

  function say(message, values) {
    return (message || "").replace(/%\((\w+)\)s/g, function (whole, name) { return String(values[name]); });
  }

  function byId(id) {
    return document.getElementById(id);
  }

  // ------------------------------------------------------------------------------------------ dates in words
  function parseDay(text) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!match) {
      return null;
    }
    var day = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    return day.getUTCMonth() === +match[2] - 1 ? day : null;
  }

  function inWords(text) {
    var day = parseDay(text);
    if (!day) {
      return "";
    }
    return DAYS[day.getUTCDay()] + " " + day.getUTCDate() + " " + MONTHS[day.getUTCMonth()] + " " + day.getUTCFullYear();
  }

  function showWords(input) {
    var target = byId(input.getAttribute("data-words"));
    if (target) {
      target.textContent = inWords(input.value) || (input.id === "end_date" ? TEXTS.sameDay : "");
    }
  }

  form.querySelectorAll("input[data-words]").forEach(function (input) {
    input.addEventListener("input", function () { showWords(input); });
    input.addEventListener("change", function () { showWords(input); });
  });

  // ---------------------------------------------------------------------------------------- time zone proposal
  var zones = {};
  try {
    zones = JSON.parse(form.getAttribute("data-zones") || "{}");
  } catch (error) {
    zones = {};
  }
  var city = byId("city");
  var country = byId("country");
  var zone = byId("timezone");

  function cityKey(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/_/g, " ").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function zoneCity(name) {
    return cityKey(name.split("/").pop());
  }

  function allZones() {
    var seen = {};
    Object.keys(zones).forEach(function (code) {
      zones[code].forEach(function (name) { seen[name] = true; });
    });
    return Object.keys(seen);
  }

  // The same rule as tracker/zone_guess.py: a city a zone is named after, else a country's only zone.
  function propose() {
    var code = (country && country.value || "").toUpperCase();
    var key = cityKey(city && city.value);
    var candidates = code ? (zones[code] || []) : [];
    if (code && !candidates.length) {
      return "";
    }
    if (key) {
      var named = (candidates.length ? candidates : allZones()).filter(function (name) { return zoneCity(name) === key; });
      if (named.length === 1) {
        return named[0];
      }
    }
    return candidates.length === 1 ? candidates[0] : "";
  }

  function offerZone() {
    if (!zone) {
      return;
    }
    var previous = zone.getAttribute("data-proposed") || "";
    if (zone.value && zone.value !== previous) {
      return; // the editor chose a zone: leave it
    }
    var proposal = propose();
    zone.value = proposal;
    zone.setAttribute("data-proposed", proposal);
    var note = byId("timezone-proposed");
    if (!note && proposal) {
      note = document.createElement("span");
      note.id = "timezone-proposed";
      note.className = "zone-proposed";
      zone.insertAdjacentElement("afterend", note);
    }
    if (note) {
      note.textContent = proposal ? TEXTS.proposed : "";
    }
  }

  [city, country].forEach(function (input) {
    if (input) {
      input.addEventListener("change", offerZone);
      input.addEventListener("input", offerZone);
    }
  });

  // ---------------------------------------------------------------------------------------------------- rows
  function renumber(selector, label) {
    form.querySelectorAll(selector).forEach(function (input, index) {
      input.setAttribute("aria-label", say(label, {number: index + 1}));
    });
  }

  function cloneLast(container, selector) {
    var rows = container ? container.querySelectorAll(selector) : [];
    if (!rows.length) {
      return null;
    }
    var copy = rows[rows.length - 1].cloneNode(true);
    (copy.matches("input") ? [copy] : copy.querySelectorAll("input")).forEach(function (input) { input.value = ""; });
    copy.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
    rows[rows.length - 1].insertAdjacentElement("afterend", copy);
    return copy;
  }

  function addOrganisationRow() {
    var row = cloneLast(byId("organisation-rows"), "tr.org-row");
    renumber("input[name='org_name[]']", TEXTS.organisation);
    renumber("select[name='org_role[]']", TEXTS.role);
    return row;
  }

  function addPersonRow() {
    var row = cloneLast(byId("person-rows"), "input.person-row");
    renumber("input[name='person_name[]']", TEXTS.participant);
    return row;
  }

  var addRows = form.querySelector("button.add-rows");
  if (addRows) {
    addRows.addEventListener("click", function (event) {
      event.preventDefault();
      var row = addOrganisationRow();
      addPersonRow();
      var input = row && row.querySelector("input");
      if (input) {
        input.focus();
      }
    });
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (!target.value) {
      return;
    }
    var names = form.querySelectorAll("input[name='org_name[]']");
    if (target === names[names.length - 1]) {
      addOrganisationRow();
    }
    var people = form.querySelectorAll("input[name='person_name[]']");
    if (target === people[people.length - 1]) {
      addPersonRow();
    }
  });

  // ------------------------------------------------------------------------------------------- end follows start
  var fields = ["start_date", "start_time", "end_date", "end_time"].map(byId);
  var allDay = byId("all_day");
  var last = fields.map(function (input) { return input ? input.value : ""; });

  function moment(day, wall) {
    var date = parseDay(day);
    var match = /^(\d{2}):(\d{2})/.exec(wall || "");
    return date && match ? date.getTime() + (+match[1] * 60 + +match[2]) * 60000 : null;
  }

  function isoDay(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  function followStart() {
    var now = fields.map(function (input) { return input ? input.value : ""; });
    var endKept = now[2] === last[2] && now[3] === last[3];
    var lastEndDay = last[2] || last[0];
    if (endKept && last[0] && fields[2]) {
      if (allDay && allDay.checked) {
        var first = parseDay(now[0]), wasFirst = parseDay(last[0]), wasLast = parseDay(lastEndDay);
        if (first && wasFirst && wasLast) {
          fields[2].value = isoDay(wasLast.getTime() + (first - wasFirst));
        }
      } else {
        var start = moment(now[0], now[1]), wasStart = moment(last[0], last[1]), wasEnd = moment(lastEndDay, last[3]);
        if (start !== null && wasStart !== null && wasEnd !== null && fields[3]) {
          var end = new Date(wasEnd + (start - wasStart)).toISOString();
          fields[2].value = end.slice(0, 10);
          fields[3].value = end.slice(11, 16);
        }
      }
      showWords(fields[2]);
    }
    last = fields.map(function (input) { return input ? input.value : ""; });
  }

  function remember() {
    last = fields.map(function (input) { return input ? input.value : ""; });
  }

  [fields[0], fields[1]].forEach(function (input) {
    if (input) {
      input.addEventListener("change", followStart);
    }
  });
  [fields[2], fields[3]].forEach(function (input) {
    if (input) {
      input.addEventListener("change", remember);
    }
  });

  // ------------------------------------------------------------------------------------------------ title length
  // Every language's title (title, title_mk, title_sq), each with its own count.
  form.querySelectorAll("input[data-limit]").forEach(function (title) {
    var count = byId(title.id + "-count");
    if (!count) {
      return;
    }
    var limit = +title.getAttribute("data-limit") || 300;
    var update = function () {
      var length = title.value.length;
      count.textContent = length > limit
        ? say(TEXTS.over, {count: length, over: length - limit, limit: limit})
        : say(TEXTS.count, {count: length, limit: limit});
      count.classList.toggle("over-limit", length > limit);
    };
    title.addEventListener("input", update);
    update();
  });
})();
