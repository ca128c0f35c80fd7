-- What one unit of a finding's impact is worth in USD, per account, so findings in different units (lost clicks,
-- lost inquiries, wasted CNY, revenue at risk) rank on one scale in the action plan.
-- Grain: account_id.
--
-- Window: the account's last 13 weeks of fct_funnel_weekly (ending at its latest week).
--   usd_per_order    = TA order amount / TA orders placed in the window (fct_order_lines, average order value)
--   usd_per_inquiry  = usd_per_order × orders per inquiry (sum of weekly TA orders / sum of weekly inquiries)
--   usd_per_click    = usd_per_inquiry × inquiries per click (sums of weekly counts), or, without order data,
--                      the P4P cost per click (what the market charges for a click), else NULL
--   usd_per_visitor  = usd_per_inquiry × the mean weekly inquiry rate (inquiry buyers / visitors): visitor counts
--                      are unique per week and never summed across weeks
--   usd_per_cny      = the fx_rates rate valid on the window's last day
-- A unit without a value leaves impact_usd NULL in fct_findings (ranked after valued findings), never 0.
with

funnel as (

    select
        account_id,
        period_start,
        period_end,
        clicks,
        inquiries,
        ta_orders,
        inquiry_rate,
        max(period_end) over (partition by account_id) as last_week_end
    from {{ ref('fct_funnel_weekly') }}

),

windowed as (

    select * from funnel
    where period_end > {{ gscor_add_days(-91, 'last_week_end') }}

),

funnel_rates as (

    select
        account_id,
        min(period_start) as window_start,
        max(period_end) as window_end,
        count(*) as window_weeks,
        {{ gscor_ratio('sum(ta_orders)', 'sum(inquiries)') }} as orders_per_inquiry,
        {{ gscor_ratio('sum(inquiries)', 'sum(clicks)') }} as inquiries_per_click,
        avg(inquiry_rate) as mean_weekly_inquiry_rate
    from windowed
    group by account_id

),

orders as (

    select
        funnel_rates.account_id,
        {{ gscor_ratio('sum(order_lines.amount_usd)', 'count(distinct order_lines.order_id)') }} as usd_per_order
    from funnel_rates
    inner join {{ ref('fct_order_lines') }} as order_lines
        on
            funnel_rates.account_id = order_lines.account_id
            and cast(order_lines.ordered_at as date) between funnel_rates.window_start and funnel_rates.window_end
    group by funnel_rates.account_id

),

p4p as (

    select
        funnel_rates.account_id,
        {{ gscor_ratio('sum(roi.spend_usd)', 'sum(roi.clicks)') }} as p4p_usd_per_click
    from funnel_rates
    inner join {{ ref('fct_p4p_roi_weekly') }} as roi
        on
            funnel_rates.account_id = roi.account_id
            and roi.period_end between funnel_rates.window_start and funnel_rates.window_end
    group by funnel_rates.account_id

),

cny as (

    select
        funnel_rates.account_id,
        cast(fx.rate_to_usd as {{ gscor_type('double') }}) as usd_per_cny
    from funnel_rates
    inner join {{ ref('int_fx_rates_ranged') }} as fx
        on
            fx.currency = 'CNY'
            and funnel_rates.window_end >= fx.valid_from
            and (fx.valid_to is null or funnel_rates.window_end < fx.valid_to)

),

valued as (

    select
        funnel_rates.account_id,
        funnel_rates.window_start,
        funnel_rates.window_end,
        funnel_rates.window_weeks,
        funnel_rates.orders_per_inquiry,
        funnel_rates.inquiries_per_click,
        funnel_rates.mean_weekly_inquiry_rate,
        orders.usd_per_order,
        orders.usd_per_order * funnel_rates.orders_per_inquiry as usd_per_inquiry,
        p4p.p4p_usd_per_click,
        cny.usd_per_cny
    from funnel_rates
    left join orders on funnel_rates.account_id = orders.account_id
    left join p4p on funnel_rates.account_id = p4p.account_id
    left join cny on funnel_rates.account_id = cny.account_id

),

final as (

    select
        account_id,
        window_start,
        window_end,
        window_weeks,
        orders_per_inquiry,
        inquiries_per_click,
        mean_weekly_inquiry_rate,
        usd_per_order,
        usd_per_inquiry,
        coalesce(usd_per_inquiry * inquiries_per_click, p4p_usd_per_click) as usd_per_click,
        case
            when usd_per_inquiry * inquiries_per_click is not null then 'order_value'
            when p4p_usd_per_click is not null then 'p4p_cpc'
        end as usd_per_click_basis,
        usd_per_inquiry * mean_weekly_inquiry_rate as usd_per_visitor,
        usd_per_cny
    from valued

)

select * from final
