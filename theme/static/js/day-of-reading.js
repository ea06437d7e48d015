/* True on the day it is read: tender statuses and days left, upcoming or
   past events and how long ago a profile was verified, worked out again in
   the visitor's browser from the UK date and time. The build wrote them for
   its own date (and says which); this corrects the text when the page is
   read later. Started from data-module="app-day-of-reading".

   The rules are those of plugins/content_types/day_of_reading.py; their
   numbers (and the build's date) come from the JSON block the build writes,
   #app-day-rules, never from this file. Never works out a status for a day
   before the build's: a visitor's clock set in the past changes nothing.

   What the pages mark:
   - [data-tender-deadline="<ISO instant>"]: one tender; inside it .app-status
     (its status tag), [data-days-left], and [data-when-closed="text"],
     [data-hide-when-closed], [data-show-when-closed] for the wording.
   - [data-open-tenders]: a list of open tender cards; a card whose tender has
     closed moves to the list in [data-closed-since] (shown then);
     [data-open-count] is the list's count sentence.
   - [data-open-deadlines="<ISO> <ISO> …"]: a number of open tenders.
   - [data-event-last-day="YYYY-MM-DD"]: one event; [data-when-past="text"],
     [data-hide-when-past]; in [data-upcoming-events] it moves to the top
     of [data-past-events] once past ([data-show-when-no-upcoming] shows when
     none is left, [data-hide-when-some-past] hides).
   - [data-verified="YYYY-MM-DD"]: a profile's last verified date; the age
     goes in its [data-age], [data-show-when-stale] shows once it is stale,
     [data-hide-when-read-later] hides on a later day than the build's.
   - [data-as-of]: says which day the statuses are for. */
(function () {
  "use strict";
  var rulesBlock = document.getElementById("app-day-rules");
  if (!rulesBlock || !window.Intl || !Intl.DateTimeFormat) { return; }
  var rules = JSON.parse(rulesBlock.textContent);
  var DAY = 86400000;

  var partsFormat = new Intl.DateTimeFormat("en-GB", {
    timeZone: rules.time_zone, year: "numeric", month: "2-digit", day: "2-digit"
  });
  var longFormat = new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC", year: "numeric", month: "long", day: "numeric"
  });

  /* The UK calendar date of a moment, as YYYY-MM-DD. */
  function ukDate(moment) {
    var parts = {};
    partsFormat.formatToParts(moment).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  function dayNumber(isoDate) {
    var p = isoDate.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]) / DAY;
  }

  function longDate(isoDate) {
    return longFormat.format(new Date(dayNumber(isoDate) * DAY));
  }

  /* The day (and moment) statuses are for: the visitor's, but never before
     the build's date (then the build's day, as the build counted it). */
  function readingDay(now) {
    var today = ukDate(now);
    if (today < rules.built_on) { return { date: rules.built_on, moment: null }; }
    return { date: today, moment: now };
  }

  /* day_of_reading.tender_state: {status, daysLeft} on a day ({date, moment}). */
  function tenderState(deadlineIso, day) {
    var deadline = new Date(deadlineIso);
    if (day.moment && day.moment.getTime() >= deadline.getTime()) { return { status: "closed", daysLeft: null }; }
    var days = dayNumber(ukDate(deadline)) - dayNumber(day.date);
    if (days < 0) { return { status: "closed", daysLeft: null }; }
    return { status: days <= rules.closing_soon_days ? "closing-soon" : "open", daysLeft: days };
  }

  /* day_of_reading.event_is_past */
  function eventIsPast(lastDay, day) {
    return lastDay < day.date;
  }

  /* day_of_reading.verified_age: {words, stale}. */
  function verifiedAge(verified, day) {
    var days = dayNumber(day.date) - dayNumber(verified);
    var v = verified.split("-"), t = day.date.split("-");
    var months = (t[0] - v[0]) * 12 + (t[1] - v[1]) - (+t[2] < +v[2] ? 1 : 0);
    var words;
    if (days <= 0) { words = "today"; }
    else if (months < 1) { words = days === 1 ? "1 day ago" : days + " days ago"; }
    else if (months < 12) { words = months === 1 ? "1 month ago" : months + " months ago"; }
    else {
      var years = Math.floor(months / 12);
      words = years === 1 ? "1 year ago" : years + " years ago";
    }
    return { words: words, stale: days > rules.stale_after_days };
  }

  function daysLeftWords(days) {
    if (days === 0) { return "Closes today"; }
    return days === 1 ? "1 day left" : days + " days left";
  }

  // -- the page ------------------------------------------------------------------

  function each(root, selector, action) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), action);
  }

  /* Like each, the root itself included when it matches. */
  function eachIn(root, selector, action) {
    if (root.matches && root.matches(selector)) { action(root); }
    each(root, selector, action);
  }

  /* The wording marked for a state that has come: data-when-<state> texts,
     data-hide-when-<state> and data-show-when-<state> elements. */
  function applyWording(root, state) {
    eachIn(root, "[data-when-" + state + "]", function (node) {
      node.textContent = node.getAttribute("data-when-" + state);
    });
    eachIn(root, "[data-hide-when-" + state + "]", function (node) { node.hidden = true; });
    eachIn(root, "[data-show-when-" + state + "]", function (node) { node.hidden = false; });
  }

  function correctTender(node, day) {
    var state = tenderState(node.getAttribute("data-tender-deadline"), day);
    node.setAttribute("data-tender-status", state.status);
    each(node, ".app-status", function (tag) {
      tag.className = "app-status app-status--" + state.status;
      tag.textContent = rules.status_labels[state.status];
    });
    if (state.status === "closed") {
      applyWording(node, "closed");
    } else {
      each(node, "[data-days-left]", function (days) { days.textContent = daysLeftWords(state.daysLeft); });
    }
    return state;
  }

  function countSentence(open, closing) {
    if (!open) { return "No open opportunities."; }
    var text = open + " open " + (open === 1 ? "opportunity" : "opportunities");
    if (closing) { text += ", " + closing + " closing within " + rules.closing_soon_days + " days"; }
    return text + ".";
  }

  function correctTenderList(list, day) {
    var open = 0, closing = 0;
    var since = document.querySelector("[data-closed-since]");
    var sinceList = since && since.querySelector("ul");
    Array.prototype.slice.call(list.children).forEach(function (card) {
      var tender = card.matches("[data-tender-deadline]") ? card : card.querySelector("[data-tender-deadline]");
      if (!tender) { return; }
      var state = correctTender(tender, day);
      if (state.status === "closed") {
        if (sinceList) { sinceList.appendChild(card); since.hidden = false; } else { card.hidden = true; }
      } else {
        open += 1;
        if (state.status === "closing-soon") { closing += 1; }
      }
    });
    each(document, "[data-open-count]", function (node) { node.textContent = countSentence(open, closing); });
    if (!open) { each(document, "[data-show-when-none-open]", function (node) { node.hidden = false; }); }
  }

  function correctEvents(root, day) {
    var past = document.querySelector("[data-past-events]");
    each(root, "[data-event-last-day]", function (node) {
      if (!eventIsPast(node.getAttribute("data-event-last-day"), day)) { return; }
      applyWording(node, "past");
      var upcoming = node.parentNode && node.parentNode.hasAttribute("data-upcoming-events") ? node.parentNode : null;
      if (upcoming && past) {
        past.hidden = false;
        past.insertBefore(node, past.firstChild);
        if (!upcoming.children.length) {
          upcoming.hidden = true;
          each(document, "[data-show-when-no-upcoming]", function (note) { note.hidden = false; });
        }
        each(document, "[data-hide-when-some-past]", function (note) { note.hidden = true; });
      }
    });
  }

  function correctAges(root, day) {
    each(root, "[data-verified]", function (node) {
      var age = verifiedAge(node.getAttribute("data-verified"), day);
      each(node, "[data-age]", function (words) { words.textContent = age.words; });
      if (age.stale) { applyWording(node, "stale"); }
      if (day.date !== rules.built_on) { applyWording(node, "read-later"); }
    });
  }

  function correctAsOf(root, day) {
    if (day.date === rules.built_on) { return; }
    each(root, "[data-as-of]", function (node) {
      var text = node.getAttribute("data-as-of")
        .replace("{today}", longDate(day.date)).replace("{built}", longDate(rules.built_on));
      node.textContent = text;
    });
  }

  function start(root, now) {
    var day = readingDay(now);
    if (day.date === rules.built_on && !day.moment) { return; }
    each(root, "[data-open-tenders]", function (list) { correctTenderList(list, day); });
    each(root, "[data-tender-deadline]", function (node) {
      if (!node.hasAttribute("data-tender-status")) { correctTender(node, day); }
    });
    each(root, "[data-open-deadlines]", function (node) {
      var deadlines = node.getAttribute("data-open-deadlines").split(" ").filter(Boolean);
      node.textContent = deadlines.filter(function (d) { return tenderState(d, day).status !== "closed"; }).length;
    });
    correctEvents(root, day);
    correctAges(root, day);
    correctAsOf(root, day);
  }

  // For tests, which run these against the build's Python on the same dates.
  window.AppDayOfReading = {
    ukDate: ukDate, readingDay: readingDay, tenderState: tenderState,
    eventIsPast: eventIsPast, verifiedAge: verifiedAge
  };

  var now = new Date();
  each(document, '[data-module="app-day-of-reading"]', function (root) { start(root, now); });
})();
