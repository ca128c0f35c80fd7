-- Ad-hoc: how much the trade festivals (三月新贸节, 九月采购节) lift each funnel stage, per account.
-- Festival weeks against the other weeks of the same account (warm-up weeks kept apart);
-- rates averaged over weeks, counts as weekly means. Compile with `dbt compile -s funnel_festival_lift`.
with

weeks as (

    select
        account_id,
        impressions,
        clicks,
        inquiries,
        ta_orders,
        inquiry_rate,
        case
            when is_festival_week then 'festival'
            when is_warmup_week then 'warm-up'
            else 'other'
        end as week_kind
    from {{ ref('fct_funnel_weekly') }}

),

by_kind as (

    select
        account_id,
        week_kind,
        count(*) as weeks,
        avg(impressions) as impressions_per_week,
        avg(clicks) as clicks_per_week,
        avg(inquiries) as inquiries_per_week,
        avg(ta_orders) as ta_orders_per_week,
        avg(inquiry_rate) as inquiry_rate
    from weeks
    group by account_id, week_kind

)

select
    festival.account_id,
    festival.weeks as festival_weeks,
    other.weeks as other_weeks,
    festival.impressions_per_week / nullif(other.impressions_per_week, 0) - 1 as impressions_lift,
    festival.inquiries_per_week / nullif(other.inquiries_per_week, 0) - 1 as inquiries_lift,
    festival.ta_orders_per_week / nullif(other.ta_orders_per_week, 0) - 1 as ta_orders_lift,
    festival.inquiry_rate - other.inquiry_rate as inquiry_rate_change
from by_kind as festival
inner join by_kind as other
    on festival.account_id = other.account_id
where festival.week_kind = 'festival' and other.week_kind = 'other'
order by festival.account_id
