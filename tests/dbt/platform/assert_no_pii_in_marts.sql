-- PII guard: no column of a C/O/R mart may carry a name or an e-mail, raw or hashed. Fails on any column of
-- dim_customer, fct_conversations, fct_order_lines, fct_customer_retention, rpt_inquiry_conversion_weekly or
-- rpt_ta_orders_monthly whose name contains name / mail / buyer_key / contact_email (the staging PII hashes
-- are *_name_key, *_email_key), and on any value of theirs equal to a staging name / e-mail hash.
-- depends_on: {{ ref('fct_order_lines') }}, {{ ref('fct_customer_retention') }}
-- depends_on: {{ ref('rpt_inquiry_conversion_weekly') }}, {{ ref('rpt_ta_orders_monthly') }}
{% set marts = ['dim_customer', 'fct_conversations', 'fct_order_lines', 'fct_customer_retention',
    'rpt_inquiry_conversion_weekly', 'rpt_ta_orders_monthly'] %}
{%- set relations = [] -%}
{%- for m in marts -%}{%- do relations.append(ref(m)) -%}{%- endfor -%}
{#- through the adapter, not information_schema: Spark has none -#}
{%- set columns = gscor_columns_of(relations) %}
with

mart_columns as (

    select
        '' as table_name,
        '' as column_name
    where false
    {%- for table_name, column_name in columns %}
        union all
        select
            '{{ table_name }}' as table_name,
            '{{ column_name }}' as column_name
    {%- endfor %}

),

bad_columns as (

    select
        table_name,
        column_name,
        'pii-like column name' as problem
    from mart_columns
    where
        lower(column_name) like '%name%'
        or lower(column_name) like '%mail%'
        or lower(column_name) like '%buyer_key%'
        or lower(column_name) like '%contact_email%'

),

pii_hashes as (

    select buyer_name_key as pii_hash from {{ ref('stg_alibaba__inquiries') }}
    union
    select buyer_email_key from {{ ref('stg_alibaba__inquiries') }}
    union
    select buyer_name_key from {{ ref('stg_alibaba__tm_conversations') }}
    union
    select buyer_name_key from {{ ref('stg_alibaba__orders') }}
    union
    select company_name_key from {{ ref('stg_alibaba__customers') }}
    union
    select contact_email_key from {{ ref('stg_alibaba__customers') }}

),

bad_values as (

    select
        'dim_customer' as table_name,
        'customer_key' as column_name,
        'equals a name/e-mail hash' as problem
    from {{ ref('dim_customer') }}
    where customer_key in (select pii_hashes.pii_hash from pii_hashes)
    union all
    select
        'fct_conversations' as table_name,
        'customer_key' as column_name,
        'equals a name/e-mail hash' as problem
    from {{ ref('fct_conversations') }}
    where customer_key in (select pii_hashes.pii_hash from pii_hashes)

)

select * from bad_columns
union all
select * from bad_values
