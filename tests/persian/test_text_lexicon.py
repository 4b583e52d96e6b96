"""The lexicon comes from hazm's data files, found without importing hazm."""

import re
import sys
from importlib import metadata

import pytest

from hamafza.persian.text import lexicon


def test_lexicon_loads_words_and_verbs():
    lex = lexicon.load()
    assert lex.core["تنها"] > 0
    assert lex.joined["اطلاعرسانی"] == "اطلاع\u200cرسانی"
    assert lex.verbs["میتواند"] == "می\u200cتواند"
    assert lex.freq("شد") > lex.freq("شذ")
    assert "hazm" not in sys.modules  # hazm's own import (nltk ...) is never triggered


def test_missing_lexicon_says_how_to_install(monkeypatch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(lexicon.metadata, "distribution", missing)
    with pytest.raises(lexicon.LexiconMissing, match=re.escape(lexicon.INSTALL_HINT)):
        lexicon.data_dir()
