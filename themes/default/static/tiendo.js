/* tiendo: progressive enhancement only. Every page works without this file;
   with it, task tables sort by column and the deadline table filters. The
   search page has its own script, search.js. */
(function (root) {
  'use strict';

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

  /* The menu is a <details>; where CSS cannot show a closed one's content
     on wide screens (::details-content), open it there. */
  if (root.matchMedia && root.matchMedia('(min-width: 60em)').matches && !(root.CSS && CSS.supports('selector(::details-content)'))) {
    Array.prototype.forEach.call(document.querySelectorAll('details[data-menu]'), function (d) { d.open = true; });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable]'), makeSortable);
  Array.prototype.forEach.call(document.querySelectorAll('form[data-filters]'), makeFilter);
}(this));
