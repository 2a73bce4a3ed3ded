/*
 * 简/繁 switch.
 *
 * - A click on a switch link goes to this page in the chosen script, keeps the
 *   reader's #anchor, and remembers the choice (localStorage).
 * - On the site root (the default variant's home page, marked data-bulletin-root by
 *   the build), a reader who chose another script before is taken to it; on a first
 *   visit, the browser's languages pick it (zh-TW, zh-HK, zh-MO, zh-Hant… → 繁).
 *
 * No loops: only the root ever redirects, and only to another variant's home, which
 * never redirects. A reader who clicks 简 stores that choice before the root loads.
 * Without working storage there is no automatic redirect at all, so a click is never
 * undone. The URL of the counterpart page is read from the <link rel=alternate> tags
 * in <head>, which Material's instant navigation keeps current, not from the header
 * links, which it does not re-render.
 */
(function () {
  "use strict"

  var KEY = "bulletin.variant"

  function load() {
    try { return window.localStorage.getItem(KEY) } catch (e) { return null }
  }

  function save(code) {
    try { window.localStorage.setItem(KEY, code); return true } catch (e) { return false }
  }

  function storageWorks() {
    try {
      var probe = KEY + ".probe"
      window.localStorage.setItem(probe, "1")
      window.localStorage.removeItem(probe)
      return true
    } catch (e) {
      return false
    }
  }

  function switchLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("a[data-variant]"))
  }

  function current() {
    var here = document.querySelector("a[data-variant][aria-current=true]")
    return here ? here.getAttribute("data-variant") : null
  }

  /* URL of this page in variant `code`, or null. */
  function counterpart(code) {
    var links = document.querySelectorAll("link[rel~=alternate][data-variant]")
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-variant") === code) {
        var href = links[i].getAttribute("data-href") || links[i].getAttribute("href")
        return new URL(href, window.location.href)
      }
    }
    var links2 = switchLinks()
    for (var j = 0; j < links2.length; j++) {
      if (links2[j].getAttribute("data-variant") === code)
        return new URL(links2[j].getAttribute("href"), window.location.href)
    }
    return null
  }

  /* The variant the browser's languages ask for, among `codes`; null if none. */
  function fromLanguages(languages, codes) {
    for (var i = 0; i < languages.length; i++) {
      var tag = String(languages[i] || "").toLowerCase()
      if (tag !== "zh" && tag.indexOf("zh-") !== 0)
        continue
      var order
      if (/^zh-(hant-)?tw(-|$)/.test(tag))
        order = ["zh-TW", "zh-Hant", "zh-HK"]
      else if (/^zh-(hant-)?(hk|mo)(-|$)/.test(tag))
        order = ["zh-HK", "zh-Hant", "zh-TW"]
      else if (/^zh-hant(-|$)/.test(tag))
        order = ["zh-Hant", "zh-HK", "zh-TW"]
      else
        order = ["zh-Hans"]
      for (var k = 0; k < order.length; k++)
        if (codes.indexOf(order[k]) >= 0)
          return order[k]
      return null
    }
    return null
  }

  /* Before the browser follows a switch link (also to a new tab), point it at this
     page's counterpart with the reader's #anchor, and remember the choice. */
  function follow(ev) {
    var link = ev.target && ev.target.closest ? ev.target.closest("a[data-variant]") : null
    if (!link)
      return
    var code = link.getAttribute("data-variant")
    save(code)
    var url = counterpart(code)
    if (!url)
      return
    url.hash = window.location.hash
    link.setAttribute("href", url.href)
  }
  document.addEventListener("click", follow, true)
  document.addEventListener("auxclick", follow, true)

  var root = document.documentElement.hasAttribute("data-bulletin-root")
  if (!root || !storageWorks())
    return
  var here = current()
  var codes = switchLinks().map(function (a) { return a.getAttribute("data-variant") })
  var wanted = load()
  if (!wanted || codes.indexOf(wanted) < 0)
    wanted = fromLanguages(navigator.languages || [navigator.language], codes)
  if (!here || !wanted || wanted === here)
    return
  var url = counterpart(wanted)
  if (!url || url.pathname === window.location.pathname)
    return
  url.hash = window.location.hash
  window.location.replace(url.href)
})()
