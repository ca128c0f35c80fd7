{#-
    PII key: SHA-256 (lower-case hex) of the lower-cased, trimmed value; NULL and
    blank stay NULL. Staging keeps only this key so raw names and e-mails never
    reach the marts. Dispatched: each engine spells SHA-256 differently.
-#}
{% macro gscor_pii_key(column) -%}
    {{ return(adapter.dispatch('gscor_pii_key', 'gscor')(column)) }}
{%- endmacro %}

{% macro default__gscor_pii_key(column) -%}
    sha2(nullif(lower(trim({{ column }})), ''), 256)
{%- endmacro %}

{% macro duckdb__gscor_pii_key(column) -%}
    sha256(nullif(lower(trim({{ column }})), ''))
{%- endmacro %}

{% macro trino__gscor_pii_key(column) -%}
    lower(to_hex(sha256(to_utf8(nullif(lower(trim({{ column }})), '')))))
{%- endmacro %}
