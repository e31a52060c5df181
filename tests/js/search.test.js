// The search script, run by Node on the default portal's real index:
// citizens type without diacritics and still find what they look for, and
// a query fetches the manifest and a few small files, not the whole index.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { fold, decode, chunksFor, createSearch } = require('../../themes/default/static/search.js');

const repo = path.join(__dirname, '..', '..');
const binary = process.env.TIENDO_BIN || path.join(repo, 'target', 'debug', 'tiendo');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tiendo-search-'));
execFileSync(binary, ['build', '--root', repo, '--output', out], { stdio: 'ignore' });

/* A searcher over the files of one language's index that records what it
   fetched, as the browser would fetch it. */
function searcher(dir) {
  const fetched = [];
  const s = createSearch((file) => {
    fetched.push(file);
    const bytes = fs.readFileSync(path.join(dir, file.replace(/\?v=[0-9a-f]+$/, '')));
    return Promise.resolve(JSON.parse(bytes.toString('utf8')));
  });
  return { search: (q, limit) => s.query(q, limit), fetched };
}
const vi = path.join(out, 'tim-kiem');
const en = path.join(out, 'en', 'tim-kiem');
const search = (q, limit) => searcher(vi).search(q, limit);

test('folding agrees with the Rust side', () => {
  assert.strictEqual(fold('Chuyển đổi số'), 'chuyen doi so');
  assert.strictEqual(fold('Sở KH&CN'), 'so khcn');
  assert.strictEqual(fold('Đăng ký'), 'dang ky');
  assert.strictEqual(fold('nhiem-vu-12 COVID–19'), 'nhiem vu 12 covid 19');
  // Decomposed input (from macOS or Word) folds the same.
  assert.strictEqual(fold('Chuyển đổi số'.normalize('NFD')), 'chuyen doi so');
});

test('entry numbers decode from runs in base 36', () => {
  assert.deepStrictEqual(decode(''), []);
  assert.deepStrictEqual(decode('0+3,7,11'), [0, 1, 2, 3, 10, 47]);
  assert.deepStrictEqual(decode('5+1,2m'), [5, 6, 100]);
});

test('a query word picks the chunks whose range can hold it', () => {
  const manifest = { prefix: 3, chunks: [['an', 'chu'], ['chuyen', 'dan'], ['dang', 'so'], ['soat', 'xa']] };
  assert.deepStrictEqual(chunksFor(manifest, 'chuy'), [1]);
  assert.deepStrictEqual(chunksFor(manifest, 'chu'), [0, 1]);
  assert.deepStrictEqual(chunksFor(manifest, 'so'), [2], 'a short word matches itself only');
  assert.deepStrictEqual(chunksFor(manifest, 'sov'), [3]);
  assert.deepStrictEqual(chunksFor(manifest, 'zzz'), []);
});

test('"chuyen doi so" finds "chuyển đổi số"', async () => {
  const found = await search('chuyen doi so');
  assert.ok(found.some((e) => e.u === '/nhiem-vu/chuyen-muc-chuyen-doi-so/'), JSON.stringify(found.map((e) => e.u)));
  assert.ok(fold(found[0].t).includes('chuyen doi so'), found[0].t);
});

test('"so khcn" finds "Sở KH&CN"', async () => {
  const found = await search('so khcn');
  assert.strictEqual(found[0].u, '/co-quan/so-khcn/');
  assert.strictEqual(found[0].t, 'Sở Khoa học và Công nghệ (Sở KH&CN)');
});

test('"dang" finds "Đăng", and a word is found by its start', async () => {
  const found = await search('dang');
  assert.ok(found.some((e) => e.u === '/tin-tuc/binh-dan-hoc-vu-so/'), JSON.stringify(found.map((e) => e.t)));
  const start = await search('chuye');
  assert.ok(start.some((e) => e.u === '/nhiem-vu/chuyen-muc-chuyen-doi-so/'));
});

test('an id is found by its parts, typed with or without dashes', async () => {
  for (const q of ['benh-an-dien-tu', 'benh an dien tu']) {
    const found = await search(q);
    assert.strictEqual(found[0].u, '/nhiem-vu/benh-an-dien-tu/', q);
  }
});

test('results carry kind, status and link', async () => {
  const [task] = await search('benh an dien tu');
  assert.deepStrictEqual([task.k, task.c, task.s, task.u], ['Nhiệm vụ', 'overdue', 'Quá hạn', '/nhiem-vu/benh-an-dien-tu/']);
  const [english] = await searcher(en).search('benh an dien tu');
  assert.deepStrictEqual([english.k, english.s, english.u], ['Task', 'Overdue', '/en/nhiem-vu/benh-an-dien-tu/']);
});

test('nothing is found for words that are not there, or for nothing', async () => {
  assert.deepStrictEqual(await search('zzzz khong co'), []);
  assert.deepStrictEqual(await search('   '), []);
});

test('every entry is found by its own title', async () => {
  const s = searcher(vi);
  const files = fs.readdirSync(path.join(vi, 'muc'));
  let entries = 0;
  for (const file of files) {
    for (const [url, title] of JSON.parse(fs.readFileSync(path.join(vi, 'muc', file), 'utf8'))) {
      entries += 1;
      const found = await s.search(title, 1000);
      assert.ok(found.some((e) => e.u === url), `${title} (${url})`);
    }
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(vi, 'chi-muc.json'), 'utf8'));
  assert.strictEqual(entries, manifest.entries);
});

test('a query fetches the manifest, its chunks and its entries, once each', async () => {
  const s = searcher(vi);
  await s.search('benh an dien tu');
  assert.strictEqual(s.fetched[0], 'chi-muc.json');
  assert.ok(s.fetched.slice(1).every((f) => /^(tu|muc)\/\d+\.json\?v=[0-9a-f]{16}$/.test(f)), s.fetched.join(' '));
  assert.strictEqual(new Set(s.fetched).size, s.fetched.length, 'nothing twice');
  const before = s.fetched.length;
  await s.search('benh an dien tu');
  assert.strictEqual(s.fetched.length, before, 'a repeated query fetches nothing more');
});

test('a status word leads to its list, with or without diacritics, in either language', async () => {
  for (const q of ['quá hạn', 'qua han', 'overdue', 'Quá Hạn']) {
    const found = await search(q);
    assert.ok(found.length > 0, q);
    assert.match(found[0].u, /\/nhiem-vu\/qua-han\/$/, `${q}: ${JSON.stringify(found[0])}`);
  }
  const blocked = await search('vuong mac');
  assert.match(blocked[0].u, /\/nhiem-vu\/vuong-mac\/$/);
});

test("an agency's name, short name or id leads to its page first", async () => {
  for (const q of ['so y te', 'Sở Y tế', 'so yt', 'so-y-te']) {
    const found = await search(q);
    assert.ok(found.length > 0, q);
    assert.match(found[0].u, /\/co-quan\/so-y-te\/$/, `${q}: ${JSON.stringify(found.slice(0, 3))}`);
  }
});

test("a task's item number leads to its task first", async () => {
  const found = await search('4.l');
  assert.ok(found.length > 0);
  assert.strictEqual(found[0].k, 'Nhiệm vụ');
  assert.match(found[0].u, /\/nhiem-vu\/benh-an-dien-tu\/$/, JSON.stringify(found.slice(0, 3)));
});
