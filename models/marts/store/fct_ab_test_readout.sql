-- X01 A/B test readout (A/B 实验结论): one row per account × test × variant of the seller-kept A/B test log.
--
-- Metric of a test: tests of the detail page or the price (实验类型 containing 详情 / detail / 价格 / price) are
-- read on the inquiry rate (sample = 访问人数 visitors, conversions = 询盘人数 inquiry buyers), every other test type
-- (主图 main image, 标题 title, …) on the CTR (sample = 曝光次数 impressions, conversions = 点击次数 clicks); a test
-- that lacks impressions on an arm falls back to the inquiry rate and vice versa.
-- Control arm: the variant named A / control / 对照 / 对照组 / 原版 / original, else the alphabetically first one.
-- Each other arm is compared with the control by the pooled two-proportion z-test:
--     p = (x_c + x_v) / (n_c + n_v),  se = sqrt(p (1 - p) (1 / n_c + 1 / n_v)),  z = (rate_v - rate_c) / se,
--     two-sided p-value = erfc(|z| / sqrt 2) (macro gscor_normal_two_sided_p, Numerical Recipes erfcc).
-- With more than one challenger the significance level is split between them (Bonferroni: alpha = max_p_value /
-- challengers). Thresholds per account from int_rule_thresholds_resolved, rule X01: max_p_value,
-- min_sample_per_variant.
-- Decision of the test (same on all its rows), first that applies:
--   running       the test's end date is after the account's as-of date (latest week end in fct_funnel_weekly,
--                 else dim_account.last_data_date): no peeking;
--   too_small     an arm has fewer than min_sample_per_variant sample units (even if the difference is significant);
--   winner        at least one challenger differs from the control with p < alpha: the winner is the best
--                 significantly better challenger, or the control when every significant challenger is worse;
--   no_difference otherwise.
with

ab_rows as (

    select
        account_id,
        test_id,
        test_type,
        product_id,
        variant,
        start_date,
        end_date,
        impressions,
        clicks,
        visitors,
        inquiry_buyers,
        loaded_at
    from {{ ref('stg_alibaba__ab_tests') }}
    where test_id is not null and variant is not null

),

params as ({{ gscor_rule_params('X01', ['max_p_value', 'min_sample_per_variant']) }}),

funnel_as_of as (

    select
        account_id,
        max(period_end) as last_week_end
    from {{ ref('fct_funnel_weekly') }}
    group by account_id

),

as_of as (

    select
        dim_account.account_id,
        coalesce(funnel_as_of.last_week_end, dim_account.last_data_date) as as_of_date
    from {{ ref('dim_account') }} as dim_account
    left join funnel_as_of
        on dim_account.account_id = funnel_as_of.account_id

),

tests as (

    select
        account_id,
        test_id,
        max(test_type) as test_type,
        min(start_date) as start_date,
        max(end_date) as end_date,
        count(*) as arms,
        min(case when impressions > 0 and clicks is not null then 1 else 0 end) = 1 as has_ctr_data,
        min(case when visitors > 0 and inquiry_buyers is not null then 1 else 0 end) = 1 as has_inquiry_data,
        max(
            case
                when
                    lower(test_type) like '%详情%' or lower(test_type) like '%detail%'
                    or lower(test_type) like '%价格%' or lower(test_type) like '%price%'
                    then 1
                else 0
            end
        ) = 1 as is_detail_test
    from ab_rows
    group by account_id, test_id

),

test_metric as (

    select
        tests.*,
        case
            when tests.is_detail_test and tests.has_inquiry_data then 'inquiry_rate'
            when tests.has_ctr_data then 'ctr'
            when tests.has_inquiry_data then 'inquiry_rate'
        end as metric
    from tests

),

arms as (

    select
        ab_rows.account_id,
        ab_rows.test_id,
        ab_rows.variant,
        ab_rows.product_id,
        ab_rows.loaded_at,
        test_metric.test_type,
        test_metric.start_date,
        test_metric.end_date,
        test_metric.arms,
        test_metric.metric,
        case
            when test_metric.metric = 'ctr' then 'impressions'
            when test_metric.metric = 'inquiry_rate' then 'visitors'
        end as sample_unit,
        case
            when test_metric.metric = 'ctr' then 'clicks'
            when test_metric.metric = 'inquiry_rate' then 'inquiry_buyers'
        end as conversion_unit,
        case
            when test_metric.metric = 'ctr' then ab_rows.impressions
            when test_metric.metric = 'inquiry_rate' then ab_rows.visitors
        end as sample_size,
        case
            when test_metric.metric = 'ctr' then ab_rows.clicks
            when test_metric.metric = 'inquiry_rate' then ab_rows.inquiry_buyers
        end as conversions,
        row_number() over (
            partition by ab_rows.account_id, ab_rows.test_id
            order by
                case
                    when lower(trim(ab_rows.variant)) in ('a', 'control', '对照', '对照组', '原版', 'original') then 0
                    else 1
                end,
                ab_rows.variant
        ) as control_rank
    from ab_rows
    inner join test_metric
        on
            ab_rows.account_id = test_metric.account_id
            and ab_rows.test_id = test_metric.test_id

),

arms_rated as (

    select
        arms.*,
        arms.control_rank = 1 as is_control,
        {{ gscor_ratio('arms.conversions', 'arms.sample_size') }} as conversion_rate
    from arms

),

controls as (

    select
        account_id,
        test_id,
        variant as control_variant,
        sample_size as control_sample_size,
        conversions as control_conversions,
        conversion_rate as control_rate
    from arms_rated
    where is_control

),

compared as (

    select
        arms_rated.*,
        controls.control_variant,
        controls.control_sample_size,
        controls.control_conversions,
        controls.control_rate,
        case when not arms_rated.is_control then {{ gscor_ratio(
            'arms_rated.conversions + controls.control_conversions',
            'arms_rated.sample_size + controls.control_sample_size'
        ) }} end as pooled_rate
    from arms_rated
    inner join controls
        on
            arms_rated.account_id = controls.account_id
            and arms_rated.test_id = controls.test_id

),

z_scored as (

    select
        compared.*,
        case
            when not compared.is_control then {{ gscor_divide(
                'compared.conversion_rate',
                'nullif(compared.control_rate, 0)'
            ) }} - 1
        end as lift_vs_control,
        case
            when not compared.is_control and compared.sample_size > 0 and compared.control_sample_size > 0
                then (compared.conversion_rate - compared.control_rate) / nullif(
                    sqrt(
                        compared.pooled_rate * (1 - compared.pooled_rate)
                        * ({{ gscor_divide('1.0', 'compared.sample_size') }} + {{ gscor_divide(
                            '1.0',
                            'compared.control_sample_size'
                        ) }})
                    ),
                    0
                )
        end as z_score
    from compared

),

tested as (

    select
        z_scored.*,
        {{ gscor_normal_two_sided_p('z_scored.z_score') }} as p_value,
        params.max_p_value,
        params.min_sample_per_variant,
        params.max_p_value / nullif(z_scored.arms - 1, 0) as alpha,
        coalesce(z_scored.sample_size >= params.min_sample_per_variant, false) as reaches_min_sample,
        as_of.as_of_date
    from z_scored
    left join params
        on z_scored.account_id = params.account_id
    left join as_of
        on z_scored.account_id = as_of.account_id

),

flagged as (

    select
        tested.*,
        not tested.is_control and coalesce(tested.p_value < tested.alpha, false) as is_significant
    from tested

),

test_outcomes as (

    select
        account_id,
        test_id,
        min(case when reaches_min_sample then 1 else 0 end) = 1 as all_arms_reach_min_sample,
        max(case when is_significant then 1 else 0 end) = 1 as any_significant,
        max(case when is_significant and lift_vs_control > 0 then conversion_rate end) as best_significant_rate,
        max(case when end_date > as_of_date then 1 else 0 end) = 1 as is_running
    from flagged
    group by account_id, test_id

),

winners as (

    -- the best significantly better challenger (ties: the first variant name), else the control
    select
        flagged.account_id,
        flagged.test_id,
        min(
            case
                when test_outcomes.best_significant_rate is null and flagged.is_control then flagged.variant
                when flagged.is_significant and flagged.conversion_rate = test_outcomes.best_significant_rate
                    then flagged.variant
            end
        ) as winning_variant
    from flagged
    inner join test_outcomes
        on
            flagged.account_id = test_outcomes.account_id
            and flagged.test_id = test_outcomes.test_id
    where test_outcomes.any_significant
    group by flagged.account_id, flagged.test_id

),

final as (

    select
        {{ gscor_surrogate_key(['flagged.account_id', 'flagged.test_id', 'flagged.variant']) }} as ab_test_variant_key,
        flagged.account_id,
        flagged.test_id,
        flagged.variant,
        flagged.test_type,
        flagged.product_id,
        dim_product.product_name,
        dim_product.owner as product_owner,
        flagged.start_date,
        flagged.end_date,
        {{ gscor_days_between('flagged.start_date', 'flagged.end_date') }} + 1 as test_days,
        flagged.as_of_date,
        flagged.metric,
        flagged.sample_unit,
        flagged.conversion_unit,
        flagged.sample_size,
        flagged.conversions,
        flagged.conversion_rate,
        flagged.is_control,
        flagged.control_variant,
        flagged.control_sample_size,
        flagged.control_conversions,
        flagged.control_rate,
        flagged.lift_vs_control,
        flagged.pooled_rate,
        flagged.z_score,
        flagged.p_value,
        flagged.arms - 1 as challengers,
        flagged.max_p_value,
        flagged.alpha,
        flagged.is_significant,
        flagged.min_sample_per_variant,
        flagged.reaches_min_sample,
        test_outcomes.all_arms_reach_min_sample,
        test_outcomes.is_running,
        case
            when test_outcomes.is_running then 'running'
            when not test_outcomes.all_arms_reach_min_sample then 'too_small'
            when test_outcomes.any_significant then 'winner'
            else 'no_difference'
        end as decision,
        case
            when not test_outcomes.is_running and test_outcomes.all_arms_reach_min_sample
                then winners.winning_variant
        end as winning_variant,
        coalesce(
            not test_outcomes.is_running
            and test_outcomes.all_arms_reach_min_sample
            and winners.winning_variant = flagged.variant,
            false
        ) as is_winner,
        flagged.loaded_at
    from flagged
    inner join test_outcomes
        on
            flagged.account_id = test_outcomes.account_id
            and flagged.test_id = test_outcomes.test_id
    left join winners
        on
            flagged.account_id = winners.account_id
            and flagged.test_id = winners.test_id
    left join {{ ref('dim_product') }} as dim_product
        on
            flagged.account_id = dim_product.account_id
            and flagged.product_id = dim_product.product_id

)

select * from final
