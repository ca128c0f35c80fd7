-- G08 产品有点击无询盘 product with clicks but no inquiries (docs/findings_catalogue.md, stage G).
-- Fires for a product and a window of window_weeks weeks (ending on every week with a product export) when the
-- product's 搜索点击次数 search clicks over the window >= min_clicks and it had 0 询盘个数 inquiries, 0 询盘人数
-- inquiring buyers and 0 TM咨询人数 TM buyers in every week of the window. The weekly unique counts are only added
-- up to test that they are all zero, never reported as a window count. The window must be fully covered by the
-- account's weekly product exports (window_weeks weeks with data), else it is not evaluated.
-- Grain: account × product × window (period_grain '4w' — 'week' if window_weeks = 1; period_start = window end
-- − 7 × window_weeks + 1, so a changed window length shows in the dates).
-- threshold = min_clicks; benchmark = store inquiries per search click over the same window (all products).
-- impact_estimate (inquiries per week) = window search clicks / window_weeks × store inquiries per search click.
-- severity: clicks / min_clicks >= 3 → high, >= 1.5 → medium, else low.

with params as ({{ gscor_rule_params('G08', ['min_clicks', 'window_weeks']) }}),

product_weeks as (
    select
        account_id,
        product_id,
        product_key,
        period_end,
        search_clicks,
        inquiries,
        inquiry_buyers,
        tm_buyers
    from {{ ref('fct_product_period') }}
    where period_grain = 'week'
),

products as (
    select
        product_key,
        product_name,
        owner
    from {{ ref('dim_product') }}
),

{{ gscor_covered_windows('product_weeks', 'period_end', carry=['min_clicks']) }},

product_windows as (
    select
        windows.account_id,
        windows.window_start,
        windows.window_end,
        windows.window_weeks,
        windows.min_clicks,
        product_weeks.product_id,
        product_weeks.product_key,
        sum(product_weeks.search_clicks) as search_clicks,
        sum(product_weeks.inquiries) as inquiries,
        sum(coalesce(product_weeks.inquiry_buyers, 0) + coalesce(product_weeks.tm_buyers, 0)) as opportunity_signals
    from windows
    inner join product_weeks
        on
            windows.account_id = product_weeks.account_id
            and product_weeks.period_end between windows.window_start and windows.window_end
    group by
        windows.account_id,
        windows.window_start,
        windows.window_end,
        windows.window_weeks,
        windows.min_clicks,
        product_weeks.product_id,
        product_weeks.product_key
),

store_windows as (
    select
        account_id,
        window_end,
        {{ gscor_ratio('sum(inquiries)', 'sum(search_clicks)') }} as store_inquiries_per_click
    from product_windows
    group by account_id, window_end
),

firing as (
    select
        product_windows.*,
        coalesce(store_windows.store_inquiries_per_click, 0) as store_inquiries_per_click,
        products.product_name,
        products.owner
    from product_windows
    inner join store_windows
        on
            product_windows.account_id = store_windows.account_id
            and product_windows.window_end = store_windows.window_end
    left join products
        on product_windows.product_key = products.product_key
    where
        product_windows.search_clicks >= product_windows.min_clicks
        and coalesce(product_windows.inquiries, 0) = 0
        and product_windows.opportunity_signals = 0
),

findings as (
    select
        account_id,
        'G08' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when search_clicks >= 3 * min_clicks then 'high'
            when search_clicks >= 1.5 * min_clicks then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        coalesce(product_name, product_id) as entity_label,
        case when window_weeks = 1 then 'week' else '4w' end as period_grain,
        window_start as period_start,
        window_end as period_end,
        'search_clicks' as metric,
        search_clicks as value,  -- noqa: RF04
        min_clicks as threshold,
        store_inquiries_per_click as benchmark,
        search_clicks * store_inquiries_per_click / window_weeks as impact_estimate,
        'inquiries' as impact_unit,
        'IMPROVE_DETAIL_PAGE_PRICE' as action_code,
        '优化产品「' || coalesce(product_name, product_id) || '」的详情页和价格：近 ' || {{ gscor_fmt_num('window_weeks') }}
        || ' 周搜索点击 ' || {{ gscor_fmt_num('search_clicks') }} || '，询盘 0，TM咨询 0（店铺每次点击询盘 '
        || {{ gscor_fmt_num('store_inquiries_per_click', 3) }} || '）' as action_text_zh,
        'Improve the detail page and price of "' || coalesce(product_name, product_id) || '": '
        || {{ gscor_fmt_num('search_clicks') }} || ' search clicks in ' || {{ gscor_fmt_num('window_weeks') }}
        || ' weeks with 0 inquiries and 0 TM chats (store: ' || {{ gscor_fmt_num('store_inquiries_per_click', 3) }}
        || ' inquiries per click)' as action_text_en,
        owner,
        cast(null as {{ gscor_type('varchar') }}) as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
