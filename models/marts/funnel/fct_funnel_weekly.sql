-- GSCOR funnel by account × back office week (Sunday → Saturday): exposure → click → visit → inquiry / TM →
-- Trade Assurance order, each stage's conversion rate, its 8-week baseline (mean of the rates of the previous
-- 8 calendar weeks that have one; NULL with fewer than 4) and the relative deviation from it.
-- order_rate_cohort is the inquiries of the week that turned into an order within order_cohort_days (NULL until
-- the order data covers the whole window); the R columns come from int_funnel_outcomes_weekly.
-- A table, not incremental: a changed week moves the baselines of the 8 weeks after it.
{%- set rates = ['ctr', 'inquiry_rate', 'tm_rate', 'opportunity_rate', 'order_rate', 'order_rate_cohort'] %}
with

funnel_weeks as (

    select * from {{ ref('int_funnel_weeks_assembled') }}

),

outcomes as (

    select * from {{ ref('int_funnel_outcomes_weekly') }}

),

funnel_rates as (

    select
        funnel_weeks.account_id,
        funnel_weeks.week_start,
        {{ gscor_ratio('funnel_weeks.clicks', 'funnel_weeks.impressions') }} as ctr,
        {{ gscor_ratio('funnel_weeks.inquiry_buyers', 'funnel_weeks.visitors') }} as inquiry_rate,
        {{ gscor_ratio('funnel_weeks.tm_buyers', 'funnel_weeks.visitors') }} as tm_rate,
        {{ gscor_ratio('funnel_weeks.opportunity_buyers', 'funnel_weeks.visitors') }} as opportunity_rate,
        {{ gscor_ratio('funnel_weeks.ta_orders', 'funnel_weeks.inquiries') }} as order_rate,
        case
            when outcomes.order_cohort_complete
                then {{ gscor_ratio('outcomes.order_cohort_converted', 'outcomes.order_cohort_inquiries') }}
        end as order_rate_cohort
    from funnel_weeks
    left join outcomes
        on
            funnel_weeks.account_id = outcomes.account_id
            and funnel_weeks.week_start = outcomes.week_start

),

baselines as (

    select
        current_week.account_id,
        current_week.week_start,
        {% for rate in rates %}
            case
                when count(prior_week.{{ rate }}) >= 4 then avg(prior_week.{{ rate }})
            end as {{ rate }}_baseline_8w,
            count(prior_week.{{ rate }}) as {{ rate }}_baseline_weeks{% if not loop.last %},{% endif %}
        {% endfor %}
    from funnel_rates as current_week
    left join funnel_rates as prior_week
        on
            current_week.account_id = prior_week.account_id
            and prior_week.week_start >= {{ gscor_add_days(-56, 'current_week.week_start') }}
            and current_week.week_start > prior_week.week_start
    group by current_week.account_id, current_week.week_start

),

final as (

    select
        funnel_weeks.account_id,
        'week' as period_grain,
        funnel_weeks.week_start as period_start,
        {{ gscor_add_days(6, 'funnel_weeks.week_start') }} as period_end,
        funnel_weeks.is_festival_week,
        funnel_weeks.festival_code,
        funnel_weeks.is_warmup_week,
        funnel_weeks.warmup_festival_code,
        funnel_weeks.shop_days_covered,
        funnel_weeks.exposure_source,
        funnel_weeks.impressions,
        funnel_weeks.clicks,
        funnel_weeks.visitors,
        funnel_weeks.visitors_is_daily_sum,
        funnel_weeks.visitors_source,
        funnel_weeks.inquiries,
        funnel_weeks.inquiries_source,
        funnel_weeks.inquiry_buyers,
        funnel_weeks.tm_buyers,
        funnel_weeks.opportunity_buyers,
        funnel_weeks.ta_orders,
        funnel_weeks.ta_orders_source,
        {% for rate in rates %}
            funnel_rates.{{ rate }},
            baselines.{{ rate }}_baseline_8w,
            baselines.{{ rate }}_baseline_weeks,
            {{ gscor_ratio('funnel_rates.' ~ rate ~ ' - baselines.' ~ rate ~ '_baseline_8w',
                'baselines.' ~ rate ~ '_baseline_8w') }} as {{ rate }}_deviation,
        {% endfor %}
        outcomes.order_cohort_days,
        outcomes.order_cohort_inquiries,
        outcomes.order_cohort_converted,
        coalesce(outcomes.order_cohort_complete, false) as order_cohort_complete,
        outcomes.repurchase_buyers,
        outcomes.repeat_buyers,
        {{ gscor_ratio('outcomes.repeat_buyers', 'outcomes.repurchase_buyers') }} as repurchase_rate,
        outcomes.inquiries_replied_24h,
        outcomes.inquiries_replied_late,
        outcomes.inquiries_unanswered,
        {{ gscor_ratio('outcomes.inquiries_replied_24h',
            'outcomes.inquiries_replied_24h + outcomes.inquiries_replied_late + outcomes.inquiries_unanswered') }}
            as inquiry_replied_24h_share,
        outcomes.inquiry_reply_hours_median,
        outcomes.sa_customers,
        outcomes.active_sa_customers,
        funnel_weeks.loaded_at
    from funnel_weeks
    inner join funnel_rates
        on
            funnel_weeks.account_id = funnel_rates.account_id
            and funnel_weeks.week_start = funnel_rates.week_start
    inner join baselines
        on
            funnel_weeks.account_id = baselines.account_id
            and funnel_weeks.week_start = baselines.week_start
    left join outcomes
        on
            funnel_weeks.account_id = outcomes.account_id
            and funnel_weeks.week_start = outcomes.week_start

)

select * from final
