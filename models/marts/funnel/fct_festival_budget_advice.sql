-- X04 budget advice for the next festival (节日预算建议): per account, the next platform festival (trade_calendar
-- festival_type platform_festival, e.g. 三月新贸节 / 九月采购节) starting after the account's latest data (last week
-- end in fct_funnel_weekly), last year's lift of the same festival (fct_festival_seasonality, same festival_key,
-- festival_year − 1), last year's P4P spend in the festival weeks, and a recommended P4P budget uplift.
-- Formula (documented in the yml too):
--   basis_lift            = least(impressions_lift, inquiries_lift) of last year's festival (impressions_lift alone
--                           when there were no inquiries): raise the budget as much as demand grew, but never more
--                           than the inquiries it brought;
--   recommended_uplift    = basis_lift rounded to the nearest 5 %, floored at 0 (a festival that did not lift: keep
--                           the budget) and capped at var gscor_x04_max_budget_uplift (default 0.5 = +50 %);
--   current_weekly_p4p    = mean weekly P4P spend (CNY) of the account's last 4 weeks of P4P data up to the latest
--                           data week;
--   recommended_weekly_p4p = current_weekly_p4p × (1 + recommended_uplift), from the warm-up start (预热) to the end.
-- No prior-year data (no festival week or no baseline week of last year's festival): the texts say so and nothing is
-- recommended (uplift and budget NULL). A baseline shorter than 4 weeks is named in the texts (less reliable).
{%- set max_uplift = var('gscor_x04_max_budget_uplift', 0.5) %}
with

latest_data as (

    select
        account_id,
        max(period_end) as latest_data_date
    from {{ ref('fct_funnel_weekly') }}
    group by account_id

),

platform_festivals as (

    select
        festival_code,
        replace(festival_code, '_' || cast(festival_year as {{ gscor_type('string') }}), '') as festival_key,
        festival_year,
        name_zh,
        name_en,
        warmup_start,
        start_date,
        end_date
    from {{ ref('trade_calendar') }}
    where festival_type = 'platform_festival'

),

next_festival_dates as (

    select
        latest_data.account_id,
        latest_data.latest_data_date,
        min(platform_festivals.start_date) as next_start_date
    from latest_data
    inner join platform_festivals
        on latest_data.latest_data_date < platform_festivals.start_date
    group by latest_data.account_id, latest_data.latest_data_date

),

next_festivals as (

    select
        next_festival_dates.account_id,
        next_festival_dates.latest_data_date,
        platform_festivals.festival_code,
        platform_festivals.festival_key,
        platform_festivals.festival_year,
        platform_festivals.name_zh,
        platform_festivals.name_en,
        platform_festivals.warmup_start,
        platform_festivals.start_date,
        platform_festivals.end_date,
        row_number() over (
            partition by next_festival_dates.account_id
            order by platform_festivals.festival_code
        ) as festival_rank
    from next_festival_dates
    inner join platform_festivals
        on next_festival_dates.next_start_date = platform_festivals.start_date

),

p4p_recent as (

    select
        p4p_weeks.account_id,
        avg(cast(p4p_weeks.spend_cny as {{ gscor_type('double') }})) as current_weekly_p4p_spend_cny,
        count(*) as current_p4p_weeks
    from (
        select
            fct_p4p_roi_weekly.account_id,
            fct_p4p_roi_weekly.spend_cny,
            row_number() over (
                partition by fct_p4p_roi_weekly.account_id
                order by fct_p4p_roi_weekly.period_end desc
            ) as weeks_back
        from {{ ref('fct_p4p_roi_weekly') }} as fct_p4p_roi_weekly
        inner join latest_data
            on
                fct_p4p_roi_weekly.account_id = latest_data.account_id
                and fct_p4p_roi_weekly.period_end <= latest_data.latest_data_date
    ) as p4p_weeks
    where p4p_weeks.weeks_back <= 4
    group by p4p_weeks.account_id

),

joined as (

    select
        next_festivals.*,
        last_year.festival_code as prior_festival_code,
        last_year.festival_year as prior_festival_year,
        last_year.festival_weeks_with_data as prior_festival_weeks_with_data,
        last_year.baseline_weeks_with_data as prior_baseline_weeks_with_data,
        last_year.baseline_weeks as prior_baseline_weeks,
        last_year.impressions_lift as prior_impressions_lift,
        last_year.inquiries_lift as prior_inquiries_lift,
        last_year.festival_p4p_spend_cny as prior_festival_p4p_spend_cny,
        last_year.festival_p4p_spend_usd as prior_festival_p4p_spend_usd,
        last_year.festival_p4p_spend_cny_per_week as prior_festival_p4p_spend_cny_per_week,
        last_year.festival_p4p_weeks as prior_festival_p4p_weeks,
        p4p_recent.current_weekly_p4p_spend_cny,
        coalesce(p4p_recent.current_p4p_weeks, 0) as current_p4p_weeks,
        coalesce(last_year.impressions_lift is not null, false) as has_prior_year_data,
        case
            when last_year.inquiries_lift is null then last_year.impressions_lift
            else least(last_year.impressions_lift, last_year.inquiries_lift)
        end as basis_lift
    from next_festivals
    left join {{ ref('fct_festival_seasonality') }} as last_year
        on
            next_festivals.account_id = last_year.account_id
            and next_festivals.festival_key = last_year.festival_key
            and next_festivals.festival_year - 1 = last_year.festival_year
    left join p4p_recent
        on next_festivals.account_id = p4p_recent.account_id
    where next_festivals.festival_rank = 1

),

recommended as (

    select
        joined.*,
        case
            when joined.basis_lift is not null
                then least(greatest(round(joined.basis_lift * 20) / 20.0, 0.0), {{ max_uplift }})
        end as recommended_budget_uplift
    from joined

),

with_budget as (

    select
        recommended.*,
        recommended.current_weekly_p4p_spend_cny * (1 + recommended.recommended_budget_uplift)
            as recommended_weekly_p4p_spend_cny,
        cast(recommended.start_date as {{ gscor_type('string') }}) as start_text,
        cast(recommended.end_date as {{ gscor_type('string') }}) as end_text,
        cast(recommended.warmup_start as {{ gscor_type('string') }}) as warmup_text,
        cast(recommended.prior_festival_year as {{ gscor_type('string') }}) as prior_year_text,
        case when recommended.prior_impressions_lift >= 0 then '提升 ' else '下降 ' end as impressions_dir_zh,
        case when recommended.prior_inquiries_lift >= 0 then '提升 ' else '下降 ' end as inquiries_dir_zh,
        case when recommended.prior_impressions_lift >= 0 then 'up ' else 'down ' end as impressions_dir_en,
        case when recommended.prior_inquiries_lift >= 0 then 'up ' else 'down ' end as inquiries_dir_en
    from recommended

),

texts as (

    select
        with_budget.*,
        '下一个节日：' || with_budget.name_zh || '（' || with_budget.start_text || ' 至 ' || with_budget.end_text
        || '，预热自 ' || with_budget.warmup_text || '）。' as intro_zh,
        'Next festival: ' || with_budget.name_en || ' (' || with_budget.start_text || ' to ' || with_budget.end_text
        || ', warm-up from ' || with_budget.warmup_text || '). ' as intro_en,
        case
            when with_budget.has_prior_year_data
                then
                    '去年（' || with_budget.prior_year_text || '）节日期间周均曝光比节前 '
                    || {{ gscor_fmt_num('with_budget.prior_baseline_weeks_with_data') }} || ' 周'
                    || with_budget.impressions_dir_zh || {{ gscor_fmt_pct('abs(with_budget.prior_impressions_lift)') }}
                    || coalesce(
                        '，周均询盘' || with_budget.inquiries_dir_zh
                        || {{ gscor_fmt_pct('abs(with_budget.prior_inquiries_lift)') }}, ''
                    )
                    || '；节日周直通车花费 ¥' || coalesce({{ gscor_fmt_num('with_budget.prior_festival_p4p_spend_cny') }}, '—')
                    || case
                        when with_budget.prior_baseline_weeks_with_data < with_budget.prior_baseline_weeks
                            then
                                '（节前只有 ' || {{ gscor_fmt_num('with_budget.prior_baseline_weeks_with_data') }}
                                || ' 周数据，仅供参考）'
                        else ''
                    end || '。'
        end as prior_zh,
        case
            when with_budget.has_prior_year_data
                then
                    'Last year (' || with_budget.prior_year_text || ') weekly exposure during the festival was '
                    || with_budget.impressions_dir_en || {{ gscor_fmt_pct('abs(with_budget.prior_impressions_lift)') }}
                    || coalesce(
                        ' and weekly inquiries ' || with_budget.inquiries_dir_en
                        || {{ gscor_fmt_pct('abs(with_budget.prior_inquiries_lift)') }}, ''
                    )
                    || ' compared with the ' || {{ gscor_fmt_num('with_budget.prior_baseline_weeks_with_data') }}
                    || ' week(s) before; P4P spend in the festival weeks was CNY '
                    || coalesce({{ gscor_fmt_num('with_budget.prior_festival_p4p_spend_cny') }}, '—')
                    || case
                        when with_budget.prior_baseline_weeks_with_data < with_budget.prior_baseline_weeks
                            then
                                ' (only ' || {{ gscor_fmt_num('with_budget.prior_baseline_weeks_with_data') }}
                                || ' week(s) of data before the festival: indicative only)'
                        else ''
                    end || '. '
        end as prior_en
    from with_budget

),

final as (

    select
        {{ gscor_surrogate_key(['account_id', 'festival_code']) }} as festival_advice_key,
        account_id,
        latest_data_date,
        festival_code,
        festival_key,
        festival_year,
        name_zh,
        name_en,
        warmup_start,
        start_date,
        end_date,
        has_prior_year_data,
        prior_festival_code,
        prior_festival_weeks_with_data,
        prior_baseline_weeks_with_data,
        prior_impressions_lift,
        prior_inquiries_lift,
        prior_festival_p4p_weeks,
        prior_festival_p4p_spend_cny,
        prior_festival_p4p_spend_usd,
        prior_festival_p4p_spend_cny_per_week,
        basis_lift,
        recommended_budget_uplift,
        current_p4p_weeks,
        current_weekly_p4p_spend_cny,
        recommended_weekly_p4p_spend_cny,
        case
            when not has_prior_year_data
                then
                    intro_zh || '没有去年' || name_zh || '（' || cast(festival_year - 1 as {{ gscor_type('string') }})
                    || '）节日周及节前周的数据，无法根据去年的节日提升给出预算建议。'
            when recommended_budget_uplift = 0
                then intro_zh || prior_zh || '去年节日的曝光或询盘没有明显增长，建议维持现有直通车预算，不为节日加预算。'
            when current_weekly_p4p_spend_cny is null
                then
                    intro_zh || prior_zh || '建议从预热期起把直通车周预算上调 '
                    || {{ gscor_fmt_pct('recommended_budget_uplift', 0) }} || '（近 4 周没有直通车花费数据）。'
            else
                intro_zh || prior_zh || '建议从预热期起把直通车周预算上调 '
                || {{ gscor_fmt_pct('recommended_budget_uplift', 0) }} || '：由近 '
                || {{ gscor_fmt_num('current_p4p_weeks') }} || ' 周周均 ¥'
                || {{ gscor_fmt_num('current_weekly_p4p_spend_cny') }} || ' 调至约 ¥'
                || {{ gscor_fmt_num('recommended_weekly_p4p_spend_cny') }} || '/周。'
        end as advice_zh,
        case
            when not has_prior_year_data
                then
                    intro_en || 'There is no data for last year''s ' || name_en || ' ('
                    || cast(festival_year - 1 as {{ gscor_type('string') }})
                    || ': festival weeks and the weeks before), so no budget recommendation can be made from last'
                    || ' year''s lift.'
            when recommended_budget_uplift = 0
                then
                    intro_en || prior_en || 'Last year''s festival brought no clear growth in exposure or'
                    || ' inquiries: keep the current P4P budget, no festival increase.'
            when current_weekly_p4p_spend_cny is null
                then
                    intro_en || prior_en || 'Raise the weekly P4P budget by '
                    || {{ gscor_fmt_pct('recommended_budget_uplift', 0) }}
                    || ' from the warm-up start (no P4P spend data in the last 4 weeks).'
            else
                intro_en || prior_en || 'Raise the weekly P4P budget by '
                || {{ gscor_fmt_pct('recommended_budget_uplift', 0) }} || ' from the warm-up start: from CNY '
                || {{ gscor_fmt_num('current_weekly_p4p_spend_cny') }} || ' a week (mean of the last '
                || {{ gscor_fmt_num('current_p4p_weeks') }} || ' weeks) to about CNY '
                || {{ gscor_fmt_num('recommended_weekly_p4p_spend_cny') }} || '.'
        end as advice_en
    from texts

)

select * from final
