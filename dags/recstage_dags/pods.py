"""KubernetesPodOperator for a stage: sized from `.env.memory`, non-root, read-only, on the shared volume."""

from __future__ import annotations

from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from kubernetes.client import models as k8s
from kubernetes.utils import parse_quantity

from recstage_dags.layout import EVALUATE, POD_DATA_ROOT, STAGES
from recstage_dags.settings import Settings

DATA_VOLUME = "data"
TMP_VOLUME = "tmp"
# Asked to stop (SIGTERM: eviction, drain, a task's timeout), a stage removes its staging directory
# and exits 143 within 5 s (StopRequest.STOP_SECONDS, README); the grace period before Kubernetes'
# SIGKILL covers that four times over, for a slow volume.
TERMINATION_GRACE_SECONDS = 20


def image(settings: Settings, stage: str) -> str:
    """`<registry>/<stage>:<tag>` for native images, `…:<tag>-jvm` for the JVM build of the same stage."""
    suffix = "-jvm" if settings["RECSTAGE_IMAGE_FLAVOR"] == "jvm" else ""
    return f"{settings['RECSTAGE_IMAGE_REGISTRY']}/{stage}:{settings['RECSTAGE_IMAGE_TAG']}{suffix}"


def evaluate_image(settings: Settings) -> str:
    """`<registry>/evaluate:<tag>-jvm` (docker/Dockerfile.evaluate): JVM whatever the stages' flavour."""
    return f"{settings['RECSTAGE_IMAGE_REGISTRY']}/{EVALUATE}:{settings['RECSTAGE_IMAGE_TAG']}-jvm"


def resources(settings: Settings, stage: str) -> k8s.V1ResourceRequirements:
    """Requests equal limits (Guaranteed QoS): the scheduler reserves what the stage may use, and the
    kubelet evicts such a pod last."""
    return _guaranteed(settings.memory_limit(stage), settings.cpu(stage))


def evaluate_resources(settings: Settings) -> k8s.V1ResourceRequirements:
    """evaluate's own process runs beside one stage at a time (`--jobs 1`): its limit plus the largest
    stage's, and the CPUs of the most demanding stage."""
    largest = max(settings.memory_limit_bytes(stage) for stage in STAGES)
    memory = settings.memory_limit_bytes(EVALUATE) + largest
    cpu = max((settings.cpu(stage) for stage in STAGES), key=parse_quantity)
    return _guaranteed(f"{memory // 2**20}Mi", cpu)


def _guaranteed(memory: str, cpu: str) -> k8s.V1ResourceRequirements:
    size = {"memory": memory, "cpu": cpu}
    return k8s.V1ResourceRequirements(requests=dict(size), limits=dict(size))


def pod_security(settings: Settings) -> k8s.V1PodSecurityContext:
    uid = settings.int("RECSTAGE_RUN_AS_USER")
    return k8s.V1PodSecurityContext(
        run_as_non_root=True,
        run_as_user=uid,
        run_as_group=uid,
        fs_group=uid,  # the volume's files belong to the run-as group, whichever image wrote them
        seccomp_profile=k8s.V1SeccompProfile(type="RuntimeDefault"),
    )


def container_security(settings: Settings) -> k8s.V1SecurityContext:
    return k8s.V1SecurityContext(
        run_as_non_root=True,
        run_as_user=settings.int("RECSTAGE_RUN_AS_USER"),
        privileged=False,
        allow_privilege_escalation=False,
        read_only_root_filesystem=True,
        capabilities=k8s.V1Capabilities(drop=["ALL"]),
        seccomp_profile=k8s.V1SeccompProfile(type="RuntimeDefault"),
    )


def volumes(settings: Settings) -> list[k8s.V1Volume]:
    return [
        k8s.V1Volume(
            name=DATA_VOLUME,
            persistent_volume_claim=k8s.V1PersistentVolumeClaimVolumeSource(claim_name=settings["RECSTAGE_PVC"]),
        ),
        # The only writable path besides /data: the root filesystem is read-only.
        k8s.V1Volume(
            name=TMP_VOLUME, empty_dir=k8s.V1EmptyDirVolumeSource(size_limit=settings["RECSTAGE_TMP_SIZE_LIMIT"])
        ),
    ]


def volume_mounts() -> list[k8s.V1VolumeMount]:
    return [
        k8s.V1VolumeMount(name=DATA_VOLUME, mount_path=POD_DATA_ROOT),
        k8s.V1VolumeMount(name=TMP_VOLUME, mount_path="/tmp"),
    ]


def stage_environment(settings: Settings) -> dict[str, str]:
    env = settings.stage_environment()
    if settings["RECSTAGE_IMAGE_FLAVOR"] == "jvm":
        # Dockerfile.jvm reads its heap share from here; keep it equal to the knob.
        env["JAVA_TOOL_OPTIONS"] = f"-XX:MaxRAMPercentage={settings['JVM_MAX_RAM_PERCENTAGE']}"
    return env


def _pod(settings: Settings, **kwargs) -> KubernetesPodOperator:
    return KubernetesPodOperator(**_pod_arguments(settings, **kwargs))


def _pod_arguments(settings: Settings, *, task_id: str, size: k8s.V1ResourceRequirements, labels: dict[str, str],
                   **kwargs) -> dict:
    return dict(
        task_id=task_id,
        name=f"recstage-{task_id.replace('_', '-')}",
        namespace=settings["RECSTAGE_NAMESPACE"],
        kubernetes_conn_id=settings["RECSTAGE_KUBERNETES_CONN_ID"],
        service_account_name=settings["RECSTAGE_SERVICE_ACCOUNT"] or None,
        automount_service_account_token=False,
        image_pull_policy=settings["RECSTAGE_IMAGE_PULL_POLICY"],
        container_resources=size,
        volumes=volumes(settings),
        volume_mounts=volume_mounts(),
        security_context=pod_security(settings),
        container_security_context=container_security(settings),
        labels={"app.kubernetes.io/name": "recstage", **labels},
        on_finish_action="delete_succeeded_pod",
        termination_grace_period=TERMINATION_GRACE_SECONDS,
        get_logs=True,
        do_xcom_push=False,
        **kwargs,
    )


def stage_pod(settings: Settings, stage: str, arguments: list[str], **operator_kwargs) -> KubernetesPodOperator:
    return _pod(
        settings,
        size=resources(settings, stage),
        labels={"app.kubernetes.io/component": stage},
        image=image(settings, stage),
        arguments=arguments,
        env_vars=stage_environment(settings),
        **operator_kwargs,
    )


def sharded_stage_pods(settings: Settings, stage: str, arguments_per_shard: list[list[str]], **operator_kwargs):
    """One mapped task of n pods (Airflow dynamic task mapping), shard i getting `arguments_per_shard[i]`;
    each pod has the stage's whole memory request = limit."""
    common = _pod_arguments(
        settings,
        size=resources(settings, stage),
        labels={"app.kubernetes.io/component": stage},
        image=image(settings, stage),
        env_vars=stage_environment(settings),
        **operator_kwargs,
    )
    return KubernetesPodOperator.partial(**common).expand(arguments=arguments_per_shard)


def evaluate_pod(settings: Settings, arguments: list[str], **operator_kwargs) -> KubernetesPodOperator:
    """evaluate runs every stage through bin/recstage inside its pod: the environment carries the
    stages' settings and each one's memory limit, which the launcher gives that stage (and
    EVALUATE_MEMORY_LIMIT, evaluate's own); no JAVA_TOOL_OPTIONS, as the launcher sets each heap."""
    return _pod(
        settings,
        size=evaluate_resources(settings),
        labels={"app.kubernetes.io/component": EVALUATE},
        image=evaluate_image(settings),
        arguments=arguments,
        env_vars={**settings.stage_environment(), **settings.memory_limits()},
        **operator_kwargs,
    )


def publish_pod(settings: Settings, task_id: str, command: list[str], arguments: list[str]) -> KubernetesPodOperator:
    return _pod(
        settings,
        task_id=task_id,
        size=resources(settings, "publish"),
        labels={"app.kubernetes.io/component": "publish"},
        image=settings["RECSTAGE_PUBLISH_IMAGE"],
        cmds=command,
        arguments=arguments,
        env_vars={"PYTHONDONTWRITEBYTECODE": "1"},
    )
