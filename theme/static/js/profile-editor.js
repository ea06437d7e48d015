/* The profile editor (/contribute/profile/): a form made at build time from
 * the member schema, checked as the member types with the same rules and
 * messages as make check, that writes the complete profile file and offers
 * three ways to send it. See plugins/contribute/README.md.
 *
 * It reads from the page: the JSON block #app-profile-editor-config (the
 * fields, the file layout, the validator's messages, where to send), and
 * window.appMemberSchema (ajv's standalone check of the member schema,
 * made at build time: nothing here is compiled in the browser). An existing
 * profile comes from its own page, /members/<slug>/, in #app-profile-data.
 */
(function () {
  "use strict";

  var root = document.querySelector('[data-module="app-profile-editor"]');
  var configElement = document.getElementById("app-profile-editor-config");
  if (!root || !configElement || typeof window.appMemberSchema !== "function" || !window.URLSearchParams) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var layout = {}; /* each field of the file, by name; config.layout.fields is in the file's order */
  config.layout.fields.forEach(function (field) { layout[field.name] = field; });
  var messages = config.messages;
  var form = root.querySelector("[data-editor-form]");
  var summary = root.querySelector("[data-error-summary]");
  var result = root.querySelector("[data-result]");
  var fileElement = root.querySelector("[data-profile-file]");
  var BODY_LABEL = document.querySelector('label[for="field-body"]').textContent;
  var fieldsByName = {};
  config.fields.forEach(function (field) { fieldsByName[field.name] = field; });

  /* GitHub answers "414 URI Too Long" above about 8 KB. */
  var URL_LIMIT = 8000;
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  /* The validator's text rules (plugins/validation/fields.py), as it writes them. */
  /* A plain address, as plugins/validation/fields.py's EMAIL: no '%', '?', '&'
     or other characters a mailto: link would read as encoding or parameters. */
  var EMAIL = /^[A-Za-z0-9._+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
  var MAILTO_SPECIAL = "%?&#=/!$*^`{|}~";
  var MARKUP = /<\s*\/?\s*[A-Za-z!?]/;
  var HIDDEN = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  var LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029";
  var BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";
  var PLAIN_WEB_ADDRESS = /^[hH][tT][tT][pP][sS]?:\/\/[A-Za-z0-9.:%_~!$&'()*+,;=-]+([/?#][^\s<>"@]*)?$/;
  /* How a scalar may be written bare (plugins/contribute/profile_file.py). */
  var BARE = {
    id: /^[a-z0-9]+(-[a-z0-9]+)*$/,
    date: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/,
    "github-name": /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
    boolean: /^(true|false)$/
  };

  var params = new URLSearchParams(window.location.search);
  var memberSlug = params.get("member") || "";
  var tenderSlug = params.get("tender") || "";
  var published = null; /* {slug, meta, body} of an existing profile */
  var checkboxOrder = {}; /* each list of checkboxes in the order the profile wrote it */
  var submitted = false;
  var touched = {};
  var lastFile = "";

  /* -- today, in the UK --------------------------------------------------- */

  function ukToday() {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit"})
      .formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  /* -- the file: the canonical layout ------------------------------------- */

  function scalar(value, kind) {
    var bare = BARE[kind];
    return bare && bare.test(value) ? value : JSON.stringify(value);
  }

  function writeProfile(meta, body) {
    var lines = ["---"];
    config.layout.fields.forEach(function (field) {
      var name = field.name;
      if (!Object.prototype.hasOwnProperty.call(meta, name)) { return; }
      var value = meta[name];
      if (!field.list) {
        lines.push(name + ": " + scalar(value, field.kind));
        return;
      }
      lines.push(name + ":");
      value.forEach(function (item) {
        if (item !== null && typeof item === "object") {
          var prefix = "  - ";
          field.item_fields.forEach(function (pair) {
            if (Object.prototype.hasOwnProperty.call(item, pair[0])) {
              lines.push(prefix + pair[0] + ": " + scalar(item[pair[0]], pair[1]));
              prefix = "    ";
            }
          });
        } else {
          lines.push("  - " + scalar(item, field.kind));
        }
      });
    });
    lines.push("---");
    var text = lines.join("\n") + "\n";
    var trimmed = body.replace(/^\n+|\n+$/g, "");
    return text + (trimmed ? trimmed + "\n" : "");
  }

  /* -- the form's values ---------------------------------------------------- */

  function control(name) {
    return document.getElementById("field-" + name);
  }

  function boxes(name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]'));
  }

  function listInputs(name) {
    return Array.prototype.slice.call(form.querySelectorAll('[data-list="' + name + '"] input'));
  }

  function addItem(name, value, focus) {
    var list = form.querySelector('[data-list="' + name + '"]');
    var item = document.createElement("li");
    item.className = "app-list-editor__item";
    var label = document.createElement("label");
    var input = document.createElement("input");
    var remove = document.createElement("button");
    input.className = "app-input app-form-group__text";
    input.type = "text";
    input.spellcheck = layout[name].kind === "text"; /* not for user names */
    input.value = value || "";
    remove.type = "button";
    remove.className = "app-button app-button--secondary app-button--small";
    item.appendChild(label);
    item.appendChild(input);
    item.appendChild(remove);
    list.appendChild(item);
    renumber(name);
    remove.addEventListener("click", function () {
      var inputs = listInputs(name);
      var index = inputs.indexOf(input);
      item.parentNode.removeChild(item);
      renumber(name);
      var left = listInputs(name);
      (left[Math.min(index, left.length - 1)] || form.querySelector('[data-add="' + name + '"]')).focus();
      touched[name] = true;
      refresh();
    });
    if (focus) { input.focus(); }
  }

  function renumber(name) {
    var list = form.querySelector('[data-list="' + name + '"]');
    var itemLabel = list.getAttribute("data-item-label");
    Array.prototype.forEach.call(list.children, function (item, index) {
      var id = "field-" + name + (index ? "-" + (index + 1) : "");
      var label = item.querySelector("label");
      var input = item.querySelector("input");
      var remove = item.querySelector("button");
      label.setAttribute("for", id);
      label.className = "app-label-text";
      label.textContent = itemLabel + " " + (index + 1);
      input.id = id;
      input.setAttribute("aria-describedby", "field-" + name + "-error");
      remove.textContent = "Remove";
      var hidden = document.createElement("span");
      hidden.className = "app-visually-hidden";
      hidden.textContent = " " + list.getAttribute("data-item-noun") + " " + (index + 1);
      remove.appendChild(hidden);
    });
  }

  function fill(meta, body) {
    config.fields.forEach(function (field) {
      var value = meta[field.name];
      if (field.control === "checkboxes") {
        var chosen = value || [];
        checkboxOrder[field.name] = chosen.slice();
        boxes(field.name).forEach(function (box) { box.checked = chosen.indexOf(box.value) !== -1; });
      } else if (field.control === "yes-no") {
        var text = value === undefined ? "" : String(value).toLowerCase();
        boxes(field.name).forEach(function (radio) { radio.checked = radio.value === text; });
      } else if (field.control === "list") {
        form.querySelector('[data-list="' + field.name + '"]').textContent = "";
        (value || []).forEach(function (item) { addItem(field.name, item); });
      } else {
        control(field.name).value = value === undefined ? "" : value;
      }
    });
    control("body").value = body || "";
  }

  /* The front matter the form holds, every scalar as text (as the
     frontmatter plugin reads a file), with the fields the form does not
     show kept from the published profile. */
  function readMeta() {
    var meta = {};
    if (published) {
      Object.keys(published.meta).forEach(function (name) {
        if (!fieldsByName[name]) { meta[name] = published.meta[name]; }
      });
    }
    config.fields.forEach(function (field) {
      var name = field.name;
      if (field.control === "checkboxes") {
        var checked = boxes(name).filter(function (box) { return box.checked; })
          .map(function (box) { return box.value; });
        var before = (checkboxOrder[name] || []).filter(function (id) { return checked.indexOf(id) !== -1; });
        var chosen = before.concat(checked.filter(function (id) { return before.indexOf(id) === -1; }));
        if (chosen.length) { meta[name] = chosen; }
      } else if (field.control === "yes-no") {
        var radio = boxes(name).filter(function (box) { return box.checked; })[0];
        if (radio && radio.value) { meta[name] = radio.value; }
      } else if (field.control === "list") {
        var items = listInputs(name).map(function (input) { return input.value.trim(); })
          .filter(function (value) { return value !== ""; });
        if (items.length) { meta[name] = items; }
      } else {
        var value = control(name).value.trim();
        if (value !== "") { meta[name] = value; }
      }
    });
    return meta;
  }

  function readBody() {
    return control("body").value.replace(/\r\n?/g, "\n");
  }

  /* -- checking, with make check's messages -------------------------------- */

  function say(entry, value, extra) {
    var text = entry.message;
    Object.keys(extra || {}).forEach(function (key) { text = text.split("{" + key + "}").join(extra[key]); });
    var shown = value !== undefined && codePoints(value) < 60 ? "'" + value + "'" : "the text";
    text = text.split("{shown}").join(shown).split("{value}").join(value === undefined ? "" : value);
    return entry.hint ? text + "; " + entry.hint : text;
  }

  function codePoints(text) {
    return Array.from(text).length;
  }

  /* null, or which of the validator's web address rules the value breaks
     (plugins/validation/fields.py: _check_web_address), with the host a
     user name before '@' sends it to. */
  function webAddressProblem(value) {
    if (PLAIN_WEB_ADDRESS.test(value)) { return null; }
    var parts = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(value);
    var scheme = parts ? parts[1].toLowerCase() : "";
    if (!parts || (scheme !== "http" && scheme !== "https") || !parts[2] || /[ <>"]/.test(value)) {
      return {rule: "web"};
    }
    if (parts[2].indexOf("@") !== -1) {
      return {rule: "web_user", host: Array.from(parts[2].slice(parts[2].lastIndexOf("@") + 1)).slice(0, 80).join("")};
    }
    return null;
  }

  function emailProblem(value) {
    if (EMAIL.test(value)) { return null; }
    var unsafe = value.indexOf("@") === -1 ? undefined
      : Array.from(value).find(function (c) { return MAILTO_SPECIAL.indexOf(c) !== -1; });
    return unsafe ? {rule: "email_plain", character: unsafe} : {rule: "email"};
  }

  /* The validator's rules for the text below the front matter
     (plugins/validation/body.py): images, raw HTML, links that run script,
     paragraphs too long to render. Fenced code and code spans are skipped. */
  var FENCE = /^\s{0,3}(`{3,}|~{3,})/;
  var CODE_SPAN = /(`+)(?:(?!\1).)+?\1/g;
  var RAW_HTML = /<(!--|\/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$))/;
  var INLINE_TARGET = /\]\(\s*<?\s*((?:[^()\s>]|\([^()\s]*\))*)/g;
  var REFERENCE_TARGET = /^\s{0,3}\[[^\]]+\]:\s*<?\s*(\S+?)>?(\s|$)/;
  var AUTOLINK = /<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>/g;
  var TARGET_ON_NEXT_LINE = /(\]\(\s*<?|^\s{0,3}\[[^\]]+\]:)\s*$/;
  var FIRST_WORD = /^\s*<?\s*((?:[^()\s>]|\([^()\s]*\))+)/;
  var SCHEME = /^([A-Za-z][A-Za-z0-9+.\-]*)\s*(:|&#0*58;|&colon;|%3a)/i;
  var ALLOWED_SCHEMES = ["http", "https", "mailto", "tel"];
  var MAX_PARAGRAPH = 5000;
  var decoder = document.createElement("textarea");

  function asBrowserReads(target) {
    decoder.innerHTML = target.replace(/</g, "&lt;");
    return decoder.value.replace(/[\t\n\r]/g, "").replace(/^[\x00-\x20]+/, "");
  }

  function checkBody(body, add) {
    var rules = messages.body;
    var fence = null;
    var targetFollows = false;
    var length = 0;
    var tooLong = false;
    body.split("\n").forEach(function (line) {
      var opening = FENCE.exec(line);
      if (fence) {
        if (opening && opening[1][0] === fence[0] && opening[1].length >= fence.length) { fence = null; }
        return;
      }
      if (opening) {
        fence = opening[1];
        targetFollows = false;
        length = 0;
        return;
      }
      if (!line.trim()) { length = 0; }
      length += codePoints(line) + 1;
      if (length > MAX_PARAGRAPH && !tooLong) {
        tooLong = true;
        add("body", -1, say(rules.paragraph), "paragraph");
      }
      var text = line.indexOf("`") !== -1 ? line.replace(CODE_SPAN, function (span) {
        return new Array(span.length + 1).join(" ");
      }) : line;
      if (text.indexOf("![") !== -1) { add("body", -1, say(rules.image), "image"); }
      var raw = RAW_HTML.exec(text);
      if (raw) {
        add("body", -1, say(rules.raw_html, undefined, {shown: raw[1] === "!--" ? "<!--" : "<" + raw[1] + ">"}), "raw_html");
      }
      var targets = [];
      var match;
      INLINE_TARGET.lastIndex = 0;
      while ((match = INLINE_TARGET.exec(text)) !== null) {
        targets.push(match[1]);
        if (match[0] === "") { INLINE_TARGET.lastIndex++; }
      }
      AUTOLINK.lastIndex = 0;
      while ((match = AUTOLINK.exec(text)) !== null) { targets.push(match[1]); }
      var reference = REFERENCE_TARGET.exec(text);
      if (reference) { targets.push(reference[1]); }
      if (targetFollows) {
        var first = FIRST_WORD.exec(text);
        if (first) { targets.push(first[1]); }
      }
      targetFollows = TARGET_ON_NEXT_LINE.test(text);
      targets.forEach(function (target) {
        var scheme = SCHEME.exec(asBrowserReads(target));
        if (scheme && ALLOWED_SCHEMES.indexOf(scheme[1].toLowerCase()) === -1) {
          add("body", -1, say(rules.link_scheme, target.slice(0, 60), {scheme: scheme[1]}), "link_scheme");
        }
      });
    });
  }

  /* Each problem: {field, index (of a list's item, or -1), text, rule}. */
  function check(meta, body) {
    var problems = [];
    var unreadable = {};
    function add(field, index, text, rule) {
      var duplicate = problems.some(function (p) { return p.field === field && p.index === index && p.text === text; });
      if (!duplicate) { problems.push({field: field, index: index, text: text, rule: rule || ""}); }
    }
    function checkText(name, index, value) {
      var own = messages[name] || {};
      var hidden = HIDDEN.exec(value);
      if (hidden) {
        var character = hidden[0];
        var code = ("000" + character.charCodeAt(0).toString(16).toUpperCase()).slice(-4);
        var rule = LINE_BREAKS.indexOf(character) !== -1 ? "line_break"
          : BIDI.indexOf(character) !== -1 ? "bidi" : "control";
        add(name, index, say(messages["*"][rule], value, {code: code}));
        unreadable[name + "/" + index] = true;
        return;
      }
      var broken = own.web ? webAddressProblem(value) : own.email ? emailProblem(value) : null;
      if (broken) { add(name, index, say(own[broken.rule], value, broken)); }
      if (MARKUP.test(value)) { add(name, index, say(messages["*"].markup, value)); }
    }
    Object.keys(meta).forEach(function (name) {
      if (!fieldsByName[name]) { return; }
      var value = meta[name];
      if (Array.isArray(value)) {
        if (layout[name].kind === "text" || layout[name].kind === "github-name") {
          value.forEach(function (item, index) { checkText(name, index, item); });
        }
      } else if (layout[name].kind === "text" || layout[name].kind === "date") {
        checkText(name, -1, value);
      }
    });

    var typed = {};
    Object.keys(meta).forEach(function (name) {
      var field = layout[name];
      typed[name] = field && field.kind === "boolean" && !field.list ? meta[name] === "true" : meta[name];
    });
    if (!window.appMemberSchema(typed)) {
      window.appMemberSchema.errors.forEach(function (error) {
        var path = error.instancePath.split("/").slice(1);
        var name = error.keyword === "required" ? error.params.missingProperty : path[0];
        var index = path.length > 1 ? Number(path[1]) : -1;
        var own = messages[name] || {};
        if (unreadable[name + "/" + index]) { return; }
        var value = path.length > 1 ? meta[name][index] : meta[name];
        var entry = {
          required: own.required,
          pattern: index >= 0 ? own.item_pattern : own.pattern,
          format: own.pattern,
          minLength: index >= 0 ? own.item_minLength : own.minLength,
          maxLength: own.maxLength,
          uniqueItems: own.uniqueItems
        }[error.keyword];
        if (error.keyword === "pattern" && own.web) { entry = own.web; }
        var text = entry ? say(entry, typeof value === "string" ? value : undefined,
          {length: typeof value === "string" ? codePoints(value) : ""}) : error.message;
        add(name, error.keyword === "uniqueItems" ? -1 : index, text, error.keyword);
      });
    }

    var verified = meta.last_verified;
    if (typeof verified === "string" && BARE.date.test(verified) && !unreadable["last_verified/-1"]) {
      var day = new Date(verified + "T00:00:00Z");
      if (isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== verified) {
        add("last_verified", -1, say(messages.last_verified.real_date, verified));
      } else if (verified > ukToday()) {
        add("last_verified", -1, say(messages.last_verified.future, verified));
      }
    }
    checkBody(body, add);
    var order = config.fields.map(function (field) { return field.name; }).concat(["body"]);
    problems.sort(function (a, b) {
      return (order.indexOf(a.field) - order.indexOf(b.field)) || (a.index - b.index);
    });
    return problems;
  }

  /* -- showing problems (GOV.UK error summary and inline errors) ------------ */

  function targetId(problem) {
    if (problem.index >= 0 && fieldsByName[problem.field] && fieldsByName[problem.field].control === "list") {
      return "field-" + problem.field + (problem.index ? "-" + (problem.index + 1) : "");
    }
    var field = fieldsByName[problem.field];
    if (field && field.control === "list" && !listInputs(problem.field).length) {
      return "field-" + problem.field + "-add";
    }
    return "field-" + problem.field;
  }

  function describe(problem) {
    var field = fieldsByName[problem.field];
    var label = field ? field.label : problem.field === "body" ? BODY_LABEL : problem.field;
    if (problem.index >= 0 && field && field.control === "list") {
      var noun = form.querySelector('[data-list="' + problem.field + '"]').getAttribute("data-item-noun");
      return label + ", " + noun + " " + (problem.index + 1) + ": " + problem.text;
    }
    return label + ": " + problem.text;
  }

  function show(problems, which) {
    config.fields.concat([{name: "body", label: BODY_LABEL, control: "textarea"}]).forEach(function (field) {
      if (!which(field.name)) { return; }
      var mine = problems.filter(function (p) { return p.field === field.name; });
      var group = form.querySelector('[data-field="' + field.name + '"]');
      var slot = document.getElementById("field-" + field.name + "-error");
      group.classList.toggle("app-form-group--error", mine.length > 0);
      slot.hidden = mine.length === 0;
      slot.textContent = "";
      mine.forEach(function (problem, index) {
        if (index) { slot.appendChild(document.createElement("br")); }
        var prefix = document.createElement("span");
        prefix.className = "app-visually-hidden";
        prefix.textContent = "Error: ";
        slot.appendChild(prefix);
        slot.appendChild(document.createTextNode(
          problem.index >= 0 && field.control === "list" ? describe(problem).slice(field.label.length + 2) : problem.text));
      });
      var invalid = {};
      mine.forEach(function (problem) { invalid[targetId(problem)] = true; });
      Array.prototype.forEach.call(group.querySelectorAll("input, select, textarea"), function (element) {
        if (invalid[element.id] || (mine.length && field.control !== "list" && element.type !== "checkbox" && element.type !== "radio")) {
          element.setAttribute("aria-invalid", "true");
        } else {
          element.removeAttribute("aria-invalid");
        }
      });
    });
  }

  function showSummary(problems) {
    var list = summary.querySelector("ul");
    list.textContent = "";
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + targetId(problem);
      link.textContent = describe(problem);
      link.addEventListener("click", function (event) {
        var target = document.getElementById(targetId(problem));
        if (target) {
          event.preventDefault();
          target.focus();
          var group = target.closest(".app-form-group");
          (group || target).scrollIntoView({block: "start"});
        }
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.hidden = problems.length === 0;
  }

  function refresh() {
    var problems = check(readMeta(), readBody());
    if (submitted) {
      show(problems, function () { return true; });
      showSummary(problems);
    } else {
      /* Before the first "Make the profile file", only what the member has
         typed in is checked; a field left empty is not an error yet. */
      show(problems.filter(function (p) { return p.rule !== "required"; }),
        function (name) { return touched[name]; });
    }
    if (!result.hidden) { hideResult(); }
    return problems;
  }

  /* -- sending ----------------------------------------------------------- */

  function slugFor(name) {
    var text = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/&/g, " and ");
    return text.replace(/['\u2019`]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function issueUrl(fields) {
    var query = ["template=" + encodeURIComponent(config.issue_form)];
    fields.forEach(function (pair) { query.push(pair[0] + "=" + encodeURIComponent(pair[1])); });
    return config.repository_url + "/issues/new?" + query.join("&");
  }

  function mailto(subject, body) {
    return "mailto:" + config.maintainers_email + "?subject=" + encodeURIComponent(subject) +
      "&body=" + encodeURIComponent(body);
  }

  function hideResult() {
    result.hidden = true;
    fileElement.textContent = "";
  }

  function offer(file, slug, request, title) {
    lastFile = file;
    fileElement.textContent = file;
    var fields = [["title", title], ["request", request], ["profile", published ? published.slug : ""]];
    var full = issueUrl(fields.concat([["profile_file", file]]));
    var tooLong = full.length > URL_LIMIT;
    var github = root.querySelector("[data-github-link]");
    github.href = tooLong ? issueUrl(fields) : full;
    github.setAttribute("data-route", tooLong ? "paste" : "address");
    root.querySelector("[data-github-paste]").hidden = !tooLong;
    root.querySelector("[data-email-link]").href = mailto(title, file);
    var download = root.querySelector("[data-download]");
    download.href = "data:text/markdown;charset=utf-8," + encodeURIComponent(file);
    download.setAttribute("download", slug + ".md");
    root.querySelector("[data-copy-status]").textContent = "";
    result.hidden = false;
    result.focus();
  }

  function copy(text, done) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  }

  /* -- start ------------------------------------------------------------- */

  function fail(message) {
    var box = root.querySelector("[data-load-error]");
    box.querySelector("p").textContent = message;
    box.hidden = false;
    box.focus();
  }

  /* Values only the site's editors use are offered only to a profile that has one. */
  function dropEditorsOnlyValues(meta) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-editors-only]"), function (option) {
      var name = option.parentNode.name;
      if (!meta || meta[name] !== option.value) { option.parentNode.removeChild(option); }
    });
  }

  var KEPT_NAMES = {sources: "the sources it was written from", example: "the mark that it is a made-up example"};

  function start(data) {
    published = data;
    dropEditorsOnlyValues(data && data.meta);
    var heading = document.getElementById("editor-heading");
    if (data) {
      fill(data.meta, data.body);
      /* Sending changes is checking the profile, so the date it was last
         checked becomes today; the note says so, and the member may
         change it back (Confirm nothing has changed does the same for a
         profile that needs no change). */
      var verified = control("last_verified");
      var today = ukToday();
      /* Only forwards: a date that is not one is for the checks to name,
         and a computer whose clock is behind must not move it back. */
      if (BARE.date.test(verified.value) && verified.value < today) {
        var verifiedNote = root.querySelector("[data-verified-note]");
        verifiedNote.textContent = "Set to today, as you are checking the profile now. It was " + verified.value + ".";
        verifiedNote.hidden = false;
        verified.value = today;
      }
      heading.textContent = heading.getAttribute("data-edit-heading").replace("your organisation's", data.meta.name + "'s");
      root.querySelector("[data-unchanged]").hidden = false;
      var kept = Object.keys(data.meta).filter(function (name) { return !fieldsByName[name]; });
      if (kept.length) {
        var note = root.querySelector("[data-kept-fields]");
        note.textContent = "This profile also has " + kept.map(function (name) { return KEPT_NAMES[name] || name; })
          .join(" and ") + ", which the form does not show. They are kept as they are.";
        note.hidden = false;
      }
    } else {
      heading.textContent = heading.getAttribute("data-new-heading");
      control("last_verified").value = ukToday();
    }
    if (tenderSlug && data) {
      fetch(config.site_url + "/tenders/" + tenderSlug + "/").then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        var heading = new DOMParser().parseFromString(html, "text/html").querySelector("h1");
        offerTenderInterest(data, heading ? heading.textContent.trim() : "");
      }).catch(function () {
        fail("There is no tender '" + tenderSlug + "' on this site. Check the address, or start again from the tender's page.");
      });
    }
    root.hidden = false;
  }

  /* The tender is named by its title, as on its page; the issue and the
     email also give its slug, which the maintainers add to. */
  function offerTenderInterest(data, tenderTitle) {
    var panel = root.querySelector("[data-tender-interest]");
    var title = "Tender interest: " + data.slug + " for " + tenderSlug;
    panel.querySelector("[data-tender-summary]").textContent = "Tell the site's maintainers that " +
      data.meta.name + " could bid for the tender " + (tenderTitle ? "“" + tenderTitle + "”" : tenderSlug) +
      ". They add you to its interested members.";
    panel.querySelector("[data-tender-github]").href = issueUrl([["title", title],
      ["request", "Say we could bid for a tender"], ["profile", data.slug], ["tender", tenderSlug]]);
    panel.querySelector("[data-tender-email]").href = mailto(title, "Member: " + data.slug + " (" + data.meta.name +
      ")\nTender: " + tenderSlug + "\n\nWe could bid for this tender: please add us to its interested members.\n");
    panel.hidden = false;
  }

  document.querySelector("[data-editor-fallback]").hidden = true;
  config.fields.forEach(function (field) {
    if (field.control === "list") {
      form.querySelector('[data-add="' + field.name + '"]').addEventListener("click", function () {
        addItem(field.name, "", true);
      });
    }
  });
  form.addEventListener("input", function (event) {
    var group = event.target.closest("[data-field]");
    if (group && (submitted || touched[group.getAttribute("data-field")])) { refresh(); }
  });
  form.addEventListener("change", function (event) {
    var group = event.target.closest("[data-field]");
    if (group) { touched[group.getAttribute("data-field")] = true; }
    refresh();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submitted = true;
    var problems = refresh();
    if (problems.length) {
      summary.focus();
      return;
    }
    var meta = readMeta();
    var title = "Member profile: " + meta.name;
    var file = writeProfile(meta, readBody());
    if (published) {
      offer(file, published.slug, "Update an existing profile", title);
      return;
    }
    /* A new profile's file name comes from its name: it must not be one
       that a profile already has (the file would replace it). */
    var slug = slugFor(meta.name);
    var nameProblem = function (text) {
      var problem = {field: "name", index: -1, text: text, rule: "slug"};
      show([problem], function (name) { return name === "name"; });
      showSummary([problem]);
      summary.focus();
    };
    if (!slug) {
      nameProblem("needs a letter or a digit: the profile's address is made from it");
      return;
    }
    fetch(config.site_url + "/members/" + slug + "/", {method: "HEAD"}).then(function (response) {
      if (response.ok) {
        nameProblem("there is already a profile at /members/" + slug + "/; to change it, choose Edit this profile on its page");
      } else {
        offer(file, slug, "Add a new profile", title);
      }
    }, function () { offer(file, slug, "Add a new profile", title); });
  });
  root.querySelector("[data-confirm-unchanged]").addEventListener("click", function () {
    var meta = JSON.parse(JSON.stringify(published.meta));
    meta.last_verified = ukToday();
    control("last_verified").value = meta.last_verified;
    offer(writeProfile(meta, published.body), published.slug, "Confirm nothing has changed",
      "Member profile: " + meta.name);
  });
  root.querySelector("[data-github-link]").addEventListener("click", function (event) {
    if (this.getAttribute("data-route") !== "paste") { return; }
    var link = this;
    event.preventDefault();
    copy(lastFile, function () { window.location.href = link.href; });
  });
  root.querySelector("[data-copy]").addEventListener("click", function () {
    copy(lastFile, function (copied) {
      root.querySelector("[data-copy-status]").textContent = copied ? "Copied. Paste it where you need it."
        : "Your browser did not let the page copy it: select the file below and copy it yourself.";
    });
  });

  if (memberSlug) {
    if (!SLUG.test(memberSlug) || (tenderSlug && !SLUG.test(tenderSlug))) {
      root.hidden = false;
      fail("'" + memberSlug + "' is not the name of a member profile: it is the last part of the profile's " +
        "address, in lower-case letters, digits and hyphens, such as living-options-devon.");
      form.hidden = true;
      return;
    }
    var loading = root.querySelector("[data-loading]");
    loading.hidden = false;
    root.hidden = false;
    fetch(config.site_url + "/members/" + memberSlug + "/").then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var block = new DOMParser().parseFromString(html, "text/html").getElementById("app-profile-data");
      if (!block) { throw new Error("no profile data"); }
      return JSON.parse(block.textContent);
    }).then(function (data) {
      loading.hidden = true;
      start(data);
    }, function () {
      loading.hidden = true;
      form.hidden = true;
      fail("There is no member profile '" + memberSlug + "' on this site. Check the address, or " +
        "start a new profile from the profile editor without it.");
    });
  } else {
    if (tenderSlug) {
      root.hidden = false;
      fail("To say your organisation could bid for a tender, give your profile's name on the tender's page.");
    }
    start(null);
  }
})();
