{#-
    Platform helpers (dim_date, funnel):

    gscor_date_spine(start_date, end_date): a SELECT of one row per day, column `date_day` (date), from
        start_date to end_date inclusive (ISO date strings). Portable: a cross join of ten-row digit lists
        (up to 100,000 days) and dbt.dateadd; no generate_series, no dbt_utils.
    gscor_iso_part(part, date_expr): ISO-8601 calendar parts, part in ('year', 'week', 'day_of_week'):
        the ISO year, the ISO week number (1–53, weeks start Monday) and the ISO day of week (Monday = 1 …
        Sunday = 7). Dispatched: engines spell these differently.
    gscor_ratio(numerator, denominator): numerator / denominator as an 8-byte double (gscor_type_double();
        dbt.type_float() is a 4-byte FLOAT on DuckDB, too coarse for rates), NULL when the denominator is 0 or
        NULL (never a division error, never 0 for "no data"). The one ratio macro of the project.
-#}
{% macro gscor_date_spine(start_date, end_date) -%}
    {%- set digits -%}
        select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
        union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
    {%- endset -%}
    select date_day
    from (
        select
            cast({{ dbt.dateadd('day', 'day_offset', "cast('" ~ start_date ~ "' as date)") }} as date) as date_day
        from (
            select
                ones.d + 10 * tens.d + 100 * hundreds.d + 1000 * thousands.d + 10000 * ten_thousands.d as day_offset
            from ({{ digits }}) as ones
            cross join ({{ digits }}) as tens
            cross join ({{ digits }}) as hundreds
            cross join ({{ digits }}) as thousands
            cross join ({{ digits }}) as ten_thousands
        ) as offsets
        where day_offset <= {{ dbt.datediff("cast('" ~ start_date ~ "' as date)", "cast('" ~ end_date ~ "' as date)", 'day') }}
    ) as spine
{%- endmacro %}

{% macro gscor_iso_part(part, date_expr) -%}
    {{ return(adapter.dispatch('gscor_iso_part', 'gscor')(part, date_expr)) }}
{%- endmacro %}

{% macro default__gscor_iso_part(part, date_expr) -%}
    {%- set field = {'year': 'isoyear', 'week': 'week', 'day_of_week': 'isodow'}[part] -%}
    cast(extract({{ field }} from {{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro duckdb__gscor_iso_part(part, date_expr) -%}
    {%- set fn = {'year': 'isoyear', 'week': 'weekofyear', 'day_of_week': 'isodow'}[part] -%}
    cast({{ fn }}({{ date_expr }}) as integer)
{%- endmacro %}

{% macro spark__gscor_iso_part(part, date_expr) -%}
    {%- if part == 'week' -%}
        cast(weekofyear({{ date_expr }}) as int)
    {%- elif part == 'day_of_week' -%}
        cast(((dayofweek({{ date_expr }}) + 5) % 7) + 1 as int)
    {%- else -%}
        cast(year(date_add({{ date_expr }}, 3 - ((dayofweek({{ date_expr }}) + 5) % 7))) as int)
    {%- endif -%}
{%- endmacro %}

{% macro gscor_ratio(numerator, denominator) -%}
    (cast({{ numerator }} as {{ gscor_type_double() }}) / nullif(cast({{ denominator }} as {{ gscor_type_double() }}), 0))
{%- endmacro %}

{#- gscor_type_double(): an 8-byte float (dbt.type_float() is a 4-byte FLOAT on DuckDB: too coarse for rates). -#}
{% macro gscor_type_double() -%}
    {{ return(adapter.dispatch('gscor_type_double', 'gscor')()) }}
{%- endmacro %}

{% macro default__gscor_type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__gscor_type_double() -%}
    double
{%- endmacro %}

{% macro spark__gscor_type_double() -%}
    double
{%- endmacro %}

{% macro trino__gscor_type_double() -%}
    double
{%- endmacro %}

{% macro bigquery__gscor_type_double() -%}
    float64
{%- endmacro %}

{#- Thin wrappers over dbt's cross-database macros, so models call gscor_* only (the sqlfluff jinja templater
    has no `dbt` namespace; .sqlfluff holds one stand-in line, key gscor_platform, for all of these). -#}
{% macro gscor_days_between(start_expr, end_expr) -%}
    {{ dbt.datediff(start_expr, end_expr, 'day') }}
{%- endmacro %}

{% macro gscor_add_days(days, date_expr) -%}
    cast({{ dbt.dateadd('day', days, date_expr) }} as date)
{%- endmacro %}

{% macro gscor_listagg(expr, delimiter, order_by) -%}
    {{ dbt.listagg(expr, "'" ~ delimiter ~ "'", 'order by ' ~ order_by) }}
{%- endmacro %}

{% macro gscor_int(expr) -%}
    cast({{ expr }} as {{ dbt.type_int() }})
{%- endmacro %}

{% macro gscor_bigint(expr) -%}
    cast({{ expr }} as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro gscor_type_string() -%}
    {{ dbt.type_string() }}
{%- endmacro %}

{% macro gscor_concat(fields) -%}
    {{ dbt.concat(fields) }}
{%- endmacro %}

{#- gscor_report_families(): every report type of the registry (gscor/registry/types) with its GSCOR family —
    the one list int_account_report_loads unions staging over and fct_rule_coverage checks rules against. -#}
{% macro gscor_report_families() -%}
    {{ return({
        'shop_daily': 'traffic',
        'traffic_source': 'traffic',
        'keyword_performance': 'traffic',
        'keyword_index': 'traffic',
        'keyword_ranking': 'store',
        'product_performance': 'store',
        'product_catalog': 'store',
        'store_profile': 'store',
        'competitors': 'store',
        'industry_benchmark': 'store',
        'inquiries': 'communication',
        'tm_conversations': 'communication',
        'buyer_touchpoints': 'communication',
        'orders': 'order',
        'customers': 'retention',
        'p4p_keyword_daily': 'p4p',
        'p4p_fullsite_product': 'p4p',
        'ab_tests': 'ab_test',
    }) }}
{%- endmacro %}
