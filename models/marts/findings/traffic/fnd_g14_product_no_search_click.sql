-- G14 产品有曝光无点击 products with search exposure but no search click (docs/findings_catalogue.md, stage G), from
-- the 产品数据 product export alone.
-- Per account × product × week: a product with 0 搜索点击次数 search clicks although it had enough 搜索曝光次数 search
-- impressions to expect clicks: impressions × the store's search CTR of the week (sum of search clicks / sum of
-- search impressions over the week's products) >= min_expected_clicks (at the default 3, a product clicked at the
-- store's rate would get no click at all in about 5% of weeks — Poisson). Most products of a real store get no
-- search click in a week (220 of 365); only those with enough exposure say something about their main image,
-- title and price. A product that G07 already flags (high exposure, low CTR) is left to G07.
-- Grain: account × product × week; group_key 'no_search_click': the week's products form one problem (one action:
-- check main image, title and price of the listed products).
-- metric search_clicks; value 0; threshold = the expected clicks at the store CTR; benchmark = store search CTR.
-- impact_estimate (clicks per week) = the expected clicks at the store CTR.
-- severity: expected clicks >= 3 × min_expected_clicks → high, >= 2 × → medium, else low.

with params as ({{ gscor_rule_params('G14', ['min_expected_clicks']) }}),

product_weeks as (
    select
        account_id,
        product_id,
        period_start,
        period_end,
        product_name,
        owner,
        coalesce(is_showcase, false) as is_showcase,
        coalesce(search_impressions, 0) as search_impressions,
        coalesce(search_clicks, 0) as search_clicks,
        coalesce(visitors, 0) as visitors
    from {{ ref('fct_product_period') }}
    where period_grain = 'week'
),

store_weeks as (
    select
        account_id,
        period_end,
        count(*) as products,
        sum(case when search_clicks = 0 then 1 else 0 end) as products_without_click,
        {{ gscor_ratio('sum(search_clicks)', 'sum(search_impressions)') }} as store_ctr
    from product_weeks
    group by account_id, period_end
),

g07_products as (
    select distinct
        account_id,
        entity_id as product_id,
        period_end
    from {{ ref('fnd_g07_product_low_ctr') }}
),

firing as (
    select
        product_weeks.*,
        store_weeks.store_ctr,
        store_weeks.products,
        store_weeks.products_without_click,
        params.min_expected_clicks,
        product_weeks.search_impressions * store_weeks.store_ctr as expected_clicks
    from product_weeks
    inner join store_weeks
        on
            product_weeks.account_id = store_weeks.account_id
            and product_weeks.period_end = store_weeks.period_end
    inner join params
        on product_weeks.account_id = params.account_id
    left join g07_products
        on
            product_weeks.account_id = g07_products.account_id
            and product_weeks.product_id = g07_products.product_id
            and product_weeks.period_end = g07_products.period_end
    where
        product_weeks.search_clicks = 0
        and store_weeks.store_ctr > 0
        and product_weeks.search_impressions * store_weeks.store_ctr >= params.min_expected_clicks
        and g07_products.product_id is null
),

findings as (
    select
        account_id,
        'G14' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when expected_clicks >= 3 * min_expected_clicks then 'high'
            when expected_clicks >= 2 * min_expected_clicks then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        coalesce(product_name, product_id) as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        'search_clicks' as metric,
        search_clicks as value,  -- noqa: RF04
        expected_clicks as threshold,
        store_ctr as benchmark,
        expected_clicks as impact_estimate,
        'clicks' as impact_unit,
        'CHECK_IMAGE_TITLE_PRICE' as action_code,
        '产品「' || coalesce(product_name, product_id) || '」本周搜索曝光 ' || {{ gscor_fmt_num('search_impressions') }}
        || ' 次却没有一次搜索点击（按店铺点击率 ' || {{ gscor_fmt_pct('store_ctr', 2) }} || ' 应有约 '
        || {{ gscor_fmt_num('expected_clicks', 1) }} || ' 次）：检查主图、标题和价格是否与搜索词相符'
            as action_text_zh,
        '"' || coalesce(product_name, product_id) || '" had ' || {{ gscor_fmt_num('search_impressions') }}
        || ' search impressions this week and not one search click (about ' || {{ gscor_fmt_num('expected_clicks', 1) }}
        || ' expected at the store CTR of ' || {{ gscor_fmt_pct('store_ctr', 2) }}
        || '): check that its main image, title and price match the searches that show it' as action_text_en,
        owner,
        {{ gscor_fmt_num('products_without_click') }} || ' of ' || {{ gscor_fmt_num('products') }}
        || ' products had no search click this week; judged only with >= '
        || {{ gscor_fmt_num('min_expected_clicks') }} || ' expected clicks'
        || case when is_showcase then '; holds a showcase slot' else '' end as evidence_detail,
        'no_search_click' as group_key
    from firing
)

{{ gscor_finding_record('findings', group_key='group_key') }}
