"""Incremental update every 4 hours at :45 (never on the hour, so never within 30 minutes of the
daily 18:00 or the Saturday 12:00 run): the last INCREMENTAL_LOOKBACK_DAYS days only.

Content is scored with the weekly DAG's saved model (`--model`), so it needs one weekly run first:
only the items new or changed since that run are scored, against all items, and merged into its
output (`--previous models/content-baseline`), which equals a full run with that model on today's
catalogue. Behaviour covers the recent window only, so outputs go to `latest-incremental`: a
window's neighbours must not replace the full ones.
"""

from airflow.sdk import DAG, CronTriggerTimetable

from recstage_dags import layout, settings
from recstage_dags.stages import StageFactory, dag_arguments

config = settings.load()

with DAG(
    dag_id="incremental_data_update",
    description="Every 4 h: recent window, content scored with the saved model, recommend, publish latest-incremental",
    schedule=CronTriggerTimetable("45 */4 * * *", timezone="UTC"),
    **dag_arguments(config),
) as dag:
    stage = StageFactory(config, dag.dag_id)
    features = stage.features(lookback_days=config.int("INCREMENTAL_LOOKBACK_DAYS"))
    neighbours = [stage.content_similarity(saved_model=True, incremental=True), stage.behavior_cooccurrence()]
    recommend = stage.recommend()
    publish = stage.publish(links=[(layout.LATEST_INCREMENTAL, ".")])
    features >> neighbours >> recommend >> publish
