"""
Work moto repeats for every request, or does for nothing, that gives the same answers done once or
not at all (the emulator's CPU; what any request returns is unchanged):

- moto's dispatcher lists its own package directory on every request (`list_of_moto_modules`: one
  listdir and ~200 stat calls, to ask whether the Host header names a moto module): listed once.
- the account behind an access key is looked up in the IAM backend of every partition (aws, aws-cn,
  aws-us-gov, the ISO ones), which creates the six backends on the first request, each loading the
  ~1,500 AWS managed policies (~0.4 s of CPU per emulator start): only the partitions whose IAM
  backend exists are searched (a key can be nowhere else); the backends are created when used.
"""
from __future__ import annotations

from typing import Any


def _list_modules_once() -> None:
    from moto import backends

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: iter(modules)  # type: ignore[assignment]


def _account_from_existing_backends() -> None:
    from moto.iam import models as iam_models

    def get_account_id_from(access_key: str) -> str:
        for account_id, account in list(iam_models.iam_backends.items()):
            for partition in iam_models.PARTITION_NAMES:
                backend: Any = dict.get(account, partition)
                if backend is not None and access_key in backend.access_keys:
                    return account_id
        return iam_models.DEFAULT_ACCOUNT_ID

    iam_models.get_account_id_from = get_account_id_from  # type: ignore[assignment]


def install() -> None:
    _list_modules_once()
    _account_from_existing_backends()
