"""A seeded generator of a hostile batch: hundreds of mangled articles, each with what a build must do
with it ('keep': a readable English article whatever was done to it; 'skip': it must be named on a
skipped line; 'either': random bytes, which may or may not read as English).

    python tests/hostile_batch.py OUT_DIR [N] [SEED]
"""
from __future__ import annotations

import codecs
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
APPOSITIONS = [
    "The state, a party to the treaty, condemned Israel on Monday.",
    "The country, a member of the alliance, rejected the proposal from Egypt.",
    "The nation, a side in the conflict, accused Qatar of delays.",
    "The side, a party to the talks, met Egyptian mediators in Cairo.",
]
MAX_BYTES = 300_000  # the batch is built with --max-bytes this


def _insert(rnd: random.Random, text: str, pieces: list[str], n: int) -> str:
    for _ in range(n):
        at = rnd.randrange(len(text))
        text = text[:at] + rnd.choice(pieces) + text[at:]
    return text


def _keep(rnd: random.Random, base: str) -> tuple[str, bytes]:
    """A readable English article, mangled one of many ways."""
    kind = rnd.choice(["high-bytes", "apposition", "controls", "bidi", "astral", "crlf", "bom", "cp1252", "html",
                       "long-token", "caps", "punctuation", "garbage-lines", "lone-cr", "tabs", "repeated",
                       "truncated-utf8", "no-paragraphs", "nbsp", "utf16"])
    text = base
    if kind == "apposition":
        text = "Talks stall\n\n" + " ".join(rnd.sample(APPOSITIONS, rnd.randint(1, 4))) + "\n\n" + base
    elif kind == "controls":
        text = _insert(rnd, base, ["\x1b[31m", "\x07", "\x0c", "\x1b]0;title\x07", "\x7f"], rnd.randint(1, 8))
    elif kind == "bidi":
        text = _insert(rnd, base, ["\u202e", "\u200b", "\ufeff", "\u2066", "\u00ad", "\u2028"], rnd.randint(1, 20))
    elif kind == "astral":
        text = _insert(rnd, base, ["\U0001F642", "\U0001D518", "\U000E0041", "\ufffd", "\uffff"], rnd.randint(1, 20))
    elif kind == "crlf":
        text = base.replace("\n", "\r\n")
    elif kind == "lone-cr":
        text = base.replace("\n", "\r")
    elif kind == "html":
        paras = "".join(f"<p>{p}</p>" for p in base.split("\n\n"))
        text = f"<!DOCTYPE html><html><head><title>x</title><script>var a='<p>';</script></head><body>{paras}</body></html>"
    elif kind == "long-token":
        text = _insert(rnd, base, [" " + "x" * rnd.randint(1000, 20000) + " "], 1)
    elif kind == "caps":
        text = base.upper()
    elif kind == "punctuation":
        text = base.replace(".", rnd.choice(["!!!", "?!", "...", ".\u2026", " ."]))
    elif kind == "garbage-lines":
        lines = base.split("\n")
        for _ in range(rnd.randint(1, 10)):
            lines.insert(rnd.randrange(len(lines)), "".join(rnd.choice("0123456789#@$%^&*|") for _ in range(40)))
        text = "\n".join(lines)
    elif kind == "tabs":
        text = base.replace(" ", "\t")
    elif kind == "repeated":
        text = "\n\n".join([base] * rnd.randint(2, 20))
    elif kind == "no-paragraphs":
        text = base.replace("\n", " ")
    elif kind == "nbsp":
        text = base.replace(" ", "\u00a0")
    data = text.encode("utf-8")
    if kind == "high-bytes":
        buf = bytearray(data)
        for _ in range(rnd.randint(1, 40)):
            buf[rnd.randrange(len(buf))] = rnd.randint(128, 255)
        data = bytes(buf)
    elif kind == "bom":
        data = codecs.BOM_UTF8 + data
    elif kind == "cp1252":
        data = ("Caf\u00e9 talks \u2013 \u201cquoted\u201d\n\n" + base).encode("cp1252", errors="replace")
    elif kind == "utf16":  # with its byte-order mark, which decides the encoding
        data = text.encode("utf-16")
    elif kind == "truncated-utf8":
        data = ("Talks in Gen\u00e8ve\n\n" + base + " \u00e9t\u00e9").encode("utf-8")[:-1]
    return kind, data


def _skip(rnd: random.Random) -> tuple[str, bytes]:
    kind = rnd.choice(["empty", "blank", "binary", "russian", "spanish", "html-no-text", "too-large", "nul-text"])
    if kind == "empty":
        return kind, b""
    if kind == "blank":
        return kind, b" \n\n\t \r\n" * rnd.randint(1, 50)
    if kind == "binary":
        return kind, bytes(rnd.randrange(256) for _ in range(rnd.randint(100, 5000))) + b"\x00\x00"
    if kind == "russian":
        return kind, "Министр иностранных дел Египта встретился с коллегой в Каире в понедельник. ".encode() * 30
    if kind == "spanish":
        return kind, "El ministro de Exteriores de Egipto se reunió con su homólogo en El Cairo el lunes. ".encode() * 30
    if kind == "html-no-text":
        return kind, b"<html><head><script>x()</script><style>p{}</style></head><body><div></div><p></p></body></html>"
    if kind == "too-large":
        return kind, (SEEDS[0].read_text(encoding="utf-8") + "\n\n").encode() * (MAX_BYTES // 3000 + 5)
    return kind, b"Egypt condemned Israel.\x00" * 50


NAMES = ["report", "Gaza Talks", "caf\xe9", "\u65e5\u672c\u306e\u8a18\u4e8b", "-dash", "a b  c", "x" * 150,
         "emoji \U0001F642", "UPPER", "dots.in.name", "new\nline", "tab\tname", "quote'\"", "back\\slash"]


def _name(rnd: random.Random, i: int) -> bytes:
    """A file name (bytes: some are not UTF-8), sometimes in a nested folder."""
    stem = rnd.choice(NAMES)
    raw = stem.encode("latin-1") if stem == "caf\xe9" else stem.encode("utf-8")
    raw += f"-{i:04d}".encode()
    folder = rnd.choice([b"", b"", b"sub/", b"deep/er/still/", b"caf\xe9/"])
    return folder + raw + rnd.choice([b".txt", b".txt", b".TXT", b".html", b".md", b".text"])


def generate(out: Path, n: int = 300, seed: int = 12) -> dict[bytes, tuple[str, str]]:
    """Write `n` hostile files under `out`; return {relative path (bytes): (expectation, kind)}."""
    rnd = random.Random(seed)
    bases = [p.read_text(encoding="utf-8") for p in SEEDS]
    made: dict[bytes, tuple[str, str]] = {}
    for i in range(n):
        roll = rnd.random()
        if roll < 0.7:
            kind, data = _keep(rnd, rnd.choice(bases).replace("Monday", f"Monday ({i})"))
            expect = "keep"
        elif roll < 0.9:
            (kind, data), expect = _skip(rnd), "skip"
        else:
            kind, expect = "random-bytes", "either"
            data = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 3000)))
        rel = _name(rnd, i)
        path = os.path.join(os.fsencode(out), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        made[rel] = (expect, kind)
    # two files whose ids collide: the first (in sorted order) is kept, the second refused
    for rel, text in ((b"Collide Here.txt", "Monday (c1)"), (b"collide-here.txt", "Monday (c2)")):
        with open(os.path.join(os.fsencode(out), rel), "wb") as fh:
            fh.write(bases[0].replace("Monday", text).encode())
    made[b"Collide Here.txt"] = ("keep", "collision-first")
    made[b"collide-here.txt"] = ("skip", "collision-second")
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1])
    result = generate(target, int(sys.argv[2]) if len(sys.argv) > 2 else 300,
                      int(sys.argv[3]) if len(sys.argv) > 3 else 12)
    print(f"{len(result)} files in {target}")
