{#-
    reconciles_across_layers: the landing zone's latest load of a report type, every layer it passes through and
    the fact it is declared on agree, per key (account × period or day), on the row count and every additive
    measure. The test does not trust staging: it re-derives "latest load wins" from the landing Parquet itself.

    Arguments
      landing         the report type (table of the `alibaba` source over data/landing/<type>/)
      latest_load     'row': overlapping loads repeat records; per account × `natural_key` the row of the
                      latest load wins (gscor.registry.RECENCY_ORDER: the newest export, coalesce(exported_at, loaded_at),
                      then load_seq, loaded_at, source_sha256; then source_row, descending).
                      'file': every load covers a whole period; per account × `natural_key` (the period,
                      e.g. [period_start, period_end]) the latest LOAD wins whole (gscor.registry.RECENCY_ORDER).
      natural_key     landing columns or expressions (account_id is implied)
      grain           {output name: landing column or expression} or {name: {landing: …, model: …}}: the keys
                      compared (account_id is implied); a plain value is used in the landing and through layers,
                      `model` (default: the same) on the fact
      measures        list of columns summed in every layer, or {name: {landing: …, model: …}} expressions
      count_rows      also compare count(*) (default true)
      through         models between landing and fact with the landing's column names (staging, …), in order
      model_where     filter on the fact (e.g. one conversation type of a fact fed by two report types)
      tolerance       0 (default): exact and NULL-safe; else the largest absolute difference allowed
    Returns the keys where two consecutive layers (landing → through… → fact) disagree or a key is missing.
-#}
{% test reconciles_across_layers(model, landing, latest_load, natural_key, grain, measures, count_rows=true,
    through=[], model_where=none, tolerance=0) %}

{%- set grain_landing = {} %}
{%- set grain_model = {} %}
{%- for name, spec in grain.items() %}
    {%- do grain_landing.update({name: spec.landing if spec is mapping else name}) %}
    {%- do grain_model.update({name: spec.model if spec is mapping else spec}) %}
{%- endfor %}
{%- set measure_landing = {} %}
{%- set measure_model = {} %}
{%- if measures is mapping %}
    {%- for name, spec in measures.items() %}
        {%- do measure_landing.update({name: spec.landing if spec is mapping else name}) %}
        {%- do measure_model.update({name: spec.model if spec is mapping else spec}) %}
    {%- endfor %}
{%- else %}
    {%- for name in measures %}
        {%- do measure_landing.update({name: name}) %}
        {%- do measure_model.update({name: name}) %}
    {%- endfor %}
{%- endif %}
{%- set compared = (['row_count'] if count_rows else []) + (measure_landing.keys() | list) %}
{%- set layers = ['landing'] %}
{%- for layer in through %}{% do layers.append(layer.identifier) %}{% endfor %}
{%- do layers.append('model') %}


with

landing_ranked as (

    select
        *,
        {%- if latest_load == 'row' %}
        row_number() over (
            partition by account_id, {{ natural_key | join(', ') }}
            order by coalesce(exported_at, loaded_at) desc, coalesce(load_seq, 0) desc, loaded_at desc, source_sha256 desc, source_row desc
        ) as load_rank
        {%- elif latest_load == 'file' %}
        dense_rank() over (
            partition by account_id, {{ natural_key | join(', ') }}
            order by coalesce(exported_at, loaded_at) desc, coalesce(load_seq, 0) desc, loaded_at desc, source_sha256 desc
        ) as load_rank
        {%- else %}
        {{ exceptions.raise_compiler_error("reconciles_across_layers: latest_load must be 'row' or 'file'") }}
        {%- endif %}
    from {{ source('alibaba', landing) }}

),

landing_latest as (

    select * from landing_ranked where load_rank = 1

),

totals as (
    {{ gscor_layer_totals('landing', 'landing_latest', grain_landing, measure_landing, none, count_rows) }}
    {%- for layer in through %}
    union all
    {{ gscor_layer_totals(layer.identifier, layer, grain_landing, measure_landing, none, count_rows) }}
    {%- endfor %}
    union all
    {{ gscor_layer_totals('model', model, grain_model, measure_model, model_where, count_rows) }}

)

{{ gscor_layers_disagree('totals', layers, ['account_id'] + (grain_landing.keys() | list), compared, tolerance) }}

{% endtest %}
