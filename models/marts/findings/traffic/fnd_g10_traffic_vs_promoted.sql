-- G10 流量产品与主推产品不一致 traffic leaders are not the promoted products (docs/findings_catalogue.md, stage G).
-- Per account and week of the weekly product export, products are ranked by traffic = 访问人数 visitors (unique
-- within the week; ranked within one week only, never added across weeks), ties by 搜索点击次数 then product id.
-- The promoted list is 是否主推 of the product catalog (dim_product.is_featured, from the latest 产品管理 snapshot: the
-- catalog keeps no history of the flag); an account without a catalog is not evaluated.
-- Two kinds of finding:
--   store: fewer than min_promoted_share of the top_n traffic products are promoted. value = promoted share of the
--     top_n; threshold = min_promoted_share. impact_estimate (visitors per week) = the promoted slots missing
--     (ceil(min_promoted_share × top_n) − promoted in the top_n) × the median visitors of the top_n products that
--     are not promoted: the weekly traffic of the leaders the promotion plan should back.
--   product: a promoted product ranked outside the top half of the week's products by traffic. value = its
--     visitors; threshold = benchmark = the visitors of the last product of the top half. impact_estimate (visitors
--     per week) = threshold − value; when it ties with that edge (equal visitors, ranked below it by search clicks
--     or id), the median visitors of the top half − value: what a promoted slot should draw.
-- Grain: account × week × (store | product); period_grain 'week'.
-- severity: value / threshold < 0.25 → high, < 0.6 → medium, else low (0 promoted in the top_n → high).

with params as ({{ gscor_rule_params('G10', ['top_n', 'min_promoted_share']) }}),

catalog_accounts as (
    select distinct account_id
    from {{ ref('dim_product') }}
    where is_featured is not null
),

products as (
    select
        product_key,
        product_name,
        owner,
        coalesce(is_featured, false) as is_promoted
    from {{ ref('dim_product') }}
),

product_weeks as (
    select
        product_period.account_id,
        product_period.product_id,
        product_period.period_start,
        product_period.period_end,
        coalesce(product_period.visitors, 0) as visitors,
        products.is_promoted,
        coalesce(products.product_name, product_period.product_name) as product_name,
        coalesce(products.owner, product_period.owner) as owner,  -- noqa: RF04
        row_number() over (
            partition by product_period.account_id, product_period.period_start
            order by
                coalesce(product_period.visitors, 0) desc,
                coalesce(product_period.search_clicks, 0) desc,
                product_period.product_id
        ) as traffic_rank,
        count(*) over (partition by product_period.account_id, product_period.period_start) as products_in_week
    from {{ ref('fct_product_period') }} as product_period
    inner join catalog_accounts
        on product_period.account_id = catalog_accounts.account_id
    inner join products
        on product_period.product_key = products.product_key
    where product_period.period_grain = 'week'
),

ranked as (
    select
        product_weeks.*,
        cast(params.top_n as integer) as top_n,
        params.min_promoted_share,
        cast(ceiling({{ gscor_divide('product_weeks.products_in_week', '2.0') }}) as integer) as top_half_size
    from product_weeks
    inner join params
        on product_weeks.account_id = params.account_id
),

store_weeks as (
    select
        account_id,
        period_start,
        period_end,
        top_n,
        min_promoted_share,
        count(*) as products_in_top_n,
        sum(case when is_promoted then 1 else 0 end) as promoted_in_top_n,
        {{ gscor_percentile('case when not is_promoted then visitors end', 0.5) }} as median_unpromoted_visitors
    from ranked
    where traffic_rank <= top_n
    group by account_id, period_start, period_end, top_n, min_promoted_share
),

store_findings as (
    select
        account_id,
        period_start,
        period_end,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'promoted_share_of_top_traffic' as metric,
        {{ gscor_ratio('promoted_in_top_n', 'products_in_top_n') }} as metric_value,
        min_promoted_share as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        greatest(ceiling(min_promoted_share * products_in_top_n) - promoted_in_top_n, 0)
        * coalesce(median_unpromoted_visitors, 0) as impact_estimate,
        cast(null as {{ gscor_type('varchar') }}) as owner,  -- noqa: RF04
        '前 ' || {{ gscor_fmt_num('products_in_top_n') }} || ' 个流量产品中只有 ' || {{ gscor_fmt_num('promoted_in_top_n') }}
        || ' 个是主推产品（目标 ≥ ' || {{ gscor_fmt_pct('min_promoted_share', 0) }}
        || '）：把主推产品调整为买家已经在找的产品' as action_text_zh,
        'Only ' || {{ gscor_fmt_num('promoted_in_top_n') }} || ' of the top '
        || {{ gscor_fmt_num('products_in_top_n') }}
        || ' traffic products are promoted (target ≥ ' || {{ gscor_fmt_pct('min_promoted_share', 0) }}
        || '): align the promoted list with what buyers already find' as action_text_en
    from store_weeks
    where {{ gscor_ratio('promoted_in_top_n', 'products_in_top_n') }} < min_promoted_share
),

top_half_medians as (
    select
        account_id,
        period_start,
        {{ gscor_percentile('visitors', 0.5) }} as top_half_median_visitors
    from ranked
    where traffic_rank <= top_half_size
    group by account_id, period_start
),

top_half_edges as (
    select
        ranked.account_id,
        ranked.period_start,
        ranked.visitors as top_half_edge_visitors,
        top_half_medians.top_half_median_visitors
    from ranked
    inner join top_half_medians
        on
            ranked.account_id = top_half_medians.account_id
            and ranked.period_start = top_half_medians.period_start
    where ranked.traffic_rank = ranked.top_half_size
),

product_findings as (
    select
        ranked.account_id,
        ranked.period_start,
        ranked.period_end,
        'product' as entity_type,
        ranked.product_id as entity_id,
        coalesce(ranked.product_name, ranked.product_id) as entity_label,
        'visitors' as metric,
        ranked.visitors as metric_value,
        top_half_edges.top_half_edge_visitors as threshold,
        top_half_edges.top_half_edge_visitors as benchmark,
        case
            when top_half_edges.top_half_edge_visitors > ranked.visitors
                then top_half_edges.top_half_edge_visitors - ranked.visitors
            else greatest(top_half_edges.top_half_median_visitors - ranked.visitors, 0)
        end as impact_estimate,
        ranked.owner,
        '主推产品「' || coalesce(ranked.product_name, ranked.product_id) || '」流量排名第 '
        || {{ gscor_fmt_num('ranked.traffic_rank') }} || ' / ' || {{ gscor_fmt_num('ranked.products_in_week') }}
        || '（访客 ' || {{ gscor_fmt_num('ranked.visitors') }} || '，前一半门槛 '
        || {{ gscor_fmt_num('top_half_edges.top_half_edge_visitors') }}
        || '）：换成流量更好的产品做主推，或先优化它' as action_text_zh,
        'The promoted product "' || coalesce(ranked.product_name, ranked.product_id) || '" ranks '
        || {{ gscor_fmt_num('ranked.traffic_rank') }} || ' of ' || {{ gscor_fmt_num('ranked.products_in_week') }}
        || ' by traffic (' || {{ gscor_fmt_num('ranked.visitors') }} || ' visitors, top half starts at '
        || {{ gscor_fmt_num('top_half_edges.top_half_edge_visitors') }}
        || '): promote a product buyers already find, or fix this one first' as action_text_en
    from ranked
    inner join top_half_edges
        on
            ranked.account_id = top_half_edges.account_id
            and ranked.period_start = top_half_edges.period_start
    where ranked.is_promoted and ranked.traffic_rank > ranked.top_half_size
),

all_findings as (
    select * from store_findings
    union all
    select * from product_findings
),

findings as (
    select
        account_id,
        'G10' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when threshold is null or threshold <= 0 then 'low'
            when metric_value / threshold < 0.25 then 'high'
            when metric_value / threshold < 0.6 then 'medium'
            else 'low'
        end as severity,
        entity_type,
        entity_id,
        entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        metric,
        metric_value as value,  -- noqa: RF04
        threshold,
        benchmark,
        impact_estimate,
        'visitors' as impact_unit,
        'ALIGN_PROMOTED_PRODUCTS' as action_code,
        action_text_zh,
        action_text_en,
        owner,
        cast(null as {{ gscor_type('varchar') }}) as evidence_detail
    from all_findings
)

{{ gscor_finding_record('findings') }}
