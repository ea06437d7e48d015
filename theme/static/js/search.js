/* Site search: lunr.js over the indexes the search_index plugin builds.
 *
 * Progressive enhancement: the search page works as a plain GET form and
 * offers the browse pages instead; this script, started from
 * data-module="app-search", takes over. It loads the first index (titles,
 * keywords, summaries of everything), answers as you type, and fetches the
 * full-text shards when a query needs them (plugins/search_index/README.md).
 * It builds every result from DOM nodes and text, never from HTML strings.
 *
 * After a search (the page opened with ?q=, or a box submitted) focus goes
 * to the results summary, so the first result is one Tab away. The header's
 * box and the page's box show the same query: typing in either searches.
 * With the box empty, the page says what can be searched and offers the
 * browse pages.
 */
(function () {
  "use strict";

  var FORMAT = 2;                // the index format this script reads
  // Where each field of a document is in the store (index.json's "docs"), as
  // plugins/search_index/README.md describes it and files.py's
  // DOCUMENT_FIELDS writes it; "example" (1 for made-up demonstration
  // content) and "named" (1 for a directory entry that is not a member, only
  // named in a case study) are left out when 0 and last.
  var DOCUMENT = { type: 0, slug: 1, title: 2, summary: 3, example: 4, named: 5 };
  // As the directory's cards: a named organisation is labelled so, and a
  // count of results that include one says "organisations", not "members".
  var NAMED_LABEL = "Named in a case study, not a member";
  var NAMED_WORDS = ["organisation", "organisations"];
  var RESULTS_PER_PAGE = 20;
  var MAX_WORDS = 12;            // a long paste searches its first words only
  var ANNOUNCE_AFTER_MS = 700;   // announce counts once typing pauses
  var SNIPPET_WORDS_BEFORE = 12;
  var SNIPPET_WORDS_AFTER = 24;
  var COMPLETIONS = 24;          // a half-typed word stands for at most this many words
  var FUZZY_LENGTHS = [5, 16];    // words this long may have typing slips:
                                 // shorter ones change too much ("cafe" finds
                                 // "care"), longer ones cost too much to expand
  var WORD = /[\p{L}\p{N}\p{M}'\u2018\u2019\u02bc]+/gu;

  // -- text: the same folding as plugins/search_index/documents.py --------

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").replace(/['\u2018\u2019\u02bc]/g, "")
      .toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  function slugFromTitle(title) {
    return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  var stems = new Map();
  function stem(word) {
    if (!stems.has(word)) stems.set(word, lunr.stemmer(new lunr.Token(word)).toString());
    return stems.get(word);
  }

  function isStopWord(word) {
    return !lunr.stopWordFilter(new lunr.Token(word));
  }

  // -- the packed index: back to lunr's own serialisation ------------------

  /* The inverse of plugins/search_index/packing.py's pack(). Postings list
   * each document as the gap from the previous one and the term's score in
   * that document's field vector (times 1000); field vectors are rebuilt
   * from them, in term order. */
  function unpack(packed) {
    var fields = packed.fields, terms = packed.terms, postings = packed.postings;
    var vectors = Object.create(null), invertedIndex = new Array(terms.length);
    var noMetadata = Object.freeze({});
    for (var t = 0; t < terms.length; t++) {
      var posting = { _index: t };
      for (var f = 0; f < fields.length; f++) {
        var numbers = postings[t][f], refs = {}, ref = -1;
        for (var i = 0; i < numbers.length; i += 2) {
          ref += numbers[i];
          refs[ref] = noMetadata;
          var key = fields[f] + "/" + ref;
          (vectors[key] || (vectors[key] = [])).push(t, numbers[i + 1] / 1000);
        }
        posting[fields[f]] = refs;
      }
      invertedIndex[t] = [terms[t], posting];
    }
    return {
      version: packed.version,
      fields: fields,
      fieldVectors: Object.keys(vectors).map(function (key) { return [key, vectors[key]]; }),
      invertedIndex: invertedIndex,
      pipeline: packed.pipeline
    };
  }

  function loadShard(data) {
    var text = new Map();
    if (data.refs) data.refs.forEach(function (ref, i) { text.set(String(ref), data.text[i]); });
    return { index: lunr.Index.load(unpack(data.index)), text: text };
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  // -- searching -------------------------------------------------------------

  /* What was typed, as words the index can hold: folded, stop words and
   * repeats dropped, at most MAX_WORDS. */
  function parseQuery(input, live) {
    var words = [], seen = new Set(), all = fold(input).split(" ");
    all.forEach(function (word) {
      if (word && !seen.has(word) && !isStopWord(word)) { seen.add(word); words.push(word); }
    });
    return {
      text: input.trim(),
      words: words.slice(0, MAX_WORDS),
      cut: words.length > MAX_WORDS,
      typing: !/\s$/.test(input),  // the last word may be unfinished
      live: live                      // typed just now, not submitted or shared
    };
  }

  /* The words of an index that start with a prefix, shortest first, at
   * most COMPLETIONS. lunr's own wildcard would expand "10" to every charity
   * number, and lunr's scoring slows with every term a query holds. */
  function completions(index, prefix) {
    var node = index.tokenSet;
    for (var i = 0; i < prefix.length && node; i++) node = node.edges[prefix.charAt(i)];
    var found = [], level = node ? [[prefix, node]] : [];
    while (level.length && found.length < COMPLETIONS) {
      var next = [];
      for (var j = 0; j < level.length && found.length < COMPLETIONS; j++) {
        var term = level[j][0], at = level[j][1];
        if (at.final) found.push(term);
        Object.keys(at.edges).sort().forEach(function (character) {
          next.push([term + character, at.edges[character]]);
        });
      }
      level = next;
    }
    return found;
  }

  /* ref -> match for one word over every loaded shard. A match is lunr's
   * result ({ref, score, matchData}), or {score, parts} when several shards
   * found the same page. */
  function matchWord(shards, word, options) {
    var found = new Map();
    shards.forEach(function (shard) {
      shard.index.query(function (q) {
        if (options.fuzzy) {
          var distance = word.length >= 8 ? 2 : 1;
          q.term(word, { usePipeline: false, editDistance: distance });
          q.term(stem(word), { usePipeline: false, editDistance: distance });
          return;
        }
        q.term(word, { boost: 10 });  // stemmed by the index's pipeline, as lunr indexed it
        if (options.prefix && word.length >= 2) {
          completions(shard.index, word).forEach(function (term) { q.term(term, { usePipeline: false, boost: 2 }); });
        }
        (options.shorter || []).forEach(function (term) { q.term(term, { usePipeline: false, boost: 4 }); });
      }).forEach(function (result) {
        var match = found.get(result.ref);
        found.set(result.ref, match ? { score: match.score + result.score, parts: [match, result] } : result);
      });
    });
    return found;
  }

  /* A half-typed word ("communi") can be longer than the stem lunr indexed
   * ("commun"), so neither it nor its completions match: try it shortened. */
  function shorterForms(shards, word) {
    var forms = [];
    for (var length = word.length - 1; length >= Math.max(4, word.length - 4); length--) {
      var candidate = word.slice(0, length);
      if (shards.some(function (shard) { return candidate in shard.index.invertedIndex; })) forms.push(candidate);
    }
    return forms;
  }

  /* Results for a parsed query: pages with every word that the index holds
   * first; if none has them all, pages with the most of them; if no word is
   * found at all, pages with similar words. */
  function runQuery(shards, query, cache) {
    var outcome = { results: [], missing: [], partial: false, fuzzy: false };
    if (!query.words.length) return outcome;
    var lastWord = query.words.length - 1;
    var perWord = query.words.map(function (word, i) {
      var last = i === lastWord && query.typing;
      return cache.get(shards.length + (last ? " prefix " : " word ") + word, function () {
        var found = matchWord(shards, word, { prefix: last });
        if (!found.size && last) found = matchWord(shards, word, { shorter: shorterForms(shards, word) });
        return found;
      });
    });
    if (perWord.every(function (found) { return !found.size; })) {
      perWord = query.words.map(function (word) {
        var slip = word.length >= FUZZY_LENGTHS[0] && word.length <= FUZZY_LENGTHS[1];
        return slip ? matchWord(shards, word, { fuzzy: true }) : new Map();
      });
      outcome.fuzzy = perWord.some(function (found) { return found.size; });
      if (!outcome.fuzzy) return outcome;
    }
    var present = [];
    perWord.forEach(function (found, i) {
      if (found.size) present.push(found);
      // A word still being typed is not "missing" yet.
      else if (!outcome.fuzzy && !(query.live && i === lastWord)) outcome.missing.push(query.words[i]);
    });
    var results = outcome.fuzzy ? union(present) : intersection(present);
    if (!results.length) {
      outcome.partial = true;
      results = union(present);
    }
    results.sort(function (a, b) { return b.words - a.words || b.score - a.score || a.ref - b.ref; });
    outcome.results = results;
    return outcome;
  }

  /* Pages every word found, walking the smallest set of matches. */
  function intersection(perWord) {
    var sets = perWord.slice().sort(function (a, b) { return a.size - b.size; }), results = [];
    sets[0].forEach(function (match, ref) {
      var score = match.score, parts = [match];
      for (var i = 1; i < sets.length; i++) {
        var other = sets[i].get(ref);
        if (!other) return;
        score += other.score;
        parts.push(other);
      }
      results.push({ ref: ref, score: score, words: sets.length, parts: parts });
    });
    return results;
  }

  /* Pages any word found, with how many of the words each has. */
  function union(perWord) {
    var combined = new Map();
    perWord.forEach(function (found) {
      found.forEach(function (match, ref) {
        var result = combined.get(ref);
        if (!result) combined.set(ref, result = { ref: ref, score: 0, words: 0, parts: [] });
        result.score += match.score;
        result.words += 1;
        result.parts.push(match);
      });
    });
    return Array.from(combined.values());
  }

  /* Each word's matches, kept from one keystroke to the next: typing the
   * second word of "youth services" need not search for "youth" again.
   * Holds only what the latest query used. */
  function WordCache() {
    this.kept = new Map();
    this.used = new Map();
  }

  WordCache.prototype.get = function (key, find) {
    var found = this.used.get(key) || this.kept.get(key) || find();
    this.used.set(key, found);
    return found;
  };

  WordCache.prototype.done = function () {
    this.kept = this.used;
    this.used = new Map();
  };

  /* The index terms a result matched, for highlighting (only results
   * that are shown need them). */
  function matchedTerms(result) {
    if (!result.terms) {
      var terms = new Set();
      (function collect(match) {
        if (match.parts) match.parts.forEach(collect);
        else Object.keys(match.matchData.metadata).forEach(function (term) { terms.add(term); });
      })(result);
      result.terms = terms;
    }
    return result.terms;
  }

  // -- showing results ---------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function isMatch(word, terms) {
    var folded = fold(word);
    if (!folded || folded.indexOf(" ") >= 0) return false;
    return terms.has(folded) || terms.has(stem(folded));
  }

  /* Text as nodes, with the words that matched in <mark>. */
  function highlight(text, terms) {
    var fragment = document.createDocumentFragment(), last = 0, match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      if (!isMatch(match[0], terms)) continue;
      if (match.index > last) fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      fragment.appendChild(element("mark", "app-search-result__match", match[0]));
      last = match.index + match[0].length;
    }
    if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function hasMatch(text, terms) {
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      if (isMatch(match[0], terms)) { WORD.lastIndex = 0; return true; }
    }
    return false;
  }

  /* A few sentences of the page's text around its first matched word. */
  function excerpt(text, terms) {
    var lines = text.split("\n").map(function (line) { return /[.!?:;…]$/.test(line) ? line : line + "."; });
    var flat = lines.join(" "), words = [], match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(flat)) !== null) {
      words.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
    }
    var first = words.findIndex(function (word) { return isMatch(word.text, terms); });
    if (first < 0) return null;
    var from = Math.max(0, first - SNIPPET_WORDS_BEFORE), to = Math.min(words.length - 1, first + SNIPPET_WORDS_AFTER);
    var piece = flat.slice(words[from].start, words[to].end);
    return (from > 0 ? "… " : "") + piece + (to < words.length - 1 ? " …" : "");
  }

  function snippet(summary, body, terms) {
    if (hasMatch(summary, terms) || !body) return summary;
    return excerpt(body, terms) || summary;
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  /* What was typed, cut short enough to show or say (a paste can be long). */
  function shortened(text) {
    return text.length > 80 ? text.slice(0, 80) + "…" : text;
  }

  function listInWords(items) {
    if (items.length < 2) return items.join("");
    return items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }

  // -- the component -------------------------------------------------------------

  function Search(container) {
    this.container = container;
    this.form = container.querySelector("form");
    this.input = container.querySelector("input[type=search]");
    this.status = container.querySelector("[role=status]");
    this.results = container.querySelector(".app-search__results");
    this.fallback = container.querySelector(".app-search__no-js");
    this.emptyMessage = container.querySelector(".app-search__empty-message");
    this.header = document.getElementById("app-header-q");
    this.header = this.header && this.header.form && !container.contains(this.header) ? this.header : null;
    this.focusOnAnswer = false; // move focus to the summary once the next answer is drawn
    this.siteUrl = container.getAttribute("data-site-url") || "";
    this.indexUrl = container.getAttribute("data-index-url");
    this.shards = [];        // loaded: {index, text}
    this.cache = new WordCache();
    this.pending = [];       // full-text shards not loaded yet: {url, prefetch, state}
    this.query = null;
    this.outcome = null;
    this.type = null;        // the type filter, or null for all
    this.shown = RESULTS_PER_PAGE;
    this.announceTimer = null;
    this.frame = null;
  }

  Search.prototype.start = function () {
    var self = this;
    this.fallback.querySelector(".app-search__no-js-message").hidden = true;
    this.results.hidden = false;
    var params = new URLSearchParams(window.location.search);
    this.input.value = params.get("q") || "";
    this.type = params.get("type");
    // Opened by a search (the header's box on another page, or a shared
    // link): the answer is where the user is put.
    this.focusOnAnswer = this.input.value.trim() !== "";
    this.showWaysIn(!this.focusOnAnswer);
    if (this.focusOnAnswer) this.showMessage("Loading search…");
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submitted();
    });
    this.input.addEventListener("input", function () { self.mirror(self.input); self.schedule(); });
    if (this.header) {
      this.header.value = this.input.value;
      this.header.form.addEventListener("submit", function (event) {
        event.preventDefault();
        self.mirror(self.header);
        self.submitted();
      });
      this.header.addEventListener("input", function () { self.mirror(self.header); self.schedule(); });
    }

    performance.mark("app-search:fetch-start");
    fetchJson(this.indexUrl).then(function (data) {
      if (data.format !== FORMAT) throw new Error("index format " + data.format + ", expected " + FORMAT);
      performance.mark("app-search:load-start");
      self.data = data;
      self.shards.push(loadShard(data));
      performance.measure("app-search:load-index", "app-search:load-start");
      performance.measure("app-search:fetch-and-load-index", "app-search:fetch-start");
      self.pending = data.shards.map(function (shard) {
        return { url: new URL(shard.url, new URL(self.indexUrl, window.location.href)).href,
                 prefetch: shard.prefetch, state: "waiting", needed: false };
      });
      self.update(true, true);
      window.setTimeout(function () { self.prefetch(); }, 0);
    }).catch(function (error) {
      self.failed(error);
    });
  };

  /* The two boxes always show the same query: the one typed in keeps it
   * and the other follows. */
  Search.prototype.mirror = function (from) {
    var other = from === this.input ? this.header : this.input;
    if (other && other.value !== from.value) other.value = from.value;
  };

  /* A box submitted: answer now and put the user on the answer. */
  Search.prototype.submitted = function () {
    this.focusOnAnswer = true;
    if (this.data) {
      this.update(true);
    } else if (!this.input.value.trim()) {
      this.showWaysIn(true);
      this.moveFocus();
    }
  };

  /* With nothing typed: what can be searched, and the browse pages. */
  Search.prototype.showWaysIn = function (shown) {
    this.fallback.hidden = !shown;
    this.emptyMessage.hidden = !shown;
  };

  Search.prototype.moveFocus = function () {
    if (!this.focusOnAnswer) return;
    var summary = this.fallback.hidden ? this.results.querySelector(".app-search__count") : this.emptyMessage;
    if (!summary) return; // still loading: the answer, when drawn, takes focus
    this.focusOnAnswer = false;
    summary.focus();
  };

  /* Answer on the next frame, so fast typing costs one search a frame. */
  Search.prototype.schedule = function () {
    var self = this;
    if (this.frame !== null) return;
    this.frame = window.requestAnimationFrame(function () {
      self.frame = null;
      self.update(false);
    });
  };

  Search.prototype.update = function (announceNow, keepType) {
    if (!this.data) return;
    performance.clearMarks("app-search:answer-start");
    performance.mark("app-search:answer-start");
    var query = parseQuery(this.input.value, !announceNow);
    if (!keepType && (!this.query || this.query.text !== query.text)) this.type = null;
    this.query = query;
    this.shown = RESULTS_PER_PAGE;
    try {
      this.outcome = runQuery(this.shards, query, this.cache);
      this.cache.done();
    } catch (error) {
      // lunr should never throw on what we give it; if it does, say so
      // plainly rather than leave the page broken.
      window.console.error(error);
      this.outcome = { results: [], missing: [], partial: false, fuzzy: false, error: true };
    }
    var focused = this.focusedResult();
    this.render();
    this.restoreFocus(focused);
    this.moveFocus();
    if (announceNow) this.remember();
    // Timings for tools/bench_search.py: the latest answer, and the first.
    performance.clearMeasures("app-search:answer");
    var answer = performance.measure("app-search:answer", "app-search:answer-start");
    if (!this.answered) {
      this.answered = true;
      performance.measure("app-search:first-answer", { start: answer.startTime, duration: answer.duration });
    }
    this.announce(announceNow);
  };

  /* Few results: the full-text shards may find more. Asked once typing
   * pauses (see announce), so a half-typed word fetches nothing. */
  Search.prototype.needsFullText = function () {
    return this.query.words.length > 0 && this.outcome.results.length < this.data.fullTextBelow &&
      this.query.words.some(function (word) { return word.length >= 3; });
  };

  /* A shard that arrives while someone is tabbing through the results
   * re-renders them: keep focus on the same page's link. */
  Search.prototype.focusedResult = function () {
    var active = document.activeElement;
    if (!active || !this.results.contains(active)) return null;
    if (active.classList.contains("app-search__count")) return "summary";
    return active.tagName === "A" ? active.href : null;
  };

  Search.prototype.restoreFocus = function (href) {
    if (!href) return;
    if (href === "summary") {
      var summary = this.results.querySelector(".app-search__count");
      if (summary) summary.focus();
      return;
    }
    var links = this.results.querySelectorAll("a");
    for (var i = 0; i < links.length; i++) {
      if (links[i].href === href) { links[i].focus(); return; }
    }
  };

  Search.prototype.remember = function () {
    var url = new URL(window.location.href);
    if (this.query.text) url.searchParams.set("q", this.query.text); else url.searchParams.delete("q");
    if (this.type) url.searchParams.set("type", this.type); else url.searchParams.delete("type");
    if (url.href !== window.location.href) window.history.replaceState(null, "", url.href);
  };

  /* Shards small enough to prefetch come after the first answer, so search
   * keeps working offline; the others only when a query needs them. */
  Search.prototype.prefetch = function () {
    var self = this;
    this.pending.forEach(function (shard) {
      if (shard.prefetch) self.fetchShard(shard);
    });
  };

  Search.prototype.loadFullText = function () {
    var self = this;
    this.pending.forEach(function (shard) {
      if (shard.state === "waiting" || (shard.state === "failed" && navigator.onLine)) self.fetchShard(shard, true);
    });
  };

  Search.prototype.fetchShard = function (shard, needed) {
    var self = this;
    if (needed) shard.needed = true;
    if (shard.state === "loading" || shard.state === "loaded") return;
    shard.state = "loading";
    if (needed) this.renderNotes();
    var started = performance.now();
    fetchJson(shard.url).then(function (data) {
      if (data.format !== FORMAT) throw new Error("shard format " + data.format);
      self.shards.push(loadShard(data));
      shard.state = "loaded";
      performance.measure("app-search:load-shard " + shard.url, { start: started });
      self.update(true, true);
    }).catch(function (error) {
      shard.state = "failed";
      window.console.warn("Full-text search is not available: " + error.message);
      self.renderNotes();
    });
  };

  Search.prototype.failed = function (error) {
    window.console.warn("Search could not load: " + error.message);
    this.results.textContent = "";
    this.results.appendChild(element("p", "app-search__message",
      "Sorry, search could not load. Check your connection and reload the page, " +
      "or find what you need through these lists:"));
    this.fallback.hidden = false;
    this.emptyMessage.hidden = true;
    this.say("Search could not load.");
  };

  Search.prototype.showMessage = function (text) {
    this.results.textContent = "";
    this.results.appendChild(element("p", "app-search__message", text));
  };

  // -- rendering ---------------------------------------------------------------------

  Search.prototype.visible = function () {
    var type = this.type;
    var results = this.outcome.results;
    if (type === null) return results;
    var docs = this.data.docs, types = this.data.types;
    return results.filter(function (result) { return types[docs[result.ref][DOCUMENT.type]][0] === type; });
  };

  /* [type number, results of that type, whether one of them is a named
     organisation], in type order. */
  Search.prototype.counts = function () {
    var docs = this.data.docs, counts = new Map();
    this.outcome.results.forEach(function (result) {
      var doc = docs[result.ref], type = doc[DOCUMENT.type], entry = counts.get(type) || [type, 0, false];
      entry[1] += 1;
      entry[2] = entry[2] || doc[DOCUMENT.named] === 1;
      counts.set(type, entry);
    });
    return Array.from(counts.values()).sort(function (a, b) { return a[0] - b[0]; });
  };

  /* A type's words for a count, [one, many]: "organisations" when the
     results counted include a directory entry that is not a member. */
  Search.prototype.countWords = function (typeNumber, named) {
    var type = this.data.types[typeNumber];
    return named ? NAMED_WORDS : [type[1].toLowerCase(), type[2]];
  };

  Search.prototype.render = function () {
    var query = this.query, outcome = this.outcome;
    this.results.textContent = "";
    this.notes = null;
    this.showWaysIn(!query.text);
    if (!query.text) return;
    if (outcome.error) {
      this.results.appendChild(element("p", "app-search__message",
        "Sorry, something went wrong with that search. Try different words."));
      return;
    }
    if (!outcome.results.length) {
      this.renderNoResults();
      return;
    }
    var summary = element("p", "app-search__count");
    summary.tabIndex = -1;
    summary.appendChild(document.createTextNode(plural(outcome.results.length, "result", "results") + " for "));
    summary.appendChild(element("strong", null, shortened(query.text)));
    this.results.appendChild(summary);
    this.notes = element("div", "app-search__notes");
    this.results.appendChild(this.notes);
    this.renderNotes();
    this.renderTypes();
    this.list = element("ol", "app-search__list");
    this.results.appendChild(this.list);
    this.more = null;
    this.renderMore(false);
  };

  Search.prototype.renderNotes = function () {
    if (!this.notes) return;
    var query = this.query, outcome = this.outcome, notes = [];
    if (outcome.fuzzy) notes.push("Nothing matched your words exactly. These pages have similar words.");
    if (outcome.partial) notes.push("No page has all of your words. These pages have some of them.");
    if (outcome.missing.length) notes.push("Not found anywhere: " + outcome.missing.join(", ") + ".");
    if (query.cut) notes.push("Only the first " + MAX_WORDS + " words were searched.");
    if (this.pending.some(function (shard) { return shard.state === "loading" && shard.needed; })) {
      notes.push("Searching the full text of every page…");
    } else if (this.needsFullText() && this.pending.some(function (shard) { return shard.state === "failed"; })) {
      notes.push("The full text of some pages could not be searched, perhaps because you are offline. " +
                 "These results come from titles, summaries and keywords.");
    }
    this.notes.textContent = "";
    var self = this;
    notes.forEach(function (text) { self.notes.appendChild(element("p", "app-search__note", text)); });
  };

  Search.prototype.renderTypes = function () {
    var self = this, counts = this.counts(), types = this.data.types;
    if (counts.length < 2) { this.type = null; return; }
    var typeShown = counts.some(function (entry) { return types[entry[0]][0] === self.type; });
    if (!typeShown) this.type = null;
    var group = element("div", "app-search__types");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Show results of one kind");
    var choices = [[null, "All", this.outcome.results.length]].concat(counts.map(function (entry) {
      var many = self.countWords(entry[0], entry[2])[1];
      return [types[entry[0]][0], many.charAt(0).toUpperCase() + many.slice(1), entry[1]];
    }));
    choices.forEach(function (choice) {
      var button = element("button", "app-search__type");
      button.type = "button";
      button.setAttribute("aria-pressed", String(self.type === choice[0]));
      button.appendChild(document.createTextNode(choice[1] + " "));
      button.appendChild(element("span", "app-search__type-count", "(" + choice[2] + ")"));
      button.addEventListener("click", function () {
        self.type = choice[0];
        self.shown = RESULTS_PER_PAGE;
        group.querySelectorAll("button").forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        self.list.textContent = "";
        self.renderMore(false);
        self.remember();
        self.announce(true);
      });
      group.appendChild(button);
    });
    this.results.appendChild(group);
  };

  /* Add the next page of results; with focus, move focus to the first new one. */
  Search.prototype.renderMore = function (focus) {
    var self = this, visible = this.visible();
    var from = this.list.children.length, to = Math.min(visible.length, this.shown);
    var firstLink = null;
    for (var i = from; i < to; i++) {
      var item = this.renderResult(visible[i]);
      this.list.appendChild(item);
      if (firstLink === null) firstLink = item.querySelector("a");
    }
    if (this.more) { this.more.remove(); this.more = null; }
    if (to < visible.length) {
      this.more = element("button", "app-button app-button--secondary app-search__more",
        "Show " + Math.min(RESULTS_PER_PAGE, visible.length - to) + " more results");
      this.more.type = "button";
      this.more.addEventListener("click", function () {
        self.shown += RESULTS_PER_PAGE;
        self.renderMore(true);
      });
      this.results.appendChild(this.more);
    }
    if (focus && firstLink) firstLink.focus();
  };

  Search.prototype.documentUrl = function (doc) {
    var type = this.data.types[doc[DOCUMENT.type]], slug = doc[DOCUMENT.slug];
    if (slug === "") slug = slugFromTitle(doc[DOCUMENT.title]);
    return this.siteUrl + "/" + type[3] + slug + type[4];
  };

  Search.prototype.bodyText = function (ref) {
    for (var i = 0; i < this.shards.length; i++) {
      if (this.shards[i].text.has(ref)) return this.shards[i].text.get(ref);
    }
    return "";
  };

  Search.prototype.renderResult = function (result) {
    var doc = this.data.docs[result.ref], type = this.data.types[doc[DOCUMENT.type]];
    var item = element("li", "app-search-result app-search-result--" + type[0].replace(/_/g, "-"));
    var title = element("h2", "app-search-result__title");
    var link = element("a", "app-search-result__link");
    link.href = this.documentUrl(doc);
    var terms = matchedTerms(result);
    link.appendChild(highlight(doc[DOCUMENT.title], terms));
    title.appendChild(link);
    // As on the directory's, tenders' and events' cards: beside the link, in
    // the heading, so the link's name stays the page's title.
    if (doc[DOCUMENT.example] === 1) {
      title.appendChild(document.createTextNode(" "));
      title.appendChild(element("span", "app-label", "Example"));
    }
    item.appendChild(title);
    item.appendChild(element("p", "app-search-result__type", doc[DOCUMENT.named] === 1 ? NAMED_LABEL : type[1]));
    var text = snippet(doc[DOCUMENT.summary], this.bodyText(result.ref), terms);
    if (text) {
      var paragraph = element("p", "app-search-result__snippet");
      paragraph.appendChild(highlight(text, terms));
      item.appendChild(paragraph);
    }
    return item;
  };

  Search.prototype.renderNoResults = function () {
    var query = this.query, box = element("div", "app-search__none");
    var heading = element("p", "app-search__count");
    heading.tabIndex = -1;
    if (query.words.length) {
      heading.appendChild(document.createTextNode("No results for "));
      heading.appendChild(element("strong", null, shortened(query.text)));
    } else {
      heading.textContent = "There is nothing to search for in what you typed: try a word or a number.";
    }
    box.appendChild(heading);
    box.appendChild(element("p", null, "You could:"));
    var tips = element("ul", "app-list");
    ["check the spelling, or try a shorter or different word",
     "search for a service, such as ‘youth’ or ‘housing’, or a place, such as ‘Leeds’",
     "search for a member’s name or charity number"].forEach(function (tip) {
      tips.appendChild(element("li", null, tip));
    });
    box.appendChild(tips);
    box.appendChild(element("p", null, "Or browse:"));
    var links = this.fallback.querySelector("ul").cloneNode(true);
    box.appendChild(links);
    this.results.appendChild(box);
    this.notes = element("div", "app-search__notes");
    box.insertBefore(this.notes, box.children[1]);
    this.renderNotes();
  };

  // -- announcing --------------------------------------------------------------------

  Search.prototype.describe = function () {
    var query = this.query, outcome = this.outcome, types = this.data.types;
    if (!query.text) return "";
    if (outcome.error) return "Something went wrong with that search.";
    if (!outcome.results.length) {
      return query.words.length ? "No results for " + shortened(query.text) + "." : "Nothing to search for.";
    }
    var total = outcome.results.length;
    var self = this, docs = this.data.docs;
    if (this.type !== null) {
      var typeNumber = types.findIndex(function (entry) { return entry[0] === self.type; });
      var visible = this.visible();
      var words = this.countWords(typeNumber, visible.some(function (result) {
        return docs[result.ref][DOCUMENT.named] === 1;
      }));
      return plural(visible.length, words[0], words[1]) + " shown, of " + plural(total, "result", "results") + ".";
    }
    var parts = this.counts().map(function (entry) {
      var words = self.countWords(entry[0], entry[2]);
      return plural(entry[1], words[0], words[1]);
    });
    var kinds = parts.length > 1 ? ": " + listInWords(parts) : "";
    return plural(total, "result", "results") + " for " + shortened(query.text) + kinds + ".";
  };

  Search.prototype.announce = function (now) {
    var self = this;
    window.clearTimeout(this.announceTimer);
    this.announceTimer = window.setTimeout(function () {
      var text = self.describe();
      if (text !== self.status.textContent) self.say(text);
      self.remember();
      if (self.needsFullText()) self.loadFullText();
    }, now ? 50 : ANNOUNCE_AFTER_MS);
  };

  Search.prototype.say = function (text) {
    this.status.textContent = text;
  };

  // -- start -------------------------------------------------------------------------

  function start() {
    var container = document.querySelector('[data-module="app-search"]');
    if (!container || !window.lunr || !window.fetch || !window.URLSearchParams) return;
    new Search(container).start();
  }

  if (typeof module === "object" && module.exports) {
    // Node.js: tests/test_search_folding.py and tests/test_search_store.py
    // compare these with the Python ones.
    module.exports = { fold: fold, slugFromTitle: slugFromTitle, DOCUMENT: DOCUMENT };
    return;
  }
  start();
})();
