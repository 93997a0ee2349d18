"""numpy flat scan over the vectors examples/gallery_scan.rs wrote: `matrix @ query`, then
argpartition for the top 10. Prints one JSON object with the median time and the bandwidth.

    bench_numpy.py <vectors.f32> <n> <dim> <reps>
"""
import json
import statistics
import sys
import time

import numpy as np

path, n, dim, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
raw = np.fromfile(path, dtype="<f4")
matrix = raw[: n * dim].reshape(n, dim)
query = raw[n * dim : n * dim + dim].copy()
query /= np.linalg.norm(query)
k = 10


def search():
    scores = matrix @ query
    top = np.argpartition(-scores, k)[:k]
    return top[np.argsort(-scores[top], kind="stable")], scores


search()
times = []
for _ in range(reps):
    t = time.perf_counter()
    top, scores = search()
    times.append((time.perf_counter() - t) * 1e3)
ms = statistics.median(times)
try:
    from threadpoolctl import threadpool_info

    blas = [(i.get("internal_api"), i.get("num_threads"), i.get("architecture")) for i in threadpool_info()]
except ImportError:
    blas = None
print(
    json.dumps(
        {
            "impl": "numpy",
            "numpy": np.__version__,
            "blas": blas,
            "fp32_ms": ms,
            "fp32_gbs": n * dim * 4 / (ms * 1e-3) / 1e9,
            "top_fp32": [f"p{top[0]}", float(scores[top[0]])],
        }
    )
)
