"""Threads and the GIL: no Rust lock is waited for with the GIL held, and the GIL is never taken
with a Rust lock held. Before this was so, `FaceList.search` re-took the GIL holding the list's
lock (a thread calling `add` or `len` meanwhile held the GIL and waited for the lock: the process
hung), and a session's accessors waited for a running capture with the GIL held (with an event
listener, whose call needs the GIL while the capture holds the session's lock, that hung too).

A GIL deadlock cannot be caught from inside the process: the thread that would notice it needs the
GIL too. So each scenario runs in a child Python with a timeout; the child's own threads are joined
with a timeout and it says whether they finished."""

import subprocess
import sys
import textwrap
import threading
import time

import pytest

import kyc
from kyc.testing import SeededEntropy
from conftest import FIXTURES, NOW, ROOT

# Long enough for the deadlock to show without the fix (it did within the first second), short for CI.
RUN_SECONDS = 3.0
# The child's budget: its threads are joined after RUN_SECONDS plus this, the child killed after
# twice as much.
GRACE_SECONDS = 30.0


def run_child(body: str) -> str:
    """Runs `body` in a child Python that imports kyc; returns its stdout. A hang fails the test."""
    script = textwrap.dedent(
        f"""
        import sys, threading, time
        sys.path.insert(0, {str(ROOT / "kyc-py" / "tests")!r})
        import kyc
        from kyc.testing import SeededEntropy
        RUN_SECONDS = {RUN_SECONDS!r}
        GRACE_SECONDS = {GRACE_SECONDS!r}

        def run_threads(*targets):
            threads = [threading.Thread(target=t, daemon=True) for t in targets]
            for t in threads:
                t.start()
            for t in threads:
                t.join(RUN_SECONDS + GRACE_SECONDS)
            alive = [t for t in threads if t.is_alive()]
            print("finished" if not alive else f"hung: {{len(alive)}} threads")
            sys.stdout.flush()
        """
    ) + textwrap.dedent(body)
    try:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=RUN_SECONDS + 2 * GRACE_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("deadlock: the child process hung and was killed")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_face_list_search_while_other_threads_add_and_count():
    out = run_child(
        """
        DIM, PEOPLE = 128, 20_000
        people = kyc.FaceList("m", DIM)
        for i in range(PEOPLE):
            people.add(f"p{i}", kyc.FaceTemplate("m", [((i * 31 + j * 17) % 101) / 101.0 - 0.5 for j in range(DIM)]))
        probe = kyc.FaceTemplate("m", [((j * 7) % 13) / 13.0 - 0.5 for j in range(DIM)])
        counts = {"search": 0, "add": 0, "len": 0}
        stop = time.monotonic() + RUN_SECONDS

        def searcher():
            while time.monotonic() < stop:
                assert len(people.search(probe, k=50)) == 50
                people.search(probe, k=3, int8=True)
                counts["search"] += 1

        def adder():
            i = 0
            while time.monotonic() < stop:
                people.add(f"new{i % 50}", probe)
                i += 1
                counts["add"] += 1

        def counter():
            while time.monotonic() < stop:
                assert len(people) >= PEOPLE
                repr(people)
                counts["len"] += 1

        run_threads(searcher, searcher, adder, counter)
        print(counts)
        """
    )
    assert out.startswith("finished"), out
    counts = eval(out.splitlines()[1])
    assert all(n > 0 for n in counts.values()), counts


@pytest.mark.parametrize("listener_reads", [False, True], ids=["listener", "listener_reads_session"])
def test_session_accessors_and_listener_while_captures_run(listener_reads):
    """Readers of a session while another thread captures into it, with an event listener (whose
    call needs the GIL); and with a listener that itself reads the session it hears about."""
    passport = FIXTURES / "documents" / "0002_passport_genuine_photo.jpg"
    scenario = FIXTURES / "scenarios" / "passport_selfie.json"
    out = run_child(
        f"""
        import pathlib
        scenario = kyc.Scenario.from_json(pathlib.Path({str(scenario)!r}).read_text())
        passport = pathlib.Path({str(passport)!r}).read_bytes()
        heard = []
        current = []

        def on_event(event):
            # Reading the session it hears about works only if it runs with no lock held.
            heard.append((event["seq"], current[-1].status if {listener_reads!r} else None))

        engine = kyc.Engine(models=False, now="2026-11-28T09:00:00Z", test_entropy=SeededEntropy(3), on_event=on_event)
        current.append(engine.create_session(scenario))
        counts = {{"captures": 0, "reads": 0}}
        stop = time.monotonic() + RUN_SECONDS

        def capturer():
            while time.monotonic() < stop:
                session = engine.create_session(scenario)
                current.append(session)
                while session.accepts_captures and time.monotonic() < stop:
                    session.submit_document(passport)
                    counts["captures"] += 1

        def reader():
            while time.monotonic() < stop:
                session = current[-1]
                session.status, session.current_step, session.id, session.accepts_captures
                session.result_json()
                session.to_json()
                counts["reads"] += 1

        run_threads(capturer, reader, reader)
        print(counts)
        print(len(heard))
        """
    )
    assert out.startswith("finished"), out
    lines = out.splitlines()
    counts = eval(lines[1])
    assert counts["captures"] > 0 and counts["reads"] > 0, counts
    assert int(lines[2]) > 0, "the listener heard the events"


def test_events_reach_the_listener_in_order_on_the_calling_thread(scenario):
    """Events are held while the session's lock is held and handed over before the call returns:
    same order, same thread, and nothing lost."""
    seen = []
    engine = kyc.Engine(
        models=False,
        now=NOW,
        test_entropy=SeededEntropy(4),
        on_event=lambda e: seen.append((threading.get_ident(), e)),
    )
    session = engine.create_session(scenario)
    assert len(seen) == 1 and seen[0][1]["kind"]["type"] == "created"
    report = session.submit_document(FIXTURES / "documents" / "0002_passport_genuine_photo.jpg")
    events = [e for _, e in seen]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert len(events) > 1 and events[-1]["kind"]["type"] in {"capture_recorded", "step_completed", "status_changed"}
    assert {ident for ident, _ in seen} == {threading.get_ident()}
    assert session.status == report["status"]


def test_an_accessor_waits_for_a_running_capture_without_holding_the_gil(engine, scenario):
    """While a capture with the models runs on one thread, a second thread reading the session
    waits for it with the GIL released: a third, pure-Python thread keeps running meanwhile."""
    document = (FIXTURES / "documents" / "0002_passport_genuine_photo.jpg").read_bytes()
    for _ in range(5):
        session = engine.create_session(scenario)
        capture = threading.Thread(target=session.submit_document, args=(document,))
        ticks = [0]
        stop = threading.Event()

        def ticker():
            while not stop.is_set():
                ticks[0] += 1
                time.sleep(0.001)

        tick = threading.Thread(target=ticker)
        tick.start()
        capture.start()
        time.sleep(0.05)  # the capture has the session
        before, started = ticks[0], time.perf_counter()
        status = session.status  # waits for the capture to finish
        waited, ticked = time.perf_counter() - started, ticks[0] - before
        capture.join()
        stop.set()
        tick.join()
        if waited < 0.2:
            continue  # the capture was already over: try again
        assert status != "created"
        assert ticked >= 10, f"the ticker ran {ticked} times in {waited:.2f} s of waiting"
        return
    pytest.skip("the capture never outlasted the wait (too fast a machine to see the wait)")
