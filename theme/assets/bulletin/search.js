/* Search over the Pagefind index (site/pagefind/), in Material's search box.
 *
 * - Loads nothing until the reader opens search; then pagefind.js, its WebAssembly, the
 *   index chunks the query needs and the fragments of the results shown.
 * - The reader's variant has an index in its own script. A query typed in another script
 *   is converted with the variant's character map (pagefind/bulletin-<lang>.json); a
 *   character with several forms in use is tried each way, and the results merged.
 * - Results are grouped by kind (计划 / 相册 / 好人榜), with date and community, the match
 *   highlighted. Keys as in Material: "/", "s" or "f" opens, arrows move, Enter opens the
 *   best result, Esc closes.
 * - Offline: every bundle file fetched is kept (Cache Storage, or memory where that is not
 *   available). After the first results, a small variant's whole index is fetched; a
 *   bigger one's index chunks and page list, so that offline results still show title,
 *   kind, date and community (without an excerpt). Pagefind runs on the main thread so
 *   that its fetches go through that store.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- pure functions

  /* Queries to run for `query`: as typed, then converted with `map` (character -> its
   * forms used in this variant, most used first), then one character at a time in its
   * other forms. As typed is left out when it has a character the variant never uses
   * (卫 on a Hong Kong page): it cannot match, and would cost a fetch. At most `limit`. */
  function expand(query, map, limit) {
    limit = limit || 4;
    var chars = Array.from(query);
    var native = true;
    var options = chars.map(function (c) {
      if (!map || !Object.prototype.hasOwnProperty.call(map, c)) return [c];
      var forms = Array.from(map[c]);
      if (forms.indexOf(c) < 0) native = false;
      return forms;
    });
    var first = options.map(function (o) { return o[0]; });
    var out = native ? [query] : [];
    function add(s) { if (out.length < limit && out.indexOf(s) < 0) out.push(s); }
    add(first.join(""));
    for (var i = 0; i < options.length; i++) {
      for (var j = 1; j < options[i].length; j++) {
        var alt = first.slice();
        alt[i] = options[i][j];
        add(alt.join(""));
      }
    }
    return out;
  }

  /* One list from the results of several searches: each page once, at its best score. */
  function merge(lists) {
    var best = new Map();
    lists.forEach(function (list) {
      list.forEach(function (r) {
        var seen = best.get(r.id);
        if (!seen || r.score > seen.score) best.set(r.id, r);
      });
    });
    return Array.from(best.values()).sort(function (a, b) { return b.score - a.score; });
  }

  /* Results (each with .kind, best first) as groups in the order of their best result;
   * within a group, best first. */
  function group(items) {
    var groups = [];
    var index = new Map();
    items.forEach(function (item) {
      var kind = item.kind || "other";
      if (!index.has(kind)) {
        index.set(kind, groups.length);
        groups.push({ kind: kind, items: [] });
      }
      groups[index.get(kind)].items.push(item);
    });
    return groups;
  }

  /* Pagefind's excerpt (escaped text with <mark>) as [{text, mark}], without markup. */
  function excerptParts(excerpt) {
    var template = document.createElement("template");
    template.innerHTML = excerpt || "";
    var parts = [];
    template.content.childNodes.forEach(function (node) {
      var text = (node.textContent || "").replace(/\u200b/g, "");
      if (!text) return;
      parts.push({ text: text, mark: node.nodeName === "MARK" });
    });
    return parts;
  }

  /* `parts` with every occurrence of one of `phrases` marked as well. Pagefind marks the
   * words it matched, which in Traditional text are often single characters (計 of 計劃);
   * marking the query itself keeps the whole match visible. Adjacent marks join. */
  function markParts(parts, phrases) {
    var text = "";
    var marked = [];
    parts.forEach(function (p) {
      text += p.text;
      for (var k = 0; k < p.text.length; k++) marked.push(!!p.mark);
    });
    (phrases || []).forEach(function (phrase) {
      if (!phrase) return;
      for (var at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + phrase.length)) {
        for (var k = at; k < at + phrase.length; k++) marked[k] = true;
      }
    });
    var out = [];
    for (var i = 0; i < text.length; i++) {
      var last = out[out.length - 1];
      if (last && last.mark === marked[i]) last.text += text[i];
      else out.push({ text: text[i], mark: marked[i] });
    }
    return out;
  }

  /* `parts` without a leading "<end of the title>. ": Pagefind's excerpt often starts in
   * the page's heading, which the result already shows as its title. A leading ". " (the
   * end of a block Pagefind separates) goes too. */
  function trimTitle(parts, title) {
    var text = parts.map(function (p) { return p.text; }).join("");
    var skip = (/^[.\s]*/.exec(text) || [""])[0].length;
    var stop = text.indexOf(". ", skip) - skip;
    if (stop > 0 && title && title.slice(-stop) === text.slice(skip, skip + stop)) skip += stop + 2;
    if (!skip) return parts;
    var out = [];
    parts.forEach(function (p) {
      if (skip >= p.text.length) { skip -= p.text.length; return; }
      out.push({ text: p.text.slice(skip), mark: p.mark });
      skip = 0;
    });
    return out;
  }

  window.BulletinSearch = {
    expand: expand, merge: merge, group: group,
    excerptParts: excerptParts, markParts: markParts, trimTitle: trimTitle,
    prefetching: Promise.resolve()
  };

  // ---------------------------------------------------------------- the page

  var script = document.currentScript;
  var root = document.querySelector("[data-bl-search]");
  if (!script || !root) return;

  var SITE = new URL("../../", script.src);       // this file is assets/bulletin/search.js
  var BUNDLE = new URL("pagefind/", SITE);
  var LANG = (document.documentElement.getAttribute("lang") || "").toLowerCase();
  var PAGE_SIZE = 10;

  var toggle = document.getElementById("__search");
  var form = root.querySelector("[data-bl-search-form]");
  var input = root.querySelector("[data-bl-search-query]");
  var status = root.querySelector("[data-bl-search-status]");
  var output = root.querySelector("[data-bl-search-groups]");
  var texts = {};
  root.querySelectorAll("[data-bl-search-texts] [data-text]").forEach(function (el) {
    texts[el.getAttribute("data-text")] = el.textContent.trim();
  });

  // ---- bundle files, kept for offline use

  var nativeFetch = window.fetch.bind(window);
  var memory = new Map();
  var storePromise = null;

  function store() {
    if (!storePromise) {
      storePromise = (window.caches ? caches.open("bulletin-search").catch(function () { return null; })
                                    : Promise.resolve(null)).then(function (cache) {
        if (cache) return cache;
        return {
          match: function (url) {
            var hit = memory.get(url);
            return Promise.resolve(hit ? new Response(hit.body.slice(0), { headers: hit.headers }) : undefined);
          },
          put: function (url, response) {
            return response.arrayBuffer().then(function (body) {
              memory.set(url, { body: body, headers: Array.from(response.headers.entries()) });
            });
          },
          keys: function () { return Promise.resolve([]); },
          delete: function (url) { memory.delete(url); return Promise.resolve(true); }
        };
      });
    }
    return storePromise;
  }

  function isEntry(url) { return url.pathname.endsWith("/pagefind-entry.json"); }

  /* fetch() for bundle files: content-hashed files come from the store once fetched;
   * pagefind-entry.json (names the current files) from the network when it can. When it
   * changes, the site was rebuilt and the stored files are dropped. */
  function bundleFetch(input, init) {
    var url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, location.href);
    if (!url.href.startsWith(BUNDLE.href)) return nativeFetch(input, init);
    var key = url.origin + url.pathname;
    return store().then(function (cache) {
      if (isEntry(url)) {
        return nativeFetch(input, init).then(function (response) {
          if (!response.ok) return response;
          return response.clone().text().then(function (fresh) {
            return cache.match(key).then(function (old) {
              return old ? old.text() : null;
            }).then(function (previous) {
              var reset = previous !== null && previous !== fresh ? clear(cache) : Promise.resolve();
              return reset.then(function () { return cache.put(key, response.clone()); });
            }).then(function () { return response; });
          });
        }, function (error) {
          return cache.match(key).then(function (hit) { if (hit) return hit; throw error; });
        });
      }
      return cache.match(key).then(function (hit) {
        if (hit) return hit;
        return nativeFetch(input, init).then(function (response) {
          if (!response.ok) return response;
          return Promise.resolve(cache.put(key, response.clone())).then(function () { return response; });
        });
      });
    });
  }

  function clear(cache) {
    memory.clear();
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (r) { return cache.delete(r); }));
    });
  }

  // ---- Pagefind and the character map, loaded once, on first use

  var ready = null;
  var manifest = { map: {}, prefetch: [] };

  function load() {
    if (ready) return ready;
    if (window.fetch !== bundleFetch) window.fetch = bundleFetch;
    var mapUrl = new URL("bulletin-" + LANG + ".json", BUNDLE);
    var manifestLoad = bundleFetch(mapUrl.href).then(function (r) {
      if (!r.ok) throw new Error("manifest " + r.status);
      return r.json();
    }).then(function (data) { manifest = data; });
    var pagefindLoad = import(new URL("pagefind.js", BUNDLE).href).then(function (pagefind) {
      return pagefind.options({ baseUrl: SITE.pathname, noWorker: true, excerptLength: 40 })
        .then(function () { return pagefind.init(); })
        .then(function () { return pagefind; });
    });
    ready = Promise.all([pagefindLoad, manifestLoad]).then(function (all) { return all[0]; });
    ready.catch(function () { ready = null; });
    return ready;
  }

  /* The variant's page list (bulletin-<lang>-pages.json): for a result whose fragment
   * cannot be fetched (offline), its url, title, kind, date and community. */
  var pageList = null;
  function pages() {
    if (!pageList) {
      pageList = manifest.pages
        ? bundleFetch(new URL(manifest.pages, BUNDLE).href).then(function (r) {
            if (!r.ok) throw new Error("pages " + r.status);
            return r.json();
          })
        : Promise.reject(new Error("no page list"));
      pageList.catch(function () { pageList = null; });
    }
    return pageList;
  }

  /* Pagefind's URL for a page path (its fullUrl with our baseUrl). */
  function fullUrl(raw) {
    if (/^(https?:)?\/\//.test(raw)) return raw;
    return (SITE.pathname + "/" + raw).replace(/\/+/g, "/");
  }

  /* A result's data: its fragment, or, when that cannot be fetched, its line of the page
   * list (no excerpt). */
  function resultData(r) {
    return r.data().catch(function (error) {
      return pages().then(function (list) {
        var row = list[r.id];
        if (!row) throw error;
        return {
          url: fullUrl(row[0]), excerpt: "", sub_results: [], offline: true,
          meta: { title: row[1], kind: row[2], date: row[3], community: row[4] }
        };
      }, function () { throw error; });
    });
  }

  /* After the first results, what later queries need (see search.PREFETCH_LIMIT: a small
   * variant whole, a bigger one its index chunks and page list) is fetched, a second
   * later and three files at a time, unless the reader asked to save data. Then every
   * later query works offline too. */
  var prefetched = false;
  function prefetch() {
    if (prefetched) return;
    prefetched = true;
    var saveData = navigator.connection && navigator.connection.saveData;
    if (saveData || !manifest.prefetch || !manifest.prefetch.length) return;
    var queue = manifest.prefetch.slice();
    function next() {
      var path = queue.shift();
      if (!path) return Promise.resolve();
      return bundleFetch(new URL(path, BUNDLE).href).then(function (r) { return r.arrayBuffer(); })
        .catch(function () { /* fetched again on a later visit */ }).then(next);
    }
    window.BulletinSearch.prefetching = new Promise(function (resolve) { setTimeout(resolve, 1000); })
      .then(function () { return Promise.all([next(), next(), next()]); });
  }

  // ---- running a query

  var sequence = 0;
  var state = null;  // {query, results (merged, best first), shown, items (with data), phrases}

  /* The query whose results (or message) are on screen, as data-bl-search-done. */
  function done(query) { root.setAttribute("data-bl-search-done", query); }

  function search(query) {
    var mine = ++sequence;
    root.removeAttribute("data-bl-search-done");
    if (!query.trim()) {
      state = null;
      setStatus(texts.placeholder);
      output.textContent = "";
      done(query);
      return Promise.resolve();
    }
    if (!ready) setStatus(texts.loading);
    return load().then(function (pagefind) {
      var queries = expand(query.trim(), manifest.map, 4);
      return Promise.all(queries.map(function (q) { return pagefind.search(q); })).then(function (found) {
        if (mine !== sequence) return;
        state = {
          query: query, shown: 0, items: [],
          phrases: words(queries),
          results: merge(found.map(function (f) { return f ? f.results : []; }))
        };
        return more(mine);
      });
    }).then(function () {
      if (mine !== sequence) return;
      done(query);
      prefetch();
    }, function (error) {
      if (mine !== sequence) return;
      failed(error);
      output.textContent = "";
      done(query);
    });
  }

  function failed(error) {
    if (location.protocol === "file:") setStatus(texts.local);  // browsers do not load modules from files
    else if (navigator.onLine === false || error instanceof TypeError) setStatus(texts.offline);
    else setStatus(texts.unavailable);
  }

  function words(queries) {
    var out = [];
    queries.forEach(function (q) {
      q.split(/\s+/).forEach(function (w) { if (w && out.indexOf(w) < 0) out.push(w); });
    });
    return out;
  }

  function more(mine) {
    var slice = state.results.slice(state.shown, state.shown + PAGE_SIZE);
    return Promise.all(slice.map(resultData)).then(function (data) {
      if (mine !== sequence) return;
      data.forEach(function (d, i) {
        state.items.push({ kind: (d.meta && d.meta.kind) || "other", score: slice[i].score, data: d });
      });
      state.shown += slice.length;
      render();
    });
  }

  function setStatus(text) { status.textContent = text || ""; }

  function countText(n) {
    if (n === 0) return texts.none;
    if (n === 1) return texts.one;
    return (texts.other || "#").replace("#", String(n));
  }

  // ---- rendering, Material's result markup

  function appendParts(parent, parts) {
    parts.forEach(function (p) {
      if (p.mark) {
        var m = document.createElement("mark");
        m.textContent = p.text;
        parent.appendChild(m);
      } else {
        parent.appendChild(document.createTextNode(p.text));
      }
    });
  }

  /* The section with the most matches, or the page itself when that is its top (or
   * the page's own title) rather than a section below. */
  function bestLink(d) {
    var best = null;
    (d.sub_results || []).forEach(function (s) {
      if (!best || (s.locations || []).length > (best.locations || []).length) best = s;
    });
    if (!best || !best.url || best.url.indexOf("#") < 0) return d.url;
    if (best.anchor && best.anchor.element === "h1") return d.url;
    return best.url;
  }

  function render() {
    setStatus(countText(state.results.length));
    output.textContent = "";
    group(state.items).forEach(function (g) {
      var section = document.createElement("section");
      section.className = "bl-search__group";
      section.setAttribute("data-kind", g.kind);
      var heading = document.createElement("h2");
      heading.className = "bl-search__group-title";
      heading.textContent = texts[g.kind] || g.kind;
      section.appendChild(heading);
      var list = document.createElement("ol");
      list.className = "md-search-result__list";
      list.setAttribute("role", "list");
      g.items.forEach(function (item) { list.appendChild(renderItem(item)); });
      section.appendChild(list);
      output.appendChild(section);
    });
    if (state.shown < state.results.length) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "bl-search__more md-search-result__more";
      button.textContent = texts.more;
      button.addEventListener("click", function () { more(sequence).catch(failed); });
      output.appendChild(button);
    }
  }

  function renderItem(item) {
    var d = item.data;
    var meta = d.meta || {};
    var phrases = state.phrases;
    var excerpt = markParts(excerptParts(d.excerpt), phrases);
    var shown = trimTitle(excerpt, meta.title);
    var terms = phrases.concat(excerpt.filter(function (p) {
      return p.mark && p.text.length > 1;
    }).map(function (p) { return p.text; }));
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = bestLink(d);
    a.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-search-result__article--document md-typeset";
    article.setAttribute("data-md-score", String(item.score));
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    article.appendChild(icon);
    var title = document.createElement("h1");
    appendParts(title, markParts([{ text: meta.title || d.url, mark: false }], terms));
    article.appendChild(title);
    if (meta.date || meta.community) {
      var facts = document.createElement("p");
      facts.className = "bl-search__facts";
      [meta.date, meta.community].forEach(function (value) {
        if (!value) return;
        var span = document.createElement("span");
        span.textContent = value;
        facts.appendChild(span);
      });
      article.appendChild(facts);
    }
    var text = document.createElement("p");
    text.className = "bl-search__excerpt";
    if (d.offline) {
      text.classList.add("bl-search__excerpt--offline");
      text.textContent = texts.offline_excerpt;
    } else {
      appendParts(text, shown);
    }
    article.appendChild(text);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  // ---- opening, closing and the keyboard, as in Material

  function isOpen() { return !!(toggle && toggle.checked); }

  function setOpen(open) {
    if (!toggle || toggle.checked === open) return;
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change"));
  }

  function editable(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 150);
  });
  input.addEventListener("focus", function () {
    setOpen(true);
    load().catch(function () { /* reported when a query runs */ });
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { search(""); input.focus(); });
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== input) input.focus();
    });
  }
  output.addEventListener("click", function (ev) {
    if (ev.target instanceof Element && ev.target.closest("a")) setOpen(false);
  });

  window.addEventListener("keydown", function (ev) {
    if (ev.metaKey || ev.ctrlKey || ev.altKey || ev.isComposing) return;
    if (!isOpen()) {
      if ((ev.key === "/" || ev.key === "s" || ev.key === "f") && !editable(document.activeElement)) {
        setOpen(true);
        input.focus();
        input.select();
        ev.preventDefault();
      }
      return;
    }
    var links = Array.from(output.querySelectorAll("a[href], button"));
    var active = document.activeElement;
    switch (ev.key) {
      case "Escape":
        setOpen(false);
        input.blur();
        ev.preventDefault();
        break;
      case "Enter":
        if (active === input && links.length) {
          links[0].click();
          ev.preventDefault();
        }
        break;
      case "ArrowUp":
      case "ArrowDown":
        var ring = [input].concat(links);
        var at = Math.max(0, ring.indexOf(active));
        var step = ev.key === "ArrowUp" ? -1 : 1;
        ring[(at + step + ring.length) % ring.length].focus();
        ev.preventDefault();
        break;
    }
  }, true);
})();
