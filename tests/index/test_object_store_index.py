"""Index versions on an object store (``index_url``), against a real S3-compatible server on loopback.

moto's server runs in its own process (the ``s3_server`` fixture); every request goes through
s3fs and botocore over HTTP, as it would to S3. Each "host" is its own home folder, so its own
cache; the results database is shared, as it is on a cluster.
"""

from __future__ import annotations

import contextlib
import json
import logging
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from analysis.cli import main
from analysis.config import Config
from analysis.embed import Embedder
from analysis.errors import (
    ConfigError,
    IndexStateError,
    IndexStorageError,
    IndexStorageRefusedError,
    TransientError,
)
from analysis.index import IndexStore, VectorIndex, reconcile, update_index
from analysis.index.lexical import LexicalIndex
from analysis.maintenance import erase_documents
from analysis.pipeline import run_pipeline
from analysis.samples import make_document, write_text
from analysis.search import rank_chunks, search_chunks
from analysis.store import open_store

KINDS = ("lease", "nda", "discharge_summary", "progress_note")


@pytest.fixture(scope="module")
def aws(s3_environment: dict[str, str]) -> Iterator[dict[str, str]]:
    """The AWS variables set for this module's tests (credentials come from the environment)."""
    import fsspec

    with pytest.MonkeyPatch.context() as mp:
        for name, value in s3_environment.items():
            mp.setenv(name, value)
        fsspec.AbstractFileSystem.clear_instance_cache()  # no filesystem made with another environment
        yield s3_environment


def _client() -> Any:
    """The real S3 client (s3fs), fresh: for what a test does behind the index's back."""
    import fsspec

    return fsspec.filesystem("s3", skip_instance_cache=True)


def _new_bucket() -> str:
    """A fresh bucket; returns the index URL inside it."""
    bucket = f"index-{uuid.uuid4().hex[:12]}"
    _client().mkdir(bucket)
    return f"s3://{bucket}/docanalysis/index"


def _tiny(n: int, seed: int = 0) -> tuple[VectorIndex, LexicalIndex]:
    vectors = np.random.default_rng(seed).normal(size=(n, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex.empty(model_id="m", dimension=8)
    index.add(np.arange(100, 100 + n), vectors)
    words = ("lease", "termination", "governing", "rent", "metformin", "allergy")
    lexical = LexicalIndex.build((100 + i, f"{words[i % 6]} clause {i}") for i in range(n))
    return index, lexical


def _host(tmp_path: Path, name: str, url: str, **settings: Any) -> IndexStore:
    return IndexStore.from_config(Config(home=tmp_path / name, index_url=url, **settings))


def _remote_versions(url: str) -> list[str]:
    return sorted(p.rsplit("/", 1)[-1] for p in _client().ls(f"{url.removeprefix('s3://')}/versions"))


def _current(url: str) -> int:
    return int(_client().cat_file(f"{url.removeprefix('s3://')}/CURRENT").split()[0])


def _cached(store: IndexStore) -> list[str]:
    return sorted(p.name for p in store.versions_dir.iterdir()) if store.versions_dir.exists() else []


# settings ---------------------------------------------------------------------------------


def test_index_url_refuses_credentials_and_never_echoes_them() -> None:
    assert Config(index_url="s3://bucket/prefix/").index_url == "s3://bucket/prefix"
    assert Config().index_url == "" and Config().index_location.endswith("index")
    with pytest.raises(ConfigError, match="must not hold credentials") as caught:
        Config(index_url="s3://AKIAEXAMPLE:wJalr-SeCrEt@bucket/prefix")
    assert "SeCrEt" not in str(caught.value)
    with pytest.raises(ConfigError, match="a scheme, then ://"):
        Config(index_url="bucket/prefix")
    with pytest.raises(ConfigError, match="JSON object") as caught:
        Config(index_storage_options='["k", "wJalr-SeCrEt"]')
    assert "SeCrEt" not in str(caught.value)
    config = Config(index_url="s3://b/p", index_storage_options=json.dumps({"key": "k", "secret": "wJalr-SeCrEt"}))
    assert config.index_storage == {"key": "k", "secret": "wJalr-SeCrEt"}
    assert "SeCrEt" not in repr(config)


# publish and load ---------------------------------------------------------------------------


def test_a_second_host_loads_exactly_what_the_first_published(aws: dict[str, str], tmp_path: Path) -> None:
    url = _new_bucket()
    writer = _host(tmp_path, "writer", url, index_keep_versions=2)
    assert writer.load() is None and writer.current_version() == 0
    index, lexical = _tiny(40)
    assert writer.publish(index, lexical) == 1
    index.remove(np.array([100, 101]))
    assert writer.publish(index, lexical.updated(remove=np.array([100, 101]), add=[])) == 2
    assert writer.publish(index, lexical.updated(remove=np.array([100, 101]), add=[])) == 3
    assert _current(url) == 3 and _remote_versions(url) == ["000002", "000003"], "old versions pruned remotely"
    manifest = json.loads(_client().cat_file(f"{url.removeprefix('s3://')}/versions/000003/manifest.json"))
    assert {"index.faiss", "lexical/lexical.json"} <= set(manifest["files"])
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())

    reader = _host(tmp_path, "reader", url)
    loaded, reread = reader.load(), reader.load_lexical()
    assert loaded is not None and reread is not None and loaded.version == 3
    assert np.array_equal(np.sort(loaded.ids()), np.arange(102, 140))
    query = np.random.default_rng(9).normal(size=(1, 8)).astype(np.float32)
    assert [x.tolist() for x in loaded.search(query, 5)] == [x.tolist() for x in writer.load().search(query, 5)]
    assert [x.tolist() for x in reread.search("termination clause", 5)] == [
        x.tolist() for x in writer.load_lexical().search("termination clause", 5)
    ]
    assert _cached(reader) == ["000003"], "the cache holds the fetched version, nothing half-done"


def test_the_cache_is_reused_while_current_names_the_same_version(
    aws: dict[str, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = _new_bucket()
    writer = _host(tmp_path, "writer", url)
    writer.publish(*_tiny(20))
    reader = _host(tmp_path, "reader", url)
    assert reader.load() is not None
    cached = reader.versions_dir / "000001" / "index.faiss"
    before = cached.stat().st_ino, cached.stat().st_mtime_ns

    caplog.set_level(logging.DEBUG, logger="s3fs")
    caplog.clear()
    again = _host(tmp_path, "reader", url)  # a new process on the same host: a new IndexStore, same cache
    assert again.load() is not None and again.load_lexical(1) is not None
    calls = [r.getMessage() for r in caplog.records if r.getMessage().startswith("CALL:")]
    assert len(calls) == 1 and calls[0].startswith("CALL: get_object") and "CURRENT" in calls[0], calls
    assert (cached.stat().st_ino, cached.stat().st_mtime_ns) == before, "nothing downloaded again"

    writer.publish(*_tiny(25, seed=1))
    caplog.clear()
    newer = again.load()
    assert newer is not None and newer.version == 2 and newer.count == 25
    fetched = [r.getMessage() for r in caplog.records if r.getMessage().startswith("CALL: get_object")]
    assert len(fetched) > 2, "a new version is fetched once"
    assert _cached(again) == ["000001", "000002"], "versions the store still holds may stay cached"


def test_version_numbers_skip_a_version_a_failed_upload_left(aws: dict[str, str], tmp_path: Path) -> None:
    url = _new_bucket()
    writer = _host(tmp_path, "writer", url)
    writer.publish(*_tiny(10))
    _client().pipe_file(f"{url.removeprefix('s3://')}/versions/000007/index.faiss", b"half an upload")
    assert writer.publish(*_tiny(12)) == 8, "max(current, highest present) + 1"
    assert _current(url) == 8
    loaded = _host(tmp_path, "reader", url).load()
    assert loaded is not None and loaded.version == 8 and loaded.count == 12


# faults ---------------------------------------------------------------------------------------


def test_a_missing_bucket_is_a_one_line_error(aws: dict[str, str], tmp_path: Path) -> None:
    url = f"s3://no-such-bucket-{uuid.uuid4().hex[:8]}/index"
    store = _host(tmp_path, "host", url)
    with pytest.raises(IndexStorageRefusedError, match="the bucket does not exist") as caught:
        store.publish(*_tiny(5))
    assert len(str(caught.value).splitlines()) == 1 and url in str(caught.value)
    with pytest.raises(IndexStorageRefusedError):
        store.load()
    assert not any(p.name.startswith(".staging-") for p in store.versions_dir.iterdir())
    result = CliRunner().invoke(
        main, ["--home", str(tmp_path / "cli"), "index", "rebuild"], env={"DOCANALYSIS_INDEX_URL": url}
    )
    assert result.exit_code != 0 and "the bucket does not exist" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_an_unreachable_store_is_a_transient_one_line_error(tmp_path: Path) -> None:
    options = {
        "endpoint_url": "http://127.0.0.1:9",  # nothing listens on port 9
        "key": "docanalysis-test",
        "secret": "unreachable-SECRET-77",
        "config_kwargs": {"retries": {"max_attempts": 1}},
    }
    store = _host(tmp_path, "host", "s3://bucket/index", index_storage_options=json.dumps(options))
    with pytest.raises(IndexStorageError, match="cannot read CURRENT at s3://bucket/index") as caught:
        store.load()
    assert isinstance(caught.value, TransientError) and len(str(caught.value).splitlines()) == 1
    assert "unreachable-SECRET-77" not in str(caught.value)


@contextlib.contextmanager
def _iam_enforced(endpoint: str) -> Iterator[None]:
    """moto checks every request's credentials against its IAM users while this is open."""

    def post(count: str) -> None:
        request = urllib.request.Request(
            f"{endpoint}/moto-api/reset-auth",
            data=count.encode(),
            method="POST",
            headers={"Content-Type": "text/plain"},
        )
        urllib.request.urlopen(request, timeout=10).close()

    post("0")
    try:
        yield
    finally:
        post("inf")


def test_a_refused_write_leaves_current_on_the_published_version(aws: dict[str, str], tmp_path: Path) -> None:
    import boto3

    url = _new_bucket()
    writer = _host(tmp_path, "writer", url)
    writer.publish(*_tiny(10))
    iam = boto3.client("iam")
    user = f"reader-{uuid.uuid4().hex[:6]}"
    iam.create_user(UserName=user)
    read_only = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}
    iam.put_user_policy(
        UserName=user,
        PolicyName="read-only",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [read_only]}),
    )
    key = iam.create_access_key(UserName=user)["AccessKey"]
    options = json.dumps({"key": key["AccessKeyId"], "secret": key["SecretAccessKey"]})
    reader = _host(tmp_path, "reader", url, index_storage_options=options)

    with _iam_enforced(aws["AWS_ENDPOINT_URL"]):
        loaded = reader.load()  # reading is allowed
        assert loaded is not None and loaded.version == 1
        with pytest.raises(IndexStorageRefusedError, match="refused to upload index version 2") as caught:
            reader.publish(*_tiny(30, seed=3))
    message = str(caught.value)
    assert len(message.splitlines()) == 1 and key["SecretAccessKey"] not in message
    assert _current(url) == 1 and _remote_versions(url) == ["000001"], "nothing published is lost"
    assert _cached(reader) == ["000001"], "no staging folder left behind"
    again = _host(tmp_path, "third", url).load()
    assert again is not None and again.version == 1 and again.count == 10


def test_a_truncated_or_altered_object_is_detected_and_never_used(aws: dict[str, str], tmp_path: Path) -> None:
    url = _new_bucket()
    writer = _host(tmp_path, "writer", url)
    writer.publish(*_tiny(30))
    client, prefix = _client(), f"{url.removeprefix('s3://')}/versions/000001"
    whole = client.cat_file(f"{prefix}/index.faiss")
    client.pipe_file(f"{prefix}/index.faiss", whole[: len(whole) // 2])

    reader = _host(tmp_path, "reader", url)
    with pytest.raises(IndexStateError, match=r"corrupt: index.faiss has \d+ bytes, the manifest says") as caught:
        reader.load()
    assert len(str(caught.value).splitlines()) == 1 and "index rebuild" in str(caught.value)
    assert _cached(reader) == [], "a version that failed its check is never in the cache"

    client.pipe_file(f"{prefix}/index.faiss", whole)
    ids = client.cat_file(f"{prefix}/lexical/chunk_ids.npy")
    client.pipe_file(f"{prefix}/lexical/chunk_ids.npy", ids[:-1] + bytes([ids[-1] ^ 0xFF]))  # same size
    with pytest.raises(IndexStateError, match="chunk_ids.npy does not match its sha256"):
        reader.load()
    assert _cached(reader) == []

    writer.publish(*_tiny(30))  # the repair: a new, whole version
    loaded = reader.load()
    assert loaded is not None and loaded.version == 2 and loaded.count == 30


# the pipeline on two hosts --------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_hosts(
    aws: dict[str, str], tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> tuple[Config, Config, Path]:
    """A small corpus through the pipeline on host A, publishing to the object store; host B shares
    the results database and the index URL, nothing else."""
    root = tmp_path_factory.mktemp("two-hosts")
    corpus = root / "corpus"
    for seed, kind in enumerate(KINDS):
        write_text(make_document(kind, seed=seed), corpus / f"{kind}.txt")
    url = _new_bucket()
    host_a = Config(home=root / "a", index_url=url, batch_size=32)
    host_b = Config(home=root / "b", db_url=host_a.database_url, index_url=url, batch_size=32)
    report = run_pipeline([corpus], config=host_a, embedder=embedder, jobs=())
    assert report.index_version == 1
    return host_a, host_b, corpus


def test_a_search_host_finds_what_the_indexing_host_published(
    two_hosts: tuple[Config, Config, Path], embedder: Embedder
) -> None:
    host_a, host_b, _ = two_hosts
    a, b = IndexStore.from_config(host_a), IndexStore.from_config(host_b)
    assert not b.versions_dir.exists(), "host B starts with nothing"
    index_a, index_b = a.load(), b.load()
    assert index_a is not None and index_b is not None and index_b.version == index_a.version
    assert np.array_equal(index_a.ids(), index_b.ids())
    for query in ("Which law governs the lease?", "penicillin allergy", "confidential information"):
        ranked = [rank_chunks(query, s.load(), s.load_lexical(), embedder, k=5) for s in (a, b)]
        assert ranked[0] == ranked[1] and ranked[0]
    with open_store(host_b) as store:
        reconcile(store, b, embedder.model_id)
    hits = search_chunks("monthly rent", k=3, config=host_b, embedder=embedder)
    assert hits and hits[0].doc_type == "lease"


def test_an_update_on_one_host_is_what_the_other_loads_next(
    two_hosts: tuple[Config, Config, Path], embedder: Embedder
) -> None:
    host_a, host_b, corpus = two_hosts
    b = IndexStore.from_config(host_b)
    with open_store(host_b) as store:
        before = b.current_version()
        assert store.remove_source(str((corpus / "nda.txt").resolve())) is not None
        version = update_index(store, b, embedder.model_id)  # the writer runs on host B this time
        wanted = store.embedded_chunk_ids(embedder.model_id)
    assert version == before + 1
    a = IndexStore.from_config(host_a)
    loaded = a.load()
    assert loaded is not None and loaded.version == version
    assert np.array_equal(np.sort(loaded.ids()), np.sort(wanted))
    with open_store(host_a) as store:
        reconcile(store, a, embedder.model_id)
    hits = search_chunks("confidential information", k=10, config=host_a, embedder=embedder)
    assert all(h.doc_type != "nda" for h in hits)


def test_erasure_drops_every_older_version_from_the_object_store(
    two_hosts: tuple[Config, Config, Path], embedder: Embedder
) -> None:
    host_a, host_b, _ = two_hosts
    with open_store(host_a) as store:
        hit = search_chunks("penicillin", k=1, mode="lexical", config=host_a, embedder=embedder)[0]
        before = set(store.embedded_chunk_ids(embedder.model_id).tolist())
    assert len(_remote_versions(host_a.index_url)) > 1
    counts = erase_documents(host_a, [hit.document_id], reason="TICKET-1", requested_by="test")
    current = counts["index_version"]
    assert counts["index_versions_dropped"] >= 1
    assert _remote_versions(host_a.index_url) == [f"{current:06d}"]
    assert _cached(IndexStore.from_config(host_a)) == [f"{current:06d}"]
    b = IndexStore.from_config(host_b)
    loaded = b.load()  # host B fetches the new version, and its cache lets the erased ones go
    assert loaded is not None and loaded.version == current
    assert _cached(b) == [f"{current:06d}"]
    with open_store(host_b) as store:
        left = set(store.embedded_chunk_ids(embedder.model_id).tolist())
    assert set(loaded.ids().tolist()) == left and before - left, "the erased chunks are gone"
