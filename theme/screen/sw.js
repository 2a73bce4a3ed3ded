/* Service worker of the lobby screen: keeps the page and its photos cached so the
   slideshow survives a network outage and a restart of the browser, and fetches a new
   build in full before the page switches to it.

   Caches: "<prefix>meta" holds which build is active; "<prefix><version>" holds one build,
   marked complete only when every file listed in its bundle.json is in it.
   Messages from the page: {type: 'prepare', version} -> {type: 'prepared', version, ok};
   {type: 'activate', version} -> {type: 'activated', version}. */
'use strict';

var SCOPE = self.registration.scope;
var PREFIX = 'bulletin-screen:' + SCOPE + ':';
var META = PREFIX + 'meta';
var COMPLETE = SCOPE + '__complete__';
var active = null;
var preparing = {};

self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });

function activeVersion() {
  if (active) return Promise.resolve(active);
  return caches.open(META).then(function (cache) { return cache.match(SCOPE + 'active'); })
    .then(function (hit) { return hit ? hit.text() : null; })
    .then(function (version) { active = version; return version; });
}

/* A response that may be stored and served for any request mode (a followed redirect may not). */
function storable(response) {
  if (!response.redirected) return Promise.resolve(response);
  return response.blob().then(function (body) {
    return new Response(body, {status: response.status, statusText: response.statusText, headers: response.headers});
  });
}

function fetchInto(cache, url) {
  return cache.match(url).then(function (hit) {
    if (hit) return null;
    // A photo URL carries its content hash (?v=…): a copy from an older build is the same file.
    var reuse = /[?&]v=/.test(url) ? caches.match(url) : Promise.resolve(null);
    return reuse.then(function (old) {
      if (old) return cache.put(url, old);
      return fetch(url, {cache: 'no-store'}).then(function (response) {
        if (!response.ok) throw new Error(url + ' ' + response.status);
        return storable(response);
      }).then(function (response) { return cache.put(url, response); });
    });
  });
}

function prepare(version) {
  var name = PREFIX + version;
  preparing[name] = true;
  return caches.open(name).then(function (cache) {
    return cache.match(COMPLETE).then(function (done) {
      if (done) return null;
      return fetch('bundle.json', {cache: 'no-store'}).then(function (response) {
        if (!response.ok) throw new Error('bundle.json ' + response.status);
        return response.json();
      }).then(function (bundle) {
        if (bundle.version !== version) throw new Error('bundle.json is for ' + bundle.version);
        return bundle.files.reduce(function (chain, file) {
          return chain.then(function () { return fetchInto(cache, new URL(file, SCOPE).href); });
        }, Promise.resolve());
      }).then(function () {
        return cache.put(COMPLETE, new Response(version));
      });
    });
  }).then(function () {
    delete preparing[name];
  }, function (error) {
    delete preparing[name];
    throw error;
  });
}

function activate(version) {
  var name = PREFIX + version;
  return caches.open(name).then(function (cache) { return cache.match(COMPLETE); }).then(function (done) {
    if (!done) throw new Error('build ' + version + ' is not cached');
    return caches.open(META);
  }).then(function (meta) {
    return meta.put(SCOPE + 'active', new Response(version));
  }).then(function () {
    active = version;
    return caches.keys();
  }).then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf(PREFIX) === 0 && key !== META && key !== name && !preparing[key];
    }).map(function (key) { return caches.delete(key); }));
  });
}

self.addEventListener('message', function (event) {
  var msg = event.data || {};
  var reply = function (answer) { if (event.source) event.source.postMessage(answer); };
  if (msg.type === 'prepare') {
    event.waitUntil(prepare(msg.version).then(function () {
      reply({type: 'prepared', version: msg.version, ok: true});
    }, function (error) {
      reply({type: 'prepared', version: msg.version, ok: false, error: String(error)});
    }));
  } else if (msg.type === 'activate') {
    event.waitUntil(activate(msg.version).then(function () {
      reply({type: 'activated', version: msg.version});
    }, function (error) {
      reply({type: 'activate-failed', version: msg.version, error: String(error)});
    }));
  }
});

function fromCache(request, navigation) {
  return activeVersion().then(function (version) {
    if (!version) return null;
    return caches.open(PREFIX + version).then(function (cache) {
      return cache.match(request, {ignoreSearch: navigation}).then(function (hit) {
        return hit || (navigation ? cache.match(SCOPE) : null);
      });
    });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = request.url.split('?')[0];
  if (url === SCOPE + 'version.json' || url === SCOPE + 'bundle.json') return;  // always the network
  var navigation = request.mode === 'navigate';
  event.respondWith(fromCache(request, navigation).then(function (hit) {
    if (hit) return hit;
    return fetch(request).catch(function (error) {
      // Offline and not in the active build: any cached copy, for a page the cached screen page.
      return caches.match(request, {ignoreSearch: navigation}).then(function (old) {
        if (old) return old;
        if (navigation) {
          return caches.match(SCOPE).then(function (page) { if (page) return page; throw error; });
        }
        throw error;
      });
    });
  }));
});
