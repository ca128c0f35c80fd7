{#-
    rolls_up_to: the model it is declared on (the detail: a fact) adds up to `to` (its roll-up: a report or a
    coarser fact) per key: the detail aggregated per key equals the roll-up aggregated per key.

    Arguments
      to               the roll-up model, ref('…')
      keys             list of columns named alike on both sides, or {name: {model: …, to: …}} expressions
                       (e.g. the detail's day truncated to the roll-up's week)
      measures         list of columns summed on both sides, or {name: {model: <aggregate>, to: <aggregate>}}
                       (e.g. count(distinct order_id) against sum(ta_orders))
      model_where      filter on the detail; to_where: filter on the roll-up
      missing_as_zero  a key missing on one side reads 0 (a report densified with zero periods); default false:
                       a key on one side only fails
      tolerance        0 (default): exact and NULL-safe; else the largest absolute difference allowed
    Returns the keys where the two sides differ.
-#}
{% test rolls_up_to(model, to, keys, measures, model_where=none, to_where=none, missing_as_zero=false, tolerance=0) %}

{%- set key_model = {} %}
{%- set key_to = {} %}
{%- if keys is mapping %}
    {%- for name, spec in keys.items() %}
        {%- do key_model.update({name: spec.model if spec is mapping else spec}) %}
        {%- do key_to.update({name: spec.to if spec is mapping else spec}) %}
    {%- endfor %}
{%- else %}
    {%- for name in keys %}{% do key_model.update({name: name}) %}{% do key_to.update({name: name}) %}{% endfor %}
{%- endif %}
{%- set measure_model = {} %}
{%- set measure_to = {} %}
{%- if measures is mapping %}
    {%- for name, spec in measures.items() %}
        {%- do measure_model.update({name: spec.model}) %}
        {%- do measure_to.update({name: spec.to}) %}
    {%- endfor %}
{%- else %}
    {%- for name in measures %}
        {%- do measure_model.update({name: 'sum(' ~ name ~ ')'}) %}
        {%- do measure_to.update({name: 'sum(' ~ name ~ ')'}) %}
    {%- endfor %}
{%- endif %}


with

totals as (
    {{ gscor_layer_totals('model', model, key_model, measure_model, model_where, aggregated=true, account_key=false) }}
    union all
    {{ gscor_layer_totals('rollup', to, key_to, measure_to, to_where, aggregated=true, account_key=false) }}

)

{{ gscor_layers_disagree('totals', ['model', 'rollup'], key_model.keys() | list, measure_model.keys() | list,
    tolerance, missing_as_zero) }}

{% endtest %}
