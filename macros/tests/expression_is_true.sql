{#-
    Fails on rows where the SQL expression is not true. On a column the
    expression is appended to it: `expression: ">= 0"`.
-#}
{% test expression_is_true(model, expression, column_name=none, where_clause=none) %}
    select *
    from {{ model }}
    where
        not coalesce(({{ column_name ~ ' ' if column_name is not none else '' }}{{ expression }}), false)
        {%- if where_clause is not none %}
            and ({{ where_clause }})
        {%- endif %}
{% endtest %}
