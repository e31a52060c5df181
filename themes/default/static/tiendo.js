/* tiendo: progressive enhancement only. Every page works without this file;
   with it, task tables sort by column, the deadline table filters, and the
   search page searches. The folding and matching functions are exported
   for Node so that tests can run them without a browser. */
(function (root) {
  'use strict';

  /* Lower case, no diacritics, đ -> d, letters, digits and single spaces:
     the same as search_fold in src/render/feeds.rs. */
  function fold(s) {
    return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd')
      .toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, '').split(/\s+/).filter(Boolean).join(' ');
  }

  /* Entries whose folded text has every query word as the start of a word,
     best first: the whole query in the title, then in the text, then the
     words in the title; otherwise in index order. */
  function search(index, query, limit) {
    var q = fold(query);
    var words = q.split(' ').filter(Boolean);
    if (words.length === 0) { return []; }
    var scored = [];
    for (var i = 0; i < index.length; i += 1) {
      var text = ' ' + index[i].f;
      var ok = words.every(function (w) { return text.indexOf(' ' + w) !== -1; });
      if (!ok) { continue; }
      var title = ' ' + fold(index[i].t);
      var score = (title.indexOf(' ' + q) !== -1 ? 4 : 0) + (text.indexOf(' ' + q) !== -1 ? 2 : 0) +
        (words.every(function (w) { return title.indexOf(' ' + w) !== -1; }) ? 1 : 0);
      scored.push({ entry: index[i], score: score, order: i });
    }
    scored.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return scored.slice(0, limit || 50).map(function (x) { return x.entry; });
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { fold: fold, search: search };
  }
  if (typeof document === 'undefined') { return; }

  var collator = new Intl.Collator(document.documentElement.lang || 'vi', { numeric: true, sensitivity: 'base' });

  function keyOf(row, key) {
    switch (key) {
      case 'status': return Number(row.getAttribute('data-rank'));
      case 'days': return Number(row.getAttribute('data-days'));
      case 'lead': return row.getAttribute('data-lead-name') || '\uffff';
      default: return row.getAttribute('data-deadline') || '';
    }
  }

  function compare(a, b, key) {
    var x = keyOf(a, key), y = keyOf(b, key);
    if (typeof x === 'number') { return x - y; }
    return collator.compare(x, y);
  }

  function makeSortable(table) {
    var headers = table.querySelectorAll('th[data-sort]');
    Array.prototype.forEach.call(headers, function (th) {
      var key = th.getAttribute('data-sort');
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        // "Days" sorts most overdue first on the first click.
        var first = key === 'days' ? 'descending' : 'ascending';
        var current = th.getAttribute('aria-sort');
        var dir = current === first ? (first === 'ascending' ? 'descending' : 'ascending') : first;
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir);
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var c = compare(a, b, key);
          if (c === 0) { c = collator.compare(a.getAttribute('data-deadline'), b.getAttribute('data-deadline')); }
          return dir === 'ascending' ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function makeFilter(form) {
    var table = document.querySelector(form.getAttribute('data-table'));
    if (!table) { return; }
    var count = form.querySelector('.filter-count');
    var template = form.getAttribute('data-count') || '{shown}/{total}';
    var rows = table.tBodies[0].rows;
    function apply() {
      var wanted = {};
      Array.prototype.forEach.call(form.querySelectorAll('select'), function (s) { wanted[s.name] = s.value; });
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var ok = (!wanted.status || row.getAttribute('data-status') === wanted.status) &&
          (!wanted.lead || row.getAttribute('data-lead') === wanted.lead) &&
          (!wanted.group || row.getAttribute('data-group') === wanted.group);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (count) { count.textContent = template.replace('{shown}', shown).replace('{total}', rows.length); }
    }
    form.addEventListener('change', apply);
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function makeSearch(form) {
    var input = form.querySelector('input[name="q"]');
    var list = document.querySelector('.results');
    var status = document.querySelector('.search-status');
    var index = null;
    function show() {
      if (!index || !list) { return; }
      var q = input.value;
      var found = search(index, q, 50);
      list.textContent = '';
      found.forEach(function (e) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = e.u;
        a.textContent = e.t;
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
      var url = new URL(window.location.href);
      if (q) { url.searchParams.set('q', q); } else { url.searchParams.delete('q'); }
      window.history.replaceState(null, '', url.toString());
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); show(); });
    input.addEventListener('input', show);
    var initial = new URL(window.location.href).searchParams.get('q');
    if (initial) { input.value = initial; }
    fetch(form.getAttribute('data-search')).then(function (r) { return r.json(); }).then(function (data) {
      index = data;
      show();
    });
  }

  /* The menu is a <details>; where CSS cannot show a closed one's content
     on wide screens (::details-content), open it there. */
  if (root.matchMedia && root.matchMedia('(min-width: 60em)').matches && !(root.CSS && CSS.supports('selector(::details-content)'))) {
    Array.prototype.forEach.call(document.querySelectorAll('details[data-menu]'), function (d) { d.open = true; });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable]'), makeSortable);
  Array.prototype.forEach.call(document.querySelectorAll('form[data-filters]'), makeFilter);
  Array.prototype.forEach.call(document.querySelectorAll('form[data-search]'), makeSearch);
}(this));
