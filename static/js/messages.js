// Live messages (thread and inbox): htmx polls elements marked data-poll every 5 s.
// - A hidden tab does not poll: the request is cancelled before it is sent; the next tick after the
//   tab is shown again fetches everything newer.
// - Once new rows are in, the "No messages yet" placeholder goes, and in the inbox a conversation that came
//   back to the top loses its older row further down (one row per conversation).
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (document.hidden && elt && elt.hasAttribute("data-poll")) {
      event.preventDefault();
    }
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    var list = document.getElementById("thread-list") || document.getElementById("inbox-list");
    if (!list) { return; }
    var rows = list.querySelectorAll("li:not([hidden]):not([data-empty])");
    if (rows.length) {
      list.querySelectorAll("[data-empty]").forEach(function (empty) { empty.remove(); });
    }
    var seen = {};
    list.querySelectorAll("[data-conversation]").forEach(function (row) {
      var key = row.getAttribute("data-conversation");
      if (seen[key]) { row.remove(); } else { seen[key] = true; }
    });
  });
})();
