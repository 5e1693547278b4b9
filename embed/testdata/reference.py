"""Reference vectors for embed's test, computed by an independent implementation:
Hugging Face `tokenizers` and Python's `onnxruntime` (from PyPI) on the same model
files. Run from the repository root after `make model`:

    pip install onnxruntime tokenizers numpy
    python3 embed/testdata/reference.py var/model/all-minilm-l6-v2-q > embed/testdata/reference.json
"""
import json, sys
import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

TEXTS = [
    "What is the GIL in CPython?",
    "how do I cancel a fetch that takes too long",
    "asyncio.gather vs asyncio.wait",
    "git push --force-with-lease origin main",
    "useEffect(() => { return () => clearInterval(id) }, [])",
    "SELECT id, COUNT(*) FROM orders GROUP BY id HAVING COUNT(*) > 1;",
    "fn main() { let v: Vec<i32> = vec![1, 2, 3]; println!(\"{:?}\", v); }",
    "Café, naïve, résumé: accents are stripped?",
    "Ünïcödé ßtraße and ŒUVRE",
    "多线程 和 异步 编程",
    "emoji 🚀 in a query 🐍",
    "a",
    "?!.,;:",
    "   leading and trailing spaces   ",
    "HashMap<String, Vec<u8>> in Rust",
    "kubectl get pods -n kube-system -o wide",
    "TypeScript's `unknown` vs `any` type",
    "Tab\tseparated\nand new lines\r\nin text",
    "x" * 40,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    " ".join(["The event loop runs callbacks when the call stack is empty."] * 60),
    "java.util.concurrent.CompletableFuture.supplyAsync(() -> 42)",
]

def main(model_dir):
    cfg = json.load(open(f"{model_dir}/model.json"))
    tok = Tokenizer.from_file(f"{model_dir}/{cfg['tokenizer']}")
    tok.enable_truncation(cfg["max_tokens"])
    tok.no_padding()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(f"{model_dir}/{cfg['onnx']}", opts)
    names = [i.name for i in sess.get_inputs()]
    out = []
    for text in TEXTS:
        enc = tok.encode(cfg["passage_prefix"] + text)
        ids = np.array([enc.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in names:
            feed["token_type_ids"] = np.zeros_like(ids)
        h = sess.run(["last_hidden_state"], feed)[0][0]
        v = h[0] if cfg["pooling"] == "cls" else h.mean(axis=0)
        v = v / np.linalg.norm(v)
        out.append({"text": text, "ids": enc.ids, "vector": [round(float(x), 6) for x in v]})
    json.dump({"model": cfg["name"], "texts": out}, sys.stdout)

if __name__ == "__main__":
    main(sys.argv[1])
