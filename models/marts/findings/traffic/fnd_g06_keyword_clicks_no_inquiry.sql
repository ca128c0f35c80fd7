-- G06 关键词有点击无询盘 keyword with clicks but no inquiries (docs/findings_catalogue.md, stage G).
-- Keyword-level inquiries only exist in the 外贸直通车 P4P keyword report, so the rule reads fct_p4p_keyword_daily:
-- fires for a keyword (normalised, all campaigns together) and a window of window_weeks weeks (ending on every week
-- with P4P keyword data, only when every week of the window has P4P keyword data for the account) when its clicks
-- over the window >= min_clicks with 0 询盘 inquiries and 0 TM咨询 in the window.
-- Grain: account × normalised keyword × window (period_grain '4w' — 'week' if window_weeks = 1; period_start =
-- window end − 7 × window_weeks + 1).
-- threshold = min_clicks; benchmark = the account's P4P (inquiries + TM) per click over the same window.
-- impact_estimate (inquiries per week) = window clicks / window_weeks × that account rate.
-- severity: clicks / min_clicks >= 3 → high, >= 1.5 → medium, else low.

with params as ({{ gscor_rule_params('G06', ['min_clicks', 'window_weeks']) }}),

keyword_weeks as (
    select
        account_id,
        keyword_normalised,
        {{ gscor_add_days(6, 'week_start') }} as week_end,
        min(keyword) as keyword,
        sum(clicks) as clicks,
        sum(spend_cny) as spend_cny,
        sum(coalesce(inquiries, 0)) as inquiries,
        sum(coalesce(tm_inquiries, 0)) as tm_inquiries
    from {{ ref('fct_p4p_keyword_daily') }}
    group by account_id, keyword_normalised, week_start
),

{{ gscor_covered_windows('keyword_weeks', 'week_end', carry=['min_clicks']) }},

keyword_windows as (
    select
        windows.account_id,
        windows.window_start,
        windows.window_end,
        windows.window_weeks,
        windows.min_clicks,
        keyword_weeks.keyword_normalised,
        min(keyword_weeks.keyword) as keyword,
        sum(keyword_weeks.clicks) as clicks,
        sum(keyword_weeks.spend_cny) as spend_cny,
        sum(keyword_weeks.inquiries) as inquiries,
        sum(keyword_weeks.tm_inquiries) as tm_inquiries
    from windows
    inner join keyword_weeks
        on
            windows.account_id = keyword_weeks.account_id
            and keyword_weeks.week_end between windows.window_start and windows.window_end
    group by
        windows.account_id,
        windows.window_start,
        windows.window_end,
        windows.window_weeks,
        windows.min_clicks,
        keyword_weeks.keyword_normalised
),

account_windows as (
    select
        account_id,
        window_end,
        coalesce({{ gscor_ratio('sum(inquiries + tm_inquiries)', 'sum(clicks)') }}, 0) as opportunities_per_click
    from keyword_windows
    group by account_id, window_end
),

firing as (
    select
        keyword_windows.*,
        account_windows.opportunities_per_click
    from keyword_windows
    inner join account_windows
        on
            keyword_windows.account_id = account_windows.account_id
            and keyword_windows.window_end = account_windows.window_end
    where
        keyword_windows.clicks >= keyword_windows.min_clicks
        and keyword_windows.inquiries = 0
        and keyword_windows.tm_inquiries = 0
),

findings as (
    select
        account_id,
        'G06' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when clicks >= 3 * min_clicks then 'high'
            when clicks >= 1.5 * min_clicks then 'medium'
            else 'low'
        end as severity,
        'keyword' as entity_type,
        keyword_normalised as entity_id,
        keyword as entity_label,
        case when window_weeks = 1 then 'week' else '4w' end as period_grain,
        window_start as period_start,
        window_end as period_end,
        'clicks' as metric,
        clicks as value,  -- noqa: RF04
        min_clicks as threshold,
        opportunities_per_click as benchmark,
        clicks * opportunities_per_click / window_weeks as impact_estimate,
        'inquiries' as impact_unit,
        'IMPROVE_DETAIL_PAGE_PRICE' as action_code,
        '关键词「' || keyword || '」近 ' || {{ gscor_fmt_num('window_weeks') }} || ' 周直通车点击 '
        || {{ gscor_fmt_num('clicks') }} || '、花费 ' || {{ gscor_fmt_num('spend_cny', 2) }}
        || ' 元，询盘 0、TM咨询 0：优化它引流的产品的详情页或价格，否则降低出价' as action_text_zh,
        'The keyword "' || keyword || '" had ' || {{ gscor_fmt_num('clicks') }} || ' P4P clicks (CNY '
        || {{ gscor_fmt_num('spend_cny', 2) }} || ') in ' || {{ gscor_fmt_num('window_weeks') }}
        || ' weeks with 0 inquiries and 0 TM chats: improve the detail page or price of the products it leads to, '
        || 'else lower the bid' as action_text_en,
        cast(null as {{ gscor_type('varchar') }}) as owner,  -- noqa: RF04
        'account P4P inquiries+TM per click ' || {{ gscor_fmt_num('opportunities_per_click', 3) }} as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
