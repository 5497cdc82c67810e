# Reference vectors for tests/embed.rs: an independent numpy (float64) implementation of
# BERT (as transformers' BertModel computes it: erf GELU, post-layer-norm), mean pooling and
# L2 normalisation, reading the installed model's files directly.
#
#   python3 -m venv /tmp/ref && /tmp/ref/bin/pip install numpy tokenizers
#   /tmp/ref/bin/python tests/data/embed_reference.py ~/.cache/noted/models/all-minilm-l6-v2 \
#       tests/data/embed_reference.json
import json, math, sys
import numpy as np
from tokenizers import Tokenizer

d = sys.argv[1]
raw = open(f"{d}/model.safetensors", "rb").read()
n = int.from_bytes(raw[:8], "little")
hdr = json.loads(raw[8:8 + n])
base = 8 + n
W = {}
for k, v in hdr.items():
    if k == "__metadata__":
        continue
    a, b = v["data_offsets"]
    dt = {"F32": np.float32, "I64": np.int64}[v["dtype"]]
    W[k] = np.frombuffer(raw[base + a: base + b], dtype=dt).reshape(v["shape"]).astype(np.float64)
cfg = json.load(open(f"{d}/config.json"))
H, NH, L = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"]
eps = cfg["layer_norm_eps"]
erf = np.vectorize(math.erf)

def ln(x, p):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * W[p + ".weight"] + W[p + ".bias"]

def lin(x, p):
    return x @ W[p + ".weight"].T + W[p + ".bias"]

tok = Tokenizer.from_file(f"{d}/tokenizer.json")
tok.no_padding()
tok.enable_truncation(128)

def embed(text):
    ids = tok.encode(text).ids
    T = len(ids)
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:T] + W["embeddings.token_type_embeddings.weight"][0]
    x = ln(x, "embeddings.LayerNorm")
    hd = H // NH
    for i in range(L):
        p = f"encoder.layer.{i}."
        q = lin(x, p + "attention.self.query").reshape(T, NH, hd).transpose(1, 0, 2)
        k = lin(x, p + "attention.self.key").reshape(T, NH, hd).transpose(1, 0, 2)
        v = lin(x, p + "attention.self.value").reshape(T, NH, hd).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        c = (s @ v).transpose(1, 0, 2).reshape(T, H)
        x = ln(lin(c, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        h = lin(x, p + "intermediate.dense")
        h = 0.5 * h * (1 + erf(h / math.sqrt(2)))
        x = ln(lin(h, p + "output.dense") + x, p + "output.LayerNorm")
    m = x.mean(0)
    return m / np.linalg.norm(m), len(ids)

texts = [
    "I don't want to be alive anymore",
    "The client reports sleeping better since starting the evening walks.",
    "",
]
out = []
for t in texts:
    v, nt = embed(t)
    out.append({"text": t, "tokens": nt, "vector": [round(float(f), 7) for f in v]})
json.dump(out, open(sys.argv[2], "w"), indent=1)
for o in out:
    print(o["tokens"], o["vector"][:4])
