/* tiendo search: the search page's script (search.html). It fetches the
   manifest of the index (tim-kiem/chi-muc.json), then only the word chunks
   a query needs and the entry files of the results shown; see
   src/render/search.rs for the files. Without JavaScript the page says so
   and links to the tables. The functions are exported for Node so that
   tests and the benchmark run them without a browser. */
(function (root) {
  'use strict';

  /* Lower case, no diacritics, đ -> d, dashes as spaces, letters, digits
     and single spaces: the same as search_fold in src/render/search.rs. */
  function fold(s) {
    return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd')
      .toLowerCase().replace(/[-\u2010\u2013\u2014]/g, ' ').replace(/[^\p{L}\p{N}\s]/gu, '').split(/\s+/).filter(Boolean).join(' ');
  }

  /* Entry numbers from their short form: comma-separated runs, each the
     distance from the end of the previous run in base 36, then "+" and how
     many consecutive numbers follow. "0+3,7,11" -> [0, 1, 2, 3, 10, 47]. */
  function decode(s) {
    var out = [];
    var prev = 0;
    if (!s) { return out; }
    s.split(',').forEach(function (run) {
      var parts = run.split('+');
      var start = prev + parseInt(parts[0], 36);
      var more = parts.length > 1 ? parseInt(parts[1], 36) : 0;
      for (var k = 0; k <= more; k += 1) { out.push(start + k); }
      prev = start + more;
    });
    return out;
  }

  /* The chunks (by number) that may hold the words a query word matches:
     a whole word if it is short, else every word it starts. */
  function chunksFor(manifest, word) {
    var whole = word.length < manifest.prefix;
    var end = whole ? word : word + '\uffff';
    var out = [];
    manifest.chunks.forEach(function (range, n) {
      if (range[0] <= end && range[1] >= word) { out.push(n); }
    });
    return out;
  }

  /* A searcher over the index that `load(file)` fetches (a Promise of the
     parsed JSON; file relative to tim-kiem/). Files are fetched once. */
  function createSearch(load) {
    var cache = {};
    var manifest = null;
    function get(file) {
      if (!cache[file]) { cache[file] = load(file); }
      return cache[file];
    }
    function versioned(file) {
      return get(file + '?v=' + manifest.v);
    }
    function start() {
      return get('chi-muc.json').then(function (m) { manifest = m; return m; });
    }

    /* The entries matching every query word, best first: every word in the
       title (or its key words: a status's names, an agency's short name, a
       task's item number) before the rest, then index order; among the
       results shown, a title that is the whole query first, then one that
       holds it. At most `limit` (default 50). */
    function query(text, limit) {
      var q = fold(text);
      var words = q.split(' ').filter(Boolean);
      limit = limit || 50;
      if (words.length === 0) { return Promise.resolve([]); }
      return start().then(function () {
        return Promise.all(words.map(function (w) {
          return Promise.all(chunksFor(manifest, w).map(function (n) {
            return versioned('tu/' + n + '.json');
          })).then(function (chunks) {
            var title = new Set();
            var all = new Set();
            var whole = w.length < manifest.prefix;
            chunks.forEach(function (chunk) {
              var keys = whole ? (Object.prototype.hasOwnProperty.call(chunk, w) ? [w] : [])
                : Object.keys(chunk).filter(function (k) { return k.lastIndexOf(w, 0) === 0; });
              keys.forEach(function (k) {
                decode(chunk[k][0]).forEach(function (id) { title.add(id); all.add(id); });
                decode(chunk[k][1]).forEach(function (id) { all.add(id); });
              });
            });
            return { title: title, all: all };
          });
        }));
      }).then(function (sets) {
        var smallest = sets.reduce(function (a, b) { return b.all.size < a.all.size ? b : a; });
        var found = [];
        smallest.all.forEach(function (id) {
          if (sets.every(function (s) { return s.all.has(id); })) {
            found.push({ id: id, score: sets.every(function (s) { return s.title.has(id); }) ? 1 : 0 });
          }
        });
        found.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
        found = found.slice(0, limit);
        var per = manifest.per_file;
        var files = Array.from(new Set(found.map(function (f) { return Math.floor(f.id / per); })));
        return Promise.all(files.map(function (n) { return versioned('muc/' + n + '.json'); }))
          .then(function (rows) {
            var byFile = {};
            files.forEach(function (n, i) { byFile[n] = rows[i]; });
            found.forEach(function (f) {
              var r = byFile[Math.floor(f.id / per)][f.id % per];
              var c = r[3] || '';
              /* r[5]: "vi" when the title is the Vietnamese an English page falls back to. */
              f.entry = { u: r[0], t: r[1], k: manifest.kinds[r[2]], c: c, s: r[4] || (c ? manifest.statuses[c] : ''), l: r[5] || '' };
              var shown = fold(r[1]);
              if ((' ' + shown + ' ').indexOf(' ' + q + ' ') !== -1) { f.score += 4; }
              /* The query is the whole title: a status list, an agency. */
              if (shown === q) { f.score += 8; }
            });
            found.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
            return found.map(function (f) { return f.entry; });
          });
      });
    }
    return { query: query };
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { fold: fold, decode: decode, chunksFor: chunksFor, createSearch: createSearch };
  }
  if (typeof document === 'undefined') { return; }

  function show(form, list, status, q, found) {
    list.textContent = '';
    found.forEach(function (e) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = e.u;
      a.textContent = e.t;
      if (e.l) { a.lang = e.l; }
      var kind = document.createElement('span');
      kind.className = 'tag';
      kind.textContent = e.k;
      li.appendChild(kind);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(a);
      if (e.s) {
        var st = document.createElement('span');
        st.className = e.c ? 'status status-' + e.c : 'muted';
        st.textContent = e.s;
        li.appendChild(document.createTextNode(' '));
        li.appendChild(st);
      }
      list.appendChild(li);
    });
    if (status) {
      status.textContent = fold(q) === '' ? '' : (found.length === 0 ? form.getAttribute('data-none')
        : form.getAttribute('data-count').replace('{n}', found.length));
    }
  }

  function makeSearch(form) {
    var input = form.querySelector('input[name="q"]');
    var list = document.querySelector('.results');
    var status = document.querySelector('.search-status');
    if (!input || !list) { return; }
    var base = new URL(form.getAttribute('data-index'), window.location.href);
    var searcher = createSearch(function (file) {
      return fetch(new URL(file, base)).then(function (r) {
        if (!r.ok) { throw new Error(r.status + ' ' + file); }
        return r.json();
      });
    });
    var latest = 0;
    var timer = null;
    function run() {
      var q = input.value;
      var mine = latest += 1;
      searcher.query(q, 50).then(function (found) {
        // A slower answer to an older query never replaces a newer one.
        if (mine === latest) { show(form, list, status, q, found); }
      });
      var url = new URL(window.location.href);
      if (q) { url.searchParams.set('q', q); } else { url.searchParams.delete('q'); }
      window.history.replaceState(null, '', url.toString());
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); window.clearTimeout(timer); run(); });
    // Wait for a pause in typing: each keystroke need not fetch chunks.
    input.addEventListener('input', function () { window.clearTimeout(timer); timer = window.setTimeout(run, 200); });
    var initial = new URL(window.location.href).searchParams.get('q');
    if (initial) { input.value = initial; run(); }
  }

  Array.prototype.forEach.call(document.querySelectorAll('form[data-index]'), makeSearch);
}(this));
