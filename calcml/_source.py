"""What a Python file does, without its docstrings and comments: for keys that ignore prose.

Standard library only, and importable by path, so the docs build can key its caches on it
without importing calcml (and JAX) first.
"""

import ast
from pathlib import Path

_HAS_DOCSTRING = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def code_fingerprint(path: Path) -> bytes:
    """The syntax tree of a ``.py`` file with docstrings removed; any other file's bytes.

    Comments, docstrings, blank lines, formatting and line endings do not change it; any change
    to what the code does does. A file that does not parse is returned as it is.
    """
    source = Path(path).read_bytes()
    if Path(path).suffix != ".py":
        return source
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, _HAS_DOCSTRING)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree).encode()
