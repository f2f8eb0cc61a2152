/* Search of the communique site, in the browser: no server, no network.
 *
 * The index is search-index.js, which `communique site` writes and which sets
 * window.COMMUNIQUE_SEARCH (a script, because a page opened from disk may not fetch a JSON
 * file). Each kind of page is a list of entries; an entry is what a result shows and the
 * id its link is made from. The agreements, most of the index in a large corpus, are
 * search-agreements.js, loaded the same way once the first search is made. A query matches an entry when every word of it is found in the
 * entry's text, with case and accents aside. Results are written as text, never as HTML.
 */
(function () {
  "use strict";

  var LIMIT = 50; // results shown for each kind of page
  var data = window.COMMUNIQUE_SEARCH;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Each kind: its heading, the text searched, and what a result shows and links to.
  var KINDS = [
    {key: "meetings", heading: "Meetings",
     text: function (m) { return m[1] + " " + m[0] + " " + m[3]; },
     link: function (m) { return "meetings/" + m[0] + ".html"; },
     title: function (m) { return m[1]; },
     detail: function (m) { return [m[2], m[3]].filter(Boolean).join(", "); }},
    {key: "series", heading: "Series",
     text: function (s) { return s[1] + " " + s[0]; },
     link: function (s) { return "series/" + s[0] + ".html"; },
     title: function (s) { return s[1]; },
     detail: function () { return ""; }},
    {key: "parties", heading: "Parties",
     text: function (p) { return p[1] + " " + p[0]; },
     link: function (p) { return "parties/" + p[0] + ".html"; },
     title: function (p) { return p[1]; },
     detail: function (p) { return p[0]; }},
    {key: "people", heading: "People",
     text: function (p) { return p[1] + " " + p[0]; },
     link: function (p) { return "people/" + p[0] + ".html"; },
     title: function (p) { return p[1]; },
     detail: function () { return ""; }},
    {key: "places", heading: "Places",
     text: function (p) { return p[1]; },
     link: function (p) { return "places/" + p[0] + ".html"; },
     title: function (p) { return p[1]; },
     detail: function () { return ""; }},
    {key: "agreements", heading: "Agreements",
     text: function (a) { return a[2] + " " + a[3]; },
     link: function (a) { return "meetings/" + data.meetings[a[0]][0] + ".html#agreement-" + a[1]; },
     title: function (a) { return a[3] || a[1]; },
     detail: function (a) {
       var meeting = data.meetings[a[0]];
       return [a[2], meeting[1], meeting[2]].filter(Boolean).join(" · ");
     }}
  ];

  var folded = {}; // kind -> its entries and the folded text of each, made on the first search

  function matches(kind, words) {
    var entries = data[kind.key] || [];
    if (!folded[kind.key] || folded[kind.key].entries !== entries) {
      folded[kind.key] = {entries: entries, texts: entries.map(function (entry) { return fold(kind.text(entry)); })};
    }
    var texts = folded[kind.key].texts, found = [], total = 0;
    for (var i = 0; i < texts.length; i++) {
      if (words.every(function (word) { return texts[i].indexOf(word) !== -1; })) {
        total++;
        if (found.length < LIMIT) found.push(entries[i]);
      }
    }
    return {found: found, total: total};
  }

  function element(name, text, className) {
    var node = document.createElement(name);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // Loads search-agreements.js once, then searches again for what was asked meanwhile.
  var agreements = "not loaded";
  function loadAgreements() {
    if (agreements !== "not loaded") return;
    agreements = "loading";
    var script = document.createElement("script");
    script.src = "search-agreements.js";
    script.onload = function () {
      data.agreements = (window.COMMUNIQUE_AGREEMENTS || {}).agreements || [];
      agreements = "loaded";
      search(input.value);
    };
    script.onerror = function () {
      agreements = "missing";
      search(input.value);
    };
    document.head.appendChild(script);
  }

  function search(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    results.textContent = "";
    if (!words.length) {
      status.textContent = "Type a word or more to search.";
      return;
    }
    loadAgreements();
    var shown = 0;
    KINDS.forEach(function (kind) {
      var hits = matches(kind, words);
      if (!hits.total) return;
      shown += hits.total;
      var section = element("section", "", "results");
      var more = hits.total > hits.found.length ? " (the first " + hits.found.length + " of " + hits.total + ")" : " (" + hits.total + ")";
      section.appendChild(element("h2", kind.heading + more));
      var list = element("ul");
      hits.found.forEach(function (entry) {
        var item = element("li");
        var link = element("a", kind.title(entry));
        link.href = kind.link(entry);
        item.appendChild(link);
        var detail = kind.detail(entry);
        if (detail) item.appendChild(element("span", " " + detail, "detail"));
        list.appendChild(item);
      });
      section.appendChild(list);
      results.appendChild(section);
    });
    var found = shown ? shown + " result" + (shown === 1 ? "" : "s") + " for “" + query + "”."
                      : "Nothing found for “" + query + "”.";
    if (agreements === "loading") found += " Searching the agreements too…";
    if (agreements === "missing") found += " The agreements (search-agreements.js) did not load.";
    status.textContent = found;
  }

  if (!data) {
    status.textContent = "The search index (search-index.js) did not load, so search is not available.";
    return;
  }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value);
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    document.getElementById("site-search").value = query;
    search(query);
  } else {
    status.textContent = "Type a word or more to search.";
  }
})();
