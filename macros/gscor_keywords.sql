{#-
    gscor_normalise_keyword(expr): the one keyword normalisation of the warehouse, shared by the P4P facts
    (keyword_key) and dim_keyword / the traffic marts: every run of whitespace (ASCII whitespace, the
    ideographic space U+3000 and the no-break space U+00A0) collapsed to one space, then trimmed, then
    lower-cased. NULL stays NULL; a keyword that is only whitespace becomes ''.
    'Mesh   Sneakers ' -> 'mesh sneakers'. Accents are NOT folded: the real export already lost some
    (`zapatos atlticos`), and folding would merge keywords the back office keeps apart.
    Dispatched because regular-expression functions differ per engine.
-#}
{% macro gscor_normalise_keyword(expr) -%}
    {{ return(adapter.dispatch('gscor_normalise_keyword', 'gscor')(expr)) }}
{%- endmacro %}

{#- default: engines whose regexp_replace replaces every match and knows \s (Spark, Trino, BigQuery). -#}
{% macro default__gscor_normalise_keyword(expr) -%}
    lower(trim(regexp_replace({{ expr }}, '\s+', ' ')))
{%- endmacro %}

{% macro duckdb__gscor_normalise_keyword(expr) -%}
    lower(trim(regexp_replace({{ expr }}, '[\s\x{3000}\x{00A0}]+', ' ', 'g')))
{%- endmacro %}
