"""Time the PyPI `mrz` package's checkers over the records in argv[1] (JSON Lines), argv[2] rounds."""
import json
import sys
import time

from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td3 import TD3CodeChecker

records = ["\n".join(json.loads(l)["lines"]) for l in open(sys.argv[1]) if l.strip()]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
valid = 0
t0 = time.perf_counter()
for _ in range(rounds):
    for text in records:
        checker = TD3CodeChecker(text) if len(text) == 89 else TD1CodeChecker(text)
        valid += bool(checker)
secs = time.perf_counter() - t0
n = len(records) * rounds
print(json.dumps({"impl": "PyPI mrz", "records": n, "valid": valid, "seconds": secs, "per_second": n / secs}))
