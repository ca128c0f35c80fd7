{#-
    consolidated_checks: every simple blocking data test declared on this model (or seed), in ONE query.

    The nightly `gscor build` runs this test instead of the single-column tests it covers (warehouse.py excludes
    them with CONSOLIDATED_TESTS): one dbt node per model instead of one per column check — dbt's cost of a
    test node (~0.1 s) dwarfs the query. `gscor build --all-tests` runs the single tests instead.

    What it covers, read from the project graph at run time (so a check added to a yml joins it by itself):
    the tests attached to this model whose name is one of `covered` below and whose severity is error. Each
    check keeps its own test's semantics (the same WHERE as macros/tests/*.sql and dbt's built-in not_null,
    unique and accepted_values; the test's `where:` config applied to that check only):
      row checks (one scan: count(*) FILTER per check)  not_null, not_negative, accepted_range, accepted_values,
                                                          expression_is_true
      group checks (one GROUP BY each)                   unique, unique_combination_of_columns
    Tests of severity warn stay single nodes (they never block). A covered test with a config this macro does
    not honour (error_if, warn_if, fail_calc, limit) stops the build with a compiler error rather than being
    dropped silently.

    Returns one row per failing check: the covered test's unique_id and name, and its count of failing rows
    (groups for unique checks; rows for accepted_values where dbt counts distinct values). gscor build runs
    this SQL again on a failure to name the single tests that failed.
-#}
{% test consolidated_checks(model) %}
{%- set covered = [
    'not_null', 'not_negative', 'accepted_range', 'accepted_values', 'expression_is_true',
    'unique', 'unique_combination_of_columns'] %}
{%- set row_checks = [] %}
{%- set group_checks = [] %}
{%- if execute %}
    {#- selectattr filters in Python: a Jinja loop over the whole graph costs ~0.1 s per model -#}
    {%- set owners = ['model.' ~ project_name ~ '.' ~ model.identifier, 'seed.' ~ project_name ~ '.' ~ model.identifier] %}
    {%- for node in graph.nodes.values() | selectattr('attached_node', 'in', owners) | sort(attribute='unique_id') %}
        {%- set meta = node.test_metadata %}
        {%- if meta and meta.name in covered and (node.config.severity | lower) == 'error' %}
            {%- if node.config.error_if != '!= 0' or node.config.warn_if != '!= 0'
                or node.config.fail_calc != 'count(*)' or node.config.limit is not none %}
                {{ exceptions.raise_compiler_error(
                    'consolidated_checks cannot honour the config of ' ~ node.unique_id
                    ~ ' (error_if / warn_if / fail_calc / limit): give it severity warn or drop the config') }}
            {%- endif %}
            {%- set kw = meta.kwargs %}
            {%- set col = kw.column_name %}
            {%- set where = node.config.where %}
            {%- if meta.name == 'not_null' %}
                {%- set cond = col ~ ' is null' %}
            {%- elif meta.name == 'not_negative' %}
                {%- set cond = col ~ ' < 0' %}
            {%- elif meta.name == 'accepted_range' %}
                {%- set inclusive = kw.get('inclusive', true) %}
                {%- set bounds = ['false'] %}
                {%- if kw.get('min_value') is not none %}
                    {%- do bounds.append(col ~ (' < ' if inclusive else ' <= ') ~ kw.min_value) %}
                {%- endif %}
                {%- if kw.get('max_value') is not none %}
                    {%- do bounds.append(col ~ (' > ' if inclusive else ' >= ') ~ kw.max_value) %}
                {%- endif %}
                {%- set cond = col ~ ' is not null and (' ~ bounds | join(' or ') ~ ')' %}
            {%- elif meta.name == 'accepted_values' %}
                {%- set quote = kw.get('quote', true) %}
                {%- set values = [] %}
                {%- for v in kw['values'] %}
                    {%- do values.append("'" ~ v ~ "'" if quote else v | string) %}
                {%- endfor %}
                {%- set cond = col ~ ' not in (' ~ values | join(', ') ~ ')' %}
            {%- elif meta.name == 'expression_is_true' %}
                {%- set expr = (col ~ ' ' if col else '') ~ gscor_sql_text(kw.expression) %}
                {%- set cond = 'not coalesce((' ~ expr ~ '), false)' %}
                {%- if kw.get('where_clause') is not none %}
                    {%- set cond = cond ~ ' and (' ~ kw.where_clause ~ ')' %}
                {%- endif %}
            {%- endif %}
            {%- if meta.name in ('unique', 'unique_combination_of_columns') %}
                {%- if meta.name == 'unique' %}
                    {%- set keys = col %}
                    {%- set filters = [col ~ ' is not null'] %}
                {%- else %}
                    {%- set keys = kw.combination_of_columns | join(', ') %}
                    {%- set filters = [] %}
                {%- endif %}
                {%- if where %}{% do filters.append('(' ~ where ~ ')') %}{% endif %}
                {%- do group_checks.append({'id': node.unique_id, 'name': node.name, 'cols': keys,
                    'filter': filters | join(' and ')}) %}
            {%- else %}
                {%- do row_checks.append({'id': node.unique_id, 'name': node.name,
                    'cond': ('(' ~ where ~ ') and (' ~ cond ~ ')') if where else cond}) %}
            {%- endif %}
        {%- endif %}
    {%- endfor %}
{%- endif %}

with base as (
    select * from {{ model }}
)
{%- if row_checks %},

row_counts as (
    select
    {%- for c in row_checks %}
        count(*) filter (where {{ c.cond }}) as check_{{ loop.index }}{{ ',' if not loop.last }}
    {%- endfor %}
    from base
)
{%- endif %}

select
    check_id,
    check_name,
    failures
from (
    select
        cast(null as {{ gscor_type('string') }}) as check_id,
        cast(null as {{ gscor_type('string') }}) as check_name,
        cast(0 as {{ gscor_type('bigint') }}) as failures
    {%- for c in row_checks %}
    union all
    select
        '{{ c.id }}',
        '{{ c.name }}',
        check_{{ loop.index }}
    from row_counts
    {%- endfor %}
    {%- for c in group_checks %}
    union all
    select
        '{{ c.id }}',
        '{{ c.name }}',
        (
            select count(*) from (
                {#- the alias keeps Spark (keywords non-reserved) from reading `where (x)` as an alias with a column list #}
                select 1 from base as grouped
                {% if c.filter %}where {{ c.filter }}{% endif %}
                group by {{ c.cols }}
                having count(*) > 1
            ) as duplicates
        )
    {%- endfor %}
) as checks
where failures > 0
{% endtest %}
