"""Generate a benchmark corpus of news-like articles from real sentences with actors swapped in.

Sentences come from the seed articles, DiploKG's wire gold and the PETRARCH2 dev set; each article
is 10 to 20 of them, with country names and demonyms replaced by others drawn from the gazetteer,
so the corpus has the shape of real wire copy (real syntax, real event verbs, ~100 countries) without
repeating one article. Deterministic for a given seed.

    python benchmarks/corpus.py OUT_DIR --articles 1000 [--seed 7]
"""
from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sentences() -> list[str]:
    out: list[str] = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for para in re.split(r"\n\s*\n", text):
            para = para.strip()
            if para and not para.upper().startswith(("READ MORE", "SOURCE:", "WITH AFP")):
                out += [s.strip() for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", para) if len(s.split()) > 5]
    for gold in (ROOT / "tests" / "gold" / "wire_sentences.jsonl", ROOT.parent / "shared" / "data" / "dev" / "petrarch2_gsr_plover.jsonl"):
        if gold.exists():
            out += [json.loads(line)["text"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def countries() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in (ROOT / "kg" / "data" / "countries.jsonl").read_text(encoding="utf-8").splitlines()]
    return [(r["name"], r["demonyms"][0]) for r in rows if r["demonyms"] and r["un_status"] == "member"]


def generate(out_dir: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    pool = sentences()
    names = countries()
    swap_from = [(name, dem) for name, dem in names if any(name in s or dem in s for s in pool)]
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        mapping = {}
        for name, dem in rng.sample(swap_from, k=min(4, len(swap_from))):
            new_name, new_dem = rng.choice(names)
            mapping[name], mapping[dem] = new_name, new_dem
        body = []
        for s in rng.sample(pool, k=rng.randint(10, 20)):
            for old, new in mapping.items():
                s = re.sub(rf"\b{re.escape(old)}\b", new, s)
            body.append(s)
        paras = ["\n".join(body[j:j + 2]) for j in range(0, len(body), 2)]
        path = out_dir / f"article_{i:06d}.txt"
        path.write_text("\n\n".join(paras) + "\n\nSource: DiploKG benchmark corpus\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    paths = generate(args.out, args.articles, args.seed)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"{args.out}: {len(paths)} articles, {words:,} words")


if __name__ == "__main__":
    main()
