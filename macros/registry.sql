{#- gscor_report_families(): every report type of the registry (gscor/registry/types) with its GSCOR family —
    the one list int_account_report_loads unions staging over and fct_rule_coverage checks rules against. -#}
{% macro gscor_report_families() -%}
    {{ return({
        'shop_daily': 'traffic',
        'traffic_source': 'traffic',
        'keyword_performance': 'traffic',
        'keyword_index': 'traffic',
        'keyword_ranking': 'store',
        'product_performance': 'store',
        'product_catalog': 'store',
        'store_profile': 'store',
        'competitors': 'store',
        'industry_benchmark': 'store',
        'inquiries': 'communication',
        'tm_conversations': 'communication',
        'buyer_touchpoints': 'communication',
        'orders': 'order',
        'customers': 'retention',
        'p4p_keyword_daily': 'p4p',
        'p4p_fullsite_product': 'p4p',
        'ab_tests': 'ab_test',
    }) }}
{%- endmacro %}
