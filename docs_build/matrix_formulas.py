"""Matrix formulas (gate equations, attention, the softmax Jacobian) as sympy
expressions: printed as the page's LaTeX in the order they are written, and evaluated with
torch by a small interpreter, so the tests can hold the printed equation against PyTorch's
layers.

sympy.lambdify cannot print element-wise functions of matrix expressions, and sympy's LaTeX
for them (a lambda with a circle subscript) is hard to read; the classes below fix both.
"""

from __future__ import annotations

import functools

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.printing.precedence import PRECEDENCE

from docs_build.common import Lazy, LazyModule

torch = LazyModule("torch")  # imported on first use: chapters load without it

_arg = sp.Dummy("a")
_PLACEHOLDER = sp.Symbol("PLACEHOLDER")
TORCH_FUNCTIONS = {"sigma": Lazy("torch", "sigmoid"), "tanh": Lazy("torch", "tanh")}


class Elementwise(ElementwiseApplyFunction):
    """A scalar function applied to every entry of a vector, printed as f(v) (sympy's own
    printing, a lambda with a circle subscript, is correct but hard to read)."""

    def _latex(self, printer) -> str:
        outer = printer._print(self.function.expr.xreplace({_arg: _PLACEHOLDER}))
        return outer.replace("PLACEHOLDER", printer._print(self.expr))


class Sum(sp.MatAdd):
    """A sum printed in the order it was written (sympy would sort its terms)."""

    def __new__(cls, *args):
        return super().__new__(cls, *args, evaluate=False)

    def _latex(self, printer) -> str:
        out = printer._print(self.args[0])
        for term in self.args[1:]:
            text = printer._print(term)
            out += f" - {text[1:].strip()}" if text.startswith("-") else f" + {text}"
        return out


class Hadamard(sp.HadamardProduct):
    """The element-wise product, printed with \\odot in the order it was written."""

    def __new__(cls, *args):
        return super().__new__(cls, *args, evaluate=False)

    def _latex(self, printer) -> str:
        return r" \odot ".join(
            printer.parenthesize(a, PRECEDENCE["Mul"]) for a in self.args
        )


def sigma(v: sp.MatrixExpr) -> Elementwise:
    """The logistic sigmoid, entry by entry."""
    return Elementwise(sp.Lambda(_arg, sp.Function("sigma")(_arg)), v)


def tanh(v: sp.MatrixExpr) -> Elementwise:
    """tanh, entry by entry."""
    return Elementwise(sp.Lambda(_arg, sp.tanh(_arg)), v)


class Divided(sp.MatMul):
    """A matrix product divided by a scalar, printed as a fraction: Divided(Q K^T, sqrt(d))."""

    def __new__(cls, numerator: sp.MatrixExpr, denominator: sp.Expr):
        factors = numerator.args if isinstance(numerator, sp.MatMul) else (numerator,)
        return super().__new__(cls, 1 / denominator, *factors, evaluate=False)

    def _latex(self, printer) -> str:
        top = " ".join(printer._print(a) for a in self.args[1:])
        return rf"\frac{{{top}}}{{{printer._print(1 / self.args[0])}}}"


class RowSoftmax(sp.MatrixExpr):
    """softmax applied to each row of a matrix (over the last axis), printed softmax(A)."""

    def __new__(cls, arg: sp.MatrixExpr):
        return super().__new__(cls, arg)

    @property
    def shape(self):
        return self.args[0].shape

    def _latex(self, printer) -> str:
        return rf"\operatorname{{softmax}}\left({printer._print(self.args[0])}\right)"


class Diag(sp.MatrixExpr):
    """diag(v): the square matrix with the column v on its diagonal, printed diag(v)."""

    def __new__(cls, arg: sp.MatrixExpr):
        return super().__new__(cls, arg)

    @property
    def shape(self):
        return (self.args[0].shape[0], self.args[0].shape[0])

    def _latex(self, printer) -> str:
        return rf"\operatorname{{diag}}\left({printer._print(self.args[0])}\right)"


class Applied(sp.MatrixExpr):
    """A named matrix formula applied to arguments, printed name(A, B, C): Applied(name,
    body, params, args) evaluates ``body`` with each of ``params`` bound to its argument, so
    the formula is written once (the attention formula inside each head of multi-head
    attention)."""

    def __new__(cls, name: str | sp.Symbol, body: sp.MatrixExpr, params, args):
        name = sp.Symbol(name) if isinstance(name, str) else name
        return super().__new__(cls, name, body, sp.Tuple(*params), sp.Tuple(*args))

    def doit(self, **hints):
        return self  # kept as written: it is printed, and evaluated by evaluate()

    @property
    def shape(self):
        body, params, args = self.args[1:]
        dims = {}  # each parameter's dimensions -> its argument's
        for param, arg in zip(params, args, strict=True):
            dims.update(zip(param.shape, arg.shape, strict=True))
        return tuple(sp.sympify(n).xreplace(dims) for n in body.shape)

    def _latex(self, printer) -> str:
        inner = r",\; ".join(printer._print(a) for a in self.args[3])
        return rf"{self.args[0].name}\left({inner}\right)"


class Concat(sp.MatrixExpr):
    """Concat(head_1, ..., head_H): one matrix ``head`` per head, side by side (along the
    columns). Concat(label, head, count): ``head`` is the expression of head j; the matrix
    symbols it names that differ between heads are given to :func:`evaluate` as a list or
    tuple of tensors, one per head, and head j is evaluated with the j-th of each."""

    def __new__(cls, label: str | sp.Symbol, head: sp.MatrixExpr, count: sp.Expr):
        label = sp.Symbol(label) if isinstance(label, str) else label
        return super().__new__(cls, label, head, sp.sympify(count))

    def doit(self, **hints):
        return self  # kept as written: it is printed, and evaluated by evaluate()

    @property
    def shape(self):
        rows, cols = self.args[1].shape
        return rows, self.args[2] * cols

    def _latex(self, printer) -> str:
        label, count = self.args[0].name, printer._print(self.args[2])
        return rf"\operatorname{{Concat}}\left({label}_{{1}}, \dots, {label}_{{{count}}}\right)"


def evaluate(expr: sp.Expr, values: dict[str, torch.Tensor]) -> torch.Tensor:
    """Evaluate a matrix expression with torch tensors named by their LaTeX names.

    Vectors are columns, so a batch of N vectors is passed as a (size, N) tensor; matrix
    products broadcast over leading batch dimensions. Scalar symbols take float values.
    """
    if isinstance(expr, sp.MatrixSymbol):
        return values[expr.name]
    if not expr.is_Matrix:  # a scalar such as 1/sqrt(d_k): substitute its symbols
        number = expr.subs({s: float(values[s.name]) for s in expr.free_symbols})
        return torch.tensor(float(number), dtype=torch.float64)
    if isinstance(expr, sp.Transpose):
        return evaluate(expr.arg, values).transpose(-2, -1)
    if isinstance(expr, Applied):
        _, body, params, args = expr.args
        bound = {p.name: evaluate(a, values) for p, a in zip(params, args, strict=True)}
        return evaluate(body, {**values, **bound})
    if isinstance(expr, Concat):
        _, head, count = expr.args
        per_head = {n: v for n, v in values.items() if isinstance(v, list | tuple)}
        heads = int(values[str(count)])
        if any(len(v) != heads for v in per_head.values()):
            raise ValueError(
                f"need one tensor per head ({heads}) for {sorted(per_head)}"
            )
        parts = [
            evaluate(head, {**values, **{n: v[j] for n, v in per_head.items()}})
            for j in range(heads)
        ]
        return torch.cat(parts, dim=-1)
    if isinstance(expr, RowSoftmax):
        return torch.softmax(evaluate(expr.args[0], values), dim=-1)
    if isinstance(expr, sp.OneMatrix):
        return torch.ones((), dtype=torch.float64)  # broadcasts like a column of ones
    if isinstance(expr, ElementwiseApplyFunction):
        name = str(expr.function.expr.func)
        return TORCH_FUNCTIONS[name](evaluate(expr.expr, values))
    parts = [evaluate(a, values) for a in expr.args]
    if isinstance(expr, sp.MatAdd):
        return functools.reduce(torch.add, parts)
    if isinstance(expr, sp.HadamardProduct):
        return functools.reduce(torch.mul, parts)
    if isinstance(expr, sp.MatMul):  # scalars multiply, matrices chain
        return functools.reduce(
            lambda a, b: a @ b if a.ndim and b.ndim else a * b, parts
        )
    raise TypeError(f"cannot evaluate {type(expr).__name__}: {expr}")
