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

test('on English pages a Vietnamese title is marked as Vietnamese, an English one is not', async () => {
  const s = searcher(en);
  const [news] = await s.search('Trung tâm IOC và SOC của tỉnh chính thức vận hành');
  assert.strictEqual(news.u, '/en/tin-tuc/ioc-soc-chinh-thuc-van-hanh/');
  assert.strictEqual(news.l, 'vi', 'a Vietnamese article on an English page');
  const [task] = await s.search('benh an dien tu');
  assert.strictEqual(task.t, 'Replace paper medical records with electronic medical records');
  assert.strictEqual(task.l, '', 'an English title');
  // A task is found by its English words too, and its Vietnamese ones on Vietnamese pages.
  const [english] = await s.search('electronic medical records');
  assert.strictEqual(english.u, '/en/nhiem-vu/benh-an-dien-tu/');
  // Every row of the English index: "vi" exactly where the title is the
  // Vietnamese one (the default content has English for all but the news).
  const rows = (dir) => fs.readdirSync(path.join(dir, 'muc'))
    .flatMap((file) => JSON.parse(fs.readFileSync(path.join(dir, 'muc', file), 'utf8')));
  const vietnamese = new Map(rows(vi).map((row) => [row[0], row[1]]));
  let marked = 0;
  for (const row of rows(en)) {
    const same = vietnamese.get(row[0].replace(/^\/en\//, '/')) === row[1];
    assert.strictEqual(row[5] === 'vi', same, JSON.stringify(row));
    marked += same ? 1 : 0;
  }
  assert.ok(marked >= 6, `${marked} Vietnamese titles`);
  // The Vietnamese index marks nothing.
  for (const file of fs.readdirSync(path.join(vi, 'muc'))) {
    for (const row of JSON.parse(fs.readFileSync(path.join(vi, 'muc', file), 'utf8'))) {
      assert.ok(row.length <= 5, JSON.stringify(row));
    }
  }
});

test('the register of proposals and each proposal are found: by name, words, agency and state', async () => {
  for (const q of ['kien nghi', 'khó khăn', 'Khó khăn, vướng mắc, kiến nghị']) {
    const [first] = await search(q);
    assert.strictEqual(first.u, '/kien-nghi/', q);
  }
  const [register] = await searcher(en).search('proposals');
  assert.strictEqual(register.u, '/en/kien-nghi/');
  const [words] = await search('kinh phi thiet bi benh an');
  assert.strictEqual(words.u, '/kien-nghi/so-y-te/kinh-phi-thiet-bi-benh-an/', JSON.stringify(words));
  assert.strictEqual(words.k, 'Kiến nghị, đề xuất');
  assert.strictEqual(words.s, 'Chờ trả lời');
  // By the agency asked (its short name) and the state, in either language.
  const asked = await search('so noi vu qua han tra loi');
  assert.deepStrictEqual(asked.map((e) => e.u), ['/kien-nghi/so-khcn/can-bo-cds-cap-xa/']);
  const resolved = await searcher(en).search('resolved ioc');
  assert.deepStrictEqual(resolved.map((e) => e.u), ['/en/kien-nghi/so-khcn/kinh-phi-van-hanh-ioc/']);
  // A status word still leads to its list first.
  const [blocked] = await search('vuong mac');
  assert.match(blocked.u, /\/nhiem-vu\/vuong-mac\/$/);
});
