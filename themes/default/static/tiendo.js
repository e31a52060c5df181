/* tiendo: progressive enhancement only. Every page works without this file;
   with it, task tables sort by column and the deadline table filters, a
   list split into pages across all its pages (its rows loaded as data), and
   a link into a folded section opens it. The search page has its own
   script, search.js. */
(function (root) {
  'use strict';

  if (typeof document === 'undefined') { return; }

  /* Hints for readers without JavaScript hide from here on (style.css). */
  document.documentElement.classList.add('js');

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

  /* A list split into pages names its rows' data (data-rows): before the
     first sort or filter, every row of the selection replaces the page's
     rows, so both work across all pages; the page links then hide. Without
     the data (offline, an error) the page's own rows are sorted. */
  function cell(row, label, cls) {
    var td = document.createElement('td');
    if (label) { td.setAttribute('data-label', label); }
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function link(parent, href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    parent.appendChild(a);
  }

  function buildRow(r, labels, table) {
    var tr = document.createElement('tr');
    var attrs = { 'data-id': r.id, 'data-status': r.status.code, 'data-rank': r.status.rank, 'data-lead': r.lead_id,
      'data-lead-name': r.lead, 'data-group': r.group_id, 'data-deadline': r.deadline_sort, 'data-days': r.days_late };
    Object.keys(attrs).forEach(function (k) { tr.setAttribute(k, attrs[k]); });
    cell(tr, labels[0]).textContent = r.reference;
    link(cell(tr, '', 'title'), r.url, r.title);
    var lead = cell(tr, labels[2]);
    if (r.lead) { link(lead, r.lead_url, r.lead); } else {
      var none = document.createElement('span');
      none.className = 'muted';
      none.textContent = table.getAttribute('data-no-lead');
      lead.appendChild(none);
    }
    var deadline = cell(tr, labels[3]);
    deadline.textContent = r.deadline;
    if (r.extended) {
      var tag = document.createElement('span');
      tag.className = 'tag';
      tag.textContent = table.getAttribute('data-extended');
      deadline.appendChild(document.createTextNode(' '));
      deadline.appendChild(tag);
    }
    var status = document.createElement('span');
    status.className = 'status status-' + r.status.code;
    var icon = document.createElement('span');
    icon.className = 'icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = r.status.icon;
    status.appendChild(icon);
    status.appendChild(document.createTextNode(' ' + r.status.label));
    cell(tr, labels[4]).appendChild(status);
    cell(tr, labels[5], 'num').textContent = r.days_label;
    cell(tr, labels[6], 'num').textContent = r.progress;
    return tr;
  }

  function loadAll(table, done) {
    var url = table.getAttribute('data-rows');
    if (!url || table.loaded) { done(); return; }
    if (table.waiting) { table.waiting.push(done); return; }
    table.waiting = [done];
    var finish = function () {
      table.loaded = true;
      table.waiting.forEach(function (f) { f(); });
    };
    var req = new XMLHttpRequest();
    req.open('GET', url);
    req.onload = function () {
      var rows;
      try { rows = req.status === 200 ? JSON.parse(req.responseText) : null; } catch (e) { rows = null; }
      if (rows) {
        var labels = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent; });
        var body = table.tBodies[0];
        var fragment = document.createDocumentFragment();
        rows.forEach(function (r) { fragment.appendChild(buildRow(r, labels, table)); });
        body.textContent = '';
        body.appendChild(fragment);
        Array.prototype.forEach.call(document.querySelectorAll('.pager.pages, .pager-summary'), function (p) { p.hidden = true; });
      }
      finish();
    };
    req.onerror = finish;
    req.send();
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
      button.addEventListener('click', function () { loadAll(table, sort); });
      function sort() {
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
      }
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
    form.addEventListener('change', function () { loadAll(table, apply); });
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }

  /* The menu is a <details>; where CSS cannot show a closed one's content
     on wide screens (::details-content), open it there. */
  if (root.matchMedia && root.matchMedia('(min-width: 60em)').matches && !(root.CSS && CSS.supports('selector(::details-content)'))) {
    Array.prototype.forEach.call(document.querySelectorAll('details[data-menu], details.fold-narrow'), function (d) { d.open = true; });
  }

  /* A link to an anchor inside a folded section opens the fold (browsers
     that do not do it themselves) and shows the anchor. */
  function openTarget() {
    var id = root.location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { return; }
    var target = id && document.getElementById(id);
    var opened = false;
    for (var d = target; d; d = d.parentElement) {
      if (d.tagName === 'DETAILS' && !d.open) { d.open = true; opened = true; }
    }
    if (opened) { target.scrollIntoView(); }
  }
  root.addEventListener('hashchange', openTarget);
  openTarget();
  Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable]'), makeSortable);
  Array.prototype.forEach.call(document.querySelectorAll('form[data-filters]'), makeFilter);
}(this));
