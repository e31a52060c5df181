// Measures what an editor waits for with `tiendo serve`: from saving one
// file of the default content to the open Chromium tab showing the change
// (debounce + rebuild in memory + event + reload + load). Run by bench/serve.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { copySite, startServe, launch, edit } = require('../tests/e2e/preview');

async function main() {
  const [binary, repo, runs, budget] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
  const site = copySite(repo);
  const times = [];
  let server; let browser;
  try {
    server = await startServe(binary, site);
    browser = await launch(process.env.CHROMIUM || '/usr/bin/chromium');
    const page = await browser.newPage();
    const stream = page.waitForRequest((r) => r.url() === `${server.origin}/__tiendo/events`);
    await page.goto(`${server.origin}/`, { waitUntil: 'load' });
    await stream;
    const siteYaml = path.join(site, 'content', 'site.yaml');
    let title = fs.readFileSync(siteYaml, 'utf8').match(/^title: (.*)$/m)[1];
    for (let i = 1; i <= runs; i += 1) {
      const next = `Đo lần ${i}`;
      // Let the previous reload settle and the new page open its stream.
      await new Promise((r) => setTimeout(r, 500));
      const started = process.hrtime.bigint();
      edit(siteYaml, `title: ${title}`, `title: ${next}`);
      await page.waitForFunction((t) => document.title.includes(t), next, { timeout: 30000, polling: 10 });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      title = next;
    }
  } finally {
    // Never leave the server or the browser running, even after a failure.
    if (browser) { await browser.close(); }
    if (server) { server.child.kill(); }
    fs.rmSync(site, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const fmt = (x) => `${Math.round(x)} ms`;
  console.log(`bench serve: one-file change -> visible in the open tab, ${runs} runs: median ${fmt(median)}, min ${fmt(times[0])}, max ${fmt(times[times.length - 1])}`);
  if (median > budget) {
    console.error(`bench serve: the median is over the ${budget} ms budget`);
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(2); });
