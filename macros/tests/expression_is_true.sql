{#-
    Fails on rows where the SQL expression is not true. On a column the
    expression is appended to it: `expression: ">= 0"`.
-#}
{% test expression_is_true(model, expression, column_name=none, where_clause=none) %}
    select *
    from {{ model }}
    where
        not coalesce(({{ column_name ~ ' ' if column_name is not none else '' }}{{ gscor_sql_text(expression) }}), false)
        {%- if where_clause is not none %}
            and ({{ where_clause }})
        {%- endif %}
{% endtest %}

{#-
    gscor_sql_text(sql): SQL written in the tests' yml (DuckDB's string literals) for this engine. Spark reads
    backslash escapes inside string literals ('\' is an unterminated literal there): every backslash is doubled,
    so `like '%\%%' escape '\'` means on Spark what it means on DuckDB. Identity elsewhere.
-#}
{% macro gscor_sql_text(sql) -%}
    {{ return(adapter.dispatch('gscor_sql_text', 'gscor')(sql)) }}
{%- endmacro %}

{% macro default__gscor_sql_text(sql) -%}
    {{ return(sql) }}
{%- endmacro %}

{% macro spark__gscor_sql_text(sql) -%}
    {{ return(sql | replace('\\', '\\\\')) }}
{%- endmacro %}
