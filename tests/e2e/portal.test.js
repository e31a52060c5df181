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
async function open(url, context = browser, viewport = null) {
  const page = await context.newPage();
  if (viewport) { await page.setViewportSize(viewport); }
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') { problems.push(`console: ${m.text()}`); } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) { problems.push(`other host: ${r.url()}`); } });
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, problems, status: response ? response.status() : 0 };
}

/** Runs in the page: text in another language than the page's with no
    matching `lang` on it or an ancestor (WCAG 3.1.2, which axe does not
    test). Vietnamese is told by its letters (at least three words, half of
    them with a Vietnamese letter, so an English name with one place name in
    it is English); English by its function words. */
function unmarkedLanguage() {
  const page = document.documentElement.lang;
  const VI = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]/i;
  const EN = new Set(['the', 'of', 'and', 'for', 'with', 'from', 'this', 'that', 'are', 'was', 'were', 'has', 'have']);
  const languageOf = (text) => {
    const words = text.match(/[\p{L}\p{N}]+/gu) || [];
    const vi = words.filter((w) => VI.test(w)).length;
    if (words.length >= 3 && vi >= 3 && vi * 2 >= words.length) { return 'vi'; }
    const en = words.filter((w) => EN.has(w.toLowerCase())).length;
    if (vi === 0 && words.length >= 3 && en >= 2) { return 'en'; }
    return null;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, code, pre, svg')) { continue; }
    const want = languageOf(n.textContent.trim());
    if (!want || want === page) { continue; }
    const marked = el.closest('[lang]');
    const has = marked ? marked.lang : page;
    if (has !== want) { out.push(`${want} text marked as "${has}": ${n.textContent.trim().slice(0, 60)}`); }
  }
  return out;
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
    (await page.evaluate(unmarkedLanguage)).forEach((t) => failures.push(`${route}: ${t}`));
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

test('every figure in the count lists leads to a page listing exactly that many tasks', async () => {
  const dirs = (sub) => fs.readdirSync(path.join(site, sub), { withFileTypes: true })
    .filter((d) => d.isDirectory()).map((d) => `/${sub}/${d.name}/`);
  const sources = ['/', '/co-quan/', '/bao-cao/', ...dirs('co-quan'), ...dirs('to-cong-tac')];
  const failures = [];
  const listed = new Map(); // href -> number of tasks the target lists
  let figures = 0;
  for (const lang of ['', '/en']) {
    for (const route of sources) {
      const { page } = await open(origin + lang + route);
      const found = await page.evaluate(() => {
        const num = (text, afterSlash) => {
          const m = text.match(/(\d+)\s*\/\s*(\d+)/);
          if (m) { return Number(afterSlash ? m[2] : m[1]); }
          const n = text.match(/\d+/);
          return n ? Number(n[0]) : NaN;
        };
        const out = { links: [], plain: [] };
        for (const li of document.querySelectorAll('ul.counts li')) {
          const a = li.querySelector('a');
          const n = Number(li.querySelector('.count').textContent);
          if (a) { out.links.push([a.href, n, 'count']); } else if (n > 0) { out.plain.push(li.textContent.trim()); }
        }
        for (const a of document.querySelectorAll('ul.headline a, .group-cards p a')) {
          out.links.push([a.href, num(a.textContent, true), 'headline']);
        }
        for (const li of document.querySelectorAll('ul.headline li')) {
          if (!li.querySelector('a') && /quá hạn|overdue/.test(li.textContent) && num(li.textContent) > 0) {
            out.plain.push(li.textContent.trim());
          }
        }
        for (const a of document.querySelectorAll('table.agencies td.num a, table.mix td.num a, table.months td.num a')) {
          out.links.push([a.href, num(a.textContent), 'table']);
        }
        return out;
      });
      await page.close();
      found.plain.forEach((t) => failures.push(`${lang}${route}: figure without a link: ${t}`));
      for (const [href, n, kind] of found.links) {
        figures += 1;
        if (!listed.has(href)) {
          const { page: target, status } = await open(href);
          const hash = decodeURIComponent(new URL(href).hash.slice(1));
          listed.set(href, status !== 200 ? -1 : await target.evaluate((id) => {
            let scope = document;
            if (id) {
              const el = document.getElementById(id);
              if (!el) { return -2; }
              scope = el.matches('table') ? el.parentElement : el.closest('section');
            }
            return scope.querySelectorAll('table.tasks tbody tr').length;
          }, hash));
          await target.close();
        }
        if (listed.get(href) !== n) {
          failures.push(`${lang}${route}: ${kind} figure ${n} leads to ${href}, which lists ${listed.get(href)} tasks`);
        }
      }
    }
  }
  assert.ok(figures > 200, `only ${figures} figures checked`);
  assert.deepStrictEqual(failures, []);
});

test('each chart offers its SVG and its figures as CSV; agencies, groups and /han-chot/ link their calendars', async () => {
  const failures = [];
  // The groups' pages (folders), not the groups' index beside them.
  const groupIds = fs.readdirSync(path.join(site, 'to-cong-tac')).filter((d) => fs.statSync(path.join(site, 'to-cong-tac', d)).isDirectory());
  for (const route of ['/', '/co-quan/', '/chi-tieu/dvc-toan-trinh/', '/en/', ...groupIds.map((g) => `/to-cong-tac/${g}/`)]) {
    const { page } = await open(origin + route);
    const charts = await page.evaluate(() => Array.from(document.querySelectorAll('figure.chart')).map((f) => ({
      img: f.querySelector('img').getAttribute('src'),
      downloads: Array.from((f.nextElementSibling || f).querySelectorAll('a[download]')).map((a) => a.href),
    })));
    await page.close();
    if (charts.length === 0) { failures.push(`${route}: no chart`); }
    for (const c of charts) {
      const svg = c.downloads.find((h) => h.endsWith('.svg'));
      const csv = c.downloads.find((h) => h.endsWith('.csv'));
      if (!svg || !new URL(svg).pathname.endsWith(c.img.split('#')[0])) { failures.push(`${route}: ${c.img} has no SVG download next to its embed snippet`); }
      if (!csv) { failures.push(`${route}: ${c.img} has no CSV download`); continue; }
      const body = await (await fetch(csv)).text();
      const rows = body.replace(/^\uFEFF/, '').trim().split(/\r\n/);
      if (rows.length < 2 || rows.some((r) => r.split(',').length !== rows[0].split(',').length)) {
        failures.push(`${route}: ${csv} is no table of figures`);
      }
    }
  }
  const calendars = async (route) => {
    const { page } = await open(origin + route);
    const hrefs = await page.evaluate(() => Array.from(document.querySelectorAll('a[href$=".ics"]')).map((a) => a.href));
    await page.close();
    for (const h of hrefs) {
      const body = await (await fetch(h)).text();
      if (!body.startsWith('BEGIN:VCALENDAR')) { failures.push(`${route}: ${h} is no calendar`); }
    }
    return hrefs;
  };
  for (const sub of ['co-quan', 'to-cong-tac']) {
    for (const id of fs.readdirSync(path.join(site, sub)).filter((d) => fs.statSync(path.join(site, sub, d)).isDirectory())) {
      const hrefs = await calendars(`/${sub}/${id}/`);
      if (!hrefs.some((h) => h.endsWith(`/${sub}/${id}/han-chot.ics`))) { failures.push(`/${sub}/${id}/: no link to its calendar`); }
    }
  }
  const all = await calendars('/han-chot/');
  const groups = groupIds.length;
  if (!all.some((h) => h.endsWith('/han-chot.ics')) || all.filter((h) => h.includes('/to-cong-tac/')).length !== groups) {
    failures.push(`/han-chot/ links ${all.length} calendars: the whole plan and every group expected`);
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
  // Filter by status, then by agency: the filters fold until asked for.
  assert.strictEqual(await page.isVisible('select[name="status"]'), false, 'filters folded');
  await page.click('form[data-filters] summary');
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

test('English search marks Vietnamese titles as Vietnamese and finds the proposals', async () => {
  const { page, problems } = await open(`${origin}/en/tim-kiem/?q=ioc`);
  await page.waitForSelector('.results li');
  const links = await page.$$eval('.results li a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('lang')]));
  const by = (href) => links.find((l) => l[0] === href) || [];
  // A task with an English title: no lang; a Vietnamese news item: lang="vi".
  assert.deepStrictEqual(by('/en/nhiem-vu/ioc-soc/').slice(2), [null], JSON.stringify(links));
  assert.match(by('/en/nhiem-vu/ioc-soc/')[1], /Intelligent Operations Centre/);
  assert.strictEqual(by('/en/tin-tuc/ioc-soc-chinh-thuc-van-hanh/')[2], 'vi', JSON.stringify(links));
  // The proposal about the centres' running costs, with its state.
  const proposal = by('/en/kien-nghi/so-khcn/kinh-phi-van-hanh-ioc/');
  assert.match(proposal[1] || '', /funds to run the IOC and SOC/, JSON.stringify(links));
  assert.match(await page.textContent('.results'), /Resolved/);
  // The register leads for its name, at 320 px without sideways scrolling.
  await page.setViewportSize({ width: 320, height: 640 });
  await page.fill('#q', 'kien nghi');
  await page.waitForFunction(() => {
    const a = document.querySelector('.results li a');
    return a && a.getAttribute('href') === '/en/kien-nghi/';
  });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'no sideways scroll');
  assert.deepStrictEqual(problems, []);
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
    assert.strictEqual(await page.isVisible('.hint .no-js'), true, 'the hint for readers without JavaScript shows');
    assert.strictEqual(await page.isVisible('.hint .js-only'), false);
    for (const view of ['qua-han', 'hoan-thanh-dung-han', 'thuong-xuyen']) {
      const res = await page.goto(`${origin}/nhiem-vu/${view}/`);
      assert.strictEqual(res.status(), 200);
    }
    await page.goto(`${origin}/nhiem-vu/benh-an-dien-tu/`);
    assert.match(await page.textContent('main'), /Sở Y tế/);
    assert.match(await page.textContent('main'), /30\/04\/2025/);
    await page.goto(`${origin}/tim-kiem/`);
    assert.match(await page.textContent('main'), /Tìm kiếm cần JavaScript/);
    // A link into a folded section of the phone dashboard still leads there.
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${origin}/bao-cao/2025-05/#bang-hoan-thanh`);
    assert.ok(await page.isVisible('#bang-hoan-thanh'), 'a folded table opens for its anchor');
    await page.close();
  } finally {
    await context.close();
  }
});

/** Every chart on the page as shown: the drawing the page picked (the
    narrow `#hep` view or the wide one) inlined at the size the image takes,
    so that the browser lays its text out with the page's fonts. Returns,
    per chart, each text's CSS font size and box. */
async function chartTexts(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const img of document.querySelectorAll('.chart img')) {
      const src = img.currentSrc || img.src;
      const markup = await (await fetch(src.split('#')[0])).text();
      const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
      const svg = doc.documentElement;
      const narrow = src.endsWith('#hep');
      const view = narrow ? doc.getElementById('hep').getAttribute('viewBox') : svg.getAttribute('viewBox');
      const [, , vw, vh] = view.split(' ').map(Number);
      const box = document.createElement('div');
      box.style.cssText = `position:absolute;left:0;top:0;width:${img.clientWidth}px`;
      const shown = document.importNode(svg, true);
      shown.setAttribute('viewBox', view);
      shown.setAttribute('width', img.clientWidth);
      shown.setAttribute('height', img.clientWidth * vh / vw);
      shown.querySelector(narrow ? 'g.wide' : 'g.narrow').remove();
      box.appendChild(shown);
      document.body.appendChild(box);
      const frame = shown.getBoundingClientRect();
      const texts = Array.from(shown.querySelectorAll('text')).map((t) => {
        const r = t.getBoundingClientRect();
        return {
          text: t.textContent.trim(),
          px: parseFloat(getComputedStyle(t).fontSize) * img.clientWidth / vw,
          box: { left: r.left - frame.left, right: r.right - frame.left, top: r.top - frame.top, bottom: r.bottom - frame.top },
        };
      });
      out.push({ src, width: img.clientWidth, frame: { width: frame.width, height: frame.height }, texts });
      box.remove();
    }
    return out;
  });
}

const CHART_PAGES = ['/', '/co-quan/', '/chi-tieu/dvc-toan-trinh/', '/chi-tieu/ioc-soc-van-hanh/', '/to-cong-tac/to-kinh-te/', '/en/'];

test('chart text is 12 px or more on a 320 px phone and 13 px or more on a desktop; no label overlaps or is cut', async () => {
  const failures = [];
  let measured = 0;
  for (const [width, least] of [[320, 12], [1280, 13]]) {
    for (const route of CHART_PAGES) {
      const { page } = await open(origin + route, browser, { width, height: 900 });
      // Charts folded on phones count too; they load lazily: load them all now.
      await page.evaluate(() => document.querySelectorAll('details.fold-narrow').forEach((d) => { d.open = true; }));
      await page.$$eval('.chart img', (imgs) => imgs.forEach((i) => { i.loading = 'eager'; }));
      await page.waitForFunction(() => Array.from(document.querySelectorAll('.chart img')).every((i) => i.complete && i.naturalWidth > 0));
      const charts = await chartTexts(page);
      if (charts.length === 0) { failures.push(`${route}: no chart`); }
      for (const c of charts) {
        const picked = c.src.endsWith('#hep') ? 'narrow' : 'wide';
        if ((width < 960) !== (picked === 'narrow')) { failures.push(`${route} at ${width}: the ${picked} drawing`); }
        for (const t of c.texts) {
          measured += 1;
          if (t.px < least - 0.01) { failures.push(`${route} at ${width}: "${t.text}" renders at ${t.px.toFixed(1)} px`); }
          const b = t.box;
          if (b.left < -0.5 || b.top < -0.5 || b.right > c.frame.width + 0.5 || b.bottom > c.frame.height + 0.5) {
            failures.push(`${route} at ${width}: "${t.text}" is cut (${JSON.stringify(b)})`);
          }
        }
        for (let i = 0; i < c.texts.length; i += 1) {
          for (let j = i + 1; j < c.texts.length; j += 1) {
            const a = c.texts[i].box; const b = c.texts[j].box;
            const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (x > 1 && y > 1) { failures.push(`${route} at ${width}: "${c.texts[i].text}" overlaps "${c.texts[j].text}"`); }
          }
        }
      }
      await page.close();
    }
  }
  assert.ok(measured > 300, `only ${measured} chart texts measured`);
  assert.deepStrictEqual(failures, []);
});

const TABLE_PAGES = ['/', '/kien-nghi/', '/kien-nghi/so-khcn/can-bo-cds-cap-xa/', '/nhiem-vu/ioc-soc/', '/nhiem-vu/', '/co-quan/', '/co-quan/so-khcn/', '/chi-tieu/', '/chi-tieu/dvc-toan-trinh/', '/bao-cao/', '/bao-cao/2025-05/', '/du-lieu/', '/to-cong-tac/to-kinh-te/'];

test('tables never scroll sideways and no cell narrower than 8em wraps its text, at 320 and 1280 px', async () => {
  const failures = [];
  let cells = 0;
  for (const width of [320, 1280]) {
    for (const route of TABLE_PAGES) {
      const { page, status } = await open(origin + route);
      if (status !== 200) { failures.push(`${route}: HTTP ${status}`); continue; }
      await page.setViewportSize({ width, height: 900 });
      // Tables folded in <details> count too.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      const found = await page.evaluate(() => {
        const em = parseFloat(getComputedStyle(document.documentElement).fontSize);
        const out = { boxes: [], narrow: [], cells: 0 };
        for (const box of document.querySelectorAll('.table-box')) {
          if (box.scrollWidth > box.clientWidth + 1) { out.boxes.push(`${box.getAttribute('aria-label')}: ${box.scrollWidth} > ${box.clientWidth}`); }
        }
        for (const cell of document.querySelectorAll('.table-box tbody td, .table-box tbody th')) {
          const r = cell.getBoundingClientRect();
          if (r.width === 0 || cell.textContent.trim() === '') { continue; }
          out.cells += 1;
          if (r.width >= 8 * em - 0.5) { continue; }
          // Narrower than 8em is fine for a figure on one line; not for a
          // cell that breaks its text (a column one word wide).
          const before = cell.getBoundingClientRect().height;
          const old = cell.style.whiteSpace;
          cell.style.whiteSpace = 'nowrap';
          const after = cell.getBoundingClientRect().height;
          cell.style.whiteSpace = old;
          if (after < before - 1) { out.narrow.push(`"${cell.textContent.trim().slice(0, 30)}" ${r.width.toFixed(0)} px wraps`); }
        }
        return out;
      });
      cells += found.cells;
      found.boxes.forEach((b) => failures.push(`${route} at ${width}: scrolls sideways: ${b}`));
      found.narrow.slice(0, 3).forEach((n) => failures.push(`${route} at ${width}: cell narrower than 8em: ${n}`));
      await page.close();
    }
  }
  assert.ok(cells > 500, `only ${cells} cells`);
  assert.deepStrictEqual(failures, []);
});

test('the first screen at 375 x 812: as-of date, sample-data notice and first headline figure; the menu folds behind one 44 px control', async () => {
  const { page } = await open(`${origin}/`);
  await page.setViewportSize({ width: 375, height: 812 });
  for (const sel of ['.as-of', '.sample', '.headline li:first-child .big']) {
    const r = await page.$eval(sel, (e) => e.getBoundingClientRect().toJSON());
    assert.ok(r.height > 0 && r.bottom <= 812, `${sel} ends at ${r.bottom} px`);
  }
  // Status counts: two columns.
  const lefts = await page.$$eval('.counts li', (l) => new Set(l.map((x) => Math.round(x.getBoundingClientRect().left))).size);
  assert.strictEqual(lefts, 2);
  // The menu: folded, one control of 44 px or more, links of 44 px when open.
  assert.strictEqual(await page.isVisible('.menu ul a'), false, 'menu folded on a phone');
  const summary = await page.$eval('.menu summary', (e) => e.getBoundingClientRect().toJSON());
  assert.ok(summary.height >= 44 && summary.width >= 44, JSON.stringify(summary));
  await page.click('.menu summary');
  const heights = await page.$$eval('.menu ul a', (l) => l.map((a) => a.getBoundingClientRect().height));
  assert.ok(heights.length >= 9 && heights.every((h) => h >= 44), `${heights}`);
  // On a desktop the menu is open without a click.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.reload();
  assert.strictEqual(await page.isVisible('.menu ul a'), true, 'menu open on a desktop');
  assert.strictEqual(await page.isVisible('.menu summary'), false);
  await page.close();
  // Without JavaScript the phone menu still opens.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiendo-nojs-menu-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, javaScriptEnabled: false, viewport: { width: 375, height: 812 },
  });
  try {
    const { page: p } = await open(`${origin}/nhiem-vu/`, context);
    await p.click('.menu summary');
    assert.strictEqual(await p.isVisible('.menu ul a'), true);
    // The deadline table's first task is on the first screen.
    const first = await p.$eval('#bang-nhiem-vu tbody tr', (e) => e.getBoundingClientRect().top);
    assert.ok(first < 812 + 400, `first task at ${first}`);
  } finally {
    await context.close();
  }
});

test('the phone dashboard answers first: at most 6 screens of 375 x 812, the overdue tasks and their agencies within the first 2; folds say what they hold and open for their anchors', async () => {
  const screens = async (route) => {
    const { page } = await open(origin + route, browser, { width: 375, height: 812 });
    const seen = await page.evaluate(() => ({
      screens: document.documentElement.scrollHeight / 812,
      overdue: document.getElementById('qua-han').getBoundingClientRect().top + window.scrollY,
      agencies: document.querySelector('#qua-han + p a').getBoundingClientRect().top + window.scrollY,
      firstLate: document.querySelector('#bang-qua-han tbody tr').getBoundingClientRect().top + window.scrollY,
      folds: Array.from(document.querySelectorAll('details.fold-narrow')).map((d) => ({ open: d.open, summary: d.querySelector('summary').textContent })),
    }));
    return { page, seen };
  };
  for (const route of ['/', '/en/']) {
    const { page, seen } = await screens(route);
    assert.ok(seen.screens <= 6, `${route}: ${seen.screens.toFixed(2)} screens`);
    assert.ok(seen.overdue < 2 * 812, `${route}: the overdue section starts at ${seen.overdue} px`);
    assert.ok(seen.agencies < 2 * 812 && seen.firstLate < 2 * 812, `${route}: agencies at ${seen.agencies}, first late task at ${seen.firstLate}`);
    assert.ok(seen.folds.length >= 4 && seen.folds.every((f) => !f.open), `${route}: folds closed on a phone`);
    // A folded list says how many it holds.
    assert.ok(seen.folds.filter((f) => /\(\d+\)/.test(f.summary)).length >= 3, JSON.stringify(seen.folds));
    // On a desktop the folds show their content, no summary in the way.
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.strictEqual(await page.isVisible('#bang-chua-giao'), true, 'unfolded on a desktop');
    assert.strictEqual(await page.isVisible('details.fold-narrow > summary'), false);
    await page.close();
  }
  // A link to an anchor inside a fold opens it, on load and on a hash change.
  const { page } = await open(`${origin}/#bang-chua-giao`, browser, { width: 375, height: 812 });
  assert.strictEqual(await page.isVisible('#bang-chua-giao'), true, 'opened for its anchor');
  await page.evaluate(() => { window.location.hash = '#bang-sap-toi'; });
  await page.waitForFunction(() => document.getElementById('bang-sap-toi').closest('details').open);
  await page.close();
  // The monthly report opens with its summary, before the long lists.
  const { page: month } = await open(`${origin}/bao-cao/2025-05/`, browser, { width: 375, height: 812 });
  const order = await month.evaluate(() => ['tom-tat', 'nop-bao-cao', 'thay-doi', 'cac-bao-cao'].map((id) => document.getElementById(id).getBoundingClientRect().top));
  assert.deepStrictEqual(order, [...order].sort((a, b) => a - b), 'summary first');
  assert.ok(order[0] < 812, `summary at ${order[0]} px`);
  assert.match(await month.textContent('#tom-tat + p'), /Đúng hạn: \d+\/\d+ · Muộn: \d+ · Chưa báo cáo: \d+/);
  await month.close();
});

test('a status chip stays inside its box on a desktop; JavaScript hides the hint meant for readers without it; a caption under a same-named heading is not shown twice', async () => {
  const { page } = await open(`${origin}/`, browser, { width: 1280, height: 800 });
  const spills = await page.$$eval('.counts .status', (chips) => chips.filter((c) => c.getBoundingClientRect().right > c.closest('li').getBoundingClientRect().right + 0.5).map((c) => c.textContent.trim()));
  assert.deepStrictEqual(spills, []);
  // A table right under a heading with the same text (or folded right under
  // it) keeps its caption for screen readers only.
  let under = 0;
  for (const route of ['/', '/co-quan/so-y-te/', '/bao-cao/2025-05/', '/han-chot/']) {
    await page.goto(origin + route);
    const captions = await page.$$eval('.table-box caption', (list) => list.map((c) => {
      const box = c.closest('.table-box');
      const host = box.parentElement.matches('details.fold-narrow') ? box.parentElement : box;
      const prev = host.previousElementSibling;
      const norm = (t) => t.replace(/\s*\([^)]*\)\s*$/, '').trim();
      return { same: !!prev && /^H[2-4]$/.test(prev.tagName) && norm(prev.textContent) === norm(c.textContent), shown: c.getBoundingClientRect().height > 2, text: c.textContent };
    }));
    under += captions.filter((c) => c.same).length;
    assert.deepStrictEqual(captions.filter((c) => c.same && c.shown).map((c) => c.text), [], route);
  }
  assert.ok(under >= 4, `${under} captions under their heading`);
  await page.goto(`${origin}/nhiem-vu/`);
  assert.strictEqual(await page.isVisible('.hint .no-js'), false, 'no "without JavaScript" hint when it runs');
  assert.strictEqual(await page.isVisible('.hint .js-only'), true);
  await page.close();
});

test('on a phone the deadline table reflows and still sorts and filters', async () => {
  const { page } = await open(`${origin}/nhiem-vu/`);
  await page.setViewportSize({ width: 320, height: 800 });
  const first = await page.$eval('#bang-nhiem-vu tbody tr', (tr) => ({
    display: getComputedStyle(tr).display,
    firstShown: Array.from(tr.children).filter((c) => c.getBoundingClientRect().height > 0).sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0].className,
    label: getComputedStyle(tr.querySelector('td[data-label]'), '::before').content,
  }));
  assert.strictEqual(first.display, 'flex');
  assert.strictEqual(first.firstShown, 'title', 'the title comes first');
  assert.match(first.label, /Mục/);
  const top = await page.$eval('#bang-nhiem-vu tbody tr', (e) => e.getBoundingClientRect().top);
  assert.ok(top < 812, `first row of the table at ${top} px`);
  await page.click('#bang-nhiem-vu th[data-sort="days"] button');
  const byDays = await page.$$eval('#bang-nhiem-vu tbody tr', (rows) => rows.map((r) => Number(r.dataset.days)));
  assert.deepStrictEqual(byDays, [...byDays].sort((a, b) => b - a));
  await page.click('form[data-filters] summary');
  await page.selectOption('select[name="status"]', 'overdue');
  const shown = await page.$$eval('#bang-nhiem-vu tbody tr', (rows) => rows.filter((r) => r.getBoundingClientRect().height > 0).map((r) => r.dataset.status));
  assert.deepStrictEqual(shown, ['overdue', 'overdue']);
  await page.close();
});

test('task, KPI and monthly report pages print as an A4 bulletin', async () => {
  for (const [name, route] of [['task', '/nhiem-vu/benh-an-dien-tu/'], ['kpi', '/chi-tieu/dvc-toan-trinh/'], ['report', '/bao-cao/2025-05/']]) {
    const { page } = await open(origin + route);
    await page.emulateMedia({ media: 'print' });
    const seen = await page.evaluate(() => {
      const root = getComputedStyle(document.documentElement);
      const link = document.querySelector('main a[href]:not([href^="#"])');
      return {
        head: root.getPropertyValue('--print-head'),
        foot: root.getPropertyValue('--print-foot'),
        nav: getComputedStyle(document.querySelector('.site-header nav')).display,
        link: link ? getComputedStyle(link, '::after').content : '',
        href: link ? link.getAttribute('href') : '',
        heading: getComputedStyle(document.querySelector('h2') || document.querySelector('h1')).breakAfter,
        // The task's card may go on to the next sheet, not leave the first half empty.
        card: document.querySelector('.card') ? getComputedStyle(document.querySelector('.card')).breakInside : 'auto',
      };
    });
    assert.match(seen.head, /Theo dõi tiến độ .* 25\/06\/2025/, 'source and as-of date on every sheet');
    assert.match(seen.foot, /CC BY 4\.0/, 'licence on every sheet');
    assert.strictEqual(seen.nav, 'none', 'no menu');
    assert.ok(seen.link.includes(seen.href), `links written out: ${seen.link}`);
    if (seen.href.startsWith('/')) { assert.ok(seen.link.includes(origin + seen.href), `links written out in full: ${seen.link}`); }
    assert.strictEqual(seen.heading, 'avoid');
    assert.notStrictEqual(seen.card, 'avoid', 'the card may break between its rows');
    const file = path.join(artifacts, `print-${name}.pdf`);
    await page.pdf({ path: file, format: 'A4', preferCSSPageSize: true });
    assert.ok(fs.statSync(file).size > 10000, file);
    await page.close();
  }
});

test('screenshots of the dashboard, the deadline table and a KPI page', async () => {
  const shots = [['dashboard', '/'], ['deadline-table', '/nhiem-vu/'], ['kpi', '/chi-tieu/dvc-toan-trinh/']];
  for (const [name, route] of shots) {
    for (const [label, width] of [['phone', 375], ['desktop', 1280]]) {
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
