{#-
    Surrogate key: hash of the given column expressions, NULL-safe and separated
    so that ('a', 'bc') and ('ab', 'c') differ. Portable: dbt.hash, dbt.concat,
    dbt.safe_cast and dbt.type_string are dbt's cross-database macros.
-#}
{% macro gscor_surrogate_key(expressions) -%}
    {%- set parts = [] -%}
    {%- for expr in expressions -%}
        {%- do parts.append("coalesce(" ~ dbt.safe_cast(expr, dbt.type_string()) ~ ", '_gscor_null_')") -%}
        {%- if not loop.last %}{% do parts.append("'-'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
