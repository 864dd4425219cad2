"""Index versions on an object store (``index_url``): every request to it happens here.

The layout is the local folder's (``analysis.index.layout``): ``versions/NNNNNN/`` and a
``CURRENT`` object. A version's files are uploaded, its manifest last, and their sizes checked
as the store reports them before ``CURRENT`` is written to name it, in one PUT (atomic on S3):
a reader never sees a version that is not whole. Downloads go to a staging folder, each file
checked against the manifest's size and sha256 (a bad one is fetched once more), and only then
renamed into place. Any fsspec URL works; S3 through s3fs is the one tested. Credentials come
from the storage options, or when none are given from the environment (the standard AWS
variables, read by botocore); they never appear in a message.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from analysis.errors import (
    ConfigError,
    DocAnalysisError,
    IndexStateError,
    IndexStorageError,
    IndexStorageRefusedError,
    first_line,
)
from analysis.index.layout import (
    CURRENT_FILE,
    MANIFEST_FILE,
    VERSIONS_DIR,
    FileEntries,
    entry_problem,
    parse_pointer,
    pointer_text,
    safe_relative,
    version_name,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

# botocore's exceptions when it finds no usable credentials: a setting to fix, not an outage
_NO_CREDENTIALS = frozenset({"NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError"})
_SECRET_OPTIONS = ("secret", "token", "password")
_SECRET_VARIABLES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


@dataclass
class RemoteIndex:
    """The index versions under one object store URL."""

    url: str
    fs: Any  # an fsspec filesystem
    root: str  # the URL's path as the filesystem names it
    secrets: tuple[str, ...] = field(default=(), repr=False)  # never shown in a message

    @classmethod
    def open(cls, url: str, storage_options: Mapping[str, Any] | None = None) -> RemoteIndex:
        """The filesystem for ``url``; ``storage_options`` (credentials among them) go to fsspec as they are."""
        import fsspec

        options = dict(storage_options or {})
        secrets = tuple(_secret_values(options))
        try:
            fs, root = fsspec.core.url_to_fs(url, **options)
        except ImportError as exc:
            raise ConfigError(f"index_url {url} needs a filesystem that is not installed ({exc.name})") from None
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"index_url {url} cannot be opened: {_scrub(first_line(exc), secrets)}") from None
        return cls(url, fs, str(root).rstrip("/"), secrets)

    # the pointer ------------------------------------------------------------------
    def current(self) -> tuple[int, str | None]:
        """The published version and its publish id; (0, None) before anything is published."""
        # one GET: s3fs would first ask for the size (a HEAD) to split a large object between requests
        single = {"max_concurrency": 1} if getattr(self.fs, "max_concurrency", None) else {}
        raw = self._call("read CURRENT", self.fs.cat_file, self._path(CURRENT_FILE), missing_ok=True, **single)
        if raw is None:
            return 0, None
        try:
            return parse_pointer(raw.decode("utf-8", errors="replace"))
        except ValueError:
            raise IndexStateError(
                f"the index pointer {self.url}/{CURRENT_FILE} is corrupt; run `docanalysis index rebuild`"
            ) from None

    def point_to(self, version: int, publish_id: str) -> None:
        """Publish ``version``: one PUT of ``CURRENT``, after the version is whole."""
        self._call(
            f"publish index version {version}",
            self.fs.pipe_file,
            self._path(CURRENT_FILE),
            pointer_text(version, publish_id).encode(),
        )

    # versions ---------------------------------------------------------------------
    def version_numbers(self) -> list[int]:
        """Every version folder present, published or not (a failed upload leaves one)."""
        folder = self._path(VERSIONS_DIR)
        self.fs.invalidate_cache(folder)
        names = self._call("list the index versions", self.fs.ls, folder, detail=False, missing_ok=True) or []
        return sorted(int(base) for name in names if (base := str(name).rstrip("/").rsplit("/", 1)[-1]).isdigit())

    def upload(self, staging: Path, version: int, files: FileEntries) -> None:
        """Copy a staged version: its files, then its manifest, then check each size the store reports."""
        prefix = self._version_path(version)
        action = f"upload index version {version}"
        for name in sorted(files):
            self._call(action, self.fs.put_file, str(staging / name), f"{prefix}/{name}")
        self._call(action, self.fs.put_file, str(staging / MANIFEST_FILE), f"{prefix}/{MANIFEST_FILE}")
        self.fs.invalidate_cache(prefix)
        listed = self._call(action, self.fs.find, prefix, detail=True) or {}
        stored = {str(name)[len(prefix) + 1 :]: int(info.get("size") or 0) for name, info in listed.items()}
        expected = {name: int(entry["size"]) for name, entry in files.items()}
        expected[MANIFEST_FILE] = (staging / MANIFEST_FILE).stat().st_size
        for name, size in sorted(expected.items()):
            if stored.get(name) != size:
                found = "is missing" if name not in stored else f"has {stored[name]} bytes of {size}"
                raise IndexStorageError(self.url, action, f"after the upload {name} {found}")

    def fetch(self, version: int, target: Path) -> dict[str, Any]:
        """Download ``version`` into the folder ``target``, which must not exist; returns its manifest.

        Files go to a staging folder beside ``target`` and are checked against the manifest (a file
        that fails is fetched once more); the folder is renamed into place only when all are good,
        so a cache never holds half a version. Another process on this host that fetched the same
        version first wins the rename; its copy is as good.
        """
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".download-", dir=target.parent))
        try:
            manifest = self._fetch_manifest(version, staging)
            for name, entry in sorted(manifest["files"].items()):
                self._fetch_file(version, name, entry, staging)
            try:
                staging.rename(target)
            except OSError:
                if not (target / MANIFEST_FILE).is_file():
                    raise
            log.info("fetched index version %d from %s", version, self.url)
            return manifest
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def delete_version(self, version: int) -> None:
        self._call(f"delete index version {version}", self.fs.rm, self._version_path(version), recursive=True)
        self.fs.invalidate_cache(self._path(VERSIONS_DIR))

    # helpers ----------------------------------------------------------------------
    def _fetch_manifest(self, version: int, staging: Path) -> dict[str, Any]:
        remote, local = f"{self._version_path(version)}/{MANIFEST_FILE}", staging / MANIFEST_FILE
        problem = "is missing"
        for _ in range(2):
            if not self._download(version, remote, local):
                continue
            try:
                manifest = json.loads(local.read_text(encoding="utf-8"))
                files = manifest["files"]
                if isinstance(files, dict) and all(_checkable(name, entry) for name, entry in files.items()):
                    return dict(manifest)
                problem = "lists files that cannot be checked"
            except (OSError, ValueError, KeyError, TypeError):
                problem = "is not a whole manifest"
        raise self._corrupt(version, f"{MANIFEST_FILE} {problem}")

    def _fetch_file(self, version: int, name: str, entry: dict[str, Any], staging: Path) -> None:
        remote, local = f"{self._version_path(version)}/{name}", staging / name
        local.parent.mkdir(parents=True, exist_ok=True)
        problem: str | None = "is missing"
        for _ in range(2):
            if not self._download(version, remote, local):
                problem = "is missing"
                continue
            problem = entry_problem(local, entry)
            if problem is None:
                return
            log.warning("index version %d: %s %s; fetching it again", version, name, problem)
        raise self._corrupt(version, f"{name} {problem}")

    def _download(self, version: int, remote: str, local: Path) -> bool:
        """Fetch one object to ``local`` (replacing what is there); False when the object is absent."""
        local.unlink(missing_ok=True)
        self._call(f"fetch index version {version}", self.fs.get_file, remote, str(local), missing_ok=True)
        return local.is_file()

    def _corrupt(self, version: int, what: str) -> IndexStateError:
        return IndexStateError(
            f"index version {version} at {self.url} is corrupt: {what} (fetched twice); "
            "run `docanalysis index rebuild` to publish a whole one"
        )

    def _call(
        self, action: str, method: Callable[..., T], *args: Any, missing_ok: bool = False, **kwargs: Any
    ) -> T | None:
        """``method(*args)``, the store's failures raised as one-line errors that name no secret;
        with ``missing_ok`` an absent object gives None (a missing bucket is still an error)."""
        try:
            return method(*args, **kwargs)
        except DocAnalysisError:
            raise
        except FileNotFoundError as exc:
            if missing_ok and _error_code(exc) != "NoSuchBucket":
                return None
            raise self._translate(action, exc) from None
        except Exception as exc:  # the store's client raises many kinds (botocore, aiohttp, OSError)
            raise self._translate(action, exc) from None

    def _translate(self, action: str, exc: BaseException) -> DocAnalysisError:
        reason = _scrub(first_line(exc), self._secrets()) or type(exc).__name__
        if isinstance(exc, FileNotFoundError) and _error_code(exc) == "NoSuchBucket":
            return IndexStorageRefusedError(self.url, action, "the bucket does not exist")
        if isinstance(exc, PermissionError) or type(exc).__name__ in _NO_CREDENTIALS:
            return IndexStorageRefusedError(self.url, action, reason)
        return IndexStorageError(self.url, action, reason)

    def _secrets(self) -> tuple[str, ...]:
        return self.secrets + tuple(v for name in _SECRET_VARIABLES if (v := os.environ.get(name)))

    def _path(self, *parts: str) -> str:
        return "/".join([self.root, *parts])

    def _version_path(self, version: int) -> str:
        return self._path(VERSIONS_DIR, version_name(version))


def _secret_values(options: Mapping[str, Any]) -> list[str]:
    """The values of every option named like a secret, nested ones too (``client_kwargs``)."""
    found: list[str] = []
    for key, value in options.items():
        if isinstance(value, Mapping):
            found.extend(_secret_values(value))
        elif value and isinstance(value, str) and any(word in str(key).lower() for word in _SECRET_OPTIONS):
            found.append(value)
    return found


def _checkable(name: str, entry: Any) -> bool:
    """A manifest entry a download can be checked against, for a file inside the version folder."""
    return (
        safe_relative(name)
        and isinstance(entry, dict)
        and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
    )


def _error_code(exc: BaseException) -> str | None:
    """The S3 error code behind an exception s3fs translated (``NoSuchBucket``, ``NoSuchKey``...)."""
    response = getattr(exc.__cause__, "response", None) or getattr(exc, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    return "NoSuchBucket" if "bucket does not exist" in str(exc) else None


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return text
