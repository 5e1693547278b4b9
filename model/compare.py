"""Compares sentence encoders on the judged queries: MRR@10 of the encoder alone
(exact cosine over every document), per kind, for several texts per document (the
question alone, or with the first N bytes of its answer's prose). From the
repository's root:

    pip install onnxruntime tokenizers numpy pyyaml
    make model MODEL=e5-small-v2-q            # and the default
    go run ./model/dumppassages data > /tmp/data.json
    qdex import --framework javascript --topic async --out /tmp/held ../shared/corpora/javascript-questions/README.md
    go run ./model/dumppassages /tmp/held > /tmp/held.json
    python3 model/compare.py var/model/all-minilm-l6-v2-q q,q+300,q+600 /tmp/data.json /tmp/held.json
"""
import json, sys, time, glob, yaml, numpy as np, onnxruntime as ort
from tokenizers import Tokenizer
class Enc:
    """A model directory as `make model` lays it out (model.json, model.onnx, tokenizer.json)."""
    def __init__(s, model_dir, threads=2):
        cfg = json.load(open(model_dir + '/model.json'))
        s.pool, s.qp, s.pp = cfg['pooling'], cfg['query_prefix'], cfg['passage_prefix']
        s.tok = Tokenizer.from_file(model_dir + '/' + cfg['tokenizer'])
        s.tok.enable_truncation(cfg['max_tokens']); s.tok.enable_padding()
        o = ort.SessionOptions(); o.intra_op_num_threads = threads; o.inter_op_num_threads = 1
        s.sess = ort.InferenceSession(model_dir + '/' + cfg['onnx'], o)
        s.inputs = [i.name for i in s.sess.get_inputs()]
    def emb(s, texts):
        enc = s.tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64); mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {'input_ids': ids, 'attention_mask': mask}
        if 'token_type_ids' in s.inputs: feed['token_type_ids'] = np.zeros_like(ids)
        h = s.sess.run(None, feed)[0]
        if s.pool == 'cls': v = h[:, 0]
        else: v = (h * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return v / np.linalg.norm(v, axis=1, keepdims=True)
def load_q(globs):
    out = []
    for g in globs:
        for f in sorted(glob.glob(g)):
            for j in yaml.safe_load(open(f)): out.append(j)
    return out
def mrr(enc, docs, queries, variant):
    ids = [d['ID'] for d in docs]
    def text(d):
        a = d['A']
        if variant == 'q': return d['Q']
        n = {'q+300': 300, 'q+600': 600, 'q+1200': 1200}[variant]
        return d['Q'] + '\n' + a[:n]
    D = []
    for i in range(0, len(docs), 32): D.append(enc.emb([enc.pp + text(d) for d in docs[i:i+32]]))
    D = np.vstack(D)
    res = {}
    for j in queries:
        qv = enc.emb([enc.qp + j['query']])[0]
        order = np.argsort(-(D @ qv))[:10]
        rr = 0
        for r, k in enumerate(order):
            if ids[k] in j['relevant']: rr = 1/(r+1); break
        res.setdefault(j['kind'], []).append(rr)
    return {k: round(float(np.mean(v)), 3) for k, v in res.items()}
if __name__ == '__main__':
    model_dir, variants, data_json, held_json = sys.argv[1:5]
    enc = Enc(model_dir)
    data = json.load(open(data_json)); held = json.load(open(held_json))
    for variant in variants.split(','):
        t = time.time()
        a = mrr(enc, data, load_q(['eval/testdata/judged/*.yml']), variant)
        b = mrr(enc, data, load_q(['eval/testdata/readers/*.yml']), variant)
        c = mrr(enc, held, load_q(['eval/testdata/heldout-readers/*.yml', 'eval/testdata/heldout/*.yml']), variant)
        print(model_dir, variant, 'judged', a, 'readers', b, 'heldout', c, '%.1fs' % (time.time()-t), flush=True)
