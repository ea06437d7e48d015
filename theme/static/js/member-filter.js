/* Live filtering for the member directory: progressive enhancement of the
   plain filter form on /members/. Started from data-module="app-member-filter".

   Filters combine: a member matches a filter when it has any of the values
   ticked in it, and matches the directory when it matches every filter in
   use. Each option shows how many of the members the other filters leave
   have that value: the members it brings to the list (in a filter not in
   use yet, exactly what the list holds once it is ticked). An option that
   would bring none shows (0) and cannot be ticked. The state lives in the
   URL.

   On a narrow screen the filters fold behind one button that says how many
   organisations are listed (GOV.UK's filter pattern on mobile); the form's
   button then says "Show N organisations", folds them away again and puts
   the user on the results.

   The directory lists members and organisations only named in case studies
   (each card says which), so its counts and controls say "organisations",
   never "members", of a list.

   Fast with ten thousand members: each option's members are a bitset
   (one bit per member) made once when the data arrives, so a filter change
   is a few ANDs and ORs over a few hundred words, not a pass over every
   member; only the first page of results is drawn, from cards made once and
   reused; the page is only written to, never measured, while it changes. */
(function () {
  "use strict";
  /* members/filter-data.json holds one row (a list) per member and names
     the rows' fields once, in "fields" (FILTER_ROW_FIELDS in
     plugins/member_data/writer.py): a card's fields, named as CARD, then
     per filter, named as the filter, the indexes of the values the member
     matches. The script reads rows only by those names, through the
     positions rowLayout() finds once in "fields". */
  var CARD = ["slug", "name", "summary", "services", "areas", "membership_tier", "example"];
  var CARD_FILTERS = ["service", "area", "tier", "lead", "partners"]; // the filters a card names

  if (typeof module === "object" && module.exports) {
    // Node.js: tests/test_filter_rows.py reads the built file with these.
    module.exports = { CARD: CARD, CARD_FILTERS: CARD_FILTERS, rowLayout: rowLayout, readRow: readRow };
    return;
  }
  var form = document.querySelector('[data-module="app-member-filter"]');
  if (!form || !window.fetch || !window.URLSearchParams || !window.Uint32Array) { return; }
  var siteUrl = document.body.getAttribute("data-site-url") || "";
  var list = document.getElementById("member-results");
  var status = document.querySelector(".app-results-count");
  var selectedBox = document.querySelector(".app-selected");
  var moreBox = document.querySelector(".app-results-more");
  var heading = document.getElementById("results-heading");
  var panel = document.getElementById("member-filters");
  var submit = form.querySelector("button[type=submit]");
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 55.99rem)") : null;
  var toggle = null;    // the button that folds the filters away on a narrow screen
  var lastTotal = 0;
  var PAGE = 50;
  var data = null;
  var layout = null;    // where each field is in a member's row: rowLayout(data)
  var bits = null;      // bits[f][v]: the members that have value v of filter f
  var everyone = null;  // every member's bit set
  var words = 0;        // 32-bit words in one bitset
  var options = null;   // options[f][v]: {box, count, item, text, empty} for the form's checkboxes
  var cards = [];       // cards[m]: member m's card, made the first time it is shown
  var shown = PAGE;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // -- rows ------------------------------------------------------------------

  /* From the file's field names: ``at``, each field's position by name;
     ``filterAt``, each filter's place in ``filters`` by name; ``values``,
     per filter the position of its matched values. A field the script
     needs that the file lacks is an error (live filtering then stays off). */
  function rowLayout(json) {
    var at = {}, filterAt = {};
    json.fields.forEach(function (name, i) { at[name] = i; });
    json.filters.forEach(function (filter, f) { filterAt[filter.name] = f; });
    var missing = CARD.concat(Object.keys(filterAt)).filter(function (name) { return !(name in at); })
      .concat(CARD_FILTERS.filter(function (name) { return !(name in filterAt); }));
    if (missing.length) { throw new Error("filter-data.json has no field " + missing.join(", ")); }
    return { fields: json.fields, at: at, filterAt: filterAt,
             values: json.filters.map(function (filter) { return at[filter.name]; }) };
  }

  /* A member's row as an object, each field under its name. */
  function readRow(row, rows) {
    var member = {};
    rows.fields.forEach(function (name) { member[name] = row[rows.at[name]]; });
    return member;
  }

  // -- bitsets ----------------------------------------------------------------

  function popcount(x) {
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return Math.imul((x + (x >>> 4)) & 0x0F0F0F0F, 0x01010101) >>> 24;
  }

  function buildIndex() {
    var members = data.members, n = members.length;
    words = (n + 31) >>> 5;
    bits = data.filters.map(function (filter) {
      return filter.values.map(function () { return new Uint32Array(words); });
    });
    for (var m = 0; m < n; m++) {
      var word = m >>> 5, bit = 1 << (m & 31);
      for (var f = 0; f < bits.length; f++) {
        var values = members[m][layout.values[f]];
        for (var i = 0; i < values.length; i++) { bits[f][values[i]][word] |= bit; }
      }
    }
    everyone = new Uint32Array(words);
    everyone.fill(0xFFFFFFFF);
    if (n & 31) { everyone[words - 1] = (1 << (n & 31)) - 1; }
  }

  /* The members meeting filter f: those with any ticked value, or null
     when nothing is ticked in it. */
  function filterMask(wanted, f) {
    var ticked = Object.keys(wanted);
    if (!ticked.length) { return null; }
    var mask = new Uint32Array(words);
    ticked.forEach(function (v) {
      var set = bits[f][v];
      for (var w = 0; w < words; w++) { mask[w] |= set[w]; }
    });
    return mask;
  }

  /* The members meeting every filter in use, skipping filter `skip`. */
  function meetingAll(masks, skip) {
    var result = everyone.slice();
    masks.forEach(function (mask, f) {
      if (!mask || f === skip) { return; }
      for (var w = 0; w < words; w++) { result[w] &= mask[w]; }
    });
    return result;
  }

  /* The matches, their number, and for every option the number of members
     that meet every other filter in use and have that value: in a filter
     not in use, what the directory lists once it is ticked; in a filter in
     use, the members it lists for that value (values within a filter
     combine with OR, so ticking one more adds those of them not listed
     yet). A place nobody left serves counts 0, never the list's size. */
  function compute(state) {
    var masks = state.map(filterMask);
    var matches = meetingAll(masks, -1);
    var total = 0, w;
    for (w = 0; w < words; w++) { total += popcount(matches[w]); }
    var counts = masks.map(function (mask, f) {
      var others = mask ? meetingAll(masks, f) : matches;
      return bits[f].map(function (set) {
        var n = 0;
        for (w = 0; w < words; w++) { n += popcount(others[w] & set[w]); }
        return n;
      });
    });
    return { matches: matches, total: total, counts: counts };
  }

  /* The indexes of the first `limit` matching members, in directory order. */
  function firstMatches(matches, limit) {
    var found = [];
    for (var w = 0; w < words && found.length < limit; w++) {
      var word = matches[w];
      while (word !== 0 && found.length < limit) {
        var low = word & -word;
        found.push((w << 5) + 31 - Math.clz32(low));
        word ^= low;
      }
    }
    return found;
  }

  // -- the form and the URL ----------------------------------------------------

  /* Each checkbox, with its count and the element marked when it would list
     nobody, found once. */
  function findOptions() {
    options = data.filters.map(function (filter) {
      var found = [];
      form.querySelectorAll('input[name="' + filter.name + '"]').forEach(function (box) {
        var v = filter.values.indexOf(box.value);
        if (v < 0) { return; }
        var label = form.querySelector('label[for="' + box.id + '"]');
        found[v] = { box: box, count: label && label.querySelector(".app-count"), item: box.parentNode,
                     text: null, empty: null };
      });
      return found;
    });
  }

  function readState(search) {
    var params = new URLSearchParams(search);
    return data.filters.map(function (filter) {
      var wanted = {};
      params.getAll(filter.name).forEach(function (value) {
        var v = filter.values.indexOf(value);
        if (v >= 0) { wanted[v] = true; }
      });
      return wanted;
    });
  }

  function stateFromForm() {
    return options.map(function (found) {
      var wanted = {};
      found.forEach(function (option, v) { if (option.box.checked) { wanted[v] = true; } });
      return wanted;
    });
  }

  function writeForm(state) {
    options.forEach(function (found, f) {
      found.forEach(function (option, v) { option.box.checked = !!state[f][v]; });
    });
  }

  function query(state) {
    var params = new URLSearchParams();
    data.filters.forEach(function (filter, f) {
      Object.keys(state[f]).forEach(function (v) { params.append(filter.name, filter.values[v]); });
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  // -- drawing -------------------------------------------------------------------

  function card(row) {
    var filters = data.filters, filterAt = layout.filterAt;
    var member = readRow(row, layout);
    var item = el("li", "app-card");
    var title = el("h3", "app-card__title");
    var link = el("a", null, member.name);
    link.href = siteUrl + "/members/" + member.slug + "/";
    title.appendChild(link);
    if (member.example) { title.appendChild(document.createTextNode(" ")); title.appendChild(el("span", "app-label", "Example")); }
    item.appendChild(title);
    // As the member_card macro: an organisation with no membership tier is
    // only named in a case study.
    var tiers = filters[filterAt.tier];
    var named = tiers.values[member.membership_tier] === "none";
    var kind = el("p", "app-card__kind");
    kind.appendChild(named ? el("span", "app-badge app-badge--named", "Named in a case study, not a member")
                           : el("span", "app-badge app-badge--member", "Member"));
    item.appendChild(kind);
    item.appendChild(el("p", "app-card__summary", member.summary));
    var facts = el("dl", "app-card__facts");
    [["Services", member.services.map(function (i) { return filters[filterAt.service].labels[i]; }).join(", ")],
     ["Areas", member.areas.map(function (i) { return filters[filterAt.area].labels[i]; }).join(", ")],
     ["Membership", tiers.labels[member.membership_tier]]].forEach(function (pair) {
      facts.appendChild(el("dt", null, pair[0]));
      facts.appendChild(el("dd", null, pair[1]));
    });
    item.appendChild(facts);
    var flags = [];
    if (member.lead.length) { flags.push("Can lead bids"); }
    if (member.partners.length) { flags.push("Looking for partners"); }
    if (flags.length) {
      var ul = el("ul", "app-flags");
      flags.forEach(function (flag) { ul.appendChild(el("li", "app-flag", flag)); });
      item.appendChild(ul);
    }
    return item;
  }

  function cardFor(m) {
    if (!cards[m]) { cards[m] = card(data.members[m]); }
    return cards[m];
  }

  /* Only what changed is written, so an unchanged label costs nothing. */
  function renderCounts(counts) {
    options.forEach(function (found, f) {
      found.forEach(function (option, v) {
        var n = counts[f][v];
        var text = "(" + n + ")";
        if (option.count && option.text !== text) { option.count.textContent = text; option.text = text; }
        var empty = n === 0 && !option.box.checked;
        if (option.empty !== empty) {
          option.item.classList.toggle("app-checkbox--empty", empty);
          option.box.disabled = empty;
          option.empty = empty;
        }
      });
    });
  }

  function renderSelected(state) {
    selectedBox.textContent = "";
    var any = false;
    var tags = el("ul", "app-selected__list");
    data.filters.forEach(function (filter, f) {
      Object.keys(state[f]).forEach(function (v) {
        any = true;
        var label = filter.labels[v] === "Yes" ? filterLegend(f) : filter.labels[v];
        var button = el("button", "app-selected__tag", "");
        button.type = "button";
        button.appendChild(el("span", "app-visually-hidden", "Remove filter: "));
        button.appendChild(document.createTextNode(label + " ×"));
        button.addEventListener("click", function () {
          var option = options[f][v];
          if (option) { option.box.checked = false; }
          update(true);
          focusAfterRemoving();
        });
        var li = el("li");
        li.appendChild(button);
        tags.appendChild(li);
      });
    });
    if (any) {
      selectedBox.appendChild(el("h3", "app-selected__heading", "Selected filters"));
      selectedBox.appendChild(tags);
      data.filters.forEach(function (filter, f) {
        if (!filter.parents) { return; }
        Object.keys(state[f]).forEach(function (v) {
          selectedBox.appendChild(el("p", "app-hint app-selected__scope", scope(filter, Number(v))));
        });
      });
      var clear = el("button", "app-link-button", "Clear all filters");
      clear.type = "button";
      clear.addEventListener("click", function () {
        options.forEach(function (found) { found.forEach(function (option) { option.box.checked = false; }); });
        update(true);
        focusAfterRemoving();
      });
      selectedBox.appendChild(clear);
    }
  }

  /* A removed filter's button is gone: focus goes to the first option
     that can be ticked, or, with the filters folded away, to the results. */
  function focusAfterRemoving() {
    var first = form.querySelector("input:not(:disabled)");
    if (panel && panel.hidden || !first) { heading.setAttribute("tabindex", "-1"); heading.focus(); } else { first.focus(); }
  }

  /* What a ticked area lists, in the words of the area pages
     (theme/templates/_area_scope.html; content_types/directory.py decides). */
  function scope(filter, v) {
    var larger = [];
    for (var up = filter.parents[v]; up !== null && up !== undefined && larger.length < 20; up = filter.parents[up]) {
      larger.push(filter.labels[up]);
    }
    var label = filter.labels[v];
    if (!larger.length) { return label + " lists only the organisations that work across the whole country."; }
    var hasParts = filter.parents.indexOf(v) >= 0;
    var across = larger.length > 1 ? larger.slice(0, -1).join(", ") + " or " + larger[larger.length - 1] : larger[0];
    return label + " also lists organisations working across " + across +
      (hasParts ? ", and organisations working in part of " + label + "." : ".");
  }

  function filterLegend(f) {
    var option = options[f].filter(Boolean)[0];
    var legend = option && option.box.closest("fieldset").querySelector("legend");
    return legend ? legend.textContent : data.filters[f].name;
  }

  function renderResults(result) {
    var wanted = firstMatches(result.matches, shown).map(cardFor);
    var current = list.children, same = current.length === wanted.length;
    for (var i = 0; same && i < wanted.length; i++) { same = current[i] === wanted[i]; }
    if (!same) {
      var fragment = document.createDocumentFragment();
      wanted.forEach(function (node) { fragment.appendChild(node); });
      list.textContent = "";
      list.appendChild(fragment);
    }
    moreBox.textContent = "";
    if (result.total > shown) {
      var more = el("button", "app-button app-button--secondary",
                    "Show more organisations (" + Math.min(PAGE, result.total - shown) + " of " + (result.total - shown) + " more)");
      more.type = "button";
      more.addEventListener("click", function () {
        var first = shown;
        shown += PAGE;
        renderResults(result);
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) { link.focus(); }
      });
      moreBox.appendChild(more);
    }
  }

  function organisations(n) { return n === 1 ? "1 organisation" : n + " organisations"; }

  function update(push) {
    var state = stateFromForm();
    var result = compute(state);
    shown = PAGE;
    renderCounts(result.counts);
    renderSelected(state);
    renderResults(result);
    var n = result.total, filtered = query(state);
    lastTotal = n;
    heading.textContent = filtered ? "Matching organisations" : "All organisations";
    say(n === 0 ? "No organisations match these filters. Try removing one." :
      organisations(n) + (n === 1 ? " matches" : " match") + (filtered ? " the selected filters" : ""));
    renderFold();
    var target = window.location.pathname + filtered;
    if (push && target !== window.location.pathname + window.location.search) {
      window.history.pushState({ filters: true }, "", target);
    }
  }

  /* The status is written only when it changes: screen readers announce
     each change of the results once. */
  function say(text) {
    if (status.textContent !== text) { status.textContent = text; }
  }

  // -- folding the filters on a narrow screen ---------------------------------

  function isNarrow() { return !!(narrow && narrow.matches); }

  function makeToggle() {
    toggle = el("button", "app-button app-button--secondary app-filters-toggle");
    toggle.type = "button";
    toggle.setAttribute("aria-controls", panel.id);
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      setFolded(toggle.getAttribute("aria-expanded") === "true");
    });
    panel.parentNode.insertBefore(toggle, panel);
    var fold = function () { setFolded(isNarrow()); };
    if (narrow.addEventListener) { narrow.addEventListener("change", fold); } else { narrow.addListener(fold); }
    setFolded(isNarrow());
  }

  function setFolded(folded) {
    if (!toggle) { return; }
    toggle.hidden = !isNarrow();
    panel.hidden = folded && isNarrow();
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
    renderFold();
  }

  /* The two buttons say how many organisations are listed, as GOV.UK's do. */
  function renderFold() {
    var listed = organisations(lastTotal);
    if (toggle) {
      var label = "Filter organisations (" + lastTotal + " listed)";
      if (toggle.textContent !== label) { toggle.textContent = label; }
    }
    var action = isNarrow() ? "Show " + listed : "Apply filters";
    if (submit.textContent !== action) { submit.textContent = action; }
  }

  /* Apply: the results, with the user on them (on a narrow screen, with the
     filters folded away again). */
  function showResults() {
    if (isNarrow()) { setFolded(true); }
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  function start(json) {
    layout = rowLayout(json);
    data = json;
    buildIndex();
    findOptions();
    document.querySelector(".app-directory").classList.add("app-directory--live");
    writeForm(readState(window.location.search));
    update(false);
    form.addEventListener("change", function () { update(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(true); showResults(); });
    if (panel && narrow) { makeToggle(); }
    window.addEventListener("popstate", function () {
      writeForm(readState(window.location.search));
      update(false);
    });
  }

  fetch(form.getAttribute("data-filter-url"))
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(start)
    .catch(function () {
      status.textContent = "Live filtering is not available; browse the directory by the links instead.";
    });
}());
