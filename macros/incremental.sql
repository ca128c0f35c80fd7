{#-
    Incremental facts are rebuilt per (account, period) with delete+insert:

        {{ config(
            materialized='incremental',
            incremental_strategy='delete+insert',
            unique_key=['account_id', 'period_grain', 'period_start'],
            on_schema_change='fail'
        ) }}
        ...
        final as ( select ..., loaded_at from ... )   -- every row, with its period and loaded_at
        select final.* from final
        {{ gscor_only_changed_periods('final') }}

    On an incremental run `gscor_only_changed_periods` keeps the rows of those periods whose newest
    upstream load is newer than what the table holds for that period (or that the table does not hold
    at all); every row of such a period is recomputed, so delete+insert on the period key replaces the
    period whole. On a full refresh (or the first run) it renders nothing.
-#}
{% macro gscor_only_changed_periods(cte, keys=['account_id', 'period_grain', 'period_start']) %}
    {{- adapter.dispatch('gscor_only_changed_periods', 'gscor')(cte, keys) -}}
{% endmacro %}

{% macro default__gscor_only_changed_periods(cte, keys, correlate=none) %}
    {%- set correlate = correlate or keys %}
    {%- if is_incremental() %}
    where exists (
        select 1
        from (
            select
                {{ keys | join(', ') }},
                max(loaded_at) as newest_load
            from {{ cte }}
            group by {{ keys | join(', ') }}
        ) as upstream_period
        left join (
            select
                {{ keys | join(', ') }},
                max(loaded_at) as newest_load
            from {{ this }}
            group by {{ keys | join(', ') }}
        ) as held_period
            on {% for k in keys %}upstream_period.{{ k }} = held_period.{{ k }}{% if not loop.last %} and {% endif %}{% endfor %}
        where
            (held_period.newest_load is null or upstream_period.newest_load > held_period.newest_load)
            {% for k in correlate %}and upstream_period.{{ k }} = {{ cte }}.{{ k }}{% if not loop.last %} {% endif %}{% endfor %}
    )
    {%- endif %}
{% endmacro %}

{#-
    Spark (plain Parquet tables: no DELETE, no MERGE without Delta/Iceberg): the facts are partitioned by
    account_id (gscor_incremental_config) and written with insert_overwrite under dynamic partition overwrite,
    which replaces exactly the partitions the new rows fall in. So an incremental run recomputes every row of
    each ACCOUNT with a changed period (not only the changed periods): the rows written are then the account's
    full-refresh rows, and the partition swap drops nothing another account holds.
-#}
{% macro spark__gscor_only_changed_periods(cte, keys) %}
    {{- default__gscor_only_changed_periods(cte, keys, correlate=['account_id']) -}}
{% endmacro %}

{#-
    gscor_incremental_config(unique_key): the engine's incremental strategy for the (account, period) facts, as
    config keys: `{{ config(materialized='incremental', **gscor_incremental_config([...]), on_schema_change='fail') }}`.
      default (DuckDB): delete+insert on unique_key (the period key).
      spark: insert_overwrite of account_id partitions (dynamic partition overwrite, set in the profile), see
             spark__gscor_only_changed_periods; unique_key stays documented but Spark does not use it.
-#}
{% macro gscor_incremental_config(unique_key) %}
    {{- return(adapter.dispatch('gscor_incremental_config', 'gscor')(unique_key)) -}}
{% endmacro %}

{% macro default__gscor_incremental_config(unique_key) %}
    {{- return({'incremental_strategy': 'delete+insert', 'unique_key': unique_key}) -}}
{% endmacro %}

{% macro spark__gscor_incremental_config(unique_key) %}
    {{- return({'incremental_strategy': 'insert_overwrite', 'unique_key': unique_key, 'partition_by': ['account_id'], 'file_format': 'parquet'}) -}}
{% endmacro %}
