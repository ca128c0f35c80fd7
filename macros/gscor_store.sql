{#-
    Store slice (stage S) helpers.

    gscor_parse_period(expr, part): parse a back-office statistics period (同行对比 统计周期) into
      part='start' : first day (date)
      part='end'   : last day, inclusive (date)
      part='grain' : 'day' (start = end), 'week' (7 days), 'month' (a whole calendar month), else 'custom'
    Accepted spellings: 'YYYY-MM-DD~YYYY-MM-DD' (spaces around '~' allowed) and 'YYYY-MM'.
    Anything else parses to NULL (never a guess). Portable: dbt cross-database macros only
    (split_part, length, safe_cast, dateadd, datediff, last_day), so no adapter.dispatch is needed.
-#}
{% macro gscor_parse_period(expr, part) -%}
    {%- set txt = "trim(" ~ expr ~ ")" -%}
    {%- set range_start = dbt.safe_cast("trim(" ~ dbt.split_part(txt, "'~'", 1) ~ ")", "date") -%}
    {%- set range_end = dbt.safe_cast("trim(" ~ dbt.split_part(txt, "'~'", 2) ~ ")", "date") -%}
    {%- set month_start = dbt.safe_cast(dbt.concat([txt, "'-01'"]), "date") -%}
    {%- set is_range = dbt.position("'~'", txt) ~ " > 0" -%}
    {%- set is_month = dbt.length(txt) ~ " = 7 and " ~ dbt.position("'~'", txt) ~ " = 0" -%}
    {%- set p_start -%}
        (case when {{ is_range }} then {{ range_start }} when {{ is_month }} then {{ month_start }} end)
    {%- endset -%}
    {%- set p_end -%}
        (case
            when {{ is_range }} then {{ range_end }}
            when {{ is_month }} then cast({{ dbt.last_day(month_start, 'month') }} as date)
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
            when {{ dbt.datediff(p_start, p_end, 'day') }} = 6 then 'week'
            when {{ p_start }} = cast({{ dbt.date_trunc('month', p_start) }} as date)
                and {{ p_end }} = cast({{ dbt.last_day(p_start, 'month') }} as date) then 'month'
            else 'custom'
        end)
    {%- else -%}
        {{ exceptions.raise_compiler_error("gscor_parse_period: part must be start, end or grain, got " ~ part) }}
    {%- endif -%}
{%- endmacro %}

{#-
    Small portable wrappers used by the store models (they keep dbt.* calls out of model SQL, so the
    jinja-templated sqlfluff lint can stand them in; see the `gscor_store` line in .sqlfluff).
    gscor_store_cast(expr, type_name): type_name in float, bigint, int, string, date.
    gscor_store_add_days(days, date_expr): date_expr + days, as a date.
    gscor_store_days_between(start_expr, end_expr): whole days from start to end.
    gscor_store_listagg(expr, delimiter, order_by): ordered string aggregation (delimiter as plain text).
-#}
{% macro gscor_store_cast(expr, type_name) -%}
    {%- set types = {
        'float': gscor_type_double(), 'bigint': dbt.type_bigint(), 'int': dbt.type_int(),
        'string': dbt.type_string(), 'date': 'date'
    } -%}
    {%- if type_name not in types -%}
        {{ exceptions.raise_compiler_error("gscor_store_cast: unknown type " ~ type_name) }}
    {%- endif -%}
    cast({{ expr }} as {{ types[type_name] }})
{%- endmacro %}

{% macro gscor_store_add_days(days, date_expr) -%}
    cast({{ dbt.dateadd('day', days, date_expr) }} as date)
{%- endmacro %}

{% macro gscor_store_days_between(start_expr, end_expr) -%}
    {{ dbt.datediff(start_expr, end_expr, 'day') }}
{%- endmacro %}

{% macro gscor_store_listagg(expr, delimiter, order_by) -%}
    {{ dbt.listagg(expr, "'" ~ delimiter ~ "'", 'order by ' ~ order_by) }}
{%- endmacro %}
