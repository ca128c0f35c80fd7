{#-
    gscor_p4p_add_days(n, date_expr): date_expr shifted by n days, as a DATE (dbt's portable dateadd; a wrapper
    so that the P4P models lint with sqlfluff's jinja templater, which has a stand-in for it in .sqlfluff).
-#}
{% macro gscor_p4p_add_days(n, date_expr) -%}
    cast({{ dbt.dateadd('day', n, date_expr) }} as date)
{%- endmacro %}
