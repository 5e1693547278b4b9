// qdex search modal for a site that keeps its own pages. One script tag:
//
//   <script src="https://search.example/widget.js" defer
//           data-qdex-hit-url="https://site.example/{path}#{id}"></script>
//
// Ctrl/Cmd+K or "/" opens it; results link into the host's pages. The options are
// data-qdex-* attributes of the tag (see the README). No framework, no cookies.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__qdexWidget) return;
  window.__qdexWidget = true;

  var data = script.dataset;
  var cfg = {
    base: (data.qdexUrl || new URL(script.src, location.href).origin).replace(/\/+$/, ''),
    hitURL: data.qdexHitUrl || '',
    articleURL: data.qdexArticleUrl || '',
    framework: data.qdexFramework || '',
    placeholder: data.qdexPlaceholder || 'Search interview questions',
    suggestURL: data.qdexSuggestUrl || '',
    theme: data.qdexTheme || 'auto'
  };
  var CSS = /*QDEX_CSS*/'';
  var DEBOUNCE_MS = 120;
  var SIZE = 20;
  var STORE = 'qdex-widget';
  var uid = 0;

  // Elements, built once: a shadow root keeps the host's styles out and ours in.
  var host = document.createElement('qdex-search');
  var root = host.attachShadow({ mode: 'open' });
  if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'html') e.innerHTML = attrs[k]; // qdex's highlights: escaped text and <mark>
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  var input = el('input', {
    type: 'search', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': 'qdex-list', 'aria-label': cfg.placeholder, placeholder: cfg.placeholder,
    autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'search'
  });
  var closeBtn = el('button', { type: 'button', class: 'close', text: 'Esc', 'aria-label': 'Close search' });
  var chips = el('div', { class: 'chips', role: 'group', 'aria-label': 'Filters' });
  var notice = el('p', { class: 'notice', hidden: '' });
  var list = el('div', { id: 'qdex-list', role: 'listbox', 'aria-label': 'Results' });
  var extra = el('div', { class: 'extra' });
  var status = el('p', { class: 'sr', role: 'status', 'aria-live': 'polite' });
  var dialog = el('div', { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Search' }, [
    el('div', { class: 'bar' }, [input, closeBtn]), chips, notice, list, extra, status,
    el('p', { class: 'foot' }, [el('span', { text: '↑↓ to move · Enter to open · Esc to close' })])
  ]);
  var backdrop = el('div', { class: 'backdrop', hidden: '' }, [dialog]);
  root.appendChild(backdrop);

  var state = { corrected: '', q: '', filters: { framework: [], difficulty: [] }, hits: [], active: -1, opener: null, timer: 0, ctl: null };

  // Remembered on the host's origin: recent searches and answers opened.
  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }
  function save(m) {
    try { localStorage.setItem(STORE, JSON.stringify(m)); } catch (e) { /* private mode */ }
  }
  function remember(kind, item, same) {
    var m = load();
    var l = (m[kind] || []).filter(function (x) { return !same(x); });
    l.unshift(item);
    m[kind] = l.slice(0, 6);
    save(m);
  }

  function applyTheme() {
    var t = cfg.theme;
    if (t === 'auto') {
      var d = document.documentElement;
      var attr = d.getAttribute('data-theme') || d.getAttribute('data-color-scheme') || '';
      if (/dark/.test(attr) || d.classList.contains('dark')) t = 'dark';
      else if (/light/.test(attr) || d.classList.contains('light')) t = 'light';
      else t = window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    }
    host.setAttribute('data-theme', t);
  }

  function open() {
    if (!backdrop.hidden) return;
    if (!host.isConnected) document.body.appendChild(host);
    applyTheme();
    state.opener = document.activeElement;
    backdrop.hidden = false;
    document.documentElement.style.overflow = 'hidden';
    // Focused once the key that opened the modal is done with, so that a "/" does
    // not land in the box.
    setTimeout(function () {
      if (!backdrop.hidden) { input.focus(); input.select(); }
    }, 0);
    if (state.q) search(); else idle();
  }
  function close() {
    if (backdrop.hidden) return;
    backdrop.hidden = true;
    document.documentElement.style.overflow = '';
    input.setAttribute('aria-expanded', 'false');
    if (state.opener && state.opener.focus) state.opener.focus();
  }

  // What shows before a query: recent searches and answers, clearable.
  function idle() {
    didYouMean('');
    list.replaceChildren();
    extra.replaceChildren();
    chips.replaceChildren();
    state.hits = [];
    setActive(-1);
    var m = load();
    var recent = m.recent || [], opened = m.opened || [];
    if (!recent.length && !opened.length) {
      extra.appendChild(el('p', { class: 'hint', text: 'Type a question, a keyword or an identifier.' }));
      return;
    }
    if (recent.length) {
      extra.appendChild(el('h2', { text: 'Recent searches' }));
      extra.appendChild(el('ul', { class: 'recent' }, recent.map(function (q) {
        var b = el('button', { type: 'button', class: 'link', text: q });
        b.addEventListener('click', function () { input.value = q; state.q = q; search(); });
        return el('li', {}, [b]);
      })));
    }
    if (opened.length) {
      extra.appendChild(el('h2', { text: 'Recently opened' }));
      extra.appendChild(el('ul', { class: 'recent' }, opened.map(function (o) {
        return el('li', {}, [el('a', { href: o.url, text: o.title })]);
      })));
    }
    var clear = el('button', { type: 'button', class: 'link clear', text: 'Clear history' });
    clear.addEventListener('click', function () {
      try { localStorage.removeItem(STORE); } catch (e) { /* private mode */ }
      idle();
      input.focus();
    });
    extra.appendChild(clear);
  }

  function schedule() {
    clearTimeout(state.timer);
    state.q = input.value;
    if (!state.q.trim()) { if (state.ctl) state.ctl.abort(); idle(); return; }
    state.timer = setTimeout(search, DEBOUNCE_MS);
  }

  function search() {
    clearTimeout(state.timer);
    var q = state.q.trim() ? state.q : '';
    if (!q) { idle(); return; }
    if (state.ctl) state.ctl.abort();
    var ctl = state.ctl = new AbortController();
    var p = new URLSearchParams({ q: q, size: String(SIZE), src: 'widget' });
    if (state.corrected) p.set('corrected', state.corrected);
    state.corrected = '';
    if (cfg.framework) p.append('framework', cfg.framework);
    ['framework', 'difficulty'].forEach(function (k) {
      state.filters[k].forEach(function (v) { p.append(k, v); });
    });
    var opts = { signal: ctl.signal, headers: { Accept: 'application/json' }, credentials: 'omit' };
    // Completions of what is typed, shown above the results; without them the
    // results still show.
    var sug = fetch(cfg.base + '/api/suggest?size=4&q=' + encodeURIComponent(q), opts)
      .then(function (res) { return res.ok ? res.json() : {}; })
      .catch(function () { return {}; });
    var found = fetch(cfg.base + '/api/search?' + p.toString(), opts)
      .then(function (res) {
        if (!res.ok) throw new Error('status ' + res.status);
        return res.json();
      });
    Promise.all([found, sug])
      .then(function (r) { if (ctl === state.ctl) render(q, r[0], (r[1] && r[1].suggestions) || []); })
      .catch(function (err) { if (err.name !== 'AbortError' && ctl === state.ctl) unavailable(); });
  }

  function unavailable() {
    didYouMean('');
    list.replaceChildren();
    chips.replaceChildren();
    state.hits = [];
    setActive(-1);
    extra.replaceChildren(el('p', { class: 'unavailable', text: 'Search is unavailable right now. Try again later.' }));
    status.textContent = 'Search is unavailable.';
    input.setAttribute('aria-expanded', 'false');
  }

  function hitLink(h) {
    var parts = h.id.split('#');
    var path = parts[0], id = parts[1] || '';
    var segs = path.split('/');
    var tmpl = h.type === 'article' ? cfg.articleURL : cfg.hitURL;
    var url;
    if (tmpl) {
      url = tmpl.replace(/\{(\w+)\}/g, function (m, k) {
        var v = { path: path, id: id, framework: segs[0] || '', topic: segs[1] || '', subtopic: segs[2] || '', slug: h.type === 'article' ? segs[1] : '' }[k];
        return v === undefined ? m : encodeURIComponent(v).replace(/%2F/g, '/');
      });
    } else {
      url = cfg.base + h.url;
    }
    // The highlighter on the host's page marks the words this hit highlighted.
    var words = [];
    Object.keys(h.highlights || {}).forEach(function (f) {
      (h.highlights[f] || []).forEach(function (frag) {
        frag.replace(/<mark>(.*?)<\/mark>/g, function (m, w) {
          w = decode(w);
          if (words.indexOf(w.toLowerCase()) < 0) words.push(w.toLowerCase());
        });
      });
    });
    var u = new URL(url, location.href);
    u.searchParams.set('qdex_q', state.q.trim());
    if (words.length) u.searchParams.set('qdex_terms', words.slice(0, 12).join(' '));
    return u.toString();
  }
  function decode(s) {
    var t = document.createElement('textarea');
    t.innerHTML = s;
    return t.value;
  }

  // didYouMean offers qdex's correction of the query, above the results or alone.
  function didYouMean(suggestion) {
    notice.replaceChildren();
    notice.hidden = !suggestion;
    if (!suggestion) return;
    var b = el('button', { type: 'button', class: 'link', text: suggestion });
    b.addEventListener('click', function () {
      state.corrected = state.q.trim();
      input.value = suggestion;
      state.q = suggestion;
      search();
      input.focus();
    });
    notice.append('Did you mean ', b, '?');
  }

  function render(q, body, suggestions) {
    extra.replaceChildren();
    didYouMean(body.suggestion);
    renderChips(body.facets || {});
    list.replaceChildren();
    state.hits = [];
    var hits = body.hits || [];
    // Past searches that complete the input, as options above the results.
    var typed = q.trim().toLowerCase();
    var completions = (suggestions || []).filter(function (sg) { return sg.kind === 'query' && sg.text.toLowerCase() !== typed; }).slice(0, 3);
    if (completions.length) {
      var sid = 'qdex-g' + (++uid);
      var sgrp = el('div', { role: 'group', 'aria-labelledby': sid, class: 'group' }, [el('div', { id: sid, class: 'crumb', role: 'presentation', text: 'Searches' })]);
      completions.forEach(function (sg) {
        var opt = el('div', { role: 'option', id: 'qdex-o' + (++uid), class: 'hit completion', 'aria-selected': 'false' }, [el('span', { class: 'title', html: sg.html })]);
        var entry = { complete: sg.text, node: opt };
        opt.addEventListener('click', function () { takeCompletion(entry); });
        sgrp.appendChild(opt);
        state.hits.push(entry);
      });
      list.appendChild(sgrp);
    }
    status.textContent = body.total === 0 ? 'No results.' : body.total + (body.total === 1 ? ' result.' : ' results.');
    if (!hits.length) {
      input.setAttribute('aria-expanded', completions.length ? 'true' : 'false');
      noResults(q);
      setActive(-1);
      return;
    }
    input.setAttribute('aria-expanded', 'true');
    // Grouped by framework → topic → subtopic, in the order their best hit ranks.
    var groups = [], byKey = {};
    hits.forEach(function (h) {
      var key = h.type === 'article' ? 'articles' : h.framework + '/' + h.topic + '/' + h.subtopic;
      if (!byKey[key]) {
        byKey[key] = { label: h.type === 'article' ? 'Articles' : [h.framework_name, h.topic_name, h.subtopic_name].filter(Boolean).join(' › '), hits: [] };
        groups.push(byKey[key]);
      }
      byKey[key].hits.push(h);
    });
    groups.forEach(function (g) {
      var gid = 'qdex-g' + (++uid);
      var grp = el('div', { role: 'group', 'aria-labelledby': gid, class: 'group' }, [el('div', { id: gid, class: 'crumb', role: 'presentation', text: g.label })]);
      g.hits.forEach(function (h) {
        var i = state.hits.length;
        var link = hitLink(h);
        var title = (h.highlights && h.highlights.question && h.highlights.question[0]) || escapeHTML(h.question || h.title);
        var snippet = h.highlights && h.highlights.answer && h.highlights.answer[0];
        var opt = el('a', { role: 'option', id: 'qdex-o' + (++uid), class: 'hit', href: link, 'aria-selected': 'false', tabindex: '-1' }, [
          el('span', { class: 'title', html: title }),
          el('span', { class: 'meta' }, [
            h.type === 'article' ? el('span', { class: 'badge article', text: 'Article' }) : null,
            h.difficulty ? el('span', { class: 'badge ' + h.difficulty, text: h.difficulty }) : null
          ]),
          snippet ? el('span', { class: 'snippet', html: snippet }) : null
        ]);
        opt.addEventListener('click', function () { opened(h, link); });
        opt.addEventListener('mousemove', function () { if (state.active !== i) setActive(i); });
        grp.appendChild(opt);
        state.hits.push({ hit: h, link: link, node: opt });
      });
      list.appendChild(grp);
    });
    setActive(completions.length);
  }

  // takeCompletion searches for a completion the reader chose.
  function takeCompletion(entry) {
    input.value = entry.complete;
    state.q = entry.complete;
    search();
    input.focus();
  }

  function noResults(q) {
    var p = el('p', { class: 'none' }, [document.createTextNode('No results for '), el('strong', { text: '“' + q.trim() + '”' }), document.createTextNode('.')]);
    extra.appendChild(p);
    if (cfg.suggestURL) {
      var u = new URL(cfg.suggestURL, location.href);
      u.searchParams.set('q', q.trim());
      extra.appendChild(el('p', {}, [el('a', { href: u.toString(), text: 'Suggest a question about this' })]));
    }
  }

  function renderChips(facets) {
    chips.replaceChildren();
    var kinds = cfg.framework ? ['difficulty'] : ['framework', 'difficulty'];
    kinds.forEach(function (k) {
      (facets[k] || []).slice(0, k === 'framework' ? 6 : 3).forEach(function (v) {
        var on = state.filters[k].indexOf(v.value) >= 0;
        var b = el('button', { type: 'button', class: 'chip', 'aria-pressed': on ? 'true' : 'false' }, [
          document.createTextNode(v.label || v.value), el('span', { class: 'count', text: String(v.count) })
        ]);
        b.addEventListener('click', function () {
          var l = state.filters[k];
          state.filters[k] = on ? l.filter(function (x) { return x !== v.value; }) : l.concat([v.value]);
          search();
        });
        chips.appendChild(b);
      });
    });
  }

  function setActive(i) {
    if (state.active >= 0 && state.hits[state.active]) state.hits[state.active].node.setAttribute('aria-selected', 'false');
    state.active = i;
    if (i < 0 || !state.hits[i]) { input.removeAttribute('aria-activedescendant'); return; }
    var n = state.hits[i].node;
    n.setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', n.id);
    n.scrollIntoView({ block: 'nearest' });
  }

  function opened(h, link) {
    var results = state.hits.filter(function (x) { return x.hit; }); // not the completions
    var i = results.findIndex(function (x) { return x.hit === h; });
    if (navigator.sendBeacon && i >= 0) {
      navigator.sendBeacon(cfg.base + '/api/events', JSON.stringify({ type: 'click', query: state.q.trim(), doc: h.id, position: i + 1, source: 'widget' }));
    }
    remember('recent', state.q.trim(), function (x) { return x === state.q.trim(); });
    remember('opened', { title: h.question || h.title, url: link.replace(/[?&]qdex_(q|terms)=[^&#]*/g, '') }, function (x) { return x.title === (h.question || h.title); });
  }

  function escapeHTML(s) {
    return String(s || '').replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }

  input.addEventListener('input', schedule);
  input.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!state.hits.length) return;
      var n = state.hits.length;
      var next = state.active + (e.key === 'ArrowDown' ? 1 : -1);
      setActive(next >= n ? 0 : next < 0 ? n - 1 : next);
    } else if (e.key === 'Enter') {
      var h = state.hits[state.active >= 0 ? state.active : 0];
      if (h && h.complete) {
        e.preventDefault();
        takeCompletion(h);
      } else if (h) {
        e.preventDefault();
        opened(h.hit, h.link);
        location.assign(h.link);
      }
    }
  });
  closeBtn.addEventListener('click', close);
  backdrop.addEventListener('mousedown', function (e) { if (e.target === backdrop) close(); });
  // Focus stays in the modal: Tab cycles through its controls.
  dialog.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { e.preventDefault(); close(); return; }
    if (e.key !== 'Tab') return;
    var f = Array.prototype.filter.call(dialog.querySelectorAll('input, button, a[href]:not([tabindex="-1"])'), function (x) { return x.offsetParent !== null; });
    if (!f.length) return;
    var first = f[0], last = f[f.length - 1], cur = root.activeElement;
    if (e.shiftKey && cur === first) { e.preventDefault(); last.focus(); } else if (!e.shiftKey && cur === last) { e.preventDefault(); first.focus(); }
  });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) && t !== host;
    if ((e.key === 'k' || e.key === 'K') && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (backdrop.hidden) open(); else close();
    } else if (e.key === '/' && !typing && backdrop.hidden) {
      e.preventDefault();
      open();
    }
  });
  document.addEventListener('click', function (e) {
    var t = e.target && e.target.closest && e.target.closest('[data-qdex-open]');
    if (t) { e.preventDefault(); open(); }
  });
  window.qdexSearch = { open: open, close: close };
})();
