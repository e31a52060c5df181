// Helpers for driving `tiendo serve` in Chromium, shared by the browser
// test (serve.test.js) and the benchmark (bench/serve): a copy of a site,
// the preview server on a free port of 127.0.0.1, and a browser.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { chromium } = require('playwright-core');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** A temporary copy of `root`'s content/ (and overrides, if any). */
function copySite(root) {
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'tiendo-preview-'));
  for (const dir of ['content', 'templates', 'theme-static', 'i18n']) {
    if (fs.existsSync(path.join(root, dir))) {
      fs.cpSync(path.join(root, dir), path.join(site, dir), { recursive: true });
    }
  }
  return site;
}

/** Starts `tiendo serve --port 0` on `site`; resolves to { child, origin }
    once it prints its address. */
function startServe(binary, site, extra = [], timeoutMs = 60000) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--root', site, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`no address from tiendo serve:\n${out}\n${err}`)); }, timeoutMs);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) { clearTimeout(timer); resolve({ child, origin: m[0], log: () => out + err }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`tiendo serve exited with ${code}:\n${out}\n${err}`)); });
  });
}

async function launch(chromiumPath) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tiendo-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, viewport: { width: 320, height: 640 },
  });
}

/** Replaces the first `from` in `file` with `to`. */
function edit(file, from, to) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) { throw new Error(`${file} has no ${from}`); }
  fs.writeFileSync(file, text.replace(from, to));
}

module.exports = { copySite, startServe, launch, edit };
