-- Did the done actions work? One row per ledger action (grain action_id): the ledger row and, for a done action,
-- the targeted metric of its entity before vs after over equal windows, judged against the entity's own normal
-- week-to-week variation (never a fixed %). Settings: seed effect_settings; metric directions: seed
-- effect_metrics; weekly series: fct_entity_metric_weekly.
--
-- Weeks are Sunday–Saturday. Done week = the week containing done_date (neither before nor after: the action
-- may have taken effect mid-week).
--   weeks_after_available = complete weeks of the metric's data (any entity of the account) after done week
--   n (window_weeks)      = min(window_weeks_max, weeks_after_available)
--   before window         = the n weeks ending the week before the done week
--   after window          = the n weeks starting the week after the done week
--   before/after_value    = mean of the entity's weekly values in the window (weeks with a value)
--   noise_sd              = sample stdev of the entity's weekly values over the noise_weeks weeks before the done
--                           week (fallback: the before window's stdev)
--   z_score               = (after - before) / (sd / sqrt(n)), with sd = max(noise_sd, min_noise_sd_rel × |before|)
--                           so a flat history does not inflate a tiny change; when sd is 0 (a history of zeros)
--                           z_score is null and the sign of the change decides (0 change: no_effect).
-- verdict (done actions only; null for open / dropped):
--   not_trackable  the metric is not in the vocabulary, or the entity has no weekly series of it, or there is no
--                  value before / after, or too little history for its noise (< 2 weeks)
--   too_early      < min_weeks_after complete weeks of data after the done week
--   improved       |z| >= min_z in the good direction (higher_is_better), worse: in the bad direction
--   no_effect      |z| < min_z: the change is within the entity's normal variation, however large in %
-- The season (is_seasonal; see the yml): the span [before_start, after_end]
-- overlaps a trade_calendar platform_festival / holiday (warm-up to end) or the untouched comparables (same
-- account, entity type and metric, no done action in the span) moved the same way by >= confound_share of the
-- entity's relative change. Then the change is judged against them (difference in differences: expected_after =
-- before × (1 + control_change_pct), did_z_score = (after - expected_after) / the same standard error;
-- verdict_basis vs_comparables) given >= min_comparables of them, else the verdict is 'confounded'.
with

ledger as (

    select * from {{ ref('stg_actions__ledger') }}

),

series as (

    select * from {{ ref('fct_entity_metric_weekly') }}

),

effect_metrics as (

    select * from {{ ref('effect_metrics') }}

),

settings as (

    select
        max(case when parameter = 'window_weeks_max' then value end) as window_weeks_max,
        max(case when parameter = 'min_weeks_after' then value end) as min_weeks_after,
        max(case when parameter = 'noise_weeks' then value end) as noise_weeks,
        max(case when parameter = 'min_z' then value end) as min_z,
        coalesce(max(case when parameter = 'min_noise_sd_rel' then value end), 0) as min_noise_sd_rel,
        coalesce(max(case when parameter = 'confound_share' then value end), 0.5) as confound_share,
        coalesce(max(case when parameter = 'min_comparables' then value end), 3) as min_comparables
    from {{ ref('effect_settings') }}

),

trade_calendar as (

    select * from {{ ref('trade_calendar') }}
    where festival_type in ('platform_festival', 'holiday')

),

series_keys as (

    select
        account_id,
        entity_type,
        entity_id,
        metric,
        count(*) as series_weeks
    from series
    group by account_id, entity_type, entity_id, metric

),

data_end as (

    select
        account_id,
        entity_type,
        metric,
        max(week_end) as last_week_end
    from series
    group by account_id, entity_type, metric

),

done_actions as (

    select
        ledger.action_id,
        ledger.account_id,
        ledger.entity_type,
        ledger.entity_key,
        ledger.metric,
        {{ gscor_week_start('ledger.done_date') }} as done_week_start,
        {{ gscor_week_end('ledger.done_date') }} as done_week_end,
        data_end.last_week_end,
        series_keys.series_weeks,
        settings.window_weeks_max,
        settings.min_weeks_after,
        settings.noise_weeks,
        settings.min_z,
        settings.min_noise_sd_rel,
        settings.confound_share,
        settings.min_comparables
    from ledger
    cross join settings
    left join data_end
        on
            ledger.account_id = data_end.account_id
            and ledger.entity_type = data_end.entity_type
            and ledger.metric = data_end.metric
    left join series_keys
        on
            ledger.account_id = series_keys.account_id
            and ledger.entity_type = series_keys.entity_type
            and ledger.entity_key = series_keys.entity_id
            and ledger.metric = series_keys.metric
    where ledger.status = 'done'

),

weeks_after as (

    select
        *,
        greatest(
            coalesce(cast(floor({{ gscor_days_between('done_week_end', 'last_week_end') }} / 7.0) as integer), 0),
            0
        ) as weeks_after_available
    from done_actions

),

windows as (

    select
        *,
        cast(least(window_weeks_max, weeks_after_available) as integer) as window_weeks
    from weeks_after

),

bounded as (

    select
        *,
        {{ gscor_add_days('-7 * window_weeks', 'done_week_start') }} as before_start,
        {{ gscor_add_days('-1', 'done_week_start') }} as before_end,
        {{ gscor_add_days('1', 'done_week_end') }} as after_start,
        {{ gscor_add_days('7 * window_weeks', 'done_week_end') }} as after_end,
        {{ gscor_add_days('-7 * cast(noise_weeks as integer)', 'done_week_start') }} as noise_start
    from windows

),

festival_overlap as (

    select
        bounded.action_id,
        {{ gscor_listagg('trade_calendar.festival_code', ', ', 'trade_calendar.festival_code') }} as festival_codes
    from bounded
    inner join trade_calendar
        on
            bounded.after_end >= trade_calendar.warmup_start
            and bounded.before_start <= trade_calendar.end_date
    where bounded.window_weeks > 0
    group by bounded.action_id

),

touched as (

    select distinct
        bounded.action_id,
        other_actions.entity_key
    from bounded
    inner join ledger as other_actions
        on
            bounded.account_id = other_actions.account_id
            and bounded.entity_type = other_actions.entity_type
            and other_actions.status = 'done'
            and other_actions.done_date between bounded.before_start and bounded.after_end
    where bounded.window_weeks > 0

),

comparable_values as (

    select
        bounded.action_id,
        series.entity_id,
        avg(case when series.week_end between bounded.before_start and bounded.before_end then series.value end)
            as before_value,
        avg(case when series.week_start between bounded.after_start and bounded.after_end then series.value end)
            as after_value
    from bounded
    inner join series
        on
            bounded.account_id = series.account_id
            and bounded.entity_type = series.entity_type
            and bounded.metric = series.metric
            and bounded.entity_key <> series.entity_id
            and bounded.before_start <= series.week_start
            and bounded.after_end >= series.week_end
    left join touched
        on
            bounded.action_id = touched.action_id
            and series.entity_id = touched.entity_key
    where bounded.window_weeks > 0 and touched.action_id is null
    group by bounded.action_id, series.entity_id

),

control as (

    select
        action_id,
        count(*) as control_entities,
        avg(before_value) as control_before_value,
        avg(after_value) as control_after_value
    from comparable_values
    where before_value is not null and after_value is not null
    group by action_id

),

measured as (

    select
        bounded.action_id,
        avg(case when series.week_end between bounded.before_start and bounded.before_end then series.value end)
            as before_value,
        count(case when series.week_end between bounded.before_start and bounded.before_end then series.value end)
            as before_weeks,
        avg(case when series.week_start between bounded.after_start and bounded.after_end then series.value end)
            as after_value,
        count(case when series.week_start between bounded.after_start and bounded.after_end then series.value end)
            as after_weeks,
        stddev_samp(
            case
                when
                    series.week_start >= bounded.noise_start and series.week_end < bounded.done_week_start
                    then series.value
            end
        ) as noise_sd_history,
        count(
            case
                when
                    series.week_start >= bounded.noise_start and series.week_end < bounded.done_week_start
                    then series.value
            end
        ) as noise_weeks_used,
        stddev_samp(
            case when series.week_end between bounded.before_start and bounded.before_end then series.value end
        ) as noise_sd_before,
        max(case when series.is_daily_uv_sum then 1 else 0 end) = 1 as is_daily_uv_sum
    from bounded
    inner join series
        on
            bounded.account_id = series.account_id
            and bounded.entity_type = series.entity_type
            and bounded.entity_key = series.entity_id
            and bounded.metric = series.metric
            and series.week_start >= least(bounded.noise_start, bounded.before_start)
            and bounded.after_end >= series.week_end
    group by bounded.action_id

),

scored as (

    select
        bounded.action_id,
        bounded.done_week_start,
        bounded.done_week_end,
        bounded.last_week_end,
        bounded.series_weeks,
        bounded.weeks_after_available,
        bounded.window_weeks,
        bounded.min_weeks_after,
        bounded.min_z,
        bounded.confound_share,
        bounded.min_comparables,
        bounded.before_start,
        bounded.before_end,
        bounded.after_start,
        bounded.after_end,
        measured.before_weeks,
        measured.after_weeks,
        measured.before_value,
        measured.after_value,
        measured.noise_weeks_used,
        coalesce(measured.noise_sd_history, measured.noise_sd_before) as noise_sd,
        measured.is_daily_uv_sum,
        measured.after_value - measured.before_value as change_abs,
        greatest(
            coalesce(measured.noise_sd_history, measured.noise_sd_before),
            bounded.min_noise_sd_rel * abs(measured.before_value)
        ) / sqrt(nullif(bounded.window_weeks, 0)) as standard_error
    from bounded
    left join measured
        on bounded.action_id = measured.action_id

),

controlled as (

    select
        scored.*,
        festival_overlap.festival_codes,
        coalesce(control.control_entities, 0) as control_entities,
        control.control_before_value,
        control.control_after_value,
        case
            when control.control_before_value > 0
                then control.control_after_value / control.control_before_value - 1
        end as control_change_pct,
        {{ gscor_ratio('scored.change_abs', 'abs(scored.before_value)') }} as entity_change_pct
    from scored
    left join festival_overlap
        on scored.action_id = festival_overlap.action_id
    left join control
        on scored.action_id = control.action_id

),

judged as (

    select
        controlled.*,
        case when controlled.standard_error > 0 then controlled.change_abs / controlled.standard_error end as z_score,
        controlled.festival_codes is not null
        or (
            controlled.control_change_pct is not null
            and controlled.entity_change_pct is not null
            and controlled.entity_change_pct <> 0
            and (controlled.control_change_pct > 0) = (controlled.entity_change_pct > 0)
            and abs(controlled.control_change_pct) >= controlled.confound_share * abs(controlled.entity_change_pct)
        ) as is_seasonal,
        controlled.control_entities >= controlled.min_comparables
        and controlled.control_before_value > 0 as has_comparables,
        controlled.before_value * (1 + controlled.control_change_pct) as expected_after_value,
        controlled.after_value - controlled.before_value * (1 + controlled.control_change_pct) as did_change,
        case
            when controlled.standard_error > 0
                then
                    (controlled.after_value - controlled.before_value * (1 + controlled.control_change_pct))
                    / controlled.standard_error
        end as did_z_score
    from controlled

),

final as (

    select
        ledger.action_id,
        ledger.account_id,
        ledger.created_on,
        ledger.report_period_end,
        ledger.finding_id,
        ledger.rule_id,
        ledger.entity_type,
        ledger.entity_id,
        ledger.entity_key,
        ledger.entity_label,
        ledger.metric,
        ledger.value_at_creation,
        ledger.action_code,
        ledger.action_text_zh,
        ledger.action_text_en,
        ledger.owner,
        ledger.due_date,
        ledger.status,
        ledger.done_date,
        ledger.note,
        judged.done_week_start,
        judged.done_week_end,
        judged.last_week_end as data_last_week_end,
        judged.weeks_after_available,
        case when judged.window_weeks > 0 then judged.window_weeks end as window_weeks,
        case when judged.window_weeks > 0 then judged.before_start end as before_start,
        case when judged.window_weeks > 0 then judged.before_end end as before_end,
        case when judged.window_weeks > 0 then judged.after_start end as after_start,
        case when judged.window_weeks > 0 then judged.after_end end as after_end,
        judged.before_weeks,
        judged.after_weeks,
        judged.before_value,
        judged.after_value,
        judged.change_abs,
        {{ gscor_ratio('judged.change_abs', 'abs(judged.before_value)') }} as change_pct,
        judged.noise_weeks_used,
        judged.noise_sd,
        judged.z_score,
        judged.min_z,
        effect_metrics.higher_is_better,
        judged.is_daily_uv_sum,
        case
            when judged.action_id is null then null
            when effect_metrics.metric is null or judged.series_weeks is null then 'not_trackable'
            when judged.weeks_after_available < judged.min_weeks_after then 'too_early'
            when
                coalesce(judged.before_weeks, 0) = 0
                or coalesce(judged.after_weeks, 0) = 0
                or judged.noise_sd is null
                then 'not_trackable'
            when judged.is_seasonal and not coalesce(judged.has_comparables, false) then 'confounded'
            when judged.is_seasonal and judged.did_z_score is null and judged.did_change = 0 then 'no_effect'
            when
                judged.is_seasonal
                and judged.did_z_score is null
                and (judged.did_change > 0) = effect_metrics.higher_is_better
                then 'improved'
            when judged.is_seasonal and judged.did_z_score is null then 'worse'
            when judged.is_seasonal and abs(judged.did_z_score) < judged.min_z then 'no_effect'
            when judged.is_seasonal and (judged.did_z_score > 0) = effect_metrics.higher_is_better then 'improved'
            when judged.is_seasonal then 'worse'
            when judged.z_score is null and judged.change_abs = 0 then 'no_effect'
            when judged.z_score is null and (judged.change_abs > 0) = effect_metrics.higher_is_better then 'improved'
            when judged.z_score is null then 'worse'
            when abs(judged.z_score) < judged.min_z then 'no_effect'
            when (judged.z_score > 0) = effect_metrics.higher_is_better then 'improved'
            else 'worse'
        end as verdict,
        case
            when judged.action_id is null then null
            when effect_metrics.metric is null
                then 'metric ' || coalesce(ledger.metric, '(none)') || ' is not tracked for ' || ledger.entity_type
            when judged.series_weeks is null then 'no weekly series of this metric for this entity'
            when judged.weeks_after_available < judged.min_weeks_after
                then
                    'fewer than ' || {{ gscor_fmt_num('judged.min_weeks_after') }}
                    || ' complete week(s) of data after the week it was done'
            when coalesce(judged.before_weeks, 0) = 0 then 'no value in the weeks before'
            when coalesce(judged.after_weeks, 0) = 0 then 'no value in the weeks after'
            when judged.noise_sd is null then 'fewer than 2 weeks of history to measure normal variation'
            when judged.is_seasonal and not coalesce(judged.has_comparables, false)
                then
                    case
                        when judged.festival_codes is not null
                            then 'the windows overlap ' || judged.festival_codes
                        else 'the store as a whole moved as much'
                    end
                    || ' and there are fewer than ' || {{ gscor_fmt_num('judged.min_comparables') }}
                    || ' untouched comparable entities to judge it by'
            when judged.is_seasonal
                then
                    case
                        when judged.festival_codes is not null
                            then 'the windows overlap ' || judged.festival_codes
                        else 'the store as a whole moved as much'
                    end
                    || ': judged against ' || {{ gscor_fmt_num('judged.control_entities') }}
                    || ' untouched comparable entities (they moved '
                    || {{ gscor_fmt_pct('judged.control_change_pct', 1) }} || '): a change of '
                    || {{ gscor_fmt_num('judged.did_z_score', 1) }} || ' standard errors beyond their trend'
            when judged.z_score is null then 'flat history (no variation): the direction of the change decides'
            else
                'change of ' || {{ gscor_fmt_num('judged.z_score', 1) }}
                || ' standard errors of its normal week-to-week variation'
        end as verdict_reason,
        case
            when
                judged.action_id is null
                or effect_metrics.metric is null
                or judged.series_weeks is null
                or judged.weeks_after_available < judged.min_weeks_after
                or coalesce(judged.before_weeks, 0) = 0
                or coalesce(judged.after_weeks, 0) = 0
                or judged.noise_sd is null
                then null
            when judged.is_seasonal and coalesce(judged.has_comparables, false) then 'vs_comparables'
            when judged.is_seasonal then null
            else 'own_variation'
        end as verdict_basis,
        judged.festival_codes,
        judged.control_entities,
        judged.control_before_value,
        judged.control_after_value,
        judged.control_change_pct,
        judged.expected_after_value,
        judged.did_change,
        judged.did_z_score,
        ledger.source_file,
        ledger.source_row
    from ledger
    left join judged
        on ledger.action_id = judged.action_id
    left join effect_metrics
        on
            ledger.entity_type = effect_metrics.entity_type
            and ledger.metric = effect_metrics.metric

)

select * from final
