"""Background work of readership, through the django-tasks API: making the readership page's figures,
which takes seconds over a large archive, runs in the task queue rather than in the schedule's tick."""

from django_tasks import task


@task()
def make_readership_figures(*, period):
    from readership import report

    report.make_figures(period)
