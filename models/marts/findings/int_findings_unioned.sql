-- Every rule model's findings (models/marts/findings/<domain>/fnd_*.sql) in one relation, in the finding record of
-- docs/findings_catalogue.md. Grain: finding_id. A new rule model is added to `rule_models` below (and to
-- seeds/rule_catalogue.csv); fct_findings adds the USD impact and the catalogue's names.
{%- set rule_models = [
    'fnd_c01_slow_replies',
    'fnd_c02_funnel_leak',
    'fnd_c03_expensive_p4p_inquiries',
    'fnd_c04_low_quality_inquiry_source',
    'fnd_c05_off_target_countries',
    'fnd_c06_chat_tools_unused',
    'fnd_c07_sample_heavy_demand',
    'fnd_g01_traffic_falling',
    'fnd_g02_natural_share_low',
    'fnd_g03_p4p_cpc_out_of_range',
    'fnd_g04_event_traffic_not_converting',
    'fnd_g05_keyword_low_ctr',
    'fnd_g06_keyword_clicks_no_inquiry',
    'fnd_g07_product_low_ctr',
    'fnd_g08_product_clicks_no_inquiry',
    'fnd_g09_product_zero_exposure',
    'fnd_g10_traffic_vs_promoted',
    'fnd_g11_opportunity_keyword',
    'fnd_g12_brand_keyword',
    'fnd_g13_paid_dependence',
    'fnd_g14_product_no_search_click',
    'fnd_g15_keyword_language_mix',
    'fnd_o01_ta_volume_down',
    'fnd_o02_low_aov',
    'fnd_o03_late_fulfilment',
    'fnd_o04_stock_risk',
    'fnd_o05_low_margin',
    'fnd_o06_concentration',
    'fnd_r01_low_repurchase',
    'fnd_r02_customers_going_quiet',
    'fnd_r03_churn_reason_pattern',
    'fnd_r04_new_customer_dependency',
    'fnd_s01_core_keyword_rank',
    'fnd_s02_low_quality_score',
    'fnd_s03_showcase_misallocated',
    'fnd_s04_high_bounce_rate',
    'fnd_s05_top_product_no_video',
    'fnd_s06_trust_gaps',
    'fnd_s07_below_peers',
    'fnd_s08_price_out_of_market',
    'fnd_s09_weak_showcase',
    'fnd_x01_ab_test_winner',
] %}
with

unioned as (

    {% for rule_model in rule_models %}
        -- every rule model ends in gscor_finding_record: the same columns in the same order
        select * from {{ ref(rule_model) }}  -- noqa: AM04
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from unioned  -- noqa: AM04
