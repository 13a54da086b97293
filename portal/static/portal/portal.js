// Page behaviour of the portal. The Content-Security-Policy allows no inline script
// (portal.core.security_headers): templates mark elements with data- attributes instead.
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form (the language switch).
  function autosubmit(select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  }

  // <progress data-poll-url="…" data-poll-ms="1000" data-poll-done="finished" data-poll-count="id">:
  // asks the URL for {done, total, <done key>} until the work is done, then reloads the page.
  function follow(bar) {
    var url = bar.getAttribute("data-poll-url");
    var every = parseInt(bar.getAttribute("data-poll-ms") || "2000", 10);
    var doneKey = bar.getAttribute("data-poll-done") || "finished";
    var count = document.getElementById(bar.getAttribute("data-poll-count") || "");
    function poll() {
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          bar.max = state.total;
          bar.value = state.done;
          if (count) { count.textContent = state.done + " / " + state.total; }
          if (state[doneKey]) { window.location.reload(); } else { window.setTimeout(poll, every); }
        })
        .catch(function () { window.setTimeout(poll, every * 2.5); });
    }
    window.setTimeout(poll, every);
  }

  // The navigation's menus are <details> and work without script; with it, one menu is open at
  // a time and a click elsewhere or Escape closes it.
  function menus() {
    var groups = document.querySelectorAll("details.nav-group");
    function closeAll(except) {
      groups.forEach(function (group) { if (group !== except) { group.open = false; } });
    }
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () { if (group.open) { closeAll(group); } });
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest("details.nav-group")) { closeAll(null); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { closeAll(null); }
    });
  }

  // A table wider than the screen scrolls within itself (large text on a phone, portal.css):
  // it takes the keyboard's focus then, so that the arrow keys can scroll it too.
  function scrollableTables() {
    function mark() {
      document.querySelectorAll("main table").forEach(function (table) {
        if (table.scrollWidth > table.clientWidth + 1) {
          table.setAttribute("tabindex", "0");
        } else {
          table.removeAttribute("tabindex");
        }
      });
    }
    mark();
    window.addEventListener("resize", mark);
  }

  function start() {
    menus();
    scrollableTables();
    document.querySelectorAll("select[data-autosubmit]").forEach(autosubmit);
    document.querySelectorAll("progress[data-poll-url]").forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
