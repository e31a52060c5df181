// The portal as citizens meet it: Debian's Chromium, driven by
// playwright-core, on the default portal served from 127.0.0.1.
//
// Every page reachable from the home page is visited at 320 px: axe-core
// (WCAG 2.1 A and AA) must find nothing serious or critical, the page must
// not scroll sideways, log no console error, fail no request and ask no
// other host for anything; every link must resolve, with its #anchor. The
// deadline table must sort and filter, search must find text typed without
// diacritics, and with JavaScript off the tables must still show every task.
// Screenshots land in tests/e2e/artifacts/.
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
const artifacts = path.join(__dirname, 'artifacts');
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.xml': 'application/atom+xml', '.csv': 'text/csv', '.ics': 'text/calendar',
  '.txt': 'text/plain',
};

let site; let server; let origin; let browser; let profile;
const pages = new Map(); // path -> { ids: Set, links: [] }

function serve(dir) {
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, 'index.html'); }
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] }).end(fs.readFileSync(path.join(dir, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
}

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiendo-e2e-'));
  site = path.join(tmp, 'site');
  server = serve(site);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  execFileSync(binary, ['build', '--root', repo, '--output', site, '--base-url', `${origin}/`], { stdio: 'inherit' });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tiendo-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, viewport: { width: 320, height: 640 },
  });
});

after(async () => {
  if (browser) { await browser.close(); }
  if (server) { server.close(); }
});

/** Opens `url` in a fresh tab, recording console errors, failed requests
    and requests to other hosts. */
async function open(url, context = browser) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') { problems.push(`console: ${m.text()}`); } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) { problems.push(`other host: ${r.url()}`); } });
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, problems, status: response ? response.status() : 0 };
}

test('every page from the home page: accessible, valid links, no sideways scroll, nothing from other hosts', async () => {
  const queue = ['/'];
  const seen = new Set(queue);
  const failures = [];
  const links = []; // [from, href]
  while (queue.length > 0) {
    const route = queue.shift();
    const { page, problems, status } = await open(origin + route);
    if (status !== 200) { failures.push(`${route}: HTTP ${status}`); }
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const v of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
      failures.push(`${route}: axe ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    }
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 320) { failures.push(`${route}: scrolls sideways at 320 px (${width} px wide)`); }
    problems.forEach((p) => failures.push(`${route}: ${p}`));
    const found = await page.evaluate(() => ({
      ids: Array.from(document.querySelectorAll('[id]')).map((e) => e.id),
      hrefs: Array.from(document.querySelectorAll('a[href], link[href]')).map((a) => a.href),
    }));
    pages.set(route, { ids: new Set(found.ids) });
    for (const href of found.hrefs) {
      links.push([route, href]);
      const u = new URL(href);
      if (u.origin !== origin) { continue; }
      const next = u.pathname;
      if (!seen.has(next) && (next.endsWith('/') || next.endsWith('.html'))) {
        seen.add(next);
        queue.push(next);
      }
    }
    await page.close();
  }
  assert.ok(pages.size > 150, `only ${pages.size} pages reached`);
  // Every same-origin link resolves, and its #anchor exists on the target.
  const checked = new Map();
  for (const [from, href] of links) {
    const u = new URL(href);
    if (u.origin !== origin) { continue; }
    if (!checked.has(u.pathname)) {
      const res = await fetch(origin + u.pathname);
      checked.set(u.pathname, res.status);
    }
    if (checked.get(u.pathname) !== 200) { failures.push(`${from}: broken link ${u.pathname} (${checked.get(u.pathname)})`); }
    if (u.hash && u.hash.length > 1) {
      const target = pages.get(u.pathname);
      const id = decodeURIComponent(u.hash.slice(1));
      if (target && !target.ids.has(id)) { failures.push(`${from}: missing anchor ${u.pathname}${u.hash}`); }
    }
  }
  assert.deepStrictEqual(failures, []);
});

test('the deadline table sorts and filters', async () => {
  const context = browser;
  const { page } = await open(`${origin}/nhiem-vu/`, context);
  await page.setViewportSize({ width: 1280, height: 900 });
  const ids = () => page.$$eval('#bang-nhiem-vu tbody tr:not([hidden])', (rows) => rows.map((r) => r.dataset.id));
  const all = await ids();
  assert.strictEqual(all.length, 23);
  // Most overdue first, one click away.
  await page.click('#bang-nhiem-vu th[data-sort="days"] button');
  const byDays = await page.$$eval('#bang-nhiem-vu tbody tr', (rows) => rows.map((r) => Number(r.dataset.days)));
  assert.deepStrictEqual(byDays, [...byDays].sort((a, b) => b - a));
  assert.strictEqual(await page.getAttribute('#bang-nhiem-vu th[data-sort="days"]', 'aria-sort'), 'descending');
  // By status, in rule order.
  await page.click('#bang-nhiem-vu th[data-sort="status"] button');
  const ranks = await page.$$eval('#bang-nhiem-vu tbody tr', (rows) => rows.map((r) => Number(r.dataset.rank)));
  assert.deepStrictEqual(ranks, [...ranks].sort((a, b) => a - b));
  // By agency.
  await page.click('#bang-nhiem-vu th[data-sort="lead"] button');
  // Filter by status, then by agency.
  await page.selectOption('select[name="status"]', 'overdue');
  const overdue = await page.$$eval('#bang-nhiem-vu tbody tr:not([hidden])', (rows) => rows.map((r) => r.dataset.status));
  assert.deepStrictEqual(overdue, ['overdue', 'overdue']);
  assert.match(await page.textContent('.filter-count'), /2\/23/);
  await page.selectOption('select[name="lead"]', 'so-y-te');
  assert.deepStrictEqual(await ids(), ['benh-an-dien-tu']);
  await page.selectOption('select[name="status"]', '');
  await page.selectOption('select[name="lead"]', '');
  await page.selectOption('select[name="group"]', 'to-kinh-te');
  const groups = await page.$$eval('#bang-nhiem-vu tbody tr:not([hidden])', (rows) => rows.map((r) => r.dataset.group));
  assert.ok(groups.length > 0 && groups.every((g) => g === 'to-kinh-te'));
  await page.close();
});

test('search finds text typed without diacritics', async () => {
  const cases = [
    ['chuyen doi so', 'Xây dựng chuyên mục về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số'],
    ['so khcn', 'Sở Khoa học và Công nghệ (Sở KH&CN)'],
    ['dang', 'Hơn 20.000 người dân tham gia "Bình dân học vụ số"'],
  ];
  for (const [query, expected] of cases) {
    const { page, problems } = await open(`${origin}/tim-kiem/`);
    // The index is fetched in parts: the manifest, then a query's chunks
    // and entries, each versioned.
    const fetched = [];
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/tim-kiem/') && url.pathname !== '/tim-kiem/') {
        fetched.push(`${r.status()} ${url.pathname}${url.search}`);
      }
    });
    await page.fill('#q', query);
    await page.waitForSelector('.results li');
    const titles = await page.$$eval('.results li a', (as) => as.map((a) => a.textContent));
    assert.ok(titles.includes(expected), `${query}: ${titles.join(' | ')}`);
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(fetched[0], '200 /tim-kiem/chi-muc.json', fetched.join(', '));
    assert.ok(fetched.length > 2 && fetched.slice(1).every((f) => /^200 \/tim-kiem\/(tu|muc)\/\d+\.json\?v=[0-9a-f]{16}$/.test(f)),
      fetched.join(', '));
    await page.close();
  }
  // A link with ?q= opens with the results.
  const { page } = await open(`${origin}/tim-kiem/?q=benh+an+dien+tu`);
  await page.waitForSelector('.results li');
  assert.match(await page.textContent('.results li'), /Triển khai bệnh án điện tử/);
  await page.close();
});

test('with JavaScript off, the tables and task pages show every task', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiendo-nojs-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, javaScriptEnabled: false,
  });
  try {
    const { page } = await open(`${origin}/nhiem-vu/`, context);
    const rows = await page.$$eval('#bang-nhiem-vu tbody tr', (r) => r.filter((x) => x.offsetParent !== null).length);
    assert.strictEqual(rows, 23);
    assert.strictEqual(await page.isVisible('form.filters'), false, 'filters need JavaScript and stay hidden');
    for (const view of ['qua-han', 'hoan-thanh-dung-han', 'thuong-xuyen']) {
      const res = await page.goto(`${origin}/nhiem-vu/${view}/`);
      assert.strictEqual(res.status(), 200);
    }
    await page.goto(`${origin}/nhiem-vu/benh-an-dien-tu/`);
    assert.match(await page.textContent('main'), /Sở Y tế/);
    assert.match(await page.textContent('main'), /30\/04\/2025/);
    await page.goto(`${origin}/tim-kiem/`);
    assert.match(await page.textContent('main'), /Tìm kiếm cần JavaScript/);
    await page.close();
  } finally {
    await context.close();
  }
});

test('screenshots of the dashboard, the deadline table and a KPI page', async () => {
  const shots = [['dashboard', '/'], ['deadline-table', '/nhiem-vu/'], ['kpi', '/chi-tieu/dvc-toan-trinh/']];
  for (const [name, route] of shots) {
    for (const [label, width] of [['phone', 360], ['desktop', 1280]]) {
      const { page } = await open(origin + route);
      await page.setViewportSize({ width, height: 800 });
      const file = path.join(artifacts, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 10000, file);
      await page.close();
    }
  }
});

test('every HTML page passes the Nu HTML Checker', () => {
  const jar = path.join(__dirname, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  try {
    execFileSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', site], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`vnu found errors:\n${(e.stderr || '').split('\n').slice(0, 40).join('\n')}`);
  }
});
