{#-
    gscor_layer_totals(layer, relation, keys, measures, where, with_row_count, aggregated, account_key)
        One layer's totals for CTE `totals`: per account_id (unless account_key=false) and `keys` ({name:
        expression}), count(*) as row_count when with_row_count, and every measure ({name: expression}) summed,
        or taken as written when aggregated=true (the expressions are aggregates already).

    gscor_layers_disagree(totals, layers, keys, measures, tolerance=0, missing_as_zero=false)
        Shared end of the reconciliation tests (tests/dbt/generic): CTE `totals` holds one row per layer × key
        (columns: layer, the `keys`, the `measures`); this pivots the layers side by side (<layer>__present and
        <layer>__<measure>) and returns every key where two consecutive `layers` disagree: a key present in one
        layer and missing from the next (unless missing_as_zero, when a missing key reads 0), or a measure that
        differs — NULL-safe and exact when tolerance = 0, else by more than the tolerance.
-#}
{% macro gscor_layer_totals(layer, relation, keys, measures, where=none, with_row_count=false, aggregated=false,
    account_key=true) -%}
    select
        '{{ layer }}' as layer,
        {%- if account_key %}
        account_id,
        {%- endif %}
        {%- for name, expr in keys.items() %}
        {{ expr }} as {{ name }},
        {%- endfor %}
        {%- if with_row_count %}
        count(*) as row_count,
        {%- endif %}
        {%- for name, expr in measures.items() %}
        {{ expr if aggregated else 'sum(' ~ expr ~ ')' }} as {{ name }},
        {%- endfor %}
        1 as layer_rows
    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    group by {{ ((['account_id'] if account_key else []) + (keys.values() | list)) | join(', ') }}
{%- endmacro %}

{% macro gscor_layers_disagree(totals, layers, keys, measures, tolerance=0, missing_as_zero=false) -%}
{%- set columns = [] %}
{%- for layer in layers %}
    {%- do columns.append("count(case when layer = '" ~ layer ~ "' then 1 end) as " ~ layer ~ "__present") %}
    {%- for measure in measures %}
        {%- set value = "max(case when layer = '" ~ layer ~ "' then " ~ measure ~ " end)" %}
        {%- do columns.append(("coalesce(" ~ value ~ ", 0)" if missing_as_zero else value)
            ~ " as " ~ layer ~ "__" ~ measure) %}
    {%- endfor %}
{%- endfor %}
select *
from (
    select
        {{ (keys + columns) | join(',\n        ') }}
    from {{ totals }}
    group by {{ keys | join(', ') }}
) as compared
where
    false
    {%- for i in range(1, layers | length) %}
    {%- set a = layers[i - 1] %}
    {%- set b = layers[i] %}
    {%- if not missing_as_zero %}
    or {{ a }}__present <> {{ b }}__present
    {%- endif %}
    {%- for measure in measures %}
    {%- if tolerance == 0 %}
    or {{ a }}__{{ measure }} is distinct from {{ b }}__{{ measure }}
    {%- else %}
    or ({{ a }}__{{ measure }} is null) <> ({{ b }}__{{ measure }} is null)
    or abs({{ a }}__{{ measure }} - {{ b }}__{{ measure }}) > {{ tolerance }}
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
{%- endmacro %}
