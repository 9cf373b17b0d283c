"""The front end's one error type: a message located at a Python line."""

from __future__ import annotations


class FrontendError(Exception):
    """Unsupported Python, a type or shape mismatch, or a misuse of the language, at
    `file:line:col` (col is 1-based, as MLIR's)."""

    def __init__(self, message: str, file: str | None = None, line: int = 0, col: int = 0):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.col = col

    def __str__(self) -> str:
        if self.file is None:
            return f"error: {self.message}"
        return f"{self.file}:{self.line}:{self.col}: error: {self.message}"
