//! Randomness across `fork()`: a host that builds an engine and a link issuer, then forks workers (a
//! pre-forking web server, a multiprocessing pool), must get different session ids and link tokens
//! in every worker. `OsEntropy` reads the OS afresh on every draw; the seeded test stream, copied
//! into each child with the rest of the process, repeats itself (shown here, so the test proves the
//! difference).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use jiff::SignedDuration;
use kyc_core::link::{self, InMemoryLinkStore};
use kyc_core::session::Origin;
use kyc_core::{Engine, Entropy, FixedClock, OsEntropy, SeededEntropy};

/// Runs `draw` in `n` children forked one after another from this process, each writing its line
/// to a pipe; returns the lines. The child does nothing else and leaves with `_exit`.
fn in_forked_children(n: usize, draw: &dyn Fn() -> String) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        let mut fds = [0i32; 2];
        // SAFETY: `fds` is two writable ints, as pipe(2) needs.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: the child only draws, writes to its pipe and calls `_exit`.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let line = draw();
            // SAFETY: fds[1] is the pipe's open write end; the buffer outlives the call.
            unsafe {
                libc::close(fds[0]);
                libc::write(fds[1], line.as_ptr().cast(), line.len());
                libc::close(fds[1]);
                libc::_exit(0);
            }
        }
        // SAFETY: fds are this process's pipe ends; `buf` is writable for its length.
        unsafe {
            libc::close(fds[1]);
            let mut line = Vec::new();
            let mut buf = [0u8; 512];
            loop {
                let got = libc::read(fds[0], buf.as_mut_ptr().cast(), buf.len());
                if got <= 0 {
                    break;
                }
                line.extend_from_slice(&buf[..got as usize]);
            }
            libc::close(fds[0]);
            let mut status = 0;
            libc::waitpid(pid, &mut status, 0);
            assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
            out.push(String::from_utf8(line).unwrap());
        }
    }
    out
}

/// Each child's session id and link token, from an engine and a link store built before the forks.
fn children_draws(entropy: Arc<dyn Entropy>) -> Vec<String> {
    let s = scenario("passport_selfie");
    let engine = Engine::builder(Arc::new(FixedClock(t0())), entropy.clone()).build();
    let store = InMemoryLinkStore::new();
    // The parent draws once first, as a server that handled a request before forking would.
    let _ = engine.create_session(&s, Origin::Api);
    in_forked_children(4, &|| {
        let session = engine.create_session(&s, Origin::Api);
        let issued = link::issue(
            &store,
            &s,
            1,
            SignedDuration::from_hours(1),
            t0(),
            entropy.as_ref(),
        )
        .unwrap();
        format!("{} {}", session.id, issued[0].token.expose())
    })
}

fn distinct(lines: &[String]) -> usize {
    let mut seen: Vec<&String> = lines.iter().collect();
    seen.sort();
    seen.dedup();
    seen.len()
}

#[test]
fn forked_children_of_an_os_entropy_host_draw_different_ids_and_tokens() {
    let lines = children_draws(Arc::new(OsEntropy::new().unwrap()));
    assert_eq!(lines.len(), 4);
    for line in &lines {
        let (id, token) = line.split_once(' ').unwrap();
        assert_eq!(id.len(), 32, "{line}");
        assert!(!token.is_empty(), "{line}");
    }
    let ids: Vec<String> = lines.iter().map(|l| l[..32].to_owned()).collect();
    let tokens: Vec<String> = lines.iter().map(|l| l[33..].to_owned()).collect();
    assert_eq!(
        distinct(&ids),
        4,
        "session ids collide across forks: {ids:?}"
    );
    assert_eq!(distinct(&tokens), 4, "link tokens collide across forks");
}

#[test]
fn forked_children_of_a_seeded_host_repeat_each_other() {
    // Why the seeded stream is for tests only: every child continues the same copied stream.
    let lines = children_draws(Arc::new(SeededEntropy::from_u64(3)));
    assert_eq!(distinct(&lines), 1, "{lines:?}");
}
