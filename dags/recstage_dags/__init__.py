"""recstage's Airflow package: settings, run layout, stage factory (pods or local processes), publish step."""
