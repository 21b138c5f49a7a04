"""Every ``msg(group, key, **values)`` / ``say(...)`` call of the package, read from the source.

Used by the tests (and by scripts/i18n_missing.py): a call's group and key must name an English
message, and its values must be exactly the message's placeholders (``count`` may choose a plural
form without being shown). Groups and keys given as literals, or as names bound to a literal in the
function or the module, are resolved; others (``"resource-" + kind``) are reported as dynamic.
"""

import ast
import os
from collections import namedtuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "azext_sig_doctor")
FUNCTIONS = ("msg", "say")

Call = namedtuple("Call", "path line group key values splat")


def _constants(body):
    found = {}
    for node in body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def _resolve(node, scopes):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        for scope in scopes:
            if node.id in scope:
                return scope[node.id]
    return None


class _Visitor(ast.NodeVisitor):
    def __init__(self, path, module_constants):
        self.path = path
        self.scopes = [module_constants]
        self.calls = []

    def visit_FunctionDef(self, node):  # noqa: N802 (ast's naming)
        local = {}
        for child in ast.walk(node):
            if isinstance(child, ast.Assign):
                local.update(_constants([child]))
        self.scopes.insert(0, local)
        self.generic_visit(node)
        self.scopes.pop(0)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):  # noqa: N802
        name = node.func.id if isinstance(node.func, ast.Name) else (
            node.func.attr if isinstance(node.func, ast.Attribute) else None)
        if name in FUNCTIONS and len(node.args) >= 2:
            group, key = (_resolve(arg, self.scopes) for arg in node.args[:2])
            values = {keyword.arg for keyword in node.keywords if keyword.arg}
            splat = any(keyword.arg is None for keyword in node.keywords)
            self.calls.append(Call(os.path.relpath(self.path, ROOT), node.lineno, group, key, values, splat))
        self.generic_visit(node)


def calls():
    """Every call of ``msg``/``say`` in the package (group or key None when not a literal)."""
    found = []
    for folder, _, files in os.walk(PACKAGE):
        for name in sorted(files):
            if not name.endswith(".py") or name == "catalog.py" and folder.endswith("i18n"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                tree = ast.parse(handle.read(), path)
            visitor = _Visitor(path, _constants(tree.body))
            visitor.visit(tree)
            found.extend(visitor.calls)
    return found
