from typing import Any, Mapping, TypedDict

__version__: str

class ViolationDict(TypedDict):
    path: str
    code: str
    message: str

class KycError(Exception):
    code: str
    message: str

class InvalidInputError(KycError):
    violations: list[ViolationDict]

class Scenario:
    @staticmethod
    def from_json(text: str) -> Scenario: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def step_ids(self) -> list[str]: ...
    def to_json(self) -> str: ...

class CallbackReceiver:
    def __init__(self, secret_key: str) -> None: ...
    def verify(self, headers: Mapping[str, str], body: bytes, now: int | None = None) -> dict[str, Any]: ...
