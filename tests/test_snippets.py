"""Every snippet script runs from top to bottom, as a reader would run it."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from snippet_runs import run_snippet, snippets_run_by, worker_share

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = sorted(
    p for p in (ROOT / "snippets").rglob("*.py") if "__pycache__" not in p.parts
)
ALLOWED_IMPORTS = {"torch", "numpy", "matplotlib", "__future__"} | set(
    sys.stdlib_module_names
)


def ids(path: Path) -> str:
    return str(path.relative_to(ROOT / "snippets"))


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_snippet_runs_as_script(path: Path) -> None:
    """The chapters' tests compare this run's results with the page (tests/snippet_runs.py)."""
    assert run_snippet(ids(path))["__name__"] == "__main__"


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_snippet_imports_only_what_readers_have(path: Path) -> None:
    """Snippets are copied into readers' projects: torch, numpy, matplotlib, stdlib only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    assert names <= ALLOWED_IMPORTS, (
        f"{ids(path)} imports {sorted(names - ALLOWED_IMPORTS)}"
    )


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_snippet_has_docstring_and_seed(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(source)), f"{ids(path)} needs a module docstring"
    if "torch.randn" in source or "torch.rand(" in source or "nn.Linear" in source:
        assert "manual_seed" in source, (
            f"{ids(path)} draws random numbers without a seed"
        )


RANDOM_FACTORIES = {"randn", "rand", "randint", "randperm", "normal"}
# draws made on the device of their (first) tensor input
INPUT_DEVICE_DRAWS = {
    "rand_like",
    "randn_like",
    "randint_like",
    "bernoulli",
    "multinomial",
    "poisson",
    "binomial",
    "normal",
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "alpha_dropout",
    "feature_alpha_dropout",
}
# tensor methods (and nn.init functions) that fill their tensor with random numbers
IN_PLACE_DRAWS = {
    "normal_",
    "uniform_",
    "bernoulli_",
    "random_",
    "exponential_",
    "geometric_",
    "log_normal_",
    "cauchy_",
    "trunc_normal_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "orthogonal_",
    "sparse_",
}
METHOD_DRAWS = {"bernoulli", "multinomial"}
# torch functions that make a tensor on the CPU unless given a device
FACTORIES = RANDOM_FACTORIES | {
    "empty",
    "zeros",
    "ones",
    "full",
    "tensor",
    "as_tensor",
    "arange",
    "linspace",
    "eye",
    "from_numpy",
    "Parameter",
}
# methods whose result lives where their receiver lives
SAME_DEVICE = {
    "new_empty",
    "new_zeros",
    "new_ones",
    "new_full",
    "new_tensor",
    "clone",
    "float",
    "double",
    "detach",
    "view",
    "reshape",
    "expand",
    "t",
    "abs",
    "exp",
    "sigmoid",
}
TORCH_MODULES = {
    "torch",
    "F",
    "nn",
    "nn.functional",
    "torch.nn.functional",
    "nn.init",
    "torch.nn.init",
}


def _is_cpu_literal(node: ast.expr) -> bool:
    """'cpu' or torch.device('cpu')."""
    if isinstance(node, ast.Constant):
        return node.value == "cpu"
    return (
        isinstance(node, ast.Call)
        and ast.unparse(node.func) == "torch.device"
        and len(node.args) == 1
        and _is_cpu_literal(node.args[0])
    )


def _device_arg(call: ast.Call) -> str:
    """'none' (no device given), 'cpu' (a CPU literal) or 'other' (a device, or **kw)."""
    for k in call.keywords:
        if k.arg is None:
            return "other"
        if k.arg == "device":
            return "cpu" if _is_cpu_literal(k.value) else "other"
    return "none"


class _Scan:
    """Which expressions in a snippet surely hold CPU tensors, and which calls draw."""

    def __init__(self, tree: ast.Module) -> None:
        # every value a name is given; None where it is not followed (an argument, a
        # loop variable, tuple unpacking), so the name is not surely on the CPU
        self.assigned: dict[str, list[ast.expr | None]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, (ast.Name, ast.Attribute)):
                        self._give(ast.unparse(target), node.value)
                    else:
                        for sub in ast.walk(target):
                            if isinstance(sub, ast.Name):
                                self._give(sub.id, None)
            elif isinstance(node, ast.For):
                iterated = ast.unparse(node.iter)
                for sub in ast.walk(node.target):
                    if isinstance(sub, ast.Name):
                        # a module's parameters while its __init__ builds it on the CPU
                        cpu = iterated == "self.parameters()" and isinstance(
                            node.target, ast.Name
                        )
                        self._give(sub.id, node.iter if cpu else None)
            elif isinstance(node, ast.arg):
                self._give(node.arg, None)
        self.busy: set[str] = set()
        self.in_init = False

    def _give(self, name: str, value: ast.expr | None) -> None:
        self.assigned.setdefault(name, []).append(value)

    def is_cpu(self, node: ast.expr) -> bool:
        """True only where ``node`` surely is a CPU tensor, number or CPU module."""
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (int, float))
        if isinstance(node, ast.UnaryOp):
            return self.is_cpu(node.operand)
        if isinstance(node, ast.BinOp):
            return self.is_cpu(node.left) and self.is_cpu(node.right)
        if isinstance(node, ast.Subscript):
            return self.is_cpu(node.value)
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = ast.unparse(node)
            if self.in_init and (name == "self" or name.startswith("self.")):
                return True  # the module __init__ builds, on the CPU
            values = self.assigned.get(name)
            if values and None not in values and name not in self.busy:
                self.busy.add(name)
                try:
                    return all(self.is_cpu(v) for v in values if v is not None)
                finally:
                    self.busy.discard(name)
            # weight or bias of a module built on the CPU
            if isinstance(node, ast.Attribute) and node.attr in {"weight", "bias"}:
                return self.is_cpu(node.value)
            return False
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = ast.unparse(func.value)
            if func.attr == "cpu":
                return True
            if func.attr == "to":
                return (bool(node.args) and _is_cpu_literal(node.args[0])) or (
                    _device_arg(node) == "cpu"
                )
            if owner in TORCH_MODULES:
                if func.attr in FACTORIES or (
                    owner == "nn" and func.attr[:1].isupper()
                ):
                    return _device_arg(node) != "other" and (
                        func.attr != "Parameter" or self.is_cpu(node.args[0])
                    )
                return False
            if func.attr in SAME_DEVICE or func.attr == "parameters":
                return self.is_cpu(func.value)
        return False

    def draws(self, node: ast.Call) -> bool:
        """Whether the call ``node`` may draw random numbers on a device."""
        func = node.func
        if not isinstance(func, ast.Attribute):
            return False
        owner = ast.unparse(func.value)
        from_torch = owner in TORCH_MODULES
        attr = func.attr
        if from_torch and attr in RANDOM_FACTORIES and _device_arg(node) == "other":
            return True
        if attr == "Generator" or (owner == "nn" and attr[:1].isupper()):
            return _device_arg(node) == "other"  # a device generator or module
        if any(k.arg == "generator" for k in node.keywords):
            return False  # a CPU generator refuses to draw for a device tensor
        if from_torch and attr in INPUT_DEVICE_DRAWS:
            tensors = [a for a in node.args[:2] if not isinstance(a, ast.Constant)]
            if attr == "normal" and not tensors:
                return False  # normal(mean, std, size): a factory, device rule above
            if attr != "normal":
                tensors = node.args[:1]
            tensors += [k.value for k in node.keywords if k.arg == "input"]
            return not tensors or not all(self.is_cpu(t) for t in tensors)
        if attr in IN_PLACE_DRAWS:
            target = node.args[0] if from_torch and node.args else func.value
            return not self.is_cpu(target)
        if attr in METHOD_DRAWS and not from_torch:
            return not self.is_cpu(func.value)
        return False


def draws_on_device(source: str) -> list[str]:
    """The calls in ``source`` that may draw random numbers on a device, whose generator
    differs from the CPU's: a draw given a device (or **kwargs), a draw on a tensor input
    (randn_like, bernoulli, multinomial, normal(mean, std), dropout) or an in-place draw
    (x.normal_(), nn.init.*_) whose tensor is not surely on the CPU. Surely on the CPU:
    numbers, torch factories without a device or with device='cpu', x.cpu(), nn modules
    built without a device, and names assigned only from those. A draw given a
    generator= uses it, and a CPU generator refuses a device tensor."""
    tree = ast.parse(source)
    scan = _Scan(tree)
    found = []

    def visit(node: ast.AST, in_init: bool) -> None:
        if isinstance(node, ast.FunctionDef):
            # an __init__ builds its module on the CPU unless it names a device
            in_init = node.name == "__init__" and not any(
                isinstance(n, ast.Call) and _device_arg(n) == "other"
                for n in ast.walk(node)
            )
        if isinstance(node, ast.Call):
            scan.in_init = in_init
            if scan.draws(node):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child, in_init)

    visit(tree, False)
    return found


ON_DEVICE = [
    "x = torch.randn(4, 5, device=device)",
    "eps = torch.randn_like(mu)",
    "x = torch.empty(3, device=device).normal_()",
    "x = torch.empty(3, device=device).uniform_(-1, 1)",
    "mu = torch.zeros(3, device=device)\nx = torch.normal(mu, 1.0)",
    "i = torch.multinomial(probs, 1)",
    "y = x.new_empty(3).normal_()",
    "x.bernoulli_(0.5)",
    "s = torch.bernoulli(p)",
    "s = p.bernoulli()",
    "h = F.dropout(h, 0.5)",
    "h = nn.functional.dropout(h, 0.5)",
    "x = torch.randn(3, **opts)",
    "g = torch.Generator(device=device)",
    "layer = nn.Linear(3, 4, device=device)",
    "w = torch.empty(3, 3).to(device)\nnn.init.normal_(w)",
    "def f(w):\n    nn.init.kaiming_normal_(w)",
    "for p in model.parameters():\n    nn.init.uniform_(p, -1, 1)",
    "class M(nn.Module):\n    def __init__(self):\n"
    "        self.w = nn.Parameter(torch.empty(3, device=device))\n"
    "        nn.init.normal_(self.w)",
]
ON_THE_CPU = [
    "x = torch.randn(4, 5).to(device)",
    "eps = torch.randn(mu.shape).to(mu.device)",
    "x = torch.randn(3, device='cpu')",
    "x = torch.randn(3, device=torch.device('cpu'))",
    "x = torch.empty(3).normal_()",
    "x = torch.normal(0.0, 1.0, size=(3,))",
    "x = torch.normal(torch.zeros(3), 1.0)",
    "s = torch.bernoulli(p.cpu()).to(p.device)",
    "i = torch.multinomial(probs.cpu(), 1, generator=g)",
    "w = torch.empty(3, 3)\nnn.init.normal_(w)",
    "linear = nn.Linear(3, 3)\nnn.init.normal_(linear.weight)",
    "class M(nn.Module):\n    def __init__(self):\n"
    "        self.w = nn.Parameter(torch.empty(3))\n"
    "        for p in self.parameters():\n            nn.init.uniform_(p, -1, 1)",
]


@pytest.mark.parametrize("source", ON_DEVICE)
def test_draws_on_device_are_found(source: str) -> None:
    assert draws_on_device(source), source


@pytest.mark.parametrize("source", ON_THE_CPU)
def test_draws_on_the_cpu_are_not_flagged(source: str) -> None:
    assert not draws_on_device(source), draws_on_device(source)


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_snippets_draw_on_the_cpu(path: Path) -> None:
    """Snippets assert and print results of their random draws (softmax.py's one-hot
    limit, the GAN's mode count, the RNN's accuracies): they draw on the CPU from the
    seeded generator and move the tensor, so a reader with a GPU gets the same random
    draws. (Not the same results: GPU kernels round differently, and on the RNN page one
    last-bit change can flip a run.)"""
    found = draws_on_device(path.read_text(encoding="utf-8"))
    assert not found, f"{ids(path)} draws on the device: {found}"


def test_there_are_snippets() -> None:
    assert SNIPPETS, "snippets/ is empty"


def test_tests_that_read_a_run_share_its_worker() -> None:
    """Under pytest-xdist a snippet runs once per worker: every test module that reads
    a snippet's run is kept on the worker that runs it (tests/conftest.py)."""
    readers = {
        p.relative_to(ROOT).as_posix(): run_by
        for p in (ROOT / "tests").rglob("test_*.py")
        if (run_by := snippets_run_by(p.relative_to(ROOT).as_posix()))
    }
    assert "tests/architectures/test_rnn.py" in readers  # the check sees the readers
    helpers = [  # a helper module's runs would not be seen where it is imported
        p.name
        for p in (ROOT / "tests").rglob("*.py")
        if not p.name.startswith("test_")
        and p.name != "snippet_runs.py"
        and "run_snippet(" in p.read_text(encoding="utf-8")
    ]
    assert not helpers, f"only test modules may read a snippet's run: {helpers}"
    for module, snippets in readers.items():
        (snippet,) = snippets  # one snippet per module keeps one share per snippet
        assert worker_share(f"{module}::test_x") == worker_share(
            f"tests/test_snippets.py::test_snippet_runs_as_script[{snippet}]"
        )
    assert worker_share("tests/test_math.py::test_a") == "tests/test_math.py"
    assert worker_share("tests/test_math.py::test_a") == worker_share(
        "tests/test_math.py::test_b[x]"
    )
