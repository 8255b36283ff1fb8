// Creator directory: keep shared URLs short by leaving out filters that are empty.
// Everything else (live results, URL updates, "Show more") is plain htmx attributes.
document.addEventListener("htmx:configRequest", function (event) {
  var elt = event.detail.elt;
  if (!elt || !elt.closest || !elt.closest("#directory-filters")) {
    return;
  }
  var data = event.detail.formData;
  if (!data) {
    return;
  }
  var keys = Array.from(new Set(Array.from(data.keys())));
  keys.forEach(function (key) {
    var values = data.getAll(key);
    if (values.every(function (v) { return v === ""; }) || (key === "sort" && values[0] === "followers")) {
      data.delete(key);
    }
  });
});

// The search box already asks for results as one types ("input" trigger); its "change" on blur
// would repeat that request and race a "Show more" click, so it stops here.
document.addEventListener("change", function (event) {
  if (event.target && event.target.id === "id_q" && event.target.closest("#directory-filters")) {
    event.stopPropagation();
  }
}, true);
