{#-
    Keys. Portable: built from the vocabulary (cross_db.sql) and dbt.hash only.

    gscor_surrogate_key(expressions): hash of the given column expressions, NULL-safe and separated so that
        ('a', 'bc') and ('ab', 'c') differ.
    gscor_pii_key(column): SHA-256 (lower-case hex) of the lower-cased, trimmed value; NULL and blank stay NULL.
        Staging keeps only this key so raw names and e-mails never reach the marts.
    gscor_buyer_ref(name_key, email_key): the identifier an inquiry / TM / order / CRM row carries for its buyer,
        as text: 'name:<sha256 of the normalised company or buyer name>' when a name was given, else
        'email:<sha256 of the e-mail>', else NULL. int_buyer_identifiers_mapped resolves it to one buyer identity.
    gscor_buyer_id_ref(id_expr): the same for a seller-kept buyer id (buyer_touchpoints 买家ID, CRM 客户编号):
        'id:<sha256 of the trimmed lower-cased id>'.
-#}
{% macro gscor_surrogate_key(expressions) -%}
    {%- set parts = [] -%}
    {%- for expr in expressions -%}
        {%- do parts.append("coalesce(" ~ gscor_safe_cast(expr, 'string') ~ ", '_gscor_null_')") -%}
        {%- if not loop.last %}{% do parts.append("'-'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(gscor_concat(parts)) }}
{%- endmacro %}

{% macro gscor_pii_key(column) -%}
    {{ gscor_sha256("nullif(lower(trim(" ~ column ~ ")), '')") }}
{%- endmacro %}

{% macro gscor_buyer_ref(name_key, email_key) -%}
    case
        when {{ name_key }} is not null then {{ gscor_concat(["'name:'", name_key]) }}
        when {{ email_key }} is not null then {{ gscor_concat(["'email:'", email_key]) }}
    end
{%- endmacro %}

{% macro gscor_buyer_id_ref(id_expr) -%}
    case
        when {{ gscor_pii_key(id_expr) }} is not null then {{ gscor_concat(["'id:'", gscor_pii_key(id_expr)]) }}
    end
{%- endmacro %}
