// Highlight evidence in the source text and on the page image, and drive the review
// queue from the keyboard. No inline scripts (the Content-Security-Policy forbids
// them); data comes from attributes: data-spans="start-end;…" (offsets into the source
// text), data-page and data-bbox="x0,top,x1,bottom" (PDF points) on values.
(function () {
  "use strict";
  const source = document.getElementById("source");
  const view = document.getElementById("page-view");

  function textNode() {
    return source && source.firstChild && source.firstChild.nodeType === Node.TEXT_NODE
      ? source.firstChild : null;
  }

  function rangesOf(el) {
    const node = textNode();
    const spec = el.getAttribute("data-spans") || "";
    if (!node || !spec) return [];
    return spec.split(";").filter(Boolean).map(function (pair) {
      const parts = pair.split("-").map(Number);
      const range = document.createRange();
      range.setStart(node, Math.min(parts[0], node.length));
      range.setEnd(node, Math.min(parts[1], node.length));
      return range;
    });
  }

  function showPage(el) {
    if (!view || view.dataset.available !== "1") return;
    const page = Number(el.getAttribute("data-page") || 0) || (view.dataset.count === "1" ? 1 : 0);
    if (!page) return;
    const img = document.getElementById("page-img");
    const box = document.getElementById("page-box");
    const src = "/doc/" + view.dataset.doc + "/page/" + page + ".png";
    if (img.getAttribute("src") !== src) img.setAttribute("src", src);
    document.getElementById("page-number").textContent = "· " + page;
    view.dataset.page = String(page);
    const sizes = (view.dataset.sizes || "").split(";").filter(Boolean).map(function (s) {
      return s.split(",").map(Number);
    });
    const bbox = (el.getAttribute("data-bbox") || "").split(",").filter(Boolean).map(Number);
    const size = sizes[page - 1];
    if (bbox.length === 4 && size) {
      box.style.left = (100 * bbox[0] / size[0]) + "%";
      box.style.top = (100 * bbox[1] / size[1]) + "%";
      box.style.width = (100 * (bbox[2] - bbox[0]) / size[0]) + "%";
      box.style.height = (100 * (bbox[3] - bbox[1]) / size[1]) + "%";
      box.hidden = false;
      box.dataset.bbox = bbox.join(",");
      img.addEventListener("load", function () { box.scrollIntoView({ block: "center" }); }, { once: true });
    } else {
      box.hidden = true;
    }
  }

  function select(el) {
    document.querySelectorAll(".selected").forEach(function (x) { x.classList.remove("selected"); });
    el.classList.add("selected");
    showPage(el);
    const ranges = rangesOf(el);
    if (!ranges.length) return;
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("evidence", new Highlight(...ranges));
    }
    source.dataset.highlighted = ranges.map(function (r) { return r.toString(); }).join("\u241E");
    const box = ranges[0].getBoundingClientRect();
    const frame = source.getBoundingClientRect();
    source.scrollTop += box.top - frame.top - frame.height / 3;
  }

  document.addEventListener("click", function (event) {
    const el = event.target.closest("[data-spans], [data-page]");
    if (el && !event.target.closest("a, button, input, select, textarea")) select(el);
  });

  // --- keyboard ---------------------------------------------------------------
  const help = document.getElementById("help");
  function toggleHelp(force) {
    if (!help) return;
    help.hidden = force === undefined ? !help.hidden : !force;
  }
  const helpButton = document.getElementById("help-toggle");
  if (helpButton) helpButton.addEventListener("click", function () { toggleHelp(); });

  function typing(event) {
    // a text field, a menu or an IME composing Chinese: keys are text, never shortcuts
    const active = document.activeElement;
    return event.isComposing || event.keyCode === 229 ||
      event.target.closest("input, select, textarea, [contenteditable]") !== null ||
      (active && active.matches && active.matches("input, select, textarea, [contenteditable]"));
  }

  const form = document.getElementById("decide");
  const reviewer = document.getElementById("reviewer");
  if (reviewer && !reviewer.value) reviewer.value = localStorage.getItem("jixiao-reviewer") || "";
  const newValue = document.getElementById("new-value");
  if (form) {
    form.addEventListener("submit", function () {
      if (reviewer) localStorage.setItem("jixiao-reviewer", reviewer.value);
    });
    newValue.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        document.getElementById("btn-correct").click();
      }
    });
    form.addEventListener("keydown", function (event) {
      // Enter in the name field must not fire the first button (accept) by accident
      if (event.key === "Enter" && event.target.matches("input") && event.target !== newValue) event.preventDefault();
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (help && !help.hidden) { toggleHelp(false); return; }
      if (event.target.matches && event.target.matches("input, select, textarea")) event.target.blur();
      return;
    }
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Enter" && event.target.matches("[data-spans], [data-page]")) { select(event.target); return; }
    if (event.key === "?") { event.preventDefault(); toggleHelp(); return; }
    const undo = document.getElementById("btn-undo");
    if (event.key === "u" && undo) { event.preventDefault(); undo.click(); return; }
    if (!form) return;
    const buttons = { a: "btn-accept", w: "btn-source-wrong", s: "btn-skip" };
    if (event.key === "e") { event.preventDefault(); newValue.focus(); return; }
    if (buttons[event.key]) { event.preventDefault(); document.getElementById(buttons[event.key]).click(); }
  });

  const auto = document.querySelector("[data-autoselect]");
  if (auto) select(auto);
  else if (view && view.dataset.available === "1") {
    const first = document.querySelector("[data-page]");
    if (first) showPage(first);
  }
})();
