-- fct_p4p_keyword_4w must add up fct_p4p_keyword_daily over its window: per account and anchor week, the sum of
-- clicks_4w, 询盘量 and spend_usd_4w over all campaign × keyword rows equals the daily fact summed over
-- window_start .. window_end. Returns the anchor weeks that disagree.
with

windows as (

    select
        account_id,
        period_start,
        min(window_start) as window_start,
        max(window_end) as window_end,
        sum(clicks_4w) as clicks_4w,
        sum(inquiries_4w) as inquiries_4w,
        sum(spend_usd_4w) as spend_usd_4w
    from {{ ref('fct_p4p_keyword_4w') }}
    group by account_id, period_start

),

daily_in_window as (

    select
        windows.account_id,
        windows.period_start,
        sum(keyword_days.clicks) as clicks,
        sum(keyword_days.inquiries) as inquiries,
        sum(keyword_days.spend_usd) as spend_usd
    from windows
    inner join {{ ref('fct_p4p_keyword_daily') }} as keyword_days
        on
            windows.account_id = keyword_days.account_id
            and keyword_days.stat_date between windows.window_start and windows.window_end
    group by windows.account_id, windows.period_start

)

select
    windows.*,
    daily_in_window.clicks as daily_clicks,
    daily_in_window.inquiries as daily_inquiries,
    daily_in_window.spend_usd as daily_spend_usd
from windows
left join daily_in_window
    on windows.account_id = daily_in_window.account_id and windows.period_start = daily_in_window.period_start
where
    windows.clicks_4w is distinct from daily_in_window.clicks
    or windows.inquiries_4w is distinct from daily_in_window.inquiries
    or windows.spend_usd_4w is distinct from daily_in_window.spend_usd
