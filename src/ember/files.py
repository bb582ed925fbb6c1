"""SparkFiles: where files added with ``sc.addFile`` can be found."""

from __future__ import annotations

import os


class SparkFiles:
    """Resolve files added with ``SparkContext.addFile``.

    Examples
    --------
    >>> SparkFiles.get("data.txt")  # doctest: +SKIP
    '/path/to/data.txt'
    """

    _files: dict[str, str] = {}

    @classmethod
    def _add(cls, path: str) -> None:
        local = os.path.abspath(path[5:] if path.startswith("file:") else path)
        cls._files[os.path.basename(local)] = local

    @classmethod
    def get(cls, filename: str) -> str:
        """The absolute path of an added file."""
        return cls._files.get(filename, os.path.join(cls.getRootDirectory(), filename))

    @classmethod
    def getRootDirectory(cls) -> str:
        """The directory added files are resolved against."""
        return os.getcwd()
