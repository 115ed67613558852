"""
Aurora cluster snapshots and restores in the sandbox (`berth db ...`): what moto 5.2.1 lacks.

moto has CreateDBClusterSnapshot, DescribeDBClusterSnapshots (an automated `rds:<cluster>-<time>`
snapshot per cluster), CopyDBClusterSnapshot (a source ARN in another region is read from that
region), RestoreDBClusterFromSnapshot and RestoreDBClusterToPointInTime. What RDS refuses and moto
accepted, mended here so the sandbox fails where AWS would:

- CopyDBClusterSnapshot of an encrypted snapshot from another region without KmsKeyId (RDS:
  InvalidParameterValue; a KMS key is regional, the copy needs one in the destination region);
- DeleteDBClusterSnapshot of an automated snapshot (InvalidDBClusterSnapshotStateFault: RDS deletes
  those itself, after the backup retention period);
- RestoreDBClusterToPointInTime outside [EarliestRestorableTime, LatestRestorableTime]
  (InvalidRestoreFault), or to the name of a cluster that exists (DBClusterAlreadyExistsFault);
- RestoreDBClusterFromSnapshot to the name of a cluster that exists (DBClusterAlreadyExistsFault),
  which moto silently replaced: a restore never overwrites a cluster.

And two mends for clusters whose master password RDS manages (ManageMasterUserPassword, as
berth's data stack creates them): restoring a snapshot of a cluster whose master password RDS manages
(ManageMasterUserPassword, as berth's data stack creates it) raised KeyError in moto
(DBCluster.get_cfg expects a password). The restored cluster, as on RDS, does not inherit the
managed master secret (`--manage-master-user-password` turns one on afterwards); a point-in-time
restore shared the source's secret object, so deleting the restored cluster deleted the source's
secret.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from moto.core.utils import utcnow
from moto.rds.exceptions import RDSClientError
from moto.rds.models import DBCluster, RDSBackend


class InvalidParameterValue(RDSClientError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidParameterValue", message)


class InvalidSnapshotState(RDSClientError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidDBClusterSnapshotStateFault", message)


class InvalidRestore(RDSClientError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidRestoreFault", message)


class ClusterExists(RDSClientError):
    def __init__(self, name: str) -> None:
        super().__init__("DBClusterAlreadyExistsFault", f"DB Cluster already exists: {name}")


_orig_copy = RDSBackend.copy_db_cluster_snapshot
_orig_delete = RDSBackend.delete_db_cluster_snapshot
_orig_pitr = RDSBackend.restore_db_cluster_to_point_in_time
_orig_restore = RDSBackend.restore_db_cluster_from_snapshot


def _copy(self: Any, source_db_cluster_snapshot_identifier: str, target_db_cluster_snapshot_identifier: str,
          kms_key_id: str | None = None, copy_tags: bool = False, tags: Any = None, **rest: Any) -> Any:
    src = source_db_cluster_snapshot_identifier
    cross_region = src.startswith("arn:") and src.split(":")[3] != self.region_name
    if cross_region and not kms_key_id:
        source = self.get_db_cluster_snapshot(src)
        if source.storage_encrypted:
            raise InvalidParameterValue(
                "KmsKeyId is required to copy an encrypted DB cluster snapshot to another region: "
                "give a KMS key of the destination region."
            )
    return _orig_copy(self, src, target_db_cluster_snapshot_identifier, kms_key_id=kms_key_id, copy_tags=copy_tags, tags=tags, **rest)


def _delete(self: Any, db_snapshot_identifier: str) -> Any:
    snap = self.cluster_snapshots.get(db_snapshot_identifier)
    if snap is not None and snap.snapshot_type == "automated":
        raise InvalidSnapshotState("Only manual snapshots may be deleted.")
    return _orig_delete(self, db_snapshot_identifier)


def _as_utc(t: Any) -> datetime:
    if isinstance(t, str):
        t = datetime.fromisoformat(t.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _pitr(self: Any, db_cluster_identifier: str, source_db_cluster_identifier: str, restore_type: str = "full-copy",
          restore_to_time: Any = None, use_latest_restorable_time: bool = False, **overrides: Any) -> Any:
    if db_cluster_identifier in self.clusters:
        raise ClusterExists(db_cluster_identifier)
    source = self.clusters.get(source_db_cluster_identifier)
    if source is not None and restore_to_time is not None and not use_latest_restorable_time:
        at = _as_utc(restore_to_time)
        earliest = _as_utc(source.earliest_restorable_time)
        latest = _as_utc(utcnow())
        if at < earliest or at > latest:
            raise InvalidRestore(f"The restore time {at.isoformat()} must be between {earliest.isoformat()} and {latest.isoformat()}.")
    restored = _orig_pitr(self, db_cluster_identifier, source_db_cluster_identifier, restore_type, restore_to_time, use_latest_restorable_time, **overrides)
    # moto copied the source's managed master secret object: deleting the restored cluster would
    # delete the source's secret. As on RDS, the restored cluster has no managed secret of its own.
    restored.manage_master_user_password = False
    restored.__dict__.pop("master_user_secret", None)
    return restored


def _restore(self: Any, from_snapshot_id: str, overrides: dict[str, Any]) -> Any:
    name = overrides.get("db_cluster_identifier")
    if name and name in self.clusters:
        raise ClusterExists(name)
    return _orig_restore(self, from_snapshot_id, overrides)


def _get_cfg(self: Any) -> dict[str, Any]:
    cfg = self.__dict__.copy()
    cfg.pop("backend", None)
    # The snapshot's own master password stays (the emulator needs one; the API never returns it).
    cfg["master_user_password"] = cfg.pop("_master_user_password", None) or "password-kept-from-the-snapshot"
    cfg["enable_http_endpoint"] = cfg.pop("_enable_http_endpoint", None)
    cfg["vpc_security_group_ids"] = cfg.pop("_vpc_security_group_ids", None)
    cfg["manage_master_user_password"] = False
    cfg.pop("master_user_secret", None)
    return cfg


def install() -> None:
    DBCluster.get_cfg = _get_cfg  # type: ignore[method-assign]
    RDSBackend.copy_db_cluster_snapshot = _copy  # type: ignore[method-assign]
    RDSBackend.delete_db_cluster_snapshot = _delete  # type: ignore[method-assign]
    RDSBackend.restore_db_cluster_to_point_in_time = _pitr  # type: ignore[method-assign]
    RDSBackend.restore_db_cluster_from_snapshot = _restore  # type: ignore[method-assign]
