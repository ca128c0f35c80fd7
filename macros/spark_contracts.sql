{#-
    Model contracts on Spark. The contracts (models/**/_*__models.yml, `contract: enforced: true`) spell
    data_type the DuckDB way — varchar, hugeint (DuckDB's sum of bigint), decimal(38,4) (its sum of
    decimal(18,4)) — and the DuckDB build checks them exactly. Spark has no varchar without a length, no
    hugeint, and widens a decimal sum differently (sum of decimal(18,4) is decimal(28,4)). So on Spark the check
    is: the same columns, by name and number, each of the same type FAMILY (gscor_type_family): text, integer,
    decimal of the same scale, float (4 bytes), double, boolean, date, timestamp. A renamed, missing or extra
    column, or a text column turned number (or a double turned integer), still fails the build.
-#}
{% macro gscor_type_family(data_type) -%}
    {%- set t = (data_type | string | trim | lower) -%}
    {%- set base = t.split('(')[0] | trim -%}
    {%- if base in ('varchar', 'string', 'text', 'char', 'character varying', 'bpchar') -%}
        {{- return('text') -}}
    {%- elif base in ('tinyint', 'smallint', 'int', 'integer', 'bigint', 'hugeint', 'long', 'short', 'byte', 'int2', 'int4', 'int8', 'int128') -%}
        {{- return('integer') -}}
    {%- elif base in ('decimal', 'numeric', 'number') -%}
        {%- set parts = t.split('(')[1].rstrip(')').split(',') if '(' in t else ['18', '3'] -%}
        {{- return('decimal scale ' ~ (parts[1] | trim if parts | length > 1 else '0')) -}}
    {%- elif base in ('float', 'real', 'float4') -%}
        {{- return('float') -}}
    {%- elif base in ('double', 'double precision', 'float8') -%}
        {{- return('double') -}}
    {%- elif base in ('boolean', 'bool') -%}
        {{- return('boolean') -}}
    {%- elif base == 'date' -%}
        {{- return('date') -}}
    {%- elif base.startswith('timestamp') -%}
        {{- return('timestamp') -}}
    {%- else -%}
        {{- return(t) -}}
    {%- endif -%}
{%- endmacro %}

{% macro spark__get_assert_columns_equivalent(sql) -%}
    {%- set user_defined_columns = model['columns'] -%}
    {%- if not user_defined_columns -%}
        {{ exceptions.raise_contract_error([], []) }}
    {%- endif -%}
    {%- set sql_columns = format_columns(get_column_schema_from_query(sql, config.get('sql_header', none))) -%}
    {%- set yaml_columns = [] -%}
    {%- for name in user_defined_columns -%}
        {%- set col = user_defined_columns[name] -%}
        {%- do yaml_columns.append({'name': col['name'], 'data_type': col.get('data_type'), 'formatted': col['name'] ~ ' ' ~ col.get('data_type')}) -%}
    {%- endfor -%}
    {%- if sql_columns | length != yaml_columns | length -%}
        {%- do exceptions.raise_contract_error(yaml_columns, sql_columns) -%}
    {%- endif -%}
    {%- for sql_col in sql_columns -%}
        {%- set matches = yaml_columns | selectattr('name', 'equalto', sql_col['name']) | list -%}
        {%- if not matches or gscor_type_family(matches[0]['data_type']) != gscor_type_family(sql_col['data_type']) -%}
            {%- do exceptions.raise_contract_error(yaml_columns, sql_columns) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
