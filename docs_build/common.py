"""What every chapter module does with a snippet: quote its defaults, run it on one thread,
spell a small count as a word.

Chapters import from here, never from one another, so each chapter's cache key
(docs_build/registry.py) covers its own module, its snippets and this one.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager


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
