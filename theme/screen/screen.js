/* Lobby screen slideshow. Reads its slides from the inline JSON (#screen-data), so it runs
   from file:// as well as http(s). Written for old Chromium builds on signage boxes (ES5).
   Runs for weeks: every DOM node is created once and refilled; timers are single chains. */
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('screen-data').textContent);
  var params = new URLSearchParams(location.search);
  // Test hooks: ?speed=50 divides every duration, ?check=2 polls every 2 s, ?now=… sets the clock.
  var SPEED = Math.max(0.01, parseFloat(params.get('speed')) || 1);
  var CHECK_MS = (parseFloat(params.get('check')) || DATA.settings.check_interval) * 1000;
  var CLOCK_OFFSET = (params.get('now') ? Date.parse(params.get('now')) - Date.now() : 0) || 0;
  var RETRY_MS = 600000 / SPEED;        // a slide whose image failed is tried again after this
  var SHIFT_MS = 120000 / SPEED;        // burn-in: static elements move one step this often
  var STANDBY_MS = 60000 / SPEED;       // how often an empty playlist looks again
  var SHIFTS = [[0, 0], [3, 1], [4, -2], [1, -4], [-2, -3], [-4, 0], [-3, 3], [0, 4]];

  var stage = document.getElementById('stage');
  var sections = {};
  var fields = {};   // kind -> [[element, field name], ...]; a field may show in several places
  Array.prototype.forEach.call(stage.querySelectorAll('.slide'), function (section) {
    var kind = section.getAttribute('data-kind');
    sections[kind] = section;
    fields[kind] = [];
    Array.prototype.forEach.call(section.querySelectorAll('[data-field]'), function (el) {
      fields[kind].push([el, el.getAttribute('data-field')]);
    });
  });
  // Texts fitted to their box; an honor roll's member texts are fitted by fitRoll() instead.
  var fitted = Array.prototype.slice.call(stage.querySelectorAll('.fit:not([data-member])'));
  // Texts written into the template (the standby slide's site name) are fitted from their own text.
  var ownText = fitted.map(function (el) { return el.hasAttribute('data-field') ? null : el.textContent; });
  // The honor roll's cards: each a set of elements refilled with one member.
  var cards = Array.prototype.map.call(stage.querySelectorAll('.s-roll .member'), function (card) {
    var one = function (selector) { return card.querySelector(selector); };
    return {el: card, img: one('img'), emblem: one('.m-emblem'), badge: one('.badge'), name: one('.m-name'),
            community: one('.meta'), summary: one('.m-summary'), text: one('.m-text'), photo: one('.m-photo')};
  });
  var tiles = Array.prototype.slice.call(stage.querySelectorAll('.mosaic img'));
  var qrLabel = document.getElementById('qr-label');
  var pointItems = Array.prototype.slice.call(stage.querySelectorAll('.points li:not(.room)'));
  var qrAside = qrLabel.parentNode;
  var kindLabel = document.getElementById('kind-label');
  var clockDate = document.getElementById('clock-date');
  var clockTime = document.getElementById('clock-time');
  var qrBox = document.getElementById('qr');
  var pausedBadge = document.getElementById('paused');
  var bar = document.getElementById('progress');
  var night = document.getElementById('night');
  var nightTime = document.getElementById('night-time');
  var nightDate = document.getElementById('night-date');
  // Images are decoded here before a slide shows them (one per mosaic tile at most), made once.
  var loaders = tiles.concat(cards).map(function () { return new Image(); });
  var loader = loaders[0];

  var state = {
    pos: -1, transitions: 0, cycles: 0, paused: false, mode: 'start', slide: null, section: null,
    qr: null, unit: 10.8, width: 1920, height: 1080, shortened: false, photoMode: null, dwellEnd: 0, remaining: 0, shift: -1, minute: '',
    cached: false, preparing: null, preparingAt: 0, ready: null, staged: null, switching: false, updates: 0, firstShown: 0,
    members: [], sizes: {}, failed: {}
  };
  var seq = 0;
  var timer = 0;

  function now() { return new Date(Date.now() + CLOCK_OFFSET); }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function today() { var d = now(); return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }

  /* Layout: orientation from the window, or forced (the stage is then turned 90°). */
  function layout() {
    var w = window.innerWidth, h = window.innerHeight;
    var want = DATA.settings.orientation;
    if (want !== 'portrait' && want !== 'landscape') want = h > w ? 'portrait' : 'landscape';
    var turned = (want === 'portrait') !== (h > w);
    var sw = turned ? h : w, sh = turned ? w : h;
    stage.style.width = sw + 'px';
    stage.style.height = sh + 'px';
    stage.style.transform = turned ? 'translateX(' + w + 'px) rotate(90deg)' : '';
    stage.classList.toggle('portrait-layout', want === 'portrait');
    // Squarer (4:3, 5:4) and ultra-wide (21:9) landscape screens get their own proportions.
    stage.classList.toggle('shape-square', want !== 'portrait' && sw / sh < 1.5);
    stage.classList.toggle('shape-wide', want !== 'portrait' && sw / sh > 2.1);
    state.unit = sh / 100;
    state.width = sw;
    state.height = sh;
    stage.style.setProperty('--u', state.unit + 'px');
    stage.style.setProperty('--fade', Math.round(600 / SPEED) + 'ms');
    if (state.section) arrange(state.section, state.slide);
  }

  function overflows(el) {
    return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
  }

  /* The largest size in [min, max] (units) at which `el` shows all its content, by bisection;
     min when nothing fits. */
  function largestSize(el, min, max) {
    el.style.fontSize = max * state.unit + 'px';
    if (!overflows(el)) return max;
    var lo = min, hi = max;
    for (var i = 0; i < 7 && hi - lo > 0.05; i++) {
      var mid = (lo + hi) / 2;
      el.style.fontSize = mid * state.unit + 'px';
      if (overflows(el)) hi = mid; else lo = mid;
    }
    el.style.fontSize = lo * state.unit + 'px';
    return lo;
  }

  // Where a Chinese text may be shortened: after a sentence or a clause, never inside one.
  var BREAKS = '\u3002\uff01\uff1f\uff1b\uff0c\u3001\uff1a!?;,:';
  var MORE = '\u2026\u2026';

  /* The largest size (units) for `el`: data-max, unless the layout lowers it with --fit-max
     (a caption over a photo, a title on a narrow portrait screen). */
  function maxSize(el) {
    var lowered = parseFloat(getComputedStyle(el).getPropertyValue('--fit-max'));
    return lowered > 0 ? lowered : parseFloat(el.getAttribute('data-max'));
  }

  /* The smallest size (units): data-min, unless the layout lowers it with --fit-min (a long name
     on a small card, which is never shortened), never below the 3.5 every text keeps. */
  function minSize(el) {
    var lowered = parseFloat(el.style.getPropertyValue('--fit-min'));
    return Math.max(3.5, lowered > 0 ? lowered : parseFloat(el.getAttribute('data-min')));
  }

  /* The largest size at which `el` shows all its text; false if even `min` cannot. Lines that
     break only between phrases (word-break: keep-all: after punctuation and spaces, so a title
     in 《》 or a name is not split) are preferred unless they cost more than a seventh of the
     size; otherwise lines break between any two characters, as Chinese text normally does. */
  function fitsWhole(el, min, max) {
    el.classList.remove('keep');
    var any = largestSize(el, min, max);
    if (overflows(el)) return false;
    el.classList.add('keep');
    var phrases = largestSize(el, min, max);
    if (!overflows(el) && phrases >= any * 0.86) return true;
    el.classList.remove('keep');
    el.style.fontSize = any * state.unit + 'px';
    return true;
  }

  var segmenter = null;   // Intl.Segmenter where the browser has it (Chromium 87+), made once

  /* Prefixes of `text` that end at a word boundary, shortest first, for a text with no clause
     that fits (a long caption without punctuation); [] where words cannot be told apart. */
  function words(text) {
    if (!segmenter) {
      if (!window.Intl || !Intl.Segmenter) return [];
      segmenter = new Intl.Segmenter(document.documentElement.lang || 'zh', {granularity: 'word'});
    }
    var found = [], iterator = segmenter.segment(text)[Symbol.iterator](), step;
    while (!(step = iterator.next()).done) {
      var end = step.value.index + step.value.segment.length;
      if (end >= 4 && end < text.length) found.push(text.slice(0, end).replace(/\s+$/, '') + MORE);
    }
    return found;
  }

  /* Prefixes of `text` that end at a clause boundary (without the mark), shortest first; a
     prefix shorter than four characters ("一、") says nothing and is not offered. */
  function clauses(text) {
    var found = [];
    for (var i = 4; i < text.length; i++) {
      if (BREAKS.indexOf(text.charAt(i)) >= 0 && BREAKS.indexOf(text.charAt(i - 1)) < 0) {
        var head = text.slice(0, i).replace(/\s+$/, '');
        if (head.length >= 4) found.push(head + MORE);
      }
    }
    return found;
  }

  /* Fit `el` showing `text`: the largest size that holds it all; if even data-min cannot, the
     longest clause-boundary prefix that fits at data-min, ending in an ellipsis; if no clause
     fits, a line clamp. Returns true when the viewer does not see the whole text. */
  function fit(el, text) {
    var max = maxSize(el), min = minSize(el);
    el.classList.remove('clamped');
    el.style.webkitLineClamp = '';
    setText(el, text);
    if (!text) return false;
    if (fitsWhole(el, min, max)) return false;
    var best = longestFitting(el, clauses(text));
    if (best === null) best = longestFitting(el, words(text));
    if (best !== null) { setText(el, best); return true; }
    setText(el, text);
    var line = parseFloat(getComputedStyle(el).lineHeight) || min * state.unit * 1.45;
    el.style.webkitLineClamp = String(Math.max(1, Math.floor((el.clientHeight + 1) / line)));
    el.classList.add('clamped');
    return true;
  }

  /* The longest of `options` (shortest first) that `el` holds, by bisection; null if none. */
  function longestFitting(el, options) {
    var lo = 0, hi = options.length - 1, best = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      setText(el, options[mid]);
      if (overflows(el)) hi = mid - 1; else { best = mid; lo = mid + 1; }
    }
    return best >= 0 ? options[best] : null;
  }

  /* A plan's headings share one size: the largest at which all of them show. When even the
     minimum cannot hold them, headings are cut to their first clause, the last one first, then
     the last ones are left out. */
  function fitPoints(list, points) {
    var max = maxSize(list), min = parseFloat(list.getAttribute('data-min'));
    var items = pointItems, i, cut = false;
    for (i = 0; i < items.length; i++) { setText(items[i], points[i]); items[i].style.display = ''; }
    if (fitsWhole(list, min, max)) return false;
    for (i = Math.min(items.length, points.length) - 1; i >= 0 && overflows(list); i--) {
      var first = clauses(points[i])[0];
      if (first) { setText(items[i], first); cut = true; }
    }
    for (i = Math.min(items.length, points.length) - 1; i > 0 && overflows(list); i--) {
      items[i].style.display = 'none';
      cut = true;
    }
    fitsWhole(list, min, max);   // what is left may now show larger
    return cut;
  }

  /* Lay out the shown slide: fit every text and place the photo; the QR label says when a text
     was shortened, so the viewer knows the rest is a scan away. */
  function arrange(section, slide) {
    var shortened = false;
    if (section === sections.photo && slide) placePhoto(section);
    if (section === sections.album && slide) placeMosaic(section);
    if (section === sections.honor_roll && slide) {
      placeRoll(section);
      if (fitRoll()) shortened = true;
    }
    for (var i = 0; i < fitted.length; i++) {
      var el = fitted[i];
      if (!section.contains(el)) continue;
      var text = ownText[i] !== null ? ownText[i] : slide ? fieldText(slide, el.getAttribute('data-field')) : '';
      el.style.display = '';
      // An optional text (an album's summary) is left out when not even a clause of it fits.
      var cut = fit(el, text);
      if (cut && el.classList.contains('optional') && el.classList.contains('clamped')) leaveOut(el);
      else if (cut) shortened = true;
    }
    var list = section.querySelector('.points');
    if (list && slide) {
      makeRoom(section, list);
      if (fitPoints(list, slide.points || [])) shortened = true;
    }
    setText(qrLabel, shortened ? DATA.labels.qr_more : DATA.labels.qr);
    state.shortened = shortened;
  }

  /* Keep the QR code's corner of the plan's list free (see .points li.room). */
  function makeRoom(section, list) {
    var u = state.unit;
    var top = section.offsetTop + list.offsetTop, height = list.clientHeight;
    var right = section.offsetLeft + list.offsetLeft + list.clientWidth;
    var above = Math.max(0, Math.min(height, qrAside.offsetTop - 1.5 * u - top));
    list.style.setProperty('--room-a', above + 'px');
    list.style.setProperty('--room-b', Math.max(0, height - above - 1) + 'px');
    list.style.setProperty('--room-w', Math.max(0, right - qrAside.offsetLeft + 2.5 * u) + 'px');
  }

  /* The photo as large as the stage allows: contained in the whole stage (one side edge to edge),
     over a blurred copy of itself. Where the photo leaves a band free (beside a tall photo,
     below a wide one) the caption goes there; otherwise it sits on a plate over the photo,
     clear of the QR code. */
  function placePhoto(section) {
    var W = state.width, H = state.height, u = state.unit;
    // The shown photo once it is loaded (a resize); until then the loader, which just decoded it.
    var main = section.querySelector('.photo-main');
    var source = main.complete && main.naturalWidth ? main : loader;
    var nw = source.naturalWidth || 4, nh = source.naturalHeight || 3;
    var portrait = stage.classList.contains('portrait-layout');
    var side = portrait ? 3 * u : 4 * u;
    var barBottom = (portrait ? 16 : 12.5) * u;
    // offset*, not getBoundingClientRect: the stage may be turned 90 degrees.
    var qrW = qrAside.offsetWidth, qrH = qrAside.offsetHeight, qrTop = qrAside.offsetTop;
    var qrBottom = H - qrTop - qrH;
    var mode = 'over', px, py, pw, ph, cl, ct, cr, cb;
    if (nw / nh <= W / H) {
      ph = H; pw = H * nw / nh;
      var free = W - pw, column = Math.min(free, 70 * u);
      if (column >= Math.max(qrW + 2 * side, 36 * u)) {
        mode = 'side';
        px = (W - column - pw) / 2; py = 0;
        cl = W - column + 3 * u; cr = side; ct = barBottom; cb = H - qrTop + 2 * u;
      } else {
        px = (W - pw) / 2; py = 0;
      }
    } else {
      pw = W; ph = W * nh / nw;
      var below = H - ph - barBottom;
      if (below >= qrH + qrBottom + 14 * u) {
        mode = 'below';
        px = 0; py = barBottom;
        cl = side; cr = side + qrW + 3 * u; ct = py + ph + 2 * u; cb = qrBottom;
      } else {
        px = 0; py = H - ph >= barBottom ? barBottom : (H - ph) / 2;
      }
    }
    if (mode === 'over') {
      cl = side; cr = side + qrW + 2 * u; ct = barBottom; cb = qrBottom;
    }
    section.classList.remove('mode-over', 'mode-side', 'mode-below');
    section.classList.add('mode-' + mode);
    var s = section.style;
    s.setProperty('--px', px + 'px'); s.setProperty('--py', py + 'px');
    s.setProperty('--pw', pw + 'px'); s.setProperty('--ph', ph + 'px');
    s.setProperty('--cl', cl + 'px'); s.setProperty('--ct', ct + 'px');
    s.setProperty('--cr', cr + 'px'); s.setProperty('--cb', cb + 'px');
    state.photoMode = mode;
  }

  /* An album's mosaic: its photos in rows that fill the mosaic's box exactly, in order, each
     cropped a little (object-fit: cover) so that rows of different photos meet edge to edge.
     Chooses how many rows, and may leave out the last few photos, for the least cropping. */
  function placeMosaic(section) {
    var box = section.querySelector('.mosaic'), W = box.clientWidth, H = box.clientHeight;
    var gap = Math.max(2, Math.round(state.unit * 0.6));
    var shown = tiles.filter(function (t) { return t.getAttribute('src'); });
    var ratios = shown.map(function (t) {
      var size = state.sizes[t.getAttribute('src')] || [4, 3];
      return size[0] / size[1];
    });
    var best = null;
    for (var n = ratios.length; n >= Math.max(1, ratios.length - 3); n--) {
      for (var r = 1; r <= n; r++) {
        var rows = splitRows(ratios.slice(0, n), r);
        var natural = 0, crop = 0;
        rows.forEach(function (row) { natural += (W - gap * (row.length - 1)) / sum(row); });
        var k = (H - gap * (r - 1)) / natural;
        // A photo left out costs about as much as cropping a row by 60%: shown when it can be.
        crop = Math.abs(Math.log(k)) + 0.5 * (ratios.length - n);
        if (!best || crop < best.crop) best = {crop: crop, rows: rows, k: k, n: n};
      }
    }
    var i = 0, y = 0;
    tiles.forEach(function (t) { t.hidden = true; });
    if (!best) return;
    best.rows.forEach(function (row, ri) {
      var height = ri === best.rows.length - 1 ? H - y : Math.round((W - gap * (row.length - 1)) / sum(row) * best.k);
      var x = 0, total = sum(row);
      row.forEach(function (ratio, ci) {
        var width = ci === row.length - 1 ? W - x : Math.round((W - gap * (row.length - 1)) * ratio / total);
        var t = shown[i++];
        t.hidden = false;
        t.style.left = x + 'px'; t.style.top = y + 'px'; t.style.width = width + 'px'; t.style.height = height + 'px';
        x += width + gap;
      });
      y += height + gap;
    });
  }

  function sum(list) { var t = 0; for (var i = 0; i < list.length; i++) t += list[i]; return t; }

  /* `ratios` split, in order, into `r` rows of similar total width (sum of aspect ratios). */
  function splitRows(ratios, r) {
    var rows = [], total = sum(ratios), start = 0, acc = 0;
    for (var row = 1; row <= r; row++) {
      var target = total * row / r, end = start;
      if (row === r) end = ratios.length;
      else {
        // at least one photo in this row, and one left for each row after it
        while (end < ratios.length - (r - row) && (end === start || acc + ratios[end] / 2 <= target)) { acc += ratios[end]; end++; }
      }
      rows.push(ratios.slice(start, end));
      start = end;
    }
    return rows;
  }

  /* The honor roll's grid: as many columns as give the largest portraits, each card with its
     portrait beside its texts (wide cards) or above them (tall cards); the last row centred. */
  function placeRoll(section) {
    var grid = section.querySelector('.roll-grid'), W = grid.clientWidth, H = grid.clientHeight, u = state.unit;
    var n = state.members.length, gap = 2 * u, best = null;
    // Under a portrait, room for the badge and the name, and for a story when there is one.
    var stories = state.members.some(function (m) { return m.summary; }), below = stories ? 0.5 : 0.28;
    for (var c = 1; c <= n; c++) {
      var r = Math.ceil(n / c), w = (W - gap * (c - 1)) / c, h = (H - gap * (r - 1)) / r;
      var beside = Math.min(0.75 * h, w - Math.max(28 * u, 0.5 * w));   // portrait width, texts at its right
      var above = w >= 22 * u ? Math.min(h - Math.max(16 * u, below * h), w / 0.75) : 0;   // portrait height
      var options = [[beside / 0.75, false, beside], [above, true, above]];
      for (var o = 0; o < 2; o++) {
        var size = options[o][0];
        if (size > 0 && (!best || size > best.size + 0.5 * u)) best = {size: size, tall: options[o][1], c: c, r: r, w: w, h: h, photo: options[o][2]};
      }
    }
    if (!best) best = {size: 0, tall: false, c: 1, r: n, w: W, h: (H - gap * (n - 1)) / Math.max(1, n), photo: 0};
    cards.forEach(function (card, i) {
      if (i >= n) return;
      var row = Math.floor(i / best.c), col = i % best.c;
      var inRow = Math.min(best.c, n - row * best.c);
      var x = (W - (inRow * best.w + (inRow - 1) * gap)) / 2 + col * (best.w + gap);
      var s = card.el.style;
      s.left = x + 'px'; s.top = row * (best.h + gap) + 'px'; s.width = best.w + 'px'; s.height = best.h + 'px';
      card.el.classList.toggle('tall', best.tall);
      var ps = card.photo.style;
      ps.width = best.tall ? '100%' : Math.max(0, best.photo) + 'px';
      ps.height = best.tall ? Math.max(0, best.photo) + 'px' : '100%';
      // The category on a card without a portrait: as large as its tile allows, or not at all
      // (the badge beside it says it too) when that would be under the smallest size.
      // In a small tile the four characters go two by two instead of in one column.
      var pw = best.tall ? best.w : best.photo, ph = best.tall ? best.photo : best.h;
      var chars = Math.max(1, card.emblem.textContent.length);
      var column = Math.min(pw * 0.55, ph * 0.8 / chars), square = Math.min(pw * 0.75, ph * 0.75 / 1.1) / Math.ceil(chars / 2);
      var glyph = Math.max(column, square);
      card.emblem.classList.toggle('square', square > column);
      card.emblem.style.fontSize = glyph + 'px';
      card.emblem.style.visibility = glyph >= 3.5 * u ? '' : 'hidden';
    });
  }

  /* Fit each card's texts: the name on one line as large as the card allows; the community
     only if there is room for it with the name; the story in what is left, shortened after a
     clause, or left out when not even its first clause fits. True if a story was shortened. */
  function fitRoll() {
    var shortened = false, u = state.unit;
    for (var i = 0; i < cards.length; i++) {
      var card = cards[i], member = state.members[i];
      if (!member) continue;
      card.community.style.display = member.community ? '' : 'none';
      setText(card.summary, '');
      // A story only where it gets two lines or more beside a name of a readable size.
      card.summary.style.display = 'none';
      var room = card.text.clientHeight / u, story = member.summary && room >= 24;
      card.summary.style.display = story ? '' : 'none';
      card.name.style.setProperty('--fit-max', story ? Math.max(4.5, Math.min(9, room * 0.3 / 1.45)) : 9);
      // A name is never shortened: on one line if it fits; else the community gives way; else
      // two lines; else the badge gives way (a card without portrait shows the category large);
      // else the name goes down to the smallest size any text has.
      card.name.classList.remove('wrap');
      card.name.style.removeProperty('--fit-min');
      card.badge.style.display = '';
      var steps = [function () { card.community.style.display = 'none'; }, function () { card.name.classList.add('wrap'); },
                   function () { card.badge.style.display = 'none'; }, function () { card.name.style.setProperty('--fit-min', '3.5'); }];
      for (var k = 0; fit(card.name, member.name) && k < steps.length; k++) steps[k]();
      if (overflows(card.text) && member.community) card.community.style.display = 'none';
      if (!story) continue;
      var cut = fit(card.summary, member.summary);
      if (card.summary.classList.contains('clamped')) leaveOut(card.summary);
      else if (cut) shortened = true;
    }
    return shortened;
  }

  /* Hide a fitted text that not even a clause of fits (an optional one: the QR code has it all). */
  function leaveOut(el) {
    el.style.display = 'none';
    el.classList.remove('clamped');
    el.style.webkitLineClamp = '';
    setText(el, '');
  }

  /* The members of an honor roll shown today: one past its `until` is left out without a rebuild. */
  function membersOn(slide, day) {
    return (slide.members || []).filter(function (m) { return !m.until || day <= m.until; });
  }

  /* Every image a slide shows (its photo, an album's mosaic, the portraits of an honor roll). */
  function slideImages(slide, day) {
    var found = [];
    if (slide.image) found.push(slide.image);
    (slide.images || []).forEach(function (image) { found.push(image); });
    membersOn(slide, day).forEach(function (m) { if (m.image) found.push(m.image); });
    return found;
  }

  function fillRoll(slide) {
    state.members = membersOn(slide, today());
    cards.forEach(function (card, i) {
      var member = state.members[i];
      card.el.hidden = !member;
      if (!member) return;
      var src = member.image && !state.failed[member.image] ? DATA.base + member.image : '';
      if (src) { if (card.img.getAttribute('src') !== src) card.img.setAttribute('src', src); }
      else card.img.removeAttribute('src');
      card.el.classList.toggle('no-image', !src);
      setText(card.badge, member.category);
      setText(card.emblem, member.category);
      setText(card.community, member.community);
    });
  }

  function fillMosaic(slide) {
    tiles.forEach(function (tile, i) {
      var image = (slide.images || [])[i];
      var src = image && !state.failed[image] ? DATA.base + image : '';
      if (src) { if (tile.getAttribute('src') !== src) tile.setAttribute('src', src); }
      else { tile.removeAttribute('src'); tile.hidden = true; }
    });
  }

  function setText(el, value) {
    value = value || '';
    if (el.textContent !== value) el.textContent = value;
  }

  /* What a field shows: a photo without a caption shows its album's title large instead, and
     then not again in the line below. */
  function fieldText(slide, name) {
    if (name === 'cover') return (slide.images || [])[0];
    if (slide.kind === 'photo' && !slide.caption) {
      if (name === 'caption') return slide.title || '';
      if (name === 'title') return '';
    }
    return slide[name] || '';
  }

  /* Put a slide's fields into its section; fitted texts and a plan's points are set by arrange(). */
  function fill(kind, slide) {
    var f = fields[kind];
    for (var i = 0; i < f.length; i++) {
      var el = f[i][0], name = f[i][1];
      if (name === 'image' || name === 'cover') {
        var image = name === 'image' ? slide.image : fieldText(slide, name);
        var src = image ? DATA.base + image : '';
        if (src) { if (el.getAttribute('src') !== src) el.setAttribute('src', src); }
        else el.removeAttribute('src');
        sections[kind].classList.toggle('no-image', !src);
      } else if (name !== 'points' && !el.classList.contains('fit')) {
        setText(el, fieldText(slide, name));
      }
    }
    if (kind === 'honor_roll') fillRoll(slide);
    if (kind === 'album') fillMosaic(slide);
  }

  function setQr(svg) {
    if (state.qr === svg) return;
    state.qr = svg;
    qrBox.innerHTML = svg || '';
  }

  function activate(section) {
    if (state.section === section) return;
    if (state.section) {
      state.section.classList.remove('active');
      stage.classList.remove('kind-' + state.section.getAttribute('data-kind'));
    }
    section.classList.add('active');
    stage.classList.add('kind-' + section.getAttribute('data-kind'));
    state.section = section;
  }

  /* Progress: one bar, restarted by a CSS transition for each slide. */
  function progress(ms, from) {
    bar.style.transition = 'none';
    bar.style.transform = 'scaleX(' + (from || 0) + ')';
    void bar.offsetWidth;
    if (ms > 0) {
      bar.style.transition = 'transform ' + Math.round(ms) + 'ms linear';
      bar.style.transform = 'scaleX(1)';
    }
  }

  function progressNow() {
    var match = /matrix\(([^,]+)/.exec(getComputedStyle(bar).transform);
    return match ? parseFloat(match[1]) : 0;
  }

  function eligible(slide, day) {
    if (slide.failedAt && Date.now() - slide.failedAt < RETRY_MS) return false;
    if (slide.start && day < slide.start) return false;
    if (slide.until && day > slide.until) return false;
    if (slide.members && !membersOn(slide, day).length) return false;
    return true;
  }

  function onHours() {
    var hours = DATA.settings.on_hours, d = now();
    var minute = d.getHours() * 60 + d.getMinutes();
    if (hours[0] === hours[1]) return true;
    if (hours[0] < hours[1]) return minute >= hours[0] && minute < hours[1];
    return minute >= hours[0] || minute < hours[1];
  }

  /* Move `step` slides on (±1); skips slides that cannot be shown; at a slide boundary,
     switches to a new build that is fully fetched. */
  function go(step) {
    clearTimeout(timer);
    timer = 0;
    var my = ++seq;
    if (state.ready && switchBuild()) return;
    if (!onHours()) { showNight(); return; }
    var order = DATA.order, n = order.length, day = today();
    for (var tries = 0; tries < n; tries++) {
      var was = state.pos;
      state.pos = ((state.pos + step) % n + n) % n;
      // A cycle ends where the order wraps round, even when its last slide is skipped.
      if (step > 0 && state.pos < was) state.cycles++;
      var slide = DATA.slides[order[state.pos]];
      if (eligible(slide, day)) { prepare(slide, step, my); return; }
    }
    showStandby();
  }

  /* Decode a slide's images before it shows. A photo slide that cannot show its photo is
     skipped (and tried again later); an album's mosaic leaves out a photo that failed, and a
     member of the honor roll whose portrait failed gets the card without one. */
  function prepare(slide, step, my) {
    var images = slideImages(slide, today());
    if (!images.length) { show(slide); return; }
    var results = images.slice(0, loaders.length).map(function (image, i) {
      return loadImage(loaders[i], DATA.base + image).then(function () {
        return [image, loaders[i].naturalWidth, loaders[i].naturalHeight];
      }, function () { return [image, 0, 0]; });
    });
    Promise.all(results).then(function (loaded) {
      if (my !== seq) return;
      state.failed = {};
      state.sizes = {};
      loaded.forEach(function (item) {
        if (item[1]) state.sizes[DATA.base + item[0]] = [item[1], item[2]];
        else state.failed[item[0]] = true;
      });
      var usable = loaded.some(function (item) { return item[1]; });
      if ((slide.image || slide.images) && !usable || slide.image && state.failed[slide.image]) {
        slide.failedAt = Date.now();
        go(step);
        return;
      }
      show(slide);
    });
  }

  /* Resolves once the image is decoded; rejects if it cannot be loaded or decoded. */
  function loadImage(image, src) {
    image.src = src;
    if (image.decode) return image.decode();
    return new Promise(function (resolve, reject) {
      image.onload = resolve;
      image.onerror = reject;
    });
  }

  function show(slide) {
    state.mode = 'slides';
    night.hidden = true;
    stage.classList.remove('is-night');
    fill(slide.kind, slide);
    setQr(slide.qr);
    setText(kindLabel, DATA.labels[slide.kind]);
    activate(sections[slide.kind]);   // first: the QR code's place may depend on the kind
    state.slide = slide;
    arrange(sections[slide.kind], slide);
    if (!state.firstShown) state.firstShown = performance.now();
    state.transitions++;
    schedule((DATA.settings.dwell[slide.kind] || 10) * 1000 / SPEED);
  }

  function schedule(ms) {
    if (state.paused) { state.remaining = ms; progress(0, 1); return; }
    state.dwellEnd = Date.now() + ms;
    progress(ms, 0);
    timer = setTimeout(function () { go(1); }, ms);
  }

  function showStandby() {
    state.mode = 'standby';
    state.slide = null;
    night.hidden = true;
    stage.classList.remove('is-night');
    setText(kindLabel, '');
    setQr(DATA.site.qr);
    activate(sections.standby);
    arrange(sections.standby, null);
    progress(0, 0);
    timer = setTimeout(function () { go(1); }, STANDBY_MS);
  }

  function showNight() {
    state.mode = 'night';
    state.slide = null;
    stage.classList.add('is-night');
    night.hidden = false;
    progress(0, 0);
    tick();
  }

  function togglePause() {
    state.paused = !state.paused;
    pausedBadge.hidden = !state.paused;
    stage.classList.toggle('is-paused', state.paused);
    if (state.mode !== 'slides') return;
    if (state.paused) {
      clearTimeout(timer);
      timer = 0;
      state.remaining = Math.max(0, state.dwellEnd - Date.now());
      progress(0, progressNow());
    } else {
      var from = progressNow();
      state.dwellEnd = Date.now() + state.remaining;
      progress(state.remaining, from);
      timer = setTimeout(function () { go(1); }, state.remaining);
    }
  }

  /* Clock, on-hours and burn-in, once a second. */
  function tick() {
    var d = now(), labels = DATA.labels;
    var date = labels.date.replace('{y}', d.getFullYear()).replace('{m}', d.getMonth() + 1)
      .replace('{d}', d.getDate()).replace('{w}', labels.weekdays[d.getDay()]);
    var time = pad(d.getHours()) + ':' + pad(d.getMinutes());
    if (state.minute !== date + time) {
      state.minute = date + time;
      setText(clockDate, date);
      setText(clockTime, time);
      setText(nightDate, date);
      setText(nightTime, time);
    }
    var shift = Math.floor(Date.now() / SHIFT_MS) % SHIFTS.length;
    if (shift !== state.shift) {
      state.shift = shift;
      stage.style.setProperty('--sx', SHIFTS[shift][0] + 'px');
      stage.style.setProperty('--sy', SHIFTS[shift][1] + 'px');
      var wander = Math.min(state.unit, window.innerWidth / 100) * 1.5;  /* stays on a portrait screen */
      night.style.setProperty('--nx', SHIFTS[shift][0] * wander + 'px');
      night.style.setProperty('--ny', SHIFTS[shift][1] * wander + 'px');
    }
    var on = onHours();
    if (!on && state.mode !== 'night') { clearTimeout(timer); timer = 0; ++seq; showNight(); }
    else if (on && state.mode === 'night') go(1);
  }

  function onKey(event) {
    var key = event.key;
    if (key === 'ArrowRight' || key === 'PageDown' || key === 'MediaTrackNext') go(1);
    else if (key === 'ArrowLeft' || key === 'PageUp' || key === 'MediaTrackPrevious') go(-1);
    else if (key === ' ' || key === 'Spacebar' || key === 'MediaPlayPause' || key === 'Enter') togglePause();
    else return;
    event.preventDefault();
  }

  /* Updates over http(s). With a service worker, the new build is cached in full, then the
     page reloads from that cache at a slide boundary. Without one (plain http on a LAN),
     the new slide data and every photo are fetched first, then swapped in place. */
  var HTTP = /^https?:$/.test(location.protocol);
  var WORKER = HTTP && window.isSecureContext && 'serviceWorker' in navigator;
  var registration = null;

  function post(message) {
    var target = navigator.serviceWorker.controller || (registration && registration.active);
    if (target) target.postMessage(message);
    return !!target;
  }

  function onWorkerMessage(event) {
    var msg = event.data || {};
    if (msg.type === 'prepared') {
      if (!msg.ok) { if (state.preparing === msg.version) state.preparing = null; return; }
      if (msg.version === DATA.version) post({type: 'activate', version: DATA.version});
      else if (msg.version === state.preparing) { state.preparing = null; state.ready = msg.version; }
    } else if (msg.type === 'activated') {
      if (msg.version === DATA.version) state.cached = true;
      else if (msg.version === state.ready && state.switching) location.reload();
    }
  }

  function switchBuild() {
    if (state.staged) {
      var next = state.staged;
      state.staged = null;
      state.ready = null;
      DATA = next;
      document.documentElement.lang = DATA.lang;
      state.pos = -1;
      state.qr = null;
      state.updates++;
      return false;
    }
    if (!WORKER || !navigator.serviceWorker.controller) { state.ready = null; return false; }
    state.switching = true;
    post({type: 'activate', version: state.ready});
    // The reload is served from the cache; if the worker does not answer, carry on.
    timer = setTimeout(function () { state.switching = false; state.ready = null; go(1); }, 10000);
    return true;
  }

  function check() {
    fetch('version.json', {cache: 'no-store'}).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (info) {
      var version = info && info.version;
      if (!version || version === DATA.version || version === state.ready) return;
      if (version === state.preparing && Date.now() - state.preparingAt < CHECK_MS * 5) return;
      state.preparing = version;
      state.preparingAt = Date.now();
      if (WORKER && navigator.serviceWorker.controller) post({type: 'prepare', version: version});
      else return fetchBuild(version);
    }).catch(function () {
      state.preparing = null;
    }).then(function () {
      setTimeout(check, CHECK_MS);
    });
  }

  function fetchBuild(version) {
    return fetch('./', {cache: 'no-store'}).then(function (response) {
      if (!response.ok) throw new Error('page ' + response.status);
      return response.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, 'text/html');
      var next = JSON.parse(doc.getElementById('screen-data').textContent);
      if (next.version !== version) throw new Error('version ' + next.version);
      var urls = [];
      next.slides.forEach(function (s) {
        slideImages(s, '').forEach(function (image) { if (urls.indexOf(next.base + image) < 0) urls.push(next.base + image); });
      });
      return urls.reduce(function (chain, url) {
        return chain.then(function () {
          return fetch(url).then(function (r) { if (!r.ok) throw new Error(url); return r.blob(); });
        });
      }, Promise.resolve()).then(function () {
        state.preparing = null;
        state.staged = next;
        state.ready = version;
      });
    });
  }

  window.bulletinScreen = {
    state: function () {
      return {
        version: DATA.version, mode: state.mode, transitions: state.transitions, cycles: state.cycles,
        order: DATA.order.length, pos: state.pos, kind: state.slide ? state.slide.kind : null,
        id: state.slide ? state.slide.id : null, paused: state.paused, cached: state.cached,
        ready: state.ready, updates: state.updates, worker: WORKER && !!navigator.serviceWorker.controller,
        firstShown: state.firstShown, unit: state.unit, shortened: !!state.shortened,
        photoMode: state.slide && state.slide.kind === 'photo' ? state.photoMode : null
      };
    },
    next: function () { go(1); },
    previous: function () { go(-1); },
    pause: togglePause
  };

  window.addEventListener('resize', layout);
  document.addEventListener('keydown', onKey);
  layout();
  tick();
  setInterval(tick, Math.max(50, Math.min(1000, SHIFT_MS / 2)));
  go(1);
  if (HTTP) {
    if (WORKER) {
      navigator.serviceWorker.addEventListener('message', onWorkerMessage);
      navigator.serviceWorker.register('sw.js').then(function (reg) {
        registration = reg;
        return navigator.serviceWorker.ready;
      }).then(function (reg) {
        registration = reg;
        post({type: 'prepare', version: DATA.version});
      }).catch(function () { WORKER = false; });
    }
    setTimeout(check, CHECK_MS);
  }
})();
