"""The one error type plangraf raises for bad input: it names the place and the problem."""

from __future__ import annotations


class PlangrafError(Exception):
    """Bad input or a failed step, reported as one line: ``file:line: field: message``."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = ""
        if self.file:
            where = str(self.file)
            if self.line:
                where += f":{self.line}"
            where += ": "
        if self.field:
            where += f"{self.field}: "
        return (where + self.message).replace("\n", " ")
