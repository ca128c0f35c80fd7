-- 流量来源 weekly: one row per account × Sunday-start week × channel class, built from the daily channel fact.
-- The export only has daily unique visitors, so every visitor / buyer figure here is a SUM OF DAILY UNIQUES
-- (*_daily_uv_sum): a buyer who came on three days counts three times. Shares and week-over-week changes are
-- computed on those sums, which is consistent within the report but is not the week's unique-visitor count.
with

channel_days as (

    select * from {{ ref('fct_traffic_channel_daily') }}

),

channel_days_in_weeks as (

    select
        account_id,
        {{ gscor_week_start('stat_date') }} as week_start,
        {{ gscor_week_end('stat_date') }} as week_end,
        stat_date,
        channel,
        channel_class,
        is_unmapped_channel,
        visitors,
        inquiry_buyers,
        tm_buyers,
        loaded_at
    from channel_days

),

class_weeks as (

    select
        account_id,
        week_start,
        week_end,
        channel_class,
        sum(visitors) as visitors_daily_uv_sum,
        sum(inquiry_buyers) as inquiry_buyers_daily_uv_sum,
        sum(tm_buyers) as tm_buyers_daily_uv_sum,
        count(distinct stat_date) as days_with_data,
        count(distinct channel) as channels_in_class,
        count(*) as channel_day_rows,
        sum(case when is_unmapped_channel then 1 else 0 end) as unmapped_channel_day_rows,
        max(loaded_at) as loaded_at
    from channel_days_in_weeks
    group by account_id, week_start, week_end, channel_class

),

account_weeks as (

    select
        account_id,
        week_start,
        count(distinct stat_date) as week_days_with_data,
        sum(visitors) as week_visitors_daily_uv_sum
    from channel_days_in_weeks
    group by account_id, week_start

),

final as (

    select
        {{ gscor_surrogate_key(['class_weeks.account_id', 'class_weeks.week_start', 'class_weeks.channel_class']) }}
            as traffic_source_week_sk,
        class_weeks.account_id,
        'week' as period_grain,
        class_weeks.week_start as period_start,
        class_weeks.week_end as period_end,
        class_weeks.channel_class,
        class_weeks.channels_in_class,
        class_weeks.days_with_data,
        account_weeks.week_days_with_data = 7 as is_complete_week,
        true as visitors_is_daily_sum,
        class_weeks.visitors_daily_uv_sum,
        account_weeks.week_visitors_daily_uv_sum,
        {{ gscor_ratio('class_weeks.visitors_daily_uv_sum', 'account_weeks.week_visitors_daily_uv_sum') }}
            as share_of_week_visitors,
        class_weeks.inquiry_buyers_daily_uv_sum,
        class_weeks.tm_buyers_daily_uv_sum,
        {{ gscor_ratio(
            'class_weeks.inquiry_buyers_daily_uv_sum + class_weeks.tm_buyers_daily_uv_sum',
            'class_weeks.visitors_daily_uv_sum'
        ) }} as opportunity_rate_of_daily_sums,
        previous_week.visitors_daily_uv_sum as visitors_daily_uv_sum_previous_week,
        {{ gscor_ratio(
            'class_weeks.visitors_daily_uv_sum - previous_week.visitors_daily_uv_sum',
            'previous_week.visitors_daily_uv_sum'
        ) }} as visitors_daily_uv_sum_wow_change,
        previous_week.inquiry_buyers_daily_uv_sum as inquiry_buyers_daily_uv_sum_previous_week,
        {{ gscor_ratio(
            'class_weeks.inquiry_buyers_daily_uv_sum - previous_week.inquiry_buyers_daily_uv_sum',
            'previous_week.inquiry_buyers_daily_uv_sum'
        ) }} as inquiry_buyers_daily_uv_sum_wow_change,
        class_weeks.channel_day_rows,
        class_weeks.unmapped_channel_day_rows,
        class_weeks.loaded_at
    from class_weeks
    inner join account_weeks
        on
            class_weeks.account_id = account_weeks.account_id
            and class_weeks.week_start = account_weeks.week_start
    left join class_weeks as previous_week
        on
            class_weeks.account_id = previous_week.account_id
            and class_weeks.channel_class = previous_week.channel_class
            and previous_week.week_start = {{ gscor_add_days(-7, 'class_weeks.week_start') }}

)

select * from final
