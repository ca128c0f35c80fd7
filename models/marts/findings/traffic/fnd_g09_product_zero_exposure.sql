-- G09 零曝光产品 published product with zero exposure (docs/findings_catalogue.md, stage G).
-- Fires for a product and a window of window_weeks weeks (ending on every week with a product export) when the
-- product is published — still in the account's latest 产品管理 catalog snapshot (dim_product.is_in_catalog) with a
-- 发布时间 published_date on or before the window start — and its exposure (全店曝光次数 total_impressions, else
-- 搜索曝光次数) summed over the window's weekly product exports is 0. A week of the export without a row for the
-- product counts as 0 exposure. The window must be fully covered by weekly product exports; an account without a
-- catalog (e.g. product exports only) emits nothing.
-- Grain: account × product × window (period_grain '4w'; 'week' if window_weeks = 1).
-- value = exposure over the window (0); threshold = 0 (exposure must be above it);
-- benchmark = median weekly search impressions per product of the store over the window.
-- impact_estimate (clicks per week) = median weekly search clicks per product of the store over the window (what
--   a typical product of the store gets).
-- severity: high when the product is 主推 promoted (is_featured), else medium.

with params as ({{ gscor_rule_params('G09', ['window_weeks']) }}),

product_weeks as (
    select
        account_id,
        product_id,
        period_end,
        coalesce(total_impressions, search_impressions) as exposure,
        search_impressions,
        search_clicks
    from {{ ref('fct_product_period') }}
    where period_grain = 'week'
),

published_products as (
    select
        account_id,
        product_id,
        product_name,
        owner,
        published_date,
        coalesce(is_featured, false) as is_featured
    from {{ ref('dim_product') }}
    where is_in_catalog and published_date is not null
),

{{ gscor_covered_windows('product_weeks', 'period_end') }},

product_windows as (
    select
        windows.account_id,
        windows.window_end,
        product_weeks.product_id,
        sum(product_weeks.exposure) as exposure,
        sum(product_weeks.search_impressions) as search_impressions,
        sum(product_weeks.search_clicks) as search_clicks
    from windows
    inner join product_weeks
        on
            windows.account_id = product_weeks.account_id
            and product_weeks.period_end between windows.window_start and windows.window_end
    group by windows.account_id, windows.window_end, product_weeks.product_id
),

store_windows as (
    select
        windows.account_id,
        windows.window_end,
        coalesce({{ gscor_percentile('product_windows.search_impressions / windows.window_weeks', 0.5) }}, 0)
            as median_weekly_impressions,
        coalesce({{ gscor_percentile('product_windows.search_clicks / windows.window_weeks', 0.5) }}, 0)
            as median_weekly_clicks
    from windows
    inner join product_windows
        on
            windows.account_id = product_windows.account_id
            and windows.window_end = product_windows.window_end
    group by windows.account_id, windows.window_end
),

firing as (
    select
        windows.account_id,
        windows.window_start,
        windows.window_end,
        windows.window_weeks,
        published_products.product_id,
        published_products.product_name,
        published_products.owner,
        published_products.published_date,
        published_products.is_featured,
        coalesce(product_windows.exposure, 0) as exposure,
        store_windows.median_weekly_impressions,
        store_windows.median_weekly_clicks
    from windows
    inner join published_products
        on
            windows.account_id = published_products.account_id
            and windows.window_start >= published_products.published_date
    inner join store_windows
        on
            windows.account_id = store_windows.account_id
            and windows.window_end = store_windows.window_end
    left join product_windows
        on
            windows.account_id = product_windows.account_id
            and windows.window_end = product_windows.window_end
            and published_products.product_id = product_windows.product_id
    where coalesce(product_windows.exposure, 0) = 0
),

findings as (
    select
        account_id,
        'G09' as rule_id,
        'G' as stage,  -- noqa: RF04
        case when is_featured then 'high' else 'medium' end as severity,
        'product' as entity_type,
        product_id as entity_id,
        coalesce(product_name, product_id) as entity_label,
        case when window_weeks = 1 then 'week' else '4w' end as period_grain,
        window_start as period_start,
        window_end as period_end,
        'search_impressions' as metric,
        exposure as value,  -- noqa: RF04
        0 as threshold,
        median_weekly_impressions as benchmark,
        median_weekly_clicks as impact_estimate,
        'clicks' as impact_unit,
        'CHECK_CATEGORY_KEYWORDS_QUALITY' as action_code,
        '检查产品「' || coalesce(product_name, product_id) || '」的类目、关键词和信息质量：近 '
        || {{ gscor_fmt_num('window_weeks') }} || ' 周曝光 0（店铺产品每周曝光中位数 '
        || {{ gscor_fmt_num('median_weekly_impressions') }} || '）' as action_text_zh,
        'Check the category, keywords and listing quality of "' || coalesce(product_name, product_id) || '": 0 '
        || 'exposure in ' || {{ gscor_fmt_num('window_weeks') }} || ' weeks (store median per product: '
        || {{ gscor_fmt_num('median_weekly_impressions') }} || ' impressions a week)' as action_text_en,
        owner,
        'published ' || cast(published_date as varchar) as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
