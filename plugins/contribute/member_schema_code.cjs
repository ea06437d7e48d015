// Writes the browser's member-schema check: ajv's standalone code for the
// published member schema, so the editor checks as make check does without
// compiling anything in the browser (no eval, no new Function: the site's
// Content Security Policy forbids both).
//
//   node plugins/contribute/member_schema_code.cjs < member.schema.json > member-schema.js
//
// Run by the contribute plugin at build time (see README.md). Formats are
// checked as the Python validator checks them: `date` by its shape (whether
// the day exists is the editor's rule, with the validator's message);
// `email` and `uri` not by the schema (the links rules do that).
"use strict";

const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const standaloneCode = require("ajv/dist/standalone").default;

const schema = JSON.parse(fs.readFileSync(0, "utf8"));
const ajv = new Ajv2020({
  allErrors: true,
  strict: false, // the schema's own keywords (x-vocabulary, x-link, ...) are for the site
  code: {source: true, esm: false, lines: false},
  formats: {date: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, email: true, uri: true},
});
const code = standaloneCode(ajv, ajv.compile(schema));

// The generated module may ask for ajv's small runtime helpers; they are
// copied in, so the file stands alone.
const runtime = {};
for (const match of code.matchAll(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)/g)) {
  const name = match[1];
  if (!(name in runtime)) {
    const file = require.resolve(name);
    const source = fs.readFileSync(file, "utf8");
    if (/(^|[^'"\w.])require\(/m.test(source)) {
      throw new Error(`${path.basename(file)} needs other modules; the editor's check cannot include it`);
    }
    runtime[name] = source;
  }
}
const helpers = Object.entries(runtime).map(([name, source]) =>
  `${JSON.stringify(name)}: function (exports) {\n${source}\n}`).join(",\n");

process.stdout.write(`// Generated at build time from data/schemas/member.schema.json by
// plugins/contribute/member_schema_code.cjs (ajv ${require("ajv/package.json").version}, standalone). Do not edit.
(function () {
  "use strict";
  var helpers = {${helpers}};
  function require(name) {
    var exports = {};
    helpers[name](exports);
    return exports;
  }
  var module = {exports: {}};
  (function (module, exports, require) {
${code}
  })(module, module.exports, require);
  window.appMemberSchema = module.exports.default || module.exports;
})();
`);
