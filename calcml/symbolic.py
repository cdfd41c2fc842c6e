"""Symbolic differentiation with SymPy: exact derivatives as expressions."""

from tokenize import TokenError

import sympy as sp


def symbolic_derivative(expr: sp.Expr | str, var: str | sp.Symbol = "x") -> sp.Expr:
    r"""The exact derivative of ``expr`` with respect to ``var``, as a SymPy expression.

    SymPy applies the rules of differentiation (power, product, chain, ...) to the expression
    tree. The result is exact but not simplified, so derivatives of deep compositions can grow
    large: the *expression swell* of symbolic differentiation.

    Parameters
    ----------
    expr : sympy.Expr or str
        The expression, or a string SymPy can parse, such as ``"sin(x**2)"``.
    var : str or sympy.Symbol, default "x"
        The variable to differentiate with respect to.

    Returns
    -------
    sympy.Expr
        $\frac{d}{d\,\mathrm{var}}\,\mathrm{expr}$.

    Raises
    ------
    ValueError
        If ``expr`` is a string SymPy cannot parse, or ``var`` is not a valid symbol name.
    TypeError
        If ``expr`` is neither a SymPy expression nor a string, or ``var`` neither a string
        nor a symbol.

    Examples
    --------
    >>> from calcml import symbolic_derivative
    >>> symbolic_derivative("x**3")
    3*x**2
    >>> symbolic_derivative("sin(4*x)**2", "x")
    8*sin(4*x)*cos(4*x)
    """
    if isinstance(var, str):
        if not var.isidentifier():
            raise ValueError(f"var must be a variable name such as 'x', got {var!r}")
        var = sp.Symbol(var)
    elif not isinstance(var, sp.Symbol):
        raise TypeError(f"var must be a string or a sympy.Symbol, got {type(var).__name__}")
    if isinstance(expr, str):
        try:
            expr = sp.sympify(expr)
        except (sp.SympifyError, SyntaxError, TypeError, TokenError) as error:
            raise ValueError(f"expr {expr!r} is not an expression SymPy can parse") from error
    if not isinstance(expr, sp.Expr):
        raise TypeError(f"expr must be a SymPy expression or a string, got {expr!r}")
    return sp.diff(expr, var)
