"""The AML evaluation's pairs through nomenklatura's matchers, side by side with kyc's scores.

Reads the JSON Lines `examples/eval_aml.rs --export` writes: per query, the person to screen,
the listed person it was made from (the same person written differently, or the one a different
person's similar name was made from), the truth, and kyc's score of that pair with its threshold
and the time kyc took to screen the query against the whole list. Scores each pair with
nomenklatura's `logic-v1`, `logic-v2` and `name-based` algorithms (the matchers OpenSanctions'
yente uses to score the candidates its search index returns), at yente's default match threshold
of 0.7, and prints for each: recall and false-positive rate on the pairs, the agreement with kyc
(both match / kyc only / nomenklatura only / neither), and the time per pair.

What is compared: a pair score, so nomenklatura's time is the lower bound of what yente spends
per query (yente first searches its index, then scores every candidate it found); kyc's time is
the whole screening of the query against every listed person. The first call of each algorithm
(which loads its data) is left out of the timing.

    python scripts/aml/yente_compare.py target/aml/pairs_seed2.jsonl
"""

import json
import statistics
import sys
import time

from followthemoney import model
from nomenklatura.matching import LogicV1, LogicV2, NameMatcher
from nomenklatura.matching.types import ScoringConfig

YENTE_THRESHOLD = 0.7
ALGORITHMS = (LogicV1, LogicV2, NameMatcher)


def person(eid, names, birth_dates, nationalities):
    e = model.make_entity("Person")
    e.id = eid
    for n in names:
        e.add("name", n)
    for d in birth_dates:
        e.add("birthDate", d)
    for c in nationalities:
        e.add("nationality", c)
    return e


def main(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    pairs = []
    for r in rows:
        q = r["query"]
        query = person(
            f"q{r['id']}",
            q["names"],
            [q["birth_date"]] if q["birth_date"] else [],
            [q["nationality"]] if q["nationality"] else [],
        )
        e = r["entity"]
        listed = person(e["id"], e["names"], e["birth_dates"], e["nationalities"])
        pairs.append((r, query, listed))
    config = ScoringConfig.defaults()
    kyc_times = [r["kyc"]["screen_micros"] for r in rows]
    same = sum(1 for r in rows if r["truth"] == "same")
    other = len(rows) - same
    print(f"{len(rows)} pairs ({same} same person, {other} other person) from {path}")
    kyc_hits = [r["kyc"]["pair_score"] > r["kyc"]["threshold"] for r in rows]
    kyc_recall = sum(h for h, r in zip(kyc_hits, rows) if r["truth"] == "same") / max(same, 1)
    kyc_fpr = sum(h for h, r in zip(kyc_hits, rows) if r["truth"] == "other") / max(other, 1)
    print()
    print("| matcher | threshold | recall (pairs) | false-positive rate (pairs) | time per query or pair, mean | median |")
    print("|---|---|---|---|---|---|")
    print(
        f"| kyc (whole list screened) | {rows[0]['kyc']['threshold']} | {kyc_recall:.2%} | {kyc_fpr:.2%} "
        f"| {statistics.mean(kyc_times):.1f} µs | {statistics.median(kyc_times):.1f} µs |"
    )
    results = {}
    for algo in ALGORITHMS:
        # Warm-up: the first comparison loads the algorithm's data.
        algo.compare(pairs[0][1], pairs[0][2], config)
        scores, times = [], []
        for _, query, listed in pairs:
            t = time.perf_counter()
            res = algo.compare(query, listed, config)
            times.append((time.perf_counter() - t) * 1e6)
            scores.append(res.score)
        hits = [s >= YENTE_THRESHOLD for s in scores]
        recall = sum(h for h, r in zip(hits, rows) if r["truth"] == "same") / max(same, 1)
        fpr = sum(h for h, r in zip(hits, rows) if r["truth"] == "other") / max(other, 1)
        results[algo.NAME] = (hits, times)
        print(
            f"| nomenklatura {algo.NAME} (one pair) | {YENTE_THRESHOLD} | {recall:.2%} | {fpr:.2%} "
            f"| {statistics.mean(times):.1f} µs | {statistics.median(times):.1f} µs |"
        )
    print()
    print("Agreement with kyc on each pair (match = above the matcher's threshold):")
    print()
    print("| matcher | truth | both match | kyc only | nomenklatura only | neither | agreement |")
    print("|---|---|---|---|---|---|---|")
    for name, (hits, _) in results.items():
        for truth in ("same", "other"):
            idx = [i for i, r in enumerate(rows) if r["truth"] == truth]
            both = sum(1 for i in idx if kyc_hits[i] and hits[i])
            kyc_only = sum(1 for i in idx if kyc_hits[i] and not hits[i])
            nk_only = sum(1 for i in idx if hits[i] and not kyc_hits[i])
            neither = len(idx) - both - kyc_only - nk_only
            agree = (both + neither) / max(len(idx), 1)
            print(f"| {name} | {truth} | {both} | {kyc_only} | {nk_only} | {neither} | {agree:.1%} |")
    print()
    print("Speed: kyc's mean time to screen one query against the whole list, over each matcher's mean time for one pair:")
    for name, (_, times) in results.items():
        print(f"- {name}: {statistics.mean(times) / statistics.mean(kyc_times):.1f}x")
    print()
    print("Disagreements by variation (kyc / nomenklatura logic-v1):")
    hits = results[LogicV1.NAME][0]
    by = {}
    for i, r in enumerate(rows):
        if kyc_hits[i] != hits[i]:
            key = (r["truth"], r["variation"], "kyc" if kyc_hits[i] else "nomenklatura")
            by[key] = by.get(key, 0) + 1
    for (truth, variation, who), n in sorted(by.items(), key=lambda kv: -kv[1])[:25]:
        print(f"- {truth} / {variation}: only {who} matches, {n}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: yente_compare.py PAIRS.jsonl")
    main(sys.argv[1])
