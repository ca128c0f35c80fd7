{#-
    The cross-engine vocabulary of gscor: ONE name per meaning. Models and the other macros write engine-specific
    SQL only through these; each is `adapter.dispatch('<name>', 'gscor')` with a portable `default__` (dbt's own
    cross-database macros where they exist) and `duckdb__` / `spark__` (/ `trino__`, `bigquery__`) overrides where
    an engine spells it differently. Documented with arguments in macros/_macros.yml; sqlfluff's jinja templater
    cannot dispatch, so .sqlfluff holds one stand-in line (key cross_db) for the whole vocabulary.

    types
      gscor_type(name)                    the engine's type name; name in string, int, bigint, double (8 bytes),
                                          float (dbt.type_float(): 4 bytes on DuckDB), numeric, boolean,
                                          timestamp, date; varchar = string, spelled varchar on DuckDB (the
                                          models that wrote varchar before the Spark port compile unchanged)
      gscor_cast(expr, name)              cast(expr as gscor_type(name))
      gscor_safe_cast(expr, name)         the same, NULL where the value does not convert
    dates and timestamps
      gscor_add_days(n, date_expr)        date_expr + n days, as a DATE
      gscor_add_months(n, date_expr)      date_expr + n calendar months, as a DATE
      gscor_timestamp_add(part, n, expr)  expr + n parts (day, hour, …), keeping its time of day (a TIMESTAMP)
      gscor_days_between(start, end)      day boundaries from start to end (end − start in whole days)
      gscor_months_between(start, end)    month boundaries from start to end (2024-01-31 → 2024-02-01 is 1)
      gscor_seconds_between(start, end)   second boundaries from start to end
      gscor_iso_part(part, date_expr)     ISO-8601 part as an integer: year, week (1–53), day_of_week (Mon = 1)
    text
      gscor_concat(fields)                string concatenation of a list of expressions
      gscor_listagg(expr, delim, order_by) ordered string aggregation (delim as plain text; expr may start with
                                          'distinct ')
      gscor_regexp_like(expr, pattern)    true when the pattern matches anywhere in expr
      gscor_regexp_extract(expr, pattern, group=0)  capture group of the first match; NULL when none (or '')
      gscor_unicode_nfc(expr)             Unicode NFC normalisation (identity where the engine has none)
      gscor_sha256(expr)                  SHA-256 of a string as lower-case hex
      gscor_fmt_num(expr, decimals=0)     a number as text with thousands separators: 1234.5 → '1,235'
      gscor_fmt_pct(fraction, decimals=1) a fraction as a percentage text: 0.0042 → '0.4%'
    arithmetic
      gscor_divide(num, den)              num / den as a DOUBLE (DuckDB's `/`; Spark keeps a decimal's type)
      gscor_float_divide(num, den)        num (a FLOAT) / den in 4-byte float arithmetic, as DuckDB does it
    aggregates
      gscor_percentile(expr, fraction)    continuous (interpolated) percentile of expr, an aggregate
    catalog
      gscor_columns_of(relations)         [(table, column)] of built relations, from the adapter (not a macro
                                          that writes SQL: information_schema is DuckDB's, Spark has none)

    Regular-expression patterns are written as plain text (no SQL escaping): DuckDB's RE2 and Spark's Java regex
    agree on the syntax used here; on Spark they are passed as raw literals r'…' so backslashes survive.
-#}

{#- ---------------------------------------------------------------- types -#}

{% macro gscor_type(name) -%}
    {{ return(adapter.dispatch('gscor_type', 'gscor')(name)) }}
{%- endmacro %}

{% macro default__gscor_type(name, double='double precision', varchar=none) -%}
    {%- set types = {
        'string': dbt.type_string(), 'varchar': varchar or dbt.type_string(), 'int': dbt.type_int(), 'bigint': dbt.type_bigint(), 'double': double,
        'float': dbt.type_float(), 'numeric': dbt.type_numeric(), 'boolean': dbt.type_boolean(),
        'timestamp': dbt.type_timestamp(), 'date': 'date'
    } -%}
    {%- if name not in types -%}
        {{ exceptions.raise_compiler_error('gscor_type: unknown type ' ~ name ~ ' (one of ' ~ types.keys() | join(', ') ~ ')') }}
    {%- endif -%}
    {{ return(types[name]) }}
{%- endmacro %}

{% macro duckdb__gscor_type(name) -%}
    {{ return(default__gscor_type(name, double='double', varchar='varchar')) }}
{%- endmacro %}

{% macro spark__gscor_type(name) -%}
    {{ return(default__gscor_type(name, double='double')) }}
{%- endmacro %}

{% macro trino__gscor_type(name) -%}
    {{ return(default__gscor_type(name, double='double')) }}
{%- endmacro %}

{% macro bigquery__gscor_type(name) -%}
    {{ return(default__gscor_type(name, double='float64')) }}
{%- endmacro %}

{% macro gscor_cast(expr, name) -%}
    {{ return(adapter.dispatch('gscor_cast', 'gscor')(expr, name)) }}
{%- endmacro %}

{% macro default__gscor_cast(expr, name) -%}
    cast({{ expr }} as {{ gscor_type(name) }})
{%- endmacro %}

{% macro gscor_safe_cast(expr, name) -%}
    {{ return(adapter.dispatch('gscor_safe_cast', 'gscor')(expr, name)) }}
{%- endmacro %}

{% macro default__gscor_safe_cast(expr, name) -%}
    {{ dbt.safe_cast(expr, gscor_type(name)) }}
{%- endmacro %}

{#- Spark 4 runs in ANSI mode, where a plain cast raises on bad input. -#}
{% macro spark__gscor_safe_cast(expr, name) -%}
    try_cast({{ expr }} as {{ gscor_type(name) }})
{%- endmacro %}

{#- ---------------------------------------------------------------- dates and timestamps -#}

{% macro gscor_add_days(n, date_expr) -%}
    {{ return(adapter.dispatch('gscor_add_days', 'gscor')(n, date_expr)) }}
{%- endmacro %}

{% macro default__gscor_add_days(n, date_expr) -%}
    cast({{ dbt.dateadd('day', n, date_expr) }} as date)
{%- endmacro %}

{% macro spark__gscor_add_days(n, date_expr) -%}
    date_add(cast({{ date_expr }} as date), cast({{ n }} as int))
{%- endmacro %}

{% macro gscor_add_months(n, date_expr) -%}
    {{ return(adapter.dispatch('gscor_add_months', 'gscor')(n, date_expr)) }}
{%- endmacro %}

{% macro default__gscor_add_months(n, date_expr) -%}
    cast({{ dbt.dateadd('month', n, date_expr) }} as date)
{%- endmacro %}

{% macro spark__gscor_add_months(n, date_expr) -%}
    add_months(cast({{ date_expr }} as date), cast({{ n }} as int))
{%- endmacro %}

{% macro gscor_timestamp_add(datepart, n, expr) -%}
    {{ return(adapter.dispatch('gscor_timestamp_add', 'gscor')(datepart, n, expr)) }}
{%- endmacro %}

{% macro default__gscor_timestamp_add(datepart, n, expr) -%}
    {{ dbt.dateadd(datepart, n, expr) }}
{%- endmacro %}

{% macro spark__gscor_timestamp_add(datepart, n, expr) -%}
    timestampadd({{ datepart | upper }}, cast({{ n }} as int), cast({{ expr }} as timestamp))
{%- endmacro %}

{% macro gscor_days_between(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('gscor_days_between', 'gscor')(start_expr, end_expr)) }}
{%- endmacro %}

{% macro default__gscor_days_between(start_expr, end_expr) -%}
    {{ dbt.datediff(start_expr, end_expr, 'day') }}
{%- endmacro %}

{% macro spark__gscor_days_between(start_expr, end_expr) -%}
    datediff(cast({{ end_expr }} as date), cast({{ start_expr }} as date))
{%- endmacro %}

{% macro gscor_months_between(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('gscor_months_between', 'gscor')(start_expr, end_expr)) }}
{%- endmacro %}

{% macro default__gscor_months_between(start_expr, end_expr) -%}
    {{ dbt.datediff(start_expr, end_expr, 'month') }}
{%- endmacro %}

{#- Spark's months_between is fractional; count month boundaries like dbt.datediff does. -#}
{% macro spark__gscor_months_between(start_expr, end_expr) -%}
    ((year({{ end_expr }}) - year({{ start_expr }})) * 12 + month({{ end_expr }}) - month({{ start_expr }}))
{%- endmacro %}

{% macro gscor_seconds_between(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('gscor_seconds_between', 'gscor')(start_expr, end_expr)) }}
{%- endmacro %}

{% macro default__gscor_seconds_between(start_expr, end_expr) -%}
    {{ dbt.datediff(start_expr, end_expr, 'second') }}
{%- endmacro %}

{% macro spark__gscor_seconds_between(start_expr, end_expr) -%}
    (unix_timestamp({{ end_expr }}) - unix_timestamp({{ start_expr }}))
{%- endmacro %}

{% macro gscor_iso_part(part, date_expr) -%}
    {{ return(adapter.dispatch('gscor_iso_part', 'gscor')(part, date_expr)) }}
{%- endmacro %}

{% macro default__gscor_iso_part(part, date_expr) -%}
    {%- set field = {'year': 'isoyear', 'week': 'week', 'day_of_week': 'isodow'}[part] -%}
    cast(extract({{ field }} from {{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro duckdb__gscor_iso_part(part, date_expr) -%}
    {%- set fn = {'year': 'isoyear', 'week': 'weekofyear', 'day_of_week': 'isodow'}[part] -%}
    cast({{ fn }}({{ date_expr }}) as integer)
{%- endmacro %}

{% macro spark__gscor_iso_part(part, date_expr) -%}
    {%- if part == 'week' -%}
        cast(weekofyear({{ date_expr }}) as int)
    {%- elif part == 'day_of_week' -%}
        cast(((dayofweek({{ date_expr }}) + 5) % 7) + 1 as int)
    {%- else -%}
        cast(year(date_add({{ date_expr }}, 3 - ((dayofweek({{ date_expr }}) + 5) % 7))) as int)
    {%- endif -%}
{%- endmacro %}

{#- ---------------------------------------------------------------- text -#}

{% macro gscor_concat(fields) -%}
    {{ return(adapter.dispatch('gscor_concat', 'gscor')(fields)) }}
{%- endmacro %}

{% macro default__gscor_concat(fields) -%}
    {{ dbt.concat(fields) }}
{%- endmacro %}

{% macro gscor_listagg(expr, delimiter, order_by) -%}
    {{ return(adapter.dispatch('gscor_listagg', 'gscor')(expr, delimiter, order_by)) }}
{%- endmacro %}

{% macro default__gscor_listagg(expr, delimiter, order_by) -%}
    {{ dbt.listagg(expr, "'" ~ delimiter ~ "'", 'order by ' ~ order_by) }}
{%- endmacro %}

{#- dbt-spark's listagg drops the order: collect (order key, value) pairs, sort them, keep the values. -#}
{% macro spark__gscor_listagg(expr, delimiter, order_by) -%}
    {%- set is_distinct = (expr | trim | lower).startswith('distinct ') -%}
    {%- set value = (expr | trim)[9:] if is_distinct else expr -%}
    {#- one order key, optionally followed by asc / desc (a descending order sorts ascending, then reverses) -#}
    {%- set key = order_by | trim -%}
    {%- set descending = (key | lower).endswith(' desc') -%}
    {%- if descending -%}{%- set key = key[:-5] -%}{%- elif (key | lower).endswith(' asc') -%}{%- set key = key[:-4] -%}{%- endif -%}
    array_join(
        transform(
            {{ 'reverse(' if descending }}array_sort({{ 'collect_set' if is_distinct else 'collect_list' }}(named_struct('k', {{ key }}, 'v', {{ value }}))){{ ')' if descending }},
            pair -> pair.v
        ),
        '{{ delimiter }}'
    )
{%- endmacro %}

{% macro gscor_regexp_like(expr, pattern) -%}
    {{ return(adapter.dispatch('gscor_regexp_like', 'gscor')(expr, pattern)) }}
{%- endmacro %}

{% macro default__gscor_regexp_like(expr, pattern) -%}
    regexp_like({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__gscor_regexp_like(expr, pattern) -%}
    regexp_matches({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__gscor_regexp_like(expr, pattern) -%}
    ({{ expr }} rlike r'{{ pattern }}')
{%- endmacro %}

{% macro gscor_regexp_extract(expr, pattern, group=0) -%}
    {{ return(adapter.dispatch('gscor_regexp_extract', 'gscor')(expr, pattern, group)) }}
{%- endmacro %}

{% macro default__gscor_regexp_extract(expr, pattern, group=0) -%}
    nullif(regexp_extract({{ expr }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{% macro spark__gscor_regexp_extract(expr, pattern, group=0) -%}
    nullif(regexp_extract({{ expr }}, r'{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{% macro gscor_unicode_nfc(expr) -%}
    {{ return(adapter.dispatch('gscor_unicode_nfc', 'gscor')(expr)) }}
{%- endmacro %}

{% macro default__gscor_unicode_nfc(expr) -%}
    {{ expr }}
{%- endmacro %}

{% macro duckdb__gscor_unicode_nfc(expr) -%}
    nfc_normalize({{ expr }})
{%- endmacro %}

{#- Spark SQL has no Unicode normalisation function. ICU4J's Normalizer.compose ships with pyspark, but the only way
    to call it from SQL, reflect(), is non-deterministic to Spark's analyser and refused in join conditions (where
    gscor_normalise_text is used). So NFC is the identity on Spark: a keyword landed in decomposed form (NFD) stays
    apart from its composed twin. The demo and the real exports hold no such text (checked by make test-spark's
    comparison); docs/scale-out.md, "Not ported". -#}
{% macro spark__gscor_unicode_nfc(expr) -%}
    {{ expr }}
{%- endmacro %}

{% macro gscor_sha256(expr) -%}
    {{ return(adapter.dispatch('gscor_sha256', 'gscor')(expr)) }}
{%- endmacro %}

{#- default: sha2 (Spark, Databricks, MySQL, Hive). -#}
{% macro default__gscor_sha256(expr) -%}
    sha2({{ expr }}, 256)
{%- endmacro %}

{% macro duckdb__gscor_sha256(expr) -%}
    sha256({{ expr }})
{%- endmacro %}

{% macro trino__gscor_sha256(expr) -%}
    lower(to_hex(sha256(to_utf8({{ expr }}))))
{%- endmacro %}

{% macro gscor_fmt_num(expr, decimals=0) -%}
    {{ return(adapter.dispatch('gscor_fmt_num', 'gscor')(expr, decimals)) }}
{%- endmacro %}

{#- default: no grouping separators (no portable number format). -#}
{% macro default__gscor_fmt_num(expr, decimals=0) -%}
    cast(round(cast({{ expr }} as {{ gscor_type('double') }}), {{ decimals }}) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__gscor_fmt_num(expr, decimals=0) -%}
    format('{:,.{{ decimals }}f}', cast({{ expr }} as double))
{%- endmacro %}

{% macro spark__gscor_fmt_num(expr, decimals=0) -%}
    format_number(cast({{ expr }} as double), {{ decimals }})
{%- endmacro %}

{% macro gscor_fmt_pct(expr, decimals=1) -%}
    {{ return(adapter.dispatch('gscor_fmt_pct', 'gscor')(expr, decimals)) }}
{%- endmacro %}

{% macro default__gscor_fmt_pct(expr, decimals=1) -%}
    {{ dbt.concat([default__gscor_fmt_num('100 * (' ~ expr ~ ')', decimals), "'%'"]) }}
{%- endmacro %}

{% macro duckdb__gscor_fmt_pct(expr, decimals=1) -%}
    format('{:.{{ decimals }}f}%', 100 * cast({{ expr }} as double))
{%- endmacro %}

{#- DuckDB's format rounds half to even (0.625 -> '62%'); Java's %f rounds half up ('63%'): bround first.
    NULL stays NULL (Java formats a null as 'null', cut to 'n' by the precision). -#}
{% macro spark__gscor_fmt_pct(expr, decimals=1) -%}
    nvl2({{ expr }}, format_string('%.{{ decimals }}f%%', bround(100 * cast({{ expr }} as double), {{ decimals }})), null)
{%- endmacro %}

{#- ---------------------------------------------------------------- arithmetic -#}

{#- gscor_divide(num, den): num / den as a DOUBLE, DuckDB's `/` (which turns integers and decimals into a double).
    Spark's `/` keeps a DECIMAL operand's type (1.0 / n is a decimal of scale >= 6, not a double). -#}
{% macro gscor_divide(num, den) -%}
    {{ return(adapter.dispatch('gscor_divide', 'gscor')(num, den)) }}
{%- endmacro %}

{% macro default__gscor_divide(num, den) -%}
    {{ num }} / {{ den }}
{%- endmacro %}

{% macro spark__gscor_divide(num, den) -%}
    cast({{ num }} as double) / {{ den }}
{%- endmacro %}

{#- gscor_float_divide(num, den): num (a 4-byte FLOAT expression) / den in 4-byte float arithmetic, a FLOAT, as
    DuckDB divides a FLOAT (den cast to FLOAT). Spark divides floats as doubles: casting both operands to float
    and the quotient back gives the correctly rounded float quotient, DuckDB's. -#}
{% macro gscor_float_divide(num, den) -%}
    {{ return(adapter.dispatch('gscor_float_divide', 'gscor')(num, den)) }}
{%- endmacro %}

{% macro default__gscor_float_divide(num, den) -%}
    {{ num }} / {{ den }}
{%- endmacro %}

{% macro spark__gscor_float_divide(num, den) -%}
    cast(cast({{ num }} as float) / cast({{ den }} as float) as float)
{%- endmacro %}

{#- ---------------------------------------------------------------- aggregates -#}

{% macro gscor_percentile(expr, fraction) -%}
    {{ return(adapter.dispatch('gscor_percentile', 'gscor')(expr, fraction)) }}
{%- endmacro %}

{% macro default__gscor_percentile(expr, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expr }})
{%- endmacro %}

{% macro duckdb__gscor_percentile(expr, fraction) -%}
    quantile_cont({{ expr }}, {{ fraction }})
{%- endmacro %}

{#- Spark's percentile is exact and interpolates linearly, like percentile_cont. -#}
{% macro spark__gscor_percentile(expr, fraction) -%}
    percentile({{ expr }}, {{ fraction }})
{%- endmacro %}

{#- ---------------------------------------------------------------- catalog -#}

{#- The columns of built relations through the adapter's own catalog call (DuckDB: information_schema; Spark:
    DESCRIBE): a list of (relation identifier, column name); empty at parse time. -#}
{% macro gscor_columns_of(relations) -%}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- for relation in relations -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- do found.append((relation.identifier, column.name)) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}
