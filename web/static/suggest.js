// Query suggestions under qdex's search box: completions of what the reader is
// typing, from popular past searches and from the questions (GET /api/suggest).
// ↑/↓ move through them while they show, Enter takes one, Escape closes them;
// otherwise the keys go to the results as before (search.js).
(function () {
  'use strict';
  var input = document.getElementById('q');
  if (!input || !window.fetch) return;
  var DEBOUNCE_MS = 60;
  var box = document.createElement('ul');
  box.id = 'q-suggest';
  box.className = 'suggest';
  box.setAttribute('role', 'listbox');
  box.setAttribute('aria-label', 'Suggestions');
  box.hidden = true;
  input.parentNode.appendChild(box);
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', ((input.getAttribute('aria-controls') || '') + ' q-suggest').trim());
  var items = [], active = -1, timer = 0, ctl = null, asked = '';

  function close() {
    box.hidden = true;
    active = -1;
    if ((input.getAttribute('aria-activedescendant') || '').indexOf('sg-') === 0) input.removeAttribute('aria-activedescendant');
  }

  function show(list) {
    box.replaceChildren();
    items = list;
    active = -1;
    list.forEach(function (s, i) {
      var li = document.createElement('li');
      li.id = 'sg-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.className = 'suggest-' + s.kind;
      var text = document.createElement('span');
      text.innerHTML = s.html; // escaped by qdex, with <mark>
      li.appendChild(text);
      if (s.kind === 'question') {
        var tag = document.createElement('span');
        tag.className = 'suggest-tag';
        tag.textContent = 'question';
        li.appendChild(tag);
      }
      li.addEventListener('mousedown', function (e) { e.preventDefault(); take(i); });
      box.appendChild(li);
    });
    box.hidden = list.length === 0;
  }

  function setActive(i) {
    var lis = box.children;
    if (active >= 0 && lis[active]) lis[active].setAttribute('aria-selected', 'false');
    active = i;
    if (i < 0) { input.removeAttribute('aria-activedescendant'); return; }
    lis[i].setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', lis[i].id);
  }

  function take(i) {
    var s = items[i];
    close();
    if (!s) return;
    if (s.kind === 'question' && s.url) {
      location.assign(s.url + (s.url.indexOf('?') < 0 ? '?' : '&') + 'q=' + encodeURIComponent(input.value.trim()));
      return;
    }
    input.value = s.text + ' ';
    asked = input.value;
    // search.js searches on input; a page without it submits the form.
    input.dispatchEvent(new Event('input', { bubbles: true }));
    if (!document.getElementById('results') && input.form) input.form.submit();
  }

  function fetchSuggestions() {
    var q = input.value;
    if (q === asked) return;
    asked = q;
    if (ctl) ctl.abort();
    if (!q.trim()) { close(); return; }
    ctl = new AbortController();
    fetch('/api/suggest?size=6&q=' + encodeURIComponent(q), { signal: ctl.signal, headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (body) { if (input.value === q && document.activeElement === input) show(body.suggestions || []); })
      .catch(function () { /* suggestions are a convenience: no noise when they fail */ });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DEBOUNCE_MS);
  });
  // Registered on the input itself, so it runs before search.js's document listener.
  input.addEventListener('keydown', function (e) {
    if (box.hidden || !items.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      var n = items.length;
      var next = active + (e.key === 'ArrowDown' ? 1 : -1);
      setActive(next >= n ? -1 : next < -1 ? n - 1 : next);
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      e.stopPropagation();
      take(active);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    }
  });
  input.addEventListener('blur', function () { setTimeout(close, 100); });
})();
