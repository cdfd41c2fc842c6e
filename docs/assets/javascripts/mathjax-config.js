// MathJax 3, served from this site (assets/mathjax/). It typesets the arithmatex spans of
// Markdown pages and docstrings, the $...$ of notebook Markdown cells and SymPy's LaTeX outputs.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
  },
  // site.js typesets each page, including those Material's instant navigation swaps in.
  startup: { typeset: false },
};
