"""Where contact logs are measured: an Ibis backend, and the log registered in it.

The measures are written once in Ibis and run on any backend it offers. Two are set up
here: DuckDB in memory (the default: fast on one machine, nothing to start) and PySpark
on a local ``local[2]`` session, started once per process and reused.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
import uuid
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from journeymap.errors import JourneymapError

if TYPE_CHECKING:
    import ibis
    from pyspark.sql import SparkSession

ENGINES = ("duckdb", "pyspark")
"""The engines ``connect`` knows, the default first."""

_PACKAGES = {"duckdb": ("ibis", "duckdb"), "pyspark": ("ibis", "pyspark")}
_SPARK_CONFIG = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "2g",
}
_LOG4J = """\
# Warnings only, as a Spark shell has by default (so Spark does not say it changed the
# level), less two that every local session gives; errors only once the session is up.
rootLogger.level = warn
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.utils.name = org.apache.spark.util.Utils
logger.utils.level = error
logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader
logger.hadoop.level = error
"""


class EngineError(JourneymapError):
    """An engine journeymap does not know, or whose packages are not installed."""


def connect(engine: str = "duckdb") -> ibis.BaseBackend:
    """An Ibis backend for ``engine``: ``duckdb`` (in memory) or ``pyspark`` (local).

    Raises ``EngineError`` for an unknown engine or one whose packages are missing.
    """
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    for package in _PACKAGES[engine]:
        try:
            importlib.import_module(package)
        except ImportError as error:
            raise EngineError(
                f"the {engine} engine needs the {package} package, which is not installed: "
                f"pip install 'ibis-framework[{engine}]'"
            ) from error
    import ibis

    if engine == "duckdb":
        return ibis.duckdb.connect()
    return ibis.pyspark.connect(_spark())


@cache
def _spark() -> SparkSession:
    """The local Spark session: two cores, no UI, errors only in the log, times in UTC."""
    from pyspark.sql import SparkSession

    folder = Path(tempfile.mkdtemp(prefix="journeymap-spark-"))
    try:
        config = folder / "log4j2.properties"
        config.write_text(_LOG4J, encoding="utf-8")
        builder = SparkSession.builder.master("local[2]").appName("journeymap")
        for key, value in _SPARK_CONFIG.items():
            builder = builder.config(key, value)
        options = f"-Dlog4j2.configurationFile={config.as_uri()}"
        session = builder.config("spark.driver.extraJavaOptions", options).getOrCreate()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    session.sparkContext.setLogLevel("ERROR")
    return session


def load(backend: ibis.BaseBackend, contacts: pa.Table | str | Path) -> ibis.Table:
    """The contact table ``contacts`` (Arrow, or a Parquet file) as a table of ``backend``.

    A Parquet file is read where it lies. Arrow data becomes a view: DuckDB reads it in
    place, PySpark takes a copy through pandas.
    """
    import ibis

    if isinstance(contacts, str | Path):
        return backend.read_parquet(str(contacts), table_name=_name())
    return backend.create_view(_name(), ibis.memtable(contacts))


def _name() -> str:
    return f"contacts_{uuid.uuid4().hex}"
