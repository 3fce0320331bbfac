"""Chinese word segmentation for suggestions: keywords match words, never pieces of other words.

``jieba`` (a maintained segmenter) splits a note into words, helped by a user dictionary of
telecom terms kept as data (``resources/suggest/segmentation-terms.txt``). Numbers and amounts become
one placeholder token, so "0元" can never be found inside "100元" and no amount is a keyword hit.
Loading jieba's dictionary takes about a second the first time (it caches a model on disk);
callers that care (the desk) warm it off the GUI thread with :func:`warm_up`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop.paths import resource_path

NUMBER_TOKEN = "<数>"
# Digits, Chinese numerals and the words that follow amounts and counts ("一千多", "19块", "两天").
_NUMBER = re.compile(
    r"^(?:[0-9０-９.,%‰]+|[零一二两三四五六七八九十百千万亿几]+)(?:多|余|来)?"
    r"(?:块|元|毛|角|分|个|天|日|次|号|点|兆|g|G|m|M|k|K|月|年|岁|小时|分钟)?$")
_DROP = re.compile(r"^[\s\W_]+$", re.UNICODE)
_lock = threading.Lock()
_segmenter: Any = None


def terms_file() -> Path:
    return resource_path("suggest/segmentation-terms.txt")


def _load() -> Any:
    global _segmenter
    with _lock:
        if _segmenter is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)  # jieba logs its cache use at INFO on every start
            tokenizer = jieba.Tokenizer()
            with terms_file().open("rb") as terms:  # given a path, jieba leaves the file open
                tokenizer.load_userdict(terms)
            _segmenter = tokenizer
    return _segmenter


def warm_up() -> None:
    """Load the segmenter now (about a second the first time), e.g. from a worker thread."""
    _load()


def normalize(text: str) -> str:
    """Full-width letters and digits folded, Latin lower-cased: how both sides are compared."""
    return unicodedata.normalize("NFKC", text).lower()


def is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The note's words in order; numbers and amounts as :data:`NUMBER_TOKEN`, punctuation dropped."""
    result = []
    for token in _load().lcut(normalize(text), HMM=True):
        if _DROP.match(token):
            continue
        result.append(NUMBER_TOKEN if is_number(token) else token)
    return tuple(result)


@lru_cache(maxsize=4096)
def boundaries(text: str) -> tuple[str, frozenset[int]]:
    """The normalised text and the character offsets where its words start or end."""
    normalized = normalize(text)
    cuts = {0, len(normalized)}
    position = 0
    for token in _load().lcut(normalized, HMM=True):
        cuts.add(position)
        position += len(token)
        cuts.add(position)
    return normalized, frozenset(cuts)
