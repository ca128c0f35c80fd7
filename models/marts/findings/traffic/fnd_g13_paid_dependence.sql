-- G13 付费流量依赖 paid dependence (docs/findings_catalogue.md, stage G), from the 产品数据 product export alone.
-- Per account × week of the weekly product export: paid impressions = 全站推广曝光次数 p4p_fullsite_impressions +
-- 标准推广曝光次数 p4p_standard_impressions (营销曝光次数 ad_impressions where neither is exported), summed over the
-- week's products; total = 全店曝光次数 total_impressions summed likewise. Fires when the week has at least
-- min_total_impressions and paid / total > max_paid_share: the store is seen mostly because it pays, and its
-- exposure stops with the budget.
-- Grain: account × week, entity 'store' (one problem by itself).
-- metric paid_impression_share; value = that share; threshold = max_paid_share; benchmark = the share of 全店点击次数
-- total clicks that came from the paid plans (paid clicks / total clicks).
-- impact_estimate (impressions per week) = paid impressions − max_paid_share × total impressions: the exposure that
--   depends on the budget beyond the threshold (what natural search would have to bring in).
-- The action names the 3 products with the most paid impressions (their titles and keywords are where natural
-- exposure is won back).
-- severity: share >= max_paid_share + 0.2 → high, >= max_paid_share + 0.1 → medium, else low.

with params as ({{ gscor_rule_params('G13', ['max_paid_share', 'min_total_impressions']) }}),

product_weeks as (
    select
        account_id,
        period_start,
        period_end,
        product_id,
        coalesce(product_name, product_id) as product_label,
        owner,
        coalesce(search_impressions, 0) as search_impressions,
        coalesce(total_impressions, 0) as total_impressions,
        coalesce(total_clicks, 0) as total_clicks,
        coalesce(p4p_fullsite_impressions, 0) as fullsite_impressions,
        case
            when p4p_fullsite_impressions is null and p4p_standard_impressions is null then coalesce(ad_impressions, 0)
            else coalesce(p4p_fullsite_impressions, 0) + coalesce(p4p_standard_impressions, 0)
        end as paid_impressions,
        case
            when p4p_fullsite_clicks is null and p4p_standard_clicks is null then coalesce(ad_clicks, 0)
            else coalesce(p4p_fullsite_clicks, 0) + coalesce(p4p_standard_clicks, 0)
        end as paid_clicks
    from {{ ref('fct_product_period') }}
    where period_grain = 'week'
),

ranked_products as (
    select
        product_weeks.*,
        row_number() over (
            partition by product_weeks.account_id, product_weeks.period_end
            order by product_weeks.paid_impressions desc, product_weeks.product_id asc
        ) as paid_rank
    from product_weeks
),

store_weeks as (
    select
        account_id,
        period_start,
        period_end,
        sum(total_impressions) as total_impressions,
        sum(total_clicks) as total_clicks,
        sum(paid_impressions) as paid_impressions,
        sum(paid_clicks) as paid_clicks,
        sum(fullsite_impressions) as fullsite_impressions,
        sum(search_impressions) as search_impressions,
        {{ gscor_listagg("case when paid_rank <= 3 and paid_impressions > 0 then '「' || product_label || '」' end",
            '、', 'paid_rank') }} as top_products_zh,
        {{ gscor_listagg("case when paid_rank <= 3 and paid_impressions > 0 then '\"' || product_label || '\"' end",
            ', ', 'paid_rank') }} as top_products_en,
        max(case when paid_rank = 1 then owner end) as owner
    from ranked_products
    group by account_id, period_start, period_end
),

firing as (
    select
        store_weeks.*,
        params.max_paid_share,
        {{ gscor_ratio('store_weeks.paid_impressions', 'store_weeks.total_impressions') }} as paid_share,
        {{ gscor_ratio('store_weeks.fullsite_impressions', 'store_weeks.total_impressions') }} as fullsite_share,
        {{ gscor_ratio('store_weeks.paid_clicks', 'store_weeks.total_clicks') }} as paid_click_share
    from store_weeks
    inner join params
        on store_weeks.account_id = params.account_id
    where
        store_weeks.total_impressions >= params.min_total_impressions
        and store_weeks.paid_impressions > params.max_paid_share * store_weeks.total_impressions
),

findings as (
    select
        account_id,
        'G13' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when paid_share >= max_paid_share + 0.2 then 'high'
            when paid_share >= max_paid_share + 0.1 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        'paid_impression_share' as metric,
        paid_share as value,  -- noqa: RF04
        max_paid_share as threshold,
        paid_click_share as benchmark,
        paid_impressions - max_paid_share * total_impressions as impact_estimate,
        'impressions' as impact_unit,
        'BUILD_NATURAL_TRAFFIC' as action_code,
        '本周 ' || {{ gscor_fmt_pct('paid_share', 0) }} || ' 的曝光来自付费推广（全站推广 '
        || {{ gscor_fmt_pct('fullsite_share', 0) }} || '，阈值 ' || {{ gscor_fmt_pct('max_paid_share', 0) }}
        || '）：停投即失去曝光。优化付费曝光最多的产品' || coalesce(top_products_zh, '')
        || '的标题和关键词，争取自然搜索曝光' as action_text_zh,
        {{ gscor_fmt_pct('paid_share', 0) }} || ' of this week''s exposure is paid (全站推广 full-site promotion '
        || {{ gscor_fmt_pct('fullsite_share', 0) }} || ', threshold ' || {{ gscor_fmt_pct('max_paid_share', 0) }}
        || '): the exposure stops with the budget. Work the titles and keywords of the products with the most paid '
        || 'exposure' || coalesce(' (' || top_products_en || ')', '') || ' to win natural search exposure'
            as action_text_en,
        owner,
        'paid impressions '
        || {{ gscor_fmt_num('paid_impressions') }}
        || ' of '
        || {{ gscor_fmt_num('total_impressions') }}
        || ' (全店曝光); search impressions ' || {{ gscor_fmt_num('search_impressions') }}
        || '; paid clicks ' || coalesce({{ gscor_fmt_pct('paid_click_share', 0) }}, 'n/a') || ' of all clicks'
            as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
