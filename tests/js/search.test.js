// The search script, run by Node on the default portal's real index:
// citizens type without diacritics and still find what they look for.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { fold, search } = require('../../themes/default/static/tiendo.js');

const repo = path.join(__dirname, '..', '..');
const binary = process.env.TIENDO_BIN || path.join(repo, 'target', 'debug', 'tiendo');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tiendo-search-'));
execFileSync(binary, ['build', '--root', repo, '--output', out], { stdio: 'ignore' });
const index = JSON.parse(fs.readFileSync(path.join(out, 'tim-kiem', 'chi-muc.json'), 'utf8'));
const english = JSON.parse(fs.readFileSync(path.join(out, 'en', 'tim-kiem', 'chi-muc.json'), 'utf8'));

test('folding agrees with the Rust side', () => {
  assert.strictEqual(fold('Chuyển đổi số'), 'chuyen doi so');
  assert.strictEqual(fold('Sở KH&CN'), 'so khcn');
  assert.strictEqual(fold('Đăng ký'), 'dang ky');
  // Decomposed input (from macOS or Word) folds the same.
  assert.strictEqual(fold('Chuyển đổi số'.normalize('NFD')), 'chuyen doi so');
});

test('"chuyen doi so" finds "chuyển đổi số"', () => {
  const found = search(index, 'chuyen doi so');
  assert.ok(found.some((e) => e.u === '/nhiem-vu/chuyen-muc-chuyen-doi-so/'), JSON.stringify(found.map((e) => e.u)));
  assert.ok(fold(found[0].t).includes('chuyen doi so'), found[0].t);
});

test('"so khcn" finds "Sở KH&CN"', () => {
  const found = search(index, 'so khcn');
  assert.strictEqual(found[0].u, '/co-quan/so-khcn/');
  assert.strictEqual(found[0].t, 'Sở Khoa học và Công nghệ (Sở KH&CN)');
});

test('"dang" finds "Đăng"', () => {
  const found = search(index, 'dang');
  assert.ok(found.some((e) => e.u === '/tin-tuc/binh-dan-hoc-vu-so/'), JSON.stringify(found.map((e) => e.t)));
});

test('results carry kind, status and link', () => {
  const [task] = search(index, 'benh an dien tu');
  assert.deepStrictEqual([task.k, task.c, task.s, task.u], ['Nhiệm vụ', 'overdue', 'Quá hạn', '/nhiem-vu/benh-an-dien-tu/']);
  const [en] = search(english, 'benh an dien tu');
  assert.deepStrictEqual([en.k, en.s, en.u], ['Task', 'Overdue', '/en/nhiem-vu/benh-an-dien-tu/']);
});

test('nothing is found for words that are not there, or for nothing', () => {
  assert.deepStrictEqual(search(index, 'zzzz khong co'), []);
  assert.deepStrictEqual(search(index, '   '), []);
});
