-- G09 零曝光产品 product with zero search exposure (docs/findings_catalogue.md, stage G).
-- Fires for a product and a window of window_weeks weeks (ending on every week with a weekly product export, the
-- window fully covered by weekly exports) when the product is online and its 搜索曝光次数 search impressions summed
-- over the window's weekly product exports are 0. Online means:
--   an account with a catalog (产品管理, dim_product.is_in_catalog): still in the latest catalog snapshot, with a
--     发布时间 published_date on or before the window start; a week of the export without a row for it counts as 0;
--   an account without a catalog (product exports only — what most operators download): listed in the window's
--     产品数据 exports (the export lists every online product, the zero rows too).
-- An account whose weekly product exports cover fewer weeks than window_weeks in all is judged on the weeks it has
-- (a new user with one export gets the zero-exposure products of that week; period_grain 'week').
-- Grain: account × product × window (period_grain '4w'; 'week' for a 1-week window). group_key 'zero_exposure':
-- the window's zero-exposure products are one problem (one action: check their category, keywords, quality).
-- value = search impressions over the window (0); threshold = 0 (exposure must be above it);
-- benchmark = median weekly search impressions per product of the store over the window.
-- impact_estimate (impressions per week) = that median: what a typical product of the store gets in a week.
-- severity: high when the product is 主推 promoted (catalog), in a showcase slot (是否橱窗) or in P4P (是否P4P) — a
--   paid-for slot on an invisible product — else medium.

with params as ({{ gscor_rule_params('G09', ['window_weeks']) }}),

product_rows as (
    select
        account_id,
        product_id,
        period_end,
        product_name,
        owner,
        coalesce(is_showcase, false) as is_showcase,
        coalesce(is_p4p, false) as is_p4p,
        coalesce(search_impressions, 0) as search_impressions,
        coalesce(search_clicks, 0) as search_clicks
    from {{ ref('fct_product_period') }}
    where period_grain = 'week'
),

account_weeks as (
    select
        account_id,
        count(distinct period_end) as account_week_count
    from product_rows
    group by account_id
),

product_weeks as (
    select
        product_rows.*,
        account_weeks.account_week_count
    from product_rows
    inner join account_weeks
        on product_rows.account_id = account_weeks.account_id
),

catalog_accounts as (
    select distinct account_id
    from {{ ref('dim_product') }}
    where is_in_catalog
),

catalog_products as (
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

{{ gscor_covered_windows(
    'product_weeks', 'period_end',
    window_weeks='case when params.window_weeks > product_weeks.account_week_count '
        ~ 'then product_weeks.account_week_count else params.window_weeks end'
) }},

product_windows as (
    select
        windows.account_id,
        windows.window_end,
        product_weeks.product_id,
        max(product_weeks.product_name) as product_name,
        max(product_weeks.owner) as owner,
        max(case when product_weeks.is_showcase then 1 else 0 end) = 1 as is_showcase,
        max(case when product_weeks.is_p4p then 1 else 0 end) = 1 as is_p4p,
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
            as median_weekly_impressions
    from windows
    inner join product_windows
        on
            windows.account_id = product_windows.account_id
            and windows.window_end = product_windows.window_end
    group by windows.account_id, windows.window_end
),

online_products as (
    -- accounts with a catalog: the catalog's published products (absent from the export = 0 exposure)
    select
        windows.account_id,
        windows.window_start,
        windows.window_end,
        windows.window_weeks,
        catalog_products.product_id,
        coalesce(catalog_products.product_name, product_windows.product_name) as product_name,
        coalesce(catalog_products.owner, product_windows.owner) as owner,
        'published ' || cast(catalog_products.published_date as {{ gscor_type('string') }}) as online_evidence,
        catalog_products.is_featured,
        coalesce(product_windows.is_showcase, false) as is_showcase,
        coalesce(product_windows.is_p4p, false) as is_p4p,
        coalesce(product_windows.search_impressions, 0) as search_impressions
    from windows
    inner join catalog_products
        on
            windows.account_id = catalog_products.account_id
            and windows.window_start >= catalog_products.published_date
    left join product_windows
        on
            windows.account_id = product_windows.account_id
            and windows.window_end = product_windows.window_end
            and catalog_products.product_id = product_windows.product_id

    union all

    -- accounts without a catalog: the products the window's exports list
    select
        windows.account_id,
        windows.window_start,
        windows.window_end,
        windows.window_weeks,
        product_windows.product_id,
        product_windows.product_name,
        product_windows.owner,
        'listed in the product export (no catalog loaded)' as online_evidence,
        false as is_featured,
        product_windows.is_showcase,
        product_windows.is_p4p,
        product_windows.search_impressions
    from windows
    inner join product_windows
        on
            windows.account_id = product_windows.account_id
            and windows.window_end = product_windows.window_end
    where windows.account_id not in (select catalog_accounts.account_id from catalog_accounts)
),

firing as (
    select
        online_products.*,
        store_windows.median_weekly_impressions
    from online_products
    inner join store_windows
        on
            online_products.account_id = store_windows.account_id
            and online_products.window_end = store_windows.window_end
    where online_products.search_impressions = 0
),

findings as (
    select
        account_id,
        'G09' as rule_id,
        'G' as stage,  -- noqa: RF04
        case when is_featured or is_showcase or is_p4p then 'high' else 'medium' end as severity,
        'product' as entity_type,
        product_id as entity_id,
        coalesce(product_name, product_id) as entity_label,
        case when window_weeks = 1 then 'week' else '4w' end as period_grain,
        window_start as period_start,
        window_end as period_end,
        'search_impressions' as metric,
        search_impressions as value,  -- noqa: RF04
        0 as threshold,
        median_weekly_impressions as benchmark,
        median_weekly_impressions as impact_estimate,
        'impressions' as impact_unit,
        'CHECK_CATEGORY_KEYWORDS_QUALITY' as action_code,
        '检查产品「' || coalesce(product_name, product_id) || '」的类目、关键词和信息质量：近 '
        || {{ gscor_fmt_num('window_weeks') }} || ' 周搜索曝光 0（店铺产品每周搜索曝光中位数 '
        || {{ gscor_fmt_num('median_weekly_impressions') }} || '）'
        || case
            when is_showcase then '；它占着橱窗位'
            when is_p4p then '；它在直通车推广中'
            else ''
        end as action_text_zh,
        'Check the category, keywords and listing quality of "' || coalesce(product_name, product_id) || '": 0 '
        || 'search impressions in ' || {{ gscor_fmt_num('window_weeks') }} || ' week(s) (store median per product: '
        || {{ gscor_fmt_num('median_weekly_impressions') }} || ' a week)'
        || case
            when is_showcase then '; it holds a showcase slot'
            when is_p4p then '; it is in P4P'
            else ''
        end as action_text_en,
        owner,
        online_evidence as evidence_detail,
        'zero_exposure' as group_key
    from firing
)

{{ gscor_finding_record('findings', group_key='group_key') }}
