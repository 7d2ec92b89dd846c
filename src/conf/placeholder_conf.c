typedef int pg_placeholder_conf;
