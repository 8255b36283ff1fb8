// Brief form: "Add a deliverable" asks the server (htmx) for one more formset row,
// numbered after the existing ones, and keeps the management form's TOTAL_FORMS in step.
(function () {
  "use strict";
  function totalInput(button) {
    return document.getElementById(button.dataset.total);
  }
  document.body.addEventListener("htmx:configRequest", function (event) {
    var button = event.detail.elt;
    if (button && button.id === "add-spec") {
      event.detail.parameters.index = totalInput(button).value;
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var button = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (button && button.id === "add-spec") {
      var total = totalInput(button);
      total.value = String(parseInt(total.value, 10) + 1);
      var rows = document.querySelectorAll("#spec-rows .spec-row");
      var last = rows[rows.length - 1];
      if (last) { var select = last.querySelector("select"); if (select) { select.focus(); } }
    }
  });
})();
