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

// Copy buttons of notebook code cells (mkdocs-jupyter's <clipboard-copy> elements).
document.addEventListener("clipboard-copy", (event) => {
  const notice = event.target.querySelector(".notice");
  if (!notice) return;
  notice.hidden = false;
  setTimeout(() => {
    notice.hidden = true;
  }, 1000);
});
