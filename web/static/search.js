// qdex: instant search as you type, keyboard navigation of the results, and on
// answer pages a scroll to the first highlighted match. The pages work without it.
(function () {
  'use strict';

  var DEBOUNCE_MS = 150;
  var PREVIEW_SIZE = 6;
  var FACET_FOLD = 8;
  var MAX_WINDOW = 10000;
  var FACETS = [
    // [key in the JSON response, URL parameter, title]
    ['framework', 'framework', 'Framework'],
    ['topic', 'topic', 'Topic'],
    ['difficulty', 'difficulty', 'Difficulty'],
    ['language', 'lang', 'Language'],
    ['type', 'type', 'Type'],
  ];

  document.documentElement.classList.add('js');

  function isEditable(el) {
    if (!el || !el.tagName) return false;
    var t = el.tagName;
    return t === 'INPUT' || t === 'TEXTAREA' || t === 'SELECT' || el.isContentEditable;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // appendMarked appends a highlight string of the API (escaped text with <mark>
  // around matches) keeping only text and <mark> elements.
  function appendMarked(parent, html) {
    var t = document.createElement('template');
    t.innerHTML = html;
    t.content.childNodes.forEach(function (n) {
      if (n.nodeName === 'MARK') {
        parent.appendChild(el('mark', '', n.textContent));
      } else {
        parent.appendChild(document.createTextNode(n.textContent));
      }
    });
  }

  // withQuery adds ?q= to a page URL, before its #fragment, so the page marks matches.
  function withQuery(url, q) {
    if (!q) return url;
    var i = url.indexOf('#');
    var path = i < 0 ? url : url.slice(0, i);
    var frag = i < 0 ? '' : url.slice(i);
    return path + '?q=' + encodeURIComponent(q) + frag;
  }

  function plural(n, one, many) {
    return n === 1 ? '1 ' + one : n + ' ' + many;
  }

  // "/" focuses the search box from anywhere on the page.
  document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
    var box = document.getElementById('q') || document.querySelector('input[type="search"]');
    if (!box) return;
    e.preventDefault();
    box.focus();
    box.select();
  });

  // Answer pages: scroll to the first match, or to the first one inside the question
  // the link pointed at; "n" and "N" step through the matches.
  (function marks() {
    var all = document.querySelectorAll('.doc mark');
    if (!all.length) return;
    var cur = -1;
    function show(i) {
      if (cur >= 0) all[cur].classList.remove('current');
      cur = (i + all.length) % all.length;
      all[cur].classList.add('current');
      all[cur].scrollIntoView({ block: 'center' });
    }
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    var first = target && target.querySelector ? target.querySelector('mark') : null;
    if (target && target.tagName === 'MARK') first = target;
    if (!first && !target) first = document.getElementById('first-match');
    if (first) {
      var i = Array.prototype.indexOf.call(all, first);
      // Let the browser finish its own jump to the fragment first.
      requestAnimationFrame(function () { show(i); });
    }
    document.addEventListener('keydown', function (e) {
      if ((e.key !== 'n' && e.key !== 'N') || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      e.preventDefault();
      show(cur + (e.key === 'n' ? 1 : -1));
    });
  })();

  var form = document.querySelector('form[data-instant]');
  if (!form) return;
  var input = form.querySelector('input[name="q"]');
  var preview = form.hasAttribute('data-preview'); // the home page: a few results under the box
  var results = document.getElementById('results');
  var info = document.getElementById('result-info');
  var facetsBox = document.getElementById('facets');
  var pagerBox = document.getElementById('pager');
  var suggestionBox = document.getElementById('suggestion');
  var relaxedBox = document.getElementById('relaxed');
  var previewBox = document.getElementById('preview');
  var previewMore = document.getElementById('preview-more');
  if (!input || !results) return;

  var timer = 0;
  var controller = null;
  var selected = -1;

  function formParams() {
    var p = new URLSearchParams();
    new FormData(form).forEach(function (v, k) {
      if (typeof v !== 'string' || v.trim() === '') return;
      // A trailing space in q says the last word is finished: keep one.
      p.append(k, k === 'q' ? v.replace(/^\s+/, '').replace(/\s+$/, ' ') : v.trim());
    });
    p.delete('page');
    if (p.get('sort') === 'relevance') p.delete('sort');
    return p;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  function run() {
    clearTimeout(timer);
    var p = formParams();
    var q = (p.get('q') || '').trim();
    if (controller) controller.abort();
    controller = null;
    if (preview && !q) {
      previewBox.hidden = true;
      results.replaceChildren();
      return;
    }
    var filtered = false;
    p.forEach(function (v, k) { filtered = filtered || (k !== 'q' && k !== 'sort' && k !== 'size' && k !== 'semantic'); });
    if (!q && !filtered) {
      // Nothing to search for: back to the empty search page.
      history.replaceState(null, '', '/search');
      clearResults();
      return;
    }
    if (!preview) history.replaceState(null, '', '/search?' + p.toString());
    var api = new URLSearchParams(p);
    if (preview) api.set('size', String(PREVIEW_SIZE));
    api.set('src', 'instant');
    var ctl = new AbortController();
    controller = ctl;
    fetch('/api/search?' + api.toString(), { signal: ctl.signal, headers: { Accept: 'application/json' } })
      .then(function (res) {
        return res.json().then(function (body) { return { ok: res.ok, body: body }; });
      })
      .then(function (r) {
        if (ctl !== controller) return; // a newer search is under way
        if (!r.ok) {
          showError(r.body && r.body.error ? r.body.error : 'the search failed');
          return;
        }
        render(r.body, p, q);
      })
      .catch(function (err) {
        if (err.name === 'AbortError') return;
        showError('the search failed: ' + err.message);
      });
  }

  function clearResults() {
    results.replaceChildren();
    var none = document.getElementById('no-results');
    if (none) none.remove();
    if (info) info.textContent = 'Type a query to search every question and answer.';
    if (facetsBox) facetsBox.replaceChildren();
    if (pagerBox) pagerBox.replaceChildren();
    if (suggestionBox) suggestionBox.hidden = true;
    if (relaxedBox) relaxedBox.hidden = true;
  }

  function showError(msg) {
    if (info) info.textContent = 'Error: ' + msg;
    results.replaceChildren();
  }

  function render(data, p, q) {
    selected = -1;
    input.removeAttribute('aria-activedescendant');
    if (previewBox) previewBox.hidden = false;
    if (info) {
      info.replaceChildren();
      var strong = el('strong', '', String(data.total));
      info.appendChild(strong);
      info.appendChild(document.createTextNode(data.total === 1 ? ' result ' : ' results '));
      info.appendChild(el('span', 'took', '(' + formatTook(data.took_ms) + ')'));
    }
    if (suggestionBox) {
      suggestionBox.hidden = !data.suggestion;
      suggestionBox.replaceChildren();
      if (data.suggestion) {
        var sp = new URLSearchParams(p);
        sp.set('q', data.suggestion);
        sp.set('corrected', q); // the reader took the correction: the insights count it
        var a = el('a', '', data.suggestion);
        a.href = '/search?' + sp.toString();
        suggestionBox.append('Did you mean ', a, '?');
      }
    }
    if (relaxedBox) relaxedBox.hidden = !data.relaxed;
    if (previewMore) {
      previewMore.href = '/search?' + p.toString();
      previewMore.textContent = data.total > data.hits.length ? 'See all ' + data.total + ' results →' : 'Open in search →';
    }
    results.setAttribute('start', String((data.page - 1) * data.size + 1));
    results.replaceChildren();
    data.hits.forEach(function (h, i) { results.appendChild(hitItem(h, q, i)); });
    var none = document.getElementById('no-results');
    if (none) none.remove();
    if (data.total === 0) {
      none = el('div', 'no-results');
      none.id = 'no-results';
      var msg = el('p', '', 'No question matches ');
      msg.appendChild(el('strong', '', q));
      msg.append('.');
      none.appendChild(msg);
      none.appendChild(el('p', '', 'Check the spelling, use fewer words, or untick a filter.'));
      results.after(none);
    }
    if (facetsBox) renderFacets(data.facets || {});
    if (pagerBox) renderPager(data, p);
  }

  function formatTook(ms) {
    return (ms < 10 ? ms.toFixed(1) : ms.toFixed(0)) + ' ms';
  }

  // hitItem builds the markup of the "hit" template in partials.html.
  function hitItem(h, q, i) {
    var li = el('li', 'hit');
    li.id = 'hit-' + i;
    var a = el('a', 'hit-link');
    a.href = withQuery(h.url, q);
    var title = el('span', 'hit-title');
    var hq = h.highlights && h.highlights.question;
    if (hq && hq.length) appendMarked(title, hq[0]);
    else title.textContent = h.question || h.title;
    a.appendChild(title);
    li.appendChild(a);
    var meta = el('div', 'hit-meta');
    if (h.type === 'article') meta.appendChild(el('span', 'badge badge-article', 'article'));
    if (h.found === 'semantic') {
      var b = el('span', 'badge badge-meaning', 'by meaning');
      b.title = 'Found by meaning: none of the words matched';
      meta.appendChild(b);
    }
    if (h.difficulty) meta.appendChild(el('span', 'badge badge-' + h.difficulty, h.difficulty));
    var path = [h.framework_name, h.topic_name, h.subtopic_name].filter(Boolean).join(' › ');
    meta.appendChild(el('span', 'hit-path', path));
    li.appendChild(meta);
    ((h.highlights && h.highlights.answer) || []).forEach(function (f) {
      var p = el('p', 'hit-snippet');
      appendMarked(p, f);
      li.appendChild(p);
    });
    var code = (h.highlights && h.highlights.code) || [];
    if (code.length) {
      var pre = el('pre', 'hit-code');
      var c = el('code');
      code.forEach(function (f, j) {
        if (j) c.appendChild(document.createTextNode('\n'));
        appendMarked(c, f);
      });
      pre.appendChild(c);
      li.appendChild(pre);
    }
    return li;
  }

  // renderFacets builds the markup of the "facets" template in search.html.
  function renderFacets(facets) {
    facetsBox.replaceChildren();
    var any = FACETS.some(function (f) { return (facets[f[0]] || []).length; });
    if (!any) return;
    facetsBox.appendChild(el('h2', 'facets-title', 'Filter'));
    FACETS.forEach(function (f) {
      var vals = facets[f[0]] || [];
      if (!vals.length) return;
      var fs = el('fieldset', 'facet');
      fs.appendChild(el('legend', '', f[2]));
      var shown = vals, more = [];
      if (vals.length > FACET_FOLD && !vals.slice(FACET_FOLD).some(function (v) { return v.selected; })) {
        shown = vals.slice(0, FACET_FOLD);
        more = vals.slice(FACET_FOLD);
      }
      fs.appendChild(facetList(f[1], shown));
      if (more.length) {
        var d = el('details', 'facet-more');
        d.appendChild(el('summary', '', more.length + ' more'));
        d.appendChild(facetList(f[1], more));
        fs.appendChild(d);
      }
      facetsBox.appendChild(fs);
    });
  }

  function facetList(param, vals) {
    var ul = el('ul');
    vals.forEach(function (v) {
      var li = el('li');
      var label = el('label', 'facet-value');
      var box = el('input');
      box.type = 'checkbox';
      box.name = param;
      box.value = v.value;
      box.checked = v.selected;
      box.setAttribute('form', form.id);
      label.appendChild(box);
      label.appendChild(el('span', 'facet-label', v.label));
      label.appendChild(el('span', 'facet-count', String(v.count)));
      li.appendChild(label);
      ul.appendChild(li);
    });
    return ul;
  }

  // renderPager builds the markup of the "pager" template in search.html.
  function renderPager(data, p) {
    pagerBox.replaceChildren();
    var pages = Math.ceil(Math.min(data.total, MAX_WINDOW) / data.size);
    if (pages <= 1) return;
    var cur = data.page;
    function link(n, text, cls, rel) {
      var pp = new URLSearchParams(p);
      if (n > 1) pp.set('page', String(n));
      var a = el('a', cls || '', text);
      a.href = '/search?' + pp.toString();
      if (rel) a.rel = rel;
      return a;
    }
    if (cur > 1) pagerBox.appendChild(link(cur - 1, '← Previous', 'pager-prev', 'prev'));
    var last = 0;
    for (var n = 1; n <= pages; n++) {
      if (n !== 1 && n !== pages && (n < cur - 2 || n > cur + 2)) continue;
      if (last && n > last + 1) pagerBox.appendChild(el('span', 'pager-gap', '…'));
      if (n === cur) {
        var s = el('span', 'pager-current', String(n));
        s.setAttribute('aria-current', 'page');
        pagerBox.appendChild(s);
      } else {
        pagerBox.appendChild(link(n, String(n)));
      }
      last = n;
    }
    if (cur < pages) pagerBox.appendChild(link(cur + 1, 'Next →', 'pager-next', 'next'));
  }

  // Keyboard: ArrowDown and ArrowUp move through the results, Enter opens the
  // selected one, Escape leaves the list.
  function items() { return results.querySelectorAll('.hit'); }

  function select(i) {
    var hits = items();
    if (!hits.length) return;
    if (selected >= 0 && hits[selected]) {
      hits[selected].classList.remove('selected');
      hits[selected].removeAttribute('aria-selected');
    }
    selected = Math.max(-1, Math.min(i, hits.length - 1));
    if (selected < 0) {
      input.removeAttribute('aria-activedescendant');
      return;
    }
    var h = hits[selected];
    if (!h.id) h.id = 'hit-' + selected;
    h.classList.add('selected');
    h.setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', h.id);
    h.scrollIntoView({ block: 'nearest' });
  }

  document.addEventListener('keydown', function (e) {
    if (e.target !== input && !results.contains(e.target)) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      select(selected + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      select(selected - 1);
    } else if (e.key === 'Enter' && selected >= 0) {
      var link = items()[selected] && items()[selected].querySelector('a');
      if (link) {
        e.preventDefault();
        window.location.href = link.href;
      }
    } else if (e.key === 'Escape') {
      select(-1);
    }
  });

  input.addEventListener('input', function () {
    if (!preview || input.value.trim()) schedule();
    else run();
  });
  form.addEventListener('submit', function (e) {
    if (preview) return; // the home page goes to the search page
    e.preventDefault();
    run();
  });
  // A result opened: a beacon for the search insights (the query, the document and
  // its position; nothing about the reader).
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest && e.target.closest('#results .hit-link');
    if (!a || !navigator.sendBeacon) return;
    var li = a.closest('.hit');
    var ol = li.parentNode;
    var pos = Array.prototype.indexOf.call(ol.children, li) + (parseInt(ol.getAttribute('start'), 10) || 1);
    var u = new URL(a.href);
    var q = u.searchParams.get('q') || input.value;
    var doc = decodeURIComponent(u.pathname.slice(1)) + (u.hash ? '#' + decodeURIComponent(u.hash.slice(1)) : '');
    navigator.sendBeacon('/api/events', JSON.stringify({ type: 'click', query: q, doc: doc, position: pos, source: preview ? 'instant' : 'page' }));
  });
  // Facet checkboxes and the sort order live outside the form (form="search-form").
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (t && t.form === form && (t.type === 'checkbox' || t.tagName === 'SELECT')) run();
  });
})();
