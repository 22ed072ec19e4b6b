"""References for `./build.sh bench embed`, each printed as one line of JSON.

    python embed-reference.py blas REPORT.json SHARE [PART PARTS START]
        float32 matrix products of the model's own shapes through numpy's BLAS: for a SHARE of
        the batches the encoder ran (paper-search-semantic embed --report), every product of
        its six layers (x.Wqkv, x.Wo, x.W1, h.W2 on the batch's rows; per text and head q.kT and
        p.v), timed; GFLOP/s over them all, and over the dense ones alone. With PART and PARTS,
        only every PARTS-th of those batches from the PART-th, timed from START (seconds since
        the epoch), for processes run side by side.

    python embed-reference.py st MODEL_DIR CORPUS N
        sentence-transformers' `encode` of the first N papers of CORPUS (BEIR corpus.jsonl:
        title, a space, text) on the CPU, batch size 32; papers a second, and the tokens it read
        (cut at the model's 256) for the FLOPs.

Counting FLOPs as the encoder does: 2 per multiply-add of the products, nothing for the steps
between them.
"""

import json
import sys
import time

HIDDEN, INNER, HEADS, LAYERS = 384, 1536, 12, 6


def blas(report_path, share, part=0, parts=1, start=None):
    import numpy as np

    report = json.load(open(report_path))
    batches = report["batches"]
    step = max(1, round(1 / share))
    chosen = batches[::step][part::parts]
    rng = np.random.default_rng(1)
    weights = {
        "qkv": rng.standard_normal((HIDDEN, 3 * HIDDEN), dtype=np.float32),
        "out": rng.standard_normal((HIDDEN, HIDDEN), dtype=np.float32),
        "up": rng.standard_normal((HIDDEN, INNER), dtype=np.float32),
        "down": rng.standard_normal((INNER, HIDDEN), dtype=np.float32),
    }
    width = HIDDEN // HEADS
    # Every input made before the clock starts: the rows of the largest batch (a batch takes
    # its first rows, contiguous), and per text length each head's queries, keys (transposed)
    # and weights, every stack contiguous, as BLAS wants them.
    most = max(sum(tokens) for tokens in chosen)
    x = rng.standard_normal((most, HIDDEN), dtype=np.float32)
    h = rng.standard_normal((most, INNER), dtype=np.float32)
    heads = {}
    for n in sorted({n for tokens in chosen for n in tokens}):
        heads[n] = (
            rng.standard_normal((HEADS, n, width), dtype=np.float32),
            rng.standard_normal((HEADS, width, n), dtype=np.float32),
            rng.standard_normal((HEADS, n, n), dtype=np.float32),
        )
    # One product first, so that OpenBLAS's threads are up; then, for processes run side by
    # side, the same start for all.
    x[:256] @ weights["up"]
    if start is not None:
        time.sleep(max(0.0, start - time.time()))
    began = time.time()
    dense_seconds = attention_seconds = dense_flops = attention_flops = 0.0
    for tokens in chosen:
        rows = sum(tokens)
        xs, hs = x[:rows], h[:rows]
        for _ in range(LAYERS):
            t = time.perf_counter()
            xs @ weights["qkv"]
            xs @ weights["out"]
            xs @ weights["up"]
            hs @ weights["down"]
            dense_seconds += time.perf_counter() - t
            dense_flops += 2.0 * rows * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * INNER)
            t = time.perf_counter()
            for n in tokens:
                q, k, p = heads[n]
                q @ k
                p @ q
            attention_seconds += time.perf_counter() - t
            attention_flops += sum(4.0 * n * n * HIDDEN for n in tokens)
    ended = time.time()
    config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    print(json.dumps({
        "batches": len(chosen),
        "of": len(batches),
        "flops": dense_flops + attention_flops,
        "dense_flops": dense_flops,
        "gflops": (dense_flops + attention_flops) / (dense_seconds + attention_seconds) / 1e9,
        "dense_gflops": dense_flops / dense_seconds / 1e9,
        "attention_gflops": attention_flops / attention_seconds / 1e9,
        "seconds": dense_seconds + attention_seconds,
        "dense_seconds": dense_seconds,
        "began": began,
        "ended": ended,
        "blas": f"{config.get('name')} {config.get('version')}",
        "numpy": np.__version__,
    }))


def sentence_transformers(model_dir, corpus, n):
    import torch
    from sentence_transformers import SentenceTransformer

    texts = []
    with open(corpus) as f:
        for line in f:
            paper = json.loads(line)
            texts.append(f"{paper['title']} {paper['text']}")
            if len(texts) == n:
                break
    model = SentenceTransformer(model_dir, device="cpu")
    model.encode(texts[:32], batch_size=32)  # warm-up
    started = time.perf_counter()
    model.encode(texts, batch_size=32)
    seconds = time.perf_counter() - started
    limit = model.max_seq_length
    tokens = [min(len(ids), limit) for ids in model.tokenizer(texts, add_special_tokens=True)["input_ids"]]
    flops = LAYERS * sum(2.0 * n * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * INNER) + 4.0 * n * n * HIDDEN for n in tokens)
    import sentence_transformers as st

    print(json.dumps({
        "papers": len(texts),
        "seconds": seconds,
        "tokens": sum(tokens),
        "flops": flops,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "sentence_transformers": st.__version__,
    }))


if __name__ == "__main__":
    if sys.argv[1:2] == ["blas"]:
        part = [int(a) for a in sys.argv[4:6]]
        blas(sys.argv[2], float(sys.argv[3]), *part, *[float(a) for a in sys.argv[6:7]])
    elif sys.argv[1:2] == ["st"]:
        sentence_transformers(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
