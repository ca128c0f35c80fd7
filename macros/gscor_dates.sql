{#-
    The back office's weeks run Sunday → Saturday (the real export: 2026-09-13 Sun ~ 2026-09-19 Sat).
    gscor_week_start(d): the Sunday on or before date d; gscor_week_end(d): the Saturday after it.
    gscor_month_start(d) / gscor_month_end(d): calendar month of d.
-#}
{% macro gscor_week_start(date_expr) -%}
    {{ return(adapter.dispatch('gscor_week_start', 'gscor')(date_expr)) }}
{%- endmacro %}

{% macro default__gscor_week_start(date_expr) -%}
    cast({{ dbt.dateadd('day', '-1', dbt.date_trunc('week', dbt.dateadd('day', '1', date_expr))) }} as date)
{%- endmacro %}

{% macro duckdb__gscor_week_start(date_expr) -%}
    cast(({{ date_expr }}) - cast(dayofweek({{ date_expr }}) as integer) as date)
{%- endmacro %}

{% macro gscor_week_end(date_expr) -%}
    cast({{ dbt.dateadd('day', '6', gscor_week_start(date_expr)) }} as date)
{%- endmacro %}

{% macro gscor_month_start(date_expr) -%}
    cast({{ dbt.date_trunc('month', date_expr) }} as date)
{%- endmacro %}

{% macro gscor_month_end(date_expr) -%}
    cast({{ dbt.last_day(date_expr, 'month') }} as date)
{%- endmacro %}
