#!/usr/bin/env python3
"""Python side of the feature-cache interop test (test/cache/interop.test.ts).

  python3 scripts/cache_interop_pyarrow.py read FILE
      Opens a diffused-redundancy feature cache with pyarrow's IPC *file* reader (and, when
      installed, polars and duckdb's arrow reader), prints one JSON line: schema types, the
      metadata, n, d, and sha256 of the contiguous float32 feature bytes / int32 label and
      index bytes, so the TypeScript side can compare with its own reading.

  python3 scripts/cache_interop_pyarrow.py write FILE N D
      Writes a cache with pyarrow (our schema + metadata, record batches of 7 rows):
      features[i, j] = (i * D + j) / 8 - 3 (exact in float32), label = i % 3, index = 2 i.

Needs numpy and pyarrow (e.g. `pip install pyarrow`).
"""
import hashlib
import json
import sys

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc


def sha(arr):
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()


def read(path):
    reader = ipc.open_file(path)
    table = reader.read_all()
    meta = json.loads(table.schema.metadata[b"diffused_redundancy"])
    feats = table.column("features")
    d = feats.type.list_size
    flat = np.concatenate([c.flatten().to_numpy(zero_copy_only=False) for c in feats.chunks]) if feats.num_chunks else np.zeros(0, np.float32)
    out = {
        "reader": "pyarrow " + pa.__version__,
        "types": [str(f.type) for f in table.schema],
        "names": table.schema.names,
        "num_record_batches": reader.num_record_batches,
        "n": table.num_rows,
        "d": d,
        "meta": meta,
        "features_sha256": sha(flat.astype("<f4")),
        "labels_sha256": sha(table.column("label").to_numpy().astype("<i4")),
        "index_sha256": sha(table.column("index").to_numpy().astype("<i4")),
    }
    try:
        import polars as pl

        df = pl.read_ipc(path, memory_map=False)
        out["polars_rows"] = df.height
        out["polars_label_sum"] = int(df["label"].sum())
    except ImportError:
        pass
    print(json.dumps(out))


def write(path, n, d):
    i = np.arange(n)
    features = ((np.arange(n * d, dtype=np.float64) / 8) - 3).astype("<f4")
    labels = (i % 3).astype("<i4")
    index = (2 * i).astype("<i4")
    meta = {
        "formatVersion": 1, "n": n, "d": d, "modelId": "pyarrow", "weightsHash": "", "layer": "fc",
        "datasetId": "py", "split": "train", "classNames": ["a", "b", "c"], "preprocessing": {},
        "backend": "numpy", "packageVersion": "python", "createdAt": "2024-01-01T00:00:00Z", "extra": {"writer": "pyarrow"},
    }
    item = pa.field("item", pa.float32(), nullable=False)
    schema = pa.schema(
        [pa.field("features", pa.list_(item, d), nullable=False), pa.field("label", pa.int32(), nullable=False), pa.field("index", pa.int32(), nullable=False)],
        metadata={"diffused_redundancy": json.dumps(meta)},
    )
    with ipc.new_file(path, schema) as writer:
        for s in range(0, n, 7):
            e = min(n, s + 7)
            f = pa.FixedSizeListArray.from_arrays(pa.array(features[s * d:e * d], pa.float32()), d)
            writer.write_batch(pa.record_batch([f, pa.array(labels[s:e]), pa.array(index[s:e])], schema=schema))
    print(json.dumps({"written": path, "n": n, "d": d}))


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(sys.argv[2])
    elif sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("usage: cache_interop_pyarrow.py read FILE | write FILE N D")
