// qdex highlighter for a host site's answer pages, opened from the search modal:
// it marks the words the hit highlighted (in the page's URL as qdex_terms) in the
// page's text, and scrolls to the first mark (the first in the #fragment's element
// when there is one). One tag on the host's answer pages:
//
//   <script src="https://search.example/highlight.js" defer></script>
//
// data-qdex-scope="CSS selector" limits it to part of the page (default: main, else
// the body). Marks are <mark class="qdex-mark">, for the host to style.
(function () {
  'use strict';
  var script = document.currentScript;
  var terms = (new URLSearchParams(location.search).get('qdex_terms') || '').split(/\s+/).filter(Boolean);
  if (!terms.length) return;
  var SKIP = { SCRIPT: 1, STYLE: 1, NOSCRIPT: 1, TEXTAREA: 1, INPUT: 1, SELECT: 1, MARK: 1, TEMPLATE: 1 };

  function escape(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

  function run() {
    var sel = script && script.dataset.qdexScope;
    var scope = (sel && document.querySelector(sel)) || document.querySelector('main') || document.body;
    terms.sort(function (a, b) { return b.length - a.length; });
    // Whole words only: "go" does not mark "good".
    var re = new RegExp('(?<![\\p{L}\\p{N}_])(?:' + terms.map(escape).join('|') + ')(?![\\p{L}\\p{N}_])', 'giu');
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        for (var p = n.parentNode; p && p !== scope; p = p.parentNode) {
          if (SKIP[p.nodeName]) return NodeFilter.FILTER_REJECT;
        }
        re.lastIndex = 0;
        return re.test(n.nodeValue) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      }
    });
    var nodes = [];
    for (var n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    var marks = [];
    nodes.forEach(function (node) {
      var text = node.nodeValue, last = 0, frag = document.createDocumentFragment();
      re.lastIndex = 0;
      text.replace(re, function (m, offset) {
        if (offset > last) frag.appendChild(document.createTextNode(text.slice(last, offset)));
        var mark = document.createElement('mark');
        mark.className = 'qdex-mark';
        mark.textContent = m;
        frag.appendChild(mark);
        marks.push(mark);
        last = offset + m.length;
        return m;
      });
      if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(frag, node);
    });
    if (!marks.length) return;
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var first = marks[0];
    if (target) {
      for (var i = 0; i < marks.length; i++) {
        if (target.contains(marks[i])) { first = marks[i]; break; }
      }
    }
    first.scrollIntoView({ block: 'center' });
    document.documentElement.setAttribute('data-qdex-marks', String(marks.length));
  }
  // A site that changes pages without loading them calls qdexHighlight() again.
  window.qdexHighlight = run;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
})();
