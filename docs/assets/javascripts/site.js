// Runs on the first load and again after every instant-navigation page swap (Material's document$).
document$.subscribe(() => {
  const root = document.documentElement;
  root.dataset.mathTypeset = "pending";
  MathJax.startup.promise
    .then(() => {
      MathJax.startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      return MathJax.typesetPromise();
    })
    .then(() => {
      root.dataset.mathTypeset = "done";
    });
});

// A region that scrolls sideways must be reachable by keyboard (axe's scrollable-region-focusable),
// as Material makes its own code blocks: notebook code and outputs, and the wrappers Material puts
// around tables (a wide table in a notebook output has no focusable content of its own). Each
// gets tabindex="0" while it overflows, and loses it when it no longer does; checked at once,
// then whenever one changes size.
const SCROLLERS = ".jupyter-wrapper pre, .md-typeset__scrollwrap";
const focusableIfScrolling = (el) => {
  const style = getComputedStyle(el);
  const scrolls =
    (/auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth) ||
    (/auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight);
  if (scrolls && !el.hasAttribute("tabindex")) {
    el.setAttribute("tabindex", "0");
    el.dataset.calcmlScrollFocus = "";
  } else if (!scrolls && "calcmlScrollFocus" in el.dataset) {
    el.removeAttribute("tabindex");
    delete el.dataset.calcmlScrollFocus;
  }
};
let scrollers = null;
document$.subscribe(() => {
  if (scrollers) scrollers.disconnect();
  scrollers = new ResizeObserver((entries) => {
    for (const entry of entries) focusableIfScrolling(entry.target);
  });
  for (const el of document.querySelectorAll(SCROLLERS)) {
    focusableIfScrolling(el);
    scrollers.observe(el);
  }
});

// Copy buttons of notebook code cells (mkdocs-jupyter's <clipboard-copy> elements).
document.addEventListener("clipboard-copy", (event) => {
  const notice = event.target.querySelector(".notice");
  if (!notice) return;
  notice.hidden = false;
  setTimeout(() => {
    notice.hidden = true;
  }, 1000);
});
