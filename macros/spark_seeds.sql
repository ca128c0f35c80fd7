{#-
    Seeds on Spark: seeds/_seeds.yml spells column_types the DuckDB way (varchar, integer, …); Spark's parser
    refuses VARCHAR without a length. This override of dbt-spark's spark__create_csv_table (a copy, with the
    type translated by gscor_spark_seed_type) creates the same columns with Spark's names: varchar/text → string,
    integer → int; every other type (double, boolean, date, decimal(p,s), bigint, timestamp) is spelled alike.
-#}
{% macro gscor_spark_seed_type(type) -%}
    {%- set t = (type | string | trim | lower) -%}
    {%- set names = {'varchar': 'string', 'text': 'string', 'integer': 'int', 'real': 'float'} -%}
    {{- return(names.get(t, type)) -}}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}

  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = gscor_spark_seed_type(column_override.get(col_name, inferred_type)) -%}
            {%- set column_name = (col_name | string) -%}
            {{ adapter.quote_seed_column(column_name, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ partition_cols(label="partitioned by") }}
    {{ clustered_cols(label="clustered by") }}
    {{ location_clause() }}
    {{ comment_clause() }}
  {% endset %}

  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}

  {{ return(sql) }}
{% endmacro %}

{#-
    dbt-spark's method: session binds seed values by Python %-formatting with unescaped quotes ('None' for an
    empty cell, 'True' for a boolean, a value with an apostrophe breaks the statement). This override of
    spark__load_csv_rows writes SQL literals itself: NULL, true / false, numbers as their exact decimal text,
    dates and timestamps in ISO form, strings quoted with \ and ' escaped (Spark reads backslash escapes in
    string literals); each cast to the column's type.
-#}
{% macro gscor_spark_literal(value) -%}
    {%- if value is none -%}null
    {%- elif value is sameas true -%}true
    {%- elif value is sameas false -%}false
    {%- elif value is number -%}{{ value }}
    {%- elif value is string -%}'{{ value | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- elif value.isoformat is defined -%}'{{ value.isoformat(' ') if value.hour is defined else value.isoformat() }}'
    {%- else -%}'{{ (value | string) | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
  {% set batch_size = get_batch_size() %}
  {% set column_override = model['config'].get('column_types', {}) %}
  {% set types = [] %}
  {% for col_name in agate_table.column_names %}
      {%- do types.append(gscor_spark_seed_type(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)))) -%}
  {% endfor %}
  {% set statements = [] %}
  {% for chunk in agate_table.rows | batch(batch_size) %}
      {% set sql %}
          insert into {{ this.render() }} values
          {% for row in chunk -%}
              ({%- for value in row -%}
                  cast({{ gscor_spark_literal(value) }} as {{ types[loop.index0] }})
                  {%- if not loop.last %}, {% endif -%}
              {%- endfor -%})
              {%- if not loop.last %},{% endif %}
          {% endfor %}
      {% endset %}
      {% do adapter.add_query(sql, abridge_sql_log=True) %}
      {% if loop.index0 == 0 %}
          {% do statements.append(sql) %}
      {% endif %}
  {% endfor %}
  {{ return(statements[0]) }}
{% endmacro %}
