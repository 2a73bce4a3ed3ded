/*
 * 大字 (large text): the header button scales every text by 1.5 (readable.css, on
 * html[data-bl-text="large"]) and remembers the choice in localStorage, like the 简/繁
 * switch, so it holds on every page of both scripts. The attribute is set before the
 * page is drawn by the inline script in main.html; this file only wires the button.
 */
(function () {
  "use strict"

  var KEY = "bulletin.textsize"
  var root = document.documentElement

  function save(value) {
    try { window.localStorage.setItem(KEY, value) } catch (e) { /* not remembered, still applied */ }
  }

  function show(button) {
    var large = root.getAttribute("data-bl-text") === "large"
    button.setAttribute("aria-pressed", large ? "true" : "false")
    button.hidden = false
  }

  function wire() {
    var buttons = document.querySelectorAll("[data-bl-textsize]")
    Array.prototype.forEach.call(buttons, function (button) {
      show(button)
      button.addEventListener("click", function () {
        var large = root.getAttribute("data-bl-text") !== "large"
        if (large) root.setAttribute("data-bl-text", "large")
        else root.removeAttribute("data-bl-text")
        save(large ? "large" : "normal")
        Array.prototype.forEach.call(buttons, show)
      })
    })
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire)
  else wire()
})()
