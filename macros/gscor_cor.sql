{#-
    Helpers of the C/O/R slice (conversations, orders, retention):

    cor_buyer_ref(name_key, email_key): the identifier an inquiry / TM / order / CRM row carries for its buyer,
        as text: 'name:<sha256 of the normalised company or buyer name>' when a name was given, else
        'email:<sha256 of the e-mail>', else NULL. int_buyer_identifiers_mapped resolves it to one buyer identity.
    cor_buyer_id_ref(id_expr): the same for a seller-kept buyer id (buyer_touchpoints 买家ID, CRM 客户编号):
        'id:<sha256 of the trimmed lower-cased id>'.
    cor_regexp_extract(expr, pattern, group): the capture group of the first match, NULL when none. Dispatched.
    cor_percentile(expr, fraction): the continuous percentile of expr (an aggregate). Dispatched.
-#}
{% macro cor_buyer_ref(name_key, email_key) -%}
    case
        when {{ name_key }} is not null then {{ dbt.concat(["'name:'", name_key]) }}
        when {{ email_key }} is not null then {{ dbt.concat(["'email:'", email_key]) }}
    end
{%- endmacro %}

{% macro cor_buyer_id_ref(id_expr) -%}
    case
        when {{ gscor_pii_key(id_expr) }} is not null then {{ dbt.concat(["'id:'", gscor_pii_key(id_expr)]) }}
    end
{%- endmacro %}

{% macro cor_regexp_extract(expr, pattern, group=0) -%}
    {{ return(adapter.dispatch('cor_regexp_extract', 'gscor')(expr, pattern, group)) }}
{%- endmacro %}

{% macro default__cor_regexp_extract(expr, pattern, group=0) -%}
    nullif(regexp_extract({{ expr }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{% macro duckdb__cor_regexp_extract(expr, pattern, group=0) -%}
    nullif(regexp_extract({{ expr }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{% macro cor_percentile(expr, fraction) -%}
    {{ return(adapter.dispatch('cor_percentile', 'gscor')(expr, fraction)) }}
{%- endmacro %}

{% macro default__cor_percentile(expr, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expr }})
{%- endmacro %}

{% macro duckdb__cor_percentile(expr, fraction) -%}
    quantile_cont({{ expr }}, {{ fraction }})
{%- endmacro %}

{#-
    Thin wrappers over dbt's cross-database macros, so that the jinja-templated lint (which has no `dbt`
    namespace) can stand them in: cor_dateadd(part, n, expr), cor_datediff(first, second, part),
    cor_type(name) with name in string / numeric / int / float / boolean / timestamp, cor_safe_cast(expr, name).
-#}
{% macro cor_dateadd(datepart, interval, from_date) -%}
    {{ dbt.dateadd(datepart, interval, from_date) }}
{%- endmacro %}

{% macro cor_datediff(first_date, second_date, datepart) -%}
    {{ dbt.datediff(first_date, second_date, datepart) }}
{%- endmacro %}

{% macro cor_type(name) -%}
    {%- if name == 'string' -%}{{ dbt.type_string() }}
    {%- elif name == 'numeric' -%}{{ dbt.type_numeric() }}
    {%- elif name == 'int' -%}{{ dbt.type_int() }}
    {%- elif name == 'float' -%}{{ dbt.type_float() }}
    {%- elif name == 'boolean' -%}{{ dbt.type_boolean() }}
    {%- elif name == 'timestamp' -%}{{ dbt.type_timestamp() }}
    {%- else -%}{{ exceptions.raise_compiler_error('cor_type: unknown type ' ~ name) }}
    {%- endif -%}
{%- endmacro %}

{% macro cor_safe_cast(expr, name) -%}
    {{ dbt.safe_cast(expr, cor_type(name)) }}
{%- endmacro %}
