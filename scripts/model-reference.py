"""Reference vectors for the sentence model, computed without paper-search's code.

Reads the model as released (tokenizer.json through Hugging Face's `tokenizers`, the f32
weights through `safetensors`), runs BERT's layers in numpy (float64), mean-pools and
normalizes: what sentence-transformers does for all-MiniLM-L6-v2. Writes the token ids and
vectors of a few sentences as JSON; tests/semantic.rs checks the Rust encoder (int8 weights)
against them.

    pip install numpy safetensors tokenizers
    python3 scripts/model-reference.py MODEL_DIR > tests/semantic/reference.json
"""

import json
import math
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

SENTENCES = [
    "Attention is all you need",
    "reinforcement learning from human feedback",
    "Webb telescope cosmology",
    "Café naïve résumé: ÜBER-fast (GPU) inference, 3.5x speed-up!",
    "guitar distortion pedals",
]


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


erf = np.vectorize(math.erf)


def encode(weights, config, ids):
    def w(name):
        return weights[name].astype(np.float64)

    n = len(ids)
    x = w("embeddings.word_embeddings.weight")[ids]
    x = x + w("embeddings.position_embeddings.weight")[:n] + w("embeddings.token_type_embeddings.weight")[0]
    eps = config["layer_norm_eps"]
    x = layer_norm(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"), eps)
    heads = config["num_attention_heads"]
    width = config["hidden_size"] // heads
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."

        def dense(h, name):
            return h @ w(p + name + ".weight").T + w(p + name + ".bias")

        q, k, v = (dense(x, f"attention.self.{m}").reshape(n, heads, width).transpose(1, 0, 2) for m in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(width)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(n, heads * width)
        x = layer_norm(x + dense(context, "attention.output.dense"), w(p + "attention.output.LayerNorm.weight"), w(p + "attention.output.LayerNorm.bias"), eps)
        inner = dense(x, "intermediate.dense")
        inner = 0.5 * inner * (1 + erf(inner / math.sqrt(2)))
        x = layer_norm(x + dense(inner, "output.dense"), w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"), eps)
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def main():
    folder = sys.argv[1]
    config = json.load(open(f"{folder}/config.json"))
    tokenizer = Tokenizer.from_file(f"{folder}/tokenizer.json")
    tokenizer.no_padding()
    weights = load_file(f"{folder}/model.safetensors")
    out = []
    for text in SENTENCES:
        ids = tokenizer.encode(text).ids
        vector = encode(weights, config, ids)
        out.append({"text": text, "ids": ids, "vector": [round(float(x), 6) for x in vector]})
    json.dump({"model": config.get("_name_or_path"), "sentences": out}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
