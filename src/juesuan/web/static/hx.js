/* juesuan: a small htmx-like helper (written for juesuan, no third-party code).
   Elements with hx-get / hx-post fetch HTML and put it into hx-target (a CSS selector,
   default: the element itself); hx-swap="outerHTML" replaces the target instead of
   filling it.  hx-trigger="load" fetches once the element is on the page, "every Ns"
   polls.  Requests carry HX-Request and the page's CSRF token (meta csrf-token). */
(function () {
  "use strict";
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }
  function swap(el, html) {
    var sel = el.getAttribute("hx-target");
    var target = sel ? document.querySelector(sel) : el;
    if (!target) { return; }
    if (el.getAttribute("hx-swap") === "outerHTML") { target.outerHTML = html; } else { target.innerHTML = html; }
    wire(document);
  }
  function send(el, evt) {
    var url = el.getAttribute("hx-get") || el.getAttribute("hx-post");
    var method = el.hasAttribute("hx-post") ? "POST" : "GET";
    var body = null;
    if (method === "POST") {
      var form = el.tagName === "FORM" ? el : el.closest("form");
      body = form ? new FormData(form) : new FormData();
    }
    if (evt) { evt.preventDefault(); }
    el.classList.add("hx-busy");
    fetch(url, {method: method, body: body, credentials: "same-origin",
                headers: {"HX-Request": "true", "X-CSRF-Token": csrf()}})
      .then(function (r) { return r.text(); })
      .then(function (html) { el.classList.remove("hx-busy"); swap(el, html); })
      .catch(function () { el.classList.remove("hx-busy"); swap(el, "<p class='error'>网络请求失败，请刷新页面。</p>"); });
  }
  function wire(root) {
    root.querySelectorAll("[hx-get],[hx-post]").forEach(function (el) {
      if (el.__hx) { return; }
      el.__hx = true;
      var trig = el.getAttribute("hx-trigger") || (el.tagName === "FORM" ? "submit" : "click");
      var every = /every (\d+)s/.exec(trig);
      if (every) {
        var t = setInterval(function () {
          if (!document.body.contains(el)) { clearInterval(t); return; }
          send(el, null);
        }, parseInt(every[1], 10) * 1000);
      } else if (trig === "load") {
        send(el, null);
      } else {
        el.addEventListener(trig, function (e) { send(el, e); });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
})();
