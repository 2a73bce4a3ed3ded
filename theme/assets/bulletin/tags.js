/*
 * The tags page groups each tag's pages in a <details> (bulletin/tags.py). A link to a tag
 * (#tag:…, from a page's tag chips or the table of contents) opens that tag's group.
 */
(function () {
  "use strict"

  function openTarget() {
    if (!location.hash) return
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)))
    var group = target && target.closest("details.bl-tag-group")
    if (group) group.open = true
  }

  window.addEventListener("hashchange", openTarget)
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openTarget)
  else openTarget()
})()
