/* The album lightbox (GLightbox, started by mkdocs-glightbox as the global `lightbox`) made
   usable with a keyboard and a screen reader:
   - opening moves focus to the dialog's close button; closing returns it to the photo that
     was opened (GLightbox leaves it at the top of the page);
   - the dialog is named and its buttons labelled in the reader's script (the texts are page
     text in partials/lightbox.html, so each script variant has its own);
   - the enlarged photo has the thumbnail's alt text (GLightbox gives it an empty one);
   - Tab and Shift+Tab stay inside the dialog and only reach buttons that are shown (on
     phones GLightbox parks the arrows above the top of the screen; album.css hides them). */
(function () {
  'use strict';
  if (typeof lightbox === 'undefined' || !lightbox || typeof lightbox.on !== 'function') return;
  var box = lightbox;
  var texts = {};
  var source = document.querySelector('[data-bl-lightbox-texts]');
  if (source) {
    Array.prototype.forEach.call(source.querySelectorAll('[data-text]'), function (el) {
      texts[el.getAttribute('data-text')] = el.textContent.trim();
    });
  }
  var opener = null;

  // The link that opens the lightbox, whichever way it is activated (click, Enter, tap).
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a.glightbox');
    if (link) opener = link;
  }, true);

  function dialog() { return document.getElementById('glightbox-body'); }

  function shownButtons() {
    var modal = dialog();
    if (!modal) return [];
    return Array.prototype.filter.call(modal.querySelectorAll('.gbtn'), function (button) {
      if (button.classList.contains('disabled') || button.disabled) return false;
      var rect = button.getBoundingClientRect();
      return rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0 &&
        rect.top < innerHeight && rect.left < innerWidth && getComputedStyle(button).visibility !== 'hidden';
    });
  }

  function label() {
    var modal = dialog();
    if (!modal) return;
    modal.setAttribute('aria-modal', 'true');
    if (texts.dialog) modal.setAttribute('aria-label', texts.dialog);
    [['.gclose', 'close'], ['.gprev', 'prev'], ['.gnext', 'next']].forEach(function (pair) {
      var button = modal.querySelector(pair[0]);
      if (button && texts[pair[1]]) button.setAttribute('aria-label', texts[pair[1]]);
      if (button) {
        Array.prototype.forEach.call(button.querySelectorAll('svg'), function (svg) {
          svg.setAttribute('aria-hidden', 'true');
          svg.setAttribute('focusable', 'false');
        });
      }
    });
  }

  // The enlarged photo says what the thumbnail says.
  function describe(slide, trigger) {
    var img = slide && slide.querySelector('.gslide-image img');
    var thumb = trigger && trigger.querySelector && trigger.querySelector('img');
    if (img && thumb && thumb.alt) img.alt = thumb.alt;
  }

  box.on('open', function () {
    label();
    var close = dialog() && dialog().querySelector('.gclose');
    if (close) {
      close.focus();
      close.classList.add('focused');
    }
  });
  box.on('slide_after_load', function (data) {
    if (data) describe(data.slideNode, data.trigger);
  });
  box.on('slide_changed', function (data) {
    if (data && data.current) describe(data.current.slideNode, data.current.trigger);
  });
  box.on('close', function () {
    var back = opener;
    opener = null;
    if (back && document.contains(back)) {
      back.focus();
      // GLightbox removes its dialog after the closing effect; keep focus where it was put.
      setTimeout(function () { if (document.activeElement === document.body) back.focus(); }, 600);
    }
  });

  // Tab and Shift+Tab cycle through the buttons that are on screen. Runs before GLightbox's
  // own handler (which only moves forward and can land on hidden buttons) and stops it.
  window.addEventListener('keydown', function (event) {
    if (event.key !== 'Tab' || !dialog() || !document.documentElement.classList.contains('glightbox-open')) return;
    var buttons = shownButtons();
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!buttons.length) return;
    var at = buttons.indexOf(document.activeElement);
    var next = at < 0 ? 0 : (at + (event.shiftKey ? buttons.length - 1 : 1)) % buttons.length;
    Array.prototype.forEach.call(document.querySelectorAll('.gbtn.focused'), function (b) { b.classList.remove('focused'); });
    buttons[next].focus();
    buttons[next].classList.add('focused');
  }, true);
})();
