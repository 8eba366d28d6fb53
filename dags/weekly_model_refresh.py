"""Weekly refresh, Saturday 12:00 UTC: the whole history with a freshly fitted TF-IDF model.

Publishing switches `latest` and also `models/tfidf-current`, the model the incremental runs score
with until next Saturday, and `models/content-baseline`, this run's content neighbours scored with
that model, into which the incremental runs merge the items changed since. After publishing (so never
holding it up), `evaluate` scores the pipeline on the last EVALUATE_WINDOW_DAYS and writes its report
into the run, beside the outputs (in Kubernetes, in the evaluate image's pod: docker/Dockerfile.evaluate).
"""

from airflow.sdk import DAG, CronTriggerTimetable

from recstage_dags import layout, settings
from recstage_dags.stages import StageFactory, dag_arguments

config = settings.load()

with DAG(
    dag_id="weekly_model_refresh",
    description="Weekly: whole history, fresh TF-IDF model saved for the week, recommend, publish latest",
    schedule=CronTriggerTimetable("0 12 * * 6", timezone="UTC"),
    **dag_arguments(config),
) as dag:
    stage = StageFactory(config, dag.dag_id)
    features = stage.features()
    neighbours = [stage.content_similarity(), stage.behavior_cooccurrence()]
    recommend = stage.recommend()
    publish = stage.publish(links=[
        (layout.CONTENT_BASELINE, layout.CONTENT),  # the full output the incremental runs merge into
        (layout.LATEST, "."),
        (layout.MODEL_POINTER, stage.whole_catalogue_dir(layout.CONTENT)),
    ])
    features >> neighbours >> recommend >> publish
    publish >> stage.evaluate(window_days=config.int("EVALUATE_WINDOW_DAYS"))
