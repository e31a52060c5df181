// A list split into pages (issue 14), in Chromium: a site with more tasks
// than a page holds (the minimal fixture and 237 more). Without a click a
// page shows its hundred rows; the first sort or filter loads the list's
// rows as data and then works across every page; the pages pass axe.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');

const repo = path.join(__dirname, '..', '..');
const binary = process.env.TIENDO_BIN || path.join(repo, 'target', 'debug', 'tiendo');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const ADDED = 237;
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml' };

let tmp; let server; let origin; let browser;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiendo-split-'));
  const root = path.join(tmp, 'root');
  fs.cpSync(path.join(repo, 'tests', 'fixtures', 'minimal'), root, { recursive: true });
  const planFile = path.join(root, 'content', 'plans', 'ke-hoach.yaml');
  let plan = fs.readFileSync(planFile, 'utf8');
  for (let n = 0; n < ADDED; n += 1) {
    const month = n % 2 === 0 ? 3 + Math.floor((n % 4) / 2) : 6 + Math.floor((n % 4) / 2);
    const day = 1 + (n % 28);
    plan += `  - id: viec-so-${String(n).padStart(3, '0')}\n    title: Việc số ${n}\n    lead: so-mot\n`
      + `    deadline: 2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}\n    result: Xong\n    responsible: Giám đốc\n`;
  }
  fs.writeFileSync(planFile, plan);
  const site = path.join(tmp, 'site');
  server = http.createServer((req, res) => {
    let file = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, 'index.html'); }
    if (!file.startsWith(site) || !fs.existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  execFileSync(binary, ['build', '--root', root, '--output', site, '--base-url', `${origin}/`, '--quiet'], { stdio: 'inherit' });
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  if (browser) { await browser.close(); }
  if (server) { server.close(); }
  if (tmp) { fs.rmSync(tmp, { recursive: true, force: true }); }
});

test('a split deadline table sorts and filters across all its pages', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') { errors.push(m.text()); } });
  await page.goto(`${origin}/nhiem-vu/`);
  const shown = () => page.$$eval('#bang-nhiem-vu tbody tr:not([hidden])', (rows) => rows.map((r) => r.dataset.id));
  assert.strictEqual((await shown()).length, 100, 'a page holds 100 rows');
  assert.ok(await page.isVisible('nav.pager.pages'));
  const total = Number((await page.textContent('.pager-summary')).match(/trong (\d+)/)[1]);
  assert.ok(total > ADDED);
  await page.click('#bang-nhiem-vu th[data-sort="days"] button');
  await page.waitForFunction((n) => document.querySelectorAll('#bang-nhiem-vu tbody tr').length === n, total);
  const byDays = await page.$$eval('#bang-nhiem-vu tbody tr', (rows) => rows.map((r) => Number(r.dataset.days)));
  assert.deepStrictEqual(byDays, [...byDays].sort((a, b) => b - a));
  assert.strictEqual(await page.isVisible('nav.pager.pages'), false, 'the page links hide once every row is here');
  // The rows built from the data look like the page's own: a link per task.
  assert.strictEqual(await page.$$eval('#bang-nhiem-vu tbody td.title a', (a) => a.length), total);
  await page.click('form[data-filters] summary');
  await page.selectOption('select[name="status"]', 'overdue');
  const overdue = await page.$$eval('#bang-nhiem-vu tbody tr:not([hidden])', (rows) => rows.map((r) => r.dataset.status));
  assert.ok(overdue.length > 100 && overdue.every((s) => s === 'overdue'), `${overdue.length} overdue`);
  assert.match(await page.textContent('.filter-count'), new RegExp(`${overdue.length}/${total}`));
  assert.deepStrictEqual(errors, []);
  await page.close();
});

test('split pages pass axe (WCAG 2.1 A and AA)', async () => {
  for (const url of ['/', '/nhiem-vu/trang/2/', '/han-chot/trang/2/', '/co-quan/so-mot/qua-han/']) {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(origin + url);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${url}: ${x.id}`);
    assert.deepStrictEqual(bad, []);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.strictEqual(wide, false, `${url} scrolls sideways at 320 px`);
    await context.close();
  }
});
