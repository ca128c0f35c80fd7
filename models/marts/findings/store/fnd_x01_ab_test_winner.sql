-- X01 A/B 实验结论 (stage S, weekly): a finished A/B test with a significantly better challenger becomes the action
-- APPLY_AB_WINNER naming the test and the winning variant. Reads the arms of fct_ab_test_readout and re-applies
-- the account's thresholds (int_rule_thresholds_resolved, rule X01), so an override in the seed changes the outcome:
--   fires on a challenger arm when the test has ended (not running), EVERY arm of the test has at least
--   min_sample_per_variant sample units (impressions for CTR tests, visitors for inquiry-rate tests), its two-sided
--   pooled z-test p-value against the control is below max_p_value / challengers (Bonferroni) and its rate is above
--   the control's; of several such arms the best rate wins (one finding per test). A significantly WORSE challenger
--   needs no action (the live version is the control) and does not fire.
-- Evidence: value = the winner's rate, threshold = benchmark = the control's rate (the rate it had to beat);
-- p-value, z and samples in evidence_detail. Period = the test's run (start_date … end_date); period_grain = the
-- smallest catalogue window that holds the run (week ≤ 7 days, 4w ≤ 28, month ≤ 31, quarter ≤ 92, else 12m).
-- Impact (clicks for CTR tests, inquiries for inquiry-rate tests, per week): (winner rate − control rate) × the
-- test's weekly sample over all arms — what serving the winner to all traffic adds per week.
-- Severity by the size of the gain: high when the lift vs control ≥ 50 %, medium ≥ 20 %, else low.
with

params as ({{ gscor_rule_params('X01', ['max_p_value', 'min_sample_per_variant']) }}),

readout as (

    select
        account_id,
        test_id,
        variant,
        test_type,
        product_id,
        product_name,
        product_owner,
        start_date,
        end_date,
        test_days,
        is_running,
        metric,
        sample_unit,
        sample_size,
        conversions,
        conversion_rate,
        is_control,
        control_variant,
        control_sample_size,
        control_rate,
        lift_vs_control,
        z_score,
        p_value,
        challengers,
        min(coalesce(sample_size, 0)) over (partition by account_id, test_id) as smallest_arm_sample,
        sum(coalesce(sample_size, 0)) over (partition by account_id, test_id) as test_sample
    from {{ ref('fct_ab_test_readout') }}

),

qualified as (

    select
        readout.*,
        params.max_p_value,
        params.min_sample_per_variant,
        row_number() over (
            partition by readout.account_id, readout.test_id
            order by readout.conversion_rate desc, readout.variant asc
        ) as winner_rank
    from readout
    inner join params
        on readout.account_id = params.account_id
    where
        not readout.is_control
        and not readout.is_running
        and readout.smallest_arm_sample >= params.min_sample_per_variant
        and readout.p_value < params.max_p_value / readout.challengers
        and readout.conversion_rate > readout.control_rate

),

labelled as (

    select
        qualified.*,
        case
            when qualified.test_type like '%主图%' then 'main image'
            when qualified.test_type like '%标题%' then 'title'
            when qualified.test_type like '%详情%' then 'detail page'
            when qualified.test_type like '%视频%' then 'video'
            when qualified.test_type like '%价格%' then 'price'
            else coalesce(qualified.test_type, 'test')
        end as test_type_en,
        coalesce(qualified.test_type, '实验') as test_type_zh,
        coalesce(qualified.product_name, qualified.product_id) as product_label,
        case when qualified.metric = 'ctr' then '点击率' else '询盘转化率' end as metric_zh,
        case when qualified.metric = 'ctr' then 'CTR' else 'inquiry rate' end as metric_en,
        case
            when qualified.p_value < 0.0001 then '< 0.0001'
            else {{ gscor_fmt_num('qualified.p_value', 4) }}
        end as p_text,
        qualified.test_sample * {{ gscor_divide('7.0', 'nullif(qualified.test_days, 0)') }} as weekly_sample
    from qualified
    where qualified.winner_rank = 1

),

findings as (

    select
        account_id,
        'X01' as rule_id,
        'S' as stage,  -- noqa: RF04
        case
            when lift_vs_control >= 0.5 then 'high'
            when lift_vs_control >= 0.2 then 'medium'
            else 'low'
        end as severity,
        'ab_test' as entity_type,
        test_id as entity_id,
        test_id || ' ' || coalesce(test_type, '') || ' · ' || product_label as entity_label,
        case
            when test_days <= 7 then 'week'
            when test_days <= 28 then '4w'
            when test_days <= 31 then 'month'
            when test_days <= 92 then 'quarter'
            else '12m'
        end as period_grain,
        start_date as period_start,
        end_date as period_end,
        metric,
        conversion_rate as value,  -- noqa: RF04
        control_rate as threshold,
        control_rate as benchmark,
        greatest(coalesce((conversion_rate - control_rate) * weekly_sample, 0), 0) as impact_estimate,
        case when metric = 'ctr' then 'clicks' else 'inquiries' end as impact_unit,
        'APPLY_AB_WINNER' as action_code,
        '实验「' || test_id || '」（' || test_type_zh || '，产品「' || product_label || '」）：版本 ' || variant
        || ' 胜出，' || metric_zh || ' ' || {{ gscor_fmt_pct('conversion_rate', 2) }}
        || '，对照版 ' || control_variant || ' ' || {{ gscor_fmt_pct('control_rate', 2) }}
        || '（提升 ' || {{ gscor_fmt_pct('lift_vs_control', 1) }} || '，p ' || p_text
        || '）。把版本 ' || variant || ' 的' || test_type_zh || '设为正式版本并结束实验。' as action_text_zh,
        'A/B test "' || test_id || '" (' || test_type_en || ', product "' || product_label || '"): variant '
        || variant || ' wins with ' || metric_en || ' ' || {{ gscor_fmt_pct('conversion_rate', 2) }}
        || ' vs ' || {{ gscor_fmt_pct('control_rate', 2) }} || ' for control ' || control_variant
        || ' (+' || {{ gscor_fmt_pct('lift_vs_control', 1) }} || ', p ' || p_text
        || '). Make variant ' || variant || '''s ' || test_type_en || ' the live version and end the test.'
            as action_text_en,
        product_owner as owner,  -- noqa: RF04
        'z = ' || {{ gscor_fmt_num('z_score', 2) }} || '; p ' || p_text || ' (max ' || {{ gscor_fmt_num(
            'max_p_value / challengers', 4
        ) }} || '); ' || sample_unit || ' ' || {{ gscor_fmt_num('sample_size') }} || ' (' || variant || ') vs '
        || {{ gscor_fmt_num('control_sample_size') }} || ' (' || control_variant || '), minimum '
        || {{ gscor_fmt_num('min_sample_per_variant') }} || ' per variant' as evidence_detail
    from labelled

)

{{ gscor_finding_record('findings') }}
