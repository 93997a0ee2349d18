"""Engines and link issuers built before os.fork() (a pre-forking server, a multiprocessing pool)
give every child its own session ids and link tokens: the default entropy is the OS's, read afresh
on every draw. A test stream (kyc.testing.SeededEntropy) is copied into each child and repeats."""

import os

import pytest

import kyc
from kyc.testing import SeededEntropy
from conftest import NOW

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")


def _children_draws(scenario, test_entropy=None, children=4):
    engine = kyc.Engine(models=False, now=NOW, test_entropy=test_entropy)
    links = kyc.Links(scenario, test_entropy=test_entropy)
    engine.create_session(scenario)  # the parent drew before forking, as a warm server has
    lines = []
    for _ in range(children):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read)
                session = engine.create_session(scenario)
                token = links.issue(1, now=NOW)[0]["token"]
                os.write(write, f"{session.id} {token}".encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            lines.append(pipe.read().decode())
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return lines


def test_forked_children_draw_different_session_ids_and_link_tokens(scenario):
    lines = _children_draws(scenario)
    ids = [line.split(" ")[0] for line in lines]
    tokens = [line.split(" ")[1] for line in lines]
    assert all(len(i) == 32 for i in ids), ids
    assert len(set(ids)) == len(ids), ids
    assert len(set(tokens)) == len(tokens)


def test_a_seeded_test_stream_repeats_in_every_child(scenario):
    lines = _children_draws(scenario, test_entropy=SeededEntropy(3))
    assert len(set(lines)) == 1


def test_engines_take_no_plain_integer_seed():
    with pytest.raises(TypeError):
        kyc.Engine(models=False, seed=42)
    with pytest.raises(TypeError):
        kyc.Engine(models=False, test_entropy=42)
