"""
Gaps in moto 5.2 that the real stacks hit through terraform's AWS provider (5.100), mended here
rather than by weakening the stacks. Each patch says what the provider does without it.
"""
import json
import sys
from typing import Any

from botocore import xform_name

from moto.acm.models import AWSCertificateManagerBackend
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.ec2.models import elastic_network_interfaces as ec2_eni
from moto.ecs import models as ecs_models
from moto.ec2.models import security_groups as ec2_sg
from moto.elasticache import models as ec_models
from moto.elasticache.exceptions import CacheClusterNotFound, CacheSubnetGroupNotFound, ReplicationGroupNotFound
from moto.elasticache.responses import ElastiCacheResponse
from moto.rds import models as rds_models


def log(msg: str) -> None:
    sys.stderr.write(f"berth-sandbox: {msg}\n")
    sys.stderr.flush()


# --- application-autoscaling: TagResource / UntagResource / ListTagsForResource -------------------
# Without them the provider retries HTTP 500 for 15 minutes on every aws_appautoscaling_target,
# on create and on every refresh.

def _aas_tags(backend: Any) -> dict[str, dict[str, str]]:
    if not hasattr(backend, "_berth_tags"):
        backend._berth_tags = {}
    return backend._berth_tags


def _aas_tag_resource(self: ApplicationAutoScalingResponse) -> str:
    arn = self._get_param("ResourceARN")
    tags = self._get_param("Tags") or {}
    _aas_tags(self.applicationautoscaling_backend).setdefault(arn, {}).update(tags)
    return json.dumps({})


def _aas_untag_resource(self: ApplicationAutoScalingResponse) -> str:
    arn = self._get_param("ResourceARN")
    keys = self._get_param("TagKeys") or []
    tags = _aas_tags(self.applicationautoscaling_backend).get(arn, {})
    for k in keys:
        tags.pop(k, None)
    return json.dumps({})


def _aas_list_tags(self: ApplicationAutoScalingResponse) -> str:
    arn = self._get_param("ResourceARN")
    return json.dumps({"Tags": _aas_tags(self.applicationautoscaling_backend).get(arn, {})})


_orig_register_scalable_target = ApplicationAutoScalingResponse.register_scalable_target


def _aas_register(self: ApplicationAutoScalingResponse) -> str:
    out = _orig_register_scalable_target(self)
    tags = self._get_param("Tags")
    if tags:
        arn = json.loads(out).get("ScalableTargetARN")
        if arn:
            _aas_tags(self.applicationautoscaling_backend).setdefault(arn, {}).update(tags)
    return out


# --- ElastiCache ----------------------------------------------------------------------------------
# CreateReplicationGroup names member clusters it never creates (the provider reads the first
# member and fails with CacheClusterNotFound), ignores NumCacheClusters when there is no
# ReplicasPerNodeGroup (a permanent diff), deletes stay "deleting" forever (the provider waits
# 40 minutes), and DeleteCacheSubnetGroup / ModifyReplicationGroup do not exist.

_orig_create_rg = ec_models.ElastiCacheBackend.create_replication_group


def _ec_create_rg(self: Any, **kwargs: Any) -> Any:
    n = kwargs.get("num_cache_clusters")
    if n and not kwargs.get("replicas_per_node_group") and (kwargs.get("cluster_mode") or "disabled") != "enabled":
        kwargs["replicas_per_node_group"] = int(n) - 1
    rg = _orig_create_rg(self, **kwargs)
    if not rg.primary_cluster_id and rg.member_clusters:
        rg.primary_cluster_id = rg.member_clusters[0]
    for i, cluster_id in enumerate(rg.member_clusters):
        if cluster_id in self.cache_clusters:
            continue
        azs = kwargs.get("preferred_cache_cluster_azs") or []
        cc = ec_models.CacheCluster(
            account_id=self.account_id,
            region_name=self.region_name,
            cache_cluster_id=cluster_id,
            cache_node_type=rg.cache_node_type,
            replication_group_id=rg.replication_group_id,
            az_mode="single-az",
            preferred_availability_zone=azs[i] if i < len(azs) else None,
            num_cache_nodes=1,
            engine=rg.engine,
            engine_version=kwargs.get("engine_version"),
            cache_parameter_group_name=kwargs.get("cache_parameter_group_name") or "default.redis7",
            cache_subnet_group_name=kwargs.get("cache_subnet_group_name"),
            transit_encryption_enabled=kwargs.get("transit_encryption_enabled"),
            network_type=kwargs.get("network_type"),
            ip_discovery=kwargs.get("ip_discovery"),
            snapshot_name=None,
            preferred_maintenance_window=kwargs.get("preferred_maintenance_window"),
            port=rg.port,
            notification_topic_arn=kwargs.get("notification_topic_arn"),
            auto_minor_version_upgrade=kwargs.get("auto_minor_version_upgrade"),
            snapshot_retention_limit=kwargs.get("snapshot_retention_limit"),
            snapshot_window=kwargs.get("snapshot_window"),
            auth_token=kwargs.get("auth_token"),
            outpost_mode=None,
            preferred_outpost_arn=None,
            preferred_availability_zones=None,
            cache_security_group_names=None,
            security_group_ids=kwargs.get("security_group_ids"),
            tags=None,
            snapshot_arns=None,
            preferred_outpost_arns=None,
            log_delivery_configurations=[],
            cache_node_ids_to_remove=None,
            cache_node_ids_to_reboot=None,
        )
        cc.at_rest_encryption_enabled = rg.at_rest_encryption_enabled
        _ec_set_security_groups(cc, kwargs.get("security_group_ids") or [])
        self.cache_clusters[cluster_id] = cc
    return rg


def _ec_set_security_groups(cc: Any, group_ids: list[str]) -> None:
    cc.security_group_ids = list(group_ids)
    cc.security_groups = [{"SecurityGroupId": g, "Status": "active"} for g in group_ids]


def _ec_delete_rg(self: Any, replication_group_id: str, retain_primary_cluster: Any) -> Any:
    if replication_group_id not in self.replication_groups:
        raise ReplicationGroupNotFound(replication_group_id)
    rg = self.replication_groups.pop(replication_group_id)
    rg.status = "deleting"
    for cid in list(rg.member_clusters):
        if retain_primary_cluster and cid == rg.primary_cluster_id:
            continue
        self.cache_clusters.pop(cid, None)
    return rg


def _ec_delete_cluster(self: Any, cache_cluster_id: str) -> Any:
    if cache_cluster_id and cache_cluster_id in self.cache_clusters:
        cc = self.cache_clusters.pop(cache_cluster_id)
        cc.cache_cluster_status = "deleting"
        return cc
    raise CacheClusterNotFound(cache_cluster_id)


def _ec_delete_subnet_group_backend(self: Any, name: str) -> Any:
    if name not in self.cache_subnet_groups:
        raise CacheSubnetGroupNotFound(name)
    return self.cache_subnet_groups.pop(name)


def _ec_delete_subnet_group(self: ElastiCacheResponse) -> ActionResult:
    name = self._get_param("CacheSubnetGroupName")
    _ec_delete_subnet_group_backend(self.elasticache_backend, name)
    return EmptyResult()


def _ec_modify_subnet_group(self: ElastiCacheResponse) -> ActionResult:
    """ModifyCacheSubnetGroup (not in moto 5.2): a new description and/or subnets. Without it an
    adopted (imported) subnet group whose description differs from berth's fails every apply."""
    backend = self.elasticache_backend
    name = self._get_param("CacheSubnetGroupName")
    if name not in backend.cache_subnet_groups:
        raise CacheSubnetGroupNotFound(name)
    old = backend.cache_subnet_groups[name]
    description = self._get_param("CacheSubnetGroupDescription") or old.cache_subnet_group_description
    subnet_ids = self._get_param("SubnetIds", []) or old.subnet_ids
    new = ec_models.CacheSubnetGroup(backend.account_id, backend.region_name, name, description, subnet_ids, old.tags)
    backend.cache_subnet_groups[name] = new
    return ActionResult({"CacheSubnetGroup": new})


_RG_MODIFIABLE = {
    "ReplicationGroupDescription": "description",
    "SnapshotRetentionLimit": "snapshot_retention_limit",
    "SnapshotWindow": "snapshot_window",
    "PreferredMaintenanceWindow": "preferred_maintenance_window",
    "AutoMinorVersionUpgrade": "auto_minor_version_upgrade",
    "CacheNodeType": "cache_node_type",
    "EngineVersion": "engine_version",
    "NotificationTopicArn": "notification_topic_arn",
    "CacheParameterGroupName": "cache_parameter_group_name",
    "TransitEncryptionEnabled": "transit_encryption_enabled",
    "TransitEncryptionMode": "transit_encryption_mode",
    "IpDiscovery": "ip_discovery",
}


def _ec_modify_rg(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    rg_id = params.get("ReplicationGroupId")
    backend = self.elasticache_backend
    if rg_id not in backend.replication_groups:
        raise ReplicationGroupNotFound(rg_id)
    rg = backend.replication_groups[rg_id]
    for key, attr in _RG_MODIFIABLE.items():
        if params.get(key) is not None:
            setattr(rg, attr, params[key])
    if params.get("AutomaticFailoverEnabled") is not None:
        rg.automatic_failover = "enabled" if str(params["AutomaticFailoverEnabled"]).lower() == "true" else "disabled"
    if params.get("MultiAZEnabled") is not None:
        rg.multi_az = "enabled" if str(params["MultiAZEnabled"]).lower() == "true" else "disabled"
    if params.get("SecurityGroupIds") is not None:
        rg.security_group_ids = params["SecurityGroupIds"]
    for cid in rg.member_clusters:
        cc = backend.cache_clusters.get(cid)
        if cc is None:
            continue
        for key, attr in _RG_MODIFIABLE.items():
            if params.get(key) is not None and hasattr(cc, attr):
                setattr(cc, attr, params[key])
        if params.get("SecurityGroupIds") is not None:
            _ec_set_security_groups(cc, params["SecurityGroupIds"])
    return ActionResult({"ReplicationGroup": rg})


# --- RDS: ModifyDBSubnetGroup keeps the group -------------------------------------------------------
# moto 5.2 pops the group from its backend and never puts it back: after any modification (berth's
# description on an adopted group) the provider reads nothing and fails with "Root object was
# present, but now absent".

def _rds_modify_subnet_group(self: Any, subnet_name: str, description: str, subnets: list[Any]) -> Any:
    if subnet_name not in self.subnet_groups:
        raise rds_models.DBSubnetGroupNotFoundError(subnet_name)
    group = self.subnet_groups[subnet_name]
    group.subnets = subnets
    if description is not None:
        group.description = description
    return group


# --- RDS: ModifyDBCluster keeps IAM authentication and the log exports it is given --------------
# moto 5.2 stores EnableIAMDatabaseAuthentication under a name its own answer never reads, and
# ignores CloudwatchLogsExportConfiguration (it reads another key): an adopted cluster that berth
# turns both on would show the same change on every plan after the apply.

_orig_modify_db_cluster = rds_models.RDSBackend.modify_db_cluster


def _rds_modify_db_cluster(self: Any, kwargs: dict[str, Any]) -> Any:
    iam = kwargs.get("enable_iam_database_authentication")
    exports = kwargs.get("cloudwatch_logs_export_configuration") or {}
    ident = kwargs.get("new_db_cluster_identifier") or kwargs.get("db_cluster_identifier")
    cluster = _orig_modify_db_cluster(self, kwargs)
    target = self.clusters.get(ident, cluster)
    for c in {id(cluster): cluster, id(target): target}.values():
        if iam is not None:
            c.iam_auth = str(iam).lower() == "true"
        if exports:
            current = [x for x in c.enabled_cloudwatch_logs_exports if x not in exports.get("DisableLogTypes", [])]
            c.enabled_cloudwatch_logs_exports = current + [x for x in exports.get("EnableLogTypes", []) if x not in current]
    return cluster


# --- RDS: ScalingConfigurationInfo only for serverless v1 -----------------------------------------
# moto returns an empty ScalingConfigurationInfo for provisioned clusters; the provider reads it as
# a scaling_configuration block and plans to remove it on every run.

def _rds_scaling_info(self: Any) -> Any:
    if getattr(self, "engine_mode", None) != "serverless":
        return None
    cfg = self.scaling_configuration or {}
    return {
        "MinCapacity": cfg.get("min_capacity"),
        "MaxCapacity": cfg.get("max_capacity"),
        "AutoPause": cfg.get("auto_pause"),
        "SecondsUntilAutoPause": cfg.get("seconds_until_auto_pause"),
        "TimeoutAction": cfg.get("timeout_action"),
        "SecondsBeforeTimeout": cfg.get("seconds_before_timeout"),
    }


# --- ECS: CreateService keeps the fields it is given ----------------------------------------------
# moto drops healthCheckGracePeriodSeconds, enableExecuteCommand and deploymentConfiguration (and
# more) on CreateService, so terraform plans an update until a second apply. ECS's defaults are
# filled in the way DescribeServices reports them.

ECS_SERVICE_FIELDS = (
    "healthCheckGracePeriodSeconds",
    "enableExecuteCommand",
    "deploymentConfiguration",
    "enableECSManagedTags",
    "availabilityZoneRebalancing",
    "placementConstraints",
    "placementStrategy",
    "capacityProviderStrategy",
    "serviceConnectConfiguration",
    "volumeConfigurations",
)

DEFAULT_DEPLOYMENT_CONFIGURATION = {
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
}


def ecs_apply_service_fields(service: Any, params: dict[str, Any]) -> None:
    for key in ECS_SERVICE_FIELDS:
        if key in params and params[key] is not None:
            setattr(service, xform_name(key), params[key])
    dc = dict(DEFAULT_DEPLOYMENT_CONFIGURATION)
    given = getattr(service, "deployment_configuration", None) or {}
    dc.update(given)
    cb = dict(DEFAULT_DEPLOYMENT_CONFIGURATION["deploymentCircuitBreaker"])
    cb.update(given.get("deploymentCircuitBreaker") or {})
    dc["deploymentCircuitBreaker"] = cb
    service.deployment_configuration = dc
    if getattr(service, "enable_execute_command", None) is None:
        service.enable_execute_command = False
    if getattr(service, "enable_ecs_managed_tags", None) is None:
        service.enable_ecs_managed_tags = False
    if getattr(service, "availability_zone_rebalancing", None) is None:
        service.availability_zone_rebalancing = "DISABLED"


# --- EC2: descriptions of security group rules that reference another group -----------------------
# moto keeps a group-referencing rule's description in its source group pair but reports only the
# CIDR range's description, so every aws_vpc_security_group_*_rule with referenced_security_group_id
# plans to add its description again.

def _sg_rule_description(self: Any) -> Any:
    return self.ip_range.get("Description") or (self.source_group or {}).get("Description")


# --- ACM: options given without Export -------------------------------------------------------------
# RequestCertificate with Options replaces moto's defaults whole; the provider sends only
# CertificateTransparencyLoggingPreference, and ListCertificates then fails with HTTP 500 (KeyError
# 'Export') for every caller, for as long as that certificate exists.

ACM_DEFAULT_OPTIONS = {"CertificateTransparencyLoggingPreference": "ENABLED", "Export": "DISABLED"}
_orig_acm_request = AWSCertificateManagerBackend.request_certificate


def _acm_request(self: Any, *args: Any, **kwargs: Any) -> str:
    arn = _orig_acm_request(self, *args, **kwargs)
    cert = self._certificates.get(arn)
    if cert is not None:
        cert.cert_options = {**ACM_DEFAULT_OPTIONS, **(cert.cert_options or {})}
    return arn


# --- ECS: task definitions without registeredAt / deregisteredAt -------------------------------
# ECS answers both on DescribeTaskDefinition; moto keeps neither, so every revision looked as old as
# time to berth's revision retention (`berth revisions --keep-days`), which keeps recent ones.

_orig_td_init = ecs_models.TaskDefinition.__init__
_orig_deregister_td = ecs_models.EC2ContainerServiceBackend.deregister_task_definition


def _td_init(self: Any, *args: Any, **kwargs: Any) -> None:
    _orig_td_init(self, *args, **kwargs)
    self.registered_at = utcnow()


def _deregister_td(self: Any, task_definition_str: str) -> Any:
    td = _orig_deregister_td(self, task_definition_str)
    if getattr(td, "deregistered_at", None) is None:
        td.deregistered_at = utcnow()
    return td


# --- EC2: an ENI in a VPC without DNS hostnames has no private_dns_name attribute at all ----------
# (moto's ECS reads it for every awsvpc task, so no task could start in such a VPC).


def install() -> None:
    if not hasattr(ec2_eni.NetworkInterface, "private_dns_name"):
        ec2_eni.NetworkInterface.private_dns_name = None  # type: ignore[attr-defined]
    ec2_sg.SecurityGroupRule.description = property(_sg_rule_description)  # type: ignore[assignment]

    ApplicationAutoScalingResponse.tag_resource = _aas_tag_resource
    ApplicationAutoScalingResponse.untag_resource = _aas_untag_resource
    ApplicationAutoScalingResponse.list_tags_for_resource = _aas_list_tags
    ApplicationAutoScalingResponse.register_scalable_target = _aas_register

    ec_models.ElastiCacheBackend.create_replication_group = _ec_create_rg
    ec_models.ElastiCacheBackend.delete_replication_group = _ec_delete_rg
    ec_models.ElastiCacheBackend.delete_cache_cluster = _ec_delete_cluster
    ec_models.ElastiCacheBackend.delete_cache_subnet_group = _ec_delete_subnet_group_backend
    ElastiCacheResponse.delete_cache_subnet_group = _ec_delete_subnet_group
    ElastiCacheResponse.modify_replication_group = _ec_modify_rg
    ElastiCacheResponse.modify_cache_subnet_group = _ec_modify_subnet_group
    rds_models.RDSBackend.modify_db_subnet_group = _rds_modify_subnet_group
    rds_models.RDSBackend.modify_db_cluster = _rds_modify_db_cluster

    AWSCertificateManagerBackend.request_certificate = _acm_request  # type: ignore[method-assign]

    ecs_models.TaskDefinition.__init__ = _td_init  # type: ignore[method-assign]
    ecs_models.EC2ContainerServiceBackend.deregister_task_definition = _deregister_td  # type: ignore[method-assign]

    rds_models.DBCluster.scaling_configuration_info = property(_rds_scaling_info)  # type: ignore[assignment]

