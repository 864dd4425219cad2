"""The Airflow side of docanalysis: configuration from connections and variables, the
tasks the DAG files wire together, and the audit listener.

Everything here is glue; the work happens in the ``analysis`` library.
"""
