// Measures what an editor waits for with `tiendo serve`: from saving one
// file to the open Chromium tab showing the change (debounce + rebuild in
// memory + event + reload + load). Run by bench/serve.
//   The server's own lines (time to the reload signal, its stages) are
//   printed after the figures.
//   default: the default content, site.yaml's title, the home page.
//   SITE=target/bench/national: the national site, one report's note
//   (REPORT, default content/reports/2025-11/co-quan-7.yaml), on its task's
//   page (PAGE, default /nhiem-vu/nhiem-vu-2108/).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { copySite, startServe, launch, edit } = require('../tests/e2e/preview');

async function main() {
  const [binary, repo, runs, budget] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
  const national = process.env.SITE;
  const site = copySite(national || repo);
  const times = [];
  let server; let browser; let log = '';
  try {
    server = await startServe(binary, site, [], national ? 600000 : 60000);
    browser = await launch(process.env.CHROMIUM || '/usr/bin/chromium');
    const page = await browser.newPage();
    const stream = page.waitForRequest((r) => r.url() === `${server.origin}/__tiendo/events`);
    const pagePath = national ? (process.env.PAGE || '/nhiem-vu/nhiem-vu-2108/') : '/';
    await page.goto(`${server.origin}${pagePath}`, { waitUntil: 'load' });
    await stream;
    const file = national
      ? path.join(site, process.env.REPORT || 'content/reports/2025-11/co-quan-7.yaml')
      : path.join(site, 'content', 'site.yaml');
    let title = fs.readFileSync(file, 'utf8').match(/^title: (.*)$/m)?.[1];
    for (let i = 1; i <= runs; i += 1) {
      const next = `Đo lần ${i}`;
      // Let the previous reload settle and the new page open its stream.
      await new Promise((r) => setTimeout(r, national ? 3000 : 500));
      const started = process.hrtime.bigint();
      if (national) {
        edit(file, 'note: ', `note: ${next}. `);
        await page.waitForFunction((t) => document.body.innerText.includes(t), next, { timeout: 120000, polling: 10 });
      } else {
        edit(file, `title: ${title}`, `title: ${next}`);
        await page.waitForFunction((t) => document.title.includes(t), next, { timeout: 30000, polling: 10 });
      }
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      title = next;
    }
    log = server.log();
  } finally {
    // Never leave the server or the browser running, even after a failure.
    if (browser) { await browser.close(); }
    if (server) { server.child.kill(); }
    fs.rmSync(site, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const fmt = (x) => `${Math.round(x)} ms`;
  // What the server said of each save: the time to the reload signal and
  // its stages, then the whole site made in the background.
  for (const line of log.split('\n').filter((l) => / ms/.test(l))) { console.log(`  serve: ${line}`); }
  console.log(`bench serve${national ? ' (national)' : ''}: one-file change -> visible in the open tab, ${runs} runs: median ${fmt(median)}, min ${fmt(times[0])}, max ${fmt(times[times.length - 1])}`);
  if (median > budget) {
    console.error(`bench serve: the median is over the ${budget} ms budget`);
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(2); });
