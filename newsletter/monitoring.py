"""Failed background jobs, on either task backend, for staff (the Worker heartbeats page in the admin) and
monitoring (the health URL and `manage.py health`). Jobs carry row ids only, so nothing here names
a reader.

A failed job is history, not lost work: the rows it worked on say what is left to do and the schedule
queues them again. The list says what went wrong and when, so a run of failures is seen and explained.
"""

from dataclasses import dataclass
from datetime import datetime

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


@dataclass(frozen=True)
class FailedJob:
    task: str  # the task's dotted path and its arguments (ids)
    failed_at: datetime | None
    error: str  # the exception's last line


def _engine():
    return type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__


def _rq_registries():
    import django_rq
    from rq.registry import FailedJobRegistry

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return [FailedJobRegistry(queue=django_rq.get_queue(name)) for name in backend.queues]


def _last_line(text):
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def failed_jobs_count():
    """How many jobs the queue holds as failed; None when the queue cannot be asked (Redis down)."""
    engine = _engine()
    if engine == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.failed().count()
    if engine == "RQBackend":
        from redis.exceptions import RedisError

        try:
            return sum(registry.count for registry in _rq_registries())
        except RedisError:
            return None
    return 0


def failed_jobs(limit=20):
    """The most recent failed jobs, newest first."""
    engine = _engine()
    if engine == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        return [
            FailedJob(
                task=f"{row.task_path}({_arguments(row.args_kwargs.get('kwargs', {}))})",
                failed_at=row.finished_at,
                error=_last_line(row.traceback) or row.exception_class_path,
            )
            for row in DBTaskResult.objects.failed().order_by("-finished_at")[:limit]
        ]
    if engine == "RQBackend":
        from redis.exceptions import RedisError
        from rq.job import Job

        jobs = []
        try:
            for registry in _rq_registries():
                ids = registry.get_job_ids(0, limit - 1, desc=True)
                for job in Job.fetch_many(ids, connection=registry.connection):
                    if job is None:
                        continue
                    result = job.latest_result()
                    failed = result is not None and result.type == result.Type.FAILED
                    jobs.append(
                        FailedJob(
                            task=job.description or job.id,
                            failed_at=job.ended_at or (result.created_at if result else None),
                            error=_last_line(result.exc_string) if failed else "",
                        )
                    )
        except RedisError:
            return []
        return sorted(jobs, key=lambda job: job.failed_at or datetime.min, reverse=True)[:limit]
    return []


def _arguments(kwargs):
    return ", ".join(f"{key}={value!r}" for key, value in sorted(kwargs.items()))
