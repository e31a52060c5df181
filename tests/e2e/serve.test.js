// `tiendo serve` as an editor meets it: the open tab shows a content change
// by itself, without a reload by hand, and shows content errors at the top
// over the last good build. Chromium, the default content, 127.0.0.1.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { AxeBuilder } = require('@axe-core/playwright');
const { copySite, startServe, launch, edit } = require('./preview');

const repo = path.join(__dirname, '..', '..');
const binary = process.env.TIENDO_BIN || path.join(repo, 'target', 'debug', 'tiendo');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let site; let server; let browser;

before(async () => {
  site = copySite(repo);
  server = await startServe(binary, site);
  browser = await launch(chromiumPath);
});

after(async () => {
  if (browser) { await browser.close(); }
  if (server) { server.child.kill(); }
  if (site) { fs.rmSync(site, { recursive: true, force: true }); }
});

test('a content change shows in the open tab by itself; errors show over the last good build', async () => {
  const page = await browser.newPage();
  const otherHosts = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.origin)) { otherHosts.push(r.url()); } });
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) { navigations += 1; } });
  const stream = page.waitForRequest((r) => r.url() === `${server.origin}/__tiendo/events`);
  await page.goto(`${server.origin}/`, { waitUntil: 'load' });
  // The page has asked for the event stream before the edit, so the change
  // must come through it.
  await stream;
  const before = navigations;
  const siteYaml = path.join(site, 'content', 'site.yaml');
  const title = 'Theo dõi tiến độ chuyển đổi số tỉnh Hải Dương';
  assert.ok((await page.title()).includes(title));

  const started = Date.now();
  edit(siteYaml, `title: ${title}`, 'title: Bản xem trước đã sửa');
  await page.waitForFunction(() => document.title.includes('Bản xem trước đã sửa'), null, { timeout: 30000 });
  const shown = Date.now() - started;
  assert.ok(navigations > before, 'the page did not reload');
  console.log(`serve: a one-file change showed in the open tab after ${shown} ms (debug build)`);

  // A broken edit: the last good build stays, with the error on top.
  edit(siteYaml, 'report_day: 20', 'report_day: hai mươi');
  const banner = page.locator('#tiendo-preview-errors');
  await banner.waitFor({ timeout: 30000 });
  assert.match(await banner.innerText(), /content\/site\.yaml:\d+:\d+: lỗi: /);
  assert.ok((await page.title()).includes('Bản xem trước đã sửa'), 'the last good build is gone');
  const axe = await new AxeBuilder({ page }).include('#tiendo-preview-errors')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.deepStrictEqual(axe.violations.map((v) => v.id), []);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `the error banner scrolls sideways at 320 px (${width} px)`);

  // Fixed: the banner goes by itself.
  edit(siteYaml, 'report_day: hai mươi', 'report_day: 20');
  await page.waitForFunction(() => !document.getElementById('tiendo-preview-errors'), null, { timeout: 30000 });
  assert.deepStrictEqual(otherHosts, []);
  assert.ok(!fs.existsSync(path.join(site, 'output')), 'serve wrote output/');
});
