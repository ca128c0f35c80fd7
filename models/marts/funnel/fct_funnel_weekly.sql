-- GSCOR funnel by account × back office week (Sunday → Saturday): exposure → click → visit → inquiry / TM →
-- Trade Assurance order, each stage's conversion rate, its 8-week baseline (mean of the rates of the previous
-- 8 calendar weeks that have one; NULL with fewer than 4) and the relative deviation from it.
-- A table, not incremental: a changed week moves the baselines of the 8 weeks after it.
{%- set rates = ['ctr', 'inquiry_rate', 'tm_rate', 'opportunity_rate', 'order_rate'] %}
with

funnel_weeks as (

    select * from {{ ref('int_funnel_weeks_assembled') }}

),

funnel_rates as (

    select
        account_id,
        week_start,
        {{ gscor_ratio('clicks', 'impressions') }} as ctr,
        {{ gscor_ratio('inquiry_buyers', 'visitors') }} as inquiry_rate,
        {{ gscor_ratio('tm_buyers', 'visitors') }} as tm_rate,
        {{ gscor_ratio('opportunity_buyers', 'visitors') }} as opportunity_rate,
        {{ gscor_ratio('ta_orders', 'inquiries') }} as order_rate
    from funnel_weeks

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

)

select * from final
