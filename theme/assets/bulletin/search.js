/* Search over the Pagefind index (site/pagefind/), in Material's search box.
 *
 * - Loads nothing until the reader opens search; then pagefind.js (gzipped, unpacked
 *   here), its WebAssembly, the index chunks the query needs and the fragments of the
 *   results shown.
 * - The reader's variant has an index in its own script. A query typed in another script
 *   is converted with the variant's character map (pagefind/bulletin-<lang>.json.gz); a
 *   character with several forms in use is tried each way, and the results merged.
 * - Names and titles are matched whole as well: the segmenter splits a name it does not
 *   know (赵德顺) into pieces that match elsewhere or nothing. The query (in each of its
 *   forms) is looked up as a substring of every page's title, community and tags
 *   (pagefind/bulletin-<lang>-names.json.gz; on a big site, postings of character pairs
 *   in shards, and the candidates' records), and those pages come first: whole title, part of the title, whole community or tag, part
 *   of one. Pages Pagefind did not find are read from their fragment. The notices page's
 *   notices count as titles.
 * - Phrases: the pages whose text holds every character pair of the query (postings in
 *   pagefind/bulletin-<lang>-text*.json.gz, see search_text.py) come next, above the pages
 *   Pagefind matched on pieces of the query alone, and those it did not find are added.
 * - Synonyms from site_src/search.yml (in the manifest, folded) are searched too; pages
 *   that hold the query itself rank above those that hold only a synonym.
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

  /* The pairs of adjacent characters of `text` that hold no space (search.name_pairs). */
  function pairs(text) {
    var chars = Array.from(text || "");
    var out = [];
    for (var i = 0; i + 1 < chars.length; i++) {
      if (!/\s/.test(chars[i]) && !/\s/.test(chars[i + 1])) out.push(chars[i] + chars[i + 1]);
    }
    return out;
  }

  /* The pairs of adjacent characters of a folded query that the phrase postings hold
   * (search_text.text_pairs): within runs of Han characters, Latin letters and digits. */
  function textPairs(text) {
    var out = [];
    (String(text || "").toLowerCase().match(/[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g) || [])
      .forEach(function (run) {
        for (var i = 0; i + 1 < run.length; i++) {
          var p = run.slice(i, i + 2);
          if (out.indexOf(p) < 0) out.push(p);
        }
      });
    return out;
  }

  /* Page numbers from postings `deltas` (3, 1, 4 -> 3, 4, 8). */
  function undelta(deltas) {
    var out = [], at = -1;
    (deltas || []).forEach(function (d) { at += d; out.push(at); });
    return out;
  }

  /* The page numbers that hold every one of `wanted` pairs, given `postings` (pair ->
   * deltas); null when there is no pair to ask for. */
  function holding(wanted, postings) {
    var pages = null;
    wanted.forEach(function (p) {
      var mine = undelta(postings[p]);
      pages = pages === null ? mine : pages.filter(function (n) { return mine.indexOf(n) >= 0; });
    });
    return pages;
  }

  /* `results` (best first) reordered by the phrase pass: pages that contain the query
   * (ids in `exact`) first, then those that contain one of its synonyms (`near`), then
   * the rest: pages Pagefind matched on pieces of the query alone. Within each, Pagefind's
   * order; a page of `exact` or `near` that Pagefind did not find follows its own (as
   * `missing(id)`, score 0). */
  function phraseRank(results, exact, near, missing) {
    if (!exact && !near) return results;
    var ids = new Set(results.map(function (r) { return r.id; }));
    function tier(set) {
      if (!set) return [];
      var found = results.filter(function (r) { return set.has(r.id); });
      var more = Array.from(set).filter(function (id) { return !ids.has(id); }).sort().map(missing);
      more.forEach(function (r) { ids.add(r.id); });
      return found.concat(more);
    }
    var first = tier(exact);
    var taken = new Set(first.map(function (r) { return r.id; }));
    var second = tier(near).filter(function (r) { return !taken.has(r.id); });
    second.forEach(function (r) { taken.add(r.id); });
    return first.concat(second, results.filter(function (r) { return !taken.has(r.id); }));
  }

  /* The query's synonyms (search.yml, folded: `synonyms`), for the whole query and for
   * each word of it. */
  function synonymsOf(query, synonyms, map) {
    var out = [];
    if (!synonyms) return out;
    var q = fold(query.trim(), map);
    [q].concat(q.split(/\s+/)).forEach(function (w) {
      if (Object.prototype.hasOwnProperty.call(synonyms, w)) {
        synonyms[w].forEach(function (t) {
          var whole = w === q ? t : q.replace(w, t);
          if (out.indexOf(whole) < 0) out.push(whole);
        });
      }
    });
    return out;
  }

  /* The shard of a pair's postings (search.pair_shard). */
  function pairShard(pair, shards) {
    var chars = Array.from(pair);
    return (chars[0].codePointAt(0) * 31 + chars[1].codePointAt(0)) % shards;
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

  /* Pages whose title, community or tags contain one of `forms` (a query in each of its
   * forms, no spaces; compared folded with `map`), from name-list `rows` ([id, title,
   * community, tags joined by 、, a person's summary, the notices page's notices joined
   * by ｜: a notice or its lead counts as a title, the rest of it as a summary]):
   * [{id, tier, at, length}], best first. Tier 4: the whole title; 3: part of it; 2: a
   * whole community or tag; 1: part of one, or of a person's summary. Within a tier the match nearer the start
   * of a shorter title wins. Each page once, at its best. */
  function nameMatches(rows, forms, map) {
    var best = new Map();
    var folded = (rows || []).map(function (row) {
      return [row[0], fold(row[1], map), fold(row[2], map), row[3] ? fold(String(row[3]), map).split("、") : [],
              fold(row[4], map), row[5] ? fold(String(row[5]), map).split("｜") : []];
    });
    (forms || []).forEach(function (q) {
      if (Array.from(q).length < 2) return;
      q = fold(q, map);
      folded.forEach(function (row) {
        var title = row[1], community = row[2], tags = row[3], summary = row[4], notices = row[5];
        var tier = 0, at = title.indexOf(q);
        var leads = notices.map(lead);
        if (title === q || notices.indexOf(q) >= 0 || leads.indexOf(q) >= 0) tier = 4;
        else if (at >= 0) tier = 3;
        else if (leads.some(function (n) { return n.indexOf(q) >= 0; })) { tier = 3; at = title.length; }
        else if (community === q || tags.indexOf(q) >= 0) tier = 2;
        else if (community.indexOf(q) >= 0 || summary.indexOf(q) >= 0
                 || tags.some(function (t) { return t.indexOf(q) >= 0; })
                 || notices.some(function (n) { return n.indexOf(q) >= 0; })) tier = 1;
        if (!tier) return;
        var match = { id: row[0], tier: tier, at: at < 0 ? title.length : at, length: title.length };
        var seen = best.get(match.id);
        if (!seen || better(match, seen) < 0) best.set(match.id, match);
      });
    });
    return Array.from(best.values()).sort(better);
  }

  /* A notice's lead, what it is called: its text up to the first ， 。 ： or ；
   * (冬季用电用气安全提示 of 冬季用电用气安全提示：离家请……). */
  function lead(notice) {
    return notice.split(/[，。：；,:;]/)[0];
  }

  function better(a, b) {
    return (b.tier - a.tier) || (a.at - b.at) || (a.length - b.length) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  /* Pagefind's `results` (best first) with the pages of `named` (nameMatches, ids as
   * Pagefind's) in front, in the order of their tier, then of Pagefind's score, then of
   * the match. A named page Pagefind did not find is `missing(id)`, a result of score 0. */
  function rank(results, named, missing) {
    var byId = new Map(results.map(function (r) { return [r.id, r]; }));
    var front = (named || []).map(function (n, order) {
      var r = byId.get(n.id);
      return { result: r || missing(n.id), tier: n.tier, score: r ? r.score : 0, order: order };
    });
    front.sort(function (a, b) { return (b.tier - a.tier) || (b.score - a.score) || (a.order - b.order); });
    var taken = new Set(front.map(function (f) { return f.result.id; }));
    return front.map(function (f) { return f.result; })
      .concat(results.filter(function (r) { return !taken.has(r.id); }));
  }

  /* Whether a word Pagefind marked belongs to the query: part of one of `phrases`, or
   * holding one (志愿者 for 志愿). Pagefind also marks what it matched on a piece of the
   * query alone (学习 for 学雷锋), which is not what the reader asked for. */
  function related(text, phrases, map) {
    text = fold(text, map);
    return (phrases || []).some(function (p) {
      p = fold(p, map);
      return p && (p.indexOf(text) >= 0 || text.indexOf(p) >= 0);
    });
  }

  /* `parts` with the marks that are not `related` to `phrases` taken off. */
  function keepMarks(parts, phrases, map) {
    return parts.map(function (p) {
      return p.mark && !related(p.text, phrases, map) ? { text: p.text, mark: false } : p;
    });
  }

  /* An excerpt of a page's `content` (its text, title first) at the first place after
   * the title where one of `phrases` occurs (folded with `map`), marked; null when none does. With
   * `anywhere`, the text after the title when no phrase occurs (a page found by its
   * name alone). About `width` characters. */
  function excerptAround(content, phrases, title, width, anywhere, map) {
    content = (content || "").replace(/\u200b/g, "");
    width = width || 80;
    var folded = fold(content, map);
    var start = 0;
    if (title && content.indexOf(title) === 0) start = title.length;
    start += (/^[.\s]*/.exec(content.slice(start)) || [""])[0].length;
    var at = -1;
    (phrases || []).forEach(function (p) {
      if (!p || Array.from(p).length < 2) return;
      var i = folded.indexOf(fold(p, map), start);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    if (at < 0 && !anywhere) return null;
    var from = at < 0 ? start : Math.max(start, at - Math.floor(width / 4));
    var text = content.slice(from, from + width);
    if (!text) return null;
    var parts = markParts([{ text: (from > start ? "…" : "") + text, mark: false }], phrases, map);
    if (from + width < content.length) parts.push({ text: "…", mark: false });
    return parts;
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

  /* `text` in the script of the index the variant uses, character by character, each
   * character in its most used form of `map` (the query map): 趙德順 and 赵德顺 fold alike
   * on either variant. Keeps every index: a form that is not a single UTF-16 unit is not
   * taken. Comparing folded texts finds the query in a title or excerpt whatever script
   * the reader typed it in. */
  function fold(text, map) {
    text = text || "";
    if (!map) return text;
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      var forms = Object.prototype.hasOwnProperty.call(map, c) ? map[c] : "";
      out += forms && forms.length && forms[0].length === 1 && (forms.charCodeAt(0) & 0xfc00) !== 0xd800 ? forms[0] : c;
    }
    return out;
  }

  /* `parts` with every occurrence of one of `phrases` marked as well (compared folded
   * with `map`). Pagefind marks the words it matched, which in Traditional text are often
   * single characters (計 of 計劃); marking the query itself keeps the whole match
   * visible. Adjacent marks join. */
  function markParts(parts, phrases, map) {
    var text = "";
    var marked = [];
    parts.forEach(function (p) {
      text += p.text;
      for (var k = 0; k < p.text.length; k++) marked.push(!!p.mark);
    });
    var folded = fold(text, map);
    (phrases || []).forEach(function (phrase) {
      if (!phrase) return;
      phrase = fold(phrase, map);
      for (var at = folded.indexOf(phrase); at >= 0; at = folded.indexOf(phrase, at + phrase.length)) {
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

  /* Pagefind joins a page's blocks with ". ", which reads as a stray full stop in Chinese:
   * after Chinese punctuation it goes, between two Chinese characters it becomes a
   * full-width space (「活动日期2026年4月18日　地点…」). Latin text keeps it. A block that
   * ends in punctuation is joined with a bare space, which goes too before Chinese
   * (「凝聚力。组织…」). */
  var CJK_PUNCT_JOIN = /([\u3000-\u303f\uff00-\uffef\u201d\u2019])(?:\. | (?=[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u201c\u2018]))/g;
  var CJK_JOIN = /([\u3400-\u9fff\uf900-\ufaff])\. (?=[\u3400-\u9fff\uf900-\ufaff\d])/g;
  /* The same where the join ends a part and the next (a marked match) starts with Chinese. */
  var CJK_START = /^[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u201c\u2018]/;
  var CJK_PUNCT_END = /([\u3000-\u303f\uff00-\uffef\u201d\u2019])\.? $/;
  var CJK_HAN_END = /([\u3400-\u9fff\uf900-\ufaff])\. $/;
  function cjkJoins(parts) {
    var out = parts.map(function (p) {
      return { text: p.text.replace(CJK_PUNCT_JOIN, "$1").replace(CJK_JOIN, "$1\u3000"), mark: p.mark };
    });
    for (var i = 0; i + 1 < out.length; i++) {
      if (!CJK_START.test(out[i + 1].text)) continue;
      out[i].text = out[i].text.replace(CJK_PUNCT_END, "$1").replace(CJK_HAN_END, "$1\u3000");
    }
    return out;
  }

  window.BulletinSearch = {
    cjkJoins: cjkJoins,
    expand: expand, merge: merge, group: group, fold: fold, pairs: pairs, pairShard: pairShard, nameMatches: nameMatches, rank: rank,
    textPairs: textPairs, holding: holding, phraseRank: phraseRank, synonymsOf: synonymsOf,
    related: related, keepMarks: keepMarks, excerptAround: excerptAround,
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
    var manifestLoad = bundleFetch(new URL("bulletin-" + LANG + ".json.gz", BUNDLE).href)
      .then(gunzipJson).then(function (data) { manifest = data; });
    var pagefindLoad = pagefindModule().then(function (pagefind) {
      return pagefind.options({ baseUrl: SITE.pathname, basePath: BUNDLE.pathname, noWorker: true,
                                excerptLength: 40 })
        .then(function () { return pagefind.init(); })
        .then(function () { return pagefind; });
    });
    ready = Promise.all([pagefindLoad, manifestLoad]).then(function (all) { return all[0]; });
    ready.catch(function () { ready = null; });
    return ready;
  }

  /* Pagefind's script, from pagefind.js.gz (a third of the bytes, whatever the server
   * compresses); pagefind.js itself where that cannot be unpacked or run. */
  function pagefindModule() {
    var plain = new URL("pagefind.js", BUNDLE).href;
    if (!window.DecompressionStream || !window.URL.createObjectURL) return import(plain);
    return bundleFetch(new URL("pagefind.js.gz", BUNDLE).href).then(gunzipped).then(function (bytes) {
      var url = URL.createObjectURL(new Blob([bytes], { type: "text/javascript" }));
      return import(url).finally(function () { URL.revokeObjectURL(url); });
    }).catch(function () { return import(plain); });
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

  /* The name-list rows that can hold one of `forms` (see search._write_names). A small
   * site: its whole list. A big one: for each form (folded, two characters or more) the
   * shards of its character pairs; the ids that hold every pair, in titles or in the
   * other fields, are the candidates, and their rows are read from their records (at
   * most NAME_CANDIDATES: a query held by more pages is a common word, ranked by
   * Pagefind alone). A shard that cannot be fetched (offline) gives way to the whole
   * list, kept if it was fetched ahead; failing that, nothing. */
  var NAME_CANDIDATES = 24;
  var NAME_PAIRS = 8;  // a long title asks for eight of its pairs, spread over it; its rows are then checked whole
  function nameRows(forms) {
    var names = manifest.names;
    if (!names || !names.all) return Promise.resolve([]);
    function get(file) {
      return bundleFetch(new URL(file, BUNDLE).href).then(gunzipJson);
    }
    function whole() {
      return get(names.all).then(function (rows) {
        return rows.map(function (row) { return [names.prefix + row[0]].concat(row.slice(1)); });
      }).catch(function () { return []; });
    }
    if (!names.shards) return whole();
    function shardFile(pair) {
      var k = pairShard(pair, names.shards);
      return (names.empty || []).indexOf(k) >= 0 ? null : names.pattern.replace("#", String(k));
    }
    var folded = [];
    forms.forEach(function (q) {
      q = fold(q, manifest.map);
      if (Array.from(q).length >= 2 && folded.indexOf(q) < 0) folded.push(q);
    });
    function some(q) { return spread(pairs(q), NAME_PAIRS); }
    var wanted = [];
    folded.forEach(function (q) {
      some(q).forEach(function (p) {
        var file = shardFile(p);
        if (file && wanted.indexOf(file) < 0) wanted.push(file);
      });
    });
    return Promise.all(wanted.map(function (file) {
      return get(file).then(function (shard) { return [file, shard]; });
    })).then(function (shards) {
      var byFile = new Map(shards);
      var candidates = new Set();
      folded.forEach(function (q) {
        ["t", "o"].forEach(function (field) {
          var ids = null;
          some(q).forEach(function (p) {
            var shard = byFile.get(shardFile(p)) || {};
            var list = (shard[field] || {})[p] || [];
            ids = ids === null ? list : list.filter(function (id) { return ids.indexOf(id) >= 0; });
          });
          (ids || []).forEach(function (id) { candidates.add(names.prefix + id); });
        });
      });
      if (candidates.size > NAME_CANDIDATES) return [];
      return Promise.all(Array.from(candidates).map(function (id) {
        return record(id).then(function (d) {
          var m = d.meta || {};
          return [id, m.title || "", m.community || "", m.tags || "", m.summary || "", m.notices || ""];
        }, function () { return null; });
      })).then(function (rows) { return rows.filter(Boolean); });
    }, whole);
  }

  /* At most `n` of `all`, spread evenly from the first to the last. */
  function spread(all, n) {
    if (all.length <= n) return all;
    var step = (all.length - 1) / (n - 1);
    var some = [];
    for (var i = 0; i < n; i++) some.push(all[Math.round(i * step)]);
    return some;
  }

  /* The pages (ids) whose text holds every character pair of one of `forms` (see
   * search_text.py), from the phrase postings: one file on a small site, else the shards
   * of the pairs (at most TEXT_PAIRS of them, spread over the query). null when no form
   * has a pair, or when postings cannot be fetched (offline: Pagefind's results alone). */
  var TEXT_PAIRS = 8;
  function textPages(forms) {
    var text = manifest.text;
    if (!text || !text.shards || !forms.length) return Promise.resolve(null);
    var asks = forms.map(function (q) { return spread(textPairs(fold(q, manifest.map)), TEXT_PAIRS); })
      .filter(function (a) { return a.length; });
    if (!asks.length) return Promise.resolve(null);
    function shardFile(pair) {
      var k = text.shards > 1 ? pairShard(pair, text.shards) : 0;
      return (text.empty || []).indexOf(k) >= 0 ? null : text.pattern.replace("#", String(k));
    }
    var files = [];
    asks.forEach(function (a) {
      a.forEach(function (p) { var f = shardFile(p); if (f && files.indexOf(f) < 0) files.push(f); });
    });
    return Promise.all(files.map(function (file) {
      return textShard(file).then(function (s) { return [file, s]; });
    })).then(function (shards) {
      var byFile = new Map(shards);
      var ids = new Set();
      asks.forEach(function (a) {
        var postings = {};
        a.forEach(function (p) { postings[p] = (byFile.get(shardFile(p)) || {})[p] || []; });
        (holding(a, postings) || []).forEach(function (n) {
          if (n < text.ids.length) ids.add(text.prefix + text.ids[n]);
        });
      });
      return ids;
    }, function () { return null; });
  }

  /* A postings file, fetched once (the query and its synonyms may ask for it together). */
  var textShards = new Map();
  function textShard(file) {
    if (!textShards.has(file)) {
      var loading = bundleFetch(new URL(file, BUNDLE).href).then(gunzipJson);
      textShards.set(file, loading);
      loading.catch(function () { textShards.delete(file); });
    }
    return textShards.get(file);
  }

  /* JSON from a gzip file. */
  function gunzipJson(r) {
    return gunzipped(r).then(function (bytes) { return JSON.parse(new TextDecoder().decode(bytes)); });
  }

  /* The bytes of a gzip file (a server that sends it with Content-Encoding: gzip has had
   * it decompressed already). */
  function gunzipped(r) {
    if (!r.ok) throw new Error(r.url + " " + r.status);
    return r.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes[0] !== 0x1f || bytes[1] !== 0x8b || !window.DecompressionStream) return bytes;
      return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    });
  }

  var records = new Map();
  /* `fragment(id)`, read once per page. */
  function record(id) {
    if (!records.has(id)) {
      var loading = fragment(id);
      records.set(id, loading);
      loading.catch(function () { records.delete(id); });
    }
    return records.get(id);
  }

  /* A page record (url, content, meta) from its fragment, for a page found by its name
   * alone: fragments are gzip, then "pagefind_dcd" and the JSON. */
  function fragment(id) {
    return bundleFetch(new URL("fragment/" + id + ".pf_fragment", BUNDLE).href).then(function (r) {
      if (!r.ok || !r.body || !window.DecompressionStream) throw new Error("fragment " + r.status);
      return new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).text();
    }).then(function (text) {
      var signature = "pagefind_dcd";
      if (text.indexOf(signature) !== 0) throw new Error("fragment " + id);
      var record = JSON.parse(text.slice(signature.length));
      return {
        url: fullUrl(record.url || ""), content: record.content || "", excerpt: "",
        sub_results: [], meta: record.meta || {}, named: true
      };
    });
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
      var others = synonymsOf(query, manifest.synonyms, manifest.map);
      var asked = queries.concat(others.filter(function (q) { return queries.indexOf(q) < 0; }));
      var whole = /\s/.test(query.trim()) ? [] : queries;
      function missing(id) { return { id: id, score: 0, data: function () { return record(id); } }; }
      return Promise.all([
        Promise.all(asked.map(function (q) { return pagefind.search(q); })),
        nameRows(whole),
        textPages([query.trim()]),
        textPages(others)
      ]).then(function (all) {
        if (mine !== sequence) return;
        var found = phraseRank(merge(all[0].map(function (f) { return f ? f.results : []; })),
                               all[2], all[3], missing);
        state = {
          query: query, shown: 0, items: [],
          phrases: words(asked),
          results: rank(found, nameMatches(all[1], whole, manifest.map), missing)
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
    // The query where the page has it, else Pagefind's excerpt with only the marks that
    // belong to the query; a page found by its name alone shows its opening text.
    var map = manifest.map;
    var own = excerptAround(d.content, phrases, meta.title, 80, !!d.named, map);
    var excerpt = own || markParts(keepMarks(excerptParts(d.excerpt), phrases, map), phrases, map);
    var shown = cjkJoins(own || trimTitle(excerpt, meta.title));
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
    appendParts(title, markParts([{ text: meta.title || d.url, mark: false }], terms, map));
    article.appendChild(title);
    // A tag that holds the query is shown too: the page may be first because of it.
    var tags = (meta.tags ? String(meta.tags).split("、") : []).filter(function (tag) {
      return phrases.some(function (p) { return Array.from(p).length > 1 && fold(tag, map).indexOf(fold(p, map)) >= 0; });
    });
    if (meta.date || meta.community || tags.length) {
      var facts = document.createElement("p");
      facts.className = "bl-search__facts";
      [meta.date, meta.community].concat(tags).forEach(function (value, i) {
        if (!value) return;
        var span = document.createElement("span");
        if (i > 1) {
          span.className = "bl-search__tag";
          span.appendChild(document.createTextNode((texts.tag || "") + "："));
        }
        appendParts(span, i ? markParts([{ text: value, mark: false }], phrases, map) : [{ text: value, mark: false }]);
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
