// Bytes the search page fetches for each query, as the browser would
// fetch them (bench/bench.py): node search-bytes.js SITE_DIR QUERY...
// Prints {"query": {"bytes": n, "files": n}} as JSON.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createSearch } = require('../themes/default/static/search.js');

async function main() {
  const [dir, ...queries] = process.argv.slice(2);
  const index = path.join(dir, 'tim-kiem');
  const out = {};
  for (const q of queries) {
    // A fresh page for each query: nothing cached.
    const files = [];
    const s = createSearch((file) => {
      const bytes = fs.readFileSync(path.join(index, file.replace(/\?v=[0-9a-f]+$/, '')));
      files.push(bytes.length);
      return Promise.resolve(JSON.parse(bytes.toString('utf8')));
    });
    const found = await s.query(q, 50);
    const script = fs.statSync(path.join(dir, 'assets', 'search.js')).size;
    out[q] = { bytes: files.reduce((a, b) => a + b, 0), files: files.length, results: found.length, script };
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch((e) => { process.stderr.write(String(e.stack || e)); process.exit(1); });
