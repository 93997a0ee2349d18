"""Test helpers. Nothing here belongs in a host's production code.

``SeededEntropy(seed)`` (an int of 0..2**64 or 32 bytes) makes session ids, link tokens and callback
nonces reproducible, for tests and golden files: ``kyc.Engine(test_entropy=SeededEntropy(42))``,
``kyc.Links(scenario, test_entropy=SeededEntropy(1))``. Its stream lives in process memory, so every
process forked after it was made draws the same bytes. Engines and links given none read the
operating system's randomness afresh on every draw.
"""

from kyc._kyc import SeededEntropy

__all__ = ["SeededEntropy"]
