#!/usr/bin/env python3
"""Reference vectors for package embed's test, made by an independent implementation.

Tokenisation is Hugging Face's `tokenizers` reading the model's own tokenizer.json;
inference is Python's `onnxruntime` on the same ONNX file; pooling and normalisation
follow model.json. The Go test compares its vectors with these (cosine >= 0.999) and
its token ids with these exactly.

    pip install onnxruntime==1.32.0 tokenizers==0.23.3 numpy
    python3 embed/testdata/reference.py var/model/bge-small-en-v15-q

writes embed/testdata/reference-<name>.json from embed/testdata/texts.json. Each text
is run alone (a batch of one), once with the query prefix and once with the passage
prefix.
"""

import json
import os
import sys

import numpy as np
import onnxruntime
import tokenizers


def main():
    model_dir = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(model_dir, "model.json")) as f:
        cfg = json.load(f)
    with open(os.path.join(here, "texts.json"), encoding="utf-8") as f:
        texts = json.load(f)

    tok = tokenizers.Tokenizer.from_file(os.path.join(model_dir, cfg["tokenizer"]))
    tok.no_padding()
    tok.enable_truncation(max_length=cfg["max_tokens"])

    so = onnxruntime.SessionOptions()
    so.intra_op_num_threads = 1
    sess = onnxruntime.InferenceSession(os.path.join(model_dir, cfg["onnx"]), so,
                                        providers=["CPUExecutionProvider"])
    input_names = {i.name for i in sess.get_inputs()}

    def embed(text):
        enc = tok.encode(text)
        ids = np.array([enc.ids], dtype=np.int64)
        mask = np.array([enc.attention_mask], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in input_names:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = sess.run(None, feed)[0][0].astype(np.float64)  # tokens x dim
        if cfg["pooling"] == "cls":
            v = hidden[0]
        else:
            m = mask[0].astype(np.float64)[:, None]
            v = (hidden * m).sum(axis=0) / m.sum()
        if cfg["normalize"]:
            v = v / np.linalg.norm(v)
        return enc.ids, [round(float(x), 5) for x in v]

    out = {"model": cfg["name"], "onnxruntime": onnxruntime.__version__,
           "tokenizers": tokenizers.__version__, "texts": []}
    for t in texts:
        ids, _ = embed(t)
        _, q = embed(cfg["query_prefix"] + t)
        _, p = embed(cfg["passage_prefix"] + t)
        out["texts"].append({"text": t, "ids": ids, "query": q, "passage": p})

    path = os.path.join(here, "reference-%s.json" % cfg["name"])
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
