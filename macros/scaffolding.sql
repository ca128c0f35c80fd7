{#-
    Week scaffolding shared by the weekly series (int_entity_metric_weekly, int_rule_metric_weekly) and the
    window rules (G06, G08, G09). Every macro expects Sunday–Saturday weeks and an `account_id` column.

    gscor_rows_in_complete_weeks(rows, day_column)
        The rows of CTE `rows` (with week_start / week_end columns) whose week lies wholly inside the account's
        span of `day_column` in `rows` (first .. last day with data): a daily source's first and last weeks are
        dropped when the data starts or ends mid-week.

    gscor_densify_entity_weeks(sums, account_weeks, columns, entities=none)
        One row per entity × week of CTE `account_weeks` (account_id, week_start, week_end) from the entity's
        first week on, left-joined to CTE `sums` (account_id, entity_id, week_start, measures): a week in which
        the account has data but the entity has no row still gets a row. `columns` are the output expressions
        over `sums` (refer to its columns as `<sums>.<column>`; coalesce additive ones to 0, compute ratios from
        the parts so they are null on a 0 denominator). `entities` (account_id, entity_id, first_week_start)
        defaults to every entity of `sums` from its first week; pass a CTE to add entities without rows.

    gscor_covered_windows(week_rows, week_end_column, window_weeks='params.window_weeks', carry=[])
        Two CTEs, `anchor_weeks` and `windows`, for rules judged over a window of N weeks: one window per account
        and week end present in CTE `week_rows` (joined to the rule's `params` CTE), kept only when all N week ends
        of the window are present (the window is fully covered by data). `windows` has account_id, window_end,
        window_weeks, the `carry` parameters of `params`, and window_start = window_end − 7 × N + 1.
-#}

{% macro gscor_rows_in_complete_weeks(rows, day_column) -%}
    select {{ rows }}.*
    from {{ rows }}
    inner join (
        select
            account_id,
            min({{ day_column }}) as first_day,
            max({{ day_column }}) as last_day
        from {{ rows }}
        group by account_id
    ) as account_span
        on
            {{ rows }}.account_id = account_span.account_id
            and {{ rows }}.week_start >= account_span.first_day
            and {{ rows }}.week_end <= account_span.last_day
{%- endmacro %}

{% macro gscor_densify_entity_weeks(sums, account_weeks, columns, entities=none) -%}
    select
        entities.account_id,
        entities.entity_id,
        {{ account_weeks }}.week_start,
        {{ account_weeks }}.week_end,
        {%- for column in columns %}
        {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from
        {%- if entities %}
        {{ entities }} as entities
        {%- else %}
        (
            select
                account_id,
                entity_id,
                min(week_start) as first_week_start
            from {{ sums }}
            group by account_id, entity_id
        ) as entities
        {%- endif %}
    inner join {{ account_weeks }}
        on
            entities.account_id = {{ account_weeks }}.account_id
            and entities.first_week_start <= {{ account_weeks }}.week_start
    left join {{ sums }}
        on
            entities.account_id = {{ sums }}.account_id
            and entities.entity_id = {{ sums }}.entity_id
            and {{ account_weeks }}.week_start = {{ sums }}.week_start
{%- endmacro %}

{% macro gscor_covered_windows(week_rows, week_end_column, window_weeks='params.window_weeks', carry=[]) -%}
anchor_weeks as (
    select distinct
        {{ week_rows }}.account_id,
        {{ week_rows }}.{{ week_end_column }} as window_end,
        cast({{ window_weeks }} as integer) as window_weeks
        {%- for parameter in carry %},
        params.{{ parameter }}
        {%- endfor %}
    from {{ week_rows }}
    inner join params
        on {{ week_rows }}.account_id = params.account_id
),

windows as (
    select
        anchor_weeks.account_id,
        anchor_weeks.window_end,
        anchor_weeks.window_weeks,
        {%- for parameter in carry %}
        anchor_weeks.{{ parameter }},
        {%- endfor %}
        {{ gscor_add_days('1 - 7 * anchor_weeks.window_weeks', 'anchor_weeks.window_end') }} as window_start
    from anchor_weeks
    inner join anchor_weeks as covered
        on
            anchor_weeks.account_id = covered.account_id
            and anchor_weeks.window_end >= covered.window_end
            and {{ gscor_days_between('covered.window_end', 'anchor_weeks.window_end') }}
            < 7 * anchor_weeks.window_weeks
    group by
        anchor_weeks.account_id,
        anchor_weeks.window_end,
        anchor_weeks.window_weeks
        {%- for parameter in carry %},
        anchor_weeks.{{ parameter }}
        {%- endfor %}
    having count(*) = anchor_weeks.window_weeks
)
{%- endmacro %}
