-- G07 产品高曝光低点击 product with high search exposure and low CTR (docs/findings_catalogue.md, stage G).
-- Fires for a product and week when its 搜索曝光次数 search impressions >= min_impressions and its search CTR
-- (search_clicks / search_impressions) < ctr_vs_store_max × the store's search CTR of the same week, and the shortfall
-- is not noise: the product's search clicks are at least min_z standard deviations below the clicks expected at the
-- store CTR (expected = search impressions × store CTR; Poisson: (expected − clicks) >= min_z × √expected). On the
-- real store 0.5 × a 1.2% CTR on 300 impressions is 1.7 clicks: one click more or less would decide.
-- Store CTR = sum of search clicks / sum of search impressions over every product of that week's product export
-- (the same export, so the comparison also works for an account with product exports only).
-- Grain: one finding per account × product × week (period_grain 'week', Sunday → Saturday).
-- threshold = ctr_vs_store_max × store CTR; benchmark = store CTR.
-- impact_estimate (clicks) = search_impressions × (threshold − CTR): the search clicks the week would have had at
--   the threshold CTR.
-- severity: CTR / threshold < 0.25 → high, < 0.6 → medium, else low.

with params as ({{ gscor_rule_params('G07', ['min_impressions', 'ctr_vs_store_max', 'min_z']) }}),

product_weeks as (
    select
        account_id,
        product_id,
        period_start,
        period_end,
        product_name,
        owner,
        search_impressions,
        search_clicks
    from {{ ref('fct_product_period') }}
    where period_grain = 'week'
),

store_weeks as (
    select
        account_id,
        period_start,
        {{ gscor_ratio('sum(search_clicks)', 'sum(search_impressions)') }} as store_ctr
    from product_weeks
    group by account_id, period_start
),

evaluated as (
    select
        product_weeks.account_id,
        product_weeks.product_id,
        product_weeks.period_start,
        product_weeks.period_end,
        product_weeks.product_name,
        product_weeks.owner,
        product_weeks.search_impressions,
        product_weeks.search_clicks,
        store_weeks.store_ctr,
        {{ gscor_ratio('product_weeks.search_clicks', 'product_weeks.search_impressions') }} as product_ctr,
        params.ctr_vs_store_max * store_weeks.store_ctr as ctr_threshold
    from product_weeks
    inner join store_weeks
        on
            product_weeks.account_id = store_weeks.account_id
            and product_weeks.period_start = store_weeks.period_start
    inner join params
        on product_weeks.account_id = params.account_id
    where
        product_weeks.search_impressions >= params.min_impressions
        and store_weeks.store_ctr > 0
        and product_weeks.search_impressions * store_weeks.store_ctr - product_weeks.search_clicks
        >= coalesce(params.min_z, 0) * sqrt(product_weeks.search_impressions * store_weeks.store_ctr)
),

firing as (
    select * from evaluated
    where product_ctr < ctr_threshold
),

findings as (
    select
        account_id,
        'G07' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when product_ctr / ctr_threshold < 0.25 then 'high'
            when product_ctr / ctr_threshold < 0.6 then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        coalesce(product_name, product_id) as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        'search_ctr' as metric,
        product_ctr as value,  -- noqa: RF04
        ctr_threshold as threshold,
        store_ctr as benchmark,
        search_impressions * (ctr_threshold - product_ctr) as impact_estimate,
        'clicks' as impact_unit,
        'OPTIMIZE_MAIN_IMAGE_TITLE' as action_code,
        '重做产品「' || coalesce(product_name, product_id) || '」的主图和标题：搜索曝光 '
        || {{ gscor_fmt_num('search_impressions') }} || '，点击率 ' || {{ gscor_fmt_pct('product_ctr', 2) }}
        || '，店铺平均 ' || {{ gscor_fmt_pct('store_ctr', 2) }} as action_text_zh,
        'Rework the main image and title of "' || coalesce(product_name, product_id) || '": '
        || {{ gscor_fmt_num('search_impressions') }} || ' search impressions, CTR '
        || {{ gscor_fmt_pct('product_ctr', 2) }} || ' vs store '
        || {{ gscor_fmt_pct('store_ctr', 2) }} as action_text_en,
        owner,
        'search clicks ' || {{ gscor_fmt_num('search_clicks') }} || ' of ' || {{ gscor_fmt_num('search_impressions') }}
        || ' impressions; threshold CTR ' || {{ gscor_fmt_pct('ctr_threshold', 2) }} as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
