// Parse formulas with the KaTeX that the site ships. Reads JSON [{page, tex, display}] on
// stdin; prints JSON [{page, tex, error}] for each formula KaTeX rejects.
"use strict";
const path = require("path");
const katex = require(path.join(__dirname, "..", "docs", "assets", "vendor", "katex", "katex.min.js"));
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const failures = [];
  for (const { page, tex, display } of JSON.parse(input)) {
    try {
      katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "error" });
    } catch (err) {
      failures.push({ page, tex, error: String(err.message || err) });
    }
  }
  process.stdout.write(JSON.stringify(failures));
});
