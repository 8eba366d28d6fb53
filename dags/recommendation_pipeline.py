"""Daily recommendations, 18:00 UTC: features over the whole history, both neighbour stages, recommend, publish `latest`.

Content similarity fits its own TF-IDF model each day; the weekly DAG's model is for the incremental runs.
"""

from airflow.sdk import DAG, CronTriggerTimetable

from recstage_dags import layout, settings
from recstage_dags.stages import StageFactory, dag_arguments

config = settings.load()

with DAG(
    dag_id="recommendation_pipeline",
    description="Daily: features -> content-similarity + behavior-cooccurrence -> recommend -> publish latest",
    schedule=CronTriggerTimetable("0 18 * * *", timezone="UTC"),
    **dag_arguments(config),
) as dag:
    stage = StageFactory(config, dag.dag_id)
    features = stage.features()
    neighbours = [stage.content_similarity(), stage.behavior_cooccurrence()]
    recommend = stage.recommend()
    publish = stage.publish(links=[(layout.LATEST, ".")])
    features >> neighbours >> recommend >> publish
