{#-
    The warehouse's calendar (engine differences live in cross_db.sql; these macros give them the back office's
    meaning):

    gscor_week_start(d) / gscor_week_end(d): the back office's weeks run Sunday → Saturday (the real export:
        2026-09-13 Sun ~ 2026-09-19 Sat): the Sunday on or before date d, and the Saturday after it. Dispatched.
    gscor_month_start(d) / gscor_month_end(d): first and last day of the calendar month of d (dates).
    gscor_date_spine(start_date, end_date): a SELECT of one row per day, column `date_day` (date), from
        start_date to end_date inclusive (ISO date strings). Portable: a cross join of ten-row digit lists
        (up to 100,000 days) and gscor_add_days; no generate_series, no dbt_utils.
    gscor_parse_period(expr, part): parse a back-office statistics period (同行对比 统计周期) into
        part='start' : first day (date)
        part='end'   : last day, inclusive (date)
        part='grain' : 'day' (start = end), 'week' (7 days), 'month' (a whole calendar month), else 'custom'
        Accepted spellings: 'YYYY-MM-DD~YYYY-MM-DD' (spaces around '~' allowed) and 'YYYY-MM'.
        Anything else parses to NULL (never a guess). Portable: the vocabulary and dbt's cross-database macros
        (split_part, length, position, date_trunc, last_day) only.
-#}
{% macro gscor_week_start(date_expr) -%}
    {{ return(adapter.dispatch('gscor_week_start', 'gscor')(date_expr)) }}
{%- endmacro %}

{#- date_trunc('week') starts weeks on Monday on most engines: shift by one day either side. -#}
{% macro default__gscor_week_start(date_expr) -%}
    cast({{ dbt.dateadd('day', '-1', dbt.date_trunc('week', dbt.dateadd('day', '1', date_expr))) }} as date)
{%- endmacro %}

{#- dayofweek: Sunday = 0 on DuckDB. -#}
{% macro duckdb__gscor_week_start(date_expr) -%}
    cast(({{ date_expr }}) - cast(dayofweek({{ date_expr }}) as integer) as date)
{%- endmacro %}

{#- dayofweek: Sunday = 1 on Spark. -#}
{% macro spark__gscor_week_start(date_expr) -%}
    date_sub(cast({{ date_expr }} as date), dayofweek({{ date_expr }}) - 1)
{%- endmacro %}

{% macro gscor_week_end(date_expr) -%}
    {{ gscor_add_days('6', gscor_week_start(date_expr)) }}
{%- endmacro %}

{% macro gscor_month_start(date_expr) -%}
    cast({{ dbt.date_trunc('month', date_expr) }} as date)
{%- endmacro %}

{% macro gscor_month_end(date_expr) -%}
    cast({{ dbt.last_day(date_expr, 'month') }} as date)
{%- endmacro %}

{% macro gscor_date_spine(start_date, end_date) -%}
    {%- set digits -%}
        select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
        union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
    {%- endset -%}
    select date_day
    from (
        select
            {{ gscor_add_days('day_offset', "cast('" ~ start_date ~ "' as date)") }} as date_day
        from (
            select
                ones.d + 10 * tens.d + 100 * hundreds.d + 1000 * thousands.d + 10000 * ten_thousands.d as day_offset
            from ({{ digits }}) as ones
            cross join ({{ digits }}) as tens
            cross join ({{ digits }}) as hundreds
            cross join ({{ digits }}) as thousands
            cross join ({{ digits }}) as ten_thousands
        ) as offsets
        where day_offset <= {{ gscor_days_between("cast('" ~ start_date ~ "' as date)", "cast('" ~ end_date ~ "' as date)") }}
    ) as spine
{%- endmacro %}

{% macro gscor_parse_period(expr, part) -%}
    {%- set txt = "trim(" ~ expr ~ ")" -%}
    {%- set range_start = gscor_safe_cast("trim(" ~ dbt.split_part(txt, "'~'", 1) ~ ")", 'date') -%}
    {%- set range_end = gscor_safe_cast("trim(" ~ dbt.split_part(txt, "'~'", 2) ~ ")", 'date') -%}
    {%- set month_start = gscor_safe_cast(gscor_concat([txt, "'-01'"]), 'date') -%}
    {%- set is_range = dbt.position("'~'", txt) ~ " > 0" -%}
    {%- set is_month = dbt.length(txt) ~ " = 7 and " ~ dbt.position("'~'", txt) ~ " = 0" -%}
    {%- set p_start -%}
        (case when {{ is_range }} then {{ range_start }} when {{ is_month }} then {{ month_start }} end)
    {%- endset -%}
    {%- set p_end -%}
        (case
            when {{ is_range }} then {{ range_end }}
            when {{ is_month }} then {{ gscor_month_end(month_start) }}
        end)
    {%- endset -%}
    {%- if part == 'start' -%}
        {{ p_start }}
    {%- elif part == 'end' -%}
        {{ p_end }}
    {%- elif part == 'grain' -%}
        (case
            when {{ p_start }} is null or {{ p_end }} is null then null
            when {{ p_start }} = {{ p_end }} then 'day'
            when {{ gscor_days_between(p_start, p_end) }} = 6 then 'week'
            when {{ p_start }} = {{ gscor_month_start(p_start) }}
                and {{ p_end }} = {{ gscor_month_end(p_start) }} then 'month'
            else 'custom'
        end)
    {%- else -%}
        {{ exceptions.raise_compiler_error("gscor_parse_period: part must be start, end or grain, got " ~ part) }}
    {%- endif -%}
{%- endmacro %}
