from typing import TypedDict

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
