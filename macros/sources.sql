{#-
    source(): dbt's own, except where the engine cannot read a source's `external_location` itself.

    The sources over the landing zone (models/staging/*/_*__sources.yml) carry an `external_location`:
    DuckDB's read_parquet('<landing>/<type>/*/*.parquet', union_by_name=true, …), which dbt-duckdb renders in
    place of the relation. dbt-spark ignores the config, so on Spark the same path is read as a Parquet file
    relation, parquet.`<path>` — a local folder or an object-store URL (s3a://, abfss://, gs://) alike; the
    profile's spark.sql.parquet.mergeSchema=true is union_by_name (files written by older gscor versions may lack
    newer columns). One source of truth for the path: the generated external_location.

    builtins.source is always called, so dbt records the dependency at parse time on every engine; DuckDB gets
    exactly what dbt-duckdb renders (its compiled SQL is unchanged).
-#}
{% macro source(source_name, table_name) -%}
    {%- set relation = builtins.source(source_name, table_name) -%}
    {{ return(adapter.dispatch('gscor_source', 'gscor')(relation, source_name, table_name)) }}
{%- endmacro %}

{% macro default__gscor_source(relation, source_name, table_name) -%}
    {{ return(relation) }}
{%- endmacro %}

{% macro spark__gscor_source(relation, source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set node = graph.sources.get('source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name) -%}
    {%- set location = ((node or {}).get('config') or {}).get('external_location') -%}
    {%- if not location or (relation | string) != node.get('relation_name') -%}
        {#- not a landing source, or a unit test's fixture standing in for it -#}
        {{ return(relation) }}
    {%- endif -%}
    {%- set found = modules.re.search("read_parquet\(\s*'((?:[^']|'')*)'", location) -%}
    {%- if not found -%}
        {{ exceptions.raise_compiler_error('gscor_source: no read_parquet path in the external_location of ' ~ source_name ~ '.' ~ table_name ~ ': ' ~ location) }}
    {%- endif -%}
    {{ return('parquet.`' ~ found.group(1) | replace("''", "'") | replace('`', '``') ~ '`') }}
{%- endmacro %}
