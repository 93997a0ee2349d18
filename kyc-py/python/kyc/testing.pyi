from typing import Union

class SeededEntropy:
    """A reproducible stream for tests and golden files only (a fork copies it)."""
    def __init__(self, seed: Union[int, bytes]) -> None: ...
