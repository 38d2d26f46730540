"""What every chapter module does with a snippet: quote its defaults, run it on one thread,
name a function it imports only when called, spell a small count as a word.

Chapters import from here, never from one another, so each chapter's cache key
(docs_build/registry.py) covers its own module, its snippets and this one.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType


def default(fn: Callable, name: str) -> object:
    """The default value of one parameter of a snippet function (so the page quotes it)."""
    return inspect.signature(fn).parameters[name].default


def defaults(fn: Callable) -> dict[str, object]:
    """A function's keyword defaults: the settings the page states are the code's own."""
    return {
        k: p.default
        for k, p in inspect.signature(fn).parameters.items()
        if p.default is not inspect.Parameter.empty
    }


@contextmanager
def one_thread() -> Iterator[None]:
    """Tiny sequential models run fastest on one thread (no synchronisation per time step);
    the build already runs on one, this keeps it so when a test calls in from elsewhere."""
    import torch

    saved = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(saved)


class Lazy:
    """A function named by where it lives, imported on its first call: chapters name
    PyTorch's functions and the snippets' this way, so that the build imports them without
    torch or matplotlib (about two of the two and a half seconds the build spent importing
    its chapters).

    ``Lazy("torch.nn.functional", "relu")``; ``instance=True`` calls an ``nn.Module`` class
    once for its instance (``Lazy("torch.nn", "Identity", instance=True)``). A snippet's
    module is given as a function that imports it (``Lazy(_functions, "relu")``), so that
    the import stays written in the chapter, where its cache key finds it
    (docs_build/registry.py follows imports inside functions too). ``inspect.getsource``
    and ``inspect.unwrap`` see the function itself (``__wrapped__``).
    """

    def __init__(
        self,
        module: str | Callable[[], ModuleType],
        name: str,
        *,
        instance: bool = False,
    ) -> None:
        self._module, self.name, self.instance = module, name, instance
        self.__name__ = name  # as a function's (the explorer prints F.<name>)

    @property
    def module(self) -> str:
        """The dotted name of the module that holds it: ``torch.nn.functional``."""
        if isinstance(self._module, str):
            return self._module
        return self.__wrapped__.__module__

    @property
    def path(self) -> str:
        """Its public name, as a reader would call it: ``torch.nn.functional.relu``."""
        return f"{self.module}.{self.name}"

    @functools.cached_property
    def __wrapped__(self) -> Callable:
        module = (
            importlib.import_module(self._module)
            if isinstance(self._module, str)
            else self._module()
        )
        found = getattr(module, self.name)
        return found() if self.instance else found

    def __call__(self, *args, **kwargs):
        return self.__wrapped__(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Lazy({self.path}{'()' if self.instance else ''})"


class LazyModule:
    """A module imported on its first attribute access (``torch = LazyModule("torch")``):
    a chapter's functions use torch as usual, and importing the chapter does not import it.
    Each access looks the module up in ``sys.modules`` (a microsecond): fine for a
    chapter's code, which hands the training to its snippets."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"LazyModule({self._name!r})"


# Number words: a sentence spells a small count out ("six common functions").
NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)
SPELLED_UP_TO = 12  # count_word writes larger counts in digits


def count_word(n: int) -> str:
    """A small count as a capitalised word ("Six"), the digits past twelve."""
    return NUMBER_WORDS[n].capitalize() if n <= SPELLED_UP_TO else str(n)
