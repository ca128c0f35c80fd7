{#-
    Spark publishing (gscor/spark.py): every build writes a fresh schema; readers use the schema `published`
    (default gscor), whose views point at the last build that passed. Run by `python -m gscor.spark` as
    run-operations in the build's own dbt process (one SparkSession with method: session).

    gscor_spark_start_from(from_schema): an incremental build starts from the published facts: each incremental
        model's table in from_schema is copied into the new build schema (target.schema), partitioned as
        gscor_incremental_config partitions it, so insert_overwrite recomputes only the changed accounts.
    gscor_spark_publish(build_schema, published): the switch, run only when every node of the build passed:
        CREATE OR REPLACE VIEW <published>.<relation> AS SELECT * FROM <build_schema>.<relation> for every relation
        of the build, the view gscor_build_info (build_schema, published_at), views of relations the build no
        longer has dropped, and build schemas older than the one just replaced dropped (the replaced one stays
        until the next publish, for queries still running on it).
-#}
{% macro gscor_spark_relations(schema) %}
    {%- set names = [] -%}
    {%- for row in run_query('show tables in ' ~ schema) -%}
        {%- if not row['isTemporary'] -%}{%- do names.append(row['tableName']) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}

{% macro gscor_spark_start_from(from_schema) %}
    {%- do run_query('create schema if not exists ' ~ target.schema) -%}
    {%- set held = gscor_spark_relations(from_schema) -%}
    {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') -%}
        {%- if node.config.materialized == 'incremental' and node.alias in held -%}
            {%- set cfg = gscor_incremental_config(node.config.unique_key) -%}
            {%- set sql -%}
                create table {{ target.schema }}.{{ node.alias }}
                using {{ cfg.get('file_format', 'parquet') }}
                {%- if cfg.get('partition_by') %} partitioned by ({{ cfg['partition_by'] | join(', ') }}){% endif %}
                as select * from {{ from_schema }}.{{ node.alias }}
            {%- endset -%}
            {%- do log('gscor: start from ' ~ from_schema ~ '.' ~ node.alias, info=true) -%}
            {%- do run_query(sql) -%}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}

{% macro gscor_spark_publish(build_schema, published='gscor') %}
    {%- do run_query('create schema if not exists ' ~ published) -%}
    {%- set previous = none -%}
    {%- set before = gscor_spark_relations(published) -%}
    {%- if 'gscor_build_info' in before -%}
        {%- set previous = run_query('select build_schema from ' ~ published ~ '.gscor_build_info').columns[0].values()[0] -%}
    {%- endif -%}
    {%- set names = gscor_spark_relations(build_schema) -%}
    {%- for name in names -%}
        {%- do run_query('create or replace view ' ~ published ~ '.' ~ name ~ ' as select * from ' ~ build_schema ~ '.' ~ name) -%}
    {%- endfor -%}
    {%- do run_query("create or replace view " ~ published ~ ".gscor_build_info as select '" ~ build_schema ~ "' as build_schema, timestamp '" ~ modules.datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M:%S') ~ "' as published_at") -%}
    {%- for name in before if name not in names and name != 'gscor_build_info' -%}
        {%- do run_query('drop view if exists ' ~ published ~ '.' ~ name) -%}
    {%- endfor -%}
    {%- for row in run_query("show schemas like '" ~ var('gscor_build_schema_prefix', 'gscor_b') ~ "*'") -%}
        {%- set schema = row[0] -%}
        {%- if schema != build_schema and schema != previous and schema < build_schema -%}
            {%- do run_query('drop schema if exists ' ~ schema ~ ' cascade') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do log('gscor: published ' ~ published ~ ' -> ' ~ build_schema ~ ' (' ~ names | length ~ ' relations; previous ' ~ previous ~ ')', info=true) -%}
{% endmacro %}
