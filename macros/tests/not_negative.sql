{#- Fails on rows with a negative value (counts, spend, amounts). NULL (unknown) passes. -#}
{% test not_negative(model, column_name) %}
    select *
    from {{ model }}
    where {{ column_name }} < 0
{% endtest %}
