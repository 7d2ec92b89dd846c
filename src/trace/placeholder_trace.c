typedef int pg_placeholder_trace;
