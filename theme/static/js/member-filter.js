/* Live filtering for the member directory: progressive enhancement of the
   plain filter form on /members/. Started from data-module="app-member-filter".
   Filters combine (any value within a filter, every filter across them); each
   option shows how many members it would leave; the state lives in the URL. */
(function () {
  "use strict";
  var form = document.querySelector('[data-module="app-member-filter"]');
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var siteUrl = document.body.getAttribute("data-site-url") || "";
  var list = document.getElementById("member-results");
  var status = document.querySelector(".app-results-count");
  var selectedBox = document.querySelector(".app-selected");
  var moreBox = document.querySelector(".app-results-more");
  var heading = document.getElementById("results-heading");
  var PAGE = 50;
  var FIRST_FILTER = 7; // members' per-filter value lists start at this index
  var data = null;
  var shown = PAGE;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function readState(search) {
    var params = new URLSearchParams(search);
    return data.filters.map(function (filter) {
      var wanted = {};
      params.getAll(filter.name).forEach(function (value) {
        var index = filter.values.indexOf(value);
        if (index >= 0) { wanted[index] = true; }
      });
      return wanted;
    });
  }

  function stateFromForm() {
    return data.filters.map(function (filter) {
      var wanted = {};
      form.querySelectorAll('input[name="' + filter.name + '"]:checked').forEach(function (box) {
        var index = filter.values.indexOf(box.value);
        if (index >= 0) { wanted[index] = true; }
      });
      return wanted;
    });
  }

  function writeForm(state) {
    data.filters.forEach(function (filter, f) {
      form.querySelectorAll('input[name="' + filter.name + '"]').forEach(function (box) {
        box.checked = !!state[f][filter.values.indexOf(box.value)];
      });
    });
  }

  function query(state) {
    var params = new URLSearchParams();
    data.filters.forEach(function (filter, f) {
      Object.keys(state[f]).forEach(function (index) { params.append(filter.name, filter.values[index]); });
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  /* One pass over the members: the matches, and for every option the number
     of members it would leave given the other filters. */
  function compute(state) {
    var active = state.map(function (wanted) { return Object.keys(wanted).length > 0; });
    var counts = data.filters.map(function (filter) { return filter.values.map(function () { return 0; }); });
    var matches = [];
    data.members.forEach(function (member) {
      var failed = -1, failures = 0;
      for (var f = 0; f < state.length && failures < 2; f++) {
        if (!active[f]) { continue; }
        var values = member[FIRST_FILTER + f], hit = false;
        for (var i = 0; i < values.length; i++) { if (state[f][values[i]]) { hit = true; break; } }
        if (!hit) { failed = f; failures++; }
      }
      if (failures === 0) { matches.push(member); }
      if (failures > 1) { return; }
      for (var g = 0; g < state.length; g++) {
        if (failures === 1 && g !== failed) { continue; }
        member[FIRST_FILTER + g].forEach(function (v) { counts[g][v]++; });
      }
    });
    return { matches: matches, counts: counts };
  }

  function card(member) {
    var filters = data.filters;
    var item = el("li", "app-card");
    var title = el("h3", "app-card__title");
    var link = el("a", null, member[1]);
    link.href = siteUrl + "/members/" + member[0] + "/";
    title.appendChild(link);
    if (member[6]) { title.appendChild(document.createTextNode(" ")); title.appendChild(el("span", "app-label", "Example")); }
    item.appendChild(title);
    item.appendChild(el("p", "app-card__summary", member[2]));
    var facts = el("dl", "app-card__facts");
    [["Services", member[3].map(function (i) { return filters[0].labels[i]; }).join(", ")],
     ["Areas", member[4].map(function (i) { return filters[1].labels[i]; }).join(", ")],
     ["Membership", filters[3].labels[member[5]]]].forEach(function (pair) {
      facts.appendChild(el("dt", null, pair[0]));
      facts.appendChild(el("dd", null, pair[1]));
    });
    item.appendChild(facts);
    var flags = [];
    if (member[FIRST_FILTER + 4].length) { flags.push("Can lead bids"); }
    if (member[FIRST_FILTER + 5].length) { flags.push("Looking for partners"); }
    if (flags.length) {
      var ul = el("ul", "app-flags");
      flags.forEach(function (flag) { ul.appendChild(el("li", "app-flag", flag)); });
      item.appendChild(ul);
    }
    return item;
  }

  function renderCounts(counts) {
    data.filters.forEach(function (filter, f) {
      form.querySelectorAll('input[name="' + filter.name + '"]').forEach(function (box) {
        var n = counts[f][filter.values.indexOf(box.value)] || 0;
        var label = form.querySelector('label[for="' + box.id + '"]');
        var count = label && label.querySelector(".app-count");
        if (count) { count.textContent = n ? "(" + n + ")" : "(none)"; }
        box.parentNode.classList.toggle("app-checkbox--empty", n === 0 && !box.checked);
      });
    });
  }

  function renderSelected(state) {
    selectedBox.textContent = "";
    var any = false;
    var tags = el("ul", "app-selected__list");
    data.filters.forEach(function (filter, f) {
      Object.keys(state[f]).forEach(function (index) {
        any = true;
        var label = filter.labels[index] === "Yes" ? filterLegend(filter.name) : filter.labels[index];
        var button = el("button", "app-selected__tag", "");
        button.type = "button";
        button.appendChild(el("span", "app-visually-hidden", "Remove filter: "));
        button.appendChild(document.createTextNode(label + " ×"));
        button.addEventListener("click", function () {
          var box = form.querySelector('input[name="' + filter.name + '"][value="' + filter.values[index] + '"]');
          if (box) { box.checked = false; }
          update(true);
          form.querySelector("input").focus();
        });
        var li = el("li");
        li.appendChild(button);
        tags.appendChild(li);
      });
    });
    if (any) {
      selectedBox.appendChild(el("h3", "app-selected__heading", "Selected filters"));
      selectedBox.appendChild(tags);
      var clear = el("button", "app-link-button", "Clear all filters");
      clear.type = "button";
      clear.addEventListener("click", function () {
        form.querySelectorAll("input:checked").forEach(function (box) { box.checked = false; });
        update(true);
        form.querySelector("input").focus();
      });
      selectedBox.appendChild(clear);
    }
  }

  function filterLegend(name) {
    var box = form.querySelector('input[name="' + name + '"]');
    var legend = box && box.closest("fieldset").querySelector("legend");
    return legend ? legend.textContent : name;
  }

  function renderResults(matches) {
    list.textContent = "";
    var fragment = document.createDocumentFragment();
    matches.slice(0, shown).forEach(function (member) { fragment.appendChild(card(member)); });
    list.appendChild(fragment);
    moreBox.textContent = "";
    if (matches.length > shown) {
      var more = el("button", "app-button app-button--secondary",
                    "Show more members (" + Math.min(PAGE, matches.length - shown) + " of " + (matches.length - shown) + " more)");
      more.type = "button";
      more.addEventListener("click", function () {
        var first = shown;
        shown += PAGE;
        renderResults(matches);
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) { link.focus(); }
      });
      moreBox.appendChild(more);
    }
  }

  var last = null;
  function update(push) {
    var state = stateFromForm();
    var result = compute(state);
    last = result;
    shown = PAGE;
    renderCounts(result.counts);
    renderSelected(state);
    renderResults(result.matches);
    var n = result.matches.length;
    heading.textContent = query(state) ? "Matching members" : "All members";
    status.textContent = n === 0 ? "No members match these filters. Try removing one." :
      (n === 1 ? "1 member matches" : n + " members match") + (query(state) ? " the selected filters" : "");
    var target = window.location.pathname + query(state);
    if (push && target !== window.location.pathname + window.location.search) {
      window.history.pushState({ filters: true }, "", target);
    }
  }

  function start(json) {
    data = json;
    document.querySelector(".app-directory").classList.add("app-directory--live");
    writeForm(readState(window.location.search));
    update(false);
    form.addEventListener("change", function () { update(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(true); });
    window.addEventListener("popstate", function () {
      writeForm(readState(window.location.search));
      update(false);
    });
  }

  fetch(form.getAttribute("data-filter-url"))
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(start)
    .catch(function () {
      status.textContent = "Live filtering is not available; browse members by the links instead.";
    });
}());
